"""A web worker does not load the heavy libraries of documents, workbooks and e-signatures until
a request needs them (issue #11: a worker's memory), and gunicorn.conf.py forks the workers from a
master that has finished loading."""

import gc
import os
import runpy
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Imported only inside the functions that read or write such files: a top-level import of any of
# them in a module the URL configuration reaches puts it (some 10-30 MB each) in every worker.
LAZY = (
    "weasyprint",  # PDF (print pack, reports, notes): warmed at worker start, not imported by it
    "openpyxl",  # XLSX exports and the complaints' import (alqa/domain/xlsx_stream.py)
    "lxml",
    "PIL",
    "numpy",  # openpyxl's optional numbers
    "docx",  # DOCX (letters, visit reports)
    "docxtpl",  # DOCX from templates (protocols, notes)
    "pypdf",  # print pack, uploaded PDFs
    "asn1crypto",  # e-signatures (alqa/domain/esign.py)
    "cryptography.x509",  # trusted roots and revocation lists (alqa/domain/trusted_roots.py)
    "snowballstemmer",  # the search's Russian stems (alqa/stems.py)
)

CHILD = """
import sys
import alqa.wsgi
from django.urls import get_resolver
get_resolver().reverse_dict  # every view and the API, as a worker's first request loads them
print(" ".join(name for name in sys.argv[1:] if name in sys.modules))
"""


def _loaded_by_a_worker(warm: str) -> list[str]:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "alqa.settings_test",
        "PYTHONPATH": str(ROOT),
        "ALQA_WARM_DOCUMENTS": warm,
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *LAZY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return done.stdout.split()


def test_a_worker_loads_no_document_library_until_a_request_needs_one():
    assert _loaded_by_a_worker("false") == []


def test_the_print_warm_up_is_what_loads_weasyprint():
    # the same check sees a library that is loaded: the warm-up thread imports WeasyPrint at once
    assert "weasyprint" in _loaded_by_a_worker("true")


@pytest.mark.django_db(transaction=True)  # a connection outside a test's transaction, to be closed
def test_the_gunicorn_master_finishes_loading_before_it_forks():
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert hooks["preload_app"] is True and hooks["workers"] == 3 and hooks["bind"] == "127.0.0.1:8000"
    finished = threading.Event()
    warm_up = threading.Thread(
        target=lambda: finished.wait(0.5) or finished.set(), name="alqa-warm-documents"
    )
    warm_up.start()
    connection.ensure_connection()
    try:
        hooks["when_ready"](None)
        # the warm-up thread was waited for, the connection closed, the loaded objects frozen
        assert finished.is_set() and not warm_up.is_alive()
        assert connection.connection is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
