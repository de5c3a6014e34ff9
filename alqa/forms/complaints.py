"""Forms of the complaints register: a complaint, the filters, an import's file and columns,
the generalisation note. They parse input; the domain decides."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alqa.domain.complaint_import import IMPORT_FIELDS, MAX_IMPORT_BYTES, field_label
from alqa.domain.complaints import COMPLAINT_FIELDS
from alqa.enums import ComplaintArticle, ComplaintOutcome, OfficialKind
from alqa.forms.common import DateInput
from alqa.models import Complaint, ComplaintNote
from alqa.queries.complaints import Choices, ComplaintFilters

NOTE_FIELDS = (
    "title_ru",
    "title_kk",
    "period_from",
    "period_to",
    "causes_ru",
    "causes_kk",
    "conclusions_ru",
    "conclusions_kk",
    "recommendations_ru",
    "recommendations_kk",
)


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = list(COMPLAINT_FIELDS)
        widgets = {"filed_on": DateInput(), "decided_on": DateInput()}

    def __init__(self, *args, choices: Choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.TypedChoiceField(
            label=_("Unit complained of"), choices=[("", "—"), *choices.units], coerce=int
        )
        # a subject switched off in the classifier is offered only to the complaint that has it
        self.fields["subject"] = forms.TypedChoiceField(
            label=_("Subject"),
            choices=[("", "—"), *choices.subjects_to_choose(keep=self.instance.subject_id)],
            coerce=int,
        )
        self.fields["measures"].help_text = _("No names, ИИН or case numbers.")
        self.fields["source"].help_text = _("Where the figures come from, e.g. the prosecutor's statistics.")
        if self.instance.pk:
            self.initial["unit"] = self.instance.unit_id
            self.initial["subject"] = self.instance.subject_id

    def clean(self):
        cleaned = super().clean() or {}
        # The domain takes ids as *_id; the choices above are the body's own.
        if "unit" in cleaned:
            cleaned["unit_id"] = cleaned.pop("unit")
        if "subject" in cleaned:
            cleaned["subject_id"] = cleaned.pop("subject")
        return cleaned

    def _post_clean(self):
        pass  # the domain validates the whole record


def _choice(label, options, empty):
    return forms.ChoiceField(label=label, required=False, choices=[("", empty), *options])


class ComplaintFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Filed from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Filed to"), required=False, widget=DateInput())

    def __init__(self, data, *, choices: Choices):
        super().__init__(data)
        self.fields["article"] = _choice(_("Article"), ComplaintArticle.choices, _("Both articles"))
        self.fields["unit"] = forms.TypedChoiceField(
            label=_("Unit"),
            required=False,
            choices=[("", _("All units")), *choices.units],
            coerce=int,
            empty_value=None,
        )
        self.fields["subject"] = forms.TypedChoiceField(
            label=_("Subject"),
            required=False,
            choices=[("", _("All subjects")), *choices.subjects],
            coerce=int,
            empty_value=None,
        )
        self.fields["outcome"] = _choice(
            _("Outcome"),
            [("satisfied_any", _("Satisfied in full or in part")), *ComplaintOutcome.choices],
            _("Any outcome"),
        )
        self.fields["official"] = _choice(_("Kind of official"), OfficialKind.choices, _("Any official"))
        self.fields["violation"] = _choice(
            _("Violation found"), [("yes", _("Yes")), ("no", _("No"))], _("Either")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> ComplaintFilters:
        """The filters asked for; those not understood are left out (and shown as errors)."""
        if not self.is_bound:
            return ComplaintFilters()
        self.is_valid()
        data = self.cleaned_data
        violation = data.get("violation")
        return ComplaintFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to") if "date_to" not in self.errors else None,
            article=data.get("article") or "",
            unit=data.get("unit"),
            subject=data.get("subject"),
            outcome=data.get("outcome") or "",
            official=data.get("official") or "",
            violation=None if not violation else violation == "yes",
        )


def _import_help() -> str:
    return gettext(
        "XLSX or CSV (UTF-8, comma or semicolon), the first row naming the columns; up to %(mb)s MB."
    ) % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=lazy(_import_help, str)(),  # read in the reader's language, when the page is drawn
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_(
            "Who exported the file, e.g. “Police statistics”: the column mapping is kept per source."
        ),
    )


class ImportColumnsForm(forms.Form):
    """One choice of the file's column per field of a complaint."""

    def __init__(self, data, *, headers: list[str], initial: dict[str, str]):
        super().__init__(data, initial=initial)
        options = [("", _("— not in the file —")), *[(h, h) for h in headers]]
        for name, required in IMPORT_FIELDS:
            self.fields[name] = forms.ChoiceField(label=field_label(name), choices=options, required=required)

    def columns(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}


class NoteForm(forms.ModelForm):
    class Meta:
        model = ComplaintNote
        fields = list(NOTE_FIELDS)
        widgets = {
            "period_from": DateInput(),
            "period_to": DateInput(),
            **{
                f: forms.Textarea(attrs={"rows": 5})
                for f in NOTE_FIELDS
                if f[:5] in ("cause", "concl", "recom")
            },
        }

    def _post_clean(self):
        pass


class SubjectForm(forms.Form):
    """A subject of the body's classifier, in Russian and Kazakh."""

    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300)
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300, required=False)
    position = forms.IntegerField(label=_("Place in the list"), min_value=0, max_value=32767, required=False)
