"""Work plans of a body (clauses 2.1.1, 2.1.2, 2.2.10) and members' compliance remarks (2.2.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alqa.enums import PlanItemStatus, PlanPeriod, PlanStatus, RemarkStatus
from alqa.models.bodies import Body
from alqa.models.meetings import Decision, Proposal, in_reader_language
from alqa.models.people import Member


class WorkPlan(models.Model):
    """A quarterly or annual plan of one body: drafted by the secretary, approved by the chair."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="plans")
    period = models.CharField(_("period"), max_length=10, choices=PlanPeriod.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # 1–4 for a quarterly plan, 0 for an annual one (so that one unique key covers both)
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_by = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    copied_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-quarter", "period"]
        constraints = [
            models.UniqueConstraint("body", "period", "year", "quarter", name="plan_unique_per_period"),
            models.CheckConstraint(
                condition=Q(period="year", quarter=0) | Q(period="quarter", quarter__gte=1, quarter__lte=4),
                name="plan_quarter_matches_period",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False), name="plan_approved_is_dated"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.period == PlanPeriod.YEAR:
            return gettext("Annual plan for %(year)s") % {"year": self.year}
        return gettext("Plan for quarter %(quarter)s of %(year)s") % {
            "quarter": self.quarter,
            "year": self.year,
        }

    @property
    def approved(self) -> bool:
        return self.status == PlanStatus.APPROVED


class PlanItem(models.Model):
    """One activity of a plan, with its deadline and expected result; its responsible executors
    are `Assignment` rows (`plan_item`), controlled like a decision's."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(default=1)
    activity_ru = models.TextField(_("activity (Russian)"), blank=True)
    activity_kk = models.TextField(_("activity (Kazakh)"), blank=True)
    expected_ru = models.TextField(_("expected result (Russian)"), blank=True)
    expected_kk = models.TextField(_("expected result (Kazakh)"), blank=True)
    due_date = models.DateField(_("deadline"))
    status = models.CharField(max_length=10, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result_ru = models.TextField(_("result (Russian)"), blank=True)
    result_kk = models.TextField(_("result (Kazakh)"), blank=True)
    result_decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_results"
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried_to"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "number", "id"]
        constraints = [
            models.UniqueConstraint("plan", "number", name="plan_item_number_unique"),
            models.CheckConstraint(
                condition=~Q(activity_ru="", activity_kk=""), name="plan_item_has_activity"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="plan_item_done_is_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.activity[:80]}"

    @property
    def activity(self) -> str:
        return in_reader_language(self.activity_ru, self.activity_kk)

    @property
    def expected(self) -> str:
        return in_reader_language(self.expected_ru, self.expected_kk)

    @property
    def result(self) -> str:
        return in_reader_language(self.result_ru, self.result_kk)


class PlanAmendment(models.Model):
    """A change to an approved plan, with its reason: what was changed, before and after."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.PROTECT, related_name="amendments")
    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(_("reason for the amendment"))
    changes = models.JSONField(default=dict)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="plan_amendment_has_reason")]

    def __str__(self) -> str:
        return self.reason[:80]


class ComplianceRemark(models.Model):
    """A member's remark that a decision or a plan item is not being complied with (clause 2.2.3):
    proposed for the next meeting's agenda through its `proposal`, closed with the outcome heard."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="remarks")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="remarks")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="compliance_remarks"
    )
    plan_item = models.ForeignKey(
        PlanItem, on_delete=models.PROTECT, null=True, blank=True, related_name="remarks"
    )
    facts_ru = models.TextField(_("facts (Russian)"), blank=True)
    facts_kk = models.TextField(_("facts (Kazakh)"), blank=True)
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="remark"
    )
    status = models.CharField(max_length=10, choices=RemarkStatus.choices, default=RemarkStatus.OPEN)
    outcome_ru = models.TextField(_("outcome (Russian)"), blank=True)
    outcome_kk = models.TextField(_("outcome (Kazakh)"), blank=True)
    outcome_decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    client_token = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__isnull=False, plan_item__isnull=True)
                | Q(decision__isnull=True, plan_item__isnull=False),
                name="remark_on_decision_xor_plan_item",
            ),
            models.CheckConstraint(condition=~Q(facts_ru="", facts_kk=""), name="remark_has_facts"),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="remark_closed_is_dated"
            ),
            # a double click (or a repeated API call) with the same token files one remark
            models.UniqueConstraint(
                "author", "client_token", condition=~Q(client_token=""), name="remark_client_token_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.facts[:80]

    @property
    def facts(self) -> str:
        return in_reader_language(self.facts_ru, self.facts_kk)

    @property
    def outcome(self) -> str:
        return in_reader_language(self.outcome_ru, self.outcome_kk)
