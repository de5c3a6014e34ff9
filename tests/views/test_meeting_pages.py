"""Meetings as their people use them in the browser: schedule, agenda, invitations and replies,
attendance and quorum, decisions, files, what invited participants and outsiders may see."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from alqa.dates import human_date
from alqa.domain.attachments import attach_files
from alqa.domain.bodies import add_guest, update_policy
from alqa.domain.cadence import add_months
from alqa.domain.meetings import (
    AttendanceRow,
    add_agenda_item,
    approve_agenda,
    cancel_meeting,
    describe_quorum,
    invite_guest,
    quorum_for,
    record_attendance,
    record_decision,
)
from alqa.domain.plans import PlanExecutor, add_plan_item, approve_plan, create_plan
from alqa.domain.proposals import accept_proposal, submit_proposal
from alqa.enums import AgendaItemKind, InvitationReply, MeetingStatus, Role, Side
from alqa.models import (
    AgendaItem,
    Assignment,
    Attachment,
    Attendance,
    AuditEvent,
    Decision,
    Invitation,
    Meeting,
    Member,
    OutboxMessage,
)
from tests.conftest import login, make_member
from tests.documents.helpers import docx_bytes
from tests.helpers import local, meeting_in

pytestmark = pytest.mark.usefixtures("waive_mfa")

ALMATY = ZoneInfo("Asia/Almaty")
PDF = b"%PDF-1.4 minutes of the working group"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def group(chair, secretary, member, deputy):
    """Police: the chair and the secretary; bar: a member and a deputy chair. Quorum: 2 and 2."""
    return {"chair": chair, "secretary": secretary, "member": member, "deputy": deputy}


def held_in(body, group, days, *, absent=()) -> Meeting:
    """A meeting `days` ago (entered after the fact) with every member of `group` present but
    the `absent` ones: with all four present it has its quorum (2 of 2 a side)."""
    meeting = meeting_in(body, group["secretary"], group["chair"], days=days)
    rows = [AttendanceRow(m.pk, m not in absent) for m in group.values()]
    record_attendance(meeting, actor=group["secretary"].user, members=rows)
    return meeting


def form_data(chair, **changes) -> dict:
    return {
        "kind": "regular",
        "format": "in_person",
        "starts_at": local(10).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "120",
        "place": "ДП г. Алматы, зал 3",
        "conference_url": "",
        "presiding": str(chair.pk),
        "delegation_basis": "",
        "initiator_kind": "",
        "initiator_name": "",
        "initiator_unit": "",
        "decided_by": "",
    } | changes


# --- scheduling ---------------------------------------------------------------------------


def test_secretary_schedules_a_meeting_in_almaty_time(client, group, body, chair, secretary):
    login(client, secretary)
    page = client.get(f"/bodies/{body.pk}/meetings/new/").content.decode()
    assert 'type="datetime-local"' in page and "Entered after the fact" in page
    response = client.post(f"/bodies/{body.pk}/meetings/new/", form_data(chair), follow=True)
    meeting = Meeting.objects.get()
    assert meeting.starts_at == local(10)  # 10:00 in Almaty, stored as an aware moment
    assert meeting.starts_at.astimezone(ZoneInfo("UTC")).hour == 5
    assert meeting.presiding == chair and meeting.created_by == secretary.user and not meeting.retrospective
    page = response.content.decode()
    assert "ДП г. Алматы, зал 3" in page and "Not approved." in page and "10:00" in page
    assert "Approve the agenda" not in page  # the secretary does not preside
    assert f"/meetings/{meeting.pk}/print-pack.pdf" in page and f"/meetings/{meeting.pk}/meeting.ics" in page
    listing = client.get(f"/bodies/{body.pk}/meetings/").content.decode()
    assert f"/calendar/{secretary.user.calendar_token}.ics" in listing


def test_extraordinary_online_meeting_with_a_deputy_presiding(
    client, group, body, chair, secretary, police_unit
):
    login(client, secretary)
    deputy = group["deputy"]
    data = form_data(
        chair,
        kind="extraordinary",
        format="online",
        place="",
        conference_url="https://meet.example.kz/alqa-7",
        online_ground="quarantine",
        online_ground_note="Приказ о карантинных мерах № 12",
        presiding=str(deputy.pk),
        delegation_basis="Поручение председателя № 4 от 01.03.2026",
        initiator_kind="police_unit_head",
        initiator_name="Начальник СУ",
        initiator_unit=str(police_unit.pk),
        decided_by=str(deputy.pk),
        chair_consent="on",
    )
    page = client.post(f"/bodies/{body.pk}/meetings/new/", data, follow=True).content.decode()
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.format, meeting.presiding, meeting.delegated_by) == (
        "extraordinary",
        "online",
        deputy,
        chair,
    )
    assert meeting.initiator_unit == police_unit and meeting.decided_by == deputy and meeting.chair_consent
    assert "https://meet.example.kz/alqa-7" in page and "Поручение председателя № 4" in page
    assert "Начальник СУ" in page and "with the chair's consent" in page
    assert (meeting.online_ground, meeting.online_ground_note) == (
        "quarantine",
        "Приказ о карантинных мерах № 12",
    )
    assert (
        "Ground for meeting online" in page and "Quarantine measures: Приказ о карантинных мерах № 12" in page
    )


def test_a_meeting_already_held_is_entered_after_the_fact(client, group, body, chair, secretary):
    login(client, secretary)
    data = form_data(chair, starts_at=local(-20).strftime("%Y-%m-%dT%H:%M"), retrospective="on")
    page = client.post(f"/bodies/{body.pk}/meetings/new/", data, follow=True).content.decode()
    meeting = Meeting.objects.get()
    assert meeting.retrospective and meeting.starts_at == local(-20)
    assert "entered after the fact" in page


BAD_MEETING_INPUT = [
    ({"starts_at": local(-3).strftime("%Y-%m-%dT%H:%M")}, "starts_at", "mark it as entered after the fact"),
    ({"retrospective": "on"}, "retrospective", "entered after the fact must be in the past"),
    ({"format": "online", "place": ""}, "conference_url", "An online meeting needs a conference link."),
    ({"place": ""}, "place", "Give the place of an in-person meeting."),
    ({"presiding": "deputy"}, "delegation_basis", "record the instruction"),
    ({"presiding": "former"}, "presiding", "must be a member of this body on the day"),
    ({"presiding": "member"}, "presiding", "Select a valid choice"),
    ({"kind": "extraordinary"}, "decided_by", "Record who decided to hold the extraordinary meeting."),
    (
        {"kind": "extraordinary", "initiator_kind": "chair", "decided_by": "deputy"},
        "chair_consent",
        "consent",
    ),
    (
        {"kind": "extraordinary", "initiator_kind": "nobody", "decided_by": "chair"},
        "initiator_kind",
        "Select a valid choice",
    ),
    ({"starts_at": "tomorrow at ten"}, "starts_at", "Enter a valid date/time."),
    ({"starts_at": "0001-01-01T00:00"}, "starts_at", "Enter a date between"),
    ({"duration_minutes": "5"}, "duration_minutes", "15"),
    (
        {"conference_url": "javascript:alert(1)"},
        "conference_url",
        "Enter a web address starting with https://.",
    ),
    (
        {"conference_url": "data:text/html,<script>alert(1)</script>"},
        "conference_url",
        "Enter a web address starting with https://.",
    ),
    ({"conference_url": "http://meet.example.kz/x"}, "conference_url", "starting with https://."),
    (
        {"conference_url": "https://meet.example.kz/a b"},
        "conference_url",
        "A web address cannot contain spaces.",
    ),
    (
        {"format": "online", "place": "", "conference_url": "https://meet.example.kz/x"},
        "online_ground",
        "Give the ground for holding this one online",
    ),
    (
        {
            "format": "online",
            "place": "",
            "conference_url": "https://meet.example.kz/x",
            "online_ground": "war",
        },
        "online_ground",
        "Select a valid choice",
    ),
]


def test_bad_meeting_input_shows_a_message_and_saves_nothing(
    client, group, body, admin_user, chair, secretary
):
    former = make_member(
        body,
        admin_user,
        email="former@alqa.test",
        role=Role.CHAIR,
        name="Прежний Председатель",
        active_from=date(2020, 1, 1),
        active_to=date(2024, 12, 31),
    )
    people = {"deputy": group["deputy"], "former": former, "member": group["member"], "chair": chair}
    login(client, secretary)
    for changes, field, message in BAD_MEETING_INPUT:
        changes = {
            k: (str(people[v].pk) if k in ("presiding", "decided_by") else v) for k, v in changes.items()
        }
        response = client.post(f"/bodies/{body.pk}/meetings/new/", form_data(chair, **changes))
        assert response.status_code == 200, changes
        assert response.context["form"].errors[field], changes
        page = response.content.decode()
        assert "Nothing was saved" in page and message in page, changes
        assert not Meeting.objects.exists(), changes


def test_secretary_changes_and_cancels_a_meeting(client, group, body, chair, secretary):
    meeting = meeting_in(body, secretary, chair)
    login(client, secretary)
    page = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert local(10).strftime("%Y-%m-%dT%H:%M") in page  # the stored time, back in Almaty wall-clock time
    assert "Entered after the fact" not in page
    client.post(
        f"/meetings/{meeting.pk}/edit/",
        form_data(chair, place="Зал 5", starts_at=local(11, 15, 30).strftime("%Y-%m-%dT%H:%M")),
    )
    meeting.refresh_from_db()
    assert meeting.place == "Зал 5" and meeting.starts_at == local(11, 15, 30)

    response = client.post(f"/meetings/{meeting.pk}/edit/", form_data(chair, format="online", place=""))
    assert "An online meeting needs a conference link." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.format == "in_person" and meeting.place == "Зал 5"

    response = client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED

    page = client.post(
        f"/meetings/{meeting.pk}/cancel/", {"reason": "Карантин"}, follow=True
    ).content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "The meeting is cancelled." in page and "Карантин" in page
    page = client.get(f"/meetings/{meeting.pk}/edit/", follow=True).content.decode()
    assert "A cancelled meeting cannot be changed." in page


def test_plain_members_read_but_do_not_schedule(client, group, body, chair, secretary, member):
    meeting = meeting_in(body, secretary, chair)
    login(client, member)
    listing = client.get(f"/bodies/{body.pk}/meetings/").content.decode()
    assert f"/meetings/{meeting.pk}/" in listing and "Schedule a meeting" not in listing
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert (
        "ДП г. Алматы, зал 3" in page and "Add a question" not in page and "Save the attendance" not in page
    )
    assert client.get(f"/bodies/{body.pk}/meetings/new/").status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/edit/", form_data(chair)).status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "x"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_other_bodies_meetings_are_invisible(client, group, body, chair, secretary, outsider):
    meeting = meeting_in(body, secretary, chair)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    file = attach_files(item, files=[SimpleUploadedFile("a.pdf", PDF)], actor=secretary.user)[0]
    login(client, outsider)
    for url in (
        f"/bodies/{body.pk}/meetings/",
        f"/bodies/{body.pk}/meetings/new/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/edit/",
        f"/meetings/{meeting.pk}/items/new/",
        f"/meetings/{meeting.pk}/items/{item.pk}/decision/",
        f"/meetings/{meeting.pk}/files/{file.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/meetings/{meeting.pk}/approve/",
        f"/meetings/{meeting.pk}/cancel/",
        f"/meetings/{meeting.pk}/attendance/",
        f"/meetings/{meeting.pk}/invite/",
    ):
        assert client.post(url, {"reason": "x", "member": [str(outsider.pk)]}).status_code == 404, url
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and not Attendance.objects.exists()
    assert client.get("/meetings/999999/").status_code == 404


# --- cadence ------------------------------------------------------------------------------


def test_body_page_shows_the_cadence_with_breaches_and_overdue(client, group, body, chair, secretary):
    held_in(body, group, -200)
    held_in(body, group, -100)
    login(client, group["member"])
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    first, second = local(-200).date(), local(-100).date()
    with translation.override("en"):
        first_text, second_text = human_date(first), human_date(second)
        first_due, second_due = human_date(add_months(first, 2)), human_date(add_months(second, 2))
    assert "Cadence of meetings" in page and f"Last meeting: {second_text}" in page
    assert f"Overdue: the next meeting had to be held by {second_due}" in page
    assert (
        f"After the meeting of {first_text} the next was due by {first_due}; it was held on {second_text}"
        in page
    )
    assert (
        f"After the meeting of {second_text} the next was due by {second_due}; it has not been held yet."
        in page
    )


def test_body_page_warns_before_the_interval_lapses(client, group, body, chair, secretary):
    held_in(body, group, -50)  # two months after it is about ten days from now
    login(client, group["member"])
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    assert (
        "The next meeting must be held by" in page and "The limit is near" in page and "Overdue" not in page
    )
    meeting_in(body, secretary, chair, days=30)  # planned after the limit: still a warning, not yet a breach
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    assert "The limit is near" in page and "it was held on" not in page
    breaches = page.split("Breaches of the interval")[1].split("</div>")[0]
    assert "None." in breaches and "<li>" not in breaches
    upcoming = meeting_in(body, secretary, chair, days=5)
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    assert "The limit is near" not in page  # a meeting is scheduled in time
    page = client.get(f"/bodies/{body.pk}/meetings/").content.decode()
    assert "The next meeting must be held by" in page and f"/meetings/{upcoming.pk}/" in page


# --- agenda -------------------------------------------------------------------------------


def test_secretary_adds_questions_with_files_and_remarks(client, group, body, chair, secretary, member):
    earlier = meeting_in(body, secretary, chair, days=-30)
    earlier_item = add_agenda_item(earlier, actor=secretary.user, title_ru="Прошлый вопрос")
    approve_agenda(earlier, actor=chair.user)
    record_attendance(
        earlier, actor=secretary.user, members=[AttendanceRow(m.pk, True) for m in group.values()]
    )
    earlier_decision = record_decision(
        earlier, actor=secretary.user, agenda_item=earlier_item, text_ru="Обеспечить доступ адвокатов в ИВС"
    )
    meeting = meeting_in(body, secretary, chair)
    plan = create_plan(body=body, actor=secretary.user, period="year", year=timezone.localdate().year)
    plan_item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС района",
        due_date=date(plan.year, 12, 31),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    approve_plan(plan, actor=chair.user, approver=chair)
    login(client, secretary)
    page = client.get(f"/meetings/{meeting.pk}/items/new/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "Обеспечить доступ адвокатов" in page
    assert "Посещение ИВС района" in page  # the approved plan's items to report on
    response = client.post(
        f"/meetings/{meeting.pk}/items/new/",
        {
            "title_ru": "Отчёт о выполнении плана",
            "title_kk": "Жоспардың орындалуы туралы есеп",
            "kind": "plan_report",
            "speaker": str(member.pk),
            "plan_item": str(plan_item.pk),
            "order": "1",
            "files": [
                SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("photo.png", PNG, "image/png"),
                SimpleUploadedFile("note.docx", docx_bytes()),
            ],
        },
        follow=True,
    )
    client.post(
        f"/meetings/{meeting.pk}/items/new/",
        {"title_ru": "О замечании", "kind": "other", "remark_on": str(earlier_decision.pk), "order": "2"},
    )
    first, second = AgendaItem.objects.filter(meeting=meeting).order_by("order")
    assert (first.kind, first.speaker, first.plan_item) == (AgendaItemKind.PLAN_REPORT, member, plan_item)
    assert sorted(a.name for a in first.attachments.all()) == ["note.docx", "photo.png", "report.pdf"]
    attached = AuditEvent.objects.get(action="agenda.files_attached", object_id=str(first.pk))
    assert attached.data == {"meeting": meeting.pk, "files": ["report.pdf", "photo.png", "note.docx"]}
    assert (second.kind, second.remark_on) == (AgendaItemKind.REMARK, earlier_decision)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert (
        "Жоспардың орындалуы туралы есеп" in page
        and "Plan item:" in page
        and "1. Посещение ИВС района" in page
    )
    assert "Исаев Тимур" in page and "Report on a plan item" in page
    assert "Remark on decision 1.1 of the meeting of" in page and "Обеспечить доступ адвокатов в ИВС" in page
    assert page.index("Отчёт о выполнении плана") < page.index("О замечании")
    assert "/media/" not in page  # files only through the view that checks access
    report = first.attachments.get(name="report.pdf")
    download = client.get(f"/meetings/{meeting.pk}/files/{report.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert "report.pdf" in download["Content-Disposition"] and download["Content-Type"] == "application/pdf"
    assert response.status_code == 200
    # a file of another meeting is not served through this one
    other = meeting_in(body, secretary, chair, days=12)
    assert client.get(f"/meetings/{other.pk}/files/{report.pk}/").status_code == 404


BIG = b"%PDF-" + b"0" * (10 * 1024 * 1024)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("big.pdf", BIG, "big.pdf is larger than 10 MB."),
        ("tool.exe", b"MZ\x90\x00", "tool.exe: only PDF, DOCX, PNG and JPEG files are accepted."),
        ("fake.pdf", b"<html>not a pdf</html>", "fake.pdf is not the kind of file its extension says."),
        ("fake.docx", b"PK\x03\x04 broken zip", "fake.docx is not the kind of file its extension says."),
    ],
)
def test_bad_agenda_files_are_refused_and_nothing_is_saved(
    client, group, body, chair, secretary, name, content, message
):
    meeting = meeting_in(body, secretary, chair)
    login(client, secretary)
    response = client.post(
        f"/meetings/{meeting.pk}/items/new/",
        {"title_ru": "Вопрос с файлом", "kind": "other", "files": [SimpleUploadedFile(name, content)]},
    )
    assert response.status_code == 200
    assert message in response.content.decode() and response.context["form"].errors["files"]
    assert not AgendaItem.objects.exists() and not Attachment.objects.exists()


def test_agenda_item_without_title_or_with_an_outside_speaker_is_refused(
    client, group, body, chair, secretary, outsider
):
    meeting = meeting_in(body, secretary, chair)
    login(client, secretary)
    response = client.post(f"/meetings/{meeting.pk}/items/new/", {"title_ru": " ", "kind": "other"})
    assert "Give the question&#x27;s title in Russian or Kazakh." in response.content.decode()
    response = client.post(
        f"/meetings/{meeting.pk}/items/new/",
        {"title_ru": "Вопрос", "kind": "other", "speaker": str(outsider.pk)},
    )
    assert response.context["form"].errors["speaker"]
    response = client.post(f"/meetings/{meeting.pk}/items/new/", {"title_ru": "Вопрос", "kind": "proposal"})
    assert response.context["form"].errors["kind"]
    assert not AgendaItem.objects.exists()


def test_only_the_presiding_person_approves_the_agenda(client, group, body, chair, secretary):
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Первый вопрос")
    login(client, secretary)
    assert "Approve the agenda" not in client.get(f"/meetings/{meeting.pk}/").content.decode()
    response = client.post(f"/meetings/{meeting.pk}/approve/")
    assert response.status_code == 403
    assert "Only the presiding person approves the agenda." in response.content.decode()
    assert "Not approved." in client.get(f"/meetings/{meeting.pk}/").content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None and not Invitation.objects.exists()

    login(client, chair)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Approve the agenda" in page
    page = client.post(f"/meetings/{meeting.pk}/approve/", follow=True).content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_approved_by == chair and meeting.agenda_version == 1
    with translation.override("en"):
        day = human_date(timezone.localdate())
    assert f"Approved on {day} at" in page and "by Серикбаев Арман, version 1." in page
    # every member is invited, each with "no reply yet", and told by e-mail
    assert Invitation.objects.filter(meeting=meeting).count() == 4
    assert page.count("No reply yet") == 4
    assert OutboxMessage.objects.filter(to="member@alqa.test", text__contains="/invitations/").exists()
    page = client.post(f"/meetings/{meeting.pk}/approve/", follow=True).content.decode()
    assert "The agenda is already approved." in page
    meeting.refresh_from_db()
    assert meeting.agenda_version == 1


# --- invitations and replies --------------------------------------------------------------


@pytest.fixture
def expert(body, admin_user):
    return add_guest(
        body=body, actor=admin_user, full_name="Эксперт Нурланов", email="expert@alqa.test", language="en"
    )


def test_secretary_invites_a_participant_who_replies_without_signing_in(
    client, group, body, chair, secretary, expert, other_body, admin_user
):
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="О доступе в ИВС")
    approve_agenda(meeting, actor=chair.user)
    stranger = add_guest(body=other_body, actor=admin_user, full_name="Чужой Эксперт")
    login(client, secretary)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Эксперт Нурланов" in page and "Чужой Эксперт" not in page  # the choice lists this body's only
    page = client.post(
        f"/meetings/{meeting.pk}/invite/", {"guest": str(stranger.pk)}, follow=True
    ).content.decode()
    assert "Select a valid choice" in page and not Invitation.objects.filter(guest=stranger).exists()
    page = client.post(
        f"/meetings/{meeting.pk}/invite/", {"guest": str(expert.pk)}, follow=True
    ).content.decode()
    invitation = Invitation.objects.get(guest=expert)
    assert "Эксперт Нурланов has been invited." in page
    assert OutboxMessage.objects.filter(to="expert@alqa.test", text__contains=invitation.token).exists()

    client.logout()
    reply_page = client.get(f"/invitations/{invitation.token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "О доступе в ИВС" in reply_page and "Эксперт Нурланов" in reply_page
    for label in ("Will attend", "Will not attend", "Will send materials"):
        assert label in reply_page
    page = client.post(
        f"/invitations/{invitation.token}/", {"reply": "materials"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    invitation.refresh_from_db()
    assert invitation.reply == InvitationReply.MATERIALS and "your reply has been recorded" in page
    page = client.post(
        f"/invitations/{invitation.token}/", {"reply": "maybe"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Choose one of the answers." in page
    invitation.refresh_from_db()
    assert invitation.reply == InvitationReply.MATERIALS
    assert client.get("/invitations/not-a-real-token/").status_code == 404

    login(client, secretary)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Will send materials" in page


def test_reply_to_a_cancelled_meeting_shows_a_message(client, group, body, chair, secretary):
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(meeting, actor=chair.user)
    cancel_meeting(meeting, actor=secretary.user, reason="Карантин")
    invitation = Invitation.objects.get(meeting=meeting, member=group["member"])
    page = client.get(f"/invitations/{invitation.token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The meeting is cancelled." in page and "Will attend" not in page
    page = client.post(
        f"/invitations/{invitation.token}/", {"reply": "attend"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The meeting is cancelled." in page
    invitation.refresh_from_db()
    assert invitation.reply == InvitationReply.PENDING


def test_invited_participant_sees_only_their_meeting_and_its_materials(
    client, group, body, chair, secretary, expert
):
    meeting = meeting_in(body, secretary, chair)
    author = group["member"]
    proposal = submit_proposal(
        body=body,
        author=author,
        actor=author.user,
        title_ru="О доступе адвокатов",
        memo_ru="Справка-обоснование: адвокаты ждут по три часа.",
        files=[SimpleUploadedFile("memo.pdf", PDF)],
    )
    accept_proposal(proposal, meeting=meeting, actor=secretary.user, decider=secretary)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Отчёт")
    item_file = attach_files(item, files=[SimpleUploadedFile("report.pdf", PDF)], actor=secretary.user)[0]
    invite_guest(meeting, guest=expert, actor=secretary.user)
    not_invited = meeting_in(body, secretary, chair, days=20)
    expert.refresh_from_db()

    login(client, expert)
    home = client.get("/").content.decode()
    assert (
        "My meetings" in home
        and f"/meetings/{meeting.pk}/" in home
        and f"/meetings/{not_invited.pk}/" not in home
    )
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "О доступе адвокатов" in page and "адвокаты ждут по три часа" in page
    assert "Your invitation" in page and "Attendance and quorum" not in page and "Invitations" not in page
    # the pack is the members' (permissions.MeetingReader.sees_print_pack): no link to a 404
    assert (
        f"/meetings/{meeting.pk}/print-pack.pdf" not in page and f"/meetings/{meeting.pk}/meeting.ics" in page
    )
    memo = proposal.attachments.get()
    assert b"".join(client.get(f"/meetings/{meeting.pk}/files/{memo.pk}/").streaming_content) == PDF
    assert client.get(f"/meetings/{meeting.pk}/files/{item_file.pk}/").status_code == 200
    for url in (
        f"/meetings/{not_invited.pk}/",
        f"/bodies/{body.pk}/",
        f"/bodies/{body.pk}/meetings/",
        f"/proposals/{proposal.pk}/",
        f"/proposals/{proposal.pk}/files/{memo.pk}/",
        f"/meetings/{not_invited.pk}/files/{memo.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/meetings/{meeting.pk}/attendance/", {"member": [str(chair.pk)]}).status_code == 404
    assert (
        client.post(f"/meetings/{meeting.pk}/items/new/", {"title_ru": "x", "kind": "other"}).status_code
        == 404
    )
    assert not Attendance.objects.exists()


# --- attendance and quorum ----------------------------------------------------------------


def test_attendance_saved_with_htmx_refreshes_the_quorum_box(
    client, group, body, chair, secretary, member, expert
):
    meeting = meeting_in(body, secretary, chair)
    invite_guest(meeting, guest=expert, actor=secretary.user)
    login(client, secretary)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'hx-post="/meetings/{meeting.pk}/attendance/"' in page and 'aria-live="polite"' in page
    assert "There is no quorum." in page and "police: 0 of 2 present, needed 2 — not met" in page
    assert "<legend>Police</legend>" in page and "<legend>Bar</legend>" in page and "Эксперт Нурланов" in page
    deputy = group["deputy"]
    response = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {
            "member": [str(chair.pk), str(secretary.pk), str(member.pk), str(deputy.pk)],
            "present": [str(chair.pk), str(secretary.pk), str(member.pk)],
            "guest": [str(expert.pk)],
            "guest_present": [str(expert.pk)],
        },
        HTTP_HX_REQUEST="true",
    )
    box = response.content.decode()
    assert "<html" not in box  # only the box is sent back
    assert "police: 2 of 2 present, needed 2 — met; bar: 1 of 2 present, needed 2 — not met." in box
    assert "There is no quorum." in box and "The attendance has been saved." in box
    assert set(
        Attendance.objects.filter(present=True, member__isnull=False).values_list("member_id", flat=True)
    ) == {chair.pk, secretary.pk, member.pk}
    assert Attendance.objects.get(member=deputy).present is False
    assert Attendance.objects.get(guest=expert).present is True

    page = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {"member": [str(deputy.pk)], "present": [str(deputy.pk)]},
        follow=True,
    ).content.decode()
    assert "Quorum is met." in page and "bar: 2 of 2 present, needed 2 — met" in page
    assert f'id="present-{deputy.pk}" checked' in page


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
@pytest.mark.parametrize(
    "rule, present, met",
    [
        ("each_side_majority", (), False),
        ("each_side_majority", ("chair", "secretary", "member"), False),
        ("each_side_majority", ("chair", "secretary", "member", "deputy"), True),
        ("overall_majority_both_sides", ("chair", "member"), False),
        ("overall_majority_both_sides", ("chair", "secretary"), False),
        ("overall_majority_both_sides", ("chair", "secretary", "member"), True),
    ],
)
def test_the_page_shows_the_quorum_the_domain_counts(
    client, group, body, chair, secretary, admin_user, rule, present, met
):
    """The meeting page counts no quorum of its own: what it shows is what quorum_for (which the
    decisions are recorded under) gives, for either rule; a member whose membership ended before the
    day is in neither count."""
    update_policy(body.policy, actor=admin_user, changes={"quorum_rule": rule})
    meeting = meeting_in(body, secretary, chair, days=-1)
    gone = make_member(
        body, admin_user, email="gone@alqa.test", side=Side.BAR, name="Ушедший Участник", password=None
    )
    Member.objects.filter(pk=gone.pk).update(active_to=timezone.localdate() - timedelta(days=10))
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, name in present) for name, m in group.items()],
    )
    login(client, group["member"])
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    quorum = quorum_for(meeting)
    assert describe_quorum(quorum) in page and "Ушедший Участник" not in page
    assert ("Quorum is met." if quorum.met else "There is no quorum.") in page
    assert ("Quorum is met." if not quorum.met else "There is no quorum.") not in page
    assert quorum.met is met


@pytest.mark.parametrize(
    "post, message",
    [
        ("outsider", "Not members of this body on the day of the meeting"),
        ("duplicate", "A member appears more than once in the attendance list."),
        ("garbage", "The attendance list was not understood"),
        ("huge", "The attendance list was not understood"),
    ],
)
def test_tampered_attendance_is_refused(client, group, body, chair, secretary, outsider, post, message):
    meeting = meeting_in(body, secretary, chair)
    data = {
        "outsider": {
            "member": [str(chair.pk), str(outsider.pk)],
            "present": [str(chair.pk), str(outsider.pk)],
        },
        "duplicate": {"member": [str(chair.pk), str(chair.pk)], "present": [str(chair.pk)]},
        "garbage": {"member": ["1; DROP TABLE"], "present": []},
        "huge": {"member": [str(10**30)], "present": [str(10**30)]},
    }[post]
    login(client, secretary)
    page = client.post(f"/meetings/{meeting.pk}/attendance/", data, follow=True).content.decode()
    assert message in page
    box = client.post(f"/meetings/{meeting.pk}/attendance/", data, HTTP_HX_REQUEST="true").content.decode()
    assert "The attendance was not saved:" in box and message in box
    assert not Attendance.objects.exists()


# --- decisions ----------------------------------------------------------------------------


def _held(body, secretary, chair, title="О доступе адвокатов в ИВС", approved=True):
    """A meeting two days ago with one question, its agenda approved by the chair (clause 3.2)."""
    meeting = meeting_in(body, secretary, chair, days=-2)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru=title)
    if approved:
        approve_agenda(meeting, actor=chair.user)
    return meeting, item


def decision_data(**changes) -> dict:
    data = {
        "text_ru": "Обеспечить доступ",
        "text_kk": "Қолжетімділікті қамтамасыз ету",
        "executors-TOTAL_FORMS": "5",
        "executors-INITIAL_FORMS": "0",
        "executors-MIN_NUM_FORMS": "0",
        "executors-MAX_NUM_FORMS": "5",
    }
    return data | changes


def test_decision_without_quorum_is_refused(client, group, body, chair, secretary):
    meeting, item = _held(body, secretary, chair)
    record_attendance(meeting, actor=secretary.user, members=[AttendanceRow(chair.pk, True)])
    login(client, secretary)
    page = client.get(f"/meetings/{meeting.pk}/items/{item.pk}/decision/").content.decode()
    assert "There is no quorum." in page and "police: 1 of 2 present" in page
    response = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/decision/", decision_data())
    page = response.content.decode()
    assert "The decision was not recorded." in page
    assert "There is no quorum: decisions cannot be recorded." in page and "bar: 0 of 2 present" in page
    assert not Decision.objects.exists()


def test_decision_with_executors_is_recorded_and_shown_in_the_readers_language(
    client, group, body, chair, secretary, member, police_unit
):
    meeting, item = _held(body, secretary, chair)
    record_attendance(
        meeting, actor=secretary.user, members=[AttendanceRow(m.pk, True) for m in group.values()]
    )
    login(client, secretary)
    due = timezone.localdate() + timedelta(days=30)
    page = client.post(
        f"/meetings/{meeting.pk}/items/{item.pk}/decision/",
        decision_data(
            **{
                "executors-0-member": str(member.pk),
                "executors-0-due_date": due.isoformat(),
                "executors-1-unit": str(police_unit.pk),
                "executors-1-due_working_days": "10",
                "executors-2-name": "Начальник ИВС",
                "executors-2-due_working_days": "5",
            }
        ),
        follow=True,
    ).content.decode()
    decision = Decision.objects.get()
    assert decision.text_ru == "Обеспечить доступ" and decision.quorum["met"] is True
    by_kind = {
        (a.executor_member_id, a.executor_unit_id, a.executor_name): a for a in decision.assignments.all()
    }
    assert by_kind[(member.pk, None, "")].due_date == due
    official = by_kind[(None, None, "Начальник ИВС")]
    assert official.due_working_days == 5 and official.due_date > meeting.starts_at.date()
    assert len(by_kind) == 3
    assert "The decision has been recorded." in page and "Обеспечить доступ" in page
    assert "Исаев Тимур" in page and police_unit.name_ru in page and "Начальник ИВС" in page
    assert "5 working days after the meeting of" in page
    assert "Quorum at the decision: police: 2 of 2 present, needed 2 — met; bar: 2 of 2 present" in page
    with translation.override("en"):
        assert human_date(due) in page

    login(client, member, language="kk")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Қолжетімділікті қамтамасыз ету" in page and "Обеспечить доступ</p>" not in page


BAD_DECISION_INPUT = [
    ({"executors-0-name": "Начальник ИВС"}, "Give the execution deadline either as a date or as a number"),
    (
        {"executors-0-name": "Начальник ИВС", "executors-0-due_date": "2020-01-01"},
        "cannot be before the meeting",
    ),
    ({"executors-0-name": "X", "executors-0-due_date": "2026-02-30"}, "Enter a valid date."),
    ({"executors-0-due_working_days": "3"}, "Name the executor: a member, a unit or an official."),
    ({"executors-0-name": "X", "executors-0-due_working_days": "0"}, "greater than or equal to 1"),
    ({"executors-0-member": "outsider", "executors-0-due_working_days": "3"}, "Select a valid choice"),
    ({"text_ru": "", "text_kk": ""}, "Give the wording of the decision in Russian or Kazakh."),
    ({"executors-TOTAL_FORMS": "500"}, "Please submit at most 5 forms."),
    ({"executors-TOTAL_FORMS": "x"}, "ManagementForm data is missing or has been tampered with"),
]


def test_bad_decision_input_shows_a_message_and_saves_nothing(
    client, group, body, chair, secretary, outsider
):
    meeting, item = _held(body, secretary, chair)
    record_attendance(
        meeting, actor=secretary.user, members=[AttendanceRow(m.pk, True) for m in group.values()]
    )
    login(client, secretary)
    for changes, message in BAD_DECISION_INPUT:
        changes = {k: (str(outsider.pk) if v == "outsider" else v) for k, v in changes.items()}
        response = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/decision/", decision_data(**changes))
        assert response.status_code == 200, changes
        page = response.content.decode().replace("&#x27;", "'")
        assert message in page and "The decision was not recorded." in page, changes
        assert not Decision.objects.exists() and not Assignment.objects.exists(), changes


def test_decision_before_the_meeting_is_refused(client, group, body, chair, secretary):
    meeting = meeting_in(body, secretary, chair)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    record_attendance(
        meeting, actor=secretary.user, members=[AttendanceRow(m.pk, True) for m in group.values()]
    )
    login(client, secretary)
    page = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/decision/", decision_data()).content.decode()
    assert "Decisions are recorded at or after the meeting, not before it." in page
    assert not Decision.objects.exists()
    other = meeting_in(body, secretary, chair, days=12)
    assert client.get(f"/meetings/{other.pk}/items/{item.pk}/decision/").status_code == 404


# --- query-count guard --------------------------------------------------------------------

# Today's count for the secretary (who sees every section), rendered afresh: 1 for the session,
# 1 for the user, 1 for the memberships, 1 for the audit head, 1 for the header's bodies, 1 for the
# meeting, the rest for its parts (alqa.queries.meetings.meeting_page: agenda items with their
# proposals and remarked decisions, files, invitations, attendance, members on the day, decisions,
# executors, compliance remarks on the decisions, participants left to invite), and 1 for the
# reader's own invitation, read outside the cached content (alqa.queries.meetings.my_invitation).
# Served from the cache it is 4 (tests/views/test_page_cache.py).
MEETING_PAGE_MAX = 16


def _grow(meeting, *, items, members, decisions, secretary, speaker, proposal):
    """Add agenda items (each with a file), members marked present and invited, and decisions with
    an executor each: fast, with bulk_create."""
    body = meeting.body
    start = AgendaItem.objects.filter(meeting=meeting).count()
    new_items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=start + i + 1,
            title_ru=f"Вопрос {start + i:03d}",
            title_kk=f"Мәселе {i}",
            kind=AgendaItemKind.PROPOSAL if i == 0 else AgendaItemKind.OTHER,
            speaker=speaker,
            proposal=proposal if i == 0 else None,
            plan_item_ref=f"п. {i}",
        )
        for i in range(items)
    )
    Attachment.objects.bulk_create(
        Attachment(
            body=body,
            agenda_item=item,
            file=f"attachments/x{item.pk}.pdf",
            name=f"file-{item.pk}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            uploaded_by=secretary.user,
        )
        for item in new_items
    )
    people = Member.objects.bulk_create(
        Member(
            body=body,
            full_name=f"Участник {meeting.pk}-{i:03d}",
            side=Side.POLICE if i % 2 else Side.BAR,
            active_from=date(2025, 1, 1),
        )
        for i in range(members)
    )
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m, present=True) for m in people)
    Invitation.objects.bulk_create(Invitation(meeting=meeting, member=m) for m in people)
    made = Decision.objects.bulk_create(
        Decision(
            meeting=meeting,
            agenda_item=new_items[i % len(new_items)],
            number=100 + i,
            text_ru=f"Решение {i:03d}",
            quorum={
                "rule": "each_side_majority",
                "met": True,
                "sides": {
                    "police": {"present": 1, "total": 1, "required": 1, "met": True},
                    "bar": {"present": 1, "total": 1, "required": 1, "met": True},
                },
                "overall": {"present": 2, "total": 2, "required": 2, "met": True},
            },
            created_by=secretary.user,
        )
        for i in range(decisions)
    )
    Assignment.objects.bulk_create(
        Assignment(decision=d, executor_member=speaker, due_date=date(2026, 12, 1), due_working_days=5)
        for d in made
    )


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_meeting_page_costs_the_same_with_3_and_30_items(
    client, group, body, chair, secretary, member, expert
):
    meeting = meeting_in(body, secretary, chair, days=-1)
    proposal = submit_proposal(
        body=body,
        author=member,
        actor=member.user,
        title_ru="Предложение",
        memo_ru="Справка",
        files=[SimpleUploadedFile("memo.pdf", PDF)],
    )
    invite_guest(meeting, guest=expert, actor=secretary.user)
    earlier = meeting_in(body, secretary, chair, days=-40)
    remark_target = Decision.objects.create(
        meeting=earlier,
        agenda_item=add_agenda_item(earlier, actor=secretary.user, title_ru="Старый"),
        text_ru="Старое решение",
        created_by=secretary.user,
    )
    add_agenda_item(meeting, actor=secretary.user, title_ru="Замечание", remark_on=remark_target)
    _grow(meeting, items=2, members=4, decisions=3, secretary=secretary, speaker=member, proposal=proposal)
    url = f"/meetings/{meeting.pk}/"
    login(client, secretary)

    def count(*expect):
        # _grow writes with bulk_create, past the audit trail, so the page's cached content would
        # not know of it: each count renders the content afresh (what the first reader after a
        # change pays).
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        page = response.content.decode()
        for text in expect:
            assert text in page, text
        return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]

    small, sql_small = count("Вопрос 001", "Решение 002", "Старое решение", "memo.pdf")
    _grow(meeting, items=27, members=36, decisions=27, secretary=secretary, speaker=member, proposal=None)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 30
    assert Attendance.objects.filter(meeting=meeting).count() == 40
    assert Decision.objects.filter(meeting=meeting).count() == 30
    large, sql_large = count("Вопрос 029", "Решение 026", f"Участник {meeting.pk}-035")
    assert large == small, "queries grew with the data:\n" + "\n".join(sql_large)
    assert small <= MEETING_PAGE_MAX, "\n".join(sql_small)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_meeting_list_costs_the_same_with_more_meetings(client, group, body, chair, secretary):
    meeting_in(body, secretary, chair)
    held_in(body, group, -3)  # the cadence reads attendance once there is a past meeting
    url = f"/bodies/{body.pk}/meetings/"
    login(client, secretary)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    Meeting.objects.bulk_create(
        Meeting(
            body=body,
            starts_at=local(-i * 30),
            place="Зал",
            presiding=chair,
            created_by=secretary.user,
            uid=f"bulk-{i}",
            status=MeetingStatus.CANCELLED if i % 5 == 0 else MeetingStatus.SCHEDULED,
        )
        for i in range(1, 40)
    )
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count("/meetings/") >= 40
    assert len(large.captured_queries) == len(small.captured_queries)
