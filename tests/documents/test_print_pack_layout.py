"""The print pack's facts (issue 9, point 7): a label never prints over its value. The label
column takes the width of its longest label («Председательствующий», «Төрағалық етуші»)."""

import re
import subprocess

import pytest
from django.utils import translation

from alqa.documents.print_pack import render_print_pack
from alqa.domain.meetings import add_agenda_item
from tests.helpers import meeting_in

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def _words(pdf: bytes, tmp_path) -> list[tuple[float, float, float, str]]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(float(x0), float(y0), float(x1), text) for x0, y0, x1, text in WORD.findall(out)]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_presiding_label_does_not_print_over_the_name(body, secretary, chair, tmp_path, language):
    meeting = meeting_in(body, secretary, chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    with translation.override(language):
        label = translation.gettext("Presiding")
    words = _words(render_print_pack(meeting, language=language), tmp_path)
    surname = chair.full_name.split()[0]
    for x0, y, _x1, _text in [w for w in words if w[3].startswith(surname)]:
        line = [w for w in words if abs(w[1] - y) < 3 and w[0] < x0]
        if " ".join(w[3] for w in line) == label:
            assert all(w[2] < x0 for w in line), f"the label {line} runs into the name at {x0}"
            return
    pytest.fail(f"no line «{label} {chair.full_name}» on the first page")
