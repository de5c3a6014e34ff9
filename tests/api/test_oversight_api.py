"""The oversight registers through the API: an urgent contact logged by a member, a legislative
proposal drafted and taken through its steps, a request sent and answered; refusals in the
caller's language; lists paged in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alqa.domain.bodies import create_unit
from alqa.domain.meetings import record_decision
from alqa.domain.urgent_contacts import log_contact
from alqa.enums import Side, UnitKind
from alqa.models import AuditEvent, LegislativeProposal, UrgentContact
from tests.api.conftest import Api, token_for
from tests.conftest import meeting_on


@pytest.fixture
def head_unit(body, admin_user):
    return create_unit(
        body=body,
        actor=admin_user,
        name_ru="ОП Медеуского района",
        side=Side.POLICE,
        kind=UnitKind.SUBORDINATE,
        head_name="Полковник Ахметов Б. С.",
    )


def test_a_member_logs_an_urgent_contact_and_reads_it_back(body, member, head_unit, bar_unit):
    api = Api(token_for(member.user))
    when = (timezone.now() - timedelta(hours=3)).isoformat()
    answer = api.post(
        f"/bodies/{body.pk}/urgent-contacts",
        {"unit_id": head_unit.pk, "contacted_at": when, "reason": "Адвоката не пускают в ИВС"},
    )
    assert answer.status_code == 201, answer.content
    contact = answer.json()
    assert contact["contact_person"] == "Полковник Ахметов Б. С." and contact["agenda_item_id"] is None
    assert api.get(f"/urgent-contacts/{contact['id']}").json()["reason"] == "Адвоката не пускают в ИВС"
    listed = api.get(f"/bodies/{body.pk}/urgent-contacts", {"waiting": "true"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == contact["id"]
    refused = api.post(
        f"/bodies/{body.pk}/urgent-contacts",
        {"unit_id": bar_unit.pk, "contacted_at": when, "reason": "Причина"},
        language="kk",
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "unit_id"]
    assert "Төралқасын" in refused.json()["detail"][0]["msg"]
    assert UrgentContact.objects.count() == 1


def test_an_administrator_is_nobodys_member_and_logs_no_contact(body, admin_user, head_unit):
    answer = Api(token_for(admin_user)).post(
        f"/bodies/{body.pk}/urgent-contacts",
        {"unit_id": head_unit.pk, "contacted_at": timezone.now().isoformat(), "reason": "Причина"},
    )
    assert answer.status_code == 403 and not UrgentContact.objects.exists()


def test_a_legislative_proposal_through_its_steps(body, secretary, chair, member, deputy):
    meeting, item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, member, deputy), approved=True
    )
    decision = record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Одобрить")
    api = Api(token_for(secretary.user), language="ru")
    created = api.post(
        f"/bodies/{body.pk}/legislative-proposals",
        {
            "title_ru": "О сроках допуска защитника",
            "text_ru": "Дополнить статью 66 УПК частью 3-1",
            "act": "УПК РК",
            "justification": "Итоги посещений ИВС",
            "addressee": "Мажилис Парламента РК",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    early = api.post(f"/legislative-proposals/{pk}/steps", {"to": "submitted", "submitted_on": "2026-01-05"})
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "to"]
    step = api.post(f"/legislative-proposals/{pk}/steps", {"to": "approved", "decision_id": decision.pk})
    assert step.status_code == 200 and step.json()["status"] == "approved"
    today = timezone.localdate().isoformat()
    sent = api.post(
        f"/legislative-proposals/{pk}/steps",
        {"to": "submitted", "submitted_on": today, "outgoing_ref": "5/26"},
    )
    assert sent.json()["status"] == "submitted" and sent.json()["outgoing_ref"] == "5/26"
    done = api.post(f"/legislative-proposals/{pk}/steps", {"to": "rejected", "outcome_on": today})
    assert done.json()["status"] == "rejected"
    assert LegislativeProposal.objects.get().status == "rejected"
    assert AuditEvent.objects.filter(action__startswith="legislative_proposal.").count() == 4
    assert api.get(f"/bodies/{body.pk}/legislative-proposals", {"status": "rejected"}).json()["count"] == 1
    member_api = Api(token_for(member.user))
    assert member_api.post(f"/legislative-proposals/{pk}/steps", {"to": "accepted"}).status_code == 403


def test_a_request_entered_sent_and_answered(body, secretary):
    api = Api(token_for(secretary.user))
    created = api.post(
        f"/bodies/{body.pk}/requests",
        {
            "addressee_kind": "police_unit",
            "addressee": "ДП г. Алматы",
            "subject": "Журнал задержанных ИВС",
            "legal_basis": "пункт 2.2.8 Положения",
        },
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    today = timezone.localdate()
    early = api.post(f"/requests/{pk}/answer", {"answered_on": today.isoformat()})
    assert early.status_code == 422
    sent = api.post(f"/requests/{pk}/send", {"sent_on": today.isoformat()}).json()
    assert sent["status"] == "sent" and sent["due_on"] > today.isoformat()
    answered = api.post(
        f"/requests/{pk}/answer", {"answered_on": today.isoformat(), "assessment": "complete"}
    )
    assert answered.json()["status"] == "answered"


def test_the_lists_answer_in_a_constant_number_of_queries(body, member, chair, head_unit):
    api = Api(token_for(member.user))

    def count():
        with CaptureQueriesContext(connection) as queries:
            answer = api.get(f"/bodies/{body.pk}/urgent-contacts")
        assert answer.status_code == 200
        return len(queries), answer.json()["count"]

    def log(n):
        log_contact(
            body=body,
            actor=chair.user,
            member=chair,
            unit=head_unit,
            contacted_at=timezone.now() - timedelta(hours=n + 1),
            reason=f"Причина {n}",
        )

    log(0)
    count()  # the first read after a change loads the reader's memberships again
    few, _n = count()
    for n in range(1, 8):
        log(n)
    count()
    many, total = count()
    assert few == many and total == 8


def test_a_visit_planned_a_finding_proposed_and_a_publication_released_through_the_api(
    body, admin_user, chair, deputy, secretary, member, police_unit
):
    from alqa.domain.visits import add_finding, create_facility, record_visit
    from alqa.models import Finding, Proposal, Publication, Visit

    facility = create_facility(
        body=body, actor=admin_user, name_ru="ИВС", kind="temporary_detention", unit=police_unit
    )
    closed = create_facility(
        body=body, actor=admin_user, name_ru="УКП", kind="other", is_operational_criminal_police=True
    )
    api = Api(token_for(member.user), language="ru")
    today = timezone.localdate().isoformat()
    refused = api.post(f"/bodies/{body.pk}/visits", {"facility_id": closed.pk, "planned_on": today})
    assert refused.status_code == 422 and "подпункт 7 пункта 2.2" in refused.json()["detail"][0]["msg"]
    planned = api.post(f"/bodies/{body.pk}/visits", {"facility_id": facility.pk, "planned_on": today})
    assert planned.status_code == 201 and planned.json()["status"] == "planned"
    visit = Visit.objects.get(pk=planned.json()["id"])
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    finding = add_finding(visit, actor=chair.user, kind="lawyer_access", description="Адвоката не допустили")
    proposed = api.post(f"/findings/{finding.pk}/propose")
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    assert Finding.objects.get().proposal == Proposal.objects.get()
    assert api.post(f"/findings/{finding.pk}/propose").json()["proposal_id"] == proposed.json()["proposal_id"]

    leaders = Api(token_for(secretary.user))
    draft = leaders.post(
        f"/bodies/{body.pk}/publications",
        {"title_ru": "Итоги", "title_kk": "Қорытынды", "text_ru": "Текст", "text_kk": "Мәтін"},
    )
    assert draft.status_code == 201
    pk = draft.json()["id"]
    early = leaders.post(f"/publications/{pk}/publish")
    assert early.status_code == 422 and Publication.objects.get().status == "draft"
    assert api.post(f"/publications/{pk}/approve").status_code == 403  # a plain member
    Api(token_for(chair.user)).post(f"/publications/{pk}/approve")
    Api(token_for(deputy.user)).post(f"/publications/{pk}/approve")
    released = leaders.post(f"/publications/{pk}/publish")
    assert released.status_code == 200 and released.json()["status"] == "published"
    assert released.json()["police_approved"] and released.json()["bar_approved"]
