"""The protocol pages: draft, edit, sign (with the second factor again), amend, distribute,
acknowledge, keep, verify."""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alqa import jobs, permissions
from alqa.documents.protocol import LANGUAGES
from alqa.domain import protocols as domain
from alqa.domain.errors import Conflict
from alqa.enums import RenderingStatus, SignatureMethod
from alqa.forms.common import apply_errors
from alqa.forms.protocols import (
    AmendForm,
    ArchiveForm,
    CmsSignForm,
    DocxTemplateForm,
    DraftForm,
    HandoverForm,
    PaperSignForm,
    RecipientForm,
    SignForm,
)
from alqa.models import Member, Protocol, ProtocolRecipient, ProtocolRendering
from alqa.queries.protocols import protocol_page, search_protocols
from alqa.views.common import query_text

# How long a second factor given again counts for signing, in seconds.
SIGNING_FACTOR_WINDOW = 300


def _url(protocol, anchor: str = "") -> str:
    return reverse("protocol", args=[protocol.pk]) + (f"#{anchor}" if anchor else "")


def second_factor_recent(request) -> bool:
    """Did the user give their second factor again (allauth's MFA reauthentication) within the
    window? A user without an authenticator (a plain member co-signing, or the demo with the second
    factor waived) gives their password again instead."""
    records = get_authentication_records(request, request.user)
    has_factor = Authenticator.objects.filter(user=request.user).exists()
    wanted = "mfa" if has_factor else "password"
    now = time.time()
    return any(
        r.get("reauthenticated")
        and r.get("method") == wanted
        and now - r.get("at", 0) < SIGNING_FACTOR_WINDOW
        for r in records
    )


def _reauthenticate(request, protocol):
    has_factor = Authenticator.objects.filter(user=request.user).exists()
    target = "mfa_reauthenticate" if has_factor else "account_reauthenticate"
    return redirect(f"{reverse(target)}?{urlencode({'next': reverse('protocol_sign', args=[protocol.pk])})}")


@login_required
def protocol_create(request, meeting_id):
    """The meeting's protocol: opened when there is one; otherwise the secretary drafts it (POST)."""
    if request.method != "POST":
        meeting = permissions.get_meeting_for_user(request.user, meeting_id)
        if not permissions.meeting_reader(request.user, meeting).sees_decisions:
            raise Http404("No such meeting.")
        existing = Protocol.objects.filter(meeting=meeting).values_list("pk", flat=True).first()
        if existing is not None:
            return redirect("protocol", protocol_id=existing)
        return render(
            request,
            "alqa/protocols/create.html",
            {"meeting": meeting, "can_manage": permissions.can_manage_body(request.user, meeting.body)},
        )
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    try:
        protocol = domain.create_protocol(meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("meeting", meeting_id=meeting.pk)
    return redirect(_url(protocol))


@login_required
def protocol_detail(request, protocol_id):
    protocol = permissions.get_protocol_for_user(request.user, protocol_id)
    page = protocol_page(protocol, request.user)
    return render(
        request,
        "alqa/protocols/detail.html",
        {
            "page": page,
            "protocol": protocol,
            "can_manage": permissions.can_manage_body(request.user, protocol.body),
            "amend_form": AmendForm(),
            "recipient_form": RecipientForm(),
            "handover_form": HandoverForm(),
            "languages": LANGUAGES,
        },
    )


@login_required
def protocol_edit(request, protocol_id):
    protocol = permissions.get_protocol_for_user(request.user, protocol_id, write=True)
    revision = domain.current_revision(protocol)
    questions = revision.content.get("questions", [])
    form = DraftForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial={"version": protocol.version},
    )
    conflict = None
    if form.is_bound and form.is_valid():
        try:
            domain.update_draft(
                protocol, actor=request.user, version=form.cleaned_data["version"], texts=form.texts()
            )
        except Conflict as exc:
            protocol.refresh_from_db()
            stored = domain.current_revision(protocol)
            conflict = {
                "message": " ".join(exc.messages),
                "rows": [
                    (q, {f: form.cleaned_data.get(f"q{q['item_id']}_{f}", "") for f in domain.TEXT_FIELDS})
                    for q in stored.content.get("questions", [])
                ],
                "version": protocol.version,
            }
            data = request.POST.copy()
            data["version"] = str(protocol.version)
            form = DraftForm(data, questions=questions)
            form.is_valid()
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect(_url(protocol))
    return render(
        request, "alqa/protocols/edit.html", {"protocol": protocol, "form": form, "conflict": conflict}
    )


@login_required
def protocol_sign(request, protocol_id):
    protocol = permissions.get_protocol_to_sign(request.user, protocol_id)
    page = protocol_page(protocol, request.user)
    secretary_id = (page.content.get("secretary") or {}).get("member_id")
    is_secretary = (
        secretary_id is not None and Member.objects.filter(pk=int(secretary_id), user=request.user).exists()
    )
    paper_signers = (
        [
            (m.pk, m.full_name)
            for m in Member.objects.filter(pk__in=domain.signers(page.content)).order_by("full_name")
        ]
        if is_secretary
        else []
    )
    form = SignForm(initial={"content_hash": page.content_hash})
    cms = CmsSignForm(initial={"content_hash": page.content_hash})
    paper = PaperSignForm(initial={"content_hash": page.content_hash}, signers=paper_signers)
    if request.method == "POST":
        if not second_factor_recent(request):
            return _reauthenticate(request, protocol)
        method = request.POST.get("method")
        bound: SignForm | PaperSignForm | CmsSignForm
        if method == SignatureMethod.PAPER:
            paper = PaperSignForm(request.POST, request.FILES, signers=paper_signers)
            bound = paper
        elif method == SignatureMethod.CMS:
            cms = CmsSignForm(request.POST, request.FILES)
            bound = cms
        else:
            form = SignForm(request.POST)
            bound = form
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if method == SignatureMethod.PAPER:
                    member = Member.objects.get(pk=data["member"], body=protocol.body)
                    domain.sign_protocol(
                        protocol,
                        actor=request.user,
                        signed_hash=data["content_hash"],
                        method=SignatureMethod.PAPER,
                        member=member,
                        signed_on=data["signed_on"],
                        scan=data.get("scan"),
                    )
                elif method == SignatureMethod.CMS:
                    domain.sign_protocol(
                        protocol,
                        actor=request.user,
                        signed_hash=data["content_hash"],
                        method=SignatureMethod.CMS,
                        cms=data["cms"],
                    )
                else:
                    domain.sign_protocol(protocol, actor=request.user, signed_hash=data["content_hash"])
            except Conflict as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("protocol_sign", protocol_id=protocol.pk)
            except PermissionDenied:
                raise
            except ValidationError as exc:
                apply_errors(bound, exc)
            else:
                messages.success(request, _("Your signature has been recorded."))
                return redirect(_url(protocol, "signatures"))
    signing_pdf_sha256, signing = "", None
    if page.can_sign and not page.revision_signed:
        try:
            signing_pdf_sha256, signing = _signing_pdf_state(request, protocol)
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
    context = {
        "protocol": protocol,
        "page": page,
        "form": form,
        "cms": cms,
        "signing_pdf_sha256": signing_pdf_sha256,
        "signing": signing,
        "paper": paper if is_secretary else None,
    }
    if request.htmx and request.method == "GET":
        if not page.can_sign or page.revision_signed:  # signed or changed meanwhile: the whole page
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "alqa/protocols/_signing.html", context)
    return render(request, "alqa/protocols/sign.html", context)


def _signing_pdf_state(request, protocol) -> tuple[str, ProtocolRendering | None]:
    """The SHA-256 of the stored PDF for signing and no rendering when it is ready; else "" and
    its rendering by the worker (queued here the first time), whose progress the page shows until
    the signing forms can appear."""
    revision, pdf, rendering, queue = domain.request_signing_pdf(protocol, actor=request.user)
    if rendering is not None and queue:
        jobs.render_protocol_task(rendering.pk)
        rendering.refresh_from_db()
    if rendering is not None and rendering.status == RenderingStatus.DONE:
        revision, pdf = domain.stored_signing_pdf(protocol)
    if pdf is not None:
        return revision.text_pdf_sha256, None
    return "", rendering


@login_required
@require_GET
def protocol_signing_pdf(request, protocol_id):
    """The PDF a qualified e-signature is made over: the current text, stored once per text by the
    worker (the sign page shows its progress); before that, the sign page."""
    protocol = permissions.get_protocol_to_sign(request.user, protocol_id)
    try:
        revision, pdf = domain.stored_signing_pdf(protocol)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(protocol))
    if pdf is None:  # not prepared yet (or the text changed): the sign page has the worker prepare it
        return redirect("protocol_sign", protocol_id=protocol.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"protocol-{protocol.number}-{protocol.year}-r{revision.number}-{revision.content_hash[:12]}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def protocol_amend(request, protocol_id):
    protocol = permissions.get_protocol_for_user(request.user, protocol_id, write=True)
    form = AmendForm(request.POST)
    if form.is_valid():
        try:
            domain.amend_protocol(protocol, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The amendment has been started: edit it and sign it again."))
            return redirect("protocol_edit", protocol_id=protocol.pk)
    else:
        messages.error(request, _("Give the reason for the amendment."))
    return redirect(_url(protocol))


@login_required
@require_POST
def protocol_distribute(request, protocol_id):
    protocol = permissions.get_protocol_for_user(request.user, protocol_id, write=True)
    try:
        sent = domain.distribute_protocol(protocol, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent:
            messages.success(request, _("Copies are being sent: %(n)s.") % {"n": sent})
        else:
            messages.info(request, _("Every recipient with an address has been sent this text already."))
    return redirect(_url(protocol, "recipients"))


@login_required
@require_POST
def protocol_recipient_add(request, protocol_id):
    protocol = permissions.get_protocol_for_user(request.user, protocol_id, write=True)
    form = RecipientForm(request.POST)
    if form.is_valid():
        try:
            domain.add_recipient(protocol, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_url(protocol, "recipients"))


@login_required
@require_POST
def protocol_recipient(request, protocol_id, recipient_id):
    protocol = permissions.get_protocol_for_user(request.user, protocol_id, write=True)
    recipient = get_object_or_404(ProtocolRecipient.objects.filter(protocol=protocol), pk=recipient_id)
    try:
        if "handed_on" in request.POST:
            form = HandoverForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter a valid date."))
            domain.record_handover(recipient, actor=request.user, on=form.cleaned_data["handed_on"])
        else:
            domain.set_recipient_included(
                recipient, actor=request.user, included=request.POST.get("included") == "1"
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(protocol, "recipients"))


@login_required
@require_GET
def protocol_document(request, protocol_id):
    """A document of the protocol. The signed revision's PDF in both languages is the stored one,
    served at once; any other is prepared by the worker: the page shows its progress (HTMX asks
    again every second, a link does the same without scripts) and then the download."""
    protocol = permissions.get_protocol_for_user(request.user, protocol_id)
    fmt = request.GET.get("format", "pdf")
    language = request.GET.get("lang", "both")
    if fmt not in ("pdf", "docx") or language not in LANGUAGES:
        raise Http404("No such document.")
    number = request.GET.get("revision")
    revisions = protocol.revisions.defer("text_pdf")
    revision = (
        get_object_or_404(revisions, number=number)
        if number and number.isdigit()
        else revisions.order_by("-number").first()
    )
    if revision is None or protocol.status == "destroyed":
        raise Http404("No such document.")
    name = f"protocol-{protocol.number}-{protocol.year}-r{revision.number}-{language}.{fmt}"
    stored = domain.stored_document(revision, fmt=fmt, language=language)
    if stored is not None:
        return _download(stored, fmt, name)
    rendering, queue = domain.request_rendering(
        protocol, revision, actor=request.user, fmt=fmt, language=language
    )
    if queue:
        jobs.render_protocol_task(rendering.pk)
        rendering.refresh_from_db()
    if rendering.status == RenderingStatus.DONE and not request.htmx:
        return _download(bytes(rendering.data or b""), fmt, name)
    context = {
        "protocol": protocol,
        "revision": revision,
        "rendering": rendering,
        "url": request.get_full_path(),
    }
    if request.htmx:
        return render(request, "alqa/protocols/_rendering.html", context)
    return render(request, "alqa/protocols/rendering.html", context)


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def protocol_ack(request, token):
    """A recipient's personal link: no sign-in (the token is the key); the acknowledgement is the
    POST of the page's button, so that a mail program opening the link acknowledges nothing."""
    try:
        recipient = ProtocolRecipient.objects.select_related("protocol", "protocol__body").get(
            token=token, outbox__isnull=False
        )
    except ProtocolRecipient.DoesNotExist:
        raise Http404("No such link.") from None
    first = False
    if request.method == "POST":
        recipient, first = domain.acknowledge(token)
    return render(request, "alqa/protocols/ack.html", {"recipient": recipient, "first": first})


@login_required
def protocol_keeping(request):
    """Administrators: protocols whose retention term has passed (keep longer, or destroy with an
    act) and the verification of every signed revision."""
    if not permissions.can_keep_archive(request.user):
        raise PermissionDenied
    bodies = [(b.pk, b.name) for b in permissions.listed_bodies_for_user(request.user)]
    if request.method == "POST" and "template" in request.FILES:
        upload = DocxTemplateForm(request.POST, request.FILES, bodies=bodies)
        if upload.is_valid():
            body = permissions.get_body_for_user(request.user, upload.cleaned_data["body"], write=True)
            try:
                domain.replace_docx_template(
                    body, actor=request.user, data=upload.cleaned_data["template"].read()
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The body's Word template has been replaced."))
        else:
            messages.error(request, " ".join(str(e) for errors in upload.errors.values() for e in errors))
        return redirect("protocol_keeping")
    if request.method == "POST":
        protocol = permissions.get_protocol_for_user(request.user, request.POST.get("protocol"), write=True)
        form = ArchiveForm(request.POST, prefix=f"p{protocol.pk}")
        if form.is_valid():
            try:
                if request.POST.get("decision") == "destroy":
                    domain.destroy_protocol(protocol, actor=request.user, act=form.cleaned_data["act"])
                elif form.cleaned_data["until"]:
                    domain.keep_longer(protocol, actor=request.user, until=form.cleaned_data["until"])
                else:
                    raise ValidationError(_("Give the date to keep it until."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The archive decision has been recorded."))
        return redirect("protocol_keeping")
    checked, problems = domain.verify_protocols()
    return render(
        request,
        "alqa/protocols/keeping.html",
        {
            "due": [
                (p, ArchiveForm(prefix=f"p{p.pk}"))
                for p in domain.due_for_archive().select_related("body").order_by("retain_until")
            ],
            "checked": checked,
            "problems": problems,
            "template_form": DocxTemplateForm(bodies=bodies),
            "debug": settings.DEBUG,
        },
    )


@login_required
@require_GET
def protocol_search(request, body_id):
    """Full-text search over the body's protocols and decisions, Russian and Kazakh word forms."""
    body = permissions.get_body_for_user(request.user, body_id)
    q = query_text(request)
    hits = search_protocols(body.pk, q, language=get_language() or "ru") if q else []
    return render(request, "alqa/protocols/search.html", {"body": body, "q": q, "hits": hits})
