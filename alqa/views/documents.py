"""Documents of a meeting: the print pack (PDF), the calendar file (.ics), the personal feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from alqa import permissions
from alqa.documents.ics import feed_ics, meeting_file_ics
from alqa.documents.print_pack import print_pack_filename, render_print_pack
from alqa.domain.users import reset_calendar_token


def _language(request) -> str:
    language = getattr(request, "LANGUAGE_CODE", None) or get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def calendar_feed_url(user) -> str:
    return settings.SITE_URL + reverse("calendar_feed", args=[user.calendar_token])


@login_required
@require_GET
def meeting_print_pack(request, meeting_id):
    """The agenda and every memo, one numbered set per expected participant. For the members of
    the body: an invited participant (guest) sees the meeting, but the pack is the members'."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    if not permissions.meeting_reader(request.user, meeting).sees_print_pack:
        raise Http404("No such meeting.")
    pdf = render_print_pack(meeting, language=_language(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{print_pack_filename(meeting)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def meeting_calendar_file(request, meeting_id):
    """The meeting as an .ics file to add to a calendar, for anyone who may see the meeting:
    METHOD:PUBLISH (alqa.documents.ics.meeting_file_ics); the same UID and SEQUENCE as the mailed
    invitations, which alone are REQUEST / CANCEL."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    data = meeting_file_ics(meeting, language=_language(request))
    response = HttpResponse(data, content_type="text/calendar; method=PUBLISH; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def calendar_feed(request, token):
    """The personal feed that calendar applications subscribe to: no sign-in, the token is the
    key; an unknown or reset token answers 404."""
    user = permissions.calendar_feed_user(token)
    if user is None:
        raise Http404("No such calendar.")
    language = user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    name = "Alqa — " + (user.full_name or user.email)
    data = feed_ics(permissions.feed_meetings_for_user(user), language=language, name=name)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="alqa.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def calendar_token_reset(request):
    reset_calendar_token(request.user, actor=request.user)
    messages.success(
        request,
        _(
            "The calendar feed has a new address: the old one no longer works. Subscribe again with the new one."
        ),
    )
    return redirect("profile")
