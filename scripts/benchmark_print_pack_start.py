"""The first document of a fresh process, with and without the warm-up at worker start.

    uv run python scripts/benchmark_print_pack_start.py [rounds]

Each round starts two fresh Python processes. In the cold one, a document shaped like the print
pack (its faces, Cyrillic and Kazakh letters, a grid of facts, a table of 30 questions) is laid out
and written three times: the first render pays for WeasyPrint's import, the font scan and the first
layout of each face; the later ones show the steady cost. In the warmed one,
alqa.documents.warmup.warm_documents runs first (as alqa/wsgi.py runs it when a worker starts),
then the same document is rendered. In the forked one, the warm-up runs and the process forks
before rendering, as gunicorn.conf.py warms the master and forks the workers from it: the child
renders. Prints the medians in seconds (docs/performance.md).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, %(root)r)
warm = %(warm)s
times = {}
if warm:
    from alqa.documents.warmup import warm_documents
    times["warm-up"] = warm_documents()
if %(fork)s:
    child = os.fork()
    if child:
        sys.exit(os.waitpid(child, 0)[1])
rows = "".join(
    f"<tr><td>{i}.</td><td><b>О допуске адвокатов к подзащитным, вопрос {i}</b><br>"
    f"<i>Адвокаттардың қорғалушыларға кіруі туралы, {i}-мәселе</i></td><td>Серикбаев А. Н.</td></tr>"
    for i in range(1, 31)
)
html = (
    "<html><head><style>@page { size: A4; margin: 20mm; }"
    "html { font-family: 'DejaVu Serif', 'DejaVu Sans', serif; font-size: 11pt; }"
    "dl { display: grid; grid-template-columns: max-content 1fr; gap: 1.2mm 4mm; }"
    "th { font-family: 'DejaVu Sans', sans-serif; }</style></head><body>"
    "<h1>Заседание мониторинговой группы</h1><dl><dt><b>Председательствующий</b></dt>"
    "<dd>Серикбаев Арман Нурланович</dd><dt><b>Төрағалық етуші</b></dt><dd>2027 жылғы 9 қаңтардағы</dd></dl>"
    "<table><tr><th>№</th><th>Вопрос</th><th>Докладчик</th></tr>" + rows + "</table></body></html>"
)
renders = []
for _ in range(3):
    started = time.perf_counter()
    from weasyprint import HTML
    HTML(string=html).write_pdf()
    renders.append(time.perf_counter() - started)
times["first"] = renders[0]
times["later"] = min(renders[1:])
print(json.dumps(times))
"""


def run(warm: bool, fork: bool = False) -> dict:
    code = CHILD % {"root": str(ROOT), "warm": warm, "fork": fork}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cold = [run(False) for _ in range(rounds)]
    warm = [run(True) for _ in range(rounds)]
    forked = [run(True, fork=True) for _ in range(rounds)]

    def median(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    print(f"rounds: {rounds}")
    print(f"cold process: first render {median(cold, 'first'):.2f} s, later {median(cold, 'later'):.2f} s")
    print(
        f"warmed process: warm-up {median(warm, 'warm-up'):.2f} s (at worker start), "
        f"then first render {median(warm, 'first'):.2f} s, later {median(warm, 'later'):.2f} s"
    )
    print(
        f"forked after the warm-up (gunicorn.conf.py): first render {median(forked, 'first'):.2f} s, "
        f"later {median(forked, 'later'):.2f} s"
    )


if __name__ == "__main__":
    main()
