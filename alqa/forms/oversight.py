"""Forms of oversight between meetings: facilities, the checklist, visits, findings,
publications. cleaned_data is the keyword arguments of the domain function the page calls."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.dates import human_date
from alqa.domain.urgent_contacts import directory
from alqa.domain.visits import CheckInput
from alqa.enums import (
    AddresseeKind,
    AnswerAssessment,
    CheckResult,
    FacilityKind,
    LegislativeStatus,
    ViolationKind,
)
from alqa.forms.common import AlmatyDateTimeField, CaseGuardForm, DateInput, HoldsFiles, MultipleFileField
from alqa.models import Body, ChecklistItem, Decision, Facility, Member, Unit


class FacilityForm(CaseGuardForm):
    guarded_fields = ("name_ru", "name_kk", "address")

    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind of facility"), choices=FacilityKind.choices)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    is_operational_criminal_police = forms.BooleanField(
        label=_("Operational unit of the criminal police"),
        required=False,
        help_text=_("Members may not visit operational units of the criminal police (clause 2.2.7)."),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(body=body, side="police", is_active=True)


class ChecklistItemForm(CaseGuardForm):
    guarded_fields = ("text_ru", "text_kk")

    kind = forms.ChoiceField(label=_("Kind of facility"), choices=FacilityKind.choices)
    text_ru = forms.CharField(label=_("Item (Russian)"), max_length=300)
    text_kk = forms.CharField(label=_("Item (Kazakh)"), max_length=300, required=False)


class VisitPlanForm(CaseGuardForm):
    guarded_fields = ("purpose",)

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    planned_on = forms.DateField(label=_("Planned for"), widget=DateInput())
    purpose = forms.CharField(
        label=_("Purpose of the visit"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        # Every active facility is offered, the closed ones too: the domain refuses them with the
        # clause, so that the reason is said rather than the choice silently missing.
        self.fields["facility"].queryset = Facility.objects.filter(body=body, is_active=True).select_related(
            "unit"
        )


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} — {obj.get_side_display()}"


class VisitRecordForm(CaseGuardForm):
    """Who went, when, the checklist (one result and note per item) and the summary."""

    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    participants = ParticipantsField(
        label=_("Who went"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary_ru = forms.CharField(
        label=_("Summary (Russian)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    summary_kk = forms.CharField(
        label=_("Summary (Kazakh)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, body: Body, items: list[ChecklistItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["participants"].queryset = (
            Member.objects.filter(body=body).current().order_by("side", "full_name")
        )
        for item in items:
            self.fields[f"check_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=CheckResult.choices, initial=CheckResult.NOT_CHECKED
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note: %(item)s") % {"item": item.text}, max_length=1000, required=False
            )
        self.guarded_fields = ("summary_ru", "summary_kk") + tuple(f"note_{i.pk}" for i in items)
        self.fields["confirm_identifiers"] = self.fields.pop("confirm_identifiers")

    def clean(self):
        cleaned = super().clean()
        cleaned["checks"] = [
            CheckInput(
                item_id=item.pk,
                result=cleaned.pop(f"check_{item.pk}", CheckResult.NOT_CHECKED),
                note=cleaned.pop(f"note_{item.pk}", ""),
            )
            for item in self.items
        ]
        return cleaned

    def add_domain_errors(self, exc) -> None:
        """The domain names a note as `checks.<item id>`: it lands on that note's field."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for field, errors in exc.message_dict.items():
            name = f"note_{field.split('.', 1)[1]}" if field.startswith("checks.") else field
            self.add_error(name if name in self.fields else None, errors)

    def check_rows(self):
        """(result field, note field) per checklist item, for the template."""
        return [(self[f"check_{i.pk}"], self[f"note_{i.pk}"]) for i in self.items]


class FindingForm(HoldsFiles, CaseGuardForm):
    guarded_fields = ("description", "cause")

    kind = forms.ChoiceField(label=_("Kind of violation"), choices=ViolationKind.choices)
    description = forms.CharField(
        label=_("What was found"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    cause = forms.CharField(
        label=_("Its cause"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label="—"
    )
    files = MultipleFileField(label=_("Photos and files"))

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(body=body, is_active=True)


class PublicationForm(CaseGuardForm):
    guarded_fields = ("title_ru", "title_kk", "text_ru", "text_kk")

    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300)
    text_ru = forms.CharField(
        label=_("Text (Russian)"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8})
    )
    text_kk = forms.CharField(
        label=_("Text (Kazakh)"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8})
    )


class RequestForm(CaseGuardForm):
    guarded_fields = ("addressee", "addressee_unit", "addressee_official", "subject", "legal_basis")

    addressee_kind = forms.ChoiceField(label=_("Kind of addressee"), choices=AddresseeKind.choices)
    addressee = forms.CharField(label=_("Addressee (agency)"), max_length=300, required=False)
    addressee_unit = forms.CharField(label=_("Unit"), max_length=300, required=False)
    addressee_official = forms.CharField(label=_("Official"), max_length=300, required=False)
    subject = forms.CharField(
        label=_("What is requested"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)


class RequestSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())


class RequestAnswerForm(HoldsFiles, CaseGuardForm):
    guarded_fields = ("answer_summary",)

    answered_on = forms.DateField(label=_("Answer received on"), widget=DateInput())
    answer_summary = forms.CharField(
        label=_("The answer in brief"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    assessment = forms.ChoiceField(
        label=_("Assessment of the answer"), choices=[("", "—"), *AnswerAssessment.choices], required=False
    )
    files = MultipleFileField(label=_("Files of the answer"))


class UrgentContactForm(CaseGuardForm):
    guarded_fields = ("contact_person", "reason", "outcome")

    unit = forms.ModelChoiceField(label=_("Unit or Presidium contacted"), queryset=Unit.objects.none())
    contact_person = forms.CharField(
        label=_("Whom (name and position)"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for the head named in the units register."),
    )
    contacted_at = AlmatyDateTimeField(label=_("When"))
    reason = forms.CharField(
        label=_("Why the contact was urgent"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.CharField(
        label=_("Outcome"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = directory(body)


class LegislativeProposalForm(CaseGuardForm):
    guarded_fields = ("title_ru", "title_kk", "text_ru", "text_kk", "act", "justification", "addressee")

    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    act = forms.CharField(
        label=_("The act concerned"),
        max_length=500,
        required=False,
        help_text=_("Its name, number and date, and the articles concerned."),
    )
    text_ru = forms.CharField(
        label=_("Proposed wording (Russian)"),
        max_length=50000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    text_kk = forms.CharField(
        label=_("Proposed wording (Kazakh)"),
        max_length=50000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    justification = forms.CharField(
        label=_("Justification"), max_length=50000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    addressee = forms.CharField(
        label=_("Addressee"),
        max_length=300,
        required=False,
        help_text=_("The body with the right of legislative initiative or the agency the proposal goes to."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        day = human_date(timezone.localtime(obj.meeting.starts_at).date())
        return f"{day}, № {obj.number}: {obj.text[:100]}"


class FindingRemarkForm(forms.Form):
    """The decision a finding becomes a compliance remark on (clause 2.2.3)."""

    decision = DecisionChoiceField(
        label=_("Decision not complied with"), queryset=Decision.objects.none(), empty_label=None
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            Decision.objects.filter(meeting__body=body)
            .select_related("meeting")
            .order_by("-meeting__starts_at", "number")
        )


class LegislativeStepForm(CaseGuardForm):
    """One step of a legislative proposal's way; the page shows the fields of the step it offers."""

    guarded_fields = ("outgoing_ref", "outcome_note")

    to = forms.ChoiceField(label=_("Step"), choices=LegislativeStatus.choices)
    decision = DecisionChoiceField(
        label=_("Decision of the group that approved it"), queryset=Decision.objects.none(), required=False
    )
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput(), required=False)
    outgoing_ref = forms.CharField(label=_("Outgoing reference"), max_length=100, required=False)
    outcome_on = forms.DateField(label=_("Outcome received on"), widget=DateInput(), required=False)
    outcome_note = forms.CharField(
        label=_("The outcome in brief"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            Decision.objects.filter(meeting__body=body)
            .select_related("meeting")
            .order_by("-meeting__starts_at", "number")
        )
