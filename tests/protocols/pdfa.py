"""Our own PDF/A-2b checks (no validator such as veraPDF can be installed here): what ISO 19005-2
requires of a file that is checkable by reading it back with pypdf. Each problem is a sentence
naming the clause; `pdf_a_2b_problems` of a conforming file is empty.

Checked: the header and its binary comment (6.1.2); the trailer's ID and no encryption (6.1.3);
no external or LZW streams (6.1.7); an sRGB OutputIntent with a valid ICC profile, the same one in
every PDF/A intent (6.2.3); every font embedded, with a CIDToGIDMap for TrueType CID fonts
(6.2.11.4, 6.2.11.3.2); standard blend modes only (6.2.10); printable annotations without
forbidden actions (6.3.2, 6.5.1); no JavaScript, no additional actions (6.5.2, 6.6.1); no embedded
files (6.8, only PDF/A files may be embedded); the XMP metadata well formed and claiming part 2,
conformance B, and agreeing with the document information dictionary (6.6.2, 6.6.3).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
BLEND_MODES = {
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten", "/ColorDodge",
    "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion", "/Hue", "/Saturation",
    "/Color", "/Luminosity",
}  # fmt: skip
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide"}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _objects(reader: PdfReader) -> list[DictionaryObject]:
    """Every dictionary (streams included) reachable from the trailer, once each."""
    seen: set[tuple[int, int]] = set()
    found: list[DictionaryObject] = []
    stack: list[object] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found.append(item)
            stack.extend(v for k, v in item.items() if k != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def _xmp_values(xml: str) -> dict[str, str]:
    """The XMP properties we compare, whether written as attributes or as elements."""
    root = ET.fromstring(xml[xml.index("<x:xmpmeta") : xml.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")])
    values: dict[str, str] = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for name, value in description.attrib.items():
            values[name] = value
        for child in description:
            text = "".join(child.itertext()).strip()
            values[child.tag] = text
    return values


def pdf_a_2b_problems(pdf: bytes) -> list[str]:
    problems: list[str] = []
    header = re.match(rb"%PDF-1\.([0-7])\r?\n%(.{4})", pdf, re.S)
    if header is None:
        problems.append("6.1.2: the header is not %PDF-1.n (n ≤ 7) followed by a comment line")
    elif not all(b > 127 for b in header.group(2)):
        problems.append("6.1.2: the header's comment does not start with four bytes above 127")
    reader = PdfReader(io.BytesIO(pdf))
    trailer = reader.trailer
    if "/Encrypt" in trailer:
        problems.append("6.1.3: the file is encrypted")
    if "/ID" not in trailer:
        problems.append("6.1.3: the trailer has no file identifier (ID)")
    catalog = trailer["/Root"].get_object()

    intents = [i.get_object() for i in catalog.get("/OutputIntents", [])]
    pdfa_intents = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if not pdfa_intents:
        problems.append("6.2.3: no PDF/A OutputIntent (GTS_PDFA1)")
    profiles = {id(i["/DestOutputProfile"].get_object()) for i in pdfa_intents if "/DestOutputProfile" in i}
    if len(profiles) > 1:
        problems.append("6.2.3: the PDF/A OutputIntents have different profiles")
    for intent in pdfa_intents:
        profile = intent.get("/DestOutputProfile")
        if profile is None:
            problems.append("6.2.3: the OutputIntent has no DestOutputProfile")
            continue
        data = profile.get_object().get_data()
        space = {1: b"GRAY", 3: b"RGB ", 4: b"CMYK"}.get(int(profile.get_object().get("/N", 0)))
        if data[36:40] != b"acsp" or data[16:20] != space:
            problems.append("6.2.3: the DestOutputProfile is not an ICC profile of its N components")

    if "/AA" in catalog:
        problems.append("6.6.1: the catalog has additional actions (AA)")
    names = catalog.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        problems.append("6.6.1: the document has JavaScript")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        problems.append("6.8: the document embeds files")

    for obj in _objects(reader):
        kind = obj.get("/Type")
        if isinstance(obj, StreamObject):
            if any(k in obj for k in ("/F", "/FFilter", "/FDecodeParms")):
                problems.append("6.1.7.1: a stream refers to an external file")
            filters = obj.get("/Filter")
            if filters == "/LZWDecode" or (isinstance(filters, ArrayObject) and "/LZWDecode" in filters):
                problems.append("6.1.7.2: a stream uses LZWDecode")
        if kind == "/Page" and "/AA" in obj:
            problems.append("6.6.1: a page has additional actions (AA)")
        if kind == "/ExtGState" or "/BM" in obj:
            modes = obj.get("/BM")
            for mode in modes if isinstance(modes, ArrayObject) else [modes] if modes else []:
                if mode not in BLEND_MODES:
                    problems.append(f"6.2.10: blend mode {mode} is not a standard one")
        if kind == "/Annot" or kind is None and "/Rect" in obj and "/Subtype" in obj:
            flags = int(obj.get("/F", 0))
            if obj.get("/Subtype") != "/Popup" and (not flags & 4 or flags & (1 | 2 | 32)):
                problems.append("6.3.2: an annotation is not printable or is hidden")
            if "/AA" in obj:
                problems.append("6.6.1: an annotation has additional actions (AA)")
        if obj.get("/S") in FORBIDDEN_ACTIONS and kind in (None, "/Action"):
            problems.append(f"6.6.1: a forbidden action {obj.get('/S')}")
        if kind == "/Font":
            subtype = obj.get("/Subtype")
            if subtype == "/Type3":
                continue
            if subtype == "/Type0":
                descendant = obj["/DescendantFonts"][0].get_object()
                if descendant.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in descendant:
                    problems.append(f"6.2.11.3.2: {descendant.get('/BaseFont')} has no CIDToGIDMap")
                descriptor = descendant.get("/FontDescriptor")
            else:
                descriptor = obj.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor.get_object() for k in FONT_FILES):
                problems.append(f"6.2.11.4.1: the font {obj.get('/BaseFont')} is not embedded")

    metadata = catalog.get("/Metadata")
    if metadata is None:
        problems.append("6.6.2: the catalog has no XMP metadata")
        return problems
    try:
        xmp = _xmp_values(metadata.get_object().get_data().decode("utf-8"))
    except (ValueError, ET.ParseError):
        problems.append("6.6.2: the XMP metadata is not well-formed XML")
        return problems
    if xmp.get(f"{{{NS['pdfaid']}}}part") != "2":
        problems.append("6.6.4: the XMP metadata does not claim PDF/A part 2 (pdfaid:part)")
    if xmp.get(f"{{{NS['pdfaid']}}}conformance") != "B":
        problems.append("6.6.4: the XMP metadata does not claim conformance B (pdfaid:conformance)")
    info = trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    for key, tag in (("/Title", f"{{{NS['dc']}}}title"), ("/Producer", f"{{{NS['pdf']}}}Producer")):
        if key in info and xmp.get(tag) != str(info[key]):
            problems.append(f"6.6.3: the document information's {key[1:]} differs from the XMP metadata")
    return problems
