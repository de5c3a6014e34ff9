"""The complaints register in a real browser: the secretary imports a year from XLSX (Russian),
explores the analytics and drills down to the rows, writes a note; the chair approves it and
sends it (Kazakh); a unit confirms receipt. Every page passes axe."""

import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from alqa.models import Complaint, NoteReceipt
from tests.browser.helpers import axe_violations, describe, sign_in, sign_out
from tests.complaints.conftest import district  # noqa: F401, F811 (the fixture: two police units)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Статья",
            "Дата подачи",
            "Дата решения",
            "Подразделение",
            "Должностное лицо",
            "Предмет",
            "Результат",
            "Нарушение",
        ]
    )
    rows = [
        (
            105,
            date(2025, 1, 10),
            date(2025, 1, 13),
            "Следственное управление",
            "Следователь",
            "Задержание",
            "Удовлетворена полностью",
            "да",
        ),
        (
            105,
            date(2025, 2, 3),
            date(2025, 2, 20),
            "Отдел дознания",
            "Дознаватель",
            "Иное",
            "Отказано",
            "нет",
        ),
        (
            106,
            date(2025, 5, 6),
            date(2025, 5, 8),
            "Отдел дознания",
            "Прокурор",
            "Обыск, выемка",
            "Отказано",
            "нет",
        ),
        (
            106,
            date(2025, 8, 1),
            date(2025, 8, 11),
            "Следственное управление",
            "Следователь",
            "Задержание",
            "Удовлетворена частично",
            "да",
        ),
    ]
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _clean(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_import_explore_approve_send(new_page, body, secretary, chair, district, waive_mfa):  # noqa: F811
    page = new_page()
    sign_in(page, secretary.user.email, PASSWORD)
    page.goto(f"/bodies/{body.pk}/complaints/import/")
    _clean(page)
    form = page.locator("main form.form")
    form.locator("input[type=file]").set_input_files(
        {"name": "2025.xlsx", "mimeType": "application/octet-stream", "buffer": _xlsx()}
    )
    form.locator("input[name=source]").fill("Статистика ДП")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Следственное управление")  # the preview
    expect(page.locator("#id_filed_on")).to_have_value("Дата подачи")  # the column guessed
    _clean(page)
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()
    expect(page.locator("#import-status")).to_contain_text("Загружено 4 жалобы.")
    assert Complaint.objects.count() == 4
    _clean(page)

    page.goto(f"/bodies/{body.pk}/complaints/analytics/")
    expect(page.locator("main svg")).to_have_count(6)
    expect(page.locator(".summary")).to_contain_text("50.0 %")
    _clean(page)
    unit_table = page.locator("section.chart", has=page.locator("h2#chart-unit"))
    with page.expect_navigation():
        unit_table.locator("tbody tr", has_text="Отдел дознания").locator("a").click()
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/complaints/\?unit={district['inquiry'].pk}$"))
    expect(page.locator("main table tbody tr")).to_have_count(2)

    page.goto(f"/bodies/{body.pk}/complaints/notes/new/")
    form = page.locator("main form.form")
    form.locator("input[name=title_ru]").fill("Обобщение практики за 2025 год")
    form.locator("input[name=title_kk]").fill("2025 жылғы тәжірибені қорыту")
    form.locator("input[name=period_from]").fill("2025-01-01")
    form.locator("input[name=period_to]").fill("2025-12-31")
    form.locator("textarea[name=conclusions_ru]").fill("Жалобы на задержание удовлетворяются чаще.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("Обобщение практики за 2025 год")
    note_url = page.url
    _clean(page)
    sign_out(page)

    chair.user.language = "kk"
    chair.user.save(update_fields=["language"])
    page = new_page(locale="kk-KZ")
    sign_in(page, chair.user.email, PASSWORD)
    page.goto(note_url)
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("main h1")).to_have_text("2025 жылғы тәжірибені қорыту")
    with page.expect_navigation():
        page.get_by_role("button", name="Анықтаманы бекіту").click()
    expect(page.locator("main")).to_contain_text("Төраға бекіткен")
    _clean(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Бөлімшелерге жіберу").click()
    expect(page.locator("main table")).to_contain_text("inquiry@police.test")
    _clean(page)

    receipt = NoteReceipt.objects.get(email="inquiry@police.test")
    unit_page = new_page()
    unit_page.goto(f"/receipts/{receipt.token}/")
    expect(unit_page.locator("main")).to_contain_text("получение справки зафиксировано")
    _clean(unit_page)
    unit_page.reload()
    expect(unit_page.locator("main")).to_contain_text("Справка уже получена")


def test_the_classifier_and_the_note_on_a_meetings_agenda(new_page, body, secretary, chair, waive_mfa):
    """The secretary adds a subject to the classifier, switches it off, and puts a note on the next
    meeting's agenda, in Kazakh; both pages pass axe."""
    from alqa.domain.complaint_notes import create_note
    from alqa.models import AgendaItem, ComplaintSubject
    from tests.conftest import meeting_on

    meeting, _item = meeting_on(body, secretary, chair, days=7)
    note = create_note(
        body=body,
        actor=secretary.user,
        title_ru="Обобщение практики за 2025 год",
        title_kk="2025 жылғы тәжірибені қорыту",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
    )
    secretary.user.language = "kk"
    secretary.user.save(update_fields=["language"])
    page = new_page(locale="kk-KZ")
    sign_in(page, secretary.user.email, PASSWORD)
    page.goto(f"/bodies/{body.pk}/complaints/subjects/")
    expect(page.locator("main h1")).to_have_text("Нысаналар жіктеуіші")
    _clean(page)
    form = page.locator("main form.form")
    form.locator("input[name=name_ru]").fill("Изъятие имущества")
    form.locator("input[name=name_kk]").fill("Мүлікті алып қою")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Мүлікті алып қою")
    assert ComplaintSubject.objects.filter(body=body, name_ru="Изъятие имущества").exists()
    _clean(page)
    with page.expect_navigation():  # switched off: shown as such, no longer offered for new complaints
        page.get_by_role("button", name="Өшіру Изъятие имущества").click()
    expect(page.locator("main")).to_contain_text("«Мүлікті алып қою» нысанасы өшірілді")
    expect(page.locator("main table .badge")).to_have_text("өшірілген")
    assert not ComplaintSubject.objects.get(body=body, name_ru="Изъятие имущества").is_active
    _clean(page)

    page.goto(f"/complaint-notes/{note.pk}/")
    expect(page.locator("#note-agenda")).to_have_text("Топ отырыстарында")
    _clean(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Күн тәртібіне енгізу").click()
    expect(page.locator("main")).to_contain_text("Анықтама отырыстың күн тәртібіне енгізілді")
    expect(page.locator(f'main a[href="/meetings/{meeting.pk}/"]')).to_have_count(1)
    assert AgendaItem.objects.filter(meeting=meeting, complaint_note=note).count() == 1
    _clean(page)
