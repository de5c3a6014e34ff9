"""The group's publications (clause 2.2.2).

A draft is written in Russian and Kazakh. Before release it is approved for each side by that
side's chair or deputy chair (the chair of the police side and the deputy chair of the bar side,
as clause 3.1 places them); each approval is recorded. Only a draft approved for both sides is
published; a change to the text withdraws the approvals. What is published shows on the body's
public page and in its Atom feed, without sign-in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.audit import record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.enums import PublicationStatus, Role, Side
from alqa.models import Body, Member, Publication, User

TEXT_FIELDS = ("title_ru", "title_kk", "text_ru", "text_kk")
APPROVERS = frozenset({Role.CHAIR, Role.DEPUTY_CHAIR})


def _clean_texts(
    texts: dict[str, str], *, confirmed: bool, body: Body | None = None
) -> tuple[dict[str, str], list[str]]:
    clean = {k: (texts.get(k) or "").strip() for k in TEXT_FIELDS}
    errors = {}
    if not clean["title_ru"]:
        errors["title_ru"] = _("Give the title in Russian.")
    if not clean["title_kk"]:
        errors["title_kk"] = _("Give the title in Kazakh.")
    if not clean["text_ru"]:
        errors["text_ru"] = _("Write the text in Russian.")
    if not clean["text_kk"]:
        errors["text_kk"] = _("Write the text in Kazakh.")
    if errors:
        raise ValidationError(errors)
    return clean, check_texts(clean, confirmed=confirmed, body=body)


def create_publication(
    *,
    body: Body,
    actor: User,
    title_ru: str,
    title_kk: str,
    text_ru: str,
    text_kk: str,
    identifiers_confirmed: bool = False,
) -> Publication:
    """Effects: checks the title and text in both languages and the case guard; saves the draft;
    records `publication.drafted`. A draft is never public."""
    clean, confirmed = _clean_texts(
        {"title_ru": title_ru, "title_kk": title_kk, "text_ru": text_ru, "text_kk": text_kk},
        confirmed=identifiers_confirmed,
        body=body,
    )
    with transaction.atomic():
        publication = Publication.objects.create(body=body, created_by=actor, **clean)
        record_event(
            publication, "publication.drafted", actor=actor, body=body, data=clean | audit_data(confirmed)
        )
    return publication


def _lock(publication: Publication) -> None:
    Publication.objects.select_for_update(no_key=True).filter(pk=publication.pk).values_list(
        "pk", flat=True
    ).first()
    publication.refresh_from_db()


def _withdraw_approvals(publication: Publication) -> None:
    publication.police_approved_by = publication.bar_approved_by = None
    publication.police_approved_at = publication.bar_approved_at = None


def edit_publication(
    publication: Publication,
    *,
    actor: User,
    title_ru: str,
    title_kk: str,
    text_ru: str,
    text_kk: str,
    identifiers_confirmed: bool = False,
) -> Publication:
    """Effects: checks the texts as create_publication; on a draft, saves them and withdraws the
    approvals given to the earlier text (each side approves again); records `publication.edited`.
    A published item is withdrawn first."""
    clean, confirmed = _clean_texts(
        {"title_ru": title_ru, "title_kk": title_kk, "text_ru": text_ru, "text_kk": text_kk},
        confirmed=identifiers_confirmed,
        body=publication.body,
    )
    with transaction.atomic():
        _lock(publication)
        if publication.status == PublicationStatus.PUBLISHED:
            raise ValidationError(_("A published item is not edited: withdraw it first."))
        if all(getattr(publication, k) == v for k, v in clean.items()):
            return publication
        had = bool(publication.police_approved_by_id or publication.bar_approved_by_id)
        for k, v in clean.items():
            setattr(publication, k, v)
        _withdraw_approvals(publication)
        publication.status = PublicationStatus.DRAFT
        publication.updated_at = timezone.now()
        publication.save()
        record_event(
            publication,
            "publication.edited",
            actor=actor,
            body=publication.body,
            data=clean | {"approvals_withdrawn": had} | audit_data(confirmed),
        )
    return publication


def approver_side(member: Member | None, body: Body) -> str | None:
    """The side for which the member approves publications: a chair or deputy chair of the body
    today approves for their own side; anyone else approves for none."""
    if member is None or member.body_id != body.pk or member.role not in APPROVERS:
        return None
    if not member.is_active_on(timezone.localdate()):
        return None
    return member.side


def approve_publication(publication: Publication, *, actor: User, approver: Member | None) -> Publication:
    """Effects: records the approval of the approver's side (the chair or a deputy chair of the
    body, for the side they belong to): who and when, and `publication.approved`. The same side
    approving again changes nothing; a published item needs no approval."""
    side = approver_side(approver, publication.body)
    if side is None or approver is None:
        raise ValidationError(
            _("Publications are approved by the chair and the deputy chair (clause 2.2.2).")
        )
    with transaction.atomic():
        _lock(publication)
        if publication.status != PublicationStatus.DRAFT:
            raise ValidationError(_("Only a draft is approved."))
        field = "police" if side == Side.POLICE else "bar"
        if getattr(publication, f"{field}_approved_by_id") is not None:
            return publication
        setattr(publication, f"{field}_approved_by", approver)
        setattr(publication, f"{field}_approved_at", timezone.now())
        publication.save(update_fields=[f"{field}_approved_by", f"{field}_approved_at"])
        record_event(
            publication,
            "publication.approved",
            actor=actor,
            body=publication.body,
            data={"side": side, "approver": approver.pk},
        )
    return publication


def publish(publication: Publication, *, actor: User) -> Publication:
    """Effects: publishes a draft approved for both sides (clause 2.2.2): it shows on the public
    page and in the feed from now; records `publication.published`. One side's approval is not
    enough; publishing a published item again changes nothing."""
    with transaction.atomic():
        _lock(publication)
        if publication.status == PublicationStatus.PUBLISHED:
            return publication
        missing = []
        if publication.police_approved_by_id is None:
            missing.append(_("the police side"))
        if publication.bar_approved_by_id is None:
            missing.append(_("the bar side"))
        if missing:
            raise ValidationError(
                _(
                    "Not approved for %(sides)s yet: a publication is released once the chair and the "
                    "deputy chair have approved it for both sides (clause 2.2.2)."
                )
                % {"sides": _(" and ").join(missing)},
                code="not_approved",
            )
        now = timezone.now()
        publication.status = PublicationStatus.PUBLISHED
        publication.published_at = now
        publication.updated_at = now
        publication.save(update_fields=["status", "published_at", "updated_at"])
        record_event(publication, "publication.published", actor=actor, body=publication.body)
    return publication


def withdraw_publication(publication: Publication, *, actor: User) -> Publication:
    """Effects: takes a published item off the public page and the feed, back to a draft without
    approvals; records `publication.withdrawn`. A draft is left as it is."""
    with transaction.atomic():
        _lock(publication)
        if publication.status != PublicationStatus.PUBLISHED:
            return publication
        publication.status = PublicationStatus.DRAFT
        publication.published_at = None
        _withdraw_approvals(publication)
        publication.updated_at = timezone.now()
        publication.save()
        record_event(publication, "publication.withdrawn", actor=actor, body=publication.body)
    return publication
