from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from alqa.domain.bodies import update_policy
from alqa.domain.cadence import NO_ATTENDANCE, NO_QUORUM, Breach, NotHeld, add_months, cadence
from alqa.domain.meetings import AttendanceRow, body_cadence, quorum_for, record_attendance
from alqa.domain.quorum import compute_quorum, more_than_half
from alqa.enums import MeetingStatus, QuorumRule, Side
from alqa.models import Meeting
from tests.conftest import make_member
from tests.helpers import local, meeting_in


def test_each_side_majority_shows_its_arithmetic():
    q = compute_quorum(
        rule="each_side_majority", present={"police": 5, "bar": 3}, total={"police": 8, "bar": 6}
    )
    assert (q.sides["police"].required, q.sides["police"].met) == (5, True)
    assert (q.sides["bar"].required, q.sides["bar"].met) == (4, False)
    assert not q.met


def test_overall_majority_needs_both_sides_present():
    q = compute_quorum(
        rule="overall_majority_both_sides", present={"police": 8, "bar": 0}, total={"police": 8, "bar": 6}
    )
    assert q.overall.met and not q.met
    q = compute_quorum(
        rule="overall_majority_both_sides", present={"police": 7, "bar": 1}, total={"police": 8, "bar": 6}
    )
    assert q.met


def test_a_side_without_members_never_meets():
    assert not compute_quorum(rule="each_side_majority", present={"police": 3}, total={"police": 3}).met


@given(st.integers(0, 200))
def test_more_than_half_is_the_least_majority(total):
    need = more_than_half(total)
    assert need * 2 > total and (need - 1) * 2 <= total


def test_months_are_added_to_the_calendar():
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), 2) == date(2026, 3, 15)


def test_cadence_warns_14_days_before_and_lists_breaches():
    held = [date(2026, 1, 15), date(2026, 4, 20), date(2026, 6, 1)]
    c = cadence(held=held, interval_months=2, today=date(2026, 7, 20))
    assert c.last == date(2026, 6, 1) and c.next_due == date(2026, 8, 1)
    assert c.warning and not c.overdue
    assert [(b.previous, b.due, b.held) for b in c.breaches] == [
        (date(2026, 1, 15), date(2026, 3, 15), date(2026, 4, 20))
    ]
    calm = cadence(held=held, interval_months=2, today=date(2026, 7, 1))
    assert not calm.warning
    late = cadence(held=held, interval_months=2, today=date(2026, 8, 2))
    assert late.overdue and late.breaches[-1].held is None
    planned = cadence(held=held + [date(2026, 7, 30)], interval_months=2, today=date(2026, 7, 20))
    assert not planned.warning
    scheduled = cadence(held=held, scheduled=[date(2026, 8, 1)], interval_months=2, today=date(2026, 7, 20))
    assert not scheduled.warning and scheduled.last == date(2026, 6, 1)  # the last day of the interval
    too_late = cadence(held=held, scheduled=[date(2026, 8, 2)], interval_months=2, today=date(2026, 7, 20))
    assert too_late.warning
    later_today = cadence(
        held=held, scheduled=[date(2026, 7, 31)], interval_months=2, today=date(2026, 7, 31)
    )
    assert not later_today.warning and later_today.last == date(2026, 6, 1)


def test_a_meeting_not_held_leaves_the_interval_open():
    not_held = [NotHeld(date(2026, 3, 10), 7, NO_QUORUM), NotHeld(date(2026, 2, 1), 5, NO_ATTENDANCE)]
    c = cadence(held=[date(2026, 1, 15)], not_held=not_held, interval_months=2, today=date(2026, 3, 20))
    assert c.last == date(2026, 1, 15) and c.overdue
    assert c.breaches == (Breach(date(2026, 1, 15), date(2026, 3, 15), None),)
    assert [(n.day, n.no_quorum) for n in c.not_held] == [
        (date(2026, 2, 1), False),
        (date(2026, 3, 10), True),
    ]


# --- the body's cadence: only meetings held with a quorum count (clause 3.3 with 3.4) ----------

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def six(body, admin_user, chair, secretary, member, deputy):
    """Three members a side: the quorum of each side is 2 (more than half of 3)."""
    police = [chair, secretary, make_member(body, admin_user, email="p3@alqa.test")]
    bar = [member, deputy, make_member(body, admin_user, email="b3@alqa.test", side=Side.BAR)]
    return police, bar


def _meeting_days_ago(body, secretary, chair, days: int, *, hour: int = 10) -> Meeting:
    return meeting_in(body, secretary, chair, -days, starts_at=local(-days, hour), place="Зал")


def _attend(meeting, secretary, everyone, present):
    rows = [AttendanceRow(m.pk, m in present) for m in everyone]
    return record_attendance(meeting, actor=secretary.user, members=rows)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_only_a_meeting_with_its_quorum_counts_as_held(body, secretary, chair, six):
    police, bar = six
    everyone = police + bar
    with_quorum = _meeting_days_ago(body, secretary, chair, 40)
    assert _attend(with_quorum, secretary, everyone, police[:2] + bar[:2]).met  # 2 of 3 a side: just met
    one_short = _meeting_days_ago(body, secretary, chair, 30)
    assert not _attend(one_short, secretary, everyone, police + bar[:1]).met  # bar: 1 of 3
    unrecorded = _meeting_days_ago(body, secretary, chair, 20)
    cancelled = _meeting_days_ago(body, secretary, chair, 10)
    Meeting.objects.filter(pk=cancelled.pk).update(status=MeetingStatus.CANCELLED)
    ahead = _meeting_days_ago(body, secretary, chair, -5)

    c = body_cadence(body)
    assert c.last == with_quorum.starts_at.date() == timezone.localdate() - timedelta(days=40)
    assert [(n.meeting_id, n.reason) for n in c.not_held] == [
        (one_short.pk, NO_QUORUM),
        (unrecorded.pk, NO_ATTENDANCE),
    ]
    assert ahead.pk not in [n.meeting_id for n in c.not_held]
    # the meeting one advocate short becomes a held meeting when the second is marked present
    _attend(one_short, secretary, [bar[1]], [bar[1]])
    c = body_cadence(body)
    assert c.last == timezone.localdate() - timedelta(days=30)
    assert [n.meeting_id for n in c.not_held] == [unrecorded.pk]


def test_the_quorum_of_the_cadence_follows_the_bodys_rule(body, admin_user, secretary, chair, six):
    police, bar = six
    meeting = _meeting_days_ago(body, secretary, chair, 3)
    _attend(meeting, secretary, police + bar, police + bar[:1])  # 4 of 6, one advocate
    assert [n.reason for n in body_cadence(body).not_held] == [NO_QUORUM]
    update_policy(
        body.policy, actor=admin_user, changes={"quorum_rule": QuorumRule.OVERALL_MAJORITY_BOTH_SIDES}
    )
    body.refresh_from_db()
    c = body_cadence(body)
    assert c.not_held == () and c.last == meeting.starts_at.astimezone(ALMATY).date()
    assert quorum_for(meeting).met  # the same arithmetic as the meeting page's


def test_members_not_in_office_on_the_day_do_not_count(body, admin_user, secretary, chair, six):
    police, bar = six
    meeting = _meeting_days_ago(body, secretary, chair, 3)
    _attend(meeting, secretary, police + bar, police[:2] + bar[:2])
    assert body_cadence(body).not_held == ()
    # two advocates appointed after the meeting do not raise the number it needed
    later = timezone.localdate() - timedelta(days=1)
    for i in range(2):
        make_member(body, admin_user, email=f"late{i}@alqa.test", side=Side.BAR, active_from=later)
    assert body_cadence(body).not_held == ()
    # nor do two who had left the day before it; two who left on its day did count
    day = timezone.localdate() - timedelta(days=3)
    for i, end in enumerate((day - timedelta(days=1), day - timedelta(days=1))):
        make_member(
            body,
            admin_user,
            email=f"gone{i}@alqa.test",
            side=Side.BAR,
            active_from=date(2025, 1, 1),
            active_to=end,
        )
    assert body_cadence(body).not_held == ()
    for i in range(2):
        make_member(
            body,
            admin_user,
            email=f"left{i}@alqa.test",
            side=Side.BAR,
            active_from=date(2025, 1, 1),
            active_to=day,
        )
    assert [n.reason for n in body_cadence(body).not_held] == [NO_QUORUM]  # bar: 2 of 5


def test_invited_participants_alone_are_no_attendance_of_members(body, admin_user, secretary, chair, six):
    from alqa.domain.bodies import add_guest

    meeting = _meeting_days_ago(body, secretary, chair, 3)
    guest = add_guest(body=body, actor=admin_user, full_name="Эксперт")
    record_attendance(meeting, actor=secretary.user, members=[], guests=[(guest.pk, True)])
    assert [(n.meeting_id, n.reason) for n in body_cadence(body).not_held] == [(meeting.pk, NO_ATTENDANCE)]


def test_a_meeting_later_today_is_scheduled_and_one_begun_today_awaits_its_attendance(
    body, secretary, chair, six
):
    today = timezone.localdate()
    with time_machine.travel(datetime(today.year, today.month, today.day, 9, tzinfo=ALMATY), tick=False):
        meeting = _meeting_days_ago(body, secretary, chair, 0, hour=10)
        assert body_cadence(body).not_held == ()  # at 9:00 it is still ahead
    with time_machine.travel(datetime(today.year, today.month, today.day, 10, tzinfo=ALMATY), tick=False):
        assert [(n.meeting_id, n.reason) for n in body_cadence(body).not_held] == [
            (meeting.pk, NO_ATTENDANCE)
        ]


def test_the_cadence_costs_three_queries_whatever_the_number_of_meetings(
    body, secretary, chair, six, django_assert_num_queries
):
    police, bar = six
    for days in (30, 20, 10):
        _attend(_meeting_days_ago(body, secretary, chair, days), secretary, police + bar, police + bar)
    body.refresh_from_db()
    body.policy  # noqa: B018  (loaded as the pages load it, with the body)
    with django_assert_num_queries(3):
        assert len([body_cadence(body)]) == 1
