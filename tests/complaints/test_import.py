"""Import of complaints from CSV and XLSX: all or nothing, errors by row and column in the
reader's language, the same file only once, the size limit."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alqa.domain import complaint_import
from alqa.domain.complaint_import import receive_import, run_import, start_import
from alqa.models import AuditEvent, Complaint, ComplaintImport, ImportMapping
from tests.conftest import login

HEADER = "Статья;Дата подачи;Дата решения;Подразделение;Должностное лицо;Предмет;Результат;Нарушение;Меры"
GOOD = [
    "105;10.01.2025;13.01.2025;Следственное управление;Следователь;Прекращение уголовного дела;Удовлетворена полностью;да;",
    "ст. 106;2025-02-01;2025-02-11;Отдел дознания;дознаватель;Задержание;Отказано;нет;",
    "106;05.03.2025;;Анықтау бөлімі;Прокурор;Ұстау;На рассмотрении;нет;",
]


def _csv(*lines, header=HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def _upload(body, actor, content: bytes, name="stat.csv", source="Статистика ДП"):
    return receive_import(body=body, actor=actor, upload=SimpleUploadedFile(name, content), source=source)


def _import(body, actor, content, name="stat.csv"):
    job = _upload(body, actor, content, name)
    headers, _rows = complaint_import.preview(job)
    columns = complaint_import.guess_columns(headers, {})
    start_import(job, actor=actor, columns=columns, headers=headers)
    return run_import(job.pk)


@pytest.fixture(autouse=True)
def ru():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_good_csv_is_imported_whole_with_one_audit_event(body, admin_user, district):
    job = _import(body, admin_user, _csv(*GOOD))
    assert job.status == "done", job.errors
    assert job.rows_done == 3 and Complaint.objects.count() == 3
    assert AuditEvent.objects.filter(action="complaints.imported", data__rows=3).count() == 1
    assert set(Complaint.objects.values_list("outcome", flat=True)) == {"satisfied", "refused", "pending"}
    assert not job.file  # the file is not kept


def test_the_same_file_is_not_imported_twice(body, admin_user, district):
    _import(body, admin_user, _csv(*GOOD))
    with pytest.raises(ValidationError) as refusal:
        _upload(body, admin_user, _csv(*GOOD))
    assert "it is not imported again" in refusal.value.messages[0]
    assert Complaint.objects.count() == 3


def test_an_xlsx_is_read_streamed(body, admin_user, district):
    from datetime import date

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "105",
            date(2025, 1, 10),
            date(2025, 1, 13),
            "Следственное управление",
            "Следователь",
            "Задержание",
            "Отказано",
            "нет",
            "",
        ]
    )
    sheet.append(
        [106, "11.01.2025", None, "Отдел дознания", "Прокурор", "Иное", "На рассмотрении", None, None]
    )
    out = io.BytesIO()
    book.save(out)
    job = _import(body, admin_user, out.getvalue(), name="stat.xlsx")
    assert job.status == "done", [complaint_import.error_text(e) for e in job.errors]
    assert Complaint.objects.count() == 2


def test_an_xlsx_without_declared_size_names_the_row_excel_shows(body, admin_user, district):
    """Files written in a stream (openpyxl's write-only mode, many exporters) declare no size and
    keep their text inline; an empty row counts, as in Excel."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER.split(";"))
    sheet.append(GOOD[0].split(";"))
    sheet.append([])  # row 3 left empty
    sheet.append("105;10.02.2025;11.02.2025;Отдел дознания;Прокурор;Пытки;Отказано;нет;".split(";"))
    out = io.BytesIO()
    book.save(out)
    job = _import(body, admin_user, out.getvalue(), name="stat.xlsx")
    assert job.status == "failed"
    messages = [complaint_import.error_text(e) for e in job.errors]
    assert messages == ["Row 4, column “Предмет”: The body's classifier has no such subject."]
    assert Complaint.objects.count() == 0


def test_an_import_is_audited_once_with_a_digest_of_its_rows(body, admin_user, district):
    job = _import(body, admin_user, _csv(*GOOD))
    event = AuditEvent.objects.get(action="complaints.imported")
    assert event.data["rows"] == 3 and len(event.data["rows_sha256"]) == 64
    assert event.data["sha256"] == job.sha256
    assert not AuditEvent.objects.filter(action__startswith="complaint.").exists()  # none per row


@pytest.mark.parametrize(
    ("line", "column", "text"),
    [
        (
            "105;10.01.2099;;Отдел дознания;Прокурор;Иное;На рассмотрении;нет;",
            "Дата подачи",
            "The date is in the future.",
        ),
        (
            "105;10.02.2025;01.02.2025;Отдел дознания;Прокурор;Иное;Отказано;нет;",
            "Дата решения",
            "decided before it was filed",
        ),
        (
            "105;10.02.2025;11.02.2025;Отдел кадров;Прокурор;Иное;Отказано;нет;",
            "Подразделение",
            "No police unit",
        ),
        (
            "105;10.02.2025;11.02.2025;Отдел дознания;Прокурор;Пытки;Отказано;нет;",
            "Предмет",
            "classifier has no such subject",
        ),
        (
            "105;10.02.2025;11.02.2025;Отдел дознания;Прокурор;Иное;Отказано;нет;ИИН 900101300017",
            "Меры",
            "ИИН",
        ),
        ("104;10.02.2025;11.02.2025;Отдел дознания;Прокурор;Иное;Отказано;нет;", "Статья", "105 or 106"),
        ("105;вчера;11.02.2025;Отдел дознания;Прокурор;Иное;Отказано;нет;", "Дата подачи", "Not a date"),
    ],
)
def test_one_bad_row_refuses_the_whole_file_naming_row_and_column(
    body, admin_user, district, line, column, text
):
    job = _import(body, admin_user, _csv(*GOOD, line))
    assert job.status == "failed"
    assert Complaint.objects.count() == 0
    messages = [complaint_import.error_text(e) for e in job.errors]
    assert len(messages) == 1
    assert messages[0].startswith(f"Row 5, column “{column}”:"), messages
    assert text in messages[0]
    assert "900101300017" not in str(job.errors)


def test_a_value_repeated_on_many_rows_is_checked_on_every_row(body, admin_user, district):
    """Each column remembers what a cell text meant: the same wrong date, unit and yes/no on
    several rows are named on each of those rows, and the same good row stays good."""
    bad = "105;вчера;11.02.2025;Отдел кадров;Прокурор;Иное;Отказано;может быть;"
    job = _import(body, admin_user, _csv(bad, GOOD[0], bad, GOOD[0], bad))
    assert job.status == "failed" and Complaint.objects.count() == 0
    columns = ("Дата подачи", "Подразделение", "Нарушение")
    assert sorted((e["row"], e["column"]) for e in job.errors) == [
        (row, column) for row in (2, 4, 6) for column in sorted(columns)
    ]
    good = _import(body, admin_user, _csv(GOOD[0], GOOD[0].replace("10.01", "11.01"), GOOD[0]))
    assert good.status == "done" and Complaint.objects.count() == 3


def test_errors_are_read_in_the_readers_language(client, body, secretary, district, waive_mfa):
    job = _import(
        body, secretary.user, _csv("105;10.01.2099;;Отдел дознания;Прокурор;Иное;На рассмотрении;нет;")
    )
    login(client, secretary, language="kk")
    page = client.get(f"/complaint-imports/{job.pk}/").content.decode()
    assert "2-жол, «Дата подачи» бағаны: Бұл күн әлі келген жоқ." in page


@pytest.mark.parametrize(
    ("language", "help_text"),
    [("ru", "строке — названия столбцов"), ("kk", "бірінші жолда — бағандардың атаулары")],
)
def test_the_upload_page_says_which_files_in_the_readers_language(
    client, body, secretary, waive_mfa, language, help_text
):
    """The file field is made once, with its form class; its help is read when the page is drawn."""
    login(client, secretary, language=language)
    assert help_text in client.get(f"/bodies/{body.pk}/complaints/import/").content.decode()


def test_a_missing_column_is_named(body, admin_user, district):
    job = _upload(body, admin_user, _csv(*GOOD))
    headers, _rows = complaint_import.preview(job)
    with pytest.raises(ValidationError) as refusal:
        start_import(job, actor=admin_user, columns={"article": "Статья"}, headers=headers)
    assert "filed_on" in refusal.value.message_dict


def test_a_damaged_or_foreign_file_is_refused_at_once(body, admin_user, district):
    with pytest.raises(ValidationError):
        _upload(body, admin_user, b"PK\x03\x04 truncated", name="stat.xlsx")
    with pytest.raises(ValidationError):
        _upload(body, admin_user, b"%PDF-1.4", name="stat.pdf")
    assert not ComplaintImport.objects.exists()


def test_an_oversized_file_is_refused_with_its_size(body, admin_user, district, monkeypatch):
    monkeypatch.setattr(complaint_import, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(ValidationError) as refusal:
        _upload(body, admin_user, _csv(*GOOD * 10))
    assert "files of up to 0 MB" in refusal.value.messages[0]


def test_the_mapping_is_kept_per_source_and_offered_again(body, admin_user, district):
    header = "A;B;C;D;E;F;G;H;I"
    job = _upload(body, admin_user, _csv(*GOOD, header=header))
    headers, _rows = complaint_import.preview(job)
    columns = dict(zip([f for f, _r in complaint_import.IMPORT_FIELDS], headers, strict=True))
    start_import(job, actor=admin_user, columns=columns, headers=headers)
    assert run_import(job.pk).status == "done"
    assert ImportMapping.objects.get(body=body, source="Статистика ДП").columns == columns
    assert (
        complaint_import.guess_columns(headers, complaint_import.saved_columns(body, "Статистика ДП"))
        == columns
    )


def test_a_worker_killed_mid_import_leaves_nothing_and_the_import_is_taken_up_again(
    body, admin_user, district
):
    job = _upload(body, admin_user, _csv(*GOOD))
    headers, _rows = complaint_import.preview(job)
    start_import(job, actor=admin_user, columns=complaint_import.guess_columns(headers, {}), headers=headers)
    # the worker claimed it and died before its transaction committed
    ComplaintImport.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert Complaint.objects.count() == 0
    assert complaint_import.stale_imports() == [job.pk]
    assert run_import(job.pk).status == "done"
    assert Complaint.objects.count() == 3


def test_the_import_pages_upload_map_and_show_the_result(client, body, secretary, district, waive_mfa):
    login(client, secretary)
    response = client.post(
        f"/bodies/{body.pk}/complaints/import/",
        {"file": SimpleUploadedFile("stat.csv", _csv(*GOOD)), "source": "Статистика ДП"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Следственное управление" in page  # the preview
    job = ComplaintImport.objects.get()
    headers, _rows = complaint_import.preview(job)
    columns = complaint_import.guess_columns(headers, {})
    done = client.post(response["Location"], columns, follow=True).content.decode()
    assert "3 complaints imported." in done
    assert Complaint.objects.count() == 3


_NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _workbook(sheet_data: str, strings: list[str], doctype: str = "") -> bytes:
    """An XLSX as Excel writes it (shared strings, a date style, a namespace prefix), by hand."""
    import zipfile

    shared = "".join(strings)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types '
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<?xml version="1.0"?><x:workbook {_NS} {_R}><x:sheets>'
        '<x:sheet name="Жалобы" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/data.xml"/></Relationships>',
        "xl/styles.xml": f'<?xml version="1.0"?><x:styleSheet {_NS}><x:cellXfs count="2">'
        '<x:xf numFmtId="0"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><x:sst {_NS}>{shared}</x:sst>',
        "xl/worksheets/data.xml": f'<?xml version="1.0"?>{doctype}<x:worksheet {_NS}>'
        f"<x:sheetData>{sheet_data}</x:sheetData></x:worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return out.getvalue()


def _si(text: str) -> str:
    return f"<x:si><x:t>{text}</x:t></x:si>"


def test_an_excel_workbook_is_read_as_excel_shows_it(body, admin_user, district):
    """Shared strings (one in two runs with a phonetic guide), a date style, a cell left out, a
    row left out, an inline string, a flag, entities: the values Excel shows, in their columns."""
    from datetime import datetime

    from alqa.domain.xlsx_stream import xlsx_rows

    header = [_si(h) for h in HEADER.split(";")]
    strings = [
        *header,
        "<x:si><x:r><x:t>Следственное </x:t></x:r><x:r><x:t>управление</x:t></x:r>"
        "<x:rPh sb='0' eb='1'><x:t>ЗЗЗ</x:t></x:rPh></x:si>",
        _si("Следователь"),
        _si("Задержание"),
        _si("Отказано"),
        _si("ст. 106 &amp; &#1072;"),
    ]
    head = "".join(f'<x:c r="{"ABCDEFGHI"[i]}1" t="s"><x:v>{i}</x:v></x:c>' for i in range(9))
    data = (
        f'<x:row r="1">{head}</x:row>'
        '<x:row r="2"><x:c r="A2"><x:v>105</x:v></x:c><x:c r="B2" s="1"><x:v>45667</x:v></x:c>'
        '<x:c r="C2" s="1"><x:v>45670</x:v></x:c><x:c r="D2" t="s"><x:v>9</x:v></x:c>'
        '<x:c r="E2" t="s"><x:v>10</x:v></x:c><x:c r="F2" t="s"><x:v>11</x:v></x:c>'
        '<x:c r="G2" t="s"><x:v>12</x:v></x:c><x:c r="H2" t="b"><x:v>0</x:v></x:c></x:row>'
        '<x:row r="4"><x:c r="A4" t="s"><x:v>13</x:v></x:c>'
        '<x:c r="B4" t="inlineStr"><x:is><x:t>01.02.2025</x:t></x:is></x:c>'
        '<x:c r="C4" t="str"><x:v>2025-02-11</x:v></x:c><x:c r="D4" t="s"><x:v>9</x:v></x:c>'
        '<x:c r="E4" t="s"><x:v>10</x:v></x:c><x:c r="F4" t="s"><x:v>11</x:v></x:c>'
        '<x:c r="G4" t="s"><x:v>12</x:v></x:c><x:c r="I4" t="inlineStr"><x:is><x:r><x:t>'
        "a &lt;b&gt;</x:t></x:r></x:is></x:c></x:row>"
    )
    content = _workbook(data, strings)
    rows = list(xlsx_rows(io.BytesIO(content)))
    assert rows == [
        HEADER.split(";"),
        [105, datetime(2025, 1, 10), datetime(2025, 1, 13), "Следственное управление", "Следователь"]
        + ["Задержание", "Отказано", False],
        [],
        ["ст. 106 & а", "01.02.2025", "2025-02-11", "Следственное управление", "Следователь"]
        + ["Задержание", "Отказано", None, "a <b>"],
    ]
    job = _import(body, admin_user, content, name="stat.xlsx")
    messages = [complaint_import.error_text(e) for e in job.errors]
    assert messages == ["Row 4, column “Статья”: The article must be 105 or 106."]
    job = _import(body, admin_user, _workbook(data, [*strings[:-1], _si("ст. 106")]), name="stat.xlsx")
    assert job.status == "done", [complaint_import.error_text(e) for e in job.errors]
    assert sorted(Complaint.objects.values_list("article", "filed_on", "decided_on", "measures")) == [
        ("105", date(2025, 1, 10), date(2025, 1, 13), ""),
        ("106", date(2025, 2, 1), date(2025, 2, 11), "a <b>"),
    ]


def test_a_sheet_declaring_entities_is_refused_unread(body, admin_user, district):
    """A workbook's XML has no DOCTYPE; one that declares entities (a billion laughs, a file of
    the server's) is refused as unreadable, nothing expanded."""
    doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    row = '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>&b;</x:t></x:is></x:c></x:row>'
    with pytest.raises(ValidationError) as refusal:
        _upload(body, admin_user, _workbook(row, [], doctype=doctype), name="stat.xlsx")
    assert "cannot be read as XLSX or CSV" in refusal.value.messages[0]
    assert not ComplaintImport.objects.exists()


def test_measures_with_tabs_line_ends_and_backslashes_are_stored_as_written(body, admin_user, district):
    """PostgreSQL takes the rows as COPY text: the measures' special characters are escaped."""
    measures = "Выговор\tследователю \\ п. 2\r\nпредставление прокурора \\N"
    line = GOOD[0].rsplit(";", 1)[0] + ';"' + measures + '"'
    job = _import(body, admin_user, _csv(line, GOOD[1]))
    assert job.status == "done", [complaint_import.error_text(e) for e in job.errors]
    assert sorted(Complaint.objects.values_list("measures", flat=True)) == ["", measures]
