"""The user's own page: language, name, API tokens, second factor; and the language switch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa.domain.tokens import issue_token, revoke_token
from alqa.domain.users import masked_iin, set_iin, update_profile
from alqa.enums import Language
from alqa.forms.common import apply_errors
from alqa.forms.esign import IinForm
from alqa.forms.registry import ApiTokenForm, ProfileForm
from alqa.views.documents import calendar_feed_url


@require_POST
def set_language(request):
    """Switch the language from any page; remembered in a cookie, and on the user when signed in."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in Language.values:
        if request.user.is_authenticated and request.user.language != language:
            update_profile(request.user, actor=request.user, changes={"language": language})
        translation.activate(language)
        from django.conf import settings

        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    return response


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST if request.POST.get("action") == "profile" else None,
        initial={"full_name": user.full_name, "language": user.language},
    )
    token_form = ApiTokenForm(request.POST if request.POST.get("action") == "token" else None)
    iin_form = IinForm(request.POST if request.POST.get("action") == "iin" else None)
    new_token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile" and form.is_valid():
            update_profile(user, actor=user, changes=form.cleaned_data)
            messages.success(request, _("Your profile has been saved."))
            return redirect("profile")
        if action == "token" and token_form.is_valid():
            new_token = issue_token(user=user, name=token_form.cleaned_data["name"], actor=user)
            token_form = ApiTokenForm()
        if action == "iin" and iin_form.is_valid():
            try:
                set_iin(user, actor=user, **iin_form.cleaned_data)
            except ValidationError as exc:
                apply_errors(iin_form, exc)
            else:
                messages.success(request, _("Your IIN has been saved."))
                return redirect("profile")
        if action == "iin_clear":
            set_iin(user, actor=user, iin="")
            messages.success(request, _("Your IIN has been removed from your profile."))
            return redirect("profile")
        if action == "revoke":
            token = user.api_tokens.filter(pk=request.POST.get("token_id"), revoked_at__isnull=True).first()
            if token is not None:
                revoke_token(token, actor=user)
                messages.success(request, _("The token has been revoked."))
            return redirect("profile")
    from allauth.mfa.models import Authenticator

    return render(
        request,
        "alqa/account/profile.html",
        {
            "form": form,
            "token_form": token_form,
            "iin_form": iin_form,
            "masked_iin": masked_iin(user.iin),
            "new_token": new_token,
            "tokens": user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at"),
            "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            "calendar_feed_url": calendar_feed_url(user),
        },
    )
