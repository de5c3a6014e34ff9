"""The control page timed on a database `benchmark_execution.py` left, for comparing two versions
of the code by turns (issue #11): no data generated, nothing written but the chair's language.

    DATABASE_URL=sqlite:///$PWD/var/bench_execution.sqlite3 \\
        uv run python scripts/benchmark_control_page.py --runs 21
    cd ../old && DATABASE_URL=sqlite:///$OLDPWD/var/bench_execution.sqlite3 \\
        .venv/bin/python $OLDPWD/scripts/benchmark_control_page.py --runs 21

The code measured is the one of the current directory (its `alqa` package and settings), so the
same script times another worktree run from there with its own virtual environment. For the
first body and its chair (`chair0@alqa.test`), through the Django test client, rendered afresh
(the page has no cache): the control page, the overdue list's third page and the page grouped by
meeting, unit and side, and the full list's second page; for each the median of --runs requests
in wall time and in this process's CPU time, and the queries of one request. --lang reads the
pages in Kazakh or English (the chair's language is set back at the end); --dump PREFIX writes
each page's HTML to PREFIX_<page>.html to compare two versions' pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alqa.settings_test")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--lang", default="ru", choices=("ru", "kk", "en"))
    parser.add_argument("--only", default="", help="pages to time, comma-separated")
    parser.add_argument("--dump", default="", help="write each page's HTML to DUMP_<page>.html")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("Give DATABASE_URL: the database benchmark_execution.py left.")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from alqa.models import Body, User

    settings.DEMO_WAIVE_MFA = True
    settings.ALLOWED_HOSTS = ["*"]
    body = Body.objects.order_by("pk").first()
    user = User.objects.get(email="chair0@alqa.test")
    language = user.language
    User.objects.filter(pk=user.pk).update(language=args.lang)
    try:
        client = Client()
        client.force_login(user)
        url = f"/bodies/{body.pk}/control/"
        pages = {
            "control": url,
            "overdue3": f"{url}?overdue=1&page=3",
            "meeting": f"{url}?group=meeting",
            "unit": f"{url}?group=unit",
            "side": f"{url}?group=side",
            "closed": f"{url}?closed=1&page=2",
        }
        if args.only:
            pages = {name: page for name, page in pages.items() if name in args.only.split(",")}
        for name, page in pages.items():
            response = client.get(page)
            assert response.status_code == 200, response.status_code
            if args.dump:
                with open(f"{args.dump}_{name}.html", "wb") as out:
                    out.write(response.content)
            queries: list[str] = []
            with connection.execute_wrapper(
                lambda run, sql, *rest, queries=queries: queries.append(sql) or run(sql, *rest)
            ):
                client.get(page)
            walls, cpus = [], []
            for _ in range(args.runs):
                start, cpu = time.perf_counter(), time.process_time()
                client.get(page)
                walls.append((time.perf_counter() - start) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            print(
                f"{connection.vendor} {name:9s} median {statistics.median(walls):6.1f} ms "
                f"(CPU {statistics.median(cpus):5.1f} ms), {len(queries)} queries, "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    finally:
        User.objects.filter(pk=user.pk).update(language=language)


if __name__ == "__main__":
    main()
