"""Background tasks (huey): load by id, call the domain, log."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

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
