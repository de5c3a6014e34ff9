"""An assignment from issue to its end (alqa/domain/execution.py): the receipt and the information
deadline counted from it, reports accepted or returned, extensions within the policy's limit,
closing and withdrawal; every step audited, repeated steps idempotent, bad input refused with
nothing changed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from alqa.domain import execution as domain
from alqa.domain.errors import Conflict
from alqa.domain.workdays import add_working_days
from alqa.domain.workdays_calendar import add_calendar_exception, load_calendar
from alqa.enums import AssignmentStatus
from alqa.models import Assignment, AssignmentFile, AuditEvent, BodyPolicy, ExecutorLink
from tests import audit_guard

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def actions(a):
    return list(
        AuditEvent.objects.filter(object_type="assignment", object_id=str(a.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_paper_receipt_starts_the_information_deadline(signed, unit_task, secretary):
    today = timezone.localdate()
    domain.record_receipt(unit_task, actor=secretary.user, on=signed.signed_on)
    unit_task.refresh_from_db()
    expected = add_working_days(load_calendar(), start=signed.signed_on, days=5).due
    assert (unit_task.status, unit_task.received_on, unit_task.info_due) == (
        "received",
        signed.signed_on,
        expected,
    )
    assert unit_task.info_due_explanation.startswith(
        "5 working days after the paper copy of the protocol was received on"
    )
    # the same day again: nothing changes; another day: refused
    domain.record_receipt(unit_task, actor=secretary.user, on=signed.signed_on)
    with pytest.raises(Conflict):
        domain.record_receipt(unit_task, actor=secretary.user, on=today)
    assert actions(unit_task) == ["assignment.received"]
    assert domain.shown_status(unit_task, today) == ("overdue" if expected < today else "received")


def test_a_receipt_date_before_signing_in_the_future_or_without_a_signed_protocol_is_refused(
    decision, unit_task, secretary, signed
):
    with pytest.raises(ValidationError) as before:
        domain.record_receipt(unit_task, actor=secretary.user, on=signed.signed_on - timedelta(days=1))
    assert "before it was signed" in str(before.value)
    with pytest.raises(ValidationError) as future:
        domain.record_receipt(unit_task, actor=secretary.user, on=timezone.localdate() + timedelta(days=1))
    assert "future" in str(future.value)
    with audit_guard.paused():  # arranging: a protocol not yet signed
        type(signed).objects.filter(pk=signed.pk).update(signed_on=None)
    with pytest.raises(ValidationError) as unsigned:
        domain.record_receipt(unit_task, actor=secretary.user)
    assert "not signed yet" in str(unsigned.value)
    unit_task.refresh_from_db()
    assert (unit_task.status, unit_task.received_on, actions(unit_task)) == ("issued", None, [])


def test_information_then_a_report_returned_then_accepted(signed, official_task, secretary, chair, member):
    report, new = domain.submit_report(
        official_task,
        kind="info",
        text="Доступ организован с 1 декабря",
        actor=None,
        files=[SimpleUploadedFile("справка.pdf", PDF, content_type="application/pdf")],
    )
    official_task.refresh_from_db()
    assert new and official_task.status == "info_given"
    assert official_task.received_via == "report"  # the information itself shows the receipt
    assert AssignmentFile.objects.get(report=report).name == "справка.pdf"
    # the same information sent twice is one report
    again, new = domain.submit_report(
        official_task, kind="info", text="Доступ организован с 1 декабря", actor=None
    )
    assert (again.pk, new) == (report.pk, False)
    with pytest.raises(ValidationError):
        domain.submit_report(official_task, kind="info", text="Другая информация", actor=None)

    final, _ = domain.submit_report(official_task, kind="final", text="Исполнено", actor=None)
    official_task.refresh_from_db()
    assert official_task.status == "report_submitted"
    with pytest.raises(PermissionDenied):
        domain.decide_report(final, actor=member.user, accept=True)
    with pytest.raises(ValidationError) as no_comment:
        domain.decide_report(final, actor=chair.user, accept=False)
    assert "why the report is returned" in str(no_comment.value)
    domain.decide_report(final, actor=chair.user, accept=False, comment="Приложите график")
    official_task.refresh_from_db()
    assert official_task.status == "returned"
    with pytest.raises(Conflict):
        domain.decide_report(final, actor=chair.user, accept=True)

    second, _ = domain.submit_report(
        official_task, kind="final", text="Исполнено, график приложен", actor=None
    )
    domain.decide_report(second, actor=chair.user, accept=True)
    domain.decide_report(second, actor=chair.user, accept=True)  # repeated: nothing changes
    official_task.refresh_from_db()
    assert official_task.status == "done" and official_task.closed_at is not None
    with pytest.raises(ValidationError) as closed:
        domain.submit_report(official_task, kind="final", text="Ещё", actor=None)
    assert "closed" in str(closed.value)
    assert actions(official_task) == [
        "assignment.received",
        "assignment.report_submitted",
        "assignment.report_submitted",
        "assignment.report_returned",
        "assignment.report_submitted",
        "assignment.report_accepted",
    ]


def test_a_file_not_of_its_kind_is_refused_and_nothing_is_stored(signed, unit_task):
    with pytest.raises(ValidationError):
        domain.submit_report(
            unit_task,
            kind="info",
            text="Справка",
            actor=None,
            files=[SimpleUploadedFile("справка.pdf", b"MZ not a pdf", content_type="application/pdf")],
        )
    unit_task.refresh_from_db()
    assert unit_task.status == "issued" and not unit_task.reports.exists()


def test_an_extension_counts_the_deadline_again_within_the_policy_limit(signed, unit_task, chair, body):
    with audit_guard.paused():  # arranging the policy, as a fixture would
        BodyPolicy.objects.filter(body=body).update(extension_limit=1)
    request, _ = domain.request_extension(unit_task, reason="Ремонт ИВС", working_days=10, actor=None)
    with pytest.raises(ValidationError):
        domain.decide_extension(request, actor=chair.user, grant=False)  # a refusal needs its reason
    previous = unit_task.due_date
    assert previous >= timezone.localdate()  # not yet due: the extension counts from it
    domain.decide_extension(request, actor=chair.user, grant=True)
    unit_task.refresh_from_db()
    assert unit_task.due_date == add_working_days(load_calendar(), start=previous, days=10).due
    assert (unit_task.due_start, unit_task.extensions) == (previous, 1)
    assert unit_task.due_explanation.startswith("10 working days after")
    assert unit_task.due_explanation.endswith("(the deadline extended)")
    with pytest.raises(ValidationError) as limit:
        domain.request_extension(unit_task, reason="Ещё ремонт", working_days=5, actor=None)
    assert "the most the body's policy allows" in str(limit.value)
    assert actions(unit_task)[-2:] == ["assignment.extension_requested", "assignment.extension_granted"]


def test_overdue_is_computed_from_the_open_deadlines(signed, unit_task, secretary):
    long_ago = unit_task.due_date + timedelta(days=1)
    assert domain.shown_status(unit_task, long_ago) == "overdue"
    assert Assignment.objects.filter(domain.overdue_q(long_ago), pk=unit_task.pk).exists()
    domain.submit_report(unit_task, kind="final", text="Исполнено", actor=None)
    unit_task.refresh_from_db()
    assert domain.shown_status(unit_task, long_ago) == "report_submitted"
    assert not Assignment.objects.filter(domain.overdue_q(long_ago), pk=unit_task.pk).exists()


def test_withdrawal_needs_a_reason_and_ends_the_executor_link(signed, official_task, chair, secretary):
    link = domain.send_link(official_task, actor=secretary.user)
    assert domain.assignment_for_token(link.token) == official_task
    with pytest.raises(ValidationError):
        domain.close_assignment(official_task, actor=chair.user, withdraw=True)
    domain.close_assignment(official_task, actor=chair.user, withdraw=True, comment="Решение отменено")
    domain.close_assignment(official_task, actor=chair.user, withdraw=True, comment="Решение отменено")
    official_task.refresh_from_db()
    assert official_task.status == AssignmentStatus.WITHDRAWN
    with pytest.raises(ValidationError) as gone:
        domain.assignment_for_token(link.token)
    assert gone.value.code == "closed"
    with pytest.raises(ExecutorLink.DoesNotExist):
        domain.assignment_for_token("nonsense")
    assert actions(official_task) == ["assignment.link_sent", "assignment.withdrawn"]


def test_the_information_deadline_follows_a_calendar_change(signed, unit_task, secretary, admin_user):
    today = timezone.localdate()
    domain.record_receipt(unit_task, actor=secretary.user, on=today)
    unit_task.refresh_from_db()
    before = unit_task.info_due
    day = today + timedelta(days=1)
    while not load_calendar().is_working(day):
        day += timedelta(days=1)
    add_calendar_exception(
        day=day,
        kind="day_off",
        name_ru="Выходной",
        name_kk="",
        legal_act="Постановление № 1",
        actor=admin_user,
    )
    unit_task.refresh_from_db()
    assert unit_task.info_due == add_working_days(load_calendar(), start=today, days=5).due
    assert unit_task.info_due > before
    assert "became a day off" in unit_task.info_due_explanation
    assert AuditEvent.objects.filter(
        action="deadline.recounted", data__deadline="assignment.info_due"
    ).exists()


def test_working_days_to_many_dates_agree_with_one_at_a_time(db):
    calendar = load_calendar()
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in (-400, -45, -9, -1, 0, 1, 3, 17)]
    assert domain.working_days_to(calendar, days, today) == {
        day: domain.working_days_between(calendar, day, today) for day in days
    }
