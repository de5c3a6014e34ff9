# ruff: noqa: F811 - the fixtures `held` and `draft` come from tests/protocols/conftest.py
"""An amendment signed: the recipients receive the new text and acknowledge it again; their
earlier acknowledgements stay recorded against the earlier revision and are shown as such."""

import pytest

from alqa.domain import protocols as domain
from alqa.models import AuditEvent, OutboxMessage, ProtocolAcknowledgement, ProtocolRecipient
from tests.api.conftest import Api, token_for
from tests.conftest import login
from tests.protocols.test_lifecycle import sign_both


def _copies_to(email):
    return [m for m in OutboxMessage.objects.filter(to=email).order_by("pk") if m.attachments]


@pytest.fixture
def acknowledged(draft, held, chair, secretary):
    sign_both(draft, chair, secretary)
    domain.distribute_protocol(draft, actor=secretary.user)
    recipient = draft.recipients.get(member=chair)
    domain.acknowledge(recipient.token)
    recipient.refresh_from_db()
    return recipient


def _amend_and_sign(draft, held, chair, secretary):
    _meeting, item = held
    domain.amend_protocol(draft, actor=secretary.user, reason="Опечатка в фамилии")
    draft.refresh_from_db()
    domain.update_draft(
        draft,
        actor=secretary.user,
        version=draft.version,
        texts={item.pk: domain.QuestionText(heard_ru="Ахметову Д. (исправлено)")},
    )
    draft.refresh_from_db()
    sign_both(draft, chair, secretary)


def test_the_amendment_goes_out_again_and_is_acknowledged_again(acknowledged, draft, held, chair, secretary):
    old_token = acknowledged.token
    first = draft.revisions.get(number=1)
    _amend_and_sign(draft, held, chair, secretary)
    second = draft.revisions.get(number=2)
    recipient = ProtocolRecipient.objects.get(pk=acknowledged.pk)
    # the earlier acknowledgement is kept against revision 1, the current one is open again
    assert recipient.acknowledged_at is None
    assert recipient.sent_revision == second
    (kept,) = ProtocolAcknowledgement.objects.filter(recipient=recipient)
    assert kept.revision == first and kept.acknowledged_at == acknowledged.acknowledged_at
    # the new text was mailed at once (the protocol had been distributed), with a new link
    copies = _copies_to(chair.email)
    assert len(copies) == 2
    assert recipient.token != old_token and recipient.token in copies[-1].text
    with pytest.raises(ProtocolRecipient.DoesNotExist):
        domain.acknowledge(old_token)
    # nobody is sent the amendment twice
    assert domain.distribute_protocol(draft, actor=secretary.user) == 0
    assert len(_copies_to(chair.email)) == 2
    _r, now_first = domain.acknowledge(recipient.token)
    assert now_first
    assert sorted(
        ProtocolAcknowledgement.objects.filter(recipient=recipient).values_list("revision__number", flat=True)
    ) == [1, 2]
    event = AuditEvent.objects.get(action="protocol.acknowledgements_reset")
    assert event.data["acknowledged_before"] == [recipient.pk] and recipient.pk in event.data["sent_again"]


def test_page_and_api_show_the_earlier_acknowledgement(
    client, acknowledged, draft, held, chair, secretary, waive_mfa
):
    _amend_and_sign(draft, held, chair, secretary)
    login(client, secretary, language="en")
    page = client.get(f"/protocols/{draft.pk}/").content.decode()
    assert "earlier text, revision 1" in page
    body = Api(token_for(secretary.user)).get(f"/protocols/{draft.pk}").json()
    (row,) = [r for r in body["recipients"] if r["member_id"] == chair.pk]
    assert row["acknowledged_at"] is None and row["sent_revision"] == 2
    assert [a["revision"] for a in row["acknowledgements"]] == [1]


def test_an_amendment_of_a_protocol_not_yet_sent_sends_nothing(draft, held, chair, secretary):
    sign_both(draft, chair, secretary)
    _amend_and_sign(draft, held, chair, secretary)
    assert not [m for m in OutboxMessage.objects.all() if m.attachments]
    assert domain.distribute_protocol(draft, actor=secretary.user) > 0
    assert {r.sent_revision.number for r in draft.recipients.exclude(email="")} == {2}
