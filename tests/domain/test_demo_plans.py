"""The demo's work plans and compliance remarks: an approved annual plan with items in several
states, a draft quarterly plan, remarks open and closed."""

from django.core.management import call_command

from alqa.enums import PlanStatus, RemarkStatus
from alqa.models import Assignment, ComplianceRemark, WorkPlan


def test_demo_has_plans_and_remarks(db):
    call_command("demo", stdout=None)
    annual = WorkPlan.objects.get(period="year")
    assert annual.status == PlanStatus.APPROVED and annual.items.count() == 4
    assert WorkPlan.objects.get(period="quarter").status == PlanStatus.DRAFT
    assert Assignment.objects.filter(plan_item__plan=annual, decision__isnull=True).count() >= 4
    assert {RemarkStatus.OPEN, RemarkStatus.CLOSED} <= set(
        ComplianceRemark.objects.values_list("status", flat=True)
    )
    call_command("verify_audit", stdout=None)
