"""The receipt of the protocol comes from its distribution: a member executor's acknowledgement
through the mailed link, a unit's paper copy handed over — each starts the information deadline of
that executor's assignments of the meeting, and nobody else's."""

from django.utils import timezone

from alqa.domain import protocols
from alqa.models import Assignment, AuditEvent
from tests.protocols.test_lifecycle import sign_both


def test_acknowledgement_and_hand_over_record_the_executors_receipt(
    decision, chair, secretary, member, police_unit
):
    protocol = protocols.create_protocol(decision.meeting, actor=secretary.user)
    sign_both(protocol, chair, secretary)
    protocols.distribute_protocol(protocol, actor=secretary.user)
    mine = protocol.recipients.get(member=member)
    protocols.acknowledge(mine.token)
    task = Assignment.objects.get(decision=decision, executor_member=member)
    assert (task.status, task.received_via, task.received_on) == (
        "received",
        "acknowledgement",
        timezone.localdate(),
    )
    assert task.info_due is not None
    unit_task = Assignment.objects.get(decision=decision, executor_unit=police_unit)
    assert unit_task.received_on is None  # the member's acknowledgement is not the unit's
    paper = protocol.recipients.get(unit=police_unit)
    protocols.record_handover(paper, actor=secretary.user, on=protocol.signed_on)
    unit_task.refresh_from_db()
    assert (unit_task.status, unit_task.received_via, unit_task.received_on) == (
        "received",
        "paper",
        protocol.signed_on,
    )
    assert AuditEvent.objects.filter(action="assignment.received").count() == 2
