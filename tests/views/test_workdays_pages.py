"""The working-day calculator, the calendar of holidays and its exceptions, as readers see them in
Russian, Kazakh and English; and Kazakh dates and numbers."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from alqa.dates import human_date
from alqa.forms.registry import DeadlineForm
from alqa.models import AuditEvent, CalendarException

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waive_mfa")]


def page(client, url, language="ru", **headers):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def table(html: str, table_id: str) -> str:
    match = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', html, re.S)
    assert match, table_id
    return match.group(1)


def said(language: str, msgid: str, **params) -> str:
    """A message as the reader of `language` is told it (HTML-escaped as on the page)."""
    with translation.override(language):
        text = gettext(msgid)
    return escape(text % params if params else text)


def rows(html: str) -> list[str]:
    """The text of each body row, cells joined by ' | '."""
    body = html.split("<tbody>", 1)[1]
    result = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        result.append(" | ".join(cells))
    return result


# --- The calculator ------------------------------------------------------------------------------

NEW_YEAR_2025 = "/workdays/?start=2024-12-30&days=5"


def test_calculator_in_russian_passes_over_the_2025_new_year(client):
    html = page(client, NEW_YEAR_2025, "ru")
    assert '<html lang="ru">' in html
    assert 'data-due="2025-01-09"' in html
    assert "9 января 2025 г." in html
    assert rows(html[html.index("<caption>") :]) == [
        "1 января 2025 г. | Среда | Новый год",
        "2 января 2025 г. | Четверг | Новый год",
        "3 января 2025 г. | Пятница | Выходной день (перенесён с 05.01.2025)",
        "4 января 2025 г. | Суббота | Суббота",
        "7 января 2025 г. | Вторник | Православное Рождество",
    ]


def test_calculator_in_kazakh_by_the_language_cookie(client):
    client.cookies["alqa_language"] = "kk"
    html = client.get(NEW_YEAR_2025).content.decode()
    assert '<html lang="kk">' in html
    assert "2025 жылғы 9 қаңтар" in html
    assert "Бейсенбі" in html  # 9 January 2025 is a Thursday
    assert rows(html[html.index("<caption>") :])[2] == (
        "2025 жылғы 3 қаңтар | Жұма | Демалыс күні (05.01.2025 бастап ауыстырылды)"
    )
    assert "Православиелік Рождество" in html


def test_calculator_in_english(client):
    html = page(client, NEW_YEAR_2025, "en")
    assert "Due: Jan. 9, 2025" in html
    assert "Counting starts the day after Dec. 30, 2024; the due date is working day 5." in html
    assert "Day off (moved from 05.01.2025)" in html and "Orthodox Christmas" in html


def test_an_event_on_a_day_off_is_explained(client):
    html = page(client, "/workdays/?start=2025-03-08&days=1", "en")
    assert 'data-due="2025-03-11"' in html
    assert "The event date is a day off (International Women&#x27;s Day), so the count starts" in html


def test_the_htmx_request_gets_only_the_result(client):
    html = page(client, "/workdays/?start=2026-08-28&days=1", "ru", HTTP_HX_REQUEST="true")
    assert "<html" not in html
    assert 'data-due="2026-08-31"' in html  # 30 August 2026 is no longer a holiday
    assert "31 августа 2026 г." in html


def test_the_empty_calculator_shows_the_form_and_no_errors(client):
    html = page(client, "/workdays/", "en")
    assert 'name="start"' in html and 'name="days"' in html
    assert 'role="alert"' not in html and "data-due" not in html


@pytest.mark.parametrize(
    ("query", "language", "msgid", "params"),
    [
        ("start=2025-13-45&days=5", "ru", "Enter a valid date.", {}),
        ("start=2025-13-45&days=5", "kk", "Enter a valid date.", {}),
        ("start=2025-13-45&days=5", "en", "Enter a valid date.", {}),
        ("start=2026-01-09&days=abc", "ru", "Enter a whole number.", {}),
        ("start=2026-01-09&days=abc", "kk", "Enter a whole number.", {}),
        ("start=2026-01-09&days=-1", "ru", "Enter a number of working days of at least 1.", {}),
        ("start=2026-01-09&days=0", "en", "Enter a number of working days of at least 1.", {}),
        (
            "start=2026-01-09&days=100000",
            "kk",
            "Enter a number of working days no larger than %(limit_value)s.",
            {"limit_value": 1000},
        ),
        ("start=2026-01-09&days=" + "9" * 5000, "en", "Enter a whole number.", {}),
        (
            "start=1985-01-09&days=5",
            "ru",
            "Enter a date between %(first)s and %(last)s.",
            {"first": 1991, "last": 2100},
        ),
        (
            "start=2100-12-01&days=100",
            "en",
            "The due date would fall after %(last)s, beyond the calendar known to the system.",
            {"last": 2100},
        ),
        ("start=&days=", "ru", "This field is required.", {}),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_result(client, query, language, msgid, params):
    message = said(language, msgid, **params)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = page(client, f"/workdays/?{query}", language, **headers)
        assert message in html, headers
        assert 'role="alert"' in html
        assert "data-due" not in html


def test_bad_input_is_in_russian_for_a_russian_reader(client):
    """Django's own messages are translated already; the reader never sees the English one."""
    html = page(client, "/workdays/?start=2025-13-45&days=abc", "ru")
    assert "Enter a valid date." not in html and "Enter a whole number." not in html
    assert said("ru", "Enter a valid date.") != "Enter a valid date."


# --- The calendar --------------------------------------------------------------------------------


def test_calendar_2026_in_russian(client):
    html = page(client, "/workdays/calendar/?year=2026", "ru")
    days_off = rows(table(html, "days-off"))
    assert len(days_off) == 19
    assert "9 марта 2026 г. | Понедельник | Международный женский день (перенесённый выходной)" in days_off
    assert "25 марта 2026 г. | Среда | Наурыз мейрамы (перенесённый выходной)" in days_off
    assert "27 мая 2026 г. | Среда | Курбан айт" in days_off
    assert not any("августа" in row for row in days_off)  # 30 August 2026 is no longer a holiday
    assert rows(table(html, "working-weekends")) == [said("ru", "None for this year.")]


def test_calendar_2025_lists_the_working_sunday(client):
    html = page(client, "/workdays/calendar/?year=2025", "ru")
    assert rows(table(html, "working-weekends")) == [
        "5 января 2025 г. | Воскресенье | Рабочий день (выходной перенесён на 03.01.2025)"
    ]
    days_off = rows(table(html, "days-off"))
    assert len(days_off) == 22
    assert (
        "1 сентября 2025 г. | Понедельник | День Конституции Республики Казахстан (перенесённый выходной)"
        in days_off
    )


def test_calendar_in_kazakh_uses_the_library_names(client):
    html = page(client, "/workdays/calendar/?year=2026", "kk")
    days_off = rows(table(html, "days-off"))
    assert "2026 жылғы 27 мамыр | Сәрсенбі | Құрбан айт" in days_off
    assert (
        "2026 жылғы 26 қазан | Дүйсенбі | Қазақстан Республикасы күні (қайта белгіленген демалыс)" in days_off
    )
    html_2025 = page(client, "/workdays/calendar/?year=2025", "kk")
    assert rows(table(html_2025, "working-weekends")) == [
        "2025 жылғы 5 қаңтар | Жексенбі | Жұмыс күні (демалыс 03.01.2025 күніне ауыстырылды)"
    ]


@pytest.mark.parametrize("year", ["abc", "3000", "1900", "2026.5"])
def test_a_bad_year_gets_a_message_and_the_current_year(client, year):
    this_year = timezone.localdate().year
    html = page(client, f"/workdays/calendar/?year={year}", "en")
    assert 'role="alert"' in html
    assert f"The year must be a number from 1991 to 2100; showing {this_year} instead." in html
    assert f"Holidays and days off in {this_year}" in html


# --- Exceptions entered by administrators -------------------------------------------------------

EXCEPTION = {
    "date": "2026-02-04",
    "kind": "day_off",
    "name_ru": "Выходной день (перенесён с 07.02.2026)",
    "name_kk": "Демалыс күні (07.02.2026 бастап ауыстырылды)",
    "legal_act": "Постановление Правительства РК № 999 от 1 декабря 2025 года",
}


def test_an_anonymous_reader_is_sent_to_sign_in_and_a_plain_user_is_refused(client, member):
    response = client.get("/workdays/calendar/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(member.user)
    assert client.get("/workdays/calendar/new/").status_code == 403
    assert client.post("/workdays/calendar/new/", EXCEPTION).status_code == 403
    assert not CalendarException.objects.exists()
    assert "/workdays/calendar/new/" not in page(client, "/workdays/calendar/?year=2026")


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_staff_adds_an_exception_and_the_deadline_changes(client, admin_user):
    admin_user.language = "en"
    admin_user.save()
    before = page(client, "/workdays/?start=2026-02-02&days=3", "en")
    assert 'data-due="2026-02-05"' in before

    client.force_login(admin_user)
    calendar = page(client, "/workdays/calendar/?year=2026", "en")
    assert "/workdays/calendar/new/" in calendar
    form = page(client, "/workdays/calendar/new/", "en")
    assert 'name="legal_act"' in form
    response = client.post("/workdays/calendar/new/", EXCEPTION, follow=True)
    assert response.redirect_chain[-1][0] == "/workdays/calendar/?year=2026"
    html = response.content.decode()
    assert "The calendar exception has been added." in html
    assert (
        "Feb. 4, 2026 | Working day made a day off | Выходной день (перенесён с 07.02.2026) | "
        "Постановление Правительства РК № 999 от 1 декабря 2025 года"
    ) in rows(table(html, "exceptions"))
    stored = CalendarException.objects.get()
    assert (stored.date, stored.kind, stored.created_by) == (date(2026, 2, 4), "day_off", admin_user)
    assert AuditEvent.objects.filter(action="calendar.exception_added", actor=admin_user).exists()

    client.logout()
    after = page(client, "/workdays/?start=2026-02-02&days=3", "kk")
    assert 'data-due="2026-02-06"' in after
    assert "2026 жылғы 4 ақпан | Сәрсенбі | Демалыс күні (07.02.2026 бастап ауыстырылды)" in rows(
        after[after.index("<caption>") :]
    )


def test_a_saturday_made_working_counts_on_the_calculator(client, admin_user):
    client.force_login(admin_user)
    client.post(
        "/workdays/calendar/new/",
        EXCEPTION
        | {"date": "2026-02-07", "kind": "working_day", "name_ru": "Рабочий день", "name_kk": "Жұмыс күні"},
    )
    assert 'data-due="2026-02-07"' in page(client, "/workdays/?start=2026-02-06&days=1")
    calendar = page(client, "/workdays/calendar/?year=2026", "ru")
    assert rows(table(calendar, "working-weekends")) == ["7 февраля 2026 г. | Суббота | Рабочий день"]


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_duplicate_date_gets_a_message(client, admin_user):
    admin_user.language = "en"
    admin_user.save()
    client.force_login(admin_user)
    client.post("/workdays/calendar/new/", EXCEPTION)
    response = client.post("/workdays/calendar/new/", EXCEPTION | {"kind": "working_day"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This date already has an exception; remove it first." in html
    assert 'role="alert"' in html
    assert CalendarException.objects.get().kind == "day_off"


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2026-02-31"}, "Enter a valid date."),
        ({"date": "2300-02-03"}, "Enter a date between 1991 and 2100."),
        ({"legal_act": ""}, "This field is required."),
        ({"kind": "holiday"}, "Select a valid choice."),
    ],
)
def test_an_invalid_exception_is_not_stored(client, admin_user, changes, message):
    admin_user.language = "en"
    admin_user.save()
    client.force_login(admin_user)
    response = client.post("/workdays/calendar/new/", EXCEPTION | changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarException.objects.exists()


# --- The API's explanation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Православное Рождество"),
        ("kk", "Православиелік Рождество"),
        ("en", "Orthodox Christmas"),
    ],
)
def test_the_api_explains_with_human_dates_in_the_readers_language(client, language, expected):
    response = client.get("/api/v1/workdays/deadline?start=2026-01-05&days=3", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    data = response.json()
    assert (data["start"], data["days"], data["due"]) == ("2026-01-05", 3, "2026-01-09")
    assert data["skipped"] == [{"date": "2026-01-07", "reason": expected}]
    with translation.override(language):
        assert human_date(date(2026, 1, 9)) in data["explanation"]
        assert f"{human_date(date(2026, 1, 7))} — {expected}" in data["explanation"]
    assert ".." not in data["explanation"]  # «9 января 2026 г.» ends its sentence with one full stop


def test_the_api_explanation_dates_read_naturally():
    with translation.override("ru"):
        assert human_date(date(2026, 1, 9)) == "9 января 2026 г."
    with translation.override("kk"):
        assert human_date(date(2026, 1, 9)) == "2026 жылғы 9 қаңтар"


def test_the_api_refuses_a_count_beyond_the_calendar_without_a_500(client):
    response = client.get("/api/v1/workdays/deadline?start=2100-12-01&days=100", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "beyond the calendar" in response.json()["detail"][0]["msg"]


# --- Kazakh formats ------------------------------------------------------------------------------


def test_kazakh_dates_and_numbers():
    with translation.override("kk"):
        rendered = Template(
            '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"l" }}'
        ).render(Context({"d": date(2026, 11, 25)}))
        assert rendered == "2026 жылғы 25 Қараша|25.11.2026|Сәрсенбі"
        assert human_date(date(2026, 11, 25)) == "2026 жылғы 25 қараша"
        assert formats.number_format(1234567.5, decimal_pos=1, force_grouping=True) == "1\xa0234\xa0567,5"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        form = DeadlineForm({"start": "25.11.2026", "days": "1"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["start"] == date(2026, 11, 25)
        assert DeadlineForm({"start": "2026-11-25", "days": "1"}).is_valid()
    with translation.override("ru"):
        assert human_date(date(2026, 11, 25)) == "25 ноября 2026 г."
