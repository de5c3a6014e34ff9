"""Query-count guards: a page of the register costs the same number of queries whatever its size.

Each test loads a page with a small register, grows the register a hundredfold, loads the page
again and compares the two counts. A loop that touches the database once per row (an N+1) makes
the counts differ. The ceilings pin today's count, so that a new per-request query is a decision
rather than an accident; lower them when a query is saved.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alqa.domain.bodies import create_unit
from alqa.enums import GuestKind, Role, Side, UnitKind
from alqa.models import Guest, Member, Unit
from tests.conftest import make_member

# Today's counts for a plain member, with nothing in the cache (the first page after a change).
# Of these, every signed-in page spends 1 on the session, 1 on the user, 1 on the user's
# memberships (permissions._memberships, once a request), 1 on the audit head and 1 on the
# bodies of the header's menu (alqa.fragments; the last two only when its cached copy is stale).
MEMBER_LIST_MAX = 8  # 7, and 1 to count the rows for the pages
BODY_PAGE_MAX = 16  # 15, and 1 for the cadence of meetings (dates of the meetings held)
UNIT_LIST_MAX = 7
GUEST_LIST_MAX = 7


def _queries(client, url, *, expect, warm=False):
    """Count the queries of one load of `url` (after a first load when `warm`: templates,
    translations and the session are then in the state of every later request)."""
    if warm:
        client.get(url)
    cache.clear()  # what the first reader after a change pays (every change renews the fragments)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    for text in expect:
        assert text in page, f"{text!r} is not on {url}"
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def _bulk_members(body, unit_by_side, count, *, start=0, role=Role.MEMBER):
    Member.objects.bulk_create(
        Member(
            body=body,
            full_name=f"Участник {i:04d}",
            email=f"m{i:04d}@bulk.alqa.test",
            side=Side.POLICE if i % 2 == 0 else Side.BAR,
            unit=unit_by_side[Side.POLICE if i % 2 == 0 else Side.BAR],
            role=role,
            position="Адвокат" if i % 2 else "Следователь",
            active_from=date(2025, 1, 1),
        )
        for i in range(start, start + count)
    )


def _same(small, large, ceiling):
    (n_small, sql_small), (n_large, sql_large) = small, large
    assert n_large == n_small, "queries grew with the data:\n" + "\n".join(sql_large)
    assert n_small <= ceiling, f"{n_small} queries, more than {ceiling}:\n" + "\n".join(sql_small)


@pytest.fixture
def units(body, admin_user, police_unit, bar_unit):
    return {Side.POLICE: police_unit, Side.BAR: bar_unit}


@pytest.fixture
def member_client(client, member):
    """Signed in as a plain member of the body: no second factor is demanded."""
    assert member.role == Role.MEMBER
    client.force_login(member.user)
    return client


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_member_list_costs_the_same_with_5_and_500_members(member_client, body, admin_user, units, member):
    for i in range(4):  # the signed-in member and four more, through the domain
        make_member(
            body,
            admin_user,
            email=f"small{i}@alqa.test",
            side=Side.POLICE,
            unit=units[Side.POLICE],
            password=None,
        )
    url = f"/bodies/{body.pk}/members/"
    assert Member.objects.filter(body=body).count() == 5
    small = _queries(member_client, url, expect=[member.full_name], warm=True)

    _bulk_members(body, units, 495)
    assert Member.objects.filter(body=body).count() == 500
    large = _queries(  # the first of five pages of a hundred: the bar side comes first
        member_client,
        url,
        expect=["Участник 0001", "Участник 0191", "Страница 1 из 5", units[Side.BAR].name_ru],
    )
    _same(small, large, MEMBER_LIST_MAX)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_member_list_of_all_periods_costs_the_same(member_client, body, units):
    url = f"/bodies/{body.pk}/members/?all=1&side=police"
    _bulk_members(body, units, 1)
    small = _queries(member_client, url, expect=["Участник 0000"], warm=True)
    _bulk_members(body, units, 300, start=1)
    Member.objects.filter(body=body, full_name__startswith="Участник 00").update(active_to=date(2025, 6, 30))
    large = _queries(member_client, url, expect=["Участник 0000", "Участник 0196", "Страница 1 из 2"])
    _same(small, large, MEMBER_LIST_MAX)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_body_page_costs_the_same_with_more_members_and_leaders(
    member_client, body, admin_user, units, chair
):
    url = f"/bodies/{body.pk}/"
    small = _queries(member_client, url, expect=[chair.full_name], warm=True)
    _bulk_members(body, units, 400)
    _bulk_members(body, units, 20, start=400, role=Role.DEPUTY_CHAIR)
    large = _queries(member_client, url, expect=[chair.full_name, "Участник 0419"])
    _same(small, large, BODY_PAGE_MAX)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_unit_list_costs_the_same_with_more_units_and_members(member_client, body, admin_user, units):
    url = f"/bodies/{body.pk}/units/"
    small = _queries(member_client, url, expect=[units[Side.POLICE].name_ru], warm=True)
    create_unit(
        body=body,
        actor=admin_user,
        name_ru="Отдел 000",
        side=Side.POLICE,
        kind=UnitKind.SUBORDINATE,
        parent=units[Side.POLICE],
    )
    Unit.objects.bulk_create(  # subordinate units under both organisations: the "part of" column
        Unit(body=body, name_ru=f"Отдел {i:03d}", side=side, kind=UnitKind.SUBORDINATE, parent=units[side])
        for i in range(1, 60)
        for side in [Side.POLICE if i % 2 == 0 else Side.BAR]
    )
    _bulk_members(body, units, 300)
    assert Unit.objects.filter(body=body).count() == 62
    large = _queries(member_client, url, expect=["Отдел 000", "Отдел 059"])
    _same(small, large, UNIT_LIST_MAX)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_participant_list_costs_the_same_with_more_participants(member_client, body):
    url = f"/bodies/{body.pk}/participants/"
    Guest.objects.create(body=body, full_name="Эксперт 000", kind=GuestKind.EXPERT)
    small = _queries(member_client, url, expect=["Эксперт 000"], warm=True)
    Guest.objects.bulk_create(
        Guest(body=body, full_name=f"Эксперт {i:03d}", kind=GuestKind.SPECIALIST) for i in range(1, 200)
    )
    large = _queries(member_client, url, expect=["Эксперт 199"])
    _same(small, large, GUEST_LIST_MAX)
