"""Each reader of a meeting is shown the same through the API as on the meeting page: members and
the secretary see attendance, quorum, invitations and decisions; an invited participant sees the
meeting, its agenda and their own invitation, and no other person's name, reply or decision.
One place decides it (alqa.permissions.meeting_reader); these tests hold the page and the API to it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from alqa.domain.bodies import add_guest
from alqa.domain.meetings import (
    AttendanceRow,
    ExecutorInput,
    invite_guest,
    record_attendance,
    record_decision,
    reply_to_invitation,
)
from alqa.enums import InvitationReply, Side
from tests.api.conftest import Api, token_for
from tests.conftest import login, make_member, meeting_on

pytestmark = pytest.mark.usefixtures("waive_mfa")

DECISION = "Обеспечить допуск адвокатов в ИВС без ожидания"
EXECUTOR = "Начальник СУ Жаксылыков"
# Names and words the meeting page keeps from an invited participant: the people present, another
# participant and their reply, the decision and its executor.
HIDDEN_FROM_PARTICIPANTS = (
    "Ахметова Динара",
    "Исаев Тимур",
    "Адвокат Омаров",
    "Эксперт Сейткали",
    DECISION,
    EXECUTOR,
)


@pytest.fixture
def held(body, admin_user, chair, secretary, member):
    """A meeting held yesterday: two a side present, a decision with its executor, two invited
    participants, one of whom was present and has answered."""
    lawyer = make_member(body, admin_user, email="omarov@alqa.test", side=Side.BAR, name="Адвокат Омаров")
    meeting, item = meeting_on(body, secretary, chair, days=-1, title="Доступ в ИВС", approved=True)
    expert = add_guest(
        body=body, actor=secretary.user, full_name="Эксперт Нурланов", email="expert@alqa.test", language="en"
    )
    other = add_guest(
        body=body, actor=secretary.user, full_name="Эксперт Сейткали", email="seitkali@alqa.test"
    )
    invite_guest(meeting, guest=expert, actor=secretary.user)
    answered = invite_guest(meeting, guest=other, actor=secretary.user)
    reply_to_invitation(answered, reply=InvitationReply.ATTEND)
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, lawyer)],
        guests=[(other.pk, True)],
    )
    with time_machine.travel(meeting.starts_at + timedelta(hours=1)):
        record_decision(
            meeting,
            actor=secretary.user,
            agenda_item=item,
            text_ru=DECISION,
            executors=[ExecutorInput(name=EXECUTOR, due_working_days=10)],
        )
    expert.refresh_from_db()
    return {"meeting": meeting, "expert": expert, "other": other}


def readers(held, secretary, member):
    return {"secretary": secretary, "member": member, "participant": held["expert"]}


@pytest.mark.parametrize("kind", ["secretary", "member"])
def test_members_and_the_secretary_see_everything_in_the_api_and_on_the_page(kind, held, secretary, member):
    person = readers(held, secretary, member)[kind]
    meeting = held["meeting"]
    response = Api(token_for(person.user)).get(f"/meetings/{meeting.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["hidden"] == []
    assert {row["name"] for row in data["attendance"]} == {
        "Серикбаев Арман",
        "Ахметова Динара",
        "Исаев Тимур",
        "Адвокат Омаров",
        "Эксперт Сейткали",
    }
    assert data["quorum"]["met"] is True and data["quorum"]["sides"]["bar"]["present"] == 2
    assert [d["text_ru"] for d in data["decisions"]] == [DECISION]
    assert data["decisions"][0]["assignments"][0]["executor"] == EXECUTOR
    assert {(i["name"], i["reply"]) for i in data["invitations"]} == {
        ("Эксперт Нурланов", "pending"),
        ("Эксперт Сейткали", "attend"),
    }
    assert data["next_regular_due"] is not None

    client = Client()
    login(client, person)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    for text in HIDDEN_FROM_PARTICIPANTS:
        assert text in page, text


def test_an_invited_participant_sees_in_the_api_what_the_page_shows_them(held, body):
    meeting, expert = held["meeting"], held["expert"]
    api = Api(token_for(expert.user))
    response = api.get(f"/meetings/{meeting.pk}")
    assert response.status_code == 200
    data = response.json()
    # the meeting itself and its agenda, as the page shows them
    assert data["id"] == meeting.pk and data["presiding_name"] == "Серикбаев Арман"
    assert [i["title_ru"] for i in data["agenda_items"]] == ["Доступ в ИВС"]
    # the parts hidden from them: there, with the same shape, and empty
    assert data["attendance"] == [] and data["decisions"] == []
    assert data["quorum"] is None and data["next_regular_due"] is None
    assert [(i["name"], i["guest_id"]) for i in data["invitations"]] == [("Эксперт Нурланов", expert.pk)]
    assert data["hidden"] == ["attendance", "quorum", "invitations", "decisions", "next_regular_due"]
    text = json.dumps(data, ensure_ascii=False)
    for hidden in HIDDEN_FROM_PARTICIPANTS:
        assert hidden not in text, hidden
    # the calendar file of the meeting names nobody either
    ics = api.get(f"/meetings/{meeting.pk}/ical").content.decode()
    for hidden in HIDDEN_FROM_PARTICIPANTS:
        assert hidden not in ics, hidden
    # and neither does the meeting page
    client = Client()
    login(client, expert)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Доступ в ИВС" in page and "Your invitation" in page
    for hidden in HIDDEN_FROM_PARTICIPANTS:
        assert hidden not in page, hidden
    # nothing of the body beyond this meeting
    assert api.get(f"/bodies/{body.pk}/meetings").status_code == 404


def test_the_openapi_schema_says_what_an_invited_participant_is_not_shown(db):
    schema = Api().client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/meetings/{meeting_id}"]["get"]
    assert "invitations` holds only" in operation["description"]
    meeting = schema["components"]["schemas"]["MeetingOut"]
    assert "hidden" in meeting["required"] and "quorum" in meeting["required"]
    assert {"type": "null"} in meeting["properties"]["quorum"]["anyOf"]
