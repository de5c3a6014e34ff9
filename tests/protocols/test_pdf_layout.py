"""What the faster PDF must keep (docs/performance.md, "Protocol documents"): the texts reach the
PDF with their white space as a reader saw it before (runs of spaces and line breaks as one space,
a no-break space kept), both languages side by side with the same line breaks, and Python's
garbage collector back on after a render."""

import copy
import gc
import subprocess

from alqa.documents import protocol as documents
from alqa.domain import protocols as domain


def _text(pdf: bytes, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_texts_reach_the_pdf_with_their_white_space_collapsed(draft):
    content = copy.deepcopy(domain.current_revision(draft).content)
    question = content["questions"][0]
    question["discussion_ru"] = "  Первая   строка\nвторая\tстрока,\u00a0ИВС  \r\n"
    question["discussion_kk"] = "Бірінші\n\nжол  және   екінші"
    lines = documents.lines(documents.columns(content, "both", []))
    (line,) = [x for x in lines if "Первая" in x.ru]
    assert line.ru == "Обсуждение: Первая строка вторая строка,\u00a0ИВС"
    assert line.kk.endswith("Бірінші жол және екінші")

    # read back from the one-language PDFs (a wide column: the phrases stay on one line)
    ru = " ".join(_text(documents.render_pdf(content, language="ru")).split())
    kk = " ".join(_text(documents.render_pdf(content, language="kk")).split())
    assert "Обсуждение: Первая строка вторая строка, ИВС" in ru
    assert "Бірінші жол және екінші" in kk


def test_a_long_text_wraps_inside_its_column_beside_its_translation(draft):
    content = copy.deepcopy(domain.current_revision(draft).content)
    question = content["questions"][0]
    question["discussion_ru"] = "Обеспечить допуск адвокатов к подзащитным без задержек. " * 6
    question["discussion_kk"] = "Адвокаттардың қорғалушыларға кідіріссіз кіруін қамтамасыз ету. " * 6
    layout = _text(documents.render_pdf(content, language="both", pdf_a=True), "-layout").splitlines()
    # the first line of each column on one row of the page, the Russian on the left
    (first,) = [row for row in layout if "Обсуждение: Обеспечить допуск" in row]
    assert first.index("Обсуждение") < first.index("Адвокаттардың қорғалушыларға")
    # each column wraps: six sentences take several rows, none of them more than two sentences
    rows = [row for row in layout if "адвокатов" in row]
    assert len(rows) >= 4 and all(row.count("адвокатов") <= 2 for row in rows)


def test_the_garbage_collector_is_back_after_a_render_and_left_off_if_it_was(draft):
    content = domain.current_revision(draft).content
    assert gc.isenabled()
    documents.render_pdf(content, language="ru")
    assert gc.isenabled()
    gc.disable()
    try:
        documents.render_pdf(content, language="kk")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_paused_while_any_render_runs():
    with documents._collector_paused():
        assert not gc.isenabled()
        with documents._collector_paused():  # a second worker thread renders meanwhile
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
