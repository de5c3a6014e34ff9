# ruff: noqa: F811 - the fixtures `held` and `draft` come from tests/protocols/conftest.py
"""The stored PDFs of a protocol are PDF/A-2b (tests/protocols/pdfa.py: no validator such as
veraPDF is installable here), with every Kazakh letter readable back; and the checks do find
what a file that is not PDF/A lacks."""

import io
import subprocess

from pypdf import PdfReader, PdfWriter

from alqa.documents.protocol import render_pdf
from alqa.domain import protocols as domain
from tests.protocols.pdfa import pdf_a_2b_problems
from tests.protocols.test_lifecycle import sign_both

KAZAKH = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_pdf_for_signing_and_the_signed_pdf_are_pdf_a_2b(draft, chair, secretary):
    revision, text_pdf = domain.signing_pdf(draft, actor=chair.user)
    assert pdf_a_2b_problems(text_pdf) == []
    sign_both(draft, chair, secretary)
    signed = bytes(domain.current_revision(draft).pdf)
    assert pdf_a_2b_problems(signed) == []
    for pdf in (text_pdf, signed):
        text = _text(pdf)
        assert all(letter in text for letter in "әғқңөұүһі"), text
        assert "Адвокаттардың ИВС-ке кіруін қамтамасыз ету" in text.replace("\n", " ")
        assert revision.content_hash in text.replace("\n", "")


def test_the_checks_find_what_a_plain_pdf_lacks(draft):
    content = domain.current_revision(draft).content
    plain = render_pdf(content, language="kk")
    assert {p.split(":")[0] for p in pdf_a_2b_problems(plain)} >= {"6.2.3", "6.6.2"}
    assert all(letter in _text(plain) for letter in "әғқңөұүһі")  # the same fonts, not PDF/A


def test_the_checks_find_an_unembedded_font_and_encryption(draft):
    content = domain.current_revision(draft).content
    pdf = render_pdf(content, language="both", content_hash="0" * 64, pdf_a=True)
    assert pdf_a_2b_problems(pdf) == []

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            del descendant["/FontDescriptor"].get_object()["/FontFile2"]
    out = io.BytesIO()
    writer.write(out)
    assert any(p.startswith("6.2.11.4.1") for p in pdf_a_2b_problems(out.getvalue()))

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert "6.1.3: the file is encrypted" in pdf_a_2b_problems(out.getvalue())
