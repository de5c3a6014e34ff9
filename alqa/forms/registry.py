"""Forms of the register. They parse input; the domain decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alqa.domain.bodies import GUEST_FIELDS, POLICY_FIELDS
from alqa.domain.members import MEMBER_FIELDS
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR, MAX_DAYS
from alqa.enums import CalendarExceptionKind
from alqa.forms.common import DateInput
from alqa.models import Body, BodyPolicy, Guest, Member, Unit


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = list(MEMBER_FIELDS)
        widgets = {
            "basis_date": DateInput(),
            "active_from": DateInput(),
            "active_to": DateInput(),
        }

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(body=body, is_active=True)
        self.fields["email"].help_text = _("A member with an e-mail gets an invitation to sign in.")
        self.fields["basis_kind"].help_text = _(
            "A bar-side member is appointed by a resolution of the Bar's Presidium: give its number and "
            "date (clause 1.3). For a police-side member an order may be given."
        )
        if BodyPolicy.objects.filter(body=body, leaders_sides_enforced=True).exists():
            self.fields["role"].help_text = _(
                "Under clause 3.1 the chair is of the police side and the deputy chair of the bar side."
            )

    def _post_clean(self):
        # Validation of the whole record is the domain's job (add_member / update_member).
        pass


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name_ru",
            "name_kk",
            "side",
            "kind",
            "parent",
            "is_operational_criminal_police",
            "head_name",
            "email",
            "phone",
            "address",
            "is_active",
        ]

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(body=body)

    def _post_clean(self):
        pass


class GuestForm(forms.ModelForm):
    class Meta:
        model = Guest
        fields = list(GUEST_FIELDS)

    def _post_clean(self):
        pass


class PolicyForm(forms.ModelForm):
    class Meta:
        model = BodyPolicy
        fields = list(POLICY_FIELDS)
        widgets = {"quorum_rule": forms.RadioSelect}

    def _post_clean(self):
        pass


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name_ru", "name_kk", "city", "short_name"]

    def _post_clean(self):
        pass


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label=_("Event date"),
        widget=DateInput(),
    )
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=MAX_DAYS,
        error_messages={
            "min_value": _("Enter a number of working days of at least 1."),
            "max_value": _("Enter a number of working days no larger than %(limit_value)s."),
        },
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return start


class CalendarExceptionForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CalendarExceptionKind.choices,
        help_text=_(
            "A removed holiday makes a weekday an ordinary working day and leaves a Saturday or Sunday "
            "an ordinary day off; a day made working counts even on a Saturday or Sunday."
        ),
    )
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=200)
    legal_act = forms.CharField(
        label=_("Legal act"),
        max_length=400,
        help_text=_(
            "For example: Resolution of the Government of the Republic of Kazakhstan No. 123 of 1 December 2025."
        ),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[])

    def __init__(self, *args, **kwargs):
        from alqa.enums import Language

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = Language.choices


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
