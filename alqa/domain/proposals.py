"""Members' proposals with their justification memos (clauses 2.2.1, 3.3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.attachments import check_files, store_files
from alqa.domain.audit import record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.file_guard import check_file_texts
from alqa.domain.meetings import add_agenda_item, lock_meeting
from alqa.domain.outbox import queue_mail
from alqa.domain.remarks import mark_on_agenda
from alqa.enums import MeetingStatus, ProposalStatus
from alqa.models import AgendaItem, Body, ComplianceRemark, Meeting, Member, Proposal, User


def submit_proposal(
    *,
    body: Body,
    author: Member,
    actor: User,
    title_ru: str = "",
    title_kk: str = "",
    memo_ru: str = "",
    memo_kk: str = "",
    files: Sequence[UploadedFile[Any]] = (),
    identifiers_confirmed: bool = False,
    at: datetime | None = None,
) -> Proposal:
    """Effects: checks the title, the memo (in Russian and/or Kazakh), the case guard (no case or
    personal numbers unless `identifiers_confirmed`, in the texts and inside PDF and DOCX files) and
    every file (type by content, size); saves
    the proposal and its files, dated `at` (now by default; an earlier moment when a proposal
    made on paper is entered later, as the demo's past does); records `proposal.submitted`."""
    errors: dict[str, str] = {}
    title_ru, title_kk = title_ru.strip(), title_kk.strip()
    memo_ru, memo_kk = memo_ru.strip(), memo_kk.strip()
    if author.body_id != body.pk or not author.is_active_on(timezone.localdate()):
        errors["author"] = _("Only a member of this body may submit a proposal.")
    if not title_ru and not title_kk:
        errors["title_ru"] = _("Give the title in Russian or Kazakh.")
    if not memo_ru and not memo_kk:
        errors["memo_ru"] = _("Write the justification memo in Russian or Kazakh.")
    if errors:
        raise ValidationError(errors)
    confirmed = check_texts(
        {"title_ru": title_ru, "title_kk": title_kk, "memo_ru": memo_ru, "memo_kk": memo_kk},
        confirmed=identifiers_confirmed,
        body=body,
    )
    checked = check_files(list(files))
    confirmed += check_file_texts(checked, confirmed=identifiers_confirmed, body=body)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            body=body,
            author=author,
            title_ru=title_ru,
            title_kk=title_kk,
            memo_ru=memo_ru,
            memo_kk=memo_kk,
            created_at=at or timezone.now(),
        )
        stored = store_files(checked, body=body, actor=actor, proposal=proposal)
        record_event(
            proposal,
            "proposal.submitted",
            actor=actor,
            body=body,
            data={"title_ru": title_ru, "title_kk": title_kk, "files": [a.name for a in stored]}
            | audit_data(confirmed),
        )
    return proposal


def _decide(proposal: Proposal, *, decider: Member | None, at: datetime | None = None) -> None:
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("This proposal has already been decided."))
    proposal.decided_by = decider
    proposal.decided_at = at or timezone.now()


def _lock_proposal(proposal: Proposal) -> None:
    """Row lock on the proposal until the end of the transaction, then its state as committed by
    whoever decided it first (on SQLite the IMMEDIATE transaction already holds the write lock)."""
    Proposal.objects.select_for_update(no_key=True).filter(pk=proposal.pk).values_list(
        "pk", flat=True
    ).first()
    proposal.refresh_from_db()


def accept_proposal(
    proposal: Proposal,
    *,
    meeting: Meeting,
    actor: User,
    decider: Member | None,
    at: datetime | None = None,
    withdraw_approval: bool = False,
) -> AgendaItem:
    """Effects: puts the proposal on the meeting's agenda (its author speaks); marks it accepted,
    dated `at` (now by default; earlier for a decision entered after the fact);
    records `proposal.accepted`; tells the author by e-mail. Onto an approved agenda only with
    `withdraw_approval`: the approval is withdrawn, as by any change of the agenda. Accepting it again onto the same
    meeting (a second click, a parallel request) returns the same agenda item and changes nothing;
    a proposal already decided otherwise is refused."""
    if meeting.body_id != proposal.body_id:
        raise ValidationError({"meeting": _("This meeting belongs to another body.")})
    with transaction.atomic():
        lock_meeting(meeting)  # the meeting first, then the proposal: the order of every lock here
        _lock_proposal(proposal)
        if proposal.status == ProposalStatus.ACCEPTED:
            existing = AgendaItem.objects.filter(meeting=meeting, proposal=proposal).first()
            if existing is not None:
                return existing
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError({"meeting": _("The meeting is cancelled.")})
        _decide(proposal, decider=decider, at=at)
        # a compliance remark's question is a remark on its decision or plan item (clause 2.2.3)
        remark = (
            ComplianceRemark.objects.filter(proposal=proposal).select_related("decision__meeting").first()
        )
        # the proposal's title passed the case guard when it was submitted
        item = add_agenda_item(
            meeting,
            actor=actor,
            proposal=proposal,
            remark_on=remark.decision if remark else None,
            plan_item=remark.plan_item if remark else None,
            identifiers_confirmed=True,
            withdraw_approval=withdraw_approval,
        )
        if remark is not None:
            mark_on_agenda(proposal, meeting_id=meeting.pk)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        record_event(
            proposal, "proposal.accepted", actor=actor, body=proposal.body, data={"meeting": meeting.pk}
        )
        _notify(proposal, "proposal_accepted", {"meeting": meeting})
    return item


def return_proposal(
    proposal: Proposal,
    *,
    reason: str,
    actor: User,
    decider: Member | None,
    identifiers_confirmed: bool = False,
) -> Proposal:
    """Effects: checks the reason (the case guard included); returns the proposal to its author
    with the reason; records `proposal.returned`; tells the author by e-mail. Decided once: a
    parallel accept or return that came first wins, this one is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the proposal.")})
    confirmed = check_texts({"reason": reason}, confirmed=identifiers_confirmed, body=proposal.body)
    with transaction.atomic():
        _lock_proposal(proposal)
        _decide(proposal, decider=decider)
        proposal.status = ProposalStatus.RETURNED
        proposal.return_reason = reason
        proposal.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
        record_event(
            proposal,
            "proposal.returned",
            actor=actor,
            body=proposal.body,
            data={"reason": reason} | audit_data(confirmed),
        )
        _notify(proposal, "proposal_returned", {"reason": reason})
    return proposal


def _notify(proposal: Proposal, template: str, extra: dict[str, Any]) -> None:
    author = proposal.author
    if author.email:
        queue_mail(
            to=author.email,
            template=template,
            language=author.language,
            body=proposal.body,
            context={"proposal": proposal, "body": proposal.body, "author": author} | extra,
        )
