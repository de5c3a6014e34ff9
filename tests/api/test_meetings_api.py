"""Proposals, meetings, agenda, invitations, attendance, quorum and decisions through the API:
what is stored, what the caller sees, who may, and every bad input of the issue."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from alqa.domain.bodies import add_guest, update_policy
from alqa.domain.meetings import add_agenda_item, approve_agenda, schedule_meeting
from alqa.domain.proposals import submit_proposal
from alqa.enums import MeetingStatus, ProposalStatus, QuorumRule, Role, Side
from alqa.models import (
    AgendaItem,
    Assignment,
    Attachment,
    Attendance,
    AuditEvent,
    Decision,
    Invitation,
    Meeting,
    OutboxMessage,
    Proposal,
)
from tests.api.conftest import API, Api, error_fields, token_for, translated
from tests.conftest import make_member
from tests.helpers import schedule

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)
# Monday 9 March 2026, 10:00 in Almaty (the day is a transferred holiday: 8 March fell on a Sunday)
STARTS = datetime(2026, 3, 9, 10, 0, tzinfo=ALMATY)
HELD = STARTS + timedelta(hours=1)
FORBIDDEN = "You do not have permission to do this."
NOT_PRESIDING = "Only the presiding person approves the agenda."
PDF = b"%PDF-1.4 memo"


@pytest.fixture(autouse=True)
def clock():
    """Every test runs on Monday 2 March 2026, a week before the meeting."""
    with time_machine.travel(NOW):
        yield


@pytest.fixture
def group(body, admin_user, chair, secretary, deputy, member):
    """Police: the chair, the secretary and two more (4). Bar: a member, the deputy chair (of the
    bar side, clause 3.1) and one more (3)."""
    police = [
        chair,
        secretary,
        make_member(body, admin_user, email="p1@alqa.test", name="Сидоров Ильяс"),
        make_member(body, admin_user, email="p0@alqa.test", name="Петров Олег"),
    ]
    bar = [
        member,
        deputy,
        make_member(body, admin_user, email="b0@alqa.test", side=Side.BAR, name="Адвокат 0"),
    ]
    return {"police": police, "bar": bar}


def meeting_fields(presiding, **extra) -> dict:
    return {
        "kind": "regular",
        "format": "in_person",
        "starts_at": STARTS.isoformat(),
        "place": "ДП г. Алматы, зал 3",
        "presiding_member_id": presiding.id,
    } | extra


def new_meeting(body, secretary, chair, **extra) -> Meeting:
    """A meeting at STARTS in "Зал 3" (tests.helpers.schedule)."""
    fields = {"presiding": chair, "starts_at": STARTS, "place": "Зал 3"} | extra
    return schedule(body, actor=secretary.user, **fields)


def put(api: Api, path: str, data, *, raw: bool = False):
    return api.client.put(
        API + path,
        data=data if raw else json.dumps(data),
        content_type="application/json",
        **api._headers(None, None),
    )


def post_files(api: Api, path: str, data: dict):
    """multipart/form-data, as a browser form or `curl -F` sends it."""
    return api.client.post(API + path, data=data, **api._headers(None, None))


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Proposal,
            Attachment,
            Meeting,
            AgendaItem,
            Invitation,
            Attendance,
            Decision,
            Assignment,
            AuditEvent,
            OutboxMessage,
        )
    }


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def last_mail_id() -> int:
    return OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0


def ics_of(mail: OutboxMessage) -> Calendar:
    (part,) = mail.attachments
    assert part["filename"] == "meeting.ics" and part["content_type"].startswith("text/calendar")
    return Calendar.from_ical(base64.b64decode(part["content"]))


# --- the whole path ---------------------------------------------------------------------------------------


def test_the_whole_path_from_a_proposal_to_a_decision_with_executors(
    group, body, chair, secretary, member, admin_user, as_user
):
    member_api, secretary_api, chair_api = as_user(member.user), as_user(secretary.user), as_user(chair.user)

    # a bar member submits a proposal with its memo as a file
    response = post_files(
        member_api,
        f"/bodies/{body.id}/proposals",
        {
            "title_ru": "О доступе адвокатов в ИВС",
            "memo_ru": "Справка-обоснование",
            "files": [SimpleUploadedFile("memo.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get(pk=response.json()["id"])
    assert (proposal.author, proposal.status, proposal.title_ru) == (
        member,
        ProposalStatus.SUBMITTED,
        "О доступе адвокатов в ИВС",
    )
    (stored,) = proposal.attachments.all()
    assert stored.file.read() == PDF
    assert response.json()["files"] == [
        {
            "id": stored.id,
            "name": "memo.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": stored.sha256,
        }
    ]
    assert response.json()["author_member_id"] == member.id and response.json()["status"] == "submitted"
    listed = member_api.get(f"/bodies/{body.id}/proposals").json()
    assert [(p["id"], p["status"]) for p in listed] == [(proposal.id, "submitted")]

    # the secretary schedules the meeting
    response = secretary_api.post(f"/bodies/{body.id}/meetings", meeting_fields(chair))
    assert response.status_code == 201, response.content
    data = response.json()
    meeting = Meeting.objects.get(pk=data["id"])
    assert (meeting.starts_at, meeting.place, meeting.presiding, meeting.created_by) == (
        STARTS,
        "ДП г. Алматы, зал 3",
        chair,
        secretary.user,
    )
    assert data["starts_at"] == "2026-03-09T10:00:00+05:00" and data["status"] == "scheduled"
    assert data["agenda_approved_at"] is None and data["agenda_version"] == 0
    assert [m["id"] for m in member_api.get(f"/bodies/{body.id}/meetings").json()] == [meeting.id]

    # the proposal is accepted onto its agenda: its author speaks, the author is told
    response = secretary_api.post(f"/proposals/{proposal.id}/accept", {"meeting_id": meeting.id})
    assert response.status_code == 200, response.content
    (item,) = meeting.items.all()
    assert (item.proposal, item.speaker, item.kind, item.title_ru) == (
        proposal,
        member,
        "proposal",
        "О доступе адвокатов в ИВС",
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, secretary)
    assert response.json()["status"] == "accepted"
    assert response.json()["agenda_items"] == [{"id": item.id, "meeting_id": meeting.id}]
    assert OutboxMessage.objects.filter(to=member.email, text__contains="О доступе адвокатов в ИВС").exists()

    # an expert is invited before the approval: nothing is sent yet
    expert = add_guest(body=body, actor=secretary.user, full_name="Эксперт Ким", email="expert@alqa.test")
    before = OutboxMessage.objects.count()
    response = secretary_api.post(f"/meetings/{meeting.id}/guests", {"guest_id": expert.id})
    assert response.status_code == 201, response.content
    invitation = Invitation.objects.get(meeting=meeting, guest=expert)
    assert response.json() == {
        "id": invitation.id,
        "meeting_id": meeting.id,
        "member_id": None,
        "guest_id": expert.id,
        "name": "Эксперт Ким",
        "reply": "pending",
        "replied_at": None,
    }
    assert OutboxMessage.objects.count() == before

    # the secretary may not approve the agenda; nothing changes
    before = counts()
    response = secretary_api.post(f"/meetings/{meeting.id}/agenda/approve")
    assert response.status_code == 403
    assert response.json() == {"detail": NOT_PRESIDING}
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None and counts() == before

    # the presiding chair approves: every member and the expert are invited, each with an .ics
    last_mail = last_mail_id()
    response = chair_api.post(f"/meetings/{meeting.id}/agenda/approve")
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert (meeting.agenda_version, meeting.agenda_approved_by) == (1, chair)
    assert response.json()["agenda_version"] == 1 and response.json()["agenda_approved_at"] is not None
    members = group["police"] + group["bar"]
    assert set(meeting.invitations.values_list("member_id", flat=True)) == {m.id for m in members} | {None}
    invited = {m.email for m in members} | {"expert@alqa.test"}
    mails = OutboxMessage.objects.filter(id__gt=last_mail)
    assert {m.to for m in mails} == invited and len(mails) == len(invited)
    expert_mail = mails.get(to="expert@alqa.test")
    assert "О доступе адвокатов в ИВС" in expert_mail.text and "/invitations/" in expert_mail.text
    calendar = ics_of(expert_mail)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST" and str(event["UID"]) == f"{meeting.uid}@alqa"
    assert event["LOCATION"] == "ДП г. Алматы, зал 3" and event.decoded("DTSTART") == STARTS
    assert "agenda.approved" in actions()

    # the meeting as members read it before it is held
    data = member_api.get(f"/meetings/{meeting.id}").json()
    assert [(i["id"], i["proposal_id"], i["speaker_member_id"]) for i in data["agenda_items"]] == [
        (item.id, proposal.id, member.id)
    ]
    assert {i["guest_id"] or i["member_id"] for i in data["invitations"]} == {m.id for m in members} | {
        expert.id
    }
    assert {i["reply"] for i in data["invitations"]} == {"pending"}
    assert data["quorum"]["met"] is False and data["attendance"] == [] and data["decisions"] == []
    assert data["next_regular_due"] is None  # no meeting held yet

    with time_machine.travel(HELD):
        # attendance: 3 of 4 police, 1 of 3 bar
        rows = [{"member_id": m.id, "present": True} for m in group["police"][:3]] + [
            {"member_id": group["bar"][0].id, "present": True},
            {"member_id": group["bar"][1].id, "present": False},
        ]
        response = put(secretary_api, f"/meetings/{meeting.id}/attendance", rows)
        assert response.status_code == 200, response.content
        assert set(meeting.attendance.values_list("member_id", "present")) == {
            (r["member_id"], r["present"]) for r in rows
        }
        quorum = response.json()["quorum"]
        assert quorum["sides"] == {
            "police": {"present": 3, "total": 4, "required": 3, "met": True},
            "bar": {"present": 1, "total": 3, "required": 2, "met": False},
        }
        assert (quorum["met"], quorum["rule"]) == (False, "each_side_majority")
        data = member_api.get(f"/meetings/{meeting.id}").json()
        assert data["quorum"] == quorum
        # a meeting without a quorum is not a held meeting (clause 3.3): no interval runs from it yet
        assert data["next_regular_due"] is None

        # no quorum: the decision is refused with the arithmetic, nothing is stored
        before = counts()
        response = secretary_api.post(
            f"/meetings/{meeting.id}/decisions", {"agenda_item_id": item.id, "text_ru": "Обеспечить доступ"}
        )
        assert response.status_code == 422
        (error,) = response.json()["detail"]
        assert error["loc"] == ["body"]
        assert error["msg"].startswith("There is no quorum: decisions cannot be recorded.")
        assert "bar: 1 of 3 present, needed 2 — not met" in error["msg"]
        assert counts() == before

        # one more advocate arrives: the quorum is met
        response = put(
            secretary_api,
            f"/meetings/{meeting.id}/attendance",
            [{"member_id": group["bar"][1].id, "present": True}],
        )
        assert response.json()["quorum"]["met"] is True
        assert response.json()["quorum"]["sides"]["bar"] == {
            "present": 2,
            "total": 3,
            "required": 2,
            "met": True,
        }
        assert len(response.json()["attendance"]) == 5
        # now held with its quorum: the next regular meeting is due two months on (the policy)
        assert member_api.get(f"/meetings/{meeting.id}").json()["next_regular_due"] == "2026-05-09"

        response = secretary_api.post(
            f"/meetings/{meeting.id}/decisions",
            {
                "agenda_item_id": item.id,
                "text_ru": "Обеспечить доступ",
                "text_kk": "Қолжетімділікті қамтамасыз ету",
                "executors": [
                    {"name": "Начальник ИВС", "due_working_days": 10},
                    {"member_id": chair.id, "due_date": "2026-04-30"},
                ],
            },
        )
        assert response.status_code == 201, response.content

    decision = Decision.objects.get(pk=response.json()["id"])
    assert (decision.meeting, decision.agenda_item, decision.number, decision.created_by) == (
        meeting,
        item,
        1,
        secretary.user,
    )
    assert decision.quorum["met"] is True and decision.quorum["sides"]["bar"]["present"] == 2
    first, second = decision.assignments.order_by("id")
    # counting starts after 9 March; Nauryz (21–23 March, moved to 23–25) is passed over
    assert (first.executor_name, first.due_date, first.due_working_days) == (
        "Начальник ИВС",
        date(2026, 3, 26),
        10,
    )
    assert (second.executor_member, second.due_date, second.due_working_days) == (
        chair,
        date(2026, 4, 30),
        None,
    )
    answer = response.json()
    assert [(a["executor"], a["due_date"], a["due_working_days"]) for a in answer["assignments"]] == [
        ("Начальник ИВС", "2026-03-26", 10),
        (str(chair), "2026-04-30", None),
    ]
    assert "10 working days after the meeting of March 9, 2026" in answer["assignments"][0]["due_explanation"]

    data = member_api.get(f"/meetings/{meeting.id}").json()
    assert [d["id"] for d in data["decisions"]] == [decision.id]
    assert data["decisions"][0]["assignments"] == answer["assignments"]
    assert actions().count("decision.recorded") == 1
    assert {
        "proposal.submitted",
        "meeting.scheduled",
        "proposal.accepted",
        "agenda.item_added",
        "meeting.guest_invited",
        "agenda.approved",
        "meeting.attendance_recorded",
    } <= set(actions())

    # the calendar file, for a member
    response = member_api.get(f"/meetings/{meeting.id}/ical")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(response.content)["METHOD"] == "REQUEST"


# --- scheduling: bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"starts_at": (NOW - timedelta(days=3)).isoformat()},
            "starts_at",
            "This date is in the past. To record a meeting already held, mark it as entered after the fact.",
        ),
        ({"retrospective": True}, "retrospective", "A meeting entered after the fact must be in the past."),
        ({"format": "online", "place": ""}, "conference_url", "An online meeting needs a conference link."),
        (
            {"format": "online", "conference_url": "   "},
            "conference_url",
            "An online meeting needs a conference link.",
        ),
        ({"place": ""}, "place", "Give the place of an in-person meeting."),
        ({"starts_at": "2026-03-09T10:00:00"}, "starts_at", "Give the time with its time zone."),
        ({"starts_at": "9999-12-31T23:59:00+05:00"}, "starts_at", "Enter a date between 1991 and 2100."),
        ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at", "Enter a date between 1991 and 2100."),
        ({"kind": "extraordinary"}, "initiator_kind", "Record who proposed the extraordinary meeting."),
        (
            {"kind": "extraordinary", "initiator_kind": "police_unit_head"},
            "initiator_unit_id",
            "Name the police unit whose head proposed the meeting.",
        ),
        ({"duration_minutes": 5}, "duration_minutes", "Enter a value of at least 15."),
        ({"kind": "weekly"}, "kind", "Choose one of: 'regular', 'extraordinary'."),
    ],
)
def test_a_meeting_that_breaks_a_rule_is_refused_with_the_reason_and_nothing_is_stored(
    group, body, chair, secretary_api, extra, field, message
):
    before = counts()
    response = secretary_api.post(f"/bodies/{body.id}/meetings", meeting_fields(chair, **extra))
    assert response.status_code == 422, response.content
    assert message in error_fields(response)[field]
    assert counts() == before


def test_the_presiding_person_must_be_entitled(group, body, chair, secretary_api, outsider, deputy):
    cases = [
        (group["police"][3], "presiding_member_id", "Only the chair or a deputy chair may preside."),
        (
            outsider,
            "presiding_member_id",
            "The presiding person must be a member of this body on the day of the meeting.",
        ),
        (
            deputy,
            "delegation_basis",
            "A deputy chair presides on the chair's instruction: record the instruction (clause 3.2).",
        ),
    ]
    before = counts()
    for presiding, field, message in cases:
        response = secretary_api.post(f"/bodies/{body.id}/meetings", meeting_fields(presiding))
        assert response.status_code == 422
        assert error_fields(response) == {field: [message]}
    assert counts() == before
    response = secretary_api.post(
        f"/bodies/{body.id}/meetings", meeting_fields(deputy, delegation_basis="Поручение № 4 от 01.03.2026")
    )
    assert response.status_code == 201
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert (meeting.presiding, meeting.delegated_by) == (deputy, chair)
    assert response.json()["delegated_by_member_id"] == chair.id


def test_an_extraordinary_meeting_records_its_proposer_and_decider(
    group, body, chair, secretary_api, deputy, police_unit, other_body, admin_user
):
    fields = meeting_fields(
        chair,
        kind="extraordinary",
        initiator_kind="police_unit_head",
        initiator_unit_id=police_unit.id,
        decided_by_member_id=deputy.id,
    )
    response = secretary_api.post(f"/bodies/{body.id}/meetings", fields)
    assert error_fields(response) == {
        "chair_consent": ["A deputy chair decides with the chair's consent: confirm it."]
    }
    from alqa.domain.bodies import create_unit

    foreign = create_unit(body=other_body, actor=admin_user, name_ru="Чужой отдел", side=Side.POLICE)
    response = secretary_api.post(f"/bodies/{body.id}/meetings", fields | {"initiator_unit_id": foreign.id})
    assert error_fields(response) == {"initiator_unit_id": ["There is no such unit in this body."]}
    assert not Meeting.objects.exists()

    response = secretary_api.post(f"/bodies/{body.id}/meetings", fields | {"chair_consent": True})
    assert response.status_code == 201
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.initiator_unit, meeting.decided_by, meeting.chair_consent) == (
        "extraordinary",
        police_unit,
        deputy,
        True,
    )
    data = response.json()
    assert (data["initiator_kind"], data["initiator_unit_id"], data["decided_by_member_id"]) == (
        "police_unit_head",
        police_unit.id,
        deputy.id,
    )


def test_a_meeting_already_held_is_entered_after_the_fact_and_sends_nothing(
    group, body, chair, secretary, as_user
):
    response = as_user(secretary.user).post(
        f"/bodies/{body.id}/meetings",
        meeting_fields(chair, starts_at="2026-02-20T15:00:00+05:00", retrospective=True),
    )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.retrospective and response.json()["retrospective"] is True
    assert AuditEvent.objects.filter(
        action="meeting.entered_retrospectively", object_id=str(meeting.id)
    ).exists()
    add_agenda_item(meeting, actor=secretary.user, title_ru="Итоги мониторинга")
    mails = OutboxMessage.objects.count()
    assert as_user(chair.user).post(f"/meetings/{meeting.id}/agenda/approve").status_code == 200
    assert OutboxMessage.objects.count() == mails
    # entered without its attendance it is not yet a held meeting (clause 3.3)
    assert as_user(chair.user).get(f"/meetings/{meeting.id}").json()["next_regular_due"] is None
    rows = [{"member_id": m.id, "present": True} for m in group["police"] + group["bar"]]
    assert put(as_user(secretary.user), f"/meetings/{meeting.id}/attendance", rows).status_code == 200
    # held with its quorum on 20 February, it sets the next regular date
    assert as_user(chair.user).get(f"/meetings/{meeting.id}").json()["next_regular_due"] == "2026-04-20"


def test_a_member_who_does_not_manage_the_body_cannot_schedule(group, body, chair, member_api):
    response = member_api.post(f"/bodies/{body.id}/meetings", meeting_fields(chair))
    assert response.status_code == 403
    assert response.json() == {"detail": FORBIDDEN}
    assert not Meeting.objects.exists()


# --- changing and cancelling ------------------------------------------------------------------------------


def test_a_change_of_place_after_the_invitations_updates_every_calendar(
    group, body, chair, secretary, secretary_api
):
    meeting = new_meeting(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    from alqa.domain.meetings import approve_agenda

    approve_agenda(meeting, actor=chair.user)
    last = last_mail_id()
    response = secretary_api.patch(f"/meetings/{meeting.id}", {"place": "Зал 5", "duration_minutes": 90})
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert (meeting.place, meeting.duration_minutes, meeting.ical_sequence) == ("Зал 5", 90, 1)
    assert (response.json()["place"], response.json()["ical_sequence"]) == ("Зал 5", 1)
    updates = OutboxMessage.objects.filter(id__gt=last)
    assert updates.count() == 7
    event = ics_of(updates.get(to=chair.email)).walk("VEVENT")[0]
    assert (event["LOCATION"], event["SEQUENCE"]) == ("Зал 5", 1)
    changed = AuditEvent.objects.get(action="meeting.changed")
    assert changed.data == {"place": ["Зал 3", "Зал 5"], "duration_minutes": [120, 90]}


@pytest.mark.parametrize(
    ("patch", "field", "message"),
    [
        ({"presiding_member_id": None}, "presiding_member_id", "This field cannot be empty."),
        ({"starts_at": None}, "starts_at", "This field cannot be empty."),
        ({"format": "online"}, "conference_url", "An online meeting needs a conference link."),
        ({"starts_at": "2026-03-10T10:00:00"}, "starts_at", "Give the time with its time zone."),
        ({"place": "   "}, "place", "Give the place of an in-person meeting."),
    ],
)
def test_a_bad_change_is_refused_and_the_meeting_stays_as_it_was(
    group, body, chair, secretary, secretary_api, patch, field, message
):
    meeting = new_meeting(body, secretary, chair)
    before = counts()
    response = secretary_api.patch(f"/meetings/{meeting.id}", patch)
    assert response.status_code == 422
    assert message in error_fields(response)[field]
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place, meeting.format, meeting.presiding) == (
        STARTS,
        "Зал 3",
        "in_person",
        chair,
    )
    assert counts() == before


def test_a_cancelled_meeting_answers_its_calendar_file_with_method_cancel(
    group, body, chair, secretary, member, secretary_api, member_api
):
    meeting = new_meeting(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    from alqa.domain.meetings import approve_agenda

    approve_agenda(meeting, actor=chair.user)
    response = secretary_api.post(f"/meetings/{meeting.id}/cancel", {"reason": "  "})
    assert error_fields(response) == {"reason": ["Give the reason for the cancellation."]}
    last = last_mail_id()
    response = secretary_api.post(f"/meetings/{meeting.id}/cancel", {"reason": "Карантин"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.ical_sequence) == (MeetingStatus.CANCELLED, 1)
    assert AuditEvent.objects.get(action="meeting.cancelled").data == {"reason": "Карантин"}
    cancellation = ics_of(OutboxMessage.objects.filter(id__gt=last).get(to=member.email))
    assert cancellation["METHOD"] == "CANCEL"

    # the .ics of a cancelled meeting is not refused: METHOD:CANCEL is what removes it from a calendar
    response = member_api.get(f"/meetings/{meeting.id}/ical")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert (calendar["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
    assert str(event["UID"]) == f"{meeting.uid}@alqa"

    # and nothing more happens to it
    before = counts()
    for method, path, data in [
        ("post", "cancel", {"reason": "Ещё раз"}),
        ("patch", "", {"place": "Зал 7"}),
        ("post", "agenda-items", {"title_ru": "Ещё вопрос"}),
    ]:
        response = getattr(secretary_api, method)(f"/meetings/{meeting.id}/{path}".rstrip("/"), data)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["detail"][0]["msg"] in {
            "The meeting is already cancelled.",
            "A cancelled meeting cannot be changed.",
            "The meeting is cancelled.",
        }
    response = put(
        secretary_api, f"/meetings/{meeting.id}/attendance", [{"member_id": chair.id, "present": True}]
    )
    assert error_fields(response) == {"body": ["The meeting is cancelled."]}
    assert counts() == before


# --- agenda -----------------------------------------------------------------------------------------------


def test_questions_are_added_and_a_change_after_approval_needs_a_new_approval(
    group, body, chair, secretary, secretary_api, chair_api, member
):
    meeting = new_meeting(body, secretary, chair)
    response = secretary_api.post(
        f"/meetings/{meeting.id}/agenda-items",
        {
            "title_ru": "Отчёт по пункту 4 плана",
            "title_kk": "Жоспардың 4-тармағы",
            "kind": "plan_report",
            "plan_item_ref": "4",
            "speaker_member_id": member.id,
        },
    )
    assert response.status_code == 201, response.content
    item = AgendaItem.objects.get(pk=response.json()["id"])
    assert (item.meeting, item.kind, item.order, item.speaker, item.plan_item_ref) == (
        meeting,
        "plan_report",
        1,
        member,
        "4",
    )
    assert response.json() == {
        "id": item.id,
        "meeting_id": meeting.id,
        "order": 1,
        "kind": "plan_report",
        "title_ru": "Отчёт по пункту 4 плана",
        "title_kk": "Жоспардың 4-тармағы",
        "speaker_member_id": member.id,
        "proposal_id": None,
        "plan_item_ref": "4",
        "remark_on_decision_id": None,
        "plan_item_id": None,
    }
    assert chair_api.post(f"/meetings/{meeting.id}/agenda/approve").status_code == 200
    response = secretary_api.post(
        f"/meetings/{meeting.id}/agenda-items", {"title_kk": "Екінші мәселе", "order": 2}
    )
    assert response.status_code == 409  # the caller says beforehand that the approval goes
    assert "withdraws the approval" in response.json()["detail"]
    assert meeting.items.count() == 1
    response = secretary_api.post(
        f"/meetings/{meeting.id}/agenda-items",
        {"title_kk": "Екінші мәселе", "order": 2, "withdraw_approval": True},
    )
    assert response.status_code == 201
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None
    assert "agenda.approval_withdrawn" in actions()
    response = chair_api.post(f"/meetings/{meeting.id}/agenda/approve")
    assert response.json()["agenda_version"] == 2
    assert [i["title_kk"] for i in response.json()["agenda_items"]] == [
        "Жоспардың 4-тармағы",
        "Екінші мәселе",
    ]
    response = chair_api.post(f"/meetings/{meeting.id}/agenda/approve")
    assert error_fields(response) == {"body": ["The agenda is already approved."]}


def test_bad_questions_are_refused(
    group, body, chair, secretary, secretary_api, outsider, other_body, admin_user
):
    meeting = new_meeting(body, secretary, chair)
    submitted = submit_proposal(
        body=body,
        author=group["bar"][1],
        actor=group["bar"][1].user,
        title_ru="Ещё не принято",
        memo_ru="Справка",
    )
    cases = [
        ({"title_ru": " "}, "title_ru", "Give the question's title in Russian or Kazakh."),
        (
            {"title_ru": "Вопрос", "speaker_member_id": outsider.id},
            "speaker_member_id",
            "The speaker must be a member of this body on the day of the meeting.",
        ),
        (
            {"title_ru": "Вопрос", "proposal_id": submitted.id},
            "proposal_id",
            "Members' proposals come onto the agenda when the proposal is accepted.",
        ),
        (
            {"title_ru": "Вопрос", "proposal_id": 10**6},
            "proposal_id",
            "There is no such proposal in this body.",
        ),
        (
            {"title_ru": "Вопрос", "kind": "proposal"},
            "kind",
            "Members' proposals come onto the agenda when the proposal is accepted.",
        ),
        (
            {"title_ru": "Вопрос", "remark_on_decision_id": 10**6},
            "remark_on_decision_id",
            "There is no such decision in this body.",
        ),
        ({"title_ru": "Вопрос", "order": 0}, "order", "Enter a value of at least 1."),
    ]
    before = counts()
    for data, field, message in cases:
        response = secretary_api.post(f"/meetings/{meeting.id}/agenda-items", data)
        assert response.status_code == 422, data
        assert error_fields(response) == {field: [message]}, data
    assert counts() == before


def test_only_the_presiding_person_approves_the_agenda(
    group, body, chair, secretary, deputy, member, as_user, outsider_api
):
    meeting = new_meeting(body, secretary, chair)
    response = as_user(chair.user).post(f"/meetings/{meeting.id}/agenda/approve")
    assert error_fields(response) == {"body": ["The agenda is empty: add at least one question."]}
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    secretary_api, deputy_api, member_api = (
        as_user(m.user, language="ru") for m in (secretary, deputy, member)
    )
    before = counts()
    for api in (secretary_api, deputy_api):
        response = api.post(f"/meetings/{meeting.id}/agenda/approve")
        assert response.status_code == 403
        assert response.json() == {"detail": translated(NOT_PRESIDING, "ru")}
    response = member_api.post(f"/meetings/{meeting.id}/agenda/approve", language="en")
    assert (response.status_code, response.json()) == (403, {"detail": FORBIDDEN})
    assert outsider_api.post(f"/meetings/{meeting.id}/agenda/approve").status_code == 404
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None and counts() == before

    # a deputy chair presiding on the chair's instruction approves; then the chair may not
    delegated = new_meeting(
        body,
        secretary,
        chair,
        presiding=deputy,
        delegation_basis="Поручение № 7",
        starts_at=STARTS + timedelta(days=1),
    )
    add_agenda_item(delegated, actor=secretary.user, title_ru="Вопрос")
    assert as_user(chair.user).post(f"/meetings/{delegated.id}/agenda/approve").status_code == 403
    assert as_user(deputy.user).post(f"/meetings/{delegated.id}/agenda/approve").status_code == 200
    delegated.refresh_from_db()
    assert delegated.agenda_approved_by == deputy


# --- attendance -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["duplicate", "outsider", "former", "neither", "both", "object", "guest"])
def test_a_bad_attendance_list_is_refused_whole(
    case, group, body, chair, secretary, secretary_api, outsider, admin_user, other_body
):
    meeting = new_meeting(body, secretary, chair)
    good = [{"member_id": chair.id, "present": True}]
    if case == "duplicate":
        rows, fields = (
            good + [{"member_id": chair.id, "present": False}],
            {"body": ["A member appears more than once in the attendance list."]},
        )
    elif case == "outsider":
        rows, fields = (
            good + [{"member_id": outsider.id, "present": True}],
            {"body": [f"Not members of this body on the day of the meeting: {outsider.id}."]},
        )
    elif case == "former":
        gone = make_member(body, admin_user, email="gone@alqa.test", active_to=date(2026, 2, 28))
        rows, fields = (
            good + [{"member_id": gone.id, "present": True}],
            {"body": [f"Not members of this body on the day of the meeting: {gone.id}."]},
        )
    elif case == "neither":
        rows, fields = good + [{"present": True}], {"member_id": ["This field is required."]}
    elif case == "both":
        rows, fields = (
            [{"member_id": chair.id, "guest_id": 1, "present": True}],
            {"member_id": ["This field is required."]},
        )
    elif case == "object":
        rows, fields = (
            {"members": good},
            {"body": ["The request body is not valid JSON of the expected form."]},
        )
    else:
        foreign = add_guest(body=other_body, actor=admin_user, full_name="Чужой эксперт")
        rows, fields = (
            good + [{"guest_id": foreign.id, "present": True}],
            {"body": ["Some participants are not invited participants of this body."]},
        )
    before = counts()
    response = put(secretary_api, f"/meetings/{meeting.id}/attendance", rows)
    assert response.status_code == 422, response.content
    assert error_fields(response) == fields
    assert counts() == before and not meeting.attendance.exists()


def test_attendance_is_updated_row_by_row_and_counts_invited_participants_apart(
    group, body, chair, secretary, secretary_api, member
):
    meeting = new_meeting(body, secretary, chair)
    expert = add_guest(body=body, actor=secretary.user, full_name="Эксперт")
    response = put(
        secretary_api,
        f"/meetings/{meeting.id}/attendance",
        [{"member_id": chair.id, "present": True}, {"guest_id": expert.id, "present": True}],
    )
    assert response.status_code == 200
    assert response.json()["quorum"]["sides"]["police"]["present"] == 1
    assert response.json()["quorum"]["sides"]["bar"]["present"] == 0
    response = put(
        secretary_api,
        f"/meetings/{meeting.id}/attendance",
        [{"member_id": chair.id, "present": False}, {"member_id": member.id, "present": True}],
    )
    rows = {(a["member_id"], a["guest_id"], a["present"]) for a in response.json()["attendance"]}
    assert rows == {(chair.id, None, False), (member.id, None, True), (None, expert.id, True)}
    assert set(meeting.attendance.values_list("member_id", "guest_id", "present")) == rows
    assert actions().count("meeting.attendance_recorded") == 2


def test_the_quorum_follows_the_bodys_rule(group, body, chair, secretary, secretary_api, admin_user):
    update_policy(
        body.policy, actor=admin_user, changes={"quorum_rule": QuorumRule.OVERALL_MAJORITY_BOTH_SIDES}
    )
    meeting = new_meeting(body, secretary, chair)
    present = group["police"] + group["bar"][:1]  # 5 of 7, one advocate
    response = put(
        secretary_api,
        f"/meetings/{meeting.id}/attendance",
        [{"member_id": m.id, "present": True} for m in present],
    )
    quorum = response.json()["quorum"]
    assert (quorum["rule"], quorum["met"]) == ("overall_majority_both_sides", True)
    assert quorum["overall"] == {"present": 5, "total": 7, "required": 4, "met": True}
    assert quorum["sides"]["bar"] == {"present": 1, "total": 3, "required": 1, "met": True}


# --- decisions --------------------------------------------------------------------------------------------


@pytest.fixture
def held(group, body, chair, secretary):
    """A meeting with one question, its agenda approved, and every member present, an hour
    after it began."""
    meeting = new_meeting(body, secretary, chair)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(meeting, actor=chair.user)
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=m, present=True) for m in group["police"] + group["bar"]
    )
    return meeting, item


def test_a_decision_is_not_recorded_before_the_meeting(held, secretary_api):
    meeting, item = held
    response = secretary_api.post(
        f"/meetings/{meeting.id}/decisions", {"agenda_item_id": item.id, "text_ru": "Да"}
    )
    assert error_fields(response) == {
        "body": ["Decisions are recorded at or after the meeting, not before it."]
    }
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"text_ru": " ", "text_kk": ""},
            "text_ru",
            "Give the wording of the decision in Russian or Kazakh.",
        ),
        (
            {"executors": [{"name": "Начальник"}]},
            0,
            "Give the execution deadline either as a date or as a number of working days.",
        ),
        (
            {"executors": [{"name": "Начальник", "due_date": "2026-04-01", "due_working_days": 3}]},
            0,
            "Give the execution deadline either as a date or as a number of working days.",
        ),
        ({"executors": [{"due_working_days": 3}]}, 0, "Name the executor: a member, a unit or an official."),
        (
            {"executors": [{"name": "Начальник", "due_date": "2026-03-01"}]},
            0,
            "The execution deadline cannot be before the meeting.",
        ),
        (
            {
                "executors": [
                    {"name": "A", "due_date": "2026-04-01"},
                    {"member_id": 10**6, "due_working_days": 2},
                ]
            },
            1,
            "The executor is not a member of this body.",
        ),
        (
            {"executors": [{"unit_id": 10**6, "due_working_days": 2}]},
            0,
            "The unit does not belong to this body.",
        ),
        (
            {"executors": [{"name": "A", "due_working_days": 0}]},
            "due_working_days",
            "Enter a value of at least 1.",
        ),
        ({"agenda_item_id": 10**6}, "agenda_item_id", "This question is not on this meeting's agenda."),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_is_stored(held, secretary_api, data, field, message):
    meeting, item = held
    before = counts()
    with time_machine.travel(HELD):
        response = secretary_api.post(
            f"/meetings/{meeting.id}/decisions", {"agenda_item_id": item.id, "text_ru": "Решение"} | data
        )
    assert response.status_code == 422, response.content
    assert message in error_fields(response)[str(field)]
    assert counts() == before


def test_a_question_of_another_meeting_is_not_decided_here(held, body, chair, secretary, secretary_api):
    meeting, _ = held
    other = new_meeting(body, secretary, chair, starts_at=STARTS + timedelta(days=1))
    foreign_item = add_agenda_item(other, actor=secretary.user, title_ru="Другой вопрос")
    with time_machine.travel(HELD):
        response = secretary_api.post(
            f"/meetings/{meeting.id}/decisions", {"agenda_item_id": foreign_item.id, "text_ru": "Решение"}
        )
    assert error_fields(response) == {"agenda_item_id": ["This question is not on this meeting's agenda."]}


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_working_day_deadline_beyond_the_known_calendar_is_refused(group, body, chair, secretary, as_user):
    with time_machine.travel(datetime(2100, 12, 20, 12, 0, tzinfo=ALMATY)):
        meeting = schedule_meeting(
            body=body,
            actor=secretary.user,
            kind="regular",
            format="in_person",
            starts_at=datetime(2100, 12, 15, 10, 0, tzinfo=ALMATY),
            place="Зал",
            presiding=chair,
            retrospective=True,
        )
        item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
        approve_agenda(meeting, actor=chair.user)
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, member=m, present=True) for m in group["police"] + group["bar"]
        )
        response = as_user(secretary.user).post(
            f"/meetings/{meeting.id}/decisions",
            {
                "agenda_item_id": item.id,
                "text_ru": "Решение",
                "executors": [{"name": "A", "due_working_days": 30}],
            },
        )
    assert response.status_code == 422
    assert error_fields(response) == {
        "0": ["The due date would fall after 2100, beyond the calendar known to the system."]
    }
    assert not Decision.objects.exists()


# --- proposals --------------------------------------------------------------------------------------------


def test_a_member_submits_a_proposal_as_json(group, body, member, member_api):
    response = member_api.post(
        f"/bodies/{body.id}/proposals", {"title_kk": " Ұсыныс ", "memo_kk": "Негіздеме"}
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get()
    assert (proposal.author, proposal.title_kk, proposal.memo_kk, proposal.title_ru) == (
        member,
        "Ұсыныс",
        "Негіздеме",
        "",
    )
    data = response.json()
    assert (data["id"], data["status"], data["files"], data["agenda_items"]) == (
        proposal.id,
        "submitted",
        [],
        [],
    )
    assert member_api.get(f"/proposals/{proposal.id}").json() == data
    assert AuditEvent.objects.filter(action="proposal.submitted", object_id=str(proposal.id)).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title_ru": "", "memo_ru": "Справка"}, "title_ru", "Give the title in Russian or Kazakh."),
        (
            {"title_ru": "Тема", "memo_ru": "  "},
            "memo_ru",
            "Write the justification memo in Russian or Kazakh.",
        ),
        (
            {"title_ru": "Тема", "memo_ru": "Справка", "files": [SimpleUploadedFile("memo.exe", b"MZ")]},
            "files",
            "memo.exe: only PDF, DOCX, PNG and JPEG files are accepted.",
        ),
        (
            {
                "title_ru": "Тема",
                "memo_ru": "Справка",
                "files": [SimpleUploadedFile("memo.pdf", PDF), SimpleUploadedFile("scan.pdf", b"not a pdf")],
            },
            "files",
            "scan.pdf is not the kind of file its extension says.",
        ),
        ({"title_ru": "Т" * 501, "memo_ru": "Справка"}, "title_ru", "Enter at most 500 characters."),
    ],
)
def test_a_bad_proposal_is_refused_with_the_reason(group, body, member_api, data, field, message):
    before = counts()
    response = post_files(member_api, f"/bodies/{body.id}/proposals", data)
    assert response.status_code == 422, response.content
    assert error_fields(response) == {field: [message]}
    assert counts() == before


def test_only_a_member_of_the_body_submits_a_proposal(group, body, admin_api, outsider_api):
    response = admin_api.post(f"/bodies/{body.id}/proposals", {"title_ru": "Тема", "memo_ru": "Справка"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Only a member of this body may submit a proposal."}
    assert (
        outsider_api.post(f"/bodies/{body.id}/proposals", {"title_ru": "Т", "memo_ru": "С"}).status_code
        == 404
    )
    assert not Proposal.objects.exists()


def test_a_proposal_is_returned_with_the_reason_and_decided_once(
    group, body, secretary, secretary_api, member, member_api
):
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Тема", memo_ru="Справка"
    )
    assert member_api.post(f"/proposals/{proposal.id}/return", {"reason": "Нет"}).status_code == 403
    response = secretary_api.post(f"/proposals/{proposal.id}/return", {"reason": "  "})
    assert error_fields(response) == {"reason": ["Give the reason for returning the proposal."]}
    response = secretary_api.post(f"/proposals/{proposal.id}/return", {"reason": "Касается конкретного дела"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["return_reason"]) == (
        "returned",
        "Касается конкретного дела",
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.RETURNED, secretary)
    assert OutboxMessage.objects.filter(to=member.email, text__contains="Касается конкретного дела").exists()
    meeting = new_meeting(body, secretary, secretary.body.members.get(role=Role.CHAIR))
    before = counts()
    response = secretary_api.post(f"/proposals/{proposal.id}/accept", {"meeting_id": meeting.id})
    assert error_fields(response) == {"body": ["This proposal has already been decided."]}
    assert counts() == before
    statuses = {p["id"]: p["status"] for p in member_api.get(f"/bodies/{body.id}/proposals").json()}
    assert statuses == {proposal.id: "returned"}
    assert member_api.get(f"/bodies/{body.id}/proposals", {"status": "submitted"}).json() == []


def test_a_proposal_goes_only_onto_a_meeting_of_its_body(
    group, body, chair, secretary, member, outsider, other_body, admin_api
):
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Тема", memo_ru="Справка"
    )
    foreign = schedule_meeting(
        body=other_body,
        actor=outsider.user,
        kind="regular",
        format="online",
        starts_at=STARTS,
        conference_url="https://meet.example/x",
        online_ground="urgent",
        presiding=make_member(other_body, outsider.user, email="c2@alqa.test", role=Role.CHAIR),
    )
    before = counts()
    # even an installation administrator, who sees both bodies
    response = admin_api.post(f"/proposals/{proposal.id}/accept", {"meeting_id": foreign.id})
    assert error_fields(response) == {"meeting_id": ["There is no such meeting in this body."]}
    assert counts() == before
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


# --- invited participants ---------------------------------------------------------------------------------


def test_an_invited_participant_sees_only_their_meeting(
    group, body, chair, secretary, secretary_api, other_body, admin_user
):
    meeting = new_meeting(body, secretary, chair)
    other = new_meeting(body, secretary, chair, starts_at=STARTS + timedelta(days=2))
    expert = add_guest(body=body, actor=secretary.user, full_name="Эксперт", email="expert@alqa.test")
    foreign = add_guest(body=other_body, actor=admin_user, full_name="Чужой")
    response = secretary_api.post(f"/meetings/{meeting.id}/guests", {"guest_id": foreign.id})
    assert error_fields(response) == {"guest_id": ["There is no such participant in this body."]}
    assert secretary_api.post(f"/meetings/{meeting.id}/guests", {"guest_id": expert.id}).status_code == 201
    response = secretary_api.post(f"/meetings/{meeting.id}/guests", {"guest_id": expert.id})
    assert error_fields(response) == {"guest_id": ["This participant is already invited."]}
    assert Invitation.objects.filter(guest=expert).count() == 1

    expert.refresh_from_db()
    guest_api = Api(token_for(expert.user))
    assert guest_api.get(f"/meetings/{meeting.id}").status_code == 200
    assert guest_api.get(f"/meetings/{meeting.id}/ical").status_code == 200
    assert guest_api.get(f"/meetings/{other.id}").status_code == 404
    assert guest_api.get(f"/meetings/{other.id}/ical").status_code == 404
    assert guest_api.get(f"/bodies/{body.id}/meetings").status_code == 404
    assert guest_api.post(f"/meetings/{meeting.id}/cancel", {"reason": "Хочу"}).status_code == 404


# --- other bodies -----------------------------------------------------------------------------------------


def test_a_member_of_another_body_finds_nothing(group, body, chair, secretary, member, outsider_api):
    meeting = new_meeting(body, secretary, chair)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Тема", memo_ru="Справка"
    )
    guest = add_guest(body=body, actor=secretary.user, full_name="Эксперт")
    before = counts()
    requests = [
        ("get", f"/bodies/{body.id}/proposals", None),
        ("post", f"/bodies/{body.id}/proposals", {"title_ru": "Т", "memo_ru": "С"}),
        ("get", f"/proposals/{proposal.id}", None),
        ("post", f"/proposals/{proposal.id}/accept", {"meeting_id": meeting.id}),
        ("post", f"/proposals/{proposal.id}/return", {"reason": "Нет"}),
        ("get", f"/bodies/{body.id}/meetings", None),
        ("post", f"/bodies/{body.id}/meetings", meeting_fields(chair)),
        ("get", f"/meetings/{meeting.id}", None),
        ("patch", f"/meetings/{meeting.id}", {"place": "Зал 9"}),
        ("post", f"/meetings/{meeting.id}/cancel", {"reason": "Нет"}),
        ("get", f"/meetings/{meeting.id}/ical", None),
        ("put", f"/meetings/{meeting.id}/attendance", [{"member_id": chair.id, "present": True}]),
        ("post", f"/meetings/{meeting.id}/agenda-items", {"title_ru": "Вопрос"}),
        ("post", f"/meetings/{meeting.id}/agenda/approve", {}),
        ("post", f"/meetings/{meeting.id}/decisions", {"agenda_item_id": item.id, "text_ru": "Решение"}),
        ("post", f"/meetings/{meeting.id}/guests", {"guest_id": guest.id}),
    ]
    for method, path, data in requests:
        if method == "get":
            response = outsider_api.get(path)
        elif method == "put":
            response = put(outsider_api, path, data)
        else:
            response = getattr(outsider_api, method)(path, data)
        assert response.status_code == 404, (method, path, response.content)
        assert response.json() == {"detail": "Not found."}
    assert counts() == before


def test_without_a_token_nothing_is_answered(group, body, chair, secretary, anonymous):
    meeting = new_meeting(body, secretary, chair)
    assert anonymous.get(f"/meetings/{meeting.id}").status_code == 401
    assert anonymous.get(f"/meetings/{meeting.id}/ical").status_code == 401
    assert (
        anonymous.post(f"/bodies/{body.id}/proposals", {"title_ru": "Т", "memo_ru": "С"}).status_code == 401
    )


# --- the schema and malformed input -----------------------------------------------------------------------

OPERATIONS = {
    ("post", "/api/v1/bodies/{body_id}/proposals"),
    ("get", "/api/v1/bodies/{body_id}/proposals"),
    ("get", "/api/v1/proposals/{proposal_id}"),
    ("post", "/api/v1/proposals/{proposal_id}/accept"),
    ("post", "/api/v1/proposals/{proposal_id}/return"),
    ("post", "/api/v1/bodies/{body_id}/meetings"),
    ("get", "/api/v1/bodies/{body_id}/meetings"),
    ("get", "/api/v1/meetings/{meeting_id}"),
    ("patch", "/api/v1/meetings/{meeting_id}"),
    ("post", "/api/v1/meetings/{meeting_id}/cancel"),
    ("get", "/api/v1/meetings/{meeting_id}/ical"),
    ("put", "/api/v1/meetings/{meeting_id}/attendance"),
    ("post", "/api/v1/meetings/{meeting_id}/agenda-items"),
    ("post", "/api/v1/meetings/{meeting_id}/agenda/approve"),
    ("post", "/api/v1/meetings/{meeting_id}/decisions"),
    ("post", "/api/v1/meetings/{meeting_id}/guests"),
}


def test_the_openapi_schema_lists_every_operation(db):
    schema = Api().client.get(f"{API}/openapi.json").json()
    listed = {(method, path) for path, methods in schema["paths"].items() for method in methods}
    assert OPERATIONS <= listed
    proposals = schema["paths"]["/api/v1/bodies/{body_id}/proposals"]["post"]["requestBody"]["content"]
    assert set(proposals) == {"application/json", "multipart/form-data"}
    attendance = schema["paths"]["/api/v1/meetings/{meeting_id}/attendance"]["put"]["requestBody"]["content"]
    assert attendance["application/json"]["schema"]["type"] == "array"
    meeting = schema["components"]["schemas"]["MeetingOut"]["properties"]
    assert {
        "quorum",
        "next_regular_due",
        "agenda_items",
        "attendance",
        "decisions",
        "invitations",
        "agenda_approved_at",
        "agenda_version",
        "status",
    } <= set(meeting)
    assert (
        "text/calendar"
        in schema["paths"]["/api/v1/meetings/{meeting_id}/ical"]["get"]["responses"]["200"]["content"]
    )


BAD_VALUES = [
    "x",
    "",
    "   ",
    -1,
    0,
    10**30,
    -(10**30),
    1.5,
    "2025-02-30",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-12:00",
    "2026-03-09T10:00:00",
    [],
    {},
    None,
    True,
    "a" * 5000,
    "nul\x00byte",
    "🙂",
    "javascript:alert(1)",
]
BAD_PATH_VALUES = ["abc", "-1", "0", "1.5", str(10**30), "%2F..%2F", "🙂"]
RAW_BODIES = [
    "",
    "{",
    "[]",
    "[{}]",
    "[1]",
    "[null]",
    "null",
    "123",
    '"text"',
    "true",
    "{}",
    '{"a": }',
    "\ufeff{}",
    b'{"title_ru": "\xff\xfe"}',
]


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_no_malformed_request_to_these_operations_gets_a_server_error(
    group, body, chair, secretary, member, admin_user, police_unit
):
    from tests.api.test_robustness import example  # the shared example-value builder of the schema

    def world(held: bool):
        """A meeting a week ahead, or (for decisions) one held an hour ago with everyone present."""
        if held:
            meeting = new_meeting(
                body, secretary, chair, starts_at=NOW - timedelta(hours=1), retrospective=True
            )
            Attendance.objects.bulk_create(
                Attendance(meeting=meeting, member=m, present=True) for m in group["police"] + group["bar"]
            )
        else:
            meeting = new_meeting(body, secretary, chair)
        item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
        if held:
            approve_agenda(meeting, actor=chair.user)
        proposal = submit_proposal(body=body, author=member, actor=member.user, title_ru="Т", memo_ru="С")
        guest = add_guest(body=body, actor=secretary.user, full_name="Эксперт")
        return {
            "body_id": body.id,
            "meeting_id": meeting.id,
            "proposal_id": proposal.id,
            "item": item.id,
            "guest": guest.id,
        }

    schema = Api().client.get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]
    failures: list[str] = []
    sent = 0

    client = Api(raise_exceptions=False).client
    headers: dict = {}

    def send(method, url, body=None, raw=None, content_type="application/json", query=None):
        nonlocal sent
        sent += 1
        if method == "get":
            response = client.get(url, query or {}, **headers)
        else:
            data = raw if raw is not None else json.dumps(body if body is not None else {})
            response = getattr(client, method)(url, data=data, content_type=content_type, **headers)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {(raw or body)!r:.200} -> {response.status_code}")
        elif response.status_code >= 400 and not (
            response.status_code == 404 and not response["Content-Type"].startswith("application/json")
        ):
            if not response.json().get("detail"):
                failures.append(f"{method.upper()} {url} -> {response.status_code} without a message")

    for user in (chair.user, member.user, admin_user):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}", "HTTP_ACCEPT_LANGUAGE": "kk"}
        for path, methods in schema["paths"].items():
            for method, op in methods.items():
                if (method, path) not in OPERATIONS:
                    continue
                ids = world(held=path.endswith("/decisions"))
                params = {p["name"]: ids[p["name"]] for p in op.get("parameters", []) if p["in"] == "path"}
                for name in params:
                    for bad in BAD_PATH_VALUES:
                        send(method, path.format(**(params | {name: bad})), {})
                url = path.format(**params)
                for param in (p for p in op.get("parameters", []) if p["in"] == "query"):
                    for bad in BAD_VALUES:
                        send(
                            "get",
                            url,
                            query={param["name"]: bad if isinstance(bad, str) else json.dumps(bad)},
                        )
                if "requestBody" not in op:
                    send(method, url, raw="garbage")
                    continue
                body_schema = op["requestBody"]["content"]["application/json"]["schema"]
                good = example(body_schema, components)
                if isinstance(good, dict):  # ids that exist, so that the probe reaches past the lookups
                    known = {
                        "agenda_item_id": ids["item"],
                        "guest_id": ids["guest"],
                        "meeting_id": ids["meeting_id"],
                    }
                    good |= {k: v for k, v in known.items() if k in good}
                for raw in RAW_BODIES:
                    send(method, url, raw=raw)
                if isinstance(good, dict):
                    for field in good:
                        for bad in BAD_VALUES:
                            send(method, url, good | {field: bad})
                        send(method, url, {field: None})
                    if "executors" in good:
                        for key in ("member_id", "unit_id", "name", "due_date", "due_working_days"):
                            for bad in BAD_VALUES:
                                send(
                                    method,
                                    url,
                                    good | {"executors": [{"name": "A", "due_working_days": 2, key: bad}]},
                                )
                else:  # the attendance list
                    for key in ("member_id", "guest_id", "present"):
                        for bad in BAD_VALUES:
                            send(method, url, [{"member_id": member.id, "present": True} | {key: bad}])
                if "multipart/form-data" in op["requestBody"]["content"]:
                    for raw, kind in [
                        (b"--x\r\ngarbage", "multipart/form-data; boundary=x"),
                        (b"garbage", "multipart/form-data"),
                        (b"--x--\r\n", "multipart/form-data; boundary=x"),
                    ]:
                        send(method, url, raw=raw, content_type=kind)

    assert sent > 3000
    assert not failures, "\n".join(failures[:40])


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_reading_a_meeting_costs_the_same_for_few_and_many_rows(
    group, body, chair, secretary, admin_user, chair_api
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = new_meeting(body, secretary, chair)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(meeting, actor=chair.user)
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=m, present=True) for m in group["police"] + group["bar"]
    )

    def decide(n: int):
        with time_machine.travel(HELD):
            response = chair_api.post(
                f"/meetings/{meeting.id}/decisions",
                {
                    "agenda_item_id": item.id,
                    "text_ru": f"Решение {n}",
                    "executors": [
                        {"member_id": chair.id, "due_working_days": 5},
                        {"name": "Начальник", "due_date": "2026-04-01"},
                    ],
                },
            )
        assert response.status_code == 201

    def cost() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = chair_api.get(f"/meetings/{meeting.id}")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    decide(0)
    small = cost()
    for i in range(12):
        extra = make_member(
            body, admin_user, email=f"extra{i}@alqa.test", side=Side.BAR if i % 2 else Side.POLICE
        )
        Invitation.objects.create(meeting=meeting, member=extra, email=extra.email)
        Attendance.objects.create(meeting=meeting, member=extra, present=bool(i % 3))
        guest = add_guest(body=body, actor=secretary.user, full_name=f"Эксперт {i}")
        Invitation.objects.create(meeting=meeting, guest=guest)
    for n in range(1, 4):
        decide(n)
    assert (
        Decision.objects.count() == 4
        and Invitation.objects.count() == 31
        and Attendance.objects.count() == 19
    )
    assert cost() == small
