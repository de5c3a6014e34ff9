"""Time a calendar change over many open deadlines, on a fresh SQLite database of its own.

    uv run python scripts/benchmark_recount.py                 # 5,000 execution deadlines
    uv run python scripts/benchmark_recount.py --deadlines 20000

What it does: points DATABASE_URL at var/recount.sqlite3 (removed first; never var/alqa.sqlite3),
with DJANGO_DEBUG off and a random DJANGO_SECRET_KEY and ALQA_AUDIT_KEY; migrates and loads the
demo; adds N execution deadlines (5 to 34 working days from the demo's last meeting with a
decision, bulk-inserted), then, on the day after that meeting, declares a day off inside their span
through `add_calendar_exception` — what an administrator does when the government moves a day.
Every open deadline that passes over the day moves, each with its own audit event
(`alqa.domain.deadlines.follow_calendar_change`). It prints the wall and CPU time of that one call,
its number of SQL statements, and how many deadlines moved (docs/performance.md, "A calendar
change"). tests/domain/test_deadlines.py checks what moves and bounds the statements; this script
says how long it takes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

from bench_db import production_like  # scripts/bench_db.py, beside this script

BASE_DIR = Path(__file__).resolve().parent.parent
DB_PATH = BASE_DIR / "var" / "recount.sqlite3"


def setup() -> None:
    production_like(DB_PATH)
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("demo", stdout=quiet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=5000, help="open execution deadlines")
    options = parser.parse_args()
    if not 100 <= options.deadlines <= 100_000:
        parser.error("--deadlines must be between 100 and 100000")
    print("Migrating and loading the demo …", flush=True)
    setup()

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from alqa.domain.workdays import add_working_days
    from alqa.domain.workdays_calendar import add_calendar_exception, load_calendar
    from alqa.models import Assignment, AuditEvent, Decision, User

    decision = Decision.objects.select_related("meeting").order_by("-meeting__starts_at").first()
    if decision is None:
        sys.exit("The demo has no decision to hang deadlines on.")
    start = timezone.localtime(decision.meeting.starts_at).date()
    calendar = load_calendar()
    rows = []
    for i in range(options.deadlines):
        days = 5 + i % 30
        due = add_working_days(calendar, start=start, days=days).due
        rows.append(
            Assignment(
                decision=decision, executor_name=f"Исполнитель {i}", due_working_days=days, due_date=due
            )
        )
    Assignment.objects.bulk_create(rows, batch_size=2000)
    day = add_working_days(calendar, start=start, days=3).due  # a working day inside every span
    today = start + timedelta(days=1)
    admin = User.objects.get(email="admin@demo.alqa.kz")
    moved_before = AuditEvent.objects.filter(action="deadline.recounted").count()

    noon = timezone.make_aware(datetime.combine(today, clock(12)))
    with time_machine.travel(noon, tick=True), CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        add_calendar_exception(
            day=day,
            kind="day_off",
            name_ru="Выходной день (перенесён)",
            name_kk="Демалыс күні (ауыстырылды)",
            legal_act="Постановление Правительства РК (пример для замера)",
            actor=admin,
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    moved = AuditEvent.objects.filter(action="deadline.recounted").count() - moved_before
    print(f"meeting day {start}, day off declared {day}, today {today}")
    print("| open deadlines | moved (each audited) | SQL statements | wall | CPU |")
    print(f"| {options.deadlines:,} | {moved:,} | {len(queries)} | {wall:.2f} s | {cpu:.2f} s |")


if __name__ == "__main__":
    main()
