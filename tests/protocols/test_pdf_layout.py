"""What the faster PDF must keep (docs/performance.md, "Protocol documents"): the texts reach the
PDF with their white space as a reader saw it before (runs of spaces and line breaks as one space,
a no-break space kept), both languages side by side with the same line breaks, and Python's
garbage collector back on after a render."""

import copy
import gc
import re
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


def _cells(html: str) -> list:
    """The table cells of the laid-out document, page by page (split cells once per page)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    found = []

    def walk(box):
        if isinstance(box, boxes.TableCellBox):
            found.append(box)
        for child in getattr(box, "children", []):
            walk(child)

    for page in HTML(string=html).render().pages:
        walk(page._page_box)
    return found


def _cell_text(cell) -> str:
    return "".join(box.text for box in cell.descendants() if hasattr(box, "text"))


def test_the_kazakh_column_is_laid_out_in_kazakh_and_its_cells_share_their_styles(draft):
    """The Kazakh cells carry their language by a class (`-weasy-lang`), not a `lang` attribute,
    so that WeasyPrint computes one style for all of them instead of one per cell
    (docs/performance.md): the text is still shaped and broken as Kazakh, the Russian as Russian."""
    content = domain.current_revision(draft).content
    html = documents.document_html(content, language="both", content_hash="0" * 64)
    assert 'lang="kk"' not in html
    cells = _cells(html)
    kk = [c for c in cells if "Адвокаттардың ИВС-ке кіруін қамтамасыз ету" in _cell_text(c)]
    ru = [c for c in cells if "Обеспечить доступ адвокатов в ИВС" in _cell_text(c)]
    assert kk and ru
    assert {c.style["lang"] for c in kk} == {"kk"} and {c.style["lang"] for c in ru} == {"ru"}
    # the line boxes inside take the cell's language too: Pango lays the text out as Kazakh
    assert {b.style["lang"] for c in kk for b in c.descendants() if hasattr(b, "text")} == {"kk"}
    # every Kazakh paragraph cell (and every Russian one) has the same computed style object
    paras = [c for c in cells if c.element.get("class", "").split()[0] == "para"]
    kk_paras = [c for c in paras if "kk" in c.element.get("class", "").split()]
    assert len(kk_paras) >= 3
    assert len({id(c.style) for c in kk_paras}) == 1
    assert len({id(c.style) for c in paras if c not in kk_paras}) == 1


def test_the_pages_are_the_ones_a_lang_attribute_gave(draft, tmp_path):
    """The class and the `lang` attribute print the same pages, Kazakh letters included."""
    content = domain.current_revision(draft).content
    html = documents.document_html(content, language="both", content_hash="0" * 64)
    with_attribute = re.sub(r'class="(\w+) kk"', r'class="\1" lang="kk"', html)
    assert with_attribute.count('lang="kk"') == html.count(' kk"') > 10
    from weasyprint import HTML

    pages = {}
    for name, source in (("class", html), ("attribute", with_attribute)):
        (tmp_path / f"{name}.pdf").write_bytes(HTML(string=source).write_pdf(pdf_variant="pdf/a-2b"))
        subprocess.run(
            ["pdftoppm", "-r", "50", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True
        )
        pages[name] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.png"))]
    assert pages["class"] and pages["class"] == pages["attribute"]
