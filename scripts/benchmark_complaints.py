"""Scale of the complaints register (issue #13): import speed, memory and the analytics page
against the raw SQL GROUP BY queries that compute the same figures, measured in the same run.

    uv run python scripts/benchmark_complaints.py --rows 1000000 --xlsx-rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alqa_bench_complaints \\
        uv run python scripts/benchmark_complaints.py --rows 1000000 --xlsx-rows 100000

What it does, in order:

1. points DATABASE_URL at a fresh SQLite file (var/bench_complaints.sqlite3) unless one is given
   (a PostgreSQL database given is emptied and migrated: never point it at a real one);
2. creates one body with ten police units (domain functions, audited);
3. writes a CSV of --rows complaints spread over two years to a temporary file (streamed) and
   imports it the way the worker does (receive_import, start_import, run_import, the file
   streamed from disk): rows per second of run_import by the clock and by the process's processor
   time, the resident memory at the start and at its highest during the import, the load average;
4. writes an XLSX of --xlsx-rows rows (openpyxl write-only) and imports it the same way;
5. checks the summaries against the GROUP BY over the rows (alqa.domain.complaint_summary);
6. times the analytics of the last full year (alqa.queries.complaints.complaint_analytics: the
   totals, five charts, the quarters and the percentiles, read from the summaries) with its
   template rendered, and the raw SQL GROUP BY statements over the rows that compute the same
   numbers, run by turns, each the median of five runs, and prints the ratio (target: at most
   1.5); then the same page computed from the rows as before the summaries (median of three).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_db import test_settings  # scripts/bench_db.py, beside this script

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


CPU_SECONDS = 0.0
SERVER_SECONDS = 0.0
MEMORY = None
PROFILE = False  # --profile: the import's own profile (cProfile, by time spent in each function)


def server_seconds() -> float:
    """PostgreSQL on this machine: the processor time of the server process that serves this
    connection (its COPY and index upkeep), read from /proc; 0 on SQLite, whose work is in the
    process's own time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # the server runs elsewhere
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_share(count: int) -> str:
    if not SERVER_SECONDS:
        return ""
    both = CPU_SECONDS + SERVER_SECONDS
    return f"the server's processor time {SERVER_SECONDS:.1f} s, both {both:.1f} s = {count / both:,.0f} rows/s; "


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def setup(database_url: str | None) -> None:
    test_settings("bench_complaints", database_url)


def seed():
    from alqa.domain.bodies import create_body, create_unit
    from alqa.enums import Side
    from alqa.models import User

    admin = User.objects.create_superuser(
        email="bench@alqa.test", password=secrets.token_urlsafe(), full_name="B"
    )
    body = create_body(actor=admin, name_ru="Группа района", city="Алматы")
    units = [
        create_unit(body=body, actor=admin, name_ru=f"Отдел полиции № {i}", side=Side.POLICE)
        for i in range(1, 11)
    ]
    return admin, body, units


HEADER = "Статья;Дата подачи;Дата решения;Подразделение;Должностное лицо;Предмет;Результат;Нарушение;Меры"
SUBJECTS = ["Прекращение уголовного дела", "Задержание", "Обыск, выемка", "Иное", "Нарушение сроков"]
OFFICIALS = ["Следователь", "Дознаватель", "Прокурор", "Начальник подразделения"]
OUTCOMES = [
    "Удовлетворена полностью",
    "Удовлетворена частично",
    "Отказано",
    "Оставлена без рассмотрения",
    "Отозвана",
]


def rows(n: int, units, start: date, rng: random.Random):
    """n rows of complaints over two years, generated in blocks (a million rows in seconds)."""
    names = [u.name_ru for u in units]
    days = [(start + timedelta(days=i)).strftime("%d.%m.%Y") for i in range(760)]
    block = 10_000
    for done in range(0, n, block):
        size = min(block, n - done)
        filed = rng.choices(range(720), k=size)
        later = rng.choices(range(1, 30), k=size)
        columns = (
            rng.choices(("105", "106"), k=size),
            rng.choices(names, k=size),
            rng.choices(OFFICIALS, k=size),
            rng.choices(SUBJECTS, k=size),
            rng.choices(OUTCOMES, k=size),
            rng.choices(("да", "нет"), k=size),
        )
        for i in range(size):
            article, unit, official, subject, outcome, flag = (c[i] for c in columns)
            f = filed[i]
            yield [article, days[f], days[f + later[i]], unit, official, subject, outcome, flag, ""]


class PeakRss:
    """The process's resident memory sampled every 20 ms while a block runs: at the start and at
    its highest (ru_maxrss cannot say it: it keeps the highest of the process's whole life)."""

    def __enter__(self):
        import threading

        self.start = self.peak = self._now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._now())

    @staticmethod
    def _now() -> float:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._now())


def import_file(body, admin, path: Path, name: str) -> tuple[int, float]:
    from django.core.files.uploadedfile import UploadedFile

    from alqa.domain import complaint_import
    from alqa.domain.complaint_import import guess_columns, preview, receive_import, run_import, start_import

    complaint_import.MAX_IMPORT_BYTES = 10**10  # the benchmark's files may be larger than users'
    with path.open("rb") as handle:
        upload = UploadedFile(handle, name=name, size=path.stat().st_size)  # streamed from disk
        job = receive_import(body=body, actor=admin, upload=upload, source=f"bench {name}")
    headers, _rows = preview(job)
    start_import(job, actor=admin, columns=guess_columns(headers, {}), headers=headers)
    profiler = cProfile.Profile() if PROFILE else None
    global MEMORY, SERVER_SECONDS  # noqa: PLW0603 (the last import's memory and server time, printed beside its speed)
    server = server_seconds()
    with PeakRss() as MEMORY:
        began, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        done = run_import(job.pk)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    SERVER_SECONDS = server_seconds() - server
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    assert done is not None and done.status == "done", done and done.errors[:3]
    global CPU_SECONDS  # noqa: PLW0603 (the last import's processor time, printed beside the wall time)
    CPU_SECONDS = cpu
    return done.rows_done, seconds


def raw_group_bys(body_id: int, start: date, end: date) -> None:
    from django.db import connection

    days = (
        "(decided_on - filed_on)"
        if connection.vendor == "postgresql"
        else "julianday(decided_on) - julianday(filed_on)"
    )
    where = "body_id = %s AND filed_on >= %s AND filed_on <= %s"
    params = [body_id, start, end]
    sat = "SUM(CASE WHEN outcome IN ('satisfied', 'partly_satisfied') THEN 1 ELSE 0 END)"
    quarter = (
        "EXTRACT(YEAR FROM filed_on), EXTRACT(QUARTER FROM filed_on)"
        if connection.vendor == "postgresql"
        else "strftime('%%Y', filed_on), (CAST(strftime('%%m', filed_on) AS INTEGER) + 2) / 3"
    )
    with connection.cursor() as cursor:
        for column in ("outcome", "article", "unit_id", "subject_id", "official"):
            cursor.execute(
                f"SELECT {column}, COUNT(*), {sat} FROM alqa_complaint WHERE {where} GROUP BY {column}",
                params,
            )
            cursor.fetchall()
        cursor.execute(
            f"SELECT {quarter}, COUNT(*), {sat} FROM alqa_complaint WHERE {where} GROUP BY 1, 2", params
        )
        cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY {days}), percentile_cont(0.9) WITHIN GROUP "
                f"(ORDER BY {days}) FROM alqa_complaint WHERE {where} AND decided_on IS NOT NULL",
                params,
            )
            cursor.fetchall()
        else:
            cursor.execute(
                f"SELECT COUNT(*) FROM alqa_complaint WHERE {where} AND decided_on IS NOT NULL", params
            )
            n = cursor.fetchone()[0]
            for fraction in (0.5, 0.9):
                cursor.execute(
                    f"SELECT {days} AS d FROM alqa_complaint WHERE {where} AND decided_on IS NOT NULL "
                    "ORDER BY d LIMIT 2 OFFSET %s",
                    [*params, int(fraction * (n - 1))],
                )
                cursor.fetchall()


def page(body, admin, start: date, end: date) -> None:
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from alqa.forms.complaints import ComplaintFilterForm
    from alqa.queries.complaints import choices_of, complaint_analytics

    request = RequestFactory().get("/", {"date_from": start.isoformat(), "date_to": end.isoformat()})
    request.user = admin
    request.session = SessionStore()
    request.htmx = False
    form = ComplaintFilterForm(request.GET, choices=choices_of(body))
    figures = complaint_analytics(body, form.filters())
    render_to_string(
        "alqa/complaints/analytics.html", {"body": body, "form": form, "figures": figures}, request
    )


def interleaved(first, second, runs: int = 5) -> tuple[float, float]:
    """The median time of each of two functions, run by turns (a load that comes and goes on a
    shared machine falls on both alike)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, kept in ((first, times[0]), (second, times[1])):
            began = time.perf_counter()
            fn()
            kept.append(time.perf_counter() - began)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    parser.add_argument("--profile", action="store_true", help="print where each import spends its time")
    parser.add_argument(
        "--analytics-only",
        action="store_true",
        help="only time the analytics, on the SQLite file of the last run (var/bench_complaints.sqlite3)",
    )
    args = parser.parse_args()
    global PROFILE  # noqa: PLW0603 (a flag of this script)
    PROFILE = args.profile
    if args.analytics_only:
        analytics_again()
        return
    setup(os.environ.get("DATABASE_URL"))
    from django.db import connection
    from django.utils import translation

    translation.activate("ru")
    admin, body, units = seed()
    rng = random.Random(13)
    start = date(2024, 1, 1)
    print(
        f"database: {connection.vendor}; rows: {args.rows} CSV + {args.xlsx_rows} XLSX; "
        f"{os.cpu_count()} processors, load average {load()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "bench.csv"
        with csv_path.open("w", encoding="utf-8") as out:
            out.write(HEADER + "\n")
            for row in rows(args.rows, units, start, rng):
                out.write(";".join(row) + "\n")
        count, seconds = import_file(body, admin, csv_path, "bench.csv")
        print(
            f"CSV import: {count} rows in {seconds:.1f} s = {count / seconds:,.0f} rows/s; "
            f"this process's processor time {CPU_SECONDS:.1f} s = {count / CPU_SECONDS:,.0f} rows/s (target 20,000); "
            f"{server_share(count)}"
            f"resident memory {MEMORY.start:.0f} MB at the start, at most {MEMORY.peak:.0f} MB during it; "
            f"load average {load()}"
        )
        from openpyxl import Workbook

        xlsx_path = Path(tmp) / "bench.xlsx"
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER.split(";"))
        for row in rows(args.xlsx_rows, units, start, rng):
            sheet.append(row)
        book.save(xlsx_path)
        count, seconds = import_file(body, admin, xlsx_path, "bench.xlsx")
        print(
            f"XLSX import: {count} rows in {seconds:.1f} s = {count / seconds:,.0f} rows/s; "
            f"this process's processor time {CPU_SECONDS:.1f} s = {count / CPU_SECONDS:,.0f} rows/s (target 5,000); "
            f"{server_share(count)}"
            f"resident memory {MEMORY.start:.0f} MB at the start, at most {MEMORY.peak:.0f} MB during it; "
            f"load average {load()}"
        )
    analytics(body, admin)


def analytics_again() -> None:
    """The analytics timed again on the database the last run filled (not emptied, not migrated)."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench_complaints.sqlite3'}")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "alqa.settings_test"
    import django

    django.setup()
    from django.db import connection
    from django.utils import translation

    from alqa.models import Body, User

    translation.activate("ru")
    body = Body.objects.get(name_ru="Группа района")
    rows = body.complaints.count()
    print(f"database: {connection.vendor}; {rows} complaints; load average {load()}")
    analytics(body, User.objects.get(email="bench@alqa.test"))


def page_from_rows(body, admin, start: date, end: date) -> None:
    """The page as it was computed before the summaries: every figure from the register's rows."""
    from alqa.queries import complaints

    usable = complaints._summary_usable
    complaints._summary_usable = lambda _filters: False
    try:
        page(body, admin, start, end)
    finally:
        complaints._summary_usable = usable


def timed_cpu(fn) -> tuple[float, float]:
    began, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - began, time.process_time() - cpu


def analytics(body, admin) -> None:
    from alqa.domain.complaint_summary import differences

    year = (date(2024, 1, 1), date(2024, 12, 31))
    wall, cpu = timed_cpu(lambda: differences(body))
    found = differences(body)
    print(
        f"summaries checked against the GROUP BY over the rows: {len(found)} difference(s) "
        f"({wall:.1f} s, processor {cpu:.1f} s)"
    )
    page(body, admin, *year)  # warm up
    raw, full = interleaved(lambda: raw_group_bys(body.pk, *year), lambda: page(body, admin, *year))
    rows = statistics.median(timed_cpu(lambda: page_from_rows(body, admin, *year))[0] for _ in range(3))
    _wall, page_cpu = timed_cpu(lambda: page(body, admin, *year))
    print(
        f"analytics of a year: page (from the summaries) {full * 1000:.0f} ms (this process's processor "
        f"time {page_cpu * 1000:.0f} ms), raw GROUP BY over the rows {raw * 1000:.0f} ms, "
        f"ratio {full / raw:.2f} (target at most 1.5); the page from the rows {rows * 1000:.0f} ms; "
        f"load average {load()}"
    )


if __name__ == "__main__":
    main()
