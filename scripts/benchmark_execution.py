"""Scale of execution control (issue #11): the control page rendered afresh, the XLSX export of a
year and the daily reminder run over all bodies, on a generated national-scale data set.

    uv run python scripts/benchmark_execution.py --bodies 20 --assignments 60000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alqa_bench_execution \\
        uv run python scripts/benchmark_execution.py --bodies 20 --assignments 60000

What it does, in order:

1. points DATABASE_URL at a fresh SQLite file (var/bench_execution.sqlite3) unless one is given
   (a PostgreSQL database given is emptied and migrated: never point it at a real one);
2. generates --bodies bodies, each with a chair and 49 members (their accounts: 1,000 users for
   20 bodies) and two police units, and over ten years --assignments / 50 meetings of 30 agenda
   questions and 25 decisions with two executors each, and each year's plan of 10 items with one
   executor each (bulk inserts: the generator is not what is measured); assignments get every
   status, the old ones a third still open and so overdue, executors members, units and named
   officials with addresses;
3. times the control page of one body (`/bodies/ID/control/`), the overdue list's third page and
   the page grouped by meeting or plan, rendered afresh through the Django test client (the page
   has no cache): the median of --runs requests in wall time and in this process's CPU time (on a
   shared machine the wall time also counts other processes' turns), with the queries of one;
4. times the XLSX export of the last year of that body;
5. starts a process that loads `alqa.wsgi` as a gunicorn worker does and serves the control page
   and the overdue list 200 times, and reports its resident memory (the measure of before
   gunicorn.conf.py, kept to compare); then real gunicorns on a free port of 127.0.0.1 with 3 workers,
   once as before (no config: each worker loads the application itself) and once with the
   repository's gunicorn.conf.py (loaded once in the master, shared copy-on-write), serves the
   same pages 200 times with the chair's session over 3 connections at a time, and reports each
   worker's RSS, PSS and USS from /proc (a worker's real cost is its PSS: the pages it shares
   with the master and the other workers counted in shares);
6. times one reminder run over all bodies on a working day (`send_execution_reminders`, the outbox
   not drained meanwhile: the worker does that apart), the steps claimed, mails and audit events
   written, then a second run the same day (nothing left to claim); and the load average before
   and after. The first run's report says how much of its time went to rendering the mails and
   to the audit events.

With --only-reminders it skips 3 to 5 (the reminder run compared between two versions of the code).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

from bench_db import test_settings  # scripts/bench_db.py, beside this script

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

QUESTIONS = 30  # agenda questions a meeting
DECISIONS = 25  # of them decided
PER_DECISION = 2  # executors a decision
MEMBERS = 50  # members (with their accounts) a body
PLAN_ITEMS = 10  # items of each year's plan, one executor each


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(database_url: str | None) -> None:
    test_settings("bench_execution", database_url)


def generate(bodies: int, assignments: int):
    """Bodies, units and members through the domain (audited); meetings, questions, decisions,
    plans and assignments in bulk: about assignments / 50 meetings of 30 questions and 25
    decisions with two executors each, and each year's plan of 10 items."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from alqa.domain.bodies import create_body, create_unit
    from alqa.domain.members import add_member
    from alqa.enums import Role, Side
    from alqa.models import AgendaItem, Assignment, Decision, Meeting, PlanItem, User, WorkPlan

    admin = User.objects.create_superuser(
        email="bench@alqa.test", password=secrets.token_urlsafe(), full_name="B"
    )
    today = timezone.localdate()
    almaty = ZoneInfo("Asia/Almaty")
    meetings_total = max(assignments // (DECISIONS * PER_DECISION), bodies)
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
        members = [chair] + [
            add_member(
                body=body,
                actor=admin,
                full_name=f"Член {b + 1}-{i}",
                email=f"m{i}.b{b}@alqa.test",
                side=Side.POLICE,
                role=Role.MEMBER,
                active_from=today - timedelta(days=3700),
            )
            for i in range(1, MEMBERS)
        ]
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
            (
                AgendaItem(meeting=m, order=q + 1, title_ru=f"Доступ адвокатов, вопрос {q + 1}")
                for m in meetings
                for q in range(QUESTIONS)
            ),
            batch_size=2000,
        )
        decisions = Decision.objects.bulk_create(
            (
                Decision(
                    meeting=it.meeting,
                    agenda_item=it,
                    text_ru=f"Обеспечить доступ адвокатов ({it.order})",
                    created_by=admin,
                )
                for it in items
                if it.order <= DECISIONS
            ),
            batch_size=2000,
        )
        rows = []
        for d in decisions:
            day = timezone.localtime(d.meeting.starts_at).date()
            for k in range(PER_DECISION):
                n = d.agenda_item.order * PER_DECISION + k
                status = (
                    statuses[(d.pk + k) % len(statuses)]
                    if day < today - timedelta(days=120)
                    else statuses[8 + n % 4]
                )
                who = n % 3
                rows.append(
                    Assignment(
                        body=body,
                        decision=d,
                        executor_unit=units[n % 2] if who == 1 else None,
                        executor_member=members[n % MEMBERS] if who == 2 else None,
                        executor_name="" if who else f"Начальник РУП № {n}",
                        executor_email="" if who else f"rup{n}@police.kz",
                        due_date=day + timedelta(days=10 + n % 40),
                        status=status,
                    )
                )
        plans = WorkPlan.objects.bulk_create(
            WorkPlan(body=body, period="year", year=today.year - y, created_by=admin) for y in range(10)
        )
        plan_items = PlanItem.objects.bulk_create(
            PlanItem(
                plan=plan,
                number=i + 1,
                activity_ru=f"Посещение ИВС № {i + 1}",
                due_date=datetime(plan.year, 3 + i % 10, 20).date(),
            )
            for plan in plans
            for i in range(PLAN_ITEMS)
        )
        rows.extend(
            Assignment(
                body=body,
                plan_item=item,
                executor_unit=units[item.number % 2],
                due_date=item.due_date,
                status=statuses[(item.pk + 8) % len(statuses)]
                if item.due_date < today - timedelta(days=120)
                else "issued",
            )
            for item in plan_items
        )
        Assignment.objects.bulk_create(rows, batch_size=2000)
        made.append(body)
    return admin, made, chairs


def median_ms(fn, runs: int) -> float:
    return median_both(fn, runs)[0]


def median_both(fn, runs: int) -> tuple[float, float]:
    """Medians of the wall time and of this process's CPU time, in ms: on a shared machine the
    wall time also holds the time other processes had the CPU."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def queries_of(client, url: str) -> int:
    from django.db import connection

    queries: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def serve(url: str, user_id: int, times: int) -> None:
    """The worker's memory: this process loads `alqa.wsgi` as a gunicorn worker does (the print
    warm-up included) and serves `url` `times` times through Django's handler, then prints its
    resident memory (VmRSS) and its peak (VmHWM) in MB."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    import alqa.wsgi  # noqa: F401 - what a worker loads
    from alqa.models import User

    settings.DEMO_WAIVE_MFA = True
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    for i in range(times):
        response = client.get(url if i % 2 else f"{url}?overdue=1&page={1 + i % 7}")
        assert response.status_code == 200, response.status_code
    status = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line
    )
    print(f"{int(status['VmRSS'].split()[0]) / 1024:.0f} {int(status['VmHWM'].split()[0]) / 1024:.0f}")


def memory_of(pid: int) -> tuple[float, float, float]:
    """RSS, PSS and USS (private clean + dirty) of a process, in MB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    uss = fields["Private_Clean"] + fields["Private_Dirty"]
    return fields["Rss"] / 1024, fields["Pss"] / 1024, uss / 1024


def children(master: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def gunicorn_workers(
    url: str, session: str, times: int, config: Path | None
) -> list[tuple[float, float, float]]:
    """A real gunicorn with 3 sync workers on a free port of 127.0.0.1, run from a directory of
    its own (without `config`, gunicorn finds no gunicorn.conf.py: each worker loads the
    application itself, as before); `times` requests for `url` and its overdue pages with the
    session cookie, over 3 connections at a time; the (RSS, PSS, USS) in MB of the master, then of
    each worker."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "gunicorn", "alqa.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--log-level", "warning"] + (["-c", str(config)] if config else [])
    env = os.environ | {"PYTHONPATH": str(BASE_DIR)}

    def get(path: str) -> int:
        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status

    with tempfile.TemporaryDirectory() as cwd, open(Path(cwd) / "log", "w+") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    sys.exit(f"gunicorn did not start:\n{log.read()}")
                with contextlib.suppress(OSError):
                    if get(url) == 200 and len(children(proc.pid)) == 3:
                        break
                time.sleep(0.5)
            paths = [url if i % 2 else f"{url}?overdue=1&page={1 + i % 7}" for i in range(times)]
            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                assert set(pool.map(get, paths)) == {200}
            return [memory_of(proc.pid)] + [memory_of(pid) for pid in children(proc.pid)]
        except Exception:
            log.seek(0)
            print(log.read()[-6000:], file=sys.stderr)
            raise
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)


def timed_parts() -> dict[str, float]:
    """Wraps the reminder run's mail rendering and audit recording with timers (wall seconds,
    summed in the dict returned), so that the run's report says what its time went to."""
    from alqa.domain import execution_reminders

    spent = {"rendering mails": 0.0, "audit events": 0.0}

    def timer(name, fn):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return timed

    # a digest's items made ready (`_item`) and its mail rendered: the whole of `_render`
    execution_reminders._render = timer("rendering mails", execution_reminders._render)
    execution_reminders.record_events = timer("audit events", execution_reminders.record_events)
    return spent


def pages(args, bodies, chairs) -> None:
    """Steps 3 to 5: the control page, the XLSX export and a worker's memory."""
    from django.test import Client
    from django.utils import timezone

    from alqa.models import Assignment

    body = bodies[0]
    client = Client()
    client.force_login(chairs[0].user)
    url = f"/bodies/{body.pk}/control/"
    shown = Assignment.objects.filter(body=body).count()
    for name, page_url in (
        ("control page", url),
        ("overdue list, page 3", f"{url}?overdue=1&page=3"),
        ("control page grouped by meeting or plan", f"{url}?group=meeting"),
    ):
        client.get(page_url)
        queries = queries_of(client, page_url)
        page, cpu = median_both(lambda page_url=page_url: client.get(page_url), args.runs)
        print(
            f"{name} of a body ({shown} assignments): median {page:.1f} ms (CPU {cpu:.1f} ms), {queries} queries"
        )

    today = timezone.localdate()
    year = f"{url}export.xlsx?from={today - timedelta(days=365)}&to={today}"
    export = median_ms(lambda: client.get(year), max(args.runs // 3, 3))
    print(f"XLSX of a year: median {export:.0f} ms ({len(client.get(year).content)} bytes)")

    # The worker's memory, in a process of its own on the same database.
    env = os.environ | {"PYTHONPATH": str(BASE_DIR)}
    served = subprocess.run(
        [sys.executable, __file__, "--serve", url, str(chairs[0].user.pk), "200"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rss, hwm = served.stdout.split()[-2:]
    print(f"a worker serving the control page and overdue list 200 times: {rss} MB resident, peak {hwm} MB")
    # Real gunicorn workers, as before and with the repository's gunicorn.conf.py. The chair gets a
    # TOTP authenticator row: without the demo's waiver the second-factor check asks for one.
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(
        user=chairs[0].user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "benchmark"}}
    )
    session = client.cookies["sessionid"].value
    for label, config in (
        ("no config, as before", None),
        ("gunicorn.conf.py", BASE_DIR / "gunicorn.conf.py"),
    ):
        master, *workers = gunicorn_workers(url, session, 200, config)
        print(
            f"gunicorn, 3 workers ({label}), 200 pages: workers "
            + "; ".join(f"RSS {r:.0f} PSS {p:.0f} USS {u:.0f} MB" for r, p, u in workers)
            + f"; master RSS {master[0]:.0f} PSS {master[1]:.0f} MB; "
            f"all four PSS {master[1] + sum(w[1] for w in workers):.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--assignments", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--only-reminders",
        action="store_true",
        help="generate, then time the reminder runs alone (no pages, export or worker)",
    )
    parser.add_argument("--serve", nargs=3, metavar=("URL", "USER", "TIMES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), int(args.serve[2]))
        return
    setup(os.environ.get("DATABASE_URL"))

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from alqa.domain.execution_reminders import send_execution_reminders
    from alqa.domain.workdays_calendar import load_calendar
    from alqa.models import Assignment, AuditEvent, OutboxMessage

    settings.DEMO_WAIVE_MFA = True
    settings.ALLOWED_HOSTS = ["*"]
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    _admin, bodies, chairs = generate(args.bodies, args.assignments)
    print(
        f"{connection.vendor}: {len(bodies)} bodies, {Assignment.objects.count()} assignments "
        f"({Assignment.objects.filter(plan_item__isnull=False).count()} of plan items), "
        f"generated in {time.perf_counter() - start:.1f} s"
    )
    if not args.only_reminders:
        pages(args, bodies, chairs)
    today = timezone.localdate()

    # The test settings run huey's tasks at once: every batch's commit would drain the outbox in
    # the same process. In production the worker drains it apart; the reminder run is measured alone.
    import alqa.jobs

    alqa.jobs.drain_outbox_task = lambda: None
    day = today
    calendar = load_calendar()
    while not calendar.is_working(day):
        day += timedelta(days=1)
    mails, events = OutboxMessage.objects.count(), AuditEvent.objects.count()
    spent = timed_parts()
    start = time.perf_counter()
    cpu = time.process_time()
    claimed = send_execution_reminders(today=day)
    first = time.perf_counter() - start
    first_cpu = time.process_time() - cpu
    mails, events = OutboxMessage.objects.count() - mails, AuditEvent.objects.count() - events
    start = time.perf_counter()
    again = send_execution_reminders(today=day)
    second = time.perf_counter() - start
    print(
        f"reminder run over all bodies: {first:.2f} s (CPU {first_cpu:.2f} s), {claimed} steps, {mails} mails, {events} audit events; "
        f"the same day again: {second:.2f} s, {again}"
    )
    print("  of it: " + ", ".join(f"{name} {secs:.2f} s" for name, secs in spent.items()))
    # The next working day: the run of an ordinary day after the first (the executors' every
    # other day reminders of what is still overdue, no chair's notice twice).
    day += timedelta(days=1)
    while not calendar.is_working(day):
        day += timedelta(days=1)
    start = time.perf_counter()
    cpu = time.process_time()
    claimed = send_execution_reminders(today=day)
    print(
        f"the next working day's run: {time.perf_counter() - start:.2f} s "
        f"(CPU {time.process_time() - cpu:.2f} s), {claimed} steps"
    )
    print(f"peak memory of this process: {peak_mb():.0f} MB")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
