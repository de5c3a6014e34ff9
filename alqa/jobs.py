"""Background tasks (huey): load by id, call the domain, log."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from alqa.domain.complaint_import import run_import, stale_imports
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


@db_task()
def import_complaints_task(import_id: int) -> None:
    job = run_import(import_id)
    if job is not None:
        log.info("complaints import %s: %s, %s rows", import_id, job.status, job.rows_done)


@db_periodic_task(crontab(minute="*/5"))
def resume_stale_imports() -> None:
    """An import whose worker died mid-way is taken up again (nothing of it had been saved)."""
    for import_id in stale_imports():
        run_import(import_id)
