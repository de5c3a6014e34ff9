"""Scale of execution control (issue #11): the control page rendered afresh, the XLSX export of a
year and the daily reminder run over all bodies, on a generated national-scale data set.

    uv run python scripts/benchmark_execution.py --bodies 20 --assignments 60000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alqa_bench_execution \\
        uv run python scripts/benchmark_execution.py --bodies 20 --assignments 60000

What it does, in order:

1. points DATABASE_URL at a fresh SQLite file (var/bench_execution.sqlite3) unless one is given
   (a PostgreSQL database given is emptied and migrated: never point it at a real one);
2. generates --bodies bodies with a chair and two police units each, and over ten years about
   --assignments / 50 meetings with one question, one decision and 50 assignments each (bulk
   inserts: the generator is not what is measured); assignments get every status, a fifth of them
   still open, some overdue, executors with addresses;
3. times the control page of one body (`/bodies/ID/control/`, the Django test client, nothing
   cached: the page has no fragment cache) — the median of --runs requests, with its queries;
4. times the XLSX export of the last year of that body (median of --runs);
5. times one reminder run over all bodies on a working day (`send_execution_reminders`, the outbox
   not drained meanwhile: the worker does that apart), the number of steps claimed, then a second
   run the same day (nothing left to claim).
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench_db import test_settings  # scripts/bench_db.py, beside this script

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

PER_MEETING = 50


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(database_url: str | None) -> None:
    test_settings("bench_execution", database_url)


def generate(bodies: int, assignments: int):
    """Bodies through the domain (audited); meetings, decisions and assignments in bulk."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from alqa.domain.bodies import create_body, create_unit
    from alqa.domain.members import add_member
    from alqa.enums import Role, Side
    from alqa.models import AgendaItem, Assignment, Decision, Meeting, User

    admin = User.objects.create_superuser(
        email="bench@alqa.test", password=secrets.token_urlsafe(), full_name="B"
    )
    today = timezone.localdate()
    almaty = ZoneInfo("Asia/Almaty")
    meetings_total = max(assignments // PER_MEETING, bodies)
    per_body = max(meetings_total // bodies, 1)
    statuses = ["done"] * 6 + [
        "withdrawn",
        "returned",
        "issued",
        "received",
        "info_given",
        "report_submitted",
    ]
    made = []
    chairs = []
    for b in range(bodies):
        body = create_body(actor=admin, name_ru=f"Группа {b + 1}", city=f"Город {b + 1}")
        units = [
            create_unit(
                body=body,
                actor=admin,
                name_ru=f"Отдел полиции № {i}",
                side=Side.POLICE,
                email=f"u{i}@b{b}.kz",
            )
            for i in (1, 2)
        ]
        chair = add_member(
            body=body,
            actor=admin,
            full_name=f"Председатель {b + 1}",
            email=f"chair{b}@alqa.test",
            side=Side.POLICE,
            role=Role.CHAIR,
            active_from=today - timedelta(days=3700),
        )
        chairs.append(chair)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                body=body,
                kind="regular",
                format="in_person",
                starts_at=datetime.combine(
                    today - timedelta(days=3650 * (i + 1) // (per_body + 1)), datetime.min.time()
                ).replace(hour=10, tzinfo=almaty),
                place="Зал",
                presiding=chair,
                created_by=admin,
            )
            for i in range(per_body)
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=m, order=1, title_ru="Доступ адвокатов") for m in meetings
        )
        decisions = Decision.objects.bulk_create(
            Decision(meeting=m, agenda_item=it, text_ru="Обеспечить доступ адвокатов", created_by=admin)
            for m, it in zip(meetings, items, strict=True)
        )
        rows = []
        for d, m in zip(decisions, meetings, strict=True):
            day = timezone.localtime(m.starts_at).date()
            for k in range(PER_MEETING):
                status = (
                    statuses[(d.pk + k) % len(statuses)]
                    if day < today - timedelta(days=120)
                    else statuses[8 + k % 4]
                )
                rows.append(
                    Assignment(
                        decision=d,
                        executor_unit=units[k % 2] if k % 3 else None,
                        executor_name="" if k % 3 else f"Начальник РУП № {k}",
                        executor_email="" if k % 3 else f"rup{k}@police.kz",
                        due_date=day + timedelta(days=10 + k % 40),
                        status=status,
                    )
                )
        Assignment.objects.bulk_create(rows, batch_size=2000)
        made.append(body)
    return admin, made, chairs


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--assignments", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup(os.environ.get("DATABASE_URL"))

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from alqa.domain.execution_reminders import send_execution_reminders
    from alqa.domain.workdays_calendar import load_calendar
    from alqa.models import Assignment

    settings.DEMO_WAIVE_MFA = True
    settings.ALLOWED_HOSTS = ["*"]
    start = time.perf_counter()
    _admin, bodies, chairs = generate(args.bodies, args.assignments)
    print(
        f"{connection.vendor}: {len(bodies)} bodies, {Assignment.objects.count()} assignments, "
        f"generated in {time.perf_counter() - start:.1f} s"
    )
    body = bodies[0]
    client = Client()
    client.force_login(chairs[0].user)
    url = f"/bodies/{body.pk}/control/"
    client.get(url)
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    shown = Assignment.objects.filter(body=body).count()
    page = median_ms(lambda: client.get(url), args.runs)
    print(
        f"control page of a body ({shown} assignments, the open ones shown): median {page:.0f} ms, {len(queries)} queries"
    )

    today = timezone.localdate()
    year = f"{url}export.xlsx?from={today - timedelta(days=365)}&to={today}"
    export = median_ms(lambda: client.get(year), args.runs)
    print(f"XLSX of a year: median {export:.0f} ms ({len(client.get(year).content)} bytes)")

    # The test settings run huey's tasks at once: every reminder's commit would drain the outbox in
    # the same process. In production the worker drains it apart; the reminder run is measured alone.
    import alqa.jobs

    alqa.jobs.drain_outbox_task = lambda: None
    day = today
    calendar = load_calendar()
    while not calendar.is_working(day):
        day += timedelta(days=1)
    start = time.perf_counter()
    claimed = send_execution_reminders(today=day)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = send_execution_reminders(today=day)
    second = time.perf_counter() - start
    print(
        f"reminder run over all bodies: {first:.2f} s, {claimed} steps; the same day again: {second:.2f} s, {again}"
    )
    print(f"peak memory of the process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
