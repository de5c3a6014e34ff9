"""What hearing a question records beyond its decision: the outcome of a compliance remark
(clause 2.2.3) and the result of a plan item reported on (clause 2.1.2). Called by
`record_decision` inside its transaction; it imports no other rule module, so that meetings,
remarks and plans may all use it."""

from __future__ import annotations

from django.utils import timezone

from alqa.domain.audit import record_event
from alqa.enums import AgendaItemKind, PlanItemStatus, RemarkStatus
from alqa.models import AgendaItem, ComplianceRemark, Decision, PlanItem, User


def close_heard_remark(remark: ComplianceRemark, *, decision: Decision, actor: User) -> None:
    """Effects: closes the remark with the decision's wording as its outcome; records
    `remark.closed`. A remark already closed is left as it is."""
    if remark.status == RemarkStatus.CLOSED:
        return
    remark.status = RemarkStatus.CLOSED
    remark.outcome_ru = decision.text_ru
    remark.outcome_kk = decision.text_kk
    remark.outcome_decision = decision
    remark.closed_at = timezone.now()
    remark.save(update_fields=["status", "outcome_ru", "outcome_kk", "outcome_decision", "closed_at"])
    record_event(
        remark,
        "remark.closed",
        actor=actor,
        body=remark.body,
        data={"decision": decision.pk, "meeting": decision.meeting_id},
    )


def record_hearing(agenda_item: AgendaItem, *, decision: Decision, actor: User) -> None:
    """Effects, inside the caller's transaction: a question raised by a compliance remark closes
    the remark with this decision; a report on a plan item records the decision as the item's
    result, done on the meeting day (`plan_item.result_recorded`)."""
    if agenda_item.proposal_id is not None:
        remark = (
            ComplianceRemark.objects.select_for_update(no_key=True)
            .filter(proposal_id=agenda_item.proposal_id)
            .select_related("body")
            .first()
        )
        if remark is not None:
            close_heard_remark(remark, decision=decision, actor=actor)
    if agenda_item.kind == AgendaItemKind.PLAN_REPORT and agenda_item.plan_item_id is not None:
        item = (
            PlanItem.objects.select_for_update(no_key=True)
            .select_related("plan__body")
            .get(pk=agenda_item.plan_item_id)
        )
        if item.status == PlanItemStatus.DONE and item.result_decision_id is not None:
            return  # a second decision on the same report leaves the first result
        item.status = PlanItemStatus.DONE
        item.done_on = timezone.localtime(decision.meeting.starts_at).date()
        item.result_ru = decision.text_ru
        item.result_kk = decision.text_kk
        item.result_decision = decision
        item.save(update_fields=["status", "done_on", "result_ru", "result_kk", "result_decision"])
        record_event(
            item,
            "plan_item.result_recorded",
            actor=actor,
            body=item.plan.body,
            data={
                "plan": item.plan_id,
                "status": item.status,
                "done_on": item.done_on,
                "decision": decision.pk,
            },
        )
