"""Forms of meetings and proposals. They parse input; the domain decides."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.domain.attachments import MAX_BYTES
from alqa.domain.case_guard import CaseIdentifiersFound, find_identifiers
from alqa.domain.proposals import MAX_FILES
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR, MAX_DAYS
from alqa.enums import (
    AgendaItemKind,
    ExtraordinaryInitiator,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    OnlineGround,
    Role,
)
from alqa.forms.registry import DateInput
from alqa.models import Body, Decision, Guest, Meeting, Member, Unit

# Meetings are scheduled in Almaty time whatever the reader's browser or server says.
ALMATY = ZoneInfo("Asia/Almaty")
ACCEPTED_FILES = ".pdf,.docx,.png,.jpg,.jpeg"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AlmatyDateTimeField(forms.DateTimeField):
    """A `datetime-local` value read as Almaty wall-clock time and made aware in Asia/Almaty."""

    widget = DateTimeLocalInput

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value, ALMATY)
        return value

    def to_python(self, value):
        with timezone.override(ALMATY):
            result = super().to_python(value)
        if result is not None and not FIRST_YEAR <= result.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return result


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the domain (type by content, size)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Files"))
        kwargs.setdefault(
            "help_text",
            _("PDF, DOCX, PNG or JPEG; up to %(size)s MB each, at most %(count)s files.")
            % {"size": MAX_BYTES // (1024 * 1024), "count": MAX_FILES},
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data if one]
        return [super().clean(data, initial)] if data else []


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} — {obj.get_role_display()}"


def _leaders(body: Body):
    return Member.objects.filter(body=body, role__in=[Role.CHAIR, Role.DEPUTY_CHAIR]).order_by(
        "role", "full_name"
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        initial=MeetingKind.REGULAR,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=MeetingFormat.choices,
        widget=forms.RadioSelect,
        initial=MeetingFormat.IN_PERSON,
    )
    starts_at = AlmatyDateTimeField(label=_("Date and time (Almaty time)"))
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"), initial=120, min_value=15, max_value=600
    )
    place = forms.CharField(
        label=_("Place"), max_length=300, required=False, help_text=_("Required for an in-person meeting.")
    )
    # Checked by the domain (alqa.models.links), as for the API: https only, unless the policy allows http.
    conference_url = forms.CharField(
        label=_("Conference link"),
        max_length=500,
        required=False,
        widget=forms.URLInput,
        help_text=_("Required for an online meeting; an address starting with https://."),
    )
    online_ground = forms.ChoiceField(
        label=_("Ground for meeting online"),
        required=False,
        choices=[("", "—")] + list(OnlineGround.choices),
        help_text=_(
            "Required for an online meeting: meetings are held in person, online only in a case that "
            "cannot wait or under quarantine measures (clauses 3.3, 3.4)."
        ),
    )
    online_ground_note = forms.CharField(
        label=_("Ground for meeting online, details"),
        max_length=500,
        required=False,
        help_text=_("For example: what cannot wait, or the act that introduced the quarantine measures."),
    )
    presiding = MemberChoiceField(
        label=_("Presiding"),
        queryset=Member.objects.none(),
        help_text=_("The chair, or a deputy chair on the chair's instruction (clause 3.2)."),
    )
    delegation_basis = forms.CharField(
        label=_("Chair's instruction"),
        max_length=300,
        required=False,
        help_text=_(
            "When a deputy chair presides: the chair's instruction, for example its number and date."
        ),
    )
    retrospective = forms.BooleanField(
        label=_("Entered after the fact (the meeting has already been held)"),
        required=False,
    )
    initiator_kind = forms.ChoiceField(
        label=_("Proposed by"),
        required=False,
        choices=[("", "—")] + list(ExtraordinaryInitiator.choices),
    )
    initiator_name = forms.CharField(label=_("Name of the proposer"), max_length=300, required=False)
    initiator_unit = forms.ModelChoiceField(
        label=_("Police unit of the proposer"), queryset=Unit.objects.none(), required=False
    )
    decided_by = MemberChoiceField(label=_("Decided by"), queryset=Member.objects.none(), required=False)
    chair_consent = forms.BooleanField(label=_("With the chair's consent"), required=False)

    EXTRAORDINARY_FIELDS = (
        "initiator_kind",
        "initiator_name",
        "initiator_unit",
        "decided_by",
        "chair_consent",
    )

    def __init__(self, *args, body: Body, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presiding"].queryset = _leaders(body)
        self.fields["decided_by"].queryset = _leaders(body)
        self.fields["initiator_unit"].queryset = Unit.objects.filter(body=body)
        if editing:
            del self.fields["retrospective"]

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.EXTRAORDINARY_FIELDS]

    def extraordinary_fields(self):
        return [self[name] for name in self.EXTRAORDINARY_FIELDS]

    @staticmethod
    def initial_from(meeting: Meeting) -> dict:
        names = (
            "kind",
            "format",
            "starts_at",
            "duration_minutes",
            "place",
            "conference_url",
            "online_ground",
            "online_ground_note",
            "presiding",
            "delegation_basis",
            "initiator_kind",
            "initiator_name",
            "initiator_unit",
            "decided_by",
            "chair_consent",
        )
        return {name: getattr(meeting, name) for name in names}


class CaseGuardForm(forms.Form):
    """A form of free text under the case guard (clause 1.2, alqa/domain/case_guard.py). Its
    confirmation is a hidden field until the texts hold a case or personal number; then it shows as
    a checkbox the writer ticks to keep the text as it is."""

    guarded_fields: tuple[str, ...] = ()

    confirm_identifiers = forms.BooleanField(
        label=_("The numbers found identify no criminal case and no person; keep the text as it is."),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_identifiers"] = self.fields.pop("confirm_identifiers")  # last, by the button

    def show_case_guard(self, refusal: Exception) -> None:
        """After a refusal: show the confirmation when the case guard refused, or when the texts
        as sent hold such a number (another error came first, or the box was ticked already)."""
        texts = {name: str(self.data.get(self.add_prefix(name), "")) for name in self.guarded_fields}
        if isinstance(refusal, CaseIdentifiersFound) or find_identifiers(texts):
            self.fields["confirm_identifiers"].widget = forms.CheckboxInput()


class CancelMeetingForm(CaseGuardForm):
    guarded_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for the cancellation"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgendaItemForm(CaseGuardForm):
    guarded_fields = ("title_ru", "title_kk", "plan_item_ref")

    title_ru = forms.CharField(label=_("Question (Russian)"), max_length=500, required=False)
    title_kk = forms.CharField(label=_("Question (Kazakh)"), max_length=500, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=[c for c in AgendaItemKind.choices if c[0] != AgendaItemKind.PROPOSAL],
        initial=AgendaItemKind.OTHER,
        help_text=_("Members' proposals come onto the agenda when the proposal is accepted."),
    )
    speaker = MemberChoiceField(label=_("Speaker"), queryset=Member.objects.none(), required=False)
    order = forms.IntegerField(
        label=_("Number on the agenda"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("Leave empty to put the question last."),
    )
    plan_item_ref = forms.CharField(
        label=_("Plan item"),
        max_length=200,
        required=False,
        help_text=_("For a report on a plan item: the item's number or title."),
    )
    remark_on = forms.ModelChoiceField(
        label=_("Remark on the decision"), queryset=Decision.objects.none(), required=False
    )
    files = MultipleFileField()

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        day = timezone.localtime(meeting.starts_at).date()
        self.fields["speaker"].queryset = (
            Member.objects.filter(body=meeting.body).on(day).order_by("side", "full_name")
        )
        self.fields["remark_on"].queryset = (
            Decision.objects.filter(meeting__body=meeting.body)
            .exclude(meeting=meeting)
            .select_related("meeting", "agenda_item")
            .order_by("-meeting__starts_at", "agenda_item__order", "number")
        )
        self.fields["remark_on"].label_from_instance = _decision_label


def _decision_label(decision: Decision) -> str:
    day = timezone.localtime(decision.meeting.starts_at).strftime("%d.%m.%Y")
    return f"{day}, {decision.agenda_item.order}.{decision.number}: {decision.text[:80]}"


class InviteGuestForm(forms.Form):
    guest = forms.ModelChoiceField(label=_("Invited participant"), queryset=Guest.objects.none())

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guest"].queryset = Guest.objects.filter(body=meeting.body).exclude(
            invitations__meeting=meeting
        )


class DecisionForm(CaseGuardForm):
    guarded_fields = ("text_ru", "text_kk")

    text_ru = forms.CharField(
        label=_("Decision (Russian)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    text_kk = forms.CharField(
        label=_("Decision (Kazakh)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExecutorForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    name = forms.CharField(label=_("Named official"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Deadline (date)"), required=False, widget=DateInput())
    due_working_days = forms.IntegerField(
        label=_("or working days after the meeting"), required=False, min_value=1, max_value=MAX_DAYS
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.filter(body=body).current().order_by("side", "full_name")
        )
        self.fields["unit"].queryset = Unit.objects.filter(body=body, is_active=True)


MAX_EXECUTORS = 5
ExecutorFormSet = forms.formset_factory(
    ExecutorForm,
    extra=MAX_EXECUTORS,
    max_num=MAX_EXECUTORS,
    absolute_max=MAX_EXECUTORS,
    validate_max=True,
)


class ProposalForm(CaseGuardForm):
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


def _meeting_label(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M} — {meeting.get_kind_display()}"


class ReturnProposalForm(CaseGuardForm):
    guarded_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for returning"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
