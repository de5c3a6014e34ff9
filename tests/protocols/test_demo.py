"""The demo's protocols: one in every state, so a newcomer sees the whole cycle."""

from django.core.management import call_command

from alqa.models import Protocol, ProtocolRecipient


def test_demo_has_protocols_in_every_state(db):
    call_command("demo", stdout=None)
    statuses = set(Protocol.objects.values_list("status", flat=True))
    assert {"draft", "signed", "amended"} <= statuses
    assert Protocol.objects.filter(distributed_at__isnull=False).exists()
    assert ProtocolRecipient.objects.filter(acknowledged_at__isnull=False).exists()
    assert any(p.signed_on and p.signed_on > p.sign_due for p in Protocol.objects.all())  # signed late
    assert any(p.signed_on and p.signed_on <= p.sign_due for p in Protocol.objects.all())  # on time
