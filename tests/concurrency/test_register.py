"""The register under parallel requests: one chair per body, no overlapping memberships of one
person (issue: 20 parallel adds of a chair gave 4 chairs; of one e-mail, 14 overlapping periods)."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from alqa.domain import members as register
from alqa.domain.members import add_member
from alqa.enums import Role, Side
from alqa.models import AuditEvent, Member, OutboxMessage
from tests.concurrency.parallel import N, api_post, page_post, run_parallel, statuses

ROLE_TAKEN = "already holds this role for an overlapping period."
EMAIL_TAKEN = "A member with this e-mail is already in this body for an overlapping period."


def chair_fields(i: int) -> dict:
    """Twenty different people, each proposed as chair of the police side from the same day."""
    return {
        "full_name": f"Кандидат {i:02d}",
        "email": f"candidate{i:02d}@police.kz",
        "side": Side.POLICE,
        "role": Role.CHAIR,
        "position": "Заместитель начальника ДП",
        "basis_kind": "order",
        "basis_number": f"{i}-лс",
        "basis_date": "2025-01-10",
        "active_from": "2025-02-01",
        "language": "ru",
    }


def same_person(i: int) -> dict:
    """One e-mail, twenty start dates: every period overlaps every other (they all end 2026-12-31)."""
    return {
        "full_name": "Оспанов Ерлан",
        "email": "ospanov@police.kz",
        "side": Side.POLICE,
        "role": Role.MEMBER,
        "active_from": (date(2025, 1, 1) + timedelta(days=i)).isoformat(),
        "active_to": "2026-12-31",
        "language": "ru",
    }


def assert_one_chair(body):
    chairs = Member.objects.filter(body=body, role=Role.CHAIR)
    assert chairs.count() == 1
    assert AuditEvent.objects.filter(action="member.added", data__role=Role.CHAIR).count() == 1
    winner = chairs.get()
    # only the winner was written at all: one user, one invitation
    assert OutboxMessage.objects.filter(to__startswith="candidate").count() == 1
    assert OutboxMessage.objects.filter(to=winner.email).count() == 1
    return winner


def assert_one_membership():
    assert Member.objects.filter(email="ospanov@police.kz").count() == 1
    assert AuditEvent.objects.filter(action="member.added", data__email="ospanov@police.kz").count() == 1
    assert OutboxMessage.objects.filter(to="ospanov@police.kz").count() == 1


def test_twenty_parallel_chairs_through_the_api_leave_one(server, token, body, secretary):
    secret = token(secretary.user)
    answers = run_parallel(
        server, [api_post(secret, f"/bodies/{body.pk}/members", chair_fields(i)) for i in range(N)]
    )
    assert statuses(answers) == {201: 1, 422: N - 1}
    winner = assert_one_chair(body)
    created = next(a for a in answers if a.status == 201).json()
    assert created["id"] == winner.pk
    for answer in answers:
        if answer.status == 422:
            [error] = answer.json()["detail"]
            assert error["loc"] == ["body", "role"]
            assert error["msg"] == f"{winner.full_name} {ROLE_TAKEN}"


def test_twenty_parallel_chairs_through_the_page_leave_one(server, session, body, secretary):
    cookie = session(secretary.user)
    url = f"/bodies/{body.pk}/members/new/"
    answers = run_parallel(server, [page_post(cookie, url, chair_fields(i)) for i in range(N)])
    # the winner is taken to the new member's page; the others see the form again with the reason
    assert statuses(answers) == {302: 1, 200: N - 1}
    winner = assert_one_chair(body)
    assert next(a for a in answers if a.status == 302).location == f"/members/{winner.pk}/"
    for answer in answers:
        if answer.status == 200:
            assert f"{winner.full_name} {ROLE_TAKEN}" in answer.text


def test_twenty_parallel_adds_of_one_email_through_the_api_leave_one_period(server, token, body, secretary):
    secret = token(secretary.user)
    answers = run_parallel(
        server, [api_post(secret, f"/bodies/{body.pk}/members", same_person(i)) for i in range(N)]
    )
    assert statuses(answers) == {201: 1, 422: N - 1}
    assert_one_membership()
    for answer in answers:
        if answer.status == 422:
            assert answer.json()["detail"] == [
                {"loc": ["body", "email"], "msg": EMAIL_TAKEN, "type": "value_error"}
            ]


def test_twenty_parallel_adds_of_one_email_through_the_page_leave_one_period(
    server, session, body, secretary
):
    cookie = session(secretary.user)
    url = f"/bodies/{body.pk}/members/new/"
    answers = run_parallel(server, [page_post(cookie, url, same_person(i)) for i in range(N)])
    assert statuses(answers) == {302: 1, 200: N - 1}
    assert_one_membership()
    assert all(EMAIL_TAKEN in a.text for a in answers if a.status == 200)


def test_twenty_members_made_chair_at_once_leave_one(server, token, body, secretary):
    """The rule holds for changes too: twenty members each made chair at the same moment."""
    people = [
        add_member(
            body=body,
            actor=secretary.user,
            full_name=f"Сотрудник {i:02d}",
            side=Side.POLICE,
            role=Role.MEMBER,
            active_from=date(2025, 1, 1),
        )
        for i in range(N)
    ]
    secret = token(secretary.user)
    answers = run_parallel(server, [_patch(secret, f"/members/{m.pk}", {"role": "chair"}) for m in people])
    assert statuses(answers) == {200: 1, 422: N - 1}
    assert Member.objects.filter(body=body, role=Role.CHAIR).count() == 1
    assert AuditEvent.objects.filter(action="member.changed", data__role__1=Role.CHAIR).count() == 1


def _patch(secret, path, payload):
    call = api_post(secret, path, payload)
    return type(call)("PATCH", call.path, call.body, call.headers)


def test_without_the_register_lock_the_database_still_keeps_the_rule(
    server, token, body, secretary, monkeypatch
):
    """The lock taken away (as a code path that forgot it would): on PostgreSQL the exclusion and
    partial unique constraints refuse what the parallel checks let through, and the refusal is
    the same field error; on SQLite the IMMEDIATE transactions alone serialise the checks."""
    monkeypatch.setattr(register, "_lock_register", lambda body_id: None)
    secret = token(secretary.user)
    answers = run_parallel(
        server,
        [api_post(secret, f"/bodies/{body.pk}/members", same_person(i)) for i in range(N // 2)]
        + [api_post(secret, f"/bodies/{body.pk}/members", chair_fields(i)) for i in range(N // 2)],
    )
    assert statuses(answers) == {201: 2, 422: N - 2}
    assert_one_membership()
    assert Member.objects.filter(body=body, role=Role.CHAIR).count() == 1


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_the_database_refuses_overlapping_periods_written_past_the_domain(body, secretary):
    """What the database itself holds. Everywhere: one open period per e-mail and one open chair
    per body. On PostgreSQL also every overlap of dates (exclusion constraints)."""
    base = {"body": body, "side": Side.POLICE, "full_name": "Двойник"}
    Member.objects.create(**base, email="twin@police.kz", active_from=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(**base, email="twin@police.kz", active_from=date(2025, 6, 1))
    Member.objects.create(**base, role=Role.CHAIR, active_from=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(**base, role=Role.CHAIR, active_from=date(2025, 3, 1))
    closed = {"active_from": date(2020, 1, 1), "active_to": date(2020, 12, 31)}
    Member.objects.create(**base, email="closed@police.kz", **closed)
    overlapping = {"active_from": date(2020, 6, 1), "active_to": date(2021, 6, 30)}
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="member_email_no_overlap"), transaction.atomic():
            Member.objects.create(**base, email="closed@police.kz", **overlapping)
        with pytest.raises(IntegrityError, match="member_role_no_overlap"), transaction.atomic():
            Member.objects.create(**base, role=Role.SECRETARY, **closed)
            Member.objects.create(**base, role=Role.SECRETARY, **overlapping)
    # periods that touch no day of each other are the same person's return, allowed everywhere
    Member.objects.create(**base, email="closed@police.kz", active_from=date(2021, 1, 1))
    assert Member.objects.filter(email="closed@police.kz").count() == 2
