import time

from django.conf import settings
from django.shortcuts import redirect
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


class RequireSecondFactorMiddleware:
    """Sends chair, deputy chair, secretary and administrators to set up TOTP before anything else."""

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/lang/", "/api/", "/workdays/", "/favicon")

    def __init__(self, get_response):
        self.get_response = get_response

    # A passed check is remembered in the session for this long, so that a page does not pay two
    # queries for it; a role given in the meantime is enforced at the next check.
    recheck_seconds = 300
    session_key = "alqa_second_factor_checked"

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not settings.DEMO_WAIVE_MFA
            and not request.path.startswith(self.allowed_prefixes)
            and not self._recently_passed(request, user)
        ):
            if requires_second_factor(user) and not _has_totp(user):
                return redirect(reverse("mfa_activate_totp") + "?next=" + request.get_full_path())
            request.session[self.session_key] = [user.pk, int(time.time())]
        return self.get_response(request)

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
