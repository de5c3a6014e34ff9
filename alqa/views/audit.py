"""Browsing the audit trail: a body's for those who manage it, the installation's for admins."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.dateparse import parse_date

from alqa import permissions


def _filtered(request, qs):
    action = request.GET.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    actor = request.GET.get("actor", "").strip()
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    for name, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        raw = request.GET.get(name, "")
        try:
            day = parse_date(raw) if raw else None
        except ValueError:
            day = None
        if day:
            qs = qs.filter(**{lookup: day})
    return qs


@login_required
def audit(request, body_id=None):
    body = permissions.get_body_for_user(request.user, body_id) if body_id is not None else None
    events = _filtered(request, permissions.audit_events_for_user(request.user, body))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "alqa/audit/list.html", {"body": body, "page": page, "query": query.urlencode()})
