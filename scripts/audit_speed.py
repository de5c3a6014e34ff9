"""Time the audit chain on a fresh SQLite database of its own (docs/performance.md, "Audit chain").

    uv run python scripts/audit_speed.py                  # 2,000 single events, 20,000 in bulk
    uv run python scripts/audit_speed.py --single 500 --bulk 5000

What it does: points DATABASE_URL at var/audit-speed.sqlite3 (removed first; never
var/alqa.sqlite3), with DJANGO_DEBUG off and a random DJANGO_SECRET_KEY and ALQA_AUDIT_KEY;
migrates; then times

1. `record_event`, one event per transaction (as a form or an API call writes it): the head
   locked and checked against the newest row, the event sealed (HMAC-SHA256 over every column),
   inserted, the head moved and sealed;
2. `record_events`, many events in one transaction (as a calendar change writes them);
3. `verify_chain` over the whole trail, as `verify_audit` and the daily mail run it.

Each figure is wall time and CPU time of this process (the database is SQLite in process, so its
work is counted too).
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import time
from pathlib import Path

from bench_db import production_like  # scripts/bench_db.py, beside this script

BASE_DIR = Path(__file__).resolve().parent.parent
DB_PATH = BASE_DIR / "var" / "audit-speed.sqlite3"


def setup() -> None:
    production_like(DB_PATH)


@contextlib.contextmanager
def timed(label: str, count: int, unit: str):
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"| {label} | {count:,} | {wall:.2f} s | {wall / count * 1e3:.3f} ms | "
        f"{cpu / count * 1e3:.3f} ms | {count / wall:,.0f} {unit}/s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=2000, help="events recorded one by one")
    parser.add_argument("--bulk", type=int, default=20000, help="events recorded in one call")
    options = parser.parse_args()
    setup()

    from django.db import transaction

    from alqa.domain.audit import NewEvent, record_event, record_events, verify_chain
    from alqa.models import User

    actor = User.objects.create_user(
        email="speed@alqa.test", password=secrets.token_urlsafe(16), full_name="S"
    )
    print("| what | events | wall | wall / event | CPU / event | rate |")
    print("|---|---:|---:|---:|---:|---:|")
    with timed("`record_event`, one transaction each", options.single, "events"):
        for number in range(options.single):
            with transaction.atomic():
                record_event(
                    actor, "user.changed", actor=actor, body=None, data={"n": number, "field": "name"}
                )
    events = [
        NewEvent(action="member.changed", object_type="member", object_id=str(n), object_label=f"Member {n}")
        for n in range(options.bulk)
    ]
    with timed("`record_events`, one transaction", options.bulk, "events"), transaction.atomic():
        record_events(events, actor=actor)
    total = options.single + options.bulk
    with timed("`verify_chain`, the whole trail", total, "events"):
        checked, problems = verify_chain()
    assert checked == total and not problems, problems


if __name__ == "__main__":
    main()
