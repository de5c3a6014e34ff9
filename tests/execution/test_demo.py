"""The demo's assignments: every state of execution control, so a newcomer sees the whole cycle."""

from django.core.management import call_command
from django.utils import timezone

from alqa.domain.execution import is_overdue
from alqa.models import Assignment, ExecutorLink, ExtensionRequest


def test_demo_has_assignments_in_every_state(db):
    call_command("demo", stdout=None)
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert {
        "issued",
        "received",
        "info_given",
        "report_submitted",
        "done",
        "returned",
        "withdrawn",
    } <= statuses
    today = timezone.localdate()
    assert any(is_overdue(a, today) for a in Assignment.objects.select_related("decision__meeting"))
    assert Assignment.objects.filter(extensions=1).exists()
    assert ExtensionRequest.objects.filter(status="pending").exists()
    assert ExecutorLink.objects.filter(revoked_at__isnull=True).exists()


def test_demo_plan_items_have_assignments_in_several_states(db):
    """The plan's assignments are not all left issued: done on time and late, a report awaiting the
    chair, received and overdue, each change audited; the plan's statistics count its items."""
    from alqa.domain.execution import shown_status
    from alqa.models import AuditEvent, WorkPlan
    from alqa.queries.execution import control_list, period_figures
    from alqa.queries.plans import statistics_of

    call_command("demo", stdout=None)
    today = timezone.localdate()
    tasks = list(Assignment.objects.filter(plan_item__isnull=False, plan_item__plan__year=today.year))
    shown = {shown_status(a, today) for a in tasks}
    assert {"done", "report_submitted"} <= shown, shown
    assert shown & {"received", "overdue", "issued"}, shown
    # one report accepted on a decision's assignment, three on the plan's (two executors of the
    # first item, one of the second)
    assert AuditEvent.objects.filter(action="assignment.report_accepted").count() == 4
    plan = WorkPlan.objects.get(period="year", year=today.year, status="approved")
    stats = statistics_of(plan)
    assert stats.overall.total == 4 and stats.overall.total > stats.overall.open
    listing = control_list(plan.body)
    figures = period_figures(listing)
    plan_rows = [r for r in listing.rows if r.assignment.plan_item_id]
    assert any(r.assignment.status == "done" for r in plan_rows) and figures["on_time"] > 0
