"""Forms of compliance remarks and work plans. cleaned_data is the keyword arguments of the
domain function the page calls."""

from __future__ import annotations

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.domain.plans import PlanExecutor
from alqa.enums import PlanItemStatus, PlanPeriod
from alqa.forms.common import CaseGuardForm, DateInput, MultipleFileField
from alqa.models import Body, Member, Unit

TEXT = {"rows": 4}


class RemarkForm(CaseGuardForm):
    guarded_fields = ("facts_ru", "facts_kk")

    facts_ru = forms.CharField(
        label=_("Facts (Russian)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    facts_kk = forms.CharField(
        label=_("Facts (Kazakh)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField()
    # one token per rendered form: a second click files nothing more
    client_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["client_token"] = secrets.token_urlsafe(24)


class CloseRemarkForm(CaseGuardForm):
    guarded_fields = ("outcome_ru", "outcome_kk")

    outcome_ru = forms.CharField(
        label=_("Outcome (Russian)"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    outcome_kk = forms.CharField(
        label=_("Outcome (Kazakh)"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )


class PlanForm(forms.Form):
    period = forms.ChoiceField(label=_("Plan"), choices=PlanPeriod.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter (for a quarterly plan)"),
        choices=[(0, "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        required=False,
        empty_value=0,  # type: ignore[arg-type]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("quarter", (today.month - 1) // 3 + 1)


class PlanItemForm(CaseGuardForm):
    """An item with its executors: members and units chosen from the body, officials named one a
    line. cleaned_data is add_plan_item's keyword arguments."""

    guarded_fields = ("activity_ru", "activity_kk", "expected_ru", "expected_kk", "executor_names")

    activity_ru = forms.CharField(
        label=_("Activity (Russian)"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    activity_kk = forms.CharField(
        label=_("Activity (Kazakh)"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    expected_ru = forms.CharField(
        label=_("Expected result (Russian)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )
    expected_kk = forms.CharField(
        label=_("Expected result (Kazakh)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput())
    executor_members = forms.ModelMultipleChoiceField(
        label=_("Responsible members"), queryset=Member.objects.none(), required=False
    )
    executor_units = forms.ModelMultipleChoiceField(
        label=_("Responsible units"), queryset=Unit.objects.none(), required=False
    )
    executor_names = forms.CharField(
        label=_("Other responsible officials, one a line"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason for the amendment (an approved plan)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, body: Body, approved: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["executor_members"].queryset = (
            Member.objects.filter(body=body).on(today).order_by("full_name")
        )
        self.fields["executor_members"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.get_side_display()})"
        )
        self.fields["executor_units"].queryset = Unit.objects.filter(body=body).order_by("side", "name_ru")
        if not approved:
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        executors = [PlanExecutor(member_id=m.pk) for m in cleaned.pop("executor_members", None) or []]
        executors += [PlanExecutor(unit_id=u.pk) for u in cleaned.pop("executor_units", None) or []]
        names = cleaned.pop("executor_names", "") or ""
        executors += [PlanExecutor(name=line.strip()) for line in names.splitlines() if line.strip()]
        cleaned["executors"] = executors
        return cleaned

    def add_domain_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.message_dict.items():
                field = "executor_members" if key.startswith("executors") else key
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class PlanResultForm(CaseGuardForm):
    guarded_fields = ("result_ru", "result_kk")

    status = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (PlanItemStatus.DONE, PlanItemStatus.DONE.label),
            (PlanItemStatus.NOT_DONE, PlanItemStatus.NOT_DONE.label),
        ],
    )
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    result_ru = forms.CharField(
        label=_("Result (Russian)"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    result_kk = forms.CharField(
        label=_("Result (Kazakh)"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )


class PlanItemChangeForm(CaseGuardForm):
    """The item's texts and deadline; on an approved plan the reason of the amendment.
    cleaned_data is change_plan_item's keyword arguments."""

    guarded_fields = ("activity_ru", "activity_kk", "expected_ru", "expected_kk")

    activity_ru = PlanItemForm.base_fields["activity_ru"]
    activity_kk = PlanItemForm.base_fields["activity_kk"]
    expected_ru = PlanItemForm.base_fields["expected_ru"]
    expected_kk = PlanItemForm.base_fields["expected_kk"]
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the amendment (an approved plan)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, approved: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not approved:
            del self.fields["reason"]
