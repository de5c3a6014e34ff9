"""The public page of a body (clause 2.2.2) against the meeting page, in process (docs/performance.md,
"The public page").

    uv run python scripts/benchmark_public.py            # measure, print the figures

It builds the benchmark's database (scripts/benchmark.py: a body with 40 members in office and a
meeting of 30 items, 40 attendance rows and 30 decisions), publishes 50 items in that body
through the domain (both sides' approvals), and times through Django's test client, in one
process, with DEBUG off:

- the meeting page as its member reads it, served from the cache (what nearly every request gets);
- the public page and the Atom feed as an anonymous reader gets them (composed on every request:
  one query for the change, two for the items and the composition);
- the same with If-None-Match, answered 304 after one query.

The public page must serve at least as many requests per second as the meeting page: the script
exits 1 otherwise.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))
sys.path.insert(0, str(BASE_DIR))

import benchmark  # noqa: E402

ITEMS = 20
LOOPS = 100


def _ms(client, url: str, *, loops: int, **headers) -> float:
    started = time.perf_counter()
    for _ in range(loops):
        response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return (time.perf_counter() - started) * 1000 / loops


def main() -> int:
    db_path = BASE_DIR / "var" / "bench_public.sqlite3"
    benchmark.fresh_database(db_path)
    benchmark.setup_django(benchmark.bench_environment(db_path, "WARNING"))
    benchmark.migrate_and_collectstatic()
    benchmark.seed(40)  # the administrator and a first body, which seed_meeting builds upon
    meeting, _session, stats = benchmark.seed_meeting()

    from django.test import Client

    from alqa.domain.publications import approve_publication, create_publication, publish
    from alqa.enums import Role, Side
    from alqa.models import Member, User

    body = meeting.body
    chair = (
        Member.objects.filter(body=body, role=Role.CHAIR).first()
        or Member.objects.filter(body=body, side=Side.POLICE).first()
    )
    bar = Member.objects.filter(body=body, side=Side.BAR).first()
    assert chair is not None and bar is not None
    # the approvers: the chair for the police side, a deputy chair for the bar side
    Member.objects.filter(pk=chair.pk).update(role=Role.CHAIR)
    Member.objects.filter(pk=bar.pk).update(role=Role.DEPUTY_CHAIR)
    chair.refresh_from_db()
    bar.refresh_from_db()
    writer = User.objects.filter(is_superuser=True).first() or chair.user
    for n in range(ITEMS):
        item = create_publication(
            body=body,
            actor=writer,
            title_ru=f"Публикация {n:02d}",
            title_kk=f"Жарияланым {n:02d}",
            text_ru="Члены группы посетили изолятор временного содержания. " * 8,
            text_kk="Топ мүшелері уақытша ұстау изоляторына барды. " * 8,
        )
        approve_publication(item, actor=writer, approver=chair)
        approve_publication(item, actor=writer, approver=bar)
        publish(item, actor=writer)

    anonymous = Client(HTTP_HOST="127.0.0.1")
    public = f"/public/{body.pk}/"
    feed = f"/public/{body.pk}/feed.atom"
    first = anonymous.get(public)
    assert first.status_code == 200 and "Публикация 19" in first.content.decode()
    etag = first["ETag"]
    figures = {
        "meeting page, served from the cache": stats.warm_ms,
        "meeting page, rendered afresh": stats.cold_ms,
        "public page": _ms(anonymous, public, loops=LOOPS),
        "public page, conditional GET (304)": _ms(anonymous, public, loops=LOOPS, HTTP_IF_NONE_MATCH=etag),
        "Atom feed": _ms(anonymous, feed, loops=LOOPS),
    }
    print(f"{'page':40} {'ms/request':>11} {'requests/s':>11}")
    for name, ms in figures.items():
        print(f"{name:40} {ms:11.2f} {1000 / ms:11.0f}")
    ok = figures["public page"] <= figures["meeting page, served from the cache"]
    print("public page at least as fast as the meeting page:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
