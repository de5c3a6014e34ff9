"""Web addresses stored by Alqa (a meeting's conference link): one check for the form, the API
and the model, and one test of what a page may render as a link.

Only `https://` is accepted, and `http://` where the body's policy allows it
(`BodyPolicy.allow_http_links`). Anything else — `javascript:`, `data:`, `file:`, a relative
path, an address with spaces or control characters inside — is refused, so that no stored
address runs script or opens a local file when a reader clicks it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

SECURE = ("https",)
WITH_PLAIN_HTTP = ("https", "http")


def _has_space_or_control(value: str) -> bool:
    return any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value)


def clean_web_address(value: str | None, *, allow_http: bool = False) -> str:
    """The address as stored: surrounding spaces dropped and the scheme in lower case
    (`HTTPS://Conf.kz/x` -> `https://Conf.kz/x`); "" stays "". Raises ValidationError with a
    message in the reader's language when the address is not an https (or, when allowed, http)
    address of a host."""
    value = (value or "").strip()
    if not value:
        return ""
    schemes = WITH_PLAIN_HTTP if allow_http else SECURE
    refusal = (
        _("Enter a web address starting with https:// or http://.")
        if allow_http
        else _("Enter a web address starting with https://.")
    )
    if _has_space_or_control(value):
        raise ValidationError(_("A web address cannot contain spaces."), code="invalid_url")
    scheme, separator, rest = value.partition("://")
    if not separator or scheme.lower() not in schemes:
        raise ValidationError(refusal, code="invalid_url")
    value = scheme.lower() + "://" + rest
    try:
        URLValidator(schemes=list(schemes))(value)
    except ValidationError:
        raise ValidationError(refusal, code="invalid_url") from None
    return value


def validate_web_address(value: str) -> None:
    """The model field's validator: the widest the policy can allow (https or http)."""
    clean_web_address(value, allow_http=True)


def is_web_address(value: str | None) -> bool:
    """Whether a page may render `value` as a link: an http(s) address of a host, nothing else
    (an address stored before this check existed is shown as text when it fails)."""
    if not value or _has_space_or_control(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WITH_PLAIN_HTTP and bool(parts.netloc)
