"""What makes the first document of a process slow, done once when a worker starts.

The first print pack of a fresh process took seconds (later ones well under one): WeasyPrint's
import (its CSS and text stacks), fontconfig's scan of the fonts, and the first layout of each
face the documents use (DejaVu Serif and Sans, regular, bold and italic, Cyrillic and Kazakh
letters). `warm_documents` lays out one small page in those faces, so the first reader does not
pay for it. alqa/wsgi.py calls it in a background thread at start (ALQA_WARM_DOCUMENTS=false turns
it off); scripts/benchmark_print_pack_start.py measures it (docs/performance.md)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

logger = logging.getLogger(__name__)

# one small page in the documents' faces, a file beside the Word templates (no template engine:
# scripts/benchmark_print_pack_start.py warms a bare process with it too)
SAMPLE = (Path(__file__).parent / "templates" / "warmup.html").read_text(encoding="utf-8")


def warm_documents() -> float:
    """Lays out and writes one small PDF in the documents' faces; returns the seconds it took."""
    import time

    started = time.perf_counter()
    from weasyprint import HTML

    HTML(string=SAMPLE).write_pdf()
    return time.perf_counter() - started


def warm_in_background() -> threading.Thread:
    """warm_documents in a daemon thread: the worker answers at once, and the first print pack
    finds the work done (or waits only for what is left of it)."""

    def run() -> None:
        try:
            seconds = warm_documents()
        except Exception:  # a worker without the fonts still serves pages; the document will say why
            logger.exception("warming the document renderer failed")
        else:
            logger.info("document renderer warmed in %.2f s", seconds)

    thread = threading.Thread(target=run, name="alqa-warm-documents", daemon=True)
    thread.start()
    return thread
