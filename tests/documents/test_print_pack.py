"""The print pack, read back with pypdf: one numbered copy per expected participant (clause 3.3)."""

import io
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from alqa.documents.print_pack import _fetcher, expected_participants, render_print_pack
from alqa.domain.bodies import add_guest
from alqa.domain.meetings import add_agenda_item, approve_agenda, invite_guest
from alqa.domain.proposals import accept_proposal, submit_proposal
from tests.conftest import make_member
from tests.documents.helpers import docx_bytes, members, pdf_with_text, png_bytes, schedule, upload

KAZAKH_LETTERS = "әғқңөұүһі"
MEMO_KK = "Ұсыныс: қорғаушының уақытша ұстау изоляторына кедергісіз кіруі, ғимарат, өкілдер, үкім, жаңа тәртіп, Һ әрпі."
MEMO_RU = "Справка-обоснование: адвокаты ожидают допуска к подзащитным в ИВС более двух часов."
ATTACHED = "Текст вложенного документа: статистика обращений"


def _copies(pdf: bytes, language: str) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def _label(language: str, n: int, m: int) -> str:
    with translation.override(language):
        return translation.gettext("Copy %(n)s of %(m)s") % {"n": n, "m": m}


def _page_label(language: str, k: int, p: int) -> str:
    with translation.override(language):
        return translation.gettext("Page %(k)s of %(p)s") % {"k": k, "p": p}


def _split(texts: list[str], copies: int) -> list[str]:
    per_copy = len(texts) // copies
    assert per_copy * copies == len(texts)
    return ["\n".join(texts[i * per_copy : (i + 1) * per_copy]) for i in range(copies)]


@pytest.fixture
def prepared(body, admin_user, chair, secretary, member):
    """A meeting with an approved agenda: three proposals (Russian memo with an attached PDF,
    PNG and DOCX; Kazakh memo only; both languages), an agenda item of the secretary's own; the
    members and one invited expert are invited."""
    others = members(body, admin_user, police=2, bar=2)
    meeting = schedule(body, actor=secretary.user, presiding=chair)
    p1 = submit_proposal(
        body=body,
        author=member,
        actor=member.user,
        title_ru="О доступе адвокатов в ИВС",
        memo_ru=MEMO_RU,
        files=[
            upload("statistika.pdf", pdf_with_text(ATTACHED), "application/pdf"),
            upload("photo.png", png_bytes(), "image/png"),
            upload(
                "poyasnenie.docx",
                docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ],
    )
    p2 = submit_proposal(
        body=body,
        author=others[0],
        actor=others[0].user,
        title_kk="Қорғаушының құқықтары туралы",
        memo_kk=MEMO_KK,
    )
    p3 = submit_proposal(
        body=body,
        author=others[2],
        actor=others[2].user,
        title_ru="О сроках уведомления",
        title_kk="Хабарлау мерзімдері туралы",
        memo_ru="Русский текст справки о сроках.",
        memo_kk="Мерзімдер туралы анықтаманың қазақша мәтіні.",
    )
    for p in (p1, p2, p3):
        accept_proposal(p, meeting=meeting, actor=secretary.user, decider=secretary)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Разное", title_kk="Әртүрлі")
    expert = add_guest(
        body=body,
        actor=secretary.user,
        full_name="Ермекова Лаура",
        email="expert@alqa.test",
        position="Доцент",
    )
    invite_guest(meeting, guest=expert, actor=secretary.user)
    approve_agenda(meeting, actor=chair.user)
    return meeting


def test_one_numbered_copy_per_invited_participant(prepared):
    people = expected_participants(prepared)
    assert len(people) == 3 + 4 + 1  # chair, secretary, member; four others; the expert
    assert people[-1].name == "Ермекова Лаура"
    pdf = render_print_pack(prepared, language="ru")
    reader, texts = _copies(pdf, "ru")
    copies = _split(texts, len(people))
    per_copy = len(texts) // len(people)
    assert len(reader.outline) == len(people)
    for n, (person, text) in enumerate(zip(people, copies, strict=True), start=1):
        assert f"{_label('ru', n, len(people))} — {person.name}" in text
        assert _page_label("ru", 1, per_copy) in text and _page_label("ru", per_copy, per_copy) in text
        for title in (
            "О доступе адвокатов в ИВС",
            "Қорғаушының құқықтары туралы",
            "О сроках уведомления",
            "Разное",
        ):
            assert title in text
        assert "Справка-обоснование: адвокаты ожидают допуска" in text
        assert "Русский текст справки о сроках." in text  # Russian chosen where both exist
        assert "статистика обращений" in text  # the attached PDF's own page, in every copy
        assert "poyasnenie.docx" in text and "photo.png" in text
        assert "Серикбаев Арман" in text  # presiding
        assert "ДП г. Алматы, зал 3" in text
        assert "10:00" in text
    # The cover's agenda lists the items in order, with their speakers.
    cover = texts[0]
    assert (
        cover.index("О доступе адвокатов")
        < cover.index("Қорғаушының")
        < cover.index("О сроках")
        < cover.index("Разное")
    )
    assert "Исаев Тимур" in cover
    # Every copy is one whole set: the attached page follows the first memo in each copy.
    first_copy = texts[:per_copy]
    memo_page = next(i for i, t in enumerate(first_copy) if "Справка-обоснование" in t)
    assert "статистика обращений" in first_copy[memo_page + 1]


def test_kazakh_pack_keeps_kazakh_letters_and_falls_back_to_russian(prepared):
    pdf = render_print_pack(prepared, language="kk")
    _reader, texts = _copies(pdf, "kk")
    people = expected_participants(prepared)
    first = _split(texts, len(people))[0]
    assert MEMO_KK.split(",")[0] in first
    assert "Мерзімдер туралы анықтаманың қазақша мәтіні." in first  # Kazakh chosen where both exist
    assert "Русский текст справки о сроках." not in first
    assert "Хабарлау мерзімдері туралы" in first  # the Kazakh title of the agenda item
    assert MEMO_RU in first.replace("\n", " ")  # no Kazakh memo: the Russian one is printed
    for letter in KAZAKH_LETTERS:
        assert letter in first.lower(), letter
    assert _label("kk", 1, len(people)) in first


def test_without_invitations_members_in_office_and_invited_participants_get_copies(
    body, admin_user, chair, secretary, member
):
    make_member(body, admin_user, email="left@alqa.test", name="Ушедший Член", active_to=date(2026, 1, 1))
    meeting = schedule(body, actor=secretary.user, presiding=chair)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Отчёт по плану")
    guest = add_guest(body=body, actor=secretary.user, full_name="Жаксылыков Айдар", email="")
    invite_guest(meeting, guest=guest, actor=secretary.user)
    names = [p.name for p in expected_participants(meeting)]
    assert sorted(names) == sorted(["Серикбаев Арман", "Ахметова Динара", "Исаев Тимур", "Жаксылыков Айдар"])
    pdf = render_print_pack(meeting, language="en")
    _reader, texts = _copies(pdf, "en")
    assert len(texts) == 4  # one cover page per copy: no memos
    assert "Draft agenda: not yet approved by the presiding person." in texts[0]
    assert "Copy 4 of 4 — Жаксылыков Айдар" in texts[3]
    assert "Ушедший Член" not in "".join(texts)


def test_broken_files_are_listed_not_printed(body, admin_user, chair, secretary, member):
    """Files pass the upload check by their first bytes; a broken body does not stop the pack."""
    meeting = schedule(body, actor=secretary.user, presiding=chair)
    files = [
        upload("broken.pdf", b"%PDF-1.7 not really", "application/pdf"),
        upload("broken.png", png_bytes()[:20] + b"garbage", "image/png"),
    ]
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Предложение", memo_ru="Текст", files=files
    )
    accept_proposal(proposal, meeting=meeting, actor=secretary.user, decider=secretary)
    _reader, texts = _copies(render_print_pack(meeting, language="en"), "en")
    assert len(texts) == 3 * 2
    assert "broken.pdf — not printed: the file could not be read as a PDF" in texts[1]
    assert "broken.png — shown below" in texts[1]


def test_printing_fetches_nothing_but_files_under_media(settings, tmp_path):
    inside = tmp_path / "media" / "a.png"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(png_bytes())
    outside = tmp_path / "secret.png"
    outside.write_bytes(png_bytes())
    fetcher = _fetcher([tmp_path / "media"])
    assert fetcher.fetch(inside.as_uri()).read() == png_bytes()
    for url in (
        "http://127.0.0.1/x.png",
        "https://cdn.example.com/font.woff",
        outside.as_uri(),
        (tmp_path / "media" / ".." / "secret.png").as_uri(),
        "data:image/png;base64,AAAA",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_fifteen_participants_five_memos_in_reasonable_time(body, admin_user, chair, secretary, member):
    others = members(body, admin_user, police=6, bar=6)
    meeting = schedule(body, actor=secretary.user, presiding=chair)
    long_memo = "\n\n".join(f"{n}. {MEMO_RU} {MEMO_KK}" for n in range(1, 25))
    for n, author in enumerate(others[:5], start=1):
        files = (
            [upload(f"annex{n}.pdf", pdf_with_text(f"Приложение {n}", ATTACHED), "application/pdf")]
            if n % 2
            else []
        )
        p = submit_proposal(
            body=body,
            author=author,
            actor=author.user,
            title_ru=f"Предложение номер {n}",
            memo_ru=long_memo,
            files=files,
        )
        accept_proposal(p, meeting=meeting, actor=secretary.user, decider=secretary)
    approve_agenda(meeting, actor=chair.user)
    assert len(expected_participants(meeting)) == 15
    pdf = render_print_pack(meeting, language="ru")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) % 15 == 0
    per_copy = len(reader.pages) // 15
    last = "\n".join(p.extract_text() for p in reader.pages[-per_copy:])
    assert _label("ru", 15, 15) in last and "Предложение номер 5" in last and "Приложение 5" in last


def test_attached_pages_keep_their_size_and_carry_the_marks(body, admin_user, chair, secretary, member):
    """A landscape A5 page and a page turned by /Rotate: printed upright in their own size, the
    copy and page marks inside the page."""
    meeting = schedule(body, actor=secretary.user, presiding=chair)
    files = [
        upload("landscape.pdf", pdf_with_text("Альбомная страница", page="A5 landscape"), "application/pdf"),
        upload("turned.pdf", pdf_with_text("Повёрнутая страница", rotate=90), "application/pdf"),
    ]
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Предложение", memo_ru="Текст", files=files
    )
    item = accept_proposal(proposal, meeting=meeting, actor=secretary.user, decider=secretary)
    add_agenda_item(meeting, actor=secretary.user, title_ru="Второй вопрос")
    reader = PdfReader(io.BytesIO(render_print_pack(meeting, language="en")))
    assert len(reader.pages) == 3 * 4  # cover, memo, two attached pages; three members
    assert item.order == 1
    for n in range(3):
        cover, memo, landscape, turned = reader.pages[n * 4 : (n + 1) * 4]
        assert "Альбомная страница" in landscape.extract_text()
        assert "Повёрнутая страница" in turned.extract_text()
        assert (round(float(landscape.mediabox.width)), round(float(landscape.mediabox.height))) == (595, 420)
        assert turned.rotation == 0 and float(turned.mediabox.width) > float(turned.mediabox.height)
        for k, page in enumerate((cover, memo, landscape, turned), start=1):
            positions = []

            def visit(text, cm, tm, font, size, positions=positions):
                if "Copy" in text or "Page" in text:
                    positions.append((text.strip(), cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))

            text = page.extract_text(visitor_text=visit)
            assert f"Copy {n + 1} of 3" in text and f"Page {k} of 4" in text
            box = page.mediabox
            assert positions and all(
                float(box.left) <= x <= float(box.right) and float(box.bottom) <= y <= float(box.top)
                for _t, x, y in positions
            ), positions
