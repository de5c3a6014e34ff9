"""Query-count guards: data growth must not add queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alqa.enums import Role, Side
from alqa.models import Member


def add_plain_members(body, unit, count: int, *, start: int = 0) -> None:
    Member.objects.bulk_create(
        Member(
            body=body,
            full_name=f"Член {start + i:04d}",
            email=f"m{start + i}@alqa.test",
            side=Side.BAR if i % 2 else Side.POLICE,
            role=Role.MEMBER,
            unit=unit if i % 2 == 0 else None,
            position="адвокат",
            active_from=date(2025, 1, 1),
            active_to=None if i % 3 else date(2030, 12, 31),
        )
        for i in range(count)
    )


def queries_for(api, path, params=None) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
@pytest.mark.parametrize("who", ["chair", "admin"])
def test_the_member_list_costs_the_same_for_5_and_for_500_members(
    who, body, chair, admin_user, police_unit, as_user
):
    api = as_user(chair.user if who == "chair" else admin_user)
    path = f"/bodies/{body.id}/members"
    api.get("/bodies")  # the token's first use stamps last_used_at; measure what comes after

    add_plain_members(body, police_unit, 4)
    small, rows = queries_for(api, path)
    assert len(rows) == 5

    add_plain_members(body, police_unit, 495, start=4)
    large, rows = queries_for(api, path)
    assert len(rows) == 500
    assert large == small
    assert small <= 4, "token, body, members (and the user's roles) at most"

    on_date, rows = queries_for(api, path, {"on": "2025-06-01", "side": "bar"})
    assert len(rows) == Member.objects.filter(body=body, side=Side.BAR).count() > 200
    assert on_date == small


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_the_member_list_query_count_is_guarded(
    body, chair, police_unit, as_user, django_assert_max_num_queries
):
    api = as_user(chair.user)
    api.get("/bodies")
    add_plain_members(body, police_unit, 500)
    with django_assert_max_num_queries(4):
        response = api.get(f"/bodies/{body.id}/members")
    assert len(response.json()) == 501


def test_the_deadline_costs_the_same_for_5_and_for_500_days(db, anonymous):
    small, data = queries_for(anonymous, "/workdays/deadline", {"start": "2025-01-10", "days": 5})
    assert data["due"] == "2025-01-17"
    large, data = queries_for(anonymous, "/workdays/deadline", {"start": "2025-01-10", "days": 500})
    assert len(data["skipped"]) > 200
    assert large == small
    assert small <= 1, "one query for the administrators' exceptions"


def test_the_deadline_costs_the_same_with_many_exceptions(
    staff_user, as_user, anonymous, django_assert_max_num_queries
):
    api = as_user(staff_user)
    for day in ("2025-02-03", "2025-02-04", "2025-02-05"):
        exc = {"date": day, "kind": "day_off", "name_ru": "Выходной", "legal_act": "Постановление № 1"}
        assert api.post("/calendar/exceptions", exc).status_code == 201
    with django_assert_max_num_queries(1):
        data = anonymous.get("/workdays/deadline", {"start": "2025-01-31", "days": 500}).json()
    assert [s["date"] for s in data["skipped"][:5]] == [
        "2025-02-01",
        "2025-02-02",
        "2025-02-03",
        "2025-02-04",
        "2025-02-05",
    ]
