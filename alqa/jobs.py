"""Background tasks (huey): load by id, call the domain, log."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from alqa.domain.audit import mail_chain_head
from alqa.domain.complaint_import import run_import, stale_imports
from alqa.domain.execution_reminders import send_execution_reminders
from alqa.domain.held_files import purge as purge_held_files
from alqa.domain.outbox import drain_outbox
from alqa.domain.protocols import run_rendering, send_reminders
from alqa.domain.requests import send_request_reminders

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


@db_periodic_task(crontab(minute="5", hour="8"))
def protocol_reminders_daily() -> None:
    """The protocols' deadline reminders, each morning at 08:05 by the worker's clock (nothing
    is sent on a day off): the working day before the due date and on it, never twice (alqa.domain.protocols)."""
    claimed = send_reminders()
    if claimed:
        log.info("protocol reminders: %s", claimed)


@db_periodic_task(crontab(minute="10", hour="8"))
def request_reminders_daily() -> None:
    """The answers due to the group's requests for documents: the working day before, on the day,
    and once overdue, never twice (alqa.domain.requests)."""
    claimed = send_request_reminders()
    if claimed:
        log.info("request reminders: %s", claimed)


@db_periodic_task(crontab(minute="20", hour="*/6"))
def purge_held_files_periodically() -> None:
    """Files kept for refused forms that were never sent again go after a day (alqa.domain.held_files)."""
    removed = purge_held_files()
    if removed:
        log.info("held files: %s folders removed", removed)


@db_periodic_task(crontab(minute="15", hour="3-12"))  # huey counts in UTC: 08:15 to 17:15 in Almaty
def execution_reminders_hourly() -> None:
    """The assignments' deadline reminders (alqa.domain.execution_reminders): every hour of the
    working day, so that a run killed midway is finished by the next; each step is sent once."""
    claimed = send_execution_reminders()
    if claimed:
        log.info("execution reminders: %s", claimed)


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


@db_task()
def render_protocol_task(rendering_id: int) -> None:
    """A protocol's document for the page that waits for it (alqa.domain.protocols.run_rendering)."""
    rendering = run_rendering(rendering_id)
    if rendering is not None:
        log.info("protocol rendering %s: %s", rendering_id, rendering.status)
