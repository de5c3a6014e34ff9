"""Times the protocol's documents: a protocol of 30 questions and 30 decisions in both languages,
as PDF (the signed PDF/A-2b, both languages side by side) and as DOCX from the default template.

    uv run python scripts/benchmark_protocols.py [rounds]

Targets (docs/performance.md): PDF under 1.5 s, DOCX under 0.3 s. The content is built as data
(the form `alqa.domain.protocols.build_content` produces), so no database is needed; the first
round warms the fonts and templates and is not counted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alqa.settings_test")

import django  # noqa: E402

django.setup()

from alqa.documents.protocol import render_docx, render_pdf  # noqa: E402

RU = "Обеспечить допуск адвокатов к подзащитным в изоляторе временного содержания без задержек. "
KK = "Адвокаттардың қорғалушыларға уақытша ұстау изоляторында кідіріссіз кіруін қамтамасыз ету (ә ғ қ ң ө ұ ү һ і). "


def content(questions: int = 30) -> dict:
    members = [
        {
            "member_id": i,
            "name": f"Член группы {i}",
            "side": "police" if i % 2 else "bar",
            "role": "member",
            "position": "Адвокат",
            "present": i % 5 != 0,
        }
        for i in range(1, 17)
    ]
    return {
        "body": {
            "name_ru": "Межведомственная мониторинговая группа",
            "name_kk": "Ведомствоаралық мониторинг тобы",
            "city": "Алматы",
        },
        "number": 12,
        "year": 2026,
        "meeting_id": 1,
        "date": "2026-11-24",
        "time": "10:00",
        "kind": "regular",
        "format": "in_person",
        "place": "ДП г. Алматы, зал 3",
        "online_ground": "",
        "online_ground_note": "",
        "presiding": {"member_id": 1, "name": "Серикбаев Арман", "position": "", "side": "police"},
        "secretary": {"member_id": 2, "name": "Ахметова Динара", "position": "", "side": "police"},
        "members": members,
        "invited": [{"name": "Эксперт", "kind": "expert", "organisation": "НПО", "present": True}],
        "quorum": {
            "rule": "each_side_majority",
            "met": True,
            "sides": {
                "police": {"present": 7, "total": 8, "required": 5, "met": True},
                "bar": {"present": 6, "total": 8, "required": 5, "met": True},
            },
            "overall": {"present": 13, "total": 16, "required": 9, "met": True},
        },
        "questions": [
            {
                "item_id": q,
                "order": q,
                "title_ru": f"Вопрос {q}: доступ в ИВС",
                "title_kk": f"{q}-мәселе: ИВС-ке кіру",
                "speaker": "Исаев Тимур",
                "heard_ru": RU * 2,
                "heard_kk": KK * 2,
                "discussion_ru": RU * 4,
                "discussion_kk": KK * 4,
                "decisions": [
                    {
                        "decision_id": q,
                        "number": 1,
                        "text_ru": RU * 2,
                        "text_kk": KK * 2,
                        "executors": [
                            {
                                "name": "Следственное управление",
                                "unit_id": 1,
                                "due": "2026-12-08",
                                "working_days": 10,
                            }
                        ],
                    }
                ],
            }
            for q in range(1, questions + 1)
        ],
    }


def timed(label: str, fn, rounds: int) -> None:
    fn()  # warm-up
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(
        f"{label}: median {statistics.median(times):.3f} s, max {max(times):.3f} s, "
        f"CPU median {statistics.median(cpu):.3f} s, min {min(cpu):.3f} s, {len(data) // 1024} KiB"
    )


def main() -> None:
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    c = content()
    signatures = []
    timed(
        "PDF/A-2b, both languages",
        lambda: render_pdf(c, language="both", signatures=signatures, content_hash="0" * 64, pdf_a=True),
        rounds,
    )
    timed("PDF, Russian", lambda: render_pdf(c, language="ru"), rounds)
    timed("DOCX, both languages", lambda: render_docx(c, language="both", body_id=0), rounds)
    timed("DOCX, Kazakh", lambda: render_docx(c, language="kk", body_id=0), rounds)


if __name__ == "__main__":
    main()
