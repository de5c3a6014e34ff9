import base64
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from icalendar import Calendar

from alqa.domain.bodies import add_guest
from alqa.domain.errors import Conflict
from alqa.domain.meetings import (
    AttendanceRow,
    ExecutorInput,
    add_agenda_item,
    approve_agenda,
    cancel_meeting,
    invite_guest,
    quorum_for,
    record_attendance,
    record_decision,
    reply_to_invitation,
    update_meeting,
)
from alqa.domain.proposals import accept_proposal, return_proposal, submit_proposal
from alqa.enums import ProposalStatus, Role, Side
from alqa.models import AuditEvent, Decision, Invitation, Meeting, OutboxMessage
from tests.conftest import make_member
from tests.helpers import schedule

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English, the language of the msgids."""
    with translation.override("en"):
        yield


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)


@pytest.fixture
def group(body, admin_user, chair, secretary):
    """4 police (chair, secretary + 2) and 3 bar members."""
    police = [chair, secretary] + [make_member(body, admin_user, email=f"p{i}@alqa.test") for i in range(2)]
    bar = [make_member(body, admin_user, email=f"b{i}@alqa.test", side=Side.BAR) for i in range(3)]
    deputy = make_member(body, admin_user, email="deputy@alqa.test", side=Side.BAR, role=Role.DEPUTY_CHAIR)
    return {"police": police, "bar": bar + [deputy], "deputy": deputy}


def _meeting(body, secretary, chair, **extra):
    """A meeting a week after NOW, scheduled at NOW (tests.helpers.schedule)."""
    fields = {"presiding": chair, "starts_at": NOW + timedelta(days=7), "now": NOW} | extra
    return schedule(body, actor=secretary.user, **fields)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_the_whole_path(group, body, chair, secretary, admin_user):
    meeting = _meeting(body, secretary, chair)
    author = group["bar"][0]
    proposal = submit_proposal(
        body=body,
        author=author,
        actor=author.user,
        title_ru="О доступе адвокатов в ИВС",
        memo_ru="Справка-обоснование",
        files=[SimpleUploadedFile("memo.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    item = accept_proposal(proposal, meeting=meeting, actor=secretary.user, decider=secretary)
    assert item.speaker == author and proposal.status == ProposalStatus.ACCEPTED
    guest = add_guest(body=body, actor=secretary.user, full_name="Эксперт", email="expert@alqa.test")
    invite_guest(meeting, guest=guest, actor=secretary.user)
    with pytest.raises(ValidationError, match="presiding"):
        approve_agenda(meeting, actor=secretary.user)
    OutboxMessage.objects.all().delete()
    approve_agenda(meeting, actor=chair.user)
    invitations = Invitation.objects.filter(meeting=meeting)
    assert invitations.count() == 9  # 8 members + the expert
    mail = OutboxMessage.objects.get(to="expert@alqa.test")
    assert "О доступе адвокатов в ИВС" in mail.text and "/invitations/" in mail.text
    ics = Calendar.from_ical(base64.b64decode(mail.attachments[0]["content"]))
    event = ics.walk("VEVENT")[0]
    assert ics["METHOD"] == "REQUEST" and event["LOCATION"] == "ДП г. Алматы, зал 3"
    reply_to_invitation(invitations.get(guest=guest), reply="attend")

    with time_machine.travel(NOW + timedelta(days=7, hours=1)):
        rows = [AttendanceRow(m.pk, True) for m in group["police"][:3]] + [
            AttendanceRow(group["bar"][0].pk, True),
            AttendanceRow(group["bar"][1].pk, False),
        ]
        q = record_attendance(meeting, actor=secretary.user, members=rows)
        assert (q.sides["police"].present, q.sides["police"].required, q.sides["police"].met) == (3, 3, True)
        assert (q.sides["bar"].present, q.sides["bar"].total, q.sides["bar"].required, q.met) == (
            1,
            4,
            3,
            False,
        )
        with pytest.raises(ValidationError, match="quorum") as exc:
            record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Решение")
        assert "bar: 1 of 4 present, needed 3" in str(exc.value)
        record_attendance(
            meeting, actor=secretary.user, members=[AttendanceRow(m.pk, True) for m in group["bar"][:3]]
        )
        decision = record_decision(
            meeting,
            actor=secretary.user,
            agenda_item=item,
            text_ru="Обеспечить доступ",
            text_kk="Қолжетімділікті қамтамасыз ету",
            executors=[
                ExecutorInput(name="Начальник ИВС", due_working_days=10),
                ExecutorInput(member_id=chair.pk, due_date=date(2026, 4, 30)),
            ],
        )
    assert decision.quorum["met"] is True and decision.quorum["sides"]["bar"]["present"] == 3
    first, second = decision.assignments.order_by("id")
    # the meeting is on 9 March 2026 (a holiday); 10 working days pass over Nauryz, 23–25 March
    assert first.due_date == date(2026, 3, 26)
    assert second.executor_member == chair
    assert AuditEvent.objects.filter(action="decision.recorded").count() == 1


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_past_date_needs_retrospective_and_retrospective_sends_nothing(body, chair, secretary):
    with pytest.raises(ValidationError) as exc:
        _meeting(body, secretary, chair, starts_at=NOW - timedelta(days=3))
    assert "starts_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _meeting(body, secretary, chair, retrospective=True)
    assert "retrospective" in exc.value.message_dict
    m = _meeting(body, secretary, chair, starts_at=NOW - timedelta(days=30), retrospective=True)
    add_agenda_item(m, actor=secretary.user, title_ru="Вопрос")
    OutboxMessage.objects.all().delete()
    approve_agenda(m, actor=chair.user)
    assert not OutboxMessage.objects.exists()
    assert AuditEvent.objects.filter(action="meeting.entered_retrospectively").exists()


def test_online_needs_a_link_and_deputy_needs_the_chairs_instruction(group, body, chair, secretary):
    with pytest.raises(ValidationError) as exc:
        _meeting(body, secretary, chair, format="online", place="")
    assert "conference_url" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _meeting(body, secretary, chair, presiding=group["deputy"])
    assert "delegation_basis" in exc.value.message_dict
    m = _meeting(
        body, secretary, chair, presiding=group["deputy"], delegation_basis="Поручение от 01.03.2026"
    )
    assert m.delegated_by == chair
    with pytest.raises(ValidationError) as exc:
        _meeting(body, secretary, chair, presiding=group["police"][2])
    assert "presiding" in exc.value.message_dict


def test_extraordinary_records_proposer_and_decider(group, body, chair, secretary):
    with pytest.raises(ValidationError) as exc:
        _meeting(body, secretary, chair, kind="extraordinary")
    assert {"initiator_kind", "decided_by"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        _meeting(
            body,
            secretary,
            chair,
            kind="extraordinary",
            initiator_kind="bar_monitoring_head",
            initiator_name="Руководитель МГ",
            decided_by=group["deputy"],
        )
    assert "chair_consent" in exc.value.message_dict
    m = _meeting(
        body,
        secretary,
        chair,
        kind="extraordinary",
        initiator_kind="bar_monitoring_head",
        initiator_name="Руководитель МГ",
        decided_by=group["deputy"],
        chair_consent=True,
    )
    assert m.decided_by == group["deputy"]


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_change_after_approval_needs_new_approval_and_updates_calendars(group, body, chair, secretary):
    m = _meeting(body, secretary, chair)
    add_agenda_item(m, actor=secretary.user, title_ru="Первый вопрос")
    approve_agenda(m, actor=chair.user)
    with pytest.raises(Conflict, match="withdraws the approval"):  # said beforehand, else nothing
        add_agenda_item(m, actor=secretary.user, title_kk="Екінші мәселе")
    assert m.items.count() == 1
    add_agenda_item(m, actor=secretary.user, title_kk="Екінші мәселе", withdraw_approval=True)
    m.refresh_from_db()
    assert not m.agenda_approved
    assert AuditEvent.objects.filter(action="agenda.approval_withdrawn").exists()
    OutboxMessage.objects.all().delete()
    approve_agenda(m, actor=chair.user)
    m.refresh_from_db()
    assert m.agenda_version == 2 and m.ical_sequence == 1
    assert (
        OutboxMessage.objects.filter(subject__icontains="Changed").exists()
        or OutboxMessage.objects.count() == 8
    )
    update_meeting(m, actor=secretary.user, changes={"place": "Зал 5"}, now=NOW)
    m.refresh_from_db()
    assert m.ical_sequence == 2
    cancel_meeting(m, actor=secretary.user, reason="Карантин")
    mail = OutboxMessage.objects.filter(to=chair.email).order_by("-id").first()
    ics = Calendar.from_ical(base64.b64decode(mail.attachments[0]["content"]))
    assert ics["METHOD"] == "CANCEL" and ics.walk("VEVENT")[0]["SEQUENCE"] == 3


def test_attendance_rejects_duplicates_and_outsiders(group, body, chair, secretary, outsider):
    m = _meeting(body, secretary, chair)
    with pytest.raises(ValidationError, match="more than once"):
        record_attendance(
            m, actor=secretary.user, members=[AttendanceRow(chair.pk, True), AttendanceRow(chair.pk, False)]
        )
    with pytest.raises(ValidationError, match="Not members"):
        record_attendance(m, actor=secretary.user, members=[AttendanceRow(outsider.pk, True)])
    assert not m.attendance.exists()
    assert quorum_for(m).sides["police"].total == 4


def test_returned_proposal_tells_the_author(group, body, secretary):
    author = group["police"][2]
    p = submit_proposal(body=body, author=author, actor=author.user, title_kk="Ұсыныс", memo_kk="Негіздеме")
    with pytest.raises(ValidationError):
        return_proposal(p, reason=" ", actor=secretary.user, decider=secretary)
    return_proposal(p, reason="Касается конкретного дела", actor=secretary.user, decider=secretary)
    assert OutboxMessage.objects.filter(to=author.email, text__contains="Касается конкретного дела").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("memo.exe", b"MZ", "only PDF"),
        ("memo.pdf", b"not a pdf", "not the kind of file"),
        ("scan.png", b"\xff\xd8\xff fake", "not the kind of file"),
        ("memo.docx", b"PK\x03\x04 broken", "not the kind of file"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "larger than"),
    ],
)
def test_bad_attachments_are_refused(group, body, name, content, message):
    author = group["police"][2]
    with pytest.raises(ValidationError, match=message):
        submit_proposal(
            body=body,
            author=author,
            actor=author.user,
            title_ru="T",
            memo_ru="M",
            files=[SimpleUploadedFile(name, content)],
        )
    assert not Meeting.objects.exists() and not Decision.objects.exists()
