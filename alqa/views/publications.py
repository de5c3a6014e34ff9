"""Publications (clause 2.2.2): drafts in Russian and Kazakh, the chair's and the deputy chair's
approvals, release; and the body's public page and Atom feed, open without sign-in, answered
with ETag and Last-Modified so that a conditional GET costs one query and answers 304."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST, require_safe

from alqa import permissions
from alqa.domain.meetings import member_of
from alqa.domain.publications import (
    approve_publication,
    approver_side,
    create_publication,
    edit_publication,
    publish,
    withdraw_publication,
)
from alqa.enums import PublicationStatus
from alqa.forms.common import apply_errors
from alqa.forms.oversight import PublicationForm
from alqa.fragments import cached_fragment
from alqa.queries.oversight import public_items, public_last_change, public_page, publications_page


@login_required
def publication_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    return render(
        request,
        "alqa/publications/list.html",
        {
            "body": body,
            "page": publications_page(body),
            "can_manage": permissions.can_manage_body(request.user, body),
            "public_url": reverse("public_body", args=[body.pk]),
        },
    )


@login_required
def publication_form(request, body_id, publication_id=None):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    publication = None
    initial = {}
    if publication_id is not None:
        publication = permissions.get_publication_for_user(request.user, publication_id, write=True)
        if publication.body_id != body.pk:
            return redirect("publication", publication_id=publication.pk)
        initial = {k: getattr(publication, k) for k in ("title_ru", "title_kk", "text_ru", "text_kk")}
    posted = request.method == "POST"
    form = PublicationForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        try:
            if publication is None:
                publication = create_publication(body=body, actor=request.user, **form.cleaned_data)
            else:
                edit_publication(publication, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The draft has been saved. The chair and the deputy chair approve it.")
            )
            return redirect("publication", publication_id=publication.pk)
    return render(
        request,
        "alqa/publications/form.html",
        {"body": body, "form": form, "publication": publication},
        status=400 if form.errors else 200,
    )


def share_text(publication, language: str) -> str:
    """A text to share on social networks: the title and the public address of the item."""
    title = publication.title_kk if language == "kk" else publication.title_ru
    url = settings.SITE_URL + reverse("public_publication", args=[publication.body_id, publication.pk])
    return f"{title} {url}"


@login_required
def publication_detail(request, publication_id):
    publication = permissions.get_publication_for_user(request.user, publication_id)
    body = publication.body
    me = member_of(request.user, body)
    side = approver_side(me, body)
    published = publication.status == PublicationStatus.PUBLISHED
    return render(
        request,
        "alqa/publications/detail.html",
        {
            "body": body,
            "publication": publication,
            "police_approver": publication.police_approved_by,
            "bar_approver": publication.bar_approved_by,
            "can_manage": permissions.can_manage_body(request.user, body),
            "can_approve": side is not None and not published,
            "approved_by_me": side is not None
            and getattr(publication, f"{'police' if side == 'police' else 'bar'}_approved_by_id") is not None,
            "share_ru": share_text(publication, "ru") if published else "",
            "share_kk": share_text(publication, "kk") if published else "",
        },
    )


@login_required
@require_POST
def publication_approve(request, publication_id):
    publication, approver = permissions.get_publication_approver(request.user, publication_id)
    try:
        approve_publication(publication, actor=request.user, approver=approver)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your approval has been recorded."))
    return redirect("publication", publication_id=publication.pk)


@login_required
@require_POST
def publication_publish(request, publication_id):
    publication = permissions.get_publication_for_user(request.user, publication_id, write=True)
    try:
        publish(publication, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The publication is on the public page."))
    return redirect("publication", publication_id=publication.pk)


@login_required
@require_POST
def publication_withdraw(request, publication_id):
    publication = permissions.get_publication_for_user(request.user, publication_id, write=True)
    withdraw_publication(publication, actor=request.user)
    messages.success(request, _("The publication has been withdrawn from the public page."))
    return redirect("publication", publication_id=publication.pk)


# --- public, no sign-in -----------------------------------------------------------------------


def _last_modified(request, body_id, publication_id=None):
    return public_last_change(permissions.get_public_body(body_id))


def _etag(request, body_id, publication_id=None):
    moment = public_last_change(permissions.get_public_body(body_id))
    key = f"{body_id}:{publication_id}:{get_language()}:{moment.isoformat()}:{request.path}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _public(response):
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, public=True, max_age=60)
    return response


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def public_body(request, body_id):
    body = permissions.get_public_body(body_id)

    def context():
        page = public_page(body)
        return {
            "page": page,
            "composition": [(_("Police side"), page.police), (_("Bar side"), page.bar)],
            "feed_url": reverse("public_feed", args=[body.pk]),
        }

    # the same for every reader of one language: kept until the next audited change
    html = cached_fragment(request, "alqa/public/body.html", context, parts=("public_body", body.pk))
    return _public(HttpResponse(html))


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def public_publication(request, body_id, publication_id):
    body = permissions.get_public_body(body_id)
    publication = permissions.get_public_publication(body, publication_id)
    return _public(
        render(
            request,
            "alqa/public/publication.html",
            {
                "body": body,
                "publication": publication,
                "share_ru": share_text(publication, "ru"),
                "share_kk": share_text(publication, "kk"),
            },
        )
    )


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def public_feed(request, body_id):
    body = permissions.get_public_body(body_id)
    link = settings.SITE_URL + reverse("public_body", args=[body.pk])
    feed = Atom1Feed(
        title=f"{body.name_ru} / {body.name_kk}" if body.name_kk else body.name_ru,
        link=link,
        description="",
        language="ru",
        feed_url=settings.SITE_URL + reverse("public_feed", args=[body.pk]),
    )
    for item in public_items(body):
        url = settings.SITE_URL + reverse("public_publication", args=[body.pk, item.pk])
        feed.add_item(
            title=f"{item.title_ru} / {item.title_kk}",
            link=url,
            description=f"{item.text_ru}\n\n{item.text_kk}",
            pubdate=item.published_at,
            updateddate=item.published_at,
            unique_id=url,
        )
    return _public(
        HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
    )
