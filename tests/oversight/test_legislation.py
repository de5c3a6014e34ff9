"""Legislative proposals (clause 2.2.11): a draft in Russian and Kazakh approved by a decision of
the group, submitted, its outcome recorded — one rule for the way, each step audited, a step out
of order refused, the register filtered and paged in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alqa.domain.legislation import create_proposal, move, update_draft
from alqa.domain.meetings import record_decision
from alqa.enums import LegislativeStatus
from alqa.models import AuditEvent, LegislativeProposal
from alqa.queries.oversight import legislative_page
from tests.conftest import login, meeting_on

pytestmark = pytest.mark.usefixtures("waive_mfa")

DRAFT = {
    "title_ru": "О допуске адвоката в ИВС без письменного разрешения",
    "title_kk": "Адвокатты УҰИ-ға жазбаша рұқсатсыз жіберу туралы",
    "text_ru": "Изложить часть 3 статьи 66 УПК в следующей редакции: …",
    "text_kk": "ҚПК 66-бабының 3-бөлігін мынадай редакцияда жазу: …",
    "act": "Уголовно-процессуальный кодекс РК, статья 66",
    "justification": "Проверки ИВС выявили задержки допуска адвокатов до 3 часов.",
    "addressee": "Мажилис Парламента РК",
}


@pytest.fixture
def decision(body, secretary, chair, member, deputy):
    meeting, item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, member, deputy), approved=True
    )
    return record_decision(
        meeting, actor=secretary.user, agenda_item=item, text_ru="Одобрить предложение и направить в Мажилис"
    )


def _draft(body, user, **extra):
    return create_proposal(body=body, actor=user, **(DRAFT | extra))


def test_the_way_of_a_proposal_from_draft_to_its_outcome_each_step_audited(body, secretary, decision):
    proposal = _draft(body, secretary.user)
    assert proposal.status == LegislativeStatus.DRAFT
    move(proposal, actor=secretary.user, to="approved", decision=decision)
    today = timezone.localdate()
    move(proposal, actor=secretary.user, to="submitted", submitted_on=today, outgoing_ref="12-04/77")
    move(
        proposal, actor=secretary.user, to="partly", outcome_on=today, outcome_note="Учтено в новой редакции"
    )
    stored = LegislativeProposal.objects.get()
    assert (stored.status, stored.decision, stored.submitted_on, stored.outgoing_ref) == (
        "partly",
        decision,
        today,
        "12-04/77",
    )
    actions = list(
        AuditEvent.objects.filter(object_type="legislativeproposal")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "legislative_proposal.created",
        "legislative_proposal.approved",
        "legislative_proposal.submitted",
        "legislative_proposal.outcome",
    ]


def test_a_step_out_of_order_is_refused_and_nothing_changes(body, secretary, decision):
    proposal = _draft(body, secretary.user)
    with pytest.raises(ValidationError) as exc:
        move(proposal, actor=secretary.user, to="submitted", submitted_on=timezone.localdate())
    assert "«Проект»" in exc.value.message_dict["to"][0]
    with pytest.raises(ValidationError):
        move(proposal, actor=secretary.user, to="accepted", outcome_on=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        move(proposal, actor=secretary.user, to="approved")
    assert "decision" in exc.value.message_dict
    assert LegislativeProposal.objects.get().status == "draft"
    assert AuditEvent.objects.filter(action__startswith="legislative_proposal.").count() == 1


def test_the_same_step_again_changes_nothing(body, secretary, decision):
    proposal = _draft(body, secretary.user)
    move(proposal, actor=secretary.user, to="approved", decision=decision)
    move(proposal, actor=secretary.user, to="approved", decision=decision)
    assert AuditEvent.objects.filter(action="legislative_proposal.approved").count() == 1


def test_a_decision_of_another_body_and_dates_out_of_order_are_refused(
    body, other_body, secretary, decision, admin_user
):
    elsewhere = _draft(other_body, admin_user)
    with pytest.raises(ValidationError) as exc:
        move(elsewhere, actor=admin_user, to="approved", decision=decision)
    assert "decision" in exc.value.message_dict
    proposal = _draft(body, secretary.user)
    move(proposal, actor=secretary.user, to="approved", decision=decision)
    today = timezone.localdate()
    for bad in (today + timedelta(days=1), today - timedelta(days=30)):  # the future; before approval
        with pytest.raises(ValidationError) as exc:
            move(proposal, actor=secretary.user, to="submitted", submitted_on=bad)
        assert "submitted_on" in exc.value.message_dict
    move(proposal, actor=secretary.user, to="submitted", submitted_on=today)
    with pytest.raises(ValidationError) as exc:
        move(proposal, actor=secretary.user, to="rejected", outcome_on=today - timedelta(days=1))
    assert "outcome_on" in exc.value.message_dict
    assert LegislativeProposal.objects.get(pk=proposal.pk).status == "submitted"


def test_missing_texts_and_case_numbers_are_refused(body, secretary):
    with pytest.raises(ValidationError) as exc:
        _draft(body, secretary.user, act=" ", addressee="")
    assert {"act", "addressee"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        _draft(body, secretary.user, justification="См. дело 267511031000123")
    assert not LegislativeProposal.objects.exists()


def test_a_draft_is_edited_on_its_version_only_and_not_after_approval(body, secretary, decision):
    proposal = _draft(body, secretary.user)
    update_draft(proposal, actor=secretary.user, version=1, **(DRAFT | {"addressee": "Сенат Парламента РК"}))
    assert LegislativeProposal.objects.get().version == 2
    with pytest.raises(ValidationError, match="meanwhile|сохранил"):
        update_draft(proposal, actor=secretary.user, version=1, **DRAFT)
    move(proposal, actor=secretary.user, to="approved", decision=decision)
    with pytest.raises(ValidationError):
        update_draft(proposal, actor=secretary.user, version=2, **DRAFT)
    event = AuditEvent.objects.get(action="legislative_proposal.changed")
    assert event.data["addressee"] == ["Мажилис Парламента РК", "Сенат Парламента РК"]


def test_the_secretary_drafts_and_submits_through_the_pages_in_kazakh(
    client, body, secretary, decision, member
):
    login(client, secretary, language="kk")
    response = client.post(f"/bodies/{body.pk}/legislation/new/", DRAFT)
    assert response.status_code == 302
    proposal = LegislativeProposal.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Адвокатты УҰИ-ға жазбаша рұқсатсыз жіберу туралы" in page and "Келесі қадам" in page
    step = f"/legislation/{proposal.pk}/step/"
    assert client.post(step, {"to": "approved", "decision": decision.pk}).status_code == 302
    response = client.post(step, {"to": "submitted", "submitted_on": ""})
    assert (
        response.status_code == 400 and "Ұсыныстың енгізілген күнін көрсетіңіз." in response.content.decode()
    )
    today = timezone.localdate().isoformat()
    assert (
        client.post(step, {"to": "submitted", "submitted_on": today, "outgoing_ref": "12-04/77"}).status_code
        == 302
    )
    assert LegislativeProposal.objects.get().status == "submitted"
    login(client, member)
    assert client.post(step, {"to": "accepted", "outcome_on": today}).status_code == 403
    _draft(body, secretary.user, title_ru="Другой проект")
    listing = client.get(f"/bodies/{body.pk}/legislation/?status=submitted").content.decode()
    assert "Мажилис Парламента РК" in listing and "Другой проект" not in listing


def test_the_register_filters_and_pages_in_a_constant_number_of_queries(body, secretary, decision):
    first = _draft(body, secretary.user)
    move(first, actor=secretary.user, to="approved", decision=decision)

    def count(**filters):
        with CaptureQueriesContext(connection) as queries:
            page = legislative_page(body, **filters)
        return len(queries), page

    few, _page = count()
    for n in range(8):
        proposal = _draft(body, secretary.user, title_ru=f"Предложение {n}", act=f"Закон № {n}")
        if n % 2:
            move(proposal, actor=secretary.user, to="approved", decision=decision)
    many, page = count()
    assert few == many and len(page.rows) == 9
    assert page.counts == {"draft": 4, "approved": 5}
    assert [r.title for r in count(status="draft", search="Закон № 4")[1].rows] == ["Предложение 4"]
    assert len(count(status="approved")[1].rows) == 5


def test_an_approved_proposal_is_not_offered_for_editing(client, body, secretary, decision):
    proposal = _draft(body, secretary.user)
    move(proposal, actor=secretary.user, to="approved", decision=decision)
    login(client, secretary)
    page = client.get(f"/legislation/{proposal.pk}/").content.decode()
    assert f"/legislation/{proposal.pk}/edit/" not in page
    response = client.post(f"/legislation/{proposal.pk}/edit/", DRAFT | {"version": 1}, follow=True)
    assert "Only a draft is edited" in response.content.decode()
    assert LegislativeProposal.objects.get().title_ru == DRAFT["title_ru"]
