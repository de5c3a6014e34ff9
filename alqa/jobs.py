"""Background tasks (huey): load by id, call the domain, log."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from alqa.domain.audit import mail_chain_head
from alqa.domain.outbox import drain_outbox

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=30)
def drain_outbox_task() -> None:
    sent, failed = drain_outbox()
    if sent or failed:
        log.info("outbox: %s sent, %s failed", sent, failed)


@db_periodic_task(crontab(minute="*"))
def drain_outbox_periodically() -> None:
    drain_outbox()


@db_periodic_task(crontab(hour="1", minute="0"))  # huey counts in UTC: 06:00 in Almaty
def mail_audit_head_daily() -> None:
    """Every morning, the audit trail's head to the administrators: a copy
    outside the server that a cut and rewound trail can be compared with (docs/operations.md)."""
    sent = mail_chain_head()
    log.info("audit head mailed to %s administrator(s)", sent)
