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
