"""Forms of execution control: the executor's reports and extension requests, the secretary's
receipt date, the chair's decisions. Forms parse input; alqa/domain/execution.py decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alqa.domain.execution import MAX_EXTENSION_DAYS
from alqa.enums import ReportKind
from alqa.forms.common import CaseGuardForm, DateInput, HoldsFiles, MultipleFileField
from alqa.models.execution import REASON_LIMIT, REPORT_TEXT_LIMIT


class ReportForm(HoldsFiles, CaseGuardForm):
    """The report's text and files pass the case guard: its confirmation shows when they need it;
    the files chosen are kept when the report is refused (HoldsFiles)."""

    guarded_fields = ("text",)

    kind = forms.ChoiceField(label=_("What you give"), choices=ReportKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What was done"), max_length=REPORT_TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField()


class ExtensionForm(forms.Form):
    working_days = forms.IntegerField(
        label=_("Working days asked for"), min_value=1, max_value=MAX_EXTENSION_DAYS
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("Paper copy of the protocol received on"), widget=DateInput())


class DecisionForm(forms.Form):
    """The chair's decision on a report or a request: the button pressed says which."""

    comment = forms.CharField(
        label=_("Comment"), max_length=REASON_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
