"""Protocols through the API (clauses 2.2.6, 3.5–3.7): the draft, its texts, signatures,
amendments, distribution and documents. Paths and field names are a contract with other
agencies' systems: add, never rename."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from alqa import jobs
from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.schemas import Id, In, LocalDateTime, PathId
from alqa.domain import protocols as domain
from alqa.domain.protocols import TEXT_LIMIT
from alqa.enums import ProtocolStatus, RenderingStatus, SignatureMethod
from alqa.models import Body, Meeting, Member, Protocol, ProtocolAcknowledgement, ProtocolRendering
from alqa.queries import protocols as queries
from alqa.queries.protocols import SearchHit

router = Router(tags=["protocols"])


class SignatureOut(Schema):
    member_id: int
    member_name: str = Field(alias="member.full_name")
    role: str
    signed_at: LocalDateTime
    signed_on: date
    method: str
    content_hash: str
    revision: int = Field(alias="revision.number")
    valid: bool

    @staticmethod
    def resolve_valid(obj: Any) -> bool:
        return obj.invalidated_at is None


class AcknowledgementOut(Schema):
    revision: int = Field(alias="revision.number")
    acknowledged_at: LocalDateTime


class RecipientOut(Schema):
    id: int
    name: str
    email: str
    member_id: int | None
    unit_id: int | None
    included: bool
    queued_at: LocalDateTime | None
    delivered_at: LocalDateTime | None
    handed_on: date | None
    acknowledged_at: LocalDateTime | None = Field(
        description="the acknowledgement of the revision last sent (cleared when an amendment is signed)"
    )
    sent_revision: int | None = Field(default=None, description="the number of the revision last sent")
    acknowledgements: list[AcknowledgementOut] = Field(
        default=[], description="every acknowledgement, each of the revision it was made on"
    )

    @staticmethod
    def resolve_sent_revision(obj: Any) -> int | None:
        return obj.sent_revision.number if obj.sent_revision_id else None

    @staticmethod
    def resolve_acknowledgements(obj: Any) -> list[Any]:
        return list(obj.acknowledgements.all())


class QuestionOut(Schema):
    item_id: int
    order: int
    title_ru: str
    title_kk: str
    heard_ru: str
    heard_kk: str
    discussion_ru: str
    discussion_kk: str


class RevisionOut(Schema):
    number: int
    content_hash: str
    reason: str
    signed_at: LocalDateTime | None


class ProtocolOut(Schema):
    id: int
    body_id: int
    meeting_id: int
    number: int
    year: int
    status: ProtocolStatus
    version: int
    revision: int
    sign_due: date
    sign_due_explanation: str
    distribute_due: date | None
    distribute_due_explanation: str
    signed_at: LocalDateTime | None
    signed_on: date | None
    distributed_at: LocalDateTime | None
    retain_until: date | None
    content_hash: str
    questions: list[QuestionOut]
    revisions: list[RevisionOut]
    signatures: list[SignatureOut]
    recipients: list[RecipientOut]

    @staticmethod
    def resolve_revision(obj: Protocol) -> int:
        return domain.current_revision(obj).number

    @staticmethod
    def resolve_content_hash(obj: Protocol) -> str:
        return domain.current_revision(obj).content_hash

    @staticmethod
    def resolve_questions(obj: Protocol) -> list[dict[str, Any]]:
        return list(domain.current_revision(obj).content.get("questions", []))

    @staticmethod
    def resolve_revisions(obj: Protocol) -> list[Any]:
        return list(obj.revisions.defer("pdf").order_by("number"))

    @staticmethod
    def resolve_signatures(obj: Protocol) -> list[Any]:
        return list(obj.signatures.select_related("member", "revision").order_by("signed_at", "pk"))

    @staticmethod
    def resolve_recipients(obj: Protocol) -> list[Any]:
        return list(
            obj.recipients.select_related("outbox", "sent_revision")
            .defer("sent_revision__pdf", "sent_revision__text_pdf", "sent_revision__content")
            .prefetch_related(
                Prefetch(
                    "acknowledgements",
                    ProtocolAcknowledgement.objects.select_related("revision").only(
                        "recipient_id", "acknowledged_at", "revision__number"
                    ),
                )
            )
            .order_by("pk")
        )

    @staticmethod
    def resolve_sign_due_explanation(obj: Protocol) -> str:
        return domain.explain_protocol_due("sign", obj)

    @staticmethod
    def resolve_distribute_due_explanation(obj: Protocol) -> str:
        return domain.explain_protocol_due("distribute", obj)


class QuestionIn(In):
    item_id: Id
    heard_ru: str | None = Field(default=None, max_length=TEXT_LIMIT)
    heard_kk: str | None = Field(default=None, max_length=TEXT_LIMIT)
    discussion_ru: str | None = Field(default=None, max_length=TEXT_LIMIT)
    discussion_kk: str | None = Field(default=None, max_length=TEXT_LIMIT)


class DraftIn(In):
    version: int = Field(
        ge=0,
        le=2**31,
        description="the protocol's `version` the writer read: 409 when another save came first",
    )
    questions: list[QuestionIn] = Field(default=[], max_length=500)


class SignIn(In):
    content_hash: str = Field(
        min_length=64,
        max_length=64,
        pattern="^[0-9a-fA-F]{64}$",
        description="SHA-256 of the text being signed",
    )
    signed_on: date | None = Field(
        default=None, description="for a signature made on paper: the date written on it"
    )
    member_id: Id | None = Field(
        default=None, description="the secretary recording another signer's paper signature"
    )
    method: Literal["hash", "paper", "cms"] | None = Field(
        default=None,
        description="how the signature is made; by default `paper` with `signed_on`, else `hash`; "
        "`cms` with `cms`",
    )
    cms: str | None = Field(
        default=None,
        max_length=700_000,
        description="a qualified e-signature: the detached CMS (base64, as NCALayer returns it) over "
        "the PDF for signing (`GET …/document?purpose=signing`)",
    )


class AmendmentIn(In):
    reason: str = Field(min_length=1, max_length=2000)


class DistributionOut(Schema):
    queued: int
    protocol: ProtocolOut


@router.post(
    "/meetings/{meeting_id}/protocol",
    response={201: ProtocolOut},
    auth=gates.MEETING_MANAGER,
    summary="Draft the protocol of a meeting",
)
def post_protocol(request: Gated[Meeting], meeting_id: PathId) -> Status[Protocol]:
    """Drafts the protocol of a meeting that took place (attendance recorded), numbered per body
    and year without gaps; its contents pulled from the meeting. Repeated, returns the same draft."""
    return Status(201, domain.create_protocol(request.auth, actor=request.user))


@router.get(
    "/protocols/{protocol_id}", response=ProtocolOut, auth=gates.PROTOCOL_READER, summary="A protocol"
)
def get_protocol(request: Gated[Protocol], protocol_id: PathId) -> Protocol:
    """The protocol with its current texts and hash, deadlines with their explanations, revisions,
    signatures and recipients (delivery and acknowledgement)."""
    return request.auth


@router.patch(
    "/protocols/{protocol_id}", response=ProtocolOut, auth=gates.PROTOCOL_MANAGER, summary="Edit the draft"
)
def patch_protocol(request: Gated[Protocol], protocol_id: PathId, payload: DraftIn) -> Protocol:
    """Stores the texts of the questions sent (fields left out keep theirs). `version` is the one
    the writer read: 409 when another save came first, and 409 on a signed protocol (a change is
    an amendment)."""
    protocol = request.auth
    current = domain.texts_of(domain.current_revision(protocol).content)
    texts = {}
    for q in payload.questions:
        old = current.get(q.item_id, domain.QuestionText())
        texts[q.item_id] = domain.QuestionText(
            **{f: getattr(q, f) if getattr(q, f) is not None else getattr(old, f) for f in domain.TEXT_FIELDS}
        )
    return domain.update_draft(protocol, actor=request.user, version=payload.version, texts=texts)


@router.post(
    "/protocols/{protocol_id}/amendments",
    response={201: ProtocolOut},
    auth=gates.PROTOCOL_MANAGER,
    summary="Start an amendment",
)
def post_amendment(request: Gated[Protocol], protocol_id: PathId, payload: AmendmentIn) -> Status[Protocol]:
    """Starts a new revision of a signed protocol with its reason; it is edited and signed again."""
    domain.amend_protocol(request.auth, actor=request.user, reason=payload.reason)
    return Status(201, Protocol.objects.get(pk=request.auth.pk))


@router.post(
    "/protocols/{protocol_id}/sign", response=ProtocolOut, auth=gates.PROTOCOL_SIGNER, summary="Sign"
)
def post_sign(request: Gated[Protocol], protocol_id: PathId, payload: SignIn) -> Protocol:
    """Signs the current text as the token's user (the presiding person, the secretary, or a
    member present): 409 when `content_hash` is not the current text's. With `signed_on`, a
    signature made on paper; the secretary recording another signer's adds `member_id`."""
    protocol = request.auth
    member = None
    if payload.member_id is not None:
        member = named(
            Member.objects.filter(body=protocol.body),
            payload.member_id,
            field="member_id",
            message=_("There is no such member in this body."),
        )
    method = payload.method or (
        SignatureMethod.CMS
        if payload.cms is not None
        else SignatureMethod.PAPER
        if payload.signed_on is not None
        else SignatureMethod.HASH
    )
    domain.sign_protocol(
        protocol,
        actor=request.user,
        signed_hash=payload.content_hash,
        method=method,
        member=member,
        signed_on=payload.signed_on,
        cms=payload.cms.encode("ascii", "replace") if payload.cms is not None else None,
    )
    return Protocol.objects.get(pk=protocol.pk)


@router.post(
    "/protocols/{protocol_id}/distribute",
    response=DistributionOut,
    auth=gates.PROTOCOL_MANAGER,
    summary="Send the signed copies",
)
def post_distribute(request: Gated[Protocol], protocol_id: PathId) -> dict[str, object]:
    """Queues one mail per included recipient not yet sent the text in force (the signed PDF
    attached, in their language, with a personal acknowledgement link). Repeated, sends nothing
    twice. 422 for an unsigned protocol."""
    queued = domain.distribute_protocol(request.auth, actor=request.user)
    return {"queued": queued, "protocol": Protocol.objects.get(pk=request.auth.pk)}


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# How long a client is asked to wait before asking again for a document being prepared, seconds.
DOCUMENT_RETRY_AFTER = 2


class DocumentPendingOut(Schema):
    status: Literal["queued", "running", "failed"] = Field(
        description="queued or running: ask again after Retry-After seconds; failed: asking again tries again"
    )
    progress: int = Field(description="per cent")
    detail: str


def _attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _pending(rendering: ProtocolRendering | None) -> HttpResponse:
    """202: the worker prepares the document; the same URL serves it once ready. Without a
    rendering under way (one done for a text changed since), the next request queues it."""
    status: Literal["queued", "running", "failed"] = "queued"
    if rendering is not None and rendering.status in (RenderingStatus.RUNNING, RenderingStatus.FAILED):
        status = "running" if rendering.status == RenderingStatus.RUNNING else "failed"
    failed = status == "failed"
    body = DocumentPendingOut(
        status=status,
        progress=rendering.progress if rendering is not None and status != "queued" else 0,
        detail=_("The document could not be prepared. Ask again to try again.")
        if failed
        else _("The document is being prepared. Ask again at the same address."),
    )
    response = HttpResponse(body.model_dump_json(), status=202, content_type="application/json")
    response["Retry-After"] = str(DOCUMENT_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/protocols/{protocol_id}/document",
    response={200: None, 202: DocumentPendingOut},
    auth=gates.PROTOCOL_READER,
    summary="The protocol as a document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The document",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    DOCX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                },
            },
            202: {
                "description": "Being prepared by the worker: ask the same URL again after Retry-After seconds",
                "headers": {
                    "Retry-After": {
                        "description": "seconds to wait before asking again",
                        "schema": {"type": "integer"},
                    }
                },
            },
        }
    },
)
def get_document(
    request: Gated[Protocol],
    protocol_id: PathId,
    format: Literal["pdf", "docx"] = "pdf",  # noqa: A002 - the contract's name
    lang: Literal["ru", "kk", "both"] = "both",
    purpose: Literal["read", "signing"] = "read",
) -> HttpResponse:
    """PDF or DOCX of the current revision in Russian, Kazakh or both side by side. A signed
    revision's PDF in both languages is the stored PDF/A-2b, served as stored (200). Any other
    document is prepared by the worker, once per text and signatures: until it is ready the answer
    is 202 with its status and progress and a Retry-After header; the same URL then serves it
    (200). With `purpose=signing`, the PDF a qualified e-signature (`cms`) is made over: the
    current text in both languages without signatures, stored once per text (the same bytes for
    every signer), prepared the same way."""
    protocol = request.auth
    if protocol.status == ProtocolStatus.DESTROYED:
        raise Http404("destroyed")
    if purpose == "signing":
        revision, pdf, rendering, queue = domain.request_signing_pdf(protocol, actor=request.user)
        if rendering is not None:
            rendering = _run_if_new(rendering, queue)
            if rendering.status != RenderingStatus.DONE:
                return _pending(rendering)
            revision, pdf = domain.stored_signing_pdf(protocol)
        if pdf is None:  # done for a text changed since: the next request prepares the new one
            return _pending(None)
        name = f"protocol-{protocol.number}-{protocol.year}-r{revision.number}-signing.pdf"
        return _attachment(pdf, "application/pdf", name)
    revision = domain.current_revision(protocol)
    name = f"protocol-{protocol.number}-{protocol.year}-r{revision.number}-{lang}.{format}"
    content_type = "application/pdf" if format == "pdf" else DOCX_TYPE
    stored = domain.stored_document(revision, fmt=format, language=lang)
    if stored is not None:
        return _attachment(stored, content_type, name)
    rendering, queue = domain.request_rendering(
        protocol, revision, actor=request.user, fmt=format, language=lang
    )
    rendering = _run_if_new(rendering, queue)
    if rendering.status != RenderingStatus.DONE:
        return _pending(rendering)
    return _attachment(bytes(rendering.data or b""), content_type, name)


def _run_if_new(rendering: ProtocolRendering, queue: bool) -> ProtocolRendering:
    """Asks the worker for a new rendering; the rendering as it stands."""
    if queue:
        jobs.render_protocol_task(rendering.pk)
        rendering.refresh_from_db()
    return rendering


class SearchQuery(In):
    q: str = Field(min_length=1, max_length=200, description="words, Russian or Kazakh, any form")


class SearchHitOut(Schema):
    protocol_id: int
    label: str
    meeting_day: date
    status: ProtocolStatus
    kind: Literal["question", "decision"]
    order: int
    text: str


@router.get(
    "/bodies/{body_id}/protocols/search",
    response=list[SearchHitOut],
    auth=gates.BODY_READER,
    summary="Search the protocols",
)
def search_protocols(
    request: Gated[Body],
    body_id: PathId,
    query: Query[SearchQuery],
) -> list[SearchHit]:
    """The questions and decisions of the body's protocols (their current texts) that hold every
    word of `q` in any of its Russian or Kazakh forms, newest protocols first, at most 100. The
    text is in the language of the request (`Accept-Language`)."""
    return queries.search_protocols(request.auth.pk, query.q, language=get_language() or "ru")
