"""Forms of members' proposals: submit with a memo and files, accept onto a meeting, return.
cleaned_data is the keyword arguments of the domain function the page calls."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.enums import MeetingStatus
from alqa.forms.common import CaseGuardForm, HoldsFiles, MultipleFileField
from alqa.forms.meetings import withdrawal_field
from alqa.models import Body, Meeting


class ProposalForm(HoldsFiles, CaseGuardForm):
    guarded_fields = ("title_ru", "title_kk", "memo_ru", "memo_kk")

    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=500, required=False)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=500, required=False)
    memo_ru = forms.CharField(
        label=_("Justification memo (Russian)"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    memo_kk = forms.CharField(
        label=_("Justification memo (Kazakh)"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = MultipleFileField()


class AcceptProposalForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), empty_label=None)

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(body=body, status=MeetingStatus.SCHEDULED)
            .filter(Q(starts_at__date__gte=today))
            .order_by("starts_at")
        )
        self.fields["meeting"].label_from_instance = _meeting_label
        # said beforehand: a proposal put on an approved agenda withdraws the approval
        if self.fields["meeting"].queryset.filter(agenda_approved_at__isnull=False).exists():
            self.fields["withdraw_approval"] = withdrawal_field()
            self.fields["withdraw_approval"].label = _(
                "If the agenda of the chosen meeting is approved, putting the proposal on it withdraws "
                "the approval, and the presiding person must approve the agenda again."
            )

    def clean(self):
        cleaned = super().clean()
        cleaned["withdraw_approval"] = bool(cleaned.get("withdraw_approval"))
        return cleaned


def _meeting_label(meeting: Meeting) -> str:
    label = f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M} — {meeting.get_kind_display()}"
    if meeting.agenda_approved_at is not None:
        label += f" ({_('agenda approved')})"
    return label


class ReturnProposalForm(CaseGuardForm):
    guarded_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for returning"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
