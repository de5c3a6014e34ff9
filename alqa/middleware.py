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

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not settings.DEMO_WAIVE_MFA
            and not request.path.startswith(self.allowed_prefixes)
            and requires_second_factor(user)
            and not _has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.get_full_path())
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
