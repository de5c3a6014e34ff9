"""Agenda editing (issue 9, point 4) and the actions a meeting's state allows (point 8): the
secretary changes, moves and removes questions; a change to an approved agenda says beforehand
that it withdraws the approval; the page offers only what the state allows and the domain refuses
the rest with the same rule."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from alqa.domain.errors import Conflict
from alqa.domain.meetings import (
    AttendanceRow,
    add_agenda_item,
    approve_agenda,
    cancel_meeting,
    change_agenda_item,
    meeting_actions,
    move_agenda_item,
    record_attendance,
    record_decision,
    remove_agenda_item,
    update_meeting,
)
from alqa.domain.proposals import accept_proposal, submit_proposal
from alqa.models import AgendaItem, AuditEvent, Meeting, OutboxMessage
from alqa.permissions import MeetingReader
from tests.conftest import login
from tests.helpers import meeting_in

pytestmark = pytest.mark.usefixtures("waive_mfa")


@pytest.fixture(autouse=True)
def _english():
    """The domain's messages in English (a page read before may have switched the language)."""
    with translation.override("en"):
        yield


SECRETARY = MeetingReader(member=True, manages=True, presiding=False)
CHAIR = MeetingReader(member=True, manages=True, presiding=True)
PLAIN = MeetingReader(member=True, manages=False, presiding=False)


def _agenda(meeting: Meeting) -> list[tuple[int, str]]:
    return list(meeting.items.order_by("order").values_list("order", "title_ru"))


@pytest.fixture
def three(body, secretary, chair):
    """A meeting in ten days with three questions, not approved."""
    meeting = meeting_in(body, secretary, chair)
    for title in ("Первый", "Второй", "Третий"):
        add_agenda_item(meeting, actor=secretary.user, title_ru=title)
    return meeting


def _item(meeting, order) -> AgendaItem:
    return meeting.items.get(order=order)


# --- the domain ---------------------------------------------------------------------------------


def test_questions_move_up_and_down_and_stay_numbered_one_to_n(three, secretary):
    move_agenda_item(_item(three, 3), actor=secretary.user, direction="up")
    assert _agenda(three) == [(1, "Первый"), (2, "Третий"), (3, "Второй")]
    move_agenda_item(_item(three, 1), actor=secretary.user, direction="down")
    assert _agenda(three) == [(1, "Третий"), (2, "Первый"), (3, "Второй")]
    # the first question moved up stays, and nothing is recorded
    before = AuditEvent.objects.count()
    move_agenda_item(_item(three, 1), actor=secretary.user, direction="up")
    assert _agenda(three)[0] == (1, "Третий") and AuditEvent.objects.count() == before
    moved = AuditEvent.objects.filter(action="agenda.item_moved").order_by("id")
    assert [(e.data["from"], e.data["to"]) for e in moved] == [(3, 2), (1, 2)]
    with pytest.raises(ValidationError, match="Choose up or down"):
        move_agenda_item(_item(three, 1), actor=secretary.user, direction="sideways")


def test_a_question_is_changed_and_removed_and_the_rest_move_up(three, secretary, member):
    change_agenda_item(
        _item(three, 2),
        actor=secretary.user,
        title_ru="Второй, уточнённый",
        title_kk="Екінші",
        speaker=member,
    )
    item = _item(three, 2)
    assert (item.title_ru, item.title_kk, item.speaker) == ("Второй, уточнённый", "Екінші", member)
    event = AuditEvent.objects.get(action="agenda.item_changed")
    assert event.data["changes"] == {
        "title_ru": ["Второй", "Второй, уточнённый"],
        "title_kk": ["", "Екінші"],
        "speaker": ["", member.full_name],
    }
    with pytest.raises(ValidationError, match="title in Russian or Kazakh"):
        change_agenda_item(item, actor=secretary.user, title_ru=" ", title_kk="")
    remove_agenda_item(_item(three, 1), actor=secretary.user)
    assert _agenda(three) == [(1, "Второй, уточнённый"), (2, "Третий")]
    assert AuditEvent.objects.get(action="agenda.item_removed").data["title_ru"] == "Первый"
    # a question inserted at a position pushes the others down
    add_agenda_item(three, actor=secretary.user, title_ru="Вставка", order=1)
    assert _agenda(three) == [(1, "Вставка"), (2, "Второй, уточнённый"), (3, "Третий")]


def test_a_change_to_an_approved_agenda_is_refused_unless_the_approval_is_withdrawn(
    three, secretary, chair, body, member
):
    approve_agenda(three, actor=chair.user)
    events = AuditEvent.objects.count()
    item = _item(three, 2)
    for change in (
        lambda flag: change_agenda_item(item, actor=secretary.user, title_ru="Иначе", withdraw_approval=flag),
        lambda flag: move_agenda_item(item, actor=secretary.user, direction="up", withdraw_approval=flag),
        lambda flag: remove_agenda_item(item, actor=secretary.user, withdraw_approval=flag),
    ):
        with pytest.raises(Conflict, match="withdraws the approval"):
            change(False)
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Тема", memo_ru="Справка"
    )
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="withdraws the approval"):
        accept_proposal(proposal, meeting=three, actor=secretary.user, decider=secretary)
    # nothing changed, nothing recorded
    assert _agenda(three) == [(1, "Первый"), (2, "Второй"), (3, "Третий")]
    assert AuditEvent.objects.count() == events
    three.refresh_from_db()
    assert three.agenda_approved_at is not None
    move_agenda_item(item, actor=secretary.user, direction="up", withdraw_approval=True)
    three.refresh_from_db()
    assert three.agenda_approved_at is None
    assert _agenda(three) == [(1, "Второй"), (2, "Первый"), (3, "Третий")]
    assert AuditEvent.objects.filter(action="agenda.approval_withdrawn").count() == 1


def test_a_date_change_does_not_send_a_draft_agenda(three, secretary, chair):
    approve_agenda(three, actor=chair.user)
    change_agenda_item(
        _item(three, 1), actor=secretary.user, title_ru="Черновой вопрос", withdraw_approval=True
    )
    sent_before = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first()
    update_meeting(three, actor=secretary.user, changes={"starts_at": three.starts_at + timedelta(days=1)})
    sent = list(OutboxMessage.objects.filter(id__gt=sent_before))
    assert sent, "the invited are told of the new date"
    for message in sent:  # in each recipient's language: the draft's title is in none of them
        assert "Черновой вопрос" not in message.text
        assert "Первый" not in message.text
    assert all(
        "being revised" in m.text or "дорабатывается" in m.text or "пысықталуда" in m.text for m in sent
    )


def test_actions_follow_the_state_of_the_meeting(body, secretary, chair, member, deputy):
    ahead = meeting_in(body, secretary, chair)
    assert meeting_actions(ahead, SECRETARY).add_question and meeting_actions(ahead, SECRETARY).cancel
    assert not meeting_actions(ahead, SECRETARY).approve  # empty agenda; and only the presiding
    assert not meeting_actions(ahead, PLAIN).add_question
    add_agenda_item(ahead, actor=secretary.user, title_ru="Вопрос")
    assert meeting_actions(ahead, CHAIR).approve and not meeting_actions(ahead, SECRETARY).approve
    approve_agenda(ahead, actor=chair.user)
    ahead.refresh_from_db()
    assert not meeting_actions(ahead, SECRETARY).record_decision  # not begun
    held = meeting_in(body, secretary, chair, days=-1)
    item = add_agenda_item(held, actor=secretary.user, title_ru="Вопрос")
    assert not meeting_actions(held, SECRETARY).record_decision  # not approved
    approve_agenda(held, actor=chair.user)
    held.refresh_from_db()
    assert not meeting_actions(held, SECRETARY).record_decision  # no quorum
    record_attendance(
        held,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    actions = meeting_actions(held, SECRETARY)
    assert actions.record_decision and actions.cancel and actions.change
    record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Решение")
    actions = meeting_actions(held, SECRETARY)
    assert (actions.cancel, actions.change, actions.add_question, actions.record_decision) == (
        False,
        False,
        False,
        True,
    )
    with pytest.raises(ValidationError, match="recorded decisions cannot be cancelled"):
        cancel_meeting(held, actor=secretary.user, reason="Ошибка")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        update_meeting(held, actor=secretary.user, changes={"place": "Зал 9"})
    with pytest.raises(ValidationError, match="agenda is closed"):
        add_agenda_item(held, actor=secretary.user, title_ru="Поздний", withdraw_approval=True)
    cancel_meeting(ahead, actor=secretary.user, reason="Перенос")
    ahead.refresh_from_db()
    assert meeting_actions(ahead, CHAIR) == type(meeting_actions(ahead, CHAIR))()


# --- the pages ----------------------------------------------------------------------------------


def test_the_secretary_moves_changes_and_removes_on_a_draft_agenda(client, three, secretary):
    login(client, secretary)
    page = client.get(f"/meetings/{three.pk}/").content.decode()
    second = _item(three, 2)
    assert f"/meetings/{three.pk}/items/{second.pk}/edit/" in page
    assert f'action="/meetings/{three.pk}/items/{second.pk}/move/"' in page  # a plain button, no script
    response = client.post(f"/meetings/{three.pk}/items/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302 and response["Location"] == f"/meetings/{three.pk}/#item-{second.pk}"
    assert _agenda(three) == [(1, "Второй"), (2, "Первый"), (3, "Третий")]
    response = client.post(
        f"/meetings/{three.pk}/items/{second.pk}/edit/", {"title_ru": "Второй вопрос", "title_kk": ""}
    )
    assert response.status_code == 302
    response = client.get(f"/meetings/{three.pk}/items/{second.pk}/remove/")
    assert "questions after it move up" in response.content.decode()
    assert 'name="withdraw_approval"' not in response.content.decode().replace(
        'type="hidden" name="withdraw_approval"', ""
    )
    client.post(f"/meetings/{three.pk}/items/{second.pk}/remove/")
    assert _agenda(three) == [(1, "Первый"), (2, "Третий")]


def test_on_an_approved_agenda_the_page_says_beforehand_that_the_approval_goes(
    client, three, secretary, chair
):
    approve_agenda(three, actor=chair.user)
    login(client, secretary, language="ru")
    item = _item(three, 3)
    page = client.get(f"/meetings/{three.pk}/").content.decode()
    # moves of an approved agenda go through the page that asks for the confirmation
    assert f'href="/meetings/{three.pk}/items/{item.pk}/move/?direction=up"' in page
    confirm = client.get(f"/meetings/{three.pk}/items/{item.pk}/move/?direction=up").content.decode()
    assert 'type="checkbox" name="withdraw_approval"' in confirm
    assert "снимает утверждение" in confirm
    response = client.post(f"/meetings/{three.pk}/items/{item.pk}/move/", {"direction": "up"})
    assert response.status_code == 200
    assert "снимает утверждение" in response.content.decode()
    assert _agenda(three)[2] == (3, "Третий")
    three.refresh_from_db()
    assert three.agenda_approved_at is not None
    response = client.post(
        f"/meetings/{three.pk}/items/{item.pk}/move/", {"direction": "up", "withdraw_approval": "on"}
    )
    assert response.status_code == 302
    assert _agenda(three) == [(1, "Первый"), (2, "Третий"), (3, "Второй")]
    three.refresh_from_db()
    assert three.agenda_approved_at is None
    page = client.get(f"/meetings/{three.pk}/items/{item.pk}/edit/").content.decode()
    assert 'type="hidden" name="withdraw_approval"' in page  # no longer approved: nothing to confirm


def test_a_proposal_onto_an_approved_agenda_asks_for_the_confirmation(
    client, three, secretary, chair, body, member
):
    approve_agenda(three, actor=chair.user)
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Тема", memo_ru="Справка"
    )
    login(client, secretary)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "agenda approved" in page and 'name="withdraw_approval"' in page
    response = client.post(f"/proposals/{proposal.pk}/accept/", {"meeting": three.pk})
    assert response.status_code == 200 and "withdraws the approval" in response.content.decode()
    assert three.items.count() == 3
    response = client.post(
        f"/proposals/{proposal.pk}/accept/", {"meeting": three.pk, "withdraw_approval": "on"}
    )
    assert response.status_code == 302 and three.items.count() == 4


def test_a_held_meeting_with_decisions_offers_no_cancel_no_change_no_new_question(
    client, body, secretary, chair, member, deputy
):
    held = meeting_in(body, secretary, chair, days=-1)
    item = add_agenda_item(held, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(held, actor=chair.user)
    record_attendance(
        held,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Решение")
    login(client, secretary)
    page = client.get(f"/meetings/{held.pk}/").content.decode()
    assert f"/meetings/{held.pk}/cancel/" not in page
    assert f"/meetings/{held.pk}/edit/" not in page
    assert f"/meetings/{held.pk}/items/new/" not in page
    assert f"/items/{item.pk}/remove/" not in page
    assert f"/meetings/{held.pk}/items/{item.pk}/decision/" in page
    # typed addresses are turned back before anything is typed, with the reason
    response = client.get(f"/meetings/{held.pk}/cancel/", follow=True)
    assert "A meeting with recorded decisions cannot be cancelled." in response.content.decode()


def test_a_meeting_ahead_offers_no_decision_until_it_begins(client, three, secretary, chair):
    approve_agenda(three, actor=chair.user)
    login(client, secretary)
    page = client.get(f"/meetings/{three.pk}/").content.decode()
    assert "/decision/" not in page
    assert f"/meetings/{three.pk}/cancel/" in page


# --- the small things of point 8 ----------------------------------------------------------------


def test_the_proposer_of_an_extraordinary_meeting_is_a_police_unit(
    client, body, secretary, chair, police_unit, bar_unit
):
    login(client, secretary)
    page = client.get(f"/bodies/{body.pk}/meetings/new/").content.decode()
    assert police_unit.name_ru in page or police_unit.name_kk in page or "Следственное" in page
    assert bar_unit.name_ru not in page
    with pytest.raises(ValidationError, match="Choose a police unit"):
        meeting_in(
            body,
            secretary,
            chair,
            kind="extraordinary",
            initiator_kind="police_unit_head",
            initiator_unit=bar_unit,
            decided_by=chair,
        )


@pytest.mark.parametrize(
    ("language", "badge", "column"),
    [("ru", "внесено после проведения", "ФИО"), ("kk", "өткізілгеннен кейін енгізілген", "Аты-жөні")],
)
def test_the_retrospective_badge_and_the_name_column_read_as_facts(
    client, body, secretary, chair, language, badge, column
):
    held = meeting_in(body, secretary, chair, days=-3)
    add_agenda_item(held, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(held, actor=chair.user)
    login(client, secretary, language=language)
    page = client.get(f"/meetings/{held.pk}/").content.decode()
    assert badge in page
    assert f'<th scope="col">{column}</th>' in page
    assert badge in client.get(f"/bodies/{body.pk}/meetings/").content.decode()


def test_leaders_are_listed_chair_deputy_secretary(client, body, secretary, chair, deputy, member):
    login(client, member)
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    assert page.index(chair.full_name) < page.index(deputy.full_name) < page.index(secretary.full_name)


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("ru", ("ru", "О доступе"), ("kk", "Қолжетімділік туралы")),
        ("kk", ("kk", "Қолжетімділік туралы"), ("ru", "О доступе")),
    ],
)
def test_a_question_reads_in_the_readers_language_first(
    client, body, secretary, chair, language, first, second
):
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="О доступе", title_kk="Қолжетімділік туралы")
    login(client, secretary, language=language)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    bold = f'<strong lang="{first[0]}">{first[1]}</strong><br><span class="muted" lang="{second[0]}">{second[1]}</span>'
    assert bold in page


def test_positions_and_organisations_read_in_kazakh_on_kazakh_pages(
    client, body, admin_user, secretary, chair
):
    from alqa.documents.print_pack import render_print_pack
    from alqa.domain.bodies import add_guest
    from alqa.domain.members import update_member

    update_member(chair, actor=admin_user, changes={"position": "Начальник ДП", "position_kk": "ПД бастығы"})
    add_guest(
        body=body,
        actor=admin_user,
        full_name="Эксперт",
        organisation="Фонд правовой помощи",
        organisation_kk="Құқықтық көмек қоры",
        position="Юрист",
        position_kk="Заңгер",
    )
    login(client, secretary, language="kk")
    register = client.get(f"/bodies/{body.pk}/members/").content.decode()
    assert "ПД бастығы" in register and "Начальник ДП" not in register
    guests = client.get(f"/bodies/{body.pk}/participants/").content.decode()
    assert "Құқықтық көмек қоры" in guests and "Заңгер" in guests and "Фонд правовой" not in guests
    login(client, secretary, language="ru")
    assert "Начальник ДП" in client.get(f"/bodies/{body.pk}/members/").content.decode()
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(render_print_pack(meeting, language="kk"))).pages[0].extract_text()
    assert "ПД бастығы" in text


def test_a_removed_proposal_waits_for_a_decision_again(three, secretary, body, member):
    from alqa.enums import ProposalStatus

    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Тема", memo_ru="Справка"
    )
    item = accept_proposal(proposal, meeting=three, actor=secretary.user, decider=secretary)
    remove_agenda_item(item, actor=secretary.user)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decided_at) == (
        ProposalStatus.SUBMITTED,
        None,
        None,
    )
    assert AuditEvent.objects.filter(action="proposal.back_in_queue", object_id=str(proposal.pk)).count() == 1
    # and may be accepted again
    accept_proposal(proposal, meeting=three, actor=secretary.user, decider=secretary)
    assert _agenda(three)[-1] == (4, "Тема")
