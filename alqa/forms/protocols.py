"""Forms of the protocol pages: they parse; the domain decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alqa.domain.protocols import TEXT_LIMIT, QuestionText
from alqa.enums import Language
from alqa.forms.common import DateInput


class DraftForm(forms.Form):
    """The texts of each question, in Russian and Kazakh, with the version the writer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, questions: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        labels = {
            "heard_ru": _("Heard (Russian)"),
            "heard_kk": _("Heard (Kazakh)"),
            "discussion_ru": _("Discussion (Russian)"),
            "discussion_kk": _("Discussion (Kazakh)"),
        }
        for q in questions:
            for f, label in labels.items():
                self.fields[f"q{q['item_id']}_{f}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=TEXT_LIMIT,
                    initial=q.get(f, ""),
                    widget=forms.Textarea(attrs={"rows": 3, "lang": f[-2:]}),
                )

    def question_fields(self) -> list[tuple[dict[str, Any], list[forms.BoundField]]]:
        return [
            (
                q,
                [
                    self[f"q{q['item_id']}_{f}"]
                    for f in ("heard_ru", "heard_kk", "discussion_ru", "discussion_kk")
                ],
            )
            for q in self.questions
        ]

    def texts(self) -> dict[int, QuestionText]:
        data = self.cleaned_data
        return {
            q["item_id"]: QuestionText(
                **{
                    f: data.get(f"q{q['item_id']}_{f}", "")
                    for f in ("heard_ru", "heard_kk", "discussion_ru", "discussion_kk")
                }
            )
            for q in self.questions
        }


class SignForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CmsSignForm(forms.Form):
    """A qualified e-signature (detached CMS over the PDF for signing): the file NCALayer saved,
    or its base64 text pasted."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    cms_file = forms.FileField(label=_("Signature file (.cms, .p7s, .sig)"), required=False)
    cms_text = forms.CharField(
        label=_("Or paste the signature (base64)"),
        required=False,
        max_length=700_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("cms_file")
        if upload is not None:
            if upload.size > 512 * 1024:
                raise forms.ValidationError(_("The signature file is too large to be a signature."))
            data["cms"] = upload.read()
        elif data.get("cms_text"):
            data["cms"] = data["cms_text"].encode("ascii", "replace")
        else:
            raise forms.ValidationError(
                _("Attach the signature file made over the protocol's PDF, or paste its text.")
            )
        return data


class PaperSignForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    member = forms.TypedChoiceField(label=_("Signer"), coerce=int)
    signed_on = forms.DateField(label=_("Date written on the signature"), widget=DateInput())
    scan = forms.FileField(label=_("Scan of the signed page (optional)"), required=False)

    def __init__(self, *args: Any, signers: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = signers


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecipientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.RU)


class HandoverForm(forms.Form):
    handed_on = forms.DateField(label=_("Handed over on"), widget=DateInput())


class ArchiveForm(forms.Form):
    until = forms.DateField(label=_("Keep until"), widget=DateInput(), required=False)
    act = forms.CharField(
        label=_("Act of destruction"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocxTemplateForm(forms.Form):
    """An administrator's own Word template for one body's protocols."""

    body = forms.TypedChoiceField(label=_("Body"), coerce=int)
    template = forms.FileField(label=_("Word template (.docx)"))

    def __init__(self, *args: Any, bodies: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = bodies
