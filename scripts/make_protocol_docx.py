"""Writes the default Word template of protocols, alqa/documents/templates/protocol.docx.

Run it again after changing the layout: `uv run python scripts/make_protocol_docx.py`. The tags are
docxtpl's (Jinja): `rows` is a list of `{"ru": block, "kk": block}` (see alqa/documents/protocol.py);
each block arrives as rich text (bold for titles and headings, one line per list item).
An administrator may replace the file per body with one of their own using the same tags.
"""

from pathlib import Path

from docx import Document
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "alqa" / "documents" / "templates" / "protocol.docx"


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Serif"
    style.font.size = Pt(11)
    doc.add_paragraph("{%p if both %}")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for row in rows %}"
    table.cell(1, 0).text = "{{r row.ru }}"
    table.cell(1, 1).text = "{{r row.kk }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{%p for row in rows %}")
    doc.add_paragraph("{{r row.ru }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{% if content_hash %}SHA-256: {{ content_hash }}{% endif %}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))
    print(OUT)


if __name__ == "__main__":
    main()
