"""The meeting page's read function (alqa/queries/meetings.py): what each kind of reader is given is
what permissions.meeting_reader allows, nothing more, as plain frozen values."""

import dataclasses
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from alqa import permissions
from alqa.dates import date_of
from alqa.domain.attachments import add_agenda_item_with_files
from alqa.domain.bodies import add_guest
from alqa.domain.meetings import (
    AttendanceRow,
    ExecutorInput,
    approve_agenda,
    invite_guest,
    meeting_day,
    record_attendance,
    record_decision,
)
from alqa.models import Invitation
from alqa.queries.meetings import meeting_page
from tests.conftest import meeting_on

PDF = b"%PDF-1.4 report"


@pytest.fixture
def held(body, chair, secretary, member, deputy, admin_user, police_unit):
    """A meeting held yesterday: an item with a file, everyone invited and present, an invited
    expert, a decision with three executors."""
    meeting, _ = meeting_on(body, secretary, chair, days=-1, title=None)
    item = add_agenda_item_with_files(
        meeting,
        actor=secretary.user,
        title_ru="Отчёт",
        title_kk="Есеп",
        files=[SimpleUploadedFile("report.pdf", PDF)],
    )
    expert = add_guest(body=body, actor=admin_user, full_name="Эксперт Нурланов", email="expert@alqa.test")
    invite_guest(meeting, guest=expert, actor=secretary.user)
    for person in (chair, secretary, member, deputy):
        Invitation.objects.get_or_create(meeting=meeting, member=person)
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
        guests=[(expert.pk, True)],
    )
    approve_agenda(meeting, actor=chair.user)
    record_decision(
        meeting,
        actor=secretary.user,
        agenda_item=item,
        text_ru="Обеспечить доступ",
        text_kk="Қолжетімділікті қамтамасыз ету",
        executors=[
            ExecutorInput(member_id=deputy.pk, due_working_days=5),
            ExecutorInput(unit_id=police_unit.pk, due_date=date(2027, 3, 1)),
            ExecutorInput(name="Начальник СУ", due_date=date(2027, 4, 1)),
        ],
    )
    expert.refresh_from_db()
    return meeting, expert


def _page(user, meeting):
    meeting = permissions.get_meeting_for_user(user, meeting.pk)
    return meeting_page(meeting, permissions.meeting_reader(user, meeting))


def test_a_member_is_given_every_section(held, member, deputy, police_unit):
    meeting, expert = held
    with translation.override("kk"):
        page = _page(member.user, meeting)
        held_on = date_of(meeting_day(meeting))  # «2026 жылғы 1 желтоқсандағы»
    assert [(row.title_ru, row.title_kk, [f.name for f in row.files]) for row in page.agenda] == [
        ("Отчёт", "Есеп", ["report.pdf"])
    ]
    assert len(page.invitations) == 5 and page.invitations[-1].name == expert.full_name
    assert page.attendance.quorum.met and [row.full_name for row in page.attendance.guests] == [
        expert.full_name
    ]
    [decision] = page.decisions
    assert decision.text == "Қолжетімділікті қамтамасыз ету" and decision.item_title == "Есеп"
    assert [e.label for e in decision.executors] == [deputy.full_name, police_unit.name_kk, "Начальник СУ"]
    # counted from the meeting's day, said in the reader's language
    assert held_on.endswith(("дағы", "дегі", "тағы", "тегі"))
    assert decision.executors[0].explanation == f"{held_on} отырыстан кейін 5 жұмыс күні"
    assert decision.executors[1].explanation == "" and decision.executors[1].due_date == date(2027, 3, 1)
    assert page.own_invitation is None and not page.guests_to_invite  # reads only


def test_an_invited_participant_is_given_the_agenda_and_their_own_invitation_only(held):
    meeting, expert = held
    page = _page(expert.user, meeting)
    assert [row.title_ru for row in page.agenda] == ["Отчёт"]
    assert page.own_invitation is not None and page.own_invitation.token
    assert page.invitations == () and page.attendance is None and page.decisions == ()
    assert not page.reader.sees_print_pack


def test_the_page_is_plain_frozen_values_read_in_a_fixed_number_of_queries(held, secretary):
    meeting, _ = held
    meeting = permissions.get_meeting_for_user(secretary.user, meeting.pk)
    reader = permissions.meeting_reader(secretary.user, meeting)
    with CaptureQueriesContext(connection) as reads:
        page = meeting_page(meeting, reader)
    with CaptureQueriesContext(connection) as more:  # nothing is read lazily afterwards
        str(page)
    assert (
        len(more.captured_queries) == 0 and len(reads.captured_queries) <= 10
    )  # the decisions' compliance remarks: one more
    for part in (page, page.agenda[0], page.invitations[0], page.attendance, page.decisions[0]):
        assert dataclasses.is_dataclass(part)
        with pytest.raises(dataclasses.FrozenInstanceError):
            part.pk = 0  # type: ignore[misc]
