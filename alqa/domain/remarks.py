"""Members' remarks that a decision or a plan item is not being complied with (clause 2.2.3).

Any member files one, with the facts and files. It is proposed for the next meeting's agenda as a
proposal (the chair and the secretary put it on a meeting like any other), appears on the
decision's meeting, is told to the chair and the secretary by e-mail, and is closed with the
outcome heard: when the decision on its question is recorded (`domain.hearing`), or by the
secretary with the outcome in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alqa.dates import date_of
from alqa.domain.attachments import check_files, store_files
from alqa.domain.audit import record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.errors import atomic_unique
from alqa.domain.file_guard import check_file_texts
from alqa.domain.outbox import queue_mail
from alqa.enums import ProposalStatus, RemarkStatus, Role
from alqa.models import Body, ComplianceRemark, Decision, Member, PlanItem, Proposal, User

TOKEN_MAX = 64


def _title(*, decision: Decision | None, plan_item: PlanItem | None, language: str) -> str:
    with translation.override(language):
        if decision is not None:
            return _("Remark on compliance with decision %(number)s of the meeting of %(day)s") % {
                "number": decision.number,
                "day": date_of(decision.meeting.starts_at),
            }
        assert plan_item is not None
        return _("Remark on compliance with plan item %(number)s (%(plan)s)") % {
            "number": plan_item.number,
            "plan": plan_item.plan.label,
        }


def _lock_author(author: Member) -> None:
    Member.objects.select_for_update(no_key=True).filter(pk=author.pk).values_list("pk", flat=True).first()


def file_remark(
    *,
    body: Body,
    author: Member,
    actor: User,
    decision: Decision | None = None,
    plan_item: PlanItem | None = None,
    facts_ru: str = "",
    facts_kk: str = "",
    files: Sequence[UploadedFile[Any]] = (),
    client_token: str = "",
    identifiers_confirmed: bool = False,
) -> ComplianceRemark:
    """Effects: checks that the author is a member today, that the remark names exactly one
    decision or plan item of this body, the facts (Russian and/or Kazakh; the case guard) and the
    files; saves the remark and, as its way onto the next agenda, a proposal carrying its title,
    the facts as memo and the files; records `remark.filed`; tells the chair and the secretary by
    e-mail, each in their language. Filed again with the same `client_token` (a double click, a
    repeated API call) it returns the first remark and changes nothing."""
    errors: dict[str, str] = {}
    facts_ru, facts_kk = (facts_ru or "").strip(), (facts_kk or "").strip()
    client_token = (client_token or "").strip()[:TOKEN_MAX]
    if author.body_id != body.pk or not author.is_active_on(timezone.localdate()):
        errors["author"] = _("Only a member of this body may file a remark.")
    if (decision is None) == (plan_item is None):
        errors["decision"] = _("Name the decision or the plan item the remark is about.")
    elif decision is not None and decision.meeting.body_id != body.pk:
        errors["decision"] = _("This decision belongs to another body.")
    elif plan_item is not None and plan_item.plan.body_id != body.pk:
        errors["plan_item"] = _("This plan item belongs to another body.")
    if not facts_ru and not facts_kk:
        errors["facts_ru"] = _("Describe the facts in Russian or Kazakh.")
    if errors:
        raise ValidationError(errors)
    confirmed = check_texts(
        {"facts_ru": facts_ru, "facts_kk": facts_kk}, confirmed=identifiers_confirmed, body=body
    )
    checked = check_files(list(files))
    confirmed += check_file_texts(checked, confirmed=identifiers_confirmed, body=body)
    with atomic_unique("client_token", _("This remark has already been filed.")):
        _lock_author(author)
        if client_token:
            existing = ComplianceRemark.objects.filter(author=author, client_token=client_token).first()
            if existing is not None:
                return existing
        proposal = Proposal.objects.create(
            body=body,
            author=author,
            title_ru=_title(decision=decision, plan_item=plan_item, language="ru"),
            title_kk=_title(decision=decision, plan_item=plan_item, language="kk"),
            memo_ru=facts_ru,
            memo_kk=facts_kk,
        )
        stored = store_files(checked, body=body, actor=actor, proposal=proposal)
        remark = ComplianceRemark.objects.create(
            body=body,
            author=author,
            decision=decision,
            plan_item=plan_item,
            facts_ru=facts_ru,
            facts_kk=facts_kk,
            proposal=proposal,
            client_token=client_token,
        )
        record_event(
            remark,
            "remark.filed",
            actor=actor,
            body=body,
            data={
                "decision": decision.pk if decision else None,
                "plan_item": plan_item.pk if plan_item else None,
                "proposal": proposal.pk,
                "facts_ru": facts_ru,
                "facts_kk": facts_kk,
                "files": [a.name for a in stored],
            }
            | audit_data(confirmed),
        )
        _notify_leaders(remark)
    return remark


def _notify_leaders(remark: ComplianceRemark) -> None:
    today = timezone.localdate()
    leaders = Member.objects.filter(body=remark.body, role__in=[Role.CHAIR, Role.SECRETARY]).on(today)
    for leader in leaders:
        if leader.email and leader.pk != remark.author_id:
            queue_mail(
                to=leader.email,
                template="remark_filed",
                language=leader.language,
                body=remark.body,
                context={"remark": remark, "body": remark.body, "leader": leader, "author": remark.author},
            )


def lock_remark(remark: ComplianceRemark) -> None:
    """Row lock on the remark, then its state as committed by whoever changed it first."""
    ComplianceRemark.objects.select_for_update(no_key=True).filter(pk=remark.pk).values_list(
        "pk", flat=True
    ).first()
    remark.refresh_from_db()


def close_remark(
    remark: ComplianceRemark,
    *,
    actor: User,
    outcome_ru: str = "",
    outcome_kk: str = "",
    identifiers_confirmed: bool = False,
) -> ComplianceRemark:
    """The secretary closes a remark with the outcome heard, in words. Effects: checks the outcome
    (the case guard included); closes the remark; a proposal of it still waiting for the agenda
    leaves the queue (returned, the outcome as its reason); records `remark.closed`. A remark
    already closed (by the decision on its question, or by a parallel request) is refused with a
    message."""
    outcome_ru, outcome_kk = (outcome_ru or "").strip(), (outcome_kk or "").strip()
    if not outcome_ru and not outcome_kk:
        raise ValidationError({"outcome_ru": _("Give the outcome in Russian or Kazakh.")})
    confirmed = check_texts(
        {"outcome_ru": outcome_ru, "outcome_kk": outcome_kk},
        confirmed=identifiers_confirmed,
        body=remark.body,
    )
    with transaction.atomic():
        lock_remark(remark)
        if remark.status == RemarkStatus.CLOSED:
            raise ValidationError(_("This remark is already closed."))
        remark.status = RemarkStatus.CLOSED
        remark.outcome_ru, remark.outcome_kk = outcome_ru, outcome_kk
        remark.closed_at = timezone.now()
        remark.save(update_fields=["status", "outcome_ru", "outcome_kk", "closed_at"])
        withdrawn = Proposal.objects.filter(remark=remark, status=ProposalStatus.SUBMITTED).update(
            status=ProposalStatus.RETURNED,
            return_reason=outcome_ru or outcome_kk,
            decided_at=remark.closed_at,
        )
        record_event(
            remark,
            "remark.closed",
            actor=actor,
            body=remark.body,
            data={"outcome_ru": outcome_ru, "outcome_kk": outcome_kk, "proposal_withdrawn": bool(withdrawn)}
            | audit_data(confirmed),
        )
    return remark


def mark_on_agenda(proposal: Proposal, *, meeting_id: int) -> None:
    """Inside `accept_proposal`'s transaction: a remark's proposal put on an agenda marks the remark
    as on that agenda (the proposal's own audit event names the meeting)."""
    ComplianceRemark.objects.filter(proposal=proposal, status=RemarkStatus.OPEN).update(
        status=RemarkStatus.ON_AGENDA
    )
