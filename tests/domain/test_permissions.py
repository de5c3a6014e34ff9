"""The reader's memberships (alqa.permissions._memberships), read once a request, are those of
Member.objects.on(today) on every kind of period, and a change is seen at once."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alqa import permissions
from alqa.domain.bodies import create_body
from alqa.domain.members import end_membership, update_member
from alqa.enums import Role, Side
from alqa.models import Member
from alqa.request_memo import RequestMemoMiddleware
from tests.conftest import make_member


def test_memberships_match_the_register_on_every_kind_of_period(admin_user):
    today = timezone.localdate()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    bodies = [create_body(actor=admin_user, name_ru=f"Группа {c}", city="Алматы") for c in "ДГВБА"]
    email = "person@alqa.test"
    ended = make_member(bodies[0], admin_user, email=email, role=Role.SECRETARY)
    end_membership(ended, actor=admin_user, on=yesterday)
    make_member(bodies[0], admin_user, email=email, active_from=today)  # a new period from today
    make_member(bodies[1], admin_user, email=email, active_from=tomorrow)  # not yet
    ends_today = make_member(bodies[2], admin_user, email=email, side=Side.BAR)
    end_membership(ends_today, actor=admin_user, on=today)  # still a member today
    make_member(bodies[3], admin_user, email=email, role=Role.CHAIR, active_from=today)
    gone = make_member(bodies[4], admin_user, email=email)
    end_membership(gone, actor=admin_user, on=yesterday)
    user = ended.user

    expected: dict[int, set[str]] = {}
    for body_id, role in Member.objects.filter(user=user).on(today).values_list("body_id", "role"):
        expected.setdefault(body_id, set()).add(role)
    found = permissions._memberships(user)
    assert {pk: set(roles) for pk, roles in found.roles.items()} == expected
    assert expected == {bodies[0].pk: {Role.MEMBER}, bodies[2].pk: {Role.MEMBER}, bodies[3].pk: {Role.CHAIR}}
    # in the bodies' order, by Russian name
    assert list(found.body_ids) == [
        b.pk for b in sorted((bodies[0], bodies[2], bodies[3]), key=lambda b: b.name_ru)
    ]
    assert [b.pk for b in permissions.listed_bodies_for_user(user)] == list(found.body_ids)
    assert not permissions.can_read_body(user, bodies[1].pk) and not permissions.can_read_body(
        user, bodies[4].pk
    )
    assert permissions.can_manage_body(user, bodies[3]) and not permissions.can_manage_body(user, bodies[0])


def test_memberships_are_read_once_a_request_and_again_after_a_change(body, admin_user, member):
    seen = []

    def view(request):
        with CaptureQueriesContext(connection) as reads:
            seen.append(permissions.can_manage_body(member.user, body))
            seen.append(permissions.can_read_body(member.user, body.pk))
        seen.append(len(reads.captured_queries))
        update_member(member, actor=admin_user, changes={"role": Role.SECRETARY})
        seen.append(permissions.can_manage_body(member.user, body))

    RequestMemoMiddleware(view)(None)
    # one read of the memberships (and of the audit head, which keys their cached copy)
    assert seen == [False, True, 2, True]
    # outside a request nothing is remembered
    update_member(member, actor=admin_user, changes={"role": Role.MEMBER})
    assert not permissions.can_manage_body(member.user, body)


def test_memberships_are_kept_until_the_next_change(body, admin_user, member):
    """Across requests the memberships come from the cache while the audit head stands still (one
    query: the head), and are read again after any audited change."""
    seen = []

    def view(request):
        with CaptureQueriesContext(connection) as reads:
            seen.append(permissions.can_manage_body(member.user, body))
        seen.append(len(reads.captured_queries))

    request = RequestMemoMiddleware(view)
    request(None)
    request(None)
    update_member(member, actor=admin_user, changes={"role": Role.SECRETARY})
    request(None)
    assert seen == [False, 2, False, 1, True, 2]
