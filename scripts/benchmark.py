"""Load-test Alqa under gunicorn with wrk, on a fresh SQLite database of its own.

    uv run python scripts/benchmark.py                 # measure and print the table
    uv run python scripts/benchmark.py --write-docs    # ... and write it into docs/performance.md
    uv run python scripts/benchmark.py --profile       # ... and cProfile the deadline API and the
                                                       #     meeting page in process

What it does, in order:

1. points DATABASE_URL at a fresh SQLite file (default var/bench.sqlite3; never var/alqa.sqlite3),
   with DJANGO_DEBUG off, a random DJANGO_SECRET_KEY and ALQA_AUDIT_KEY, ALQA_SECURE_COOKIES=false and
   DJANGO_ALLOWED_HOSTS=127.0.0.1 (ALQA_DEMO_WAIVE_MFA is removed from the environment);
2. migrates, and runs collectstatic (non-DEBUG pages need whitenoise's manifest in var/static);
3. seeds one body with two units and 500 members (create_body / create_unit, then bulk_create),
   one of them a plain member linked to a user, so no second factor is demanded, and gives that
   user a session; counts the queries of the member list with 5 and with 500 members;
4. seeds a second body with 40 members in office and one meeting, held yesterday, with 30 agenda
   items (a file each), 40 invitations and attendance rows, and 30 decisions with an executor each
   (bulk_create); a plain member of that body gets a session of their own; counts the queries of
   the meeting page and times it in process, rendered afresh (the cache emptied before each
   request: what the first reader after a change pays) and served from the cache;
5. starts gunicorn with 2 workers on a free port of 127.0.0.1, configured as in production
   (gunicorn.conf.py, without its access log), waits until every worker has booted
   (a post_worker_init hook), checks the pages answer 200 and warms every endpoint up;
6. runs `wrk -t2 -c10 -d10s --latency` against /api/v1/workdays/deadline, the meeting page and
   the member list (the pages with their session cookies), and prints requests/s, latency and the
   workers' CPU time per request (read from /proc, so that a busy machine shows as such), with
   the targets: deadline API >= 300/s; meeting page >= 200/s and a median under 20 ms;
7. after the meeting page's run, renames a member who was present (through the domain, so it is
   audited) and checks that every one of 20 answers, from both workers, shows the new name: each
   worker caches the page in its own memory, and the audit head must renew both.

Every wrk run is bounded (--duration, at most 15 s); the target is 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS = BASE_DIR / "docs" / "performance.md"
START_MARK = "<!-- benchmark:start -->"
END_MARK = "<!-- benchmark:end -->"
DEADLINE_PATH = "/api/v1/workdays/deadline?start=2026-01-05&days=20"
TARGET_RPS = {"deadline": 300.0, "meeting": 200.0}
TARGET_MEDIAN_MS = {"meeting": 20.0}
MAX_DURATION = 15


@dataclass
class WrkResult:
    name: str
    path: str
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    avg_ms: float
    non_2xx: int
    socket_errors: str
    cpu_ms: float = 0.0  # CPU time of the gunicorn workers per request (user + system)
    wrk_cpu_ms: float = 0.0  # CPU time of wrk itself per request
    load: float = 0.0  # the machine's 1-minute load average when the run started


# ----------------------------------------------------------------------------------------------
# Environment and Django set-up (in this process, before django.setup()).


def bench_environment(db_path: Path, log_level: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ALQA_DEMO_WAIVE_MFA", None)  # refused without DEBUG anyway; the member needs no 2FA
    env.update(
        DJANGO_SETTINGS_MODULE="alqa.settings",
        DATABASE_URL=f"sqlite:///{db_path}",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALQA_AUDIT_KEY=secrets.token_urlsafe(32),
        ALQA_SECURE_COOKIES="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        ALQA_EMAIL="console",
        ALQA_LOG_LEVEL=log_level,
    )
    return env


def fresh_database(db_path: Path) -> None:
    if db_path.resolve() == (BASE_DIR / "var" / "alqa.sqlite3").resolve():
        sys.exit("Refusing to benchmark on var/alqa.sqlite3; choose another --db.")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db_path}{suffix}").unlink()


def setup_django(env: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def migrate_and_collectstatic() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def seed(members: int):
    """One body, a police and a bar unit, `members` members; returns (body, user, session key,
    {member count: queries of the member list})."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alqa.domain.bodies import create_body, create_unit
    from alqa.enums import Role, Side, UnitKind
    from alqa.models import Member, User

    admin = User.objects.create_superuser(
        email="bench-admin@alqa.test", password=None, full_name="Bench Admin"
    )
    body = create_body(
        actor=admin, name_ru="Группа нагрузочного теста", name_kk="Жүктеме тобы", city="Алматы"
    )
    units = {
        Side.POLICE: create_unit(
            body=body,
            actor=admin,
            name_ru="Следственное управление",
            name_kk="Тергеу басқармасы",
            side=Side.POLICE,
            kind=UnitKind.STRUCTURAL,
        ),
        Side.BAR: create_unit(
            body=body,
            actor=admin,
            name_ru="Мониторинговая группа АГКА",
            name_kk="АҚАА тобы",
            side=Side.BAR,
            kind=UnitKind.STRUCTURAL,
        ),
    }
    user = User.objects.create_user(email="bench-member@alqa.test", password=None, full_name="Бенч Участник")
    since = dt.date(2025, 1, 1)

    def rows(start: int, stop: int) -> list[Member]:
        out = []
        for i in range(start, stop):
            side = Side.POLICE if i % 2 == 0 else Side.BAR
            out.append(
                Member(
                    body=body,
                    user=user if i == 0 else None,
                    full_name=f"Участник {i:04d}",
                    email="bench-member@alqa.test" if i == 0 else f"m{i:04d}@bench.alqa.test",
                    side=side,
                    role=Role.MEMBER,
                    unit=units[side],
                    position="Адвокат" if side == Side.BAR else "Следователь",
                    active_from=since,
                )
            )
        return out

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/bodies/{body.pk}/members/"
    queries: dict[int, int] = {}
    first = min(5, members)
    for start, stop in ((0, first), (first, members)):
        if stop > start:
            Member.objects.bulk_create(rows(start, stop), batch_size=500)
        client.get(url)  # warm caches (translations, templates) before counting
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(
                f"{url} answered {response.status_code} in process; the benchmark user is misconfigured."
            )
        queries[Member.objects.filter(body=body).count()] = len(ctx.captured_queries)
    session_key = client.cookies["sessionid"].value
    return body, user, session_key, queries


MEETING_ITEMS, MEETING_MEMBERS, MEETING_DECISIONS = 30, 40, 30


def seed_meeting():
    """A second body with 40 members in office, and one meeting of it held yesterday with 30
    agenda items (each with a file), 40 attendance rows and invitations, and 30 decisions with an
    executor each (bulk_create). A plain member of that body, signed in with a session of their
    own, reads the page; returns (meeting, session key, MeetingStats)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from alqa.domain.bodies import create_body
    from alqa.enums import AgendaItemKind, InvitationReply, Role, Side
    from alqa.models import (
        AgendaItem,
        Assignment,
        Attachment,
        Attendance,
        Decision,
        Invitation,
        Meeting,
        Member,
        User,
    )

    admin = User.objects.get(email="bench-admin@alqa.test")
    body = create_body(actor=admin, name_ru="Группа заседаний", name_kk="Отырыстар тобы", city="Астана")
    user = User.objects.create_user(email="bench-reader@alqa.test", password=None, full_name="Бенч Читатель")
    roles = [Role.CHAIR, Role.SECRETARY, Role.DEPUTY_CHAIR] + [Role.MEMBER] * (MEETING_MEMBERS - 3)
    people = Member.objects.bulk_create(
        Member(
            body=body,
            user=user if i == MEETING_MEMBERS - 1 else None,
            full_name=f"Член группы {i:02d}",
            email="bench-reader@alqa.test" if i == MEETING_MEMBERS - 1 else f"g{i:02d}@bench.alqa.test",
            side=Side.POLICE if i % 2 == 0 else Side.BAR,
            role=roles[i],
            position="Адвокат" if i % 2 else "Следователь",
            active_from=dt.date(2025, 1, 1),
        )
        for i in range(MEETING_MEMBERS)
    )
    chair, secretary = people[0], people[1]
    starts = timezone.now() - dt.timedelta(days=1)
    meeting = Meeting.objects.create(
        body=body,
        starts_at=starts,
        place="ДП г. Астаны, зал 2",
        presiding=chair,
        retrospective=True,
        created_by=admin,
        agenda_approved_at=starts - dt.timedelta(days=7),
        agenda_approved_by=chair,
        agenda_version=1,
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=i + 1,
            title_ru=f"Вопрос {i + 1:02d} о соблюдении прав задержанных",
            title_kk=f"Мәселе {i + 1:02d}",
            kind=AgendaItemKind.PLAN_REPORT if i % 3 == 0 else AgendaItemKind.OTHER,
            speaker=people[i % MEETING_MEMBERS],
            plan_item_ref=f"п. {i + 1}" if i % 3 == 0 else "",
        )
        for i in range(MEETING_ITEMS)
    )
    Attachment.objects.bulk_create(
        Attachment(
            body=body,
            agenda_item=item,
            file=f"attachments/bench-{item.pk}.pdf",
            name=f"справка-{item.order:02d}.pdf",
            content_type="application/pdf",
            size=120_000 + item.pk,
            sha256="0" * 64,
            uploaded_by=admin,
        )
        for item in items
    )
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting,
            member=m,
            email=m.email,
            reply=InvitationReply.ATTEND if i % 4 else InvitationReply.DECLINE,
            replied_at=starts - dt.timedelta(days=3) if i % 5 else None,
        )
        for i, m in enumerate(people)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=m, present=i % 4 != 0) for i, m in enumerate(people)
    )
    sides = {
        "police": {"present": 15, "total": 20, "required": 11, "met": True},
        "bar": {"present": 15, "total": 20, "required": 11, "met": True},
    }
    decisions = Decision.objects.bulk_create(
        Decision(
            meeting=meeting,
            agenda_item=items[i],
            number=1,
            text_ru=f"Решение {i + 1:02d}: принять к сведению.\nПоручить подготовить справку.",
            quorum={
                "rule": "each_side_majority",
                "met": True,
                "sides": sides,
                "overall": {"present": 30, "total": 40, "required": 21, "met": True},
            },
            created_by=admin,
        )
        for i in range(MEETING_DECISIONS)
    )
    Assignment.objects.bulk_create(
        Assignment(
            decision=d,
            executor_member=people[(i * 7) % MEETING_MEMBERS],
            due_date=dt.date(2026, 12, 15),
            due_working_days=10,
        )
        for i, d in enumerate(decisions)
    )
    assert secretary.role == Role.SECRETARY
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/meetings/{meeting.pk}/"
    client.get(url)  # warm: templates, translations, the session's once-a-minute touch
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url)
    page = response.content.decode()
    if response.status_code != 200 or f"Решение {MEETING_DECISIONS:02d}" not in page:
        sys.exit(f"{url} answered {response.status_code} in process without every decision.")
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    stats = MeetingStats(
        cold_queries=len(cold.captured_queries),
        warm_queries=len(warm.captured_queries),
        cold=_in_process_ms(client, url, loops=60, empty_cache=True),
        warm=_in_process_ms(client, url, loops=600, empty_cache=False),
    )
    return meeting, client.cookies["sessionid"].value, stats


@dataclass
class MeetingStats:
    """The meeting page in this process, through Django's test client: rendered afresh (what the
    first reader after any change pays) and served from the cache."""

    cold_queries: int
    warm_queries: int
    cold: tuple[float, float]  # (wall ms, CPU ms) per request
    warm: tuple[float, float]

    @property
    def cold_ms(self) -> float:
        return self.cold[0]

    @property
    def warm_ms(self) -> float:
        return self.warm[0]


def _in_process_ms(client, url: str, *, loops: int, empty_cache: bool) -> tuple[float, float]:
    """Wall time and this process's CPU time per request, in ms. The CPU time is the figure to
    compare on a shared machine: waiting for a core does not count in it."""
    from django.core.cache import cache

    spent = cpu = 0.0
    for _ in range(loops):
        if empty_cache:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        spent += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return spent * 1000 / loops, cpu * 1000 / loops


# ----------------------------------------------------------------------------------------------
# gunicorn and wrk.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


GUNICORN_HOOKS = """
import os
import pathlib

# The settings production runs with (gunicorn.conf.py: the application preloaded in the master, the
# print warm-up finished and the heap frozen before forking), with the access log left out (wrk's
# thousands of lines would be measured too) and one hook added.
_conf = pathlib.Path(os.environ["ALQA_BENCH_GUNICORN_CONF"])
exec(compile(_conf.read_text(), str(_conf), "exec"))
accesslog = None


def post_worker_init(worker):
    # Called once the worker has imported the WSGI application: tell the benchmark it is up.
    pathlib.Path(os.environ["ALQA_BENCH_READY_DIR"], f"ready-{worker.pid}").touch()
"""


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, log: Path, ready_dir: Path
) -> subprocess.Popen:
    """gunicorn with `workers` sync workers on 127.0.0.1:`port`, configured as in production
    (gunicorn.conf.py) plus one hook that lets us wait until every worker is up."""
    ready_dir.mkdir(parents=True, exist_ok=True)
    for old in ready_dir.glob("ready-*"):
        old.unlink()
    config = ready_dir / "gunicorn_hooks.py"
    config.write_text(GUNICORN_HOOKS)
    # The venv's own gunicorn, the same as `uv run gunicorn` when this script runs under `uv run`.
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "alqa.wsgi",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "-c",
        str(config),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(
        cmd,
        cwd=BASE_DIR,
        env=env
        | {
            "ALQA_BENCH_READY_DIR": str(ready_dir),
            "ALQA_BENCH_GUNICORN_CONF": str(BASE_DIR / "gunicorn.conf.py"),
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url: str, cookie: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def worker_pids(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:  # field 4 of /proc/PID/stat: the parent's pid
                pids.append(int(stat.parent.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time consumed so far by these processes."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return os.getloadavg()[0]


def wait_ready(
    base: str, proc: subprocess.Popen, log: Path, ready_dir: Path, workers: int, timeout: float = 120
) -> float:
    """Wait until every worker has booted and the API answers; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        if len(list(ready_dir.glob("ready-*"))) >= workers:
            with contextlib.suppress(OSError):
                status, _ = fetch(base + DEADLINE_PATH)
                if status == 200:
                    return time.monotonic() - started
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()}")


def settle(workers: list[int], limit: float = 20) -> None:
    """Wait until the workers are idle: when wrk stops, requests it gave up on are still queued
    at gunicorn, and their CPU would be counted in the next run."""
    deadline = time.monotonic() + limit
    before = cpu_seconds(workers)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(workers)
        if now - before < 0.02:
            return
        before = now


def warm_up(base: str, path: str, cookie: str | None, workers: list[int], args) -> None:
    """Each sync worker loads the URLconf, the holidays and the templates on its first request
    (seconds without compiled bytecode). Hit the endpoint in short wrk rounds, at least two,
    until a round has no slow request; at most six rounds of `--warmup` seconds."""
    for round_ in range(6 if args.warmup else 0):
        output = run_wrk(
            base + path,
            threads=args.threads,
            connections=args.connections,
            duration=args.warmup,
            cookie=cookie,
        )
        settle(workers)
        match = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", output, re.MULTILINE)
        if round_ >= 1 and match and _ms(match.group(1)) < 1000:
            break


def check_freshness(base: str, path: str, cookie: str, meeting, tries: int = 20) -> str:
    """After the load run: rename a member who was present through the domain (audited, so the
    audit head moves), then ask for the page `tries` times, each on a new connection, so both
    workers answer. Each worker keeps its own cache in memory; every answer must show the new name
    at once. Exits when one does not."""
    from django.db import connections

    from alqa.domain.members import update_member
    from alqa.models import Attendance, User

    present = Attendance.objects.filter(meeting=meeting, present=True).select_related("member").first().member
    new_name = f"{present.full_name} (переименован)"
    update_member(
        present, actor=User.objects.get(email="bench-admin@alqa.test"), changes={"full_name": new_name}
    )
    connections.close_all()
    seen = 0
    for _ in range(tries):
        status, page = fetch(base + path, cookie)
        seen += status == 200 and new_name.encode() in page
    if seen != tries:
        sys.exit(f"{path}: only {seen} of {tries} answers after a change showed it (a stale cached page).")
    return (
        f"After a change (a present member renamed), {seen} of {tries} answers, from both workers, showed it."
    )


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(name: str, path: str, output: str) -> WrkResult:
    def grab(pattern: str) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"wrk output lacks {pattern!r}:\n{output}")
        return match.group(1)

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:\s+(.*)$", output, re.MULTILINE)
    return WrkResult(
        name=name,
        path=path,
        requests=int(grab(r"^\s*(\d+) requests in")),
        rps=float(grab(r"^Requests/sec:\s+([\d.]+)")),
        avg_ms=_ms(grab(r"^\s+Latency\s+(\S+)")),
        p50_ms=_ms(grab(r"^\s+50%\s+(\S+)")),
        p90_ms=_ms(grab(r"^\s+90%\s+(\S+)")),
        p99_ms=_ms(grab(r"^\s+99%\s+(\S+)")),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=errors.group(1).strip() if errors else "",
    )


def run_wrk(url: str, *, threads: int, connections: int, duration: int, cookie: str | None) -> str:
    """wrk's report; wrk's own CPU time is added to RUN_WRK_CPU (seconds)."""
    global RUN_WRK_CPU
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(url)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 20, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    RUN_WRK_CPU += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.stdout


RUN_WRK_CPU = 0.0


# ----------------------------------------------------------------------------------------------
# Output.


def table(
    results: list[WrkResult], args, queries: dict[int, int], members: int, meeting: MeetingStats
) -> str:
    lines = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores: gunicorn {args.workers} sync workers, "
        f"SQLite (WAL), DEBUG off; `wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency`.",
        "",
        "| endpoint | requests | requests/s | median | p90 | p99 | non-2xx | worker CPU / req | wrk CPU / req "
        "| load avg | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    cores = os.cpu_count() or 1
    for r in results:
        target, median = TARGET_RPS.get(r.name), TARGET_MEDIAN_MS.get(r.name)
        parts = []
        if target is not None:
            parts.append(f"≥ {target:.0f}/s: " + ("met" if r.rps >= target else "NOT met"))
        if median is not None:
            parts.append(f"median < {median:.0f} ms: " + ("met" if r.p50_ms < median else "NOT met"))
        verdict = "; ".join(parts) or "—"
        lines.append(
            f"| `{r.path}` | {r.requests} | {r.rps:.0f} | {r.p50_ms:.1f} ms | {r.p90_ms:.1f} ms | "
            f"{r.p99_ms:.1f} ms | {r.non_2xx} | {r.cpu_ms:.2f} ms | {r.wrk_cpu_ms:.2f} ms | {r.load:.1f} | {verdict} |"
        )
    lines += [
        "",
        "CPU / request is CPU time (user + system) over the run divided by the requests served: for the "
        "gunicorn workers (read from /proc) and for wrk. Unlike requests/s it hardly depends on what else "
        "the machine runs; load avg is the 1-minute load average when the run started. "
        f"What {cores} otherwise idle cores would serve, gunicorn and wrk sharing them: "
        + "; ".join(
            f"`{r.name}` ≈ {cores * 1000 / (r.cpu_ms + r.wrk_cpu_ms):.0f}/s" for r in results if r.cpu_ms
        )
        + ".",
    ]
    for r in results:
        if r.socket_errors and r.socket_errors != "connect 0, read 0, write 0, timeout 0":
            lines += ["", f"Socket errors on `{r.path}`: {r.socket_errors}."]
    counts = ", ".join(f"{n} members: {q} queries" for n, q in sorted(queries.items()))
    lines += [
        "",
        f"Queries per request of the member list (plain member, {members} seeded, a hundred rows a page): {counts}.",
    ]
    lines += [
        "",
        f"The meeting page ({MEETING_ITEMS} agenda items, {MEETING_MEMBERS} attendance rows, "
        f"{MEETING_DECISIONS} decisions; plain member), in process through the test client: served from "
        f"the cache (as in the wrk run) {meeting.warm_queries} queries and {meeting.warm_ms:.2f} ms "
        f"({meeting.warm[1]:.2f} ms of CPU); rendered afresh, as for the first reader after any change, "
        f"{meeting.cold_queries} queries and {meeting.cold_ms:.2f} ms ({meeting.cold[1]:.2f} ms of CPU).",
    ]
    return "\n".join(lines)


def write_docs(text: str) -> None:
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    block = f"{START_MARK}\n{text}\n{END_MARK}"
    if START_MARK in current and END_MARK in current:
        head, rest = current.split(START_MARK, 1)
        _, tail = rest.split(END_MARK, 1)
        DOCS.write_text(head + block + tail, encoding="utf-8")
    else:
        DOCS.write_text(current.rstrip() + "\n\n" + block + "\n", encoding="utf-8")
    print(f"Written between the markers in {DOCS.relative_to(BASE_DIR)}.")


def profile_deadline(loops: int, path: str = DEADLINE_PATH, cookie: str | None = None) -> None:
    """cProfile an endpoint (the deadline API by default) through Django's test client, in this
    process."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, _, value = cookie.partition("=")
        client.cookies[name] = value
    client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(loops):
        client.get(path)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(
        f"\n{path} in process (test client, profiler on): {loops} requests in {elapsed:.2f} s, "
        f"{elapsed / loops * 1000:.2f} ms each. Top 25 by cumulative time:"
    )
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=BASE_DIR / "var" / "bench.sqlite3")
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument(
        "--duration", type=int, default=10, help=f"seconds per wrk run, at most {MAX_DURATION}"
    )
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the deadline API and the meeting page in process"
    )
    parser.add_argument("--profile-loops", type=int, default=2000)
    args = parser.parse_args()
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration must be between 1 and {MAX_DURATION} seconds")
    if not 0 <= args.warmup <= 5:
        parser.error("--warmup must be between 0 and 5 seconds")
    if not 5 <= args.members <= 5000:
        parser.error("--members must be between 5 and 5000")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk).")

    db_path = args.db.resolve()
    fresh_database(db_path)
    env = bench_environment(db_path, log_level="WARNING")
    setup_django(env)
    print(f"Database {db_path}: migrating, collecting static files, seeding {args.members} members…")
    migrate_and_collectstatic()
    body, user, session_key, queries = seed(args.members)
    meeting, meeting_session, meeting_stats = seed_meeting()
    from django.db import connections

    connections.close_all()
    cookie = f"sessionid={session_key}"
    meeting_cookie = f"sessionid={meeting_session}"
    meeting_path = f"/meetings/{meeting.pk}/"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = db_path.with_name("bench-gunicorn.log")
    members_path = f"/bodies/{body.pk}/members/"
    ready_dir = db_path.with_name("bench-gunicorn")
    proc = start_gunicorn(env, port, args.workers, log, ready_dir)
    results: list[WrkResult] = []
    freshness = ""
    try:
        boot = wait_ready(base, proc, log, ready_dir, args.workers)
        print(f"gunicorn: {args.workers} workers up in {boot:.1f} s.")
        status, page = fetch(base + members_path, cookie)
        paged = args.members > 100  # a hundred rows a page, the bar side first
        if status != 200 or "Участник 0001".encode() not in page or (paged and b'class="pager"' not in page):
            sys.exit(f"{members_path} answered {status} without the register's first page; see {log}.")
        status, page = fetch(base + meeting_path, meeting_cookie)
        if status != 200 or f"Решение {MEETING_DECISIONS:02d}".encode() not in page:
            sys.exit(f"{meeting_path} answered {status} without every decision; see {log}.")
        workers = worker_pids(proc.pid)
        endpoints = (
            ("deadline", DEADLINE_PATH, None),
            ("meeting", meeting_path, meeting_cookie),
            ("members", members_path, cookie),
        )
        for name, path, with_cookie in endpoints:
            print(f"Warming up {path} …", flush=True)
            warm_up(base, path, with_cookie, workers, args)
            print(f"wrk {args.duration} s against {path} …", flush=True)
            load, cpu_before, wrk_before = load_average(), cpu_seconds(workers), RUN_WRK_CPU
            output = run_wrk(
                base + path,
                threads=args.threads,
                connections=args.connections,
                duration=args.duration,
                cookie=with_cookie,
            )
            result = parse_wrk(name, path, output)
            result.cpu_ms = (cpu_seconds(workers) - cpu_before) * 1000 / max(result.requests, 1)
            result.wrk_cpu_ms = (RUN_WRK_CPU - wrk_before) * 1000 / max(result.requests, 1)
            result.load = load
            results.append(result)
            settle(workers)
            if name == "meeting":
                freshness = check_freshness(base, path, meeting_cookie, meeting)
    finally:
        stop_gunicorn(proc)

    text = table(results, args, queries, args.members, meeting_stats) + "\n\n" + freshness
    print()
    print(text)
    if args.write_docs:
        write_docs(text)
    if args.profile:
        profile_deadline(args.profile_loops)
        profile_deadline(max(args.profile_loops // 10, 1), meeting_path, meeting_cookie)
    failed = [r for r in results if r.non_2xx]
    if failed:
        print(f"\nWARNING: non-2xx answers from {', '.join(r.path for r in failed)}; see {log}.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
