from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alqa.domain.audit import verify_chain
from alqa.models import AuditEvent


def test_every_change_is_recorded_and_the_chain_verifies(chair, secretary):
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[0] == "body.created"
    assert actions.count("member.added") == 2
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_editing_a_row_is_detected(chair):
    event = AuditEvent.objects.filter(action="member.added").first()
    AuditEvent.objects.filter(pk=event.pk).update(data={"full_name": "Someone else"})
    checked, problems = verify_chain()
    assert any(p.event_id == event.pk and "changed" in p.message for p in problems)
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())


def test_deleting_a_middle_row_is_detected(chair, secretary):
    first_member_event = AuditEvent.objects.filter(action="member.added").order_by("id").first()
    AuditEvent.objects.filter(pk=first_member_event.pk).delete()
    _, problems = verify_chain()
    assert any("link broken" in p.message for p in problems)


def test_deleting_the_newest_row_is_detected(chair, secretary):
    AuditEvent.objects.order_by("-id").first().delete()
    _, problems = verify_chain()
    assert any("head" in p.message for p in problems)
