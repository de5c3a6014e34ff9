"""Execution control in the pages: the control page for the chair and the secretary (a constant
number of queries), its XLSX, the assignment page with the secretary's receipt and the chair's
decision, the meeting page's control state, and the executor's personal link from the report to
the page that says the link no longer works."""

import html
import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from alqa.domain import execution as domain
from alqa.domain.execution import overdue_q
from alqa.domain.meetings import ExecutorInput, record_decision
from alqa.models import Assignment
from alqa.queries.execution import due_this_week_q
from tests.conftest import login


@pytest.fixture(autouse=True)
def _no_second_factor(waive_mfa):
    """The leaders' pages without setting up TOTP: these tests are not about sign-in."""


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_control_page_shows_overdue_and_the_week_to_the_chair_not_to_a_member(
    client, signed, unit_task, official_task, chair, member, body
):
    login(client, member, "en")
    assert client.get(f"/bodies/{body.pk}/control/").status_code == 403
    login(client, chair, "en")
    page = text(client.get(f"/bodies/{body.pk}/control/"))
    assert "Control of execution" in page and "Начальник ИВС Касымов Б." in page
    page = text(client.get(f"/bodies/{body.pk}/control/", {"side": "police", "group": "unit"}))
    assert "Следственное управление" in page and "Касымов" not in page


# the user, the audit head, the body, its units, the groups (with the page's figures), the page
# of the list, the overdue rows and this week's (read from the first page when it holds them), the
# calendar's exceptions (the session and the reader's roles are kept after the first request), and
# the plans' statistics (the current quarter's and year's plans, then their items counted in SQL)
BOUND = 11


def test_the_control_page_answers_in_the_same_number_of_queries_for_more_assignments(
    client, decision, chair, secretary, body, police_unit, django_assert_max_num_queries
):
    login(client, chair, "en")
    client.get(f"/bodies/{body.pk}/control/")  # the calendar and the reader's memberships read once
    with django_assert_max_num_queries(BOUND):
        client.get(f"/bodies/{body.pk}/control/")
    record_decision(
        decision.meeting,
        actor=secretary.user,
        agenda_item=decision.agenda_item,
        text_ru="Ещё решение",
        executors=[ExecutorInput(unit_id=police_unit.pk, due_working_days=3 + i) for i in range(20)],
    )
    client.get(f"/bodies/{body.pk}/control/")  # the caches keyed by the audit head read again
    with django_assert_max_num_queries(BOUND):
        response = client.get(f"/bodies/{body.pk}/control/")
    assert text(response).count("Следственное управление") >= 21


def table(page: str, caption: str) -> str:
    """The body of the table with that caption."""
    return page.split(f"<caption>{caption}</caption>", 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.fixture
def long_list(decision):
    """75 open assignments more: 45 overdue, 20 due today, 10 later; and 5 done."""
    today = timezone.localdate()
    late = [
        Assignment(decision=decision, executor_name=f"Late {i:02d}", due_date=today - timedelta(days=60 - i))
        for i in range(45)
    ]
    week = [Assignment(decision=decision, executor_name=f"Week {i:02d}", due_date=today) for i in range(20)]
    later = [
        Assignment(decision=decision, executor_name=f"Later {i:02d}", due_date=today + timedelta(days=30 + i))
        for i in range(10)
    ]
    done = [
        Assignment(
            decision=decision,
            executor_name=f"Done {i:02d}",
            due_date=today - timedelta(days=90),
            status="done",
        )
        for i in range(5)
    ]
    Assignment.objects.bulk_create(late + week + later + done)


def test_the_first_overdue_and_weeks_rows_are_the_same_on_every_page_of_the_list(
    client, long_list, chair, body, django_assert_max_num_queries
):
    """The first page of the list holds the earliest deadlines, so the overdue table is read from
    it; the week's table, of which it holds only a few, and both tables on the second page are
    queried: the same rows either way, in deadline order."""
    today = timezone.localdate()
    login(client, chair, "en")
    first = text(client.get(f"/bodies/{body.pk}/control/"))
    with django_assert_max_num_queries(BOUND):
        second = text(client.get(f"/bodies/{body.pk}/control/", {"page": "2"}))
    assert "Page 2 of 2" in second
    for caption, q in (
        ("Overdue assignments", overdue_q(today)),
        ("Deadlines of this week", due_this_week_q(today)),
    ):
        shown = table(first, caption)
        assert shown == table(second, caption)
        expected = Assignment.objects.filter(body=body).filter(q).order_by("due_date", "pk")[:10]
        assert re.findall(r'<a href="/assignments/(\d+)/">', shown) == [str(a.pk) for a in expected]
    assert re.findall(r"Late \d+", table(first, "Overdue assignments")) == [
        f"Late {i:02d}" for i in range(10)
    ]
    open_ = Assignment.objects.filter(body=body)
    assert f"All {open_.filter(overdue_q(today)).count()} overdue in the list" in first
    assert f"All {open_.filter(due_this_week_q(today)).count()} due this week in the list" in first


@pytest.fixture
def member_late(decision, member):
    return Assignment.objects.create(
        decision=decision, executor_member=member, due_date=timezone.localdate() - timedelta(days=3)
    )


def test_the_rows_name_the_executor_and_the_decision_as_the_assignment_does_in_both_languages(
    client, member_late, chair, body
):
    """The page reads its rows as columns; the executor and the text are named by the same rules
    as the assignment's own (`executor_label`, `source_text`), Kazakh where it was entered."""
    from alqa.queries.execution import ControlFilters, control_list, control_page

    login(client, chair, "kk")
    page = text(client.get(f"/bodies/{body.pk}/control/"))
    assert "Тергеу басқармасы" in page and "Адвокаттардың ИВС-ке кіруін қамтамасыз ету" in page
    for language in ("ru", "kk"):
        with translation.override(language):
            rows = control_page(body, ControlFilters.from_query({}), group="executor").rows
            models = {r.assignment.pk: r for r in control_list(body, ControlFilters.from_query({})).rows}
            assert len(rows) == len(models) == 4  # a member, a unit, a named official, member_late
            for row in rows:
                model = models[row.pk]
                assert (row.executor_label, row.source_text) == (
                    model.assignment.executor_label,
                    model.assignment.source_text,
                )
                assert (row.status, row.status_label, row.days_overdue, row.next_deadline) == (
                    model.status,
                    model.status_label,
                    model.days_overdue,
                    model.next_deadline,
                )


def test_the_xlsx_holds_the_rows_of_the_page(client, signed, unit_task, secretary, body):
    login(client, secretary, "en")
    response = client.get(f"/bodies/{body.pk}/control/export.xlsx", {"executor": "Касымов"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][2] == "Executor" and [r[2] for r in rows[1:]] == ["Начальник ИВС Касымов Б."]


def test_the_secretary_records_the_receipt_and_the_chair_accepts_on_the_assignment_page(
    client, signed, unit_task, secretary, chair
):
    login(client, secretary, "en")
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = text(client.post(f"/assignments/{unit_task.pk}/", {"action": "receipt", "received_on": future}))
    assert "The date cannot be in the future." in page
    response = client.post(
        f"/assignments/{unit_task.pk}/", {"action": "receipt", "received_on": signed.signed_on.isoformat()}
    )
    assert response.status_code == 302
    client.post(f"/assignments/{unit_task.pk}/", {"action": "report", "kind": "final", "text": "Исполнено"})
    assert client.post(f"/assignments/{unit_task.pk}/", {"action": "close"}).status_code == 403
    report = unit_task.reports.get()
    login(client, chair, "en")
    page = text(client.get(f"/assignments/{unit_task.pk}/"))
    assert "Report submitted" in page and "5 working days after the paper copy of the protocol" in page
    client.post(f"/assignments/{unit_task.pk}/", {"action": "return", "report": report.pk, "comment": ""})
    unit_task.refresh_from_db()
    assert unit_task.status == "report_submitted"  # a return without its comment changes nothing
    client.post(f"/assignments/{unit_task.pk}/", {"action": "accept", "report": report.pk})
    unit_task.refresh_from_db()
    assert unit_task.status == "done"
    page = text(client.get(f"/meetings/{unit_task.decision.meeting_id}/"))
    assert "Done" in page


def test_the_executor_reports_through_the_link_and_it_stops_when_closed(
    client, signed, official_task, secretary, chair
):
    link = domain.send_link(official_task, actor=secretary.user)
    page = text(client.get(f"/tasks/{link.token}/", HTTP_ACCEPT_LANGUAGE="kk"))
    assert "Адвокаттардың ИВС-ке кіруін" in page
    assert client.get("/tasks/not-a-token/").status_code == 404
    response = client.post(
        f"/tasks/{link.token}/", {"action": "extension", "working_days": "", "reason": "Ремонт"}
    )
    assert response.status_code == 200 and not official_task.extension_requests.exists()
    response = client.post(f"/tasks/{link.token}/", {"action": "report", "kind": "info", "text": "Начато"})
    assert response.status_code == 302
    official_task.refresh_from_db()
    assert official_task.status == "info_given"
    assert official_task.reports.get().submitted_by is None
    domain.close_assignment(official_task, actor=chair.user)
    gone = client.get(f"/tasks/{link.token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert gone.status_code == 410
    assert "The assignment is closed: this link no longer opens it." in text(gone)
    assert (
        client.post(f"/tasks/{link.token}/", {"action": "report", "kind": "final", "text": "x"}).status_code
        == 410
    )
    assert Assignment.objects.get(pk=official_task.pk).reports.count() == 1


def test_the_control_report_of_a_period_is_a_pdf_in_kazakh(
    client, signed, unit_task, official_task, chair, body
):
    from pypdf import PdfReader

    login(client, chair, "en")
    start, end = unit_task.due_date - timedelta(days=1), official_task.due_date + timedelta(days=1)
    response = client.get(
        f"/bodies/{body.pk}/control/report.pdf",
        {"from": start.isoformat(), "to": end.isoformat(), "language": "kk"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Орындалуын бақылау туралы есеп" in pdf_text
    assert "Касымов" in pdf_text


def test_an_assignment_of_a_plan_item_opens_with_its_plan(
    client, body, secretary, chair, member, police_unit
):
    """A plan item's executors are assignments too (issue 11, point 6): their page names the plan,
    not a meeting, and its deadline counts from the plan's approval."""
    from alqa.domain.plans import PlanExecutor, add_plan_item, approve_plan, create_plan

    year = timezone.localdate().year
    plan = create_plan(body=body, actor=secretary.user, period="year", year=year)
    item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        due_date=date(year, 12, 31),
        executors=[PlanExecutor(unit_id=police_unit.pk)],
    )
    approve_plan(plan, actor=chair.user, approver=chair)
    task = Assignment.objects.get(plan_item=item)
    assert task.body_id == body.pk and task.source_text == "Посещение ИВС"
    login(client, chair, "en")
    response = client.get(f"/assignments/{task.pk}/")
    assert response.status_code == 200
    assert f'href="/plans/{plan.pk}/"' in text(response) and "Посещение ИВС" in text(response)


def test_a_report_with_a_personal_number_asks_the_executor_to_confirm(
    client, signed, official_task, secretary
):
    """The case guard on the executor's report (clause 1.2): refused with the confirmation shown,
    in the executor's language; kept once confirmed, the audit event saying what was confirmed."""
    from alqa.models import AuditEvent

    link = domain.send_link(official_task, actor=secretary.user)
    sent = {"action": "report", "kind": "info", "text": "Гражданин ИИН 850101300124 опрошен"}
    refused = client.post(f"/tasks/{link.token}/", sent, HTTP_ACCEPT_LANGUAGE="ru")
    page = text(refused)
    assert refused.status_code == 200 and not official_task.reports.exists()
    assert 'type="checkbox" name="confirm_identifiers"' in page
    assert "ИИН" in page and "850101300124" not in page.split("</textarea>")[-1]
    kept = client.post(f"/tasks/{link.token}/", sent | {"confirm_identifiers": "on"})
    assert kept.status_code == 302 and official_task.reports.count() == 1
    event = AuditEvent.objects.get(action="assignment.report_submitted")
    assert event.data["case_identifiers_confirmed"] == ["text: iin"]


def _docx(line: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


REPORT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_report_refused_by_the_case_guard_keeps_its_files_through_the_executors_link(
    client, signed, official_task, secretary
):
    """The file whose text holds a personal number is kept on the refused form (named on it); the
    executor confirms without choosing it again and the stored report has it, with the new one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    link = domain.send_link(official_task, actor=secretary.user)
    url = f"/tasks/{link.token}/"
    sent = {"action": "report", "kind": "info", "text": "Опрос проведён"}
    listed = _docx("Список: ИИН 850101300124")
    refused = client.post(url, sent | {"files": [SimpleUploadedFile("list.docx", listed)]})
    assert refused.status_code == 200 and not official_task.reports.exists()
    page = text(refused)
    assert 'type="checkbox" name="confirm_identifiers"' in page and "list.docx" in page
    token = refused.context["report_form"].data["held_files"]
    assert token and f'value="{token}"' in page
    kept = client.post(
        url,
        sent
        | {
            "confirm_identifiers": "on",
            "held_files": token,
            "files": [SimpleUploadedFile("act.pdf", REPORT_PDF)],
        },
    )
    assert kept.status_code == 302, text(kept)
    report = official_task.reports.get()
    stored = list(report.files.order_by("pk"))
    assert [f.name for f in stored] == ["list.docx", "act.pdf"]
    assert stored[0].file.read() == listed
    # once sent, the kept files are gone: the same token brings nothing back
    from alqa.domain.held_files import held

    assert held(token, user=link) == []


def test_a_members_report_refused_by_the_case_guard_keeps_its_files(client, signed, member_task, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, member, "en")
    url = f"/assignments/{member_task.pk}/"
    sent = {"action": "report", "kind": "final", "text": "Гражданин ИИН 850101300124 опрошен"}
    refused = client.post(url, sent | {"files": [SimpleUploadedFile("act.pdf", REPORT_PDF)]})
    assert refused.status_code == 200 and not member_task.reports.exists()
    page = text(refused)
    assert 'type="checkbox" name="confirm_identifiers"' in page and "act.pdf" in page
    token = refused.context["report_form"].data["held_files"]
    kept = client.post(url, sent | {"confirm_identifiers": "on", "held_files": token})
    assert kept.status_code == 302, text(kept)
    report = member_task.reports.get()
    assert [(f.name, f.file.read()) for f in report.files.all()] == [("act.pdf", REPORT_PDF)]
