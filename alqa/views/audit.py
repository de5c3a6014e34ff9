"""Browsing the audit trail: a body's for those who manage it, the installation's for admins."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.dateparse import parse_date

from alqa import permissions
from alqa.queries.audit import audit_page, filtered


def _day(raw: str):
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


@login_required
def audit(request, body_id=None):
    body = permissions.get_body_for_user(request.user, body_id) if body_id is not None else None
    events = permissions.audit_events_for_user(request.user, body)
    events = filtered(
        events,
        action=request.GET.get("action", "").strip(),
        who=request.GET.get("actor", "").strip(),
        since=_day(request.GET.get("from", "")),
        until=_day(request.GET.get("to", "")),
    )
    query = request.GET.copy()
    query.pop("page", None)
    page = audit_page(
        events,
        page_number=request.GET.get("page"),
        raw=permissions.is_installation_admin(request.user),
        body_column=body is None,
        query=query.urlencode(),
    )
    return render(request, "alqa/audit/list.html", {"body": body, "audit": page})
