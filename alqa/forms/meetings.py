"""Forms of meetings: schedule and change, cancel, agenda items, invitations, attendance,
decisions with their executors. Each form's cleaned_data is the keyword arguments of the domain
function the page calls; the domain decides."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.domain.meetings import AttendanceRow, ExecutorInput
from alqa.domain.workdays import MAX_DAYS
from alqa.enums import (
    AgendaItemKind,
    ExtraordinaryInitiator,
    MeetingFormat,
    MeetingKind,
    OnlineGround,
    PlanItemStatus,
    PlanStatus,
    Role,
    Side,
)
from alqa.forms.common import (
    AlmatyDateTimeField,
    CaseGuardForm,
    DateInput,
    MemberChoiceField,
    MultipleFileField,
)
from alqa.models import AgendaItem, Body, Decision, Guest, Meeting, Member, PlanItem, Unit
from alqa.models.meetings import DURATION_MINUTES


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
        label=_("Duration, minutes"),
        initial=120,
        min_value=DURATION_MINUTES[0],
        max_value=DURATION_MINUTES[1],
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
        # the head of a police unit proposes: the police side's units only
        self.fields["initiator_unit"].queryset = Unit.objects.filter(body=body, side=Side.POLICE)
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


class CancelMeetingForm(CaseGuardForm):
    guarded_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for the cancellation"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


WITHDRAWAL_LABEL = _(
    "The agenda is approved: this change withdraws the approval, and the presiding person must "
    "approve the agenda again."
)


def withdrawal_field(meeting: Meeting | None = None) -> forms.BooleanField:
    """The confirmation that a change withdraws the agenda's approval: a checkbox while the agenda
    is approved (or `meeting` is None: the form decides), a hidden field otherwise."""
    approved = meeting is None or meeting.agenda_approved_at is not None
    return forms.BooleanField(
        label=WITHDRAWAL_LABEL,
        required=False,
        widget=forms.CheckboxInput if approved else forms.HiddenInput,
    )


class AgendaItemForm(CaseGuardForm):
    guarded_fields = ("title_ru", "title_kk")

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
    plan_item = forms.ModelChoiceField(
        label=_("Plan item"),
        queryset=PlanItem.objects.none(),
        required=False,
        help_text=_(
            "For a report on a plan item: the item of an approved plan; the decision on it records its result."
        ),
    )
    remark_on = forms.ModelChoiceField(
        label=_("Remark on the decision"), queryset=Decision.objects.none(), required=False
    )
    files = MultipleFileField()

    def __init__(self, *args, meeting: Meeting, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        day = timezone.localtime(meeting.starts_at).date()
        self.fields["speaker"].queryset = (
            Member.objects.filter(body=meeting.body).on(day).order_by("side", "full_name")
        )
        self.fields["withdraw_approval"] = withdrawal_field(meeting)
        self.fields["confirm_identifiers"] = self.fields.pop("confirm_identifiers")  # last, by the button
        if editing:  # a question's texts and speaker; its kind, place, plan item and files stay
            for name in ("kind", "order", "remark_on", "plan_item", "files"):
                del self.fields[name]
            return
        self.fields["remark_on"].queryset = (
            Decision.objects.filter(meeting__body=meeting.body)
            .exclude(meeting=meeting)
            .select_related("meeting", "agenda_item")
            .order_by("-meeting__starts_at", "agenda_item__order", "number")
        )
        self.fields["remark_on"].label_from_instance = _decision_label
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(plan__body=meeting.body, plan__status=PlanStatus.APPROVED)
            .exclude(status=PlanItemStatus.DONE)
            .select_related("plan")
            .order_by("-plan__year", "-plan__quarter", "number")
        )
        self.fields["plan_item"].label_from_instance = _plan_item_label


def _plan_item_label(item: PlanItem) -> str:
    return f"{item.plan.label}, {item.number}: {item.activity[:80]}"


class MaterialsForm(forms.Form):
    """Materials an invited person sends: to which question, and the files."""

    item = forms.ModelChoiceField(label=_("Question"), queryset=AgendaItem.objects.none(), empty_label=None)
    files = MultipleFileField(label=_("Files"), required=True)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting).order_by("order")
        self.fields["item"].label_from_instance = lambda item: f"{item.order}. {item.title}"

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise ValidationError(_("Choose at least one file."))
        return files


class AgendaItemActionForm(forms.Form):
    """Moving or removing a question: on an approved agenda, the confirmation that the approval
    is withdrawn (the direction of a move is in the address)."""

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdraw_approval"] = withdrawal_field(meeting)


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


MAX_ID = 2**63 - 1  # the largest key a database stores; a larger number is not understood


class AttendanceForm(forms.Form):
    """The attendance sheet as the page posts it: every member listed (`member`) and those ticked
    (`present`); the same for invited participants (`guest`, `guest_present`). cleaned_data is
    record_attendance's `members` and `guests`."""

    def _ids(self, name: str) -> list[int]:
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError):
            ids = None
        if ids is None or any(not 1 <= i <= MAX_ID for i in ids):
            raise ValidationError(
                _("The attendance list was not understood; reload the page and try again."), code="invalid"
            )
        return ids

    def clean(self):
        present, guests_present = set(self._ids("present")), set(self._ids("guest_present"))
        return {
            "members": [AttendanceRow(i, i in present) for i in self._ids("member")],
            "guests": [(i, i in guests_present) for i in self._ids("guest")],
        }


class ExecutorForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    name = forms.CharField(label=_("Named official"), max_length=300, required=False)
    email = forms.EmailField(label=_("Official's e-mail (for the personal link)"), required=False)
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

    def executor(self) -> ExecutorInput | None:
        """The row as the domain's input; None for a row left empty."""
        data = self.cleaned_data
        if not data or not any(v not in (None, "") for v in data.values()):
            return None
        return ExecutorInput(
            member_id=data["member"].pk if data.get("member") else None,
            unit_id=data["unit"].pk if data.get("unit") else None,
            name=data.get("name") or "",
            due_date=data.get("due_date"),
            due_working_days=data.get("due_working_days"),
            email=data.get("email") or "",
        )


MAX_EXECUTORS = 5
ExecutorFormSet = forms.formset_factory(
    ExecutorForm,
    extra=MAX_EXECUTORS,
    max_num=MAX_EXECUTORS,
    absolute_max=MAX_EXECUTORS,
    validate_max=True,
)


class DecisionForm(CaseGuardForm):
    """The wording of a decision and its executors (a formset of rows, `executors`). cleaned_data
    is record_decision's `text_ru`, `text_kk`, `executors` (ExecutorInput, the rows filled in)
    and `identifiers_confirmed`; a refusal of an executor lands on its row."""

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

    def __init__(self, data=None, *args, body: Body, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.executors = ExecutorFormSet(data, prefix="executors", form_kwargs={"body": body})
        self._rows: list[int] = []  # the formset's index of each executor given to the domain

    def is_valid(self) -> bool:
        form_valid = super().is_valid()  # cleans the rows too (clean)
        return form_valid and self.executors.is_valid()

    def clean(self):
        cleaned = super().clean()
        if self.executors.is_valid():
            rows = [(index, row.executor()) for index, row in enumerate(self.executors.forms)]
            filled = [(index, executor) for index, executor in rows if executor is not None]
            self._rows = [index for index, _executor in filled]
            cleaned["executors"] = [executor for _index, executor in filled]
        return cleaned

    @property
    def has_errors(self) -> bool:
        return self.is_bound and (
            bool(self.errors) or not self.executors.is_valid() or any(row.errors for row in self.executors)
        )

    def add_domain_errors(self, exc: ValidationError) -> None:
        """A refusal's `executors.N` goes on the N-th executor given, the rest on the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, errors in exc.message_dict.items():
            if key.startswith("executors."):
                try:
                    index = self._rows[int(key.split(".", 1)[1])]
                except (ValueError, IndexError):
                    self.add_error(None, errors)
                else:
                    self.executors.forms[index].add_error(None, errors)
            else:
                self.add_error(key if key in self.fields else None, errors)
