"""The print pack of a meeting: the agenda and every memo, one numbered set per expected participant.

Clause 3.3: proposals are submitted as a written justification memo «с копиями по числу участников
совещания». The pack is one PDF holding, for each expected participant, a copy of the set: the
cover with the meeting and its agenda, then each proposal's memo followed by the pages of the PDF
files attached to it (or to its agenda item). Every page carries «Copy N of M — name» at the top
and «Page k of P» (within the copy) at the bottom.

How it is built, and why so. WeasyPrint's cost grows with the pages it lays out, and it cannot lay
out the attached PDFs' pages at all, so:

1. WeasyPrint lays out one set (cover and memos) once, without any copy marks;
2. pypdf inserts each attached PDF's pages after the memo they belong to;
3. WeasyPrint lays out the marks once, as tiny pages: one header per copy and one footer per page
   of the set (M + P pages, not M × P);
4. pypdf writes the set M times; each page gets its copy's header and its footer drawn over it as
   form XObjects. The pages' own content, fonts and images are shared by all copies, not repeated,
   so the file stays small and no content stream is parsed or re-encoded.

Nothing is fetched from the network: the only URLs WeasyPrint may open are the images attached to
the meeting's proposals, as files under MEDIA_ROOT.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alqa.domain.meetings import meeting_day
from alqa.enums import MeetingFormat, MeetingStatus, Role, Side
from alqa.models import AgendaItem, Attachment, Guest, Meeting, Member

log = logging.getLogger(__name__)

ALMATY = ZoneInfo("Asia/Almaty")
PDF = "application/pdf"
IMAGES = ("image/png", "image/jpeg")
# An attached PDF longer than this is listed, not printed in every copy.
MAX_ATTACHED_PAGES = 100
HEAD = "/AlqaCopyMark"
FOOT = "/AlqaPageMark"


@dataclass(frozen=True)
class Participant:
    name: str


@dataclass
class AttachedFile:
    attachment: Attachment
    kind: str  # "pdf", "image" or "other"
    pages: list = field(default_factory=list)  # pypdf pages to append after the memo
    problem: str = ""  # why a PDF is not appended
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.attachment.name


@dataclass
class Section:
    """One agenda item with its memo and/or files: starts on a new page of the set."""

    item: AgendaItem
    anchor: str
    memo: str = ""
    memo_language: str = ""
    fallback_note: str = ""  # said when the memo is not in the language of the pack
    files: list[AttachedFile] = field(default_factory=list)

    @property
    def images(self) -> list[AttachedFile]:
        return [f for f in self.files if f.kind == "image" and f.path is not None]

    @property
    def appended(self) -> list[AttachedFile]:
        return [f for f in self.files if f.pages]


# --- who gets a copy ----------------------------------------------------------------------


def expected_participants(meeting: Meeting) -> list[Participant]:
    """The invited members (once the agenda went out), otherwise the members in office on the
    meeting day; then the invited participants (experts, public representatives). Leaders first,
    then the police side and the bar side, each by name."""
    invited_members = Member.objects.filter(invitations__meeting=meeting)
    members = (
        invited_members
        if invited_members.exists()
        else Member.objects.filter(body=meeting.body).on(meeting_day(meeting))
    )
    rank: dict[str, int] = {Role.CHAIR: 0, Role.DEPUTY_CHAIR: 1, Role.SECRETARY: 2}
    sides: dict[str, int] = {Side.POLICE: 0, Side.BAR: 1}
    ordered = sorted(members, key=lambda m: (rank.get(m.role, 3), sides.get(m.side, 2), m.full_name, m.pk))
    people = [Participant(m.full_name) for m in ordered]
    guests = Guest.objects.filter(invitations__meeting=meeting).order_by("full_name", "pk")
    people += [Participant(g.full_name) for g in guests]
    return people


# --- the set ------------------------------------------------------------------------------


class _LocalFilesOnly:
    """A WeasyPrint URL fetcher that opens files under the allowed folders and nothing else."""

    def __init__(self, roots: list[Path]):
        self.roots = [r.resolve() for r in roots]

    def allowed(self, url: str) -> Path | None:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            return None
        return path


def _fetcher(roots: list[Path]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    guard = _LocalFilesOnly(roots)

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = guard.allowed(url)
            if path is None:
                raise ValueError(f"Alqa does not fetch {url[:80]!r} while printing")
            return URLFetcherResponse(path.as_uri(), path.read_bytes())

    return Fetcher(allowed_protocols=["file"], allow_redirects=False)


def _attached_pdf(attachment: Attachment, path: Path | None) -> tuple[list, str]:
    """The pages of an attached PDF, checked by reading and writing them once; or why not."""
    from pypdf import PdfReader, PdfWriter

    if path is None:
        return [], _("the file is missing from the storage")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return [], _("the file is protected by a password")
        count = len(reader.pages)
        if count == 0:
            return [], _("the file has no pages")
        if count > MAX_ATTACHED_PAGES:
            return [], _("%(n)s pages: too long to print in every copy, print it once") % {"n": count}
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            if added.rotation:  # upright, so that the marks are drawn the way the page reads
                added.transfer_rotation_to_content()
        buffer = io.BytesIO()
        writer.write(buffer)
        return list(PdfReader(buffer).pages), ""
    except Exception:  # pypdf raises many kinds for a broken file; the pack is printed without it
        log.warning("Attachment %s is not printed: not a readable PDF", attachment.pk, exc_info=True)
        return [], _("the file could not be read as a PDF")


def _file_path(attachment: Attachment) -> Path | None:
    try:
        path = Path(attachment.file.path).resolve()
    except ValueError:  # the row has no file: the pack says the file is missing from the storage
        return None
    return path if path.is_file() else None


def _sections(meeting: Meeting, items: list[AgendaItem], *, language: str) -> list[Section]:
    sections = []
    for item in items:
        attachments = list(item.proposal.attachments.all()) if item.proposal is not None else []
        attachments += list(item.attachments.all())
        if item.proposal_id is None and not attachments:
            continue
        section = Section(item=item, anchor=f"item-{item.pk}")
        proposal = item.proposal
        if proposal is not None:
            texts = {"ru": proposal.memo_ru.strip(), "kk": proposal.memo_kk.strip()}
            order = ["kk", "ru"] if language == "kk" else ["ru", "kk"]
            section.memo_language = next((code for code in order if texts[code]), "")
            section.memo = texts.get(section.memo_language, "")
        for attachment in attachments:
            path = _file_path(attachment)
            if attachment.content_type == PDF:
                pages, problem = _attached_pdf(attachment, path)
                section.files.append(AttachedFile(attachment, "pdf", pages, problem, path))
            elif attachment.content_type in IMAGES:
                section.files.append(AttachedFile(attachment, "image", path=path))
            else:
                section.files.append(AttachedFile(attachment, "other", path=path))
        sections.append(section)
    return sections


def _set_context(
    meeting: Meeting, items: list[AgendaItem], sections: list[Section], *, language: str, copies: int
) -> dict:
    starts = timezone.localtime(meeting.starts_at, ALMATY)
    fallback = {
        "ru": _("The memo is given in Russian: it was submitted in Russian only."),
        "kk": _("The memo is given in Kazakh: it was submitted in Kazakh only."),
    }
    for section in sections:
        section.fallback_note = (
            fallback[section.memo_language]
            if section.memo_language and section.memo_language != language and language in ("ru", "kk")
            else ""
        )
    return {
        "meeting": meeting,
        "body": meeting.body,
        "starts": starts,
        "ends": starts + timedelta(minutes=meeting.duration_minutes),
        "online": meeting.format == MeetingFormat.ONLINE,
        "cancelled": meeting.status == MeetingStatus.CANCELLED,
        "items": items,
        "sections": sections,
        "copies": copies,
        "language": language,
    }


def _render_set(context: dict, *, roots: list[Path]):
    """Lay out one set; returns the PDF and the index of the first page of each section."""
    from weasyprint import HTML

    html = render_to_string("alqa/documents/print_pack.html", context)
    document = HTML(string=html, url_fetcher=_fetcher(roots)).render()
    starts: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, index)
    return document.write_pdf(), starts


def _render_marks(*, heads: list[str], feet: list[str], sizes: list[tuple[float, float]]):
    """Lay out the marks once: for every page size used, one header page per copy; then one
    footer page per page of the set, in that page's size. Returns the pypdf pages."""
    from pypdf import PdfReader
    from weasyprint import HTML

    distinct = sorted(set(sizes))
    html = render_to_string(
        "alqa/documents/print_pack_marks.html",
        {
            "sizes": [
                {"index": i, "width": w, "height": h, "foot_top": round(h - 30, 2)}
                for i, (w, h) in enumerate(distinct)
            ],
            "heads": [{"size": i, "text": text} for i in range(len(distinct)) for text in heads],
            "feet": [
                {"size": distinct.index(size), "text": text} for size, text in zip(sizes, feet, strict=True)
            ],
        },
    )
    pdf = HTML(string=html, url_fetcher=_fetcher([])).write_pdf()
    pages = list(PdfReader(io.BytesIO(pdf)).pages)
    expected = len(distinct) * len(heads) + len(feet)
    if len(pages) != expected:  # a mark that did not fit its page would shift every later one
        raise RuntimeError(f"print pack marks: {len(pages)} pages laid out, {expected} expected")
    head_pages = {
        (distinct[i], n): pages[i * len(heads) + n] for i in range(len(distinct)) for n in range(len(heads))
    }
    return head_pages, pages[len(distinct) * len(heads) :]


def _box(page) -> tuple[float, float, float, float]:
    box = page.cropbox
    return float(box.left), float(box.bottom), float(box.width), float(box.height)


def _as_form(writer, page):
    """A page of the marks as a form XObject inside `writer` (its fonts added once)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    box = page.mediabox
    form[NameObject("/BBox")] = ArrayObject(
        [FloatObject(box.left), FloatObject(box.bottom), FloatObject(box.right), FloatObject(box.top)]
    )
    if "/Resources" in page:
        form[NameObject("/Resources")] = page["/Resources"].get_object().clone(writer)
    return writer._add_object(form)


def _stamp(writer, page, *, head, foot, wrappers: dict) -> None:
    """Draw the two marks over a page already added to `writer`, sharing its content."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    left, bottom, _w, _h = _box(page)
    if (left, bottom) not in wrappers:
        opening, closing = DecodedStreamObject(), DecodedStreamObject()
        opening.set_data(b"q\n")
        closing.set_data(f"\nQ\nq 1 0 0 1 {left:.3f} {bottom:.3f} cm {HEAD} Do {FOOT} Do Q\n".encode())
        wrappers[(left, bottom)] = (writer._add_object(opening), writer._add_object(closing))
    opening, closing = wrappers[(left, bottom)]
    own = page.get("/Contents")
    own = own.get_object() if own is not None else None
    parts = (
        list(own)
        if isinstance(own, ArrayObject)
        else ([page.raw_get("/Contents")] if own is not None else [])
    )
    page[NameObject("/Contents")] = ArrayObject([opening, *parts, closing])
    resources = page.get("/Resources")
    resources = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object()) if xobjects is not None else DictionaryObject()
    xobjects[NameObject(HEAD)] = head
    xobjects[NameObject(FOOT)] = foot
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources


def render_print_pack(meeting: Meeting, *, language: str) -> bytes:
    """The whole pack as PDF bytes, in `language` (ru, kk or en; memos fall back to the other
    official language when not written in the chosen one)."""
    from pypdf import PdfReader, PdfWriter

    language = language if language in ("ru", "kk", "en") else settings.LANGUAGE_CODE
    with translation.override(language):
        people = expected_participants(meeting)
        copies = max(len(people), 1)
        items = list(
            meeting.items.select_related(
                "speaker", "speaker__unit", "proposal", "proposal__author", "proposal__author__unit"
            ).prefetch_related("attachments", "proposal__attachments")
        )
        sections = _sections(meeting, items, language=language)
        roots = [Path(settings.MEDIA_ROOT)]
        pdf, starts = _render_set(
            _set_context(meeting, items, sections, language=language, copies=copies), roots=roots
        )
        own_pages = list(PdfReader(io.BytesIO(pdf)).pages)

        # The set: its own pages, each section's attached PDFs after the section's last page.
        placed = sorted((starts[s.anchor], n, s) for n, s in enumerate(sections) if s.anchor in starts)
        after: dict[int, list[AttachedFile]] = {}
        for position, (start, _n, section) in enumerate(placed):
            end = placed[position + 1][0] - 1 if position + 1 < len(placed) else len(own_pages) - 1
            after.setdefault(max(end, start), []).extend(section.appended)
        sequence = []
        for index, page in enumerate(own_pages):
            sequence.append(page)
            for attached in after.get(index, []):
                sequence.extend(attached.pages)
        total = len(sequence)

        day = timezone.localtime(meeting.starts_at, ALMATY).strftime("%d.%m.%Y")
        titles, heads = [], []
        for number in range(1, copies + 1):
            person = people[number - 1].name if people else ""
            label = _("Copy %(n)s of %(m)s") % {"n": number, "m": copies}
            titles.append(f"{label} — {person}" if person else label)
            heads.append(_("Meeting of %(day)s · %(copy)s") % {"day": day, "copy": titles[-1]})
        feet = [_("Page %(k)s of %(p)s") % {"k": k, "p": total} for k in range(1, total + 1)]
        sizes = [(round(_box(p)[2], 2), round(_box(p)[3], 2)) for p in sequence]
        head_pages, foot_pages = _render_marks(heads=heads, feet=feet, sizes=sizes)

        writer = PdfWriter()
        head_forms = {key: _as_form(writer, page) for key, page in head_pages.items()}
        foot_forms = [_as_form(writer, page) for page in foot_pages]
        wrappers: dict = {}
        for number in range(copies):
            first = len(writer.pages)
            for k, source in enumerate(sequence):
                page = writer.add_page(source)
                _stamp(
                    writer, page, head=head_forms[(sizes[k], number)], foot=foot_forms[k], wrappers=wrappers
                )
            writer.add_outline_item(title=titles[number], page_number=first)
        writer.add_metadata(
            {
                "/Title": _("Meeting materials of %(day)s — %(body)s")
                % {"day": day, "body": meeting.body.name},
                "/Producer": "Alqa",
            }
        )
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def print_pack_filename(meeting: Meeting) -> str:
    return f"meeting-{timezone.localtime(meeting.starts_at, ALMATY):%Y-%m-%d}-{meeting.pk}-materials.pdf"
