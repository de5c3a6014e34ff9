from django.core.exceptions import ValidationError
from django.forms import BaseForm

from alqa.forms.meetings import CaseGuardForm


def apply_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put the domain's errors on the form fields they name (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    show_case_guard(form, exc)


def show_case_guard(form: BaseForm, exc: ValidationError) -> None:
    """A form under the case guard shows its confirmation when the texts need it."""
    if isinstance(form, CaseGuardForm):
        form.show_case_guard(exc)
