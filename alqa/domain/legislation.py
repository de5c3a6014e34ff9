"""Legislative proposals (clause 2.2.11): the group prepares proposals to improve legislation.

A proposal is drafted (its text in Russian and Kazakh, the act it concerns, its justification and
addressee), approved by a decision of the group at a meeting, submitted to the addressee under an
outgoing reference, and its outcome recorded: accepted, partly accepted or rejected.

The way is one rule, `TRANSITIONS`, applied by one function, `move`, under the proposal's row
lock: a step out of order is refused with the step the proposal is at; the same step asked again
(a second click, a parallel request) returns the proposal unchanged. Every step is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.audit import diff, record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.meetings import meeting_day
from alqa.enums import LegislativeStatus as S
from alqa.models import Body, Decision, LegislativeProposal, User

TEXT_FIELDS = ("title_ru", "title_kk", "text_ru", "text_kk", "act", "justification", "addressee")

# Where a proposal may go from each status; outcomes are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.APPROVED}),
    S.APPROVED: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.PARTLY, S.REJECTED}),
    S.ACCEPTED: frozenset(),
    S.PARTLY: frozenset(),
    S.REJECTED: frozenset(),
}
OUTCOMES = (S.ACCEPTED, S.PARTLY, S.REJECTED)
ACTIONS: dict[str, str] = {
    S.APPROVED: "legislative_proposal.approved",
    S.SUBMITTED: "legislative_proposal.submitted",
    S.ACCEPTED: "legislative_proposal.outcome",
    S.PARTLY: "legislative_proposal.outcome",
    S.REJECTED: "legislative_proposal.outcome",
}


def _texts(fields: dict[str, Any]) -> dict[str, str]:
    texts = {f: str(fields.get(f) or "").strip() for f in TEXT_FIELDS}
    errors: dict[str, str] = {}
    if not texts["title_ru"]:
        errors["title_ru"] = _("Give the proposal's title in Russian.")
    if not texts["text_ru"]:
        errors["text_ru"] = _("Write the proposed wording in Russian.")
    if not texts["act"]:
        errors["act"] = _("Name the act the proposal concerns.")
    if not texts["justification"]:
        errors["justification"] = _("Give the justification of the proposal.")
    if not texts["addressee"]:
        errors["addressee"] = _("Name the addressee: the body the proposal goes to.")
    if errors:
        raise ValidationError(errors)
    return texts


def create_proposal(
    *, body: Body, actor: User, identifiers_confirmed: bool = False, **fields: Any
) -> LegislativeProposal:
    """Effects: checks the title and text (Russian required, Kazakh beside it), the act, the
    justification, the addressee and the case guard over them; saves a draft; records
    `legislative_proposal.created`."""
    texts = _texts(fields)
    confirmed = check_texts(texts, confirmed=identifiers_confirmed, body=body)
    with transaction.atomic():
        proposal = LegislativeProposal.objects.create(body=body, created_by=actor, **texts)
        record_event(
            proposal,
            "legislative_proposal.created",
            actor=actor,
            body=body,
            data=texts | audit_data(confirmed),
        )
    return proposal


def _lock(proposal: LegislativeProposal) -> None:
    LegislativeProposal.objects.select_for_update(no_key=True).filter(pk=proposal.pk).values_list(
        "pk", flat=True
    ).first()
    proposal.refresh_from_db()


def update_draft(
    proposal: LegislativeProposal,
    *,
    actor: User,
    version: int,
    identifiers_confirmed: bool = False,
    **fields: Any,
) -> LegislativeProposal:
    """Effects: changes the texts of a draft made on `version` (an edit on an older version is
    refused: someone saved meanwhile); the case guard over them; bumps the version; records
    `legislative_proposal.changed` with old and new values. An approved proposal is the group's
    decision and is not edited."""
    texts = _texts(fields)
    confirmed = check_texts(texts, confirmed=identifiers_confirmed, body=proposal.body)
    with transaction.atomic():
        _lock(proposal)
        if proposal.status != S.DRAFT:
            raise ValidationError(_("Only a draft is edited: this proposal has been approved by the group."))
        if proposal.version != version:
            raise ValidationError(
                _("Someone saved this draft meanwhile: open it again and repeat your changes.")
            )
        before = {f: getattr(proposal, f) for f in TEXT_FIELDS}
        changed = diff(before, texts)
        if not changed:
            return proposal
        for field, value in texts.items():
            setattr(proposal, field, value)
        proposal.version += 1
        proposal.save(update_fields=[*TEXT_FIELDS, "version"])
        record_event(
            proposal,
            "legislative_proposal.changed",
            actor=actor,
            body=proposal.body,
            data=changed | audit_data(confirmed),
        )
    return proposal


def _same_step(proposal: LegislativeProposal, to: str, values: dict[str, Any]) -> bool:
    return proposal.status == to and all(getattr(proposal, k) == v for k, v in values.items())


def move(
    proposal: LegislativeProposal,
    *,
    actor: User,
    to: str,
    decision: Decision | None = None,
    submitted_on: date | None = None,
    outgoing_ref: str = "",
    outcome_on: date | None = None,
    outcome_note: str = "",
    identifiers_confirmed: bool = False,
) -> LegislativeProposal:
    """The one rule of a proposal's way (`TRANSITIONS`). Effects, under the proposal's lock:
    - approved: the decision of the group (a decision of a meeting of the same body);
    - submitted: the day (not before the approving meeting, not in the future) and the outgoing
      reference;
    - accepted / partly / rejected: the day of the outcome (not before the submission, not in the
      future) and the outcome in brief, under the case guard;
    records `legislative_proposal.approved`, `.submitted` or `.outcome`. A step out of order is
    refused; the same step with the same values again returns the proposal unchanged."""
    if to not in TRANSITIONS:
        raise ValidationError({"to": _("Choose one of the steps.")})
    outgoing_ref, outcome_note = outgoing_ref.strip(), outcome_note.strip()
    values: dict[str, Any]
    confirmed: list[str] = []
    today = timezone.localdate()
    if to == S.APPROVED:
        if decision is None:
            raise ValidationError({"decision": _("Choose the decision of the group that approved it.")})
        if decision.meeting.body_id != proposal.body_id:
            raise ValidationError({"decision": _("This decision belongs to another body.")})
        values = {"decision_id": decision.pk}
    elif to == S.SUBMITTED:
        if submitted_on is None:
            raise ValidationError({"submitted_on": _("Give the day the proposal was submitted.")})
        if submitted_on > today:
            raise ValidationError({"submitted_on": _("The day of submission cannot be in the future.")})
        values = {"submitted_on": submitted_on, "outgoing_ref": outgoing_ref}
        confirmed = check_texts(
            {"outgoing_ref": outgoing_ref}, confirmed=identifiers_confirmed, body=proposal.body
        )
    elif to in OUTCOMES:
        if outcome_on is None:
            raise ValidationError({"outcome_on": _("Give the day the outcome was received.")})
        if outcome_on > today:
            raise ValidationError({"outcome_on": _("The day of the outcome cannot be in the future.")})
        values = {"outcome_on": outcome_on, "outcome_note": outcome_note}
        confirmed = check_texts(
            {"outcome_note": outcome_note}, confirmed=identifiers_confirmed, body=proposal.body
        )
    else:
        raise ValidationError({"to": _("A proposal does not go back to a draft.")})
    with transaction.atomic():
        _lock(proposal)
        if _same_step(proposal, to, values):
            return proposal
        if to not in TRANSITIONS[proposal.status]:
            raise ValidationError(
                {
                    "to": _("This step is not possible: the proposal is at the step «%(status)s».")
                    % {"status": proposal.get_status_display()}
                }
            )
        if to == S.SUBMITTED and proposal.decision is not None:
            approved_on = meeting_day(proposal.decision.meeting)
            if submitted_on is not None and submitted_on < approved_on:
                raise ValidationError(
                    {"submitted_on": _("The proposal cannot be submitted before the group approved it.")}
                )
        if to in OUTCOMES and proposal.submitted_on and outcome_on and outcome_on < proposal.submitted_on:
            raise ValidationError(
                {"outcome_on": _("The outcome cannot have come before the proposal was submitted.")}
            )
        for field, value in values.items():
            setattr(proposal, field, value)
        proposal.status = to
        proposal.save(update_fields=["status", *values])
        record_event(
            proposal,
            ACTIONS[to],
            actor=actor,
            body=proposal.body,
            data={"status": to, **{k.removesuffix("_id"): v for k, v in values.items()}}
            | audit_data(confirmed),
        )
    return proposal
