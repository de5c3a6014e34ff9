"""Things that exist once, created by parallel requests: a calendar exception for a date, an
invitation of a participant to a meeting (issue: 20 parallel requests gave 11 answers of 500)."""

from collections import Counter

from django.core import mail

from alqa.domain.bodies import add_guest
from alqa.domain.meetings import approve_agenda
from alqa.models import AuditEvent, CalendarException, Invitation, OutboxMessage, User
from tests.concurrency.parallel import N, api_post, page_post, run_parallel, statuses
from tests.conftest import meeting_on

TAKEN = "This date already has an exception; remove it first."
ALREADY_INVITED = "This participant is already invited."

EXCEPTION = {
    "date": "2026-12-04",
    "kind": "day_off",
    "name_ru": "Перенос выходного дня",
    "name_kk": "Демалыс күнін ауыстыру",
    "legal_act": "Постановление Правительства РК № 123",
}


def assert_one_exception():
    dates = CalendarException.objects.values_list("date", flat=True)
    assert [d.isoformat() for d in dates] == ["2026-12-04"]
    assert AuditEvent.objects.filter(action="calendar.exception_added").count() == 1


def test_twenty_parallel_exceptions_for_one_date_through_the_api_create_one(server, token, admin_user):
    call = api_post(token(admin_user), "/calendar/exceptions", EXCEPTION)
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {201: 1, 422: N - 1}
    assert_one_exception()
    for answer in answers:
        if answer.status == 422:
            assert answer.json()["detail"] == [{"loc": ["body", "date"], "msg": TAKEN, "type": "value_error"}]


def test_twenty_parallel_exceptions_for_one_date_through_the_page_create_one(server, session, admin_user):
    call = page_post(session(admin_user), "/workdays/calendar/new/", EXCEPTION)
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {302: 1, 200: N - 1}
    assert next(a for a in answers if a.status == 302).location == "/workdays/calendar/?year=2026"
    assert all(TAKEN in a.text for a in answers if a.status == 200)
    assert_one_exception()


def _expert(body, secretary):
    return add_guest(body=body, actor=secretary.user, full_name="Эксперт Нурлан", email="expert@alqa.test")


def _approved_meeting(body, secretary, chair, days=7):
    meeting, _item = meeting_on(body, secretary, chair, days=days)
    approve_agenda(meeting, actor=chair.user)
    return meeting


def assert_invited_once(meeting, expert, *, outbox_after: int, sent_before: int):
    assert Invitation.objects.filter(meeting=meeting, guest=expert).count() == 1
    assert AuditEvent.objects.filter(action="meeting.guest_invited").count() == 1
    # the agenda was approved, so the invitation went out at once: once
    assert list(OutboxMessage.objects.filter(pk__gt=outbox_after).values_list("to", flat=True)) == [
        expert.email
    ]
    assert [m.to for m in mail.outbox[sent_before:]] == [[expert.email]]


def _marks():
    last = OutboxMessage.objects.order_by("-id").first()
    return {"outbox_after": last.pk if last else 0, "sent_before": len(mail.outbox)}


def test_twenty_parallel_invitations_of_one_guest_through_the_api_invite_once(
    server, token, body, chair, secretary
):
    meeting = _approved_meeting(body, secretary, chair)
    expert = _expert(body, secretary)
    marks = _marks()
    call = api_post(token(secretary.user), f"/meetings/{meeting.pk}/guests", {"guest_id": expert.pk})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {201: 1, 422: N - 1}
    for answer in answers:
        if answer.status == 422:
            assert answer.json()["detail"] == [
                {"loc": ["body", "guest_id"], "msg": ALREADY_INVITED, "type": "value_error"}
            ]
    assert_invited_once(meeting, expert, **marks)


def test_twenty_parallel_invitations_of_one_guest_through_the_page_invite_once(
    server, session, body, chair, secretary
):
    meeting = _approved_meeting(body, secretary, chair)
    expert = _expert(body, secretary)
    marks = _marks()
    call = page_post(session(secretary.user), f"/meetings/{meeting.pk}/invite/", {"guest": expert.pk})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {302: N}
    shown = Counter(message for a in answers for message in a.messages())
    assert shown.pop("Эксперт Нурлан has been invited.") == 1
    # the others are told, by the domain or (once the first is saved) by the form's list of
    # participants not yet invited, that there is nothing to do
    assert set(shown) <= {
        ALREADY_INVITED,
        "Select a valid choice. That choice is not one of the available choices.",
    }
    assert sum(shown.values()) == N - 1
    assert_invited_once(meeting, expert, **marks)


def test_one_new_guest_invited_to_twenty_meetings_at_once_becomes_one_user(
    server, token, body, chair, secretary
):
    meetings = [meeting_on(body, secretary, chair, days=7 + i)[0] for i in range(N)]
    expert = _expert(body, secretary)
    assert expert.user_id is None
    secret = token(secretary.user)
    answers = run_parallel(
        server, [api_post(secret, f"/meetings/{m.pk}/guests", {"guest_id": expert.pk}) for m in meetings]
    )
    assert statuses(answers) == {201: N}
    assert Invitation.objects.filter(guest=expert).count() == N
    assert User.objects.filter(email="expert@alqa.test").count() == 1
    expert.refresh_from_db()
    assert expert.user.email == "expert@alqa.test"
