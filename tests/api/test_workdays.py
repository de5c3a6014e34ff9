"""The working-day API (no login) and the calendar exceptions behind it."""

from datetime import date

import pytest
from django.utils import translation

from alqa.dates import human_date
from alqa.models import AuditEvent, CalendarException
from tests.api.conftest import Api, error_fields, translated

EXPLANATION = (
    "Counting starts the day after %(start)s; working day %(days)s is %(due)s. "
    "Days off passed over: %(skipped)s."
)


def written(day: str, language: str) -> str:
    """A date as the explanation writes it in `language` (e.g. «6 октября 2025 г.»)."""
    with translation.override(language):
        return human_date(date.fromisoformat(day))


def deadline(params, language="en", **kwargs):
    return Api(language=language, **kwargs).get("/workdays/deadline", params)


@pytest.mark.parametrize(
    ("language", "saturday", "sunday"),
    [("ru", "Суббота", "Воскресенье"), ("kk", "Сенбі", "Жексенбі"), ("en", "Saturday", "Sunday")],
)
def test_a_deadline_over_a_weekend_is_explained_in_the_callers_language(db, language, saturday, sunday):
    response = deadline({"start": "2025-10-06", "days": 5}, language)

    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("start", "days", "due", "skipped")} == {
        "start": "2025-10-06",
        "days": 5,
        "due": "2025-10-13",
        "skipped": [{"date": "2025-10-11", "reason": saturday}, {"date": "2025-10-12", "reason": sunday}],
    }
    explanation = data["explanation"]
    assert explanation.startswith(translated(EXPLANATION, language).split("%(start)s")[0])
    for part in (
        written("2025-10-06", language),
        written("2025-10-13", language),
        f"{written('2025-10-11', language)} — {saturday}; {written('2025-10-12', language)} — {sunday}",
    ):
        assert part in explanation
    assert ".." not in explanation


@pytest.mark.parametrize(
    ("language", "name"),
    [("ru", "День Независимости"), ("kk", "Тәуелсіздік күні"), ("en", "Independence Day")],
)
def test_a_public_holiday_is_passed_over_by_name(db, language, name):
    data = deadline({"start": "2025-12-15", "days": 2}, language).json()
    assert data["due"] == "2025-12-18"
    assert data["skipped"] == [{"date": "2025-12-16", "reason": name}]
    assert f"{written('2025-12-16', language)} — {name}" in data["explanation"]


def test_without_days_off_the_explanation_says_none(db):
    data = deadline({"start": "2025-06-02", "days": 3}, "kk").json()
    assert (data["due"], data["skipped"]) == ("2025-06-05", [])
    assert data["explanation"].endswith(translated("none", "kk") + ".")


def test_any_token_or_none_is_fine_for_the_calculator(db):
    assert deadline({"start": "2025-06-02", "days": 1}).json()["due"] == "2025-06-03"
    api = Api("alqa_garbage")
    assert api.get("/workdays/deadline", {"start": "2025-06-02", "days": 1}).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-02-30", "days": 5}, "start"),
        ({"start": "30.01.2025", "days": 5}, "start"),
        ({"start": "tomorrow", "days": 5}, "start"),
        ({"start": "", "days": 5}, "start"),
        ({"days": 5}, "start"),
        ({"start": "0001-01-01", "days": 5}, "start"),
        ({"start": "9999-12-31", "days": 5}, "start"),
        ({"start": "2025-06-02", "days": 0}, "days"),
        ({"start": "2025-06-02", "days": -3}, "days"),
        ({"start": "2025-06-02", "days": 1001}, "days"),
        ({"start": "2025-06-02", "days": 10**30}, "days"),
        ({"start": "2025-06-02", "days": "five"}, "days"),
        ({"start": "2025-06-02", "days": "1.5"}, "days"),
        ({"start": "2025-06-02"}, "days"),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_bad_deadline_queries_name_the_parameter(db, params, field, language):
    response = deadline(params, language)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert all(e["loc"][0] == "query" for e in response.json()["detail"])


def test_the_limits_are_told_in_the_callers_language(db):
    response = deadline({"start": "2025-06-02", "days": 1001}, "kk")
    assert error_fields(response) == {
        "days": [translated("Enter a value no larger than %(limit)s.", "kk", limit=1000)]
    }
    response = deadline({"start": "2025-06-02", "days": 0}, "ru")
    assert error_fields(response) == {
        "days": [translated("Enter a value of at least %(limit)s.", "ru", limit=1)]
    }
    response = deadline({"start": "2025-02-30", "days": 1}, "kk")
    assert error_fields(response) == {
        "start": [translated("Enter a valid date in the form YYYY-MM-DD.", "kk")]
    }


def test_a_count_that_runs_past_the_calendar_is_refused(db):
    response = deadline({"start": "2100-12-20", "days": 30}, "kk")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["query", "days"],
            "msg": translated(
                "The due date would fall after %(last)s, beyond the calendar known to the system.",
                "kk",
                last=2100,
            ),
            "type": "value_error",
        }
    ]


# --- calendar exceptions ------------------------------------------------------------------------------------

EXCEPTION = {
    "date": "2025-06-03",
    "kind": "day_off",
    "name_ru": "Перенесённый выходной",
    "name_kk": "Ауыстырылған демалыс",
    "legal_act": "Постановление Правительства РК № 1 от 01.01.2025",
}


def rows():
    return (CalendarException.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_staff_add_an_exception_and_deadlines_follow_it(who, staff_user, admin_user, as_user):
    user = {"staff": staff_user, "admin": admin_user}[who]
    assert deadline({"start": "2025-06-02", "days": 1}).json()["due"] == "2025-06-03"

    response = as_user(user).post("/calendar/exceptions", EXCEPTION)

    assert response.status_code == 201
    stored = CalendarException.objects.get()
    assert (
        str(stored.date),
        stored.kind,
        stored.name_ru,
        stored.name_kk,
        stored.legal_act,
        stored.created_by,
    ) == (
        "2025-06-03",
        "day_off",
        EXCEPTION["name_ru"],
        EXCEPTION["name_kk"],
        EXCEPTION["legal_act"],
        user,
    )
    assert response.json() == {"id": stored.id} | EXCEPTION
    event = AuditEvent.objects.get(action="calendar.exception_added")
    assert event.actor == user and event.body is None
    assert event.data["date"] == "2025-06-03" and event.data["legal_act"] == EXCEPTION["legal_act"]

    data = deadline({"start": "2025-06-02", "days": 1}, "kk").json()
    assert data["due"] == "2025-06-04"
    assert data["skipped"] == [{"date": "2025-06-03", "reason": "Ауыстырылған демалыс"}]
    listed = Api().get("/calendar/exceptions", {"year": 2025}).json()
    assert [e["id"] for e in listed] == [stored.id]
    assert Api().get("/calendar/exceptions", {"year": 2026}).json() == []


@pytest.mark.parametrize("who", ["chair", "member"])
def test_body_members_may_not_edit_the_calendar(who, chair, member, as_user):
    api = as_user({"chair": chair.user, "member": member.user}[who], language="kk")
    before = rows()
    response = api.post("/calendar/exceptions", EXCEPTION)
    assert response.status_code == 403
    assert response.json() == {"detail": translated("You do not have permission to do this.", "kk")}
    assert rows() == before


def test_an_anonymous_caller_may_not_edit_the_calendar(db):
    response = Api(language="ru").post("/calendar/exceptions", EXCEPTION)
    assert response.status_code == 401
    assert CalendarException.objects.count() == 0


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_second_exception_on_the_same_date_is_refused(staff_user, as_user, language):
    api = as_user(staff_user, language=language)
    assert api.post("/calendar/exceptions", EXCEPTION).status_code == 201
    before = rows()
    response = api.post("/calendar/exceptions", EXCEPTION | {"kind": "working_day", "name_ru": "Другое"})
    assert response.status_code == 422
    assert error_fields(response) == {
        "date": [translated("This date already has an exception; remove it first.", language)]
    }
    assert rows() == before
    assert CalendarException.objects.get().kind == "day_off"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2025-02-30"}, "date"),
        ({"date": "0001-01-01"}, "date"),
        ({"date": None}, "date"),
        ({"kind": "fiesta"}, "kind"),
        ({"name_ru": "   "}, "name_ru"),
        ({"name_ru": "Я" * 201}, "name_ru"),
        ({"legal_act": ""}, "legal_act"),
        ({"legal_act": 42}, "legal_act"),
    ],
)
def test_bad_exceptions_are_refused(staff_user, as_user, changes, field):
    api = as_user(staff_user, language="kk")
    before = rows()
    response = api.post("/calendar/exceptions", EXCEPTION | changes)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert rows() == before


@pytest.mark.parametrize("year", ["abc", "-1", "0", "99999", str(10**30)])
def test_a_bad_year_is_refused(db, year):
    response = Api(language="kk").get("/calendar/exceptions", {"year": year})
    assert response.status_code == 422
    assert "year" in error_fields(response)
