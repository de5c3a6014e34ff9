"""Forms of qualified e-signatures: the administrators' trusted roots, the ИИН on the profile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alqa.domain.trusted_roots import MAX_CERTIFICATE_BYTES, MAX_CRL_BYTES
from alqa.models import Body


class TrustedRootForm(forms.Form):
    """`cleaned_data` is add_trusted_root's keywords: name, certificate (bytes), body."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As administrators will recognise it, e.g. “НУЦ РК, корневой, RSA”."),
    )
    certificate_file = forms.FileField(
        label=_("Certificate file"),
        required=False,
        help_text=_("The certification authority's root certificate: a .cer (DER) or .pem file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".cer,.crt,.pem,.der"}),
    )
    certificate_text = forms.CharField(
        label=_("Or the certificate's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("PEM form, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."),
    )
    body = forms.ModelChoiceField(
        label=_("Trusted for"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("every body of the installation"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("name_ru")

    def clean(self):
        data = super().clean()
        upload = data.pop("certificate_file", None)
        text = data.pop("certificate_text", "") or ""
        if upload is not None and upload.size > MAX_CERTIFICATE_BYTES:
            self.add_error("certificate_file", _("This file is too large to be a certificate."))
            return data
        if upload is not None and text.strip():
            self.add_error(
                "certificate_text", _("Give the certificate either as a file or as text, not both.")
            )
            return data
        data["certificate"] = upload.read() if upload is not None else text.encode("utf-8")
        return data

    def add_domain_errors(self, exc):
        """The domain names the certificate `certificate`: it lands on the file field."""
        for field, errors in exc.message_dict.items():
            target = "certificate_file" if field == "certificate" else field
            self.add_error(target if target in self.fields else None, errors)


class RevocationListForm(forms.Form):
    """`cleaned_data` is add_revocation_list's keyword `crl` (bytes)."""

    crl_file = forms.FileField(
        label=_("Revocation list file"),
        help_text=_("A .crl file of the certification authority that issues the signers' certificates."),
        widget=forms.ClearableFileInput(attrs={"accept": ".crl,.pem"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.pop("crl_file", None)
        if upload is not None:
            if upload.size > MAX_CRL_BYTES:
                self.add_error("crl_file", _("This file is too large for a revocation list."))
            else:
                data["crl"] = upload.read()
        return data

    def add_domain_errors(self, exc):
        for field, errors in exc.message_dict.items():
            self.add_error("crl_file" if field == "crl" else None, errors)


class IinForm(forms.Form):
    """`cleaned_data` is set_iin's keyword `iin`; the ИИН check itself is the domain's."""

    iin = forms.CharField(
        label=_("IIN"),
        max_length=20,
        help_text=_("12 digits. Your qualified e-signature certificate must carry the same IIN."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
