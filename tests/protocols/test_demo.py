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


def test_demo_shows_an_amendment_acknowledged_again_and_finds_protocols(db):
    from alqa.models import ProtocolAcknowledgement
    from alqa.queries.protocols import search_protocols

    call_command("demo", stdout=None)
    amended = Protocol.objects.get(status="amended")
    earlier = ProtocolAcknowledgement.objects.filter(recipient__protocol=amended, revision__number=1)
    assert earlier.count() >= 2
    assert amended.recipients.filter(acknowledged_at__isnull=False).count() == 1
    from alqa.domain.protocols import current_revision

    title = current_revision(amended).content["questions"][0]["title_ru"]
    word = max(title.split(), key=len)
    assert amended.pk in {h.protocol_id for h in search_protocols(amended.body_id, word, language="ru")}
