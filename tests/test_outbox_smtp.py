"""E-mail end to end: the outbox drained through SMTP into a real SMTP server (aiosmtpd)."""

import re
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from alqa.domain.outbox import drain_outbox
from alqa.enums import OutboxStatus
from alqa.models import AuditEvent, OutboxMessage


class Sink(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_smtp(settings, handler):
    """Run `handler` as a real SMTP server on a free local port and point Django's mail at it;
    yields the handler and stops the server afterwards (for fixtures)."""
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def smtp_sink(settings):
    yield from serve_smtp(settings, Sink())


def test_password_reset_mail_arrives_and_its_link_sets_a_password(client, smtp_sink, member):
    response = client.post(
        "/accounts/password/reset/", {"email": "member@alqa.test"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(to="member@alqa.test", status=OutboxStatus.PENDING).exists()
    sent, failed = drain_outbox()
    assert (sent, failed) >= (1, 0)
    mail = smtp_sink.messages[-1]
    assert mail["To"] == "member@alqa.test"
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    page = client.get(path, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    done = client.post(form_url, {"password1": "A-new-secret-2026", "password2": "A-new-secret-2026"})
    assert done.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("A-new-secret-2026")
    assert OutboxMessage.objects.filter(to="member@alqa.test", status=OutboxStatus.SENT).exists()
    # both the mail and the new password are in the trail; the password itself is not
    mailed = AuditEvent.objects.get(action="user.password_reset_mailed")
    assert (mailed.object_id, mailed.data) == (
        str(member.user.pk),
        {"mail": "password_reset_key", "to": "member@alqa.test"},
    )
    new = AuditEvent.objects.get(action="user.password_set")
    assert (new.object_id, new.actor_id) == (str(member.user.pk), member.user.pk)
    assert "A-new-secret-2026" not in str(new.data) and member.user.password not in str(new.data)


def test_a_reset_asked_for_an_unknown_address_is_mailed_and_audited_without_a_user(client, member):
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@alqa.test"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302  # the page says the same as for a known address
    assert OutboxMessage.objects.filter(to="nobody@alqa.test").count() == 1
    event = AuditEvent.objects.get(action="account.unknown_address_mailed")
    assert (event.object_id, event.data) == ("", {"mail": "unknown_account", "to": "nobody@alqa.test"})


def test_smtp_down_keeps_the_mail_for_a_retry(settings, member):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count()
    assert pending >= 1  # the invitation of the member
    sent, failed = drain_outbox()
    assert sent == 0 and failed == pending
    message = OutboxMessage.objects.filter(to="member@alqa.test").get()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1 and message.last_error
