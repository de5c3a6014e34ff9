import time
from urllib.parse import quote

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from alqa.permissions import requires_second_factor


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's, on every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class ErrorPageMiddleware:
    """A refused method (405: an address of a form's button opened in the browser) answers the
    same page as the other errors (alqa/views/errors.py) instead of an empty body; the API's
    answers are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class RequireSecondFactorMiddleware:
    """Sends chair, deputy chair, secretary and administrators to set up TOTP before anything else.

    The check runs once the address is resolved, so that the exemptions name views, not address
    prefixes: a prefix once exempted `/workdays/calendar/new/` along with the public calculator."""

    # Open to anyone without a second factor, whatever the method: signing in and out, setting up
    # the second factor (allauth asks for the password again first), setting a password through
    # a mailed link, the language switch, and the links whose token is the credential (an
    # invitation reply, the personal .ics feed).
    exempt_views = frozenset(
        {
            "account_login",
            "account_logout",
            "account_reauthenticate",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "mfa_activate_totp",
            "set_language",
            "invitation_reply",
            "calendar_feed",
            "note_receipt",  # a unit's receipt of a generalisation note (alqa/views/notes.py)
            "executor_link",  # an executor's personal link to an assignment (alqa/views/execution.py)
            "executor_link_file",
            "note_receipt_pdf",
            "protocol_ack",  # a recipient acknowledges a protocol through the mailed link (alqa/views/protocols.py)
        }
    )
    # Public pages that only show something: exempt for GET and HEAD, never for a write.
    exempt_reads = frozenset(
        {"favicon", "workdays", "calendar", "public_body", "public_feed", "public_publication"}
    )
    # The API authenticates every call by its own bearer token, never by the session.
    exempt_namespaces = frozenset({"api"})

    def __init__(self, get_response):
        self.get_response = get_response

    # A passed check is remembered in the session for this long, so that a page does not pay two
    # queries for it; a role given in the meantime is enforced at the next check.
    recheck_seconds = 300
    session_key = "alqa_second_factor_checked"

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or settings.DEMO_WAIVE_MFA
            or self._exempt(request)
            or self._recently_passed(request, user)
        ):
            return None
        if requires_second_factor(user) and not _has_totp(user):
            return redirect(reverse("mfa_activate_totp") + "?next=" + quote(request.get_full_path()))
        request.session[self.session_key] = [user.pk, int(time.time())]
        return None

    def _exempt(self, request) -> bool:
        match = request.resolver_match
        if match is None:
            return False
        if match.namespaces and match.namespaces[0] in self.exempt_namespaces:
            return True
        if match.url_name in self.exempt_views:
            return True
        return match.url_name in self.exempt_reads and request.method in ("GET", "HEAD")

    def _recently_passed(self, request, user) -> bool:
        checked = request.session.get(self.session_key)
        return (
            isinstance(checked, list)
            and len(checked) == 2
            and checked[0] == user.pk
            and time.time() - checked[1] < self.recheck_seconds
        )


class IdleSessionMiddleware:
    """Sessions end after ALQA_SESSION_IDLE_MINUTES without a request. Instead of writing the
    session on every request (Django's SESSION_SAVE_EVERY_REQUEST), its expiry is pushed forward
    at most once a minute: the same rule to within a minute, without a database write per page."""

    touch_seconds = 60
    session_key = "alqa_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            last = session.get(self.session_key)
            if not isinstance(last, int) or now - last >= self.touch_seconds:
                session[self.session_key] = now
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# Scripts, styles, fonts and requests only from this server, no inline script or style, no
# plugins, no <base>, no framing, forms post only here. The QR code of the TOTP set-up page is
# a data: image. Django's SecurityMiddleware adds nosniff, Referrer-Policy and COOP itself.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)"


class SecurityHeadersMiddleware:
    """Sends the Content Security Policy and the Permissions-Policy on every response, static
    files and the API's docs page included; a response that already carries a policy keeps its
    own. Under DEBUG only, Django's technical error pages (inline styles and scripts) go without."""

    header = _policy(CONTENT_SECURITY_POLICY)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", self.header)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
