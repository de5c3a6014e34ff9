# ruff: noqa: F811 - the fixtures `held` and `draft` come from tests/protocols/conftest.py
"""The protocol's Word document opens in LibreOffice: converted to PDF by `soffice --headless`
(installed by .ci/run and ./alqa.sh test) and read back with pdftotext, both languages intact."""

import shutil
import subprocess

from alqa.documents.protocol import render_docx
from alqa.domain import protocols as domain


def test_the_docx_converts_to_pdf_in_libreoffice(draft, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, (
        "LibreOffice Writer is missing: .ci/run and ./alqa.sh test install libreoffice-writer-nogui"
    )
    revision = domain.current_revision(draft)
    docx = tmp_path / "protocol.docx"
    docx.write_bytes(render_docx(revision.content, language="both", body_id=draft.body_id))
    profile = tmp_path / "profile"  # its own profile: no clash with another soffice running
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "protocol.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Доступ адвокатов в ИВС" in flat
    assert "Адвокаттардың ИВС-ке кіруі" in flat
    assert "ә ғ қ ң ө ұ ү һ і" in flat
