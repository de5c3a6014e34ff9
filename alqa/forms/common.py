"""What the forms share: date and file inputs, the choice of a member, the case guard's form, and
how a domain refusal lands on a form. Forms parse input; the domain decides."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alqa.domain.attachments import ACCEPTED_EXTENSIONS, MAX_BYTES, MAX_FILES
from alqa.domain.case_guard import CaseIdentifiersFound, find_identifiers
from alqa.domain.held_files import discard, held, hold
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


def _files_help() -> str:
    return gettext("PDF, DOCX, PNG or JPEG; up to %(size)s MB each, at most %(count)s files.") % {
        "size": MAX_BYTES // (1024 * 1024),
        "count": MAX_FILES,
    }


# read in the reader's language when the page is drawn: the fields are made once, when their form
# class is defined, and `gettext_lazy(...) % values` would fix the text in the language of that moment
files_help = lazy(_files_help, str)


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the domain (type by content, size)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Files"))
        kwargs.setdefault("help_text", files_help())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data if one]
        return [super().clean(data, initial)] if data else []


class HoldsFiles(forms.Form):
    """A form with a `files` field whose files survive a refusal: the view calls `keep_files`
    when it shows the form again (the files are kept on the server under a token the form then
    carries) and `take_files` after a valid sending (the kept files join the new ones)."""

    held_files = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    drop_held_files = forms.BooleanField(
        label=_("Remove the files kept from the last sending"), required=False, widget=forms.HiddenInput
    )
    held_names: list[str] = []

    def _held(self, user) -> list:
        if self.data.get(self.add_prefix("drop_held_files")) in ("on", "true", "1", "True"):
            return []
        return held(str(self.data.get(self.add_prefix("held_files"), "")), user=user)

    def take_files(self, user) -> None:
        """After is_valid: the kept files (unless the writer removed them) before the new ones."""
        self.cleaned_data.pop("held_files", None)
        self.cleaned_data.pop("drop_held_files", None)
        self.cleaned_data["files"] = self._held(user) + list(self.cleaned_data.get("files") or [])

    def keep_files(self, user) -> None:
        """Before the form is shown again: keep every file of this sending (kept and new) under a
        new token, and name them on the form."""
        token = str(self.data.get(self.add_prefix("held_files"), ""))
        files = self._held(user) + list(self.files.getlist(self.add_prefix("files")) if self.files else [])
        discard(token, user=user)
        kept = hold(files, user=user)
        data = self.data.copy()
        data[self.add_prefix("held_files")] = kept
        data[self.add_prefix("drop_held_files")] = ""
        self.data = data
        self.held_names = [f.name for f in files]
        if files:
            self.fields["drop_held_files"].widget = forms.CheckboxInput()

    def done(self, user) -> None:
        """After the change is saved: the kept files are no longer needed."""
        discard(str(self.data.get(self.add_prefix("held_files"), "")), user=user)


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
        if getattr(refusal, "blocking", False):
            # the body's policy refuses such numbers outright: nothing to confirm
            self.fields["confirm_identifiers"].widget = forms.HiddenInput()
            data = self.data.copy()
            data[self.add_prefix("confirm_identifiers")] = ""
            self.data = data
        elif isinstance(refusal, CaseIdentifiersFound) or find_identifiers(texts):
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
