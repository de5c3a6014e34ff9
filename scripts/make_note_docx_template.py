"""Writes alqa/documents/templates/complaint_note.docx, the Word template of the generalisation
note (docxtpl tags; see alqa/documents/complaint_note.py for what they read). Run it again after
changing the layout here; the file is tracked. A body may lay the note out its own way by editing
the generated file in Word, keeping the tags."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "alqa" / "documents" / "templates" / "complaint_note.docx"


def table(doc, header: list[str], cells: list[str], loop: str) -> None:
    grid = doc.add_table(rows=4, cols=len(header))
    grid.style = "Table Grid"
    for i, text in enumerate(header):
        grid.rows[0].cells[i].text = text
    grid.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for i, text in enumerate(cells):
        grid.rows[2].cells[i].text = text
    grid.rows[3].cells[0].text = "{%tr endfor %}"


def main() -> None:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    doc.add_paragraph("{{ body_name }}")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.bold = True
    run.font.size = Pt(14)
    doc.add_paragraph("{{ period }}")
    doc.add_heading("{{ labels.figures }}", level=2)
    doc.add_paragraph("{%p for line in summary %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for chart in charts %}")
    doc.add_heading("{{ chart.title }}", level=2)
    table(
        doc,
        ["{{ chart.title }}", "{{ labels.complaints }}", "{{ labels.satisfied }}", ""],
        ["{{ bar.label }}", "{{ bar.count }}", "{{ bar.satisfied }}", "{{ bar.bar }}"],
        "bar in chart.bars",
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("{{ labels.quarters }}", level=2)
    table(
        doc,
        ["{{ labels.quarter }}", "{{ labels.complaints }}", "{{ labels.change }}"],
        ["{{ q.label }}", "{{ q.count }}", "{{ q.change }}"],
        "q in quarters",
    )
    doc.add_paragraph("{%p for part in parts %}")
    doc.add_heading("{{ part.heading }}", level=2)
    doc.add_paragraph("{{r part.text }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ approval }}")
    doc.save(OUT)


if __name__ == "__main__":
    main()
