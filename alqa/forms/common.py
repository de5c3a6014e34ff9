"""What the forms share: date and file inputs, the choice of a member, the case guard's form, and
how a domain refusal lands on a form. Forms parse input; the domain decides."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.domain.attachments import ACCEPTED_EXTENSIONS, MAX_BYTES, MAX_FILES
from alqa.domain.case_guard import CaseIdentifiersFound, find_identifiers
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR
from alqa.models import Member

# Meetings are scheduled in Almaty time whatever the reader's browser or server says.
ALMATY = ZoneInfo("Asia/Almaty")
ACCEPTED_FILES = ",".join(ACCEPTED_EXTENSIONS)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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

    def clean(self):
        """cleaned_data holds the domain function's keyword arguments: the box is its
        `identifiers_confirmed`."""
        cleaned = super().clean()
        cleaned["identifiers_confirmed"] = bool(cleaned.pop("confirm_identifiers", False))
        return cleaned

    def show_case_guard(self, refusal: Exception) -> None:
        """After a refusal: show the confirmation when the case guard refused, or when the texts
        as sent hold such a number (another error came first, or the box was ticked already)."""
        texts = {name: str(self.data.get(self.add_prefix(name), "")) for name in self.guarded_fields}
        if isinstance(refusal, CaseIdentifiersFound) or find_identifiers(texts):
            self.fields["confirm_identifiers"].widget = forms.CheckboxInput()


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put the domain's refusal on the form: on the fields it names (or on the form as a whole),
    through the form's own `add_domain_errors` when it has rows of its own to place them on; and
    show the case guard's confirmation when the texts need it."""
    own = getattr(form, "add_domain_errors", None)
    if own is not None:
        own(exc)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    if isinstance(form, CaseGuardForm):
        form.show_case_guard(exc)
