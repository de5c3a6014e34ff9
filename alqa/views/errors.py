"""The error pages: 400, 403, 404 and 500 in the reader's language and Alqa's look (405 is the
same page, rendered by alqa.middleware.ErrorPageMiddleware). Under the API's path they answer
JSON, as the API's own refusals do (alqa/api/errors.py).

The 500 page is rendered without the request: no context processor runs, so nothing touches the
database, which may be the very thing that failed."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("The request could not be read.")}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    reason = str(exception or "")
    if _api(request):
        return JsonResponse({"detail": reason or _("You are not allowed to do this.")}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


def csrf_failure(request, reason=""):
    """A form sent without its valid token (an old tab, cookies cleared): settings.CSRF_FAILURE_VIEW."""
    if _api(request):
        return JsonResponse({"detail": _("You are not allowed to do this.")}, status=403)
    text = _("The form has expired: open the page again and send it once more. Nothing was changed.")
    return render(request, "403.html", {"reason": text}, status=403)


def page_not_found(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if _api(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Please try again later.")}, status=500
        )
    language = translation.get_language() or translation.get_language_from_request(request)
    with translation.override(language):
        return HttpResponse(render_to_string("500.html", {"LANG": translation.get_language()}), status=500)
