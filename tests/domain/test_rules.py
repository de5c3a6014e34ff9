"""Rules of the regulation kept by the domain, each on both sides of its boundary:
leaders' sides (3.1), decisions only on an approved agenda (3.2), the ground of an online meeting
(3.3/3.4), bar-side appointments by a resolution of the Presidium (1.3)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from alqa.domain.bodies import update_policy
from alqa.domain.meetings import (
    AttendanceRow,
    add_agenda_item,
    approve_agenda,
    record_attendance,
    record_decision,
    schedule_meeting,
    update_meeting,
)
from alqa.domain.members import add_member, update_member
from alqa.enums import AppointmentBasis, Role, Side
from alqa.models import AuditEvent, Decision, Meeting, Member, OutboxMessage
from tests.conftest import PRESIDIUM_BASIS, make_member

ALMATY = ZoneInfo("Asia/Almaty")
CHAIR_SIDE = "Under clause 3.1 the chair is on the police side: the deputy head of the Police Department."
DEPUTY_SIDE = "Under clause 3.1 the deputy chair is on the bar side: the deputy chair of the Bar."
BAR_BASIS = (
    "A bar-side member is appointed by a resolution of the Bar's Presidium (clause 1.3): "
    "choose it and give its number and date."
)
ONLINE_GROUND = (
    "Meetings are held in person (clause 3.4). Give the ground for holding this one online: "
    "a case that cannot wait, or quarantine measures (clause 3.3)."
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def said(message: str, language: str, **params) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def new(body, admin_user, **fields):
    """A new member of the body, as the register's form would give it."""
    return add_member(
        body=body,
        actor=admin_user,
        **({"full_name": "Новый Член", "active_from": date(2025, 3, 1)} | fields),
    )


# --- leaders' sides (clause 3.1) --------------------------------------------------------------


def test_a_chair_is_of_the_police_side_and_a_deputy_chair_of_the_bar_side(body, admin_user):
    before = Member.objects.count(), AuditEvent.objects.count()
    assert errors_of(lambda: new(body, admin_user, side=Side.BAR, role=Role.CHAIR, **PRESIDIUM_BASIS)) == {
        "side": [CHAIR_SIDE]
    }
    assert errors_of(lambda: new(body, admin_user, side=Side.POLICE, role=Role.DEPUTY_CHAIR)) == {
        "side": [DEPUTY_SIDE]
    }
    assert (Member.objects.count(), AuditEvent.objects.count()) == before
    chair = new(body, admin_user, side=Side.POLICE, role=Role.CHAIR)
    deputy = new(
        body, admin_user, full_name="Заместитель", side=Side.BAR, role=Role.DEPUTY_CHAIR, **PRESIDIUM_BASIS
    )
    assert (chair.side, deputy.side) == (Side.POLICE, Side.BAR)
    # the secretary and the members may be of either side
    new(body, admin_user, full_name="Секретарь", side=Side.BAR, role=Role.SECRETARY, **PRESIDIUM_BASIS)
    new(body, admin_user, full_name="Член", side=Side.POLICE, role=Role.MEMBER)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_sides_are_refused_in_the_users_language(body, admin_user, language):
    with translation.override(language):
        errors = errors_of(lambda: new(body, admin_user, side=Side.BAR, role=Role.CHAIR, **PRESIDIUM_BASIS))
    assert errors == {"side": [said(CHAIR_SIDE, language)]} and said(CHAIR_SIDE, language) != CHAIR_SIDE


def test_a_change_of_role_or_side_keeps_the_sides_and_changes_nothing(body, admin_user, chair, member):
    assert errors_of(
        lambda: update_member(chair, actor=admin_user, changes={"side": Side.BAR, **PRESIDIUM_BASIS})
    ) == {"side": [CHAIR_SIDE]}
    police = make_member(body, admin_user, email="p@alqa.test")
    assert errors_of(
        lambda: update_member(police, actor=admin_user, changes={"role": Role.DEPUTY_CHAIR})
    ) == {"side": [DEPUTY_SIDE]}
    chair.refresh_from_db()
    police.refresh_from_db()
    assert (chair.side, police.role) == (Side.POLICE, Role.MEMBER)
    assert not AuditEvent.objects.filter(action="member.changed").exists()
    # a bar-side member becomes the deputy chair
    update_member(member, actor=admin_user, changes={"role": Role.DEPUTY_CHAIR})
    assert Member.objects.get(pk=member.pk).role == Role.DEPUTY_CHAIR


def test_a_body_whose_regulation_differs_relaxes_the_sides_and_enforces_them_again(body, admin_user, chair):
    update_policy(body.policy, actor=admin_user, changes={"leaders_sides_enforced": False})
    assert AuditEvent.objects.get(action="policy.changed").data == {"leaders_sides_enforced": [True, False]}
    deputy = new(body, admin_user, full_name="Полицейский Зам", side=Side.POLICE, role=Role.DEPUTY_CHAIR)
    # enforcing again while a leader in office is on the other side would break the rule at once
    errors = errors_of(
        lambda: update_policy(body.policy, actor=admin_user, changes={"leaders_sides_enforced": True})
    )
    assert "Полицейский Зам (Deputy chair)" in errors["leaders_sides_enforced"][0]
    body.policy.refresh_from_db()
    assert body.policy.leaders_sides_enforced is False
    # a leader whose term ends today is still in office; one that ended yesterday is not
    today = timezone.localdate()
    update_member(deputy, actor=admin_user, changes={"active_to": today})
    errors_of(lambda: update_policy(body.policy, actor=admin_user, changes={"leaders_sides_enforced": True}))
    update_member(deputy, actor=admin_user, changes={"active_to": today - timedelta(days=1)})
    update_policy(body.policy, actor=admin_user, changes={"leaders_sides_enforced": True})
    assert body.policy.leaders_sides_enforced is True
    assert errors_of(lambda: new(body, admin_user, side=Side.POLICE, role=Role.DEPUTY_CHAIR)) == {
        "side": [DEPUTY_SIDE]
    }


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_leader_recorded_before_the_rule_is_edited_without_changing_the_side(body, admin_user):
    update_policy(body.policy, actor=admin_user, changes={"leaders_sides_enforced": False})
    deputy = new(body, admin_user, side=Side.POLICE, role=Role.DEPUTY_CHAIR)
    body.policy.leaders_sides_enforced = True  # as a body that had such a leader before the rule
    body.policy.save(update_fields=["leaders_sides_enforced"])
    update_member(deputy, actor=admin_user, changes={"phone": "+7 701 000 00 00"})
    assert Member.objects.get(pk=deputy.pk).phone == "+7 701 000 00 00"
    # nor does it stop other changes of the policy: only turning the rule on checks the register
    update_policy(body.policy, actor=admin_user, changes={"meeting_interval_months": 3})
    assert body.policy.meeting_interval_months == 3
    assert errors_of(
        lambda: update_member(
            deputy, actor=admin_user, changes={"role": Role.CHAIR, "side": Side.BAR, **PRESIDIUM_BASIS}
        )
    ) == {"side": [CHAIR_SIDE]}


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_body_without_a_stored_policy_keeps_the_regulations_sides(admin_user):
    from alqa.models import Body

    bare = Body.objects.create(name_ru="Группа без политики", city="Астана")
    assert errors_of(lambda: new(bare, admin_user, side=Side.BAR, role=Role.CHAIR, **PRESIDIUM_BASIS)) == {
        "side": [CHAIR_SIDE]
    }


# --- bar-side appointments (clause 1.3) -------------------------------------------------------


def test_a_new_bar_side_member_needs_the_presidiums_resolution(body, admin_user):
    before = Member.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()
    assert errors_of(lambda: new(body, admin_user, side=Side.BAR, email="b@alqa.test")) == {
        "basis_kind": [BAR_BASIS],
        "basis_number": ["Give the number of the appointing document."],
        "basis_date": ["Give the date of the appointing document."],
    }
    order = {"basis_kind": AppointmentBasis.ORDER, "basis_number": "7", "basis_date": date(2025, 2, 1)}
    assert errors_of(lambda: new(body, admin_user, side=Side.BAR, **order)) == {"basis_kind": [BAR_BASIS]}
    no_date = PRESIDIUM_BASIS | {"basis_date": None}
    assert errors_of(lambda: new(body, admin_user, side=Side.BAR, **no_date)) == {
        "basis_date": ["Give the date of the appointing document."]
    }
    no_number = PRESIDIUM_BASIS | {"basis_number": ""}
    assert errors_of(lambda: new(body, admin_user, side=Side.BAR, **no_number)) == {
        "basis_number": ["Give the number of the appointing document."]
    }
    assert (Member.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()) == before
    stored = new(body, admin_user, side=Side.BAR, **PRESIDIUM_BASIS)
    assert (stored.basis_kind, stored.basis_number, stored.basis_date) == (
        "presidium_resolution",
        "12",
        date(2024, 12, 20),
    )
    assert AuditEvent.objects.get(action="member.added").data["basis_kind"] == "presidium_resolution"


def test_the_appointing_document_is_dated_today_at_the_latest(body, admin_user):
    today = timezone.localdate()
    future = PRESIDIUM_BASIS | {"basis_date": today + timedelta(days=1)}
    assert errors_of(lambda: new(body, admin_user, side=Side.BAR, **future)) == {
        "basis_date": ["The appointing document cannot be dated in the future."]
    }
    order = {
        "basis_kind": AppointmentBasis.ORDER,
        "basis_number": "7",
        "basis_date": today + timedelta(days=1),
    }
    assert errors_of(lambda: new(body, admin_user, side=Side.POLICE, **order)) == {
        "basis_date": ["The appointing document cannot be dated in the future."]
    }
    assert (
        new(body, admin_user, side=Side.BAR, **(PRESIDIUM_BASIS | {"basis_date": today})).basis_date == today
    )


def test_a_police_side_member_has_an_order_or_nothing_but_no_presidium_resolution(body, admin_user):
    assert new(body, admin_user, full_name="Без основания", side=Side.POLICE).basis_kind == ""
    order = new(
        body, admin_user, full_name="По приказу", side=Side.POLICE, basis_kind="order", basis_number="245"
    )
    assert (order.basis_kind, order.basis_date) == ("order", None)
    assert errors_of(lambda: new(body, admin_user, side=Side.POLICE, **PRESIDIUM_BASIS)) == {
        "basis_kind": [
            "The Bar's Presidium appoints bar-side members only: for a police-side member choose an order "
            "or another document."
        ]
    }
    assert errors_of(lambda: new(body, admin_user, side=Side.POLICE, basis_number="245")) == {
        "basis_kind": ["Choose the kind of the appointing document."]
    }


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_bar_side_member_recorded_before_the_rule_keeps_working(body, admin_user):
    legacy = Member.objects.create(
        body=body, full_name="Старый Адвокат", side=Side.BAR, active_from=date(2024, 1, 1)
    )
    update_member(legacy, actor=admin_user, changes={"position": "адвокат", "phone": "123"})
    assert Member.objects.get(pk=legacy.pk).position == "адвокат"
    # a change of the basis must give the whole resolution
    assert errors_of(lambda: update_member(legacy, actor=admin_user, changes={"basis_number": "5"})) == {
        "basis_kind": [BAR_BASIS],
        "basis_date": ["Give the date of the appointing document."],
    }
    update_member(legacy, actor=admin_user, changes=dict(PRESIDIUM_BASIS))
    assert Member.objects.get(pk=legacy.pk).basis_kind == "presidium_resolution"


def test_a_police_side_member_moved_to_the_bar_side_is_a_new_bar_side_appointment(body, admin_user):
    police = make_member(body, admin_user, email="p@alqa.test")
    assert set(errors_of(lambda: update_member(police, actor=admin_user, changes={"side": Side.BAR}))) == {
        "basis_kind",
        "basis_number",
        "basis_date",
    }
    assert Member.objects.get(pk=police.pk).side == Side.POLICE
    update_member(police, actor=admin_user, changes={"side": Side.BAR, **PRESIDIUM_BASIS})
    assert Member.objects.get(pk=police.pk).side == Side.BAR


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_basis_is_asked_for_in_the_users_language(body, admin_user, language):
    with translation.override(language):
        errors = errors_of(lambda: new(body, admin_user, side=Side.BAR))
    assert errors["basis_kind"] == [said(BAR_BASIS, language)] and said(BAR_BASIS, language) != BAR_BASIS


# --- decisions only on an approved agenda (clause 3.2) ----------------------------------------


@pytest.fixture
def held(body, chair, secretary, member, deputy):
    """A meeting yesterday with one question and everyone present; its agenda not yet approved."""
    day = timezone.localdate() - timedelta(days=1)
    meeting = schedule_meeting(
        body=body,
        actor=secretary.user,
        kind="regular",
        format="in_person",
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=ALMATY),
        place="Зал 3",
        presiding=chair,
        retrospective=True,
    )
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Доступ в ИВС")
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    return meeting, item


def test_no_decision_on_an_agenda_never_approved(held, secretary, chair):
    meeting, item = held
    before = Decision.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Решение")
    assert caught.value.code == "agenda_not_approved"
    assert caught.value.messages == [
        "The agenda is not approved: decisions are recorded only on an agenda approved by the presiding "
        "person, Серикбаев Арман (clause 3.2)."
    ]
    assert (Decision.objects.count(), AuditEvent.objects.count()) == before
    approve_agenda(meeting, actor=chair.user)
    assert record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Решение").number == 1


def test_no_decision_after_the_approval_was_withdrawn_until_approved_again(held, secretary, chair):
    meeting, item = held
    approve_agenda(meeting, actor=chair.user)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Второй вопрос", withdraw_approval=True)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Решение")
    assert caught.value.messages == [
        "The agenda has changed since it was approved: the presiding person, Серикбаев Арман, must approve "
        "it again before decisions are recorded (clause 3.2)."
    ]
    assert not Decision.objects.exists()
    approve_agenda(meeting, actor=chair.user)
    record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Решение")
    assert Decision.objects.count() == 1


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_refusal_names_who_must_approve_in_the_users_language(held, secretary, language):
    meeting, item = held
    message = (
        "The agenda is not approved: decisions are recorded only on an agenda approved by the presiding "
        "person, %(name)s (clause 3.2)."
    )
    with translation.override(language), pytest.raises(ValidationError) as caught:
        record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Решение")
    expected = said(message, language, name="Серикбаев Арман")
    assert caught.value.messages == [expected] and "Серикбаев Арман" in expected and expected != message


# --- online meetings need their ground (clauses 3.3, 3.4) -------------------------------------


def _online(body, secretary, chair, **fields):
    return schedule_meeting(
        body=body,
        actor=secretary.user,
        **(
            {
                "kind": "regular",
                "format": "online",
                "starts_at": timezone.now() + timedelta(days=7),
                "conference_url": "https://meet.example.kz/room",
                "presiding": chair,
            }
            | fields
        ),
    )


def test_an_online_meeting_states_its_ground(body, chair, secretary):
    assert errors_of(lambda: _online(body, secretary, chair)) == {"online_ground": [ONLINE_GROUND]}
    assert errors_of(lambda: _online(body, secretary, chair, online_ground="convenience")) == {
        "online_ground": ["Choose one of the grounds: a case that cannot wait, or quarantine measures."]
    }
    assert errors_of(
        lambda: _online(body, secretary, chair, online_ground="urgent", online_ground_note="я" * 501)
    ) == {"online_ground_note": ["Enter at most 500 characters."]}
    assert not Meeting.objects.exists()
    meeting = _online(
        body, secretary, chair, online_ground="urgent", online_ground_note="  " + "я" * 500 + " "
    )
    meeting.refresh_from_db()
    assert (meeting.online_ground, meeting.online_ground_note) == ("urgent", "я" * 500)
    event = AuditEvent.objects.get(action="meeting.scheduled")
    assert event.data["online_ground"] == "urgent"


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_an_in_person_meeting_has_no_ground(body, chair, secretary):
    meeting = schedule_meeting(
        body=body,
        actor=secretary.user,
        kind="regular",
        format="in_person",
        starts_at=timezone.now() + timedelta(days=7),
        place="Зал",
        presiding=chair,
        online_ground="quarantine",
        online_ground_note="left in the form",
    )
    meeting.refresh_from_db()
    assert (meeting.online_ground, meeting.online_ground_note) == ("", "")
    update_meeting(
        meeting,
        actor=secretary.user,
        changes={
            "format": "online",
            "conference_url": "https://meet.example.kz/r",
            "online_ground": "quarantine",
        },
    )
    assert Meeting.objects.get(pk=meeting.pk).online_ground == "quarantine"
    update_meeting(meeting, actor=secretary.user, changes={"format": "in_person"})
    meeting.refresh_from_db()
    assert (meeting.format, meeting.online_ground, meeting.online_ground_note) == ("in_person", "", "")
    # the database itself refuses a ground on an in-person meeting
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(online_ground="urgent")


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_an_online_meeting_recorded_before_the_rule_states_its_ground_when_changed(body, chair, secretary):
    meeting = _online(body, secretary, chair, online_ground="urgent")
    Meeting.objects.filter(pk=meeting.pk).update(online_ground="")  # as a meeting stored before the rule
    meeting.refresh_from_db()
    assert errors_of(
        lambda: update_meeting(meeting, actor=secretary.user, changes={"duration_minutes": 90})
    ) == {"online_ground": [ONLINE_GROUND]}
    assert Meeting.objects.get(pk=meeting.pk).duration_minutes == 120


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("ru", "Основание для онлайн-заседания (п. 3.3): Карантинные меры — Приказ № 5"),
        ("kk", "Отырысты онлайн өткізу негізі (3.3-тармақ): Карантиндік шаралар — Приказ № 5"),
        ("en", "Ground for meeting online (clause 3.3): Quarantine measures — Приказ № 5"),
    ],
)
def test_the_invitation_says_the_ground_in_the_readers_language(
    body, admin_user, chair, secretary, language, line
):
    reader = make_member(body, admin_user, email="reader@alqa.test", language=language, name="Читатель")
    meeting = _online(body, secretary, chair, online_ground="quarantine", online_ground_note="Приказ № 5")
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(meeting, actor=chair.user)
    (mail,) = [m for m in OutboxMessage.objects.filter(to=reader.email) if m.attachments]  # with its .ics
    assert line in mail.text and "https://meet.example.kz/room" in mail.text
