# ruff: noqa: F811 - the fixture smtp_sink is imported from tests/test_outbox_smtp.py
"""An overdue reminder, end to end (issue 11, "done when"): an official outside the system missed
the deadline of a decision; the reminder run mails them, in Kazakh, through the outbox to a real
SMTP server; the official opens the personal link from the delivered mail on a 390 px phone, sees
the assignment overdue and reports; the chair, reading Russian at 1280 px, finds it on the control
page and the reminder on the assignment's, then reads that page in Kazakh on a phone. Every page passes axe and has no sideways scroll."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from alqa.domain.execution_reminders import send_execution_reminders
from alqa.domain.meetings import ExecutorInput, record_decision
from alqa.domain.outbox import drain_outbox
from alqa.domain.protocols import create_protocol
from alqa.domain.workdays_calendar import load_calendar
from alqa.models import Assignment, AssignmentReminder, Protocol
from tests.browser.helpers import axe_violations, describe, sign_in, sign_out
from tests.conftest import PASSWORD, meeting_on
from tests.test_outbox_smtp import smtp_sink  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

OFFICIAL = "ivs.head@police.test"


def _working_days_back(day: date, n: int) -> date:
    calendar = load_calendar()
    while not calendar.is_working(day):
        day -= timedelta(days=1)
    for _ in range(n):
        day -= timedelta(days=1)
        while not calendar.is_working(day):
            day -= timedelta(days=1)
    return day


def _clean(page) -> None:
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{page.url}: {scroll} px wide in a {inner} px window"
        violations = axe_violations(page)
        assert not violations, describe(violations)


@pytest.fixture
def overdue(body, secretary, chair, member, deputy):
    """An official's assignment whose deadline was 2 working days before the reminder's day (the
    last working day up to today), from a meeting 40 days ago with its protocol signed; arranged
    here, outside the test's write guard (the signature day is set as signing would set it)."""
    run_day = _working_days_back(timezone.localdate(), 0)
    due = _working_days_back(run_day, 2)
    meeting, item = meeting_on(
        body, secretary, chair, days=-40, present=[chair, secretary, member, deputy], approved=True
    )
    decision = record_decision(
        meeting,
        actor=secretary.user,
        agenda_item=item,
        text_ru="Обеспечить ведение журнала допуска защитников в ИВС",
        text_kk="ИВС-те қорғаушыларды жіберу журналын жүргізуді қамтамасыз ету",
        executors=[
            ExecutorInput(name="Начальник ИВС Омаров Д.", due_date=due, email=OFFICIAL, language="kk")
        ],
    )
    protocol = create_protocol(meeting, actor=secretary.user)
    Protocol.objects.filter(pk=protocol.pk).update(
        signed_on=timezone.localtime(meeting.starts_at).date() + timedelta(days=1)
    )
    return Assignment.objects.get(decision=decision), run_day


def test_an_overdue_reminder_reaches_the_official_whose_link_opens_the_task(
    new_page, body, chair, overdue, smtp_sink, waive_mfa
):
    task, run_day = overdue
    drain_outbox()
    smtp_sink.messages.clear()
    assert send_execution_reminders(today=run_day) == 1
    assert send_execution_reminders(today=run_day) == 0  # the same step is never sent twice
    assert list(AssignmentReminder.objects.values_list("kind", "step")) == [("due", 2)]
    drain_outbox()
    (mail,) = [m for m in smtp_sink.messages if m["To"] == OFFICIAL]
    text = mail.get_payload(decode=True).decode()
    assert "ИВС-те қорғаушыларды жіберу журналын" in text  # in the official's language
    (url,) = re.findall(r"https?://\S+/tasks/[\w-]+/", text)

    official = new_page(locale="kk-KZ")
    official.set_viewport_size({"width": 390, "height": 844})
    official.goto(urlsplit(url).path)  # the mailed link, on this test's server
    expect(official.locator("html")).to_have_attribute("lang", "kk")
    with override("kk"):
        overdue = gettext("Overdue")
    expect(official.locator("main dl.facts")).to_contain_text(overdue)
    _clean(official)
    report = official.locator("main form:has(input[name=action][value=report])")
    report.locator("input[name=kind][value=final]").check()
    report.locator("textarea[name=text]").fill("Журнал жүргізіледі, орындалды.")
    with official.expect_navigation():
        report.locator("button[type=submit]").first.click()
    task.refresh_from_db()
    assert task.status == "report_submitted"
    _clean(official)

    staff = new_page()
    staff.set_viewport_size({"width": 1280, "height": 900})
    sign_in(staff, chair.user.email, PASSWORD)
    staff.goto(f"/bodies/{body.pk}/control/")
    expect(staff.locator("main")).to_contain_text("Начальник ИВС Омаров Д.")
    _clean(staff)
    staff.goto(f"/assignments/{task.pk}/")
    expect(staff.locator("main")).to_contain_text("Журнал жүргізіледі, орындалды.")
    reminders = staff.locator("main table:has(caption)", has_text=OFFICIAL)
    expect(reminders).to_contain_text("Просрочено на 2 рабочих дня")  # the reminder the run sent
    _clean(staff)
    # the same page in Kazakh (chosen in the header), then on a phone: the reminders' table too
    staff.set_viewport_size({"width": 1280, "height": 900})
    with staff.expect_navigation():
        staff.locator("header #language-form button[name=language][value=kk]").click()
    expect(staff.locator("html")).to_have_attribute("lang", "kk")
    with override("kk"):
        caption = gettext("Deadline reminders sent by e-mail")
    expect(reminders.locator("caption")).to_have_text(caption)
    expect(reminders).to_contain_text(OFFICIAL)
    _clean(staff)
    staff.set_viewport_size({"width": 1280, "height": 900})
    sign_out(staff)
