"""The Content Security Policy and the other protective headers, on every kind of response; and no
template or Python-built markup that the policy would block (inline scripts, handlers, styles)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "alqa"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    values = [v for vs in csp.values() for v in vs]
    assert not [v for v in values if v in ("*", "'unsafe-inline'", "'unsafe-eval'") or "://" in v], values
    assert set(values) <= {"'self'", "'none'", "data:"}, values
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )


@pytest.mark.parametrize(
    "address, kind",
    [
        ("/workdays/?start=2026-12-01&days=3", "text/html"),
        ("/workdays/calendar/?year=2026", "text/html"),
        ("/accounts/login/", "text/html"),
        ("/api/v1/docs", "text/html"),
        ("/api/v1/workdays/deadline?start=2026-12-01&days=3", "application/json"),
        ("/api/v1/openapi.json", "application/json"),
        ("/static/alqa/alqa.js", "text/javascript"),
        ("/static/alqa/alqa.css", "text/css"),
        ("/no-such-page/", "text/html"),
    ],
)
def test_every_response_carries_the_strict_policy(client, address, kind):
    response = client.get(address)
    assert response["Content-Type"].startswith(kind), response["Content-Type"]
    assert_strict(response)
    if kind == "text/html" and response.status_code == 200:
        assert response["X-Frame-Options"] == "DENY"


def test_a_signed_in_page_and_a_calendar_feed_carry_it_too(client, secretary, waive_mfa):
    client.force_login(secretary.user)
    assert_strict(client.get(f"/bodies/{secretary.body_id}/"))
    assert_strict(client.get(f"/calendar/{secretary.user.calendar_token}.ics"))


def test_the_api_docs_work_under_the_same_policy(client):
    """ninja's bundled swagger-ui page reads its settings from a JSON data block and runs only
    files of this server; an upgrade that brought an inline script back would fail here (and the
    browser, whose test suite watches the policy, would refuse it)."""
    html = client.get("/api/v1/docs").content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/ninja/swagger-ui-bundle.js" in html


# The policy blocks these in a page; the print pack's templates are rendered into a PDF by
# WeasyPrint and never reach a browser, so their <style> blocks are theirs to keep.
BLOCKED = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler (onclick=…)"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on attribute (needs eval)"),
    (re.compile(r"\sstyle\s*=", re.I), "inline style attribute"),
    (re.compile(r"<style\b", re.I), "inline <style>"),
    (re.compile(r"javascript:", re.I), "javascript: address"),
]
PDF_ONLY = {
    "alqa/documents/print_pack.html",
    "alqa/documents/print_pack_marks.html",
    # documents WeasyPrint renders to PDF (protocols, visit reports, generalisation notes): never served as pages
    "alqa/protocols/document.html",
    "alqa/documents/visit_report.html",
    "alqa/documents/complaint_note.html",
    "alqa/documents/plan_report.html",
    "alqa/documents/control_report.html",
}


def _sources():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if name not in PDF_ONLY:
            yield name, path.read_text(encoding="utf-8")
    for folder in ("views", "templatetags", "forms"):  # markup built in Python, widget attributes
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_no_markup_the_policy_would_block():
    found = [
        f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {what}"
        for name, text in _sources()
        for pattern, what in BLOCKED
        for match in pattern.finditer(text)
    ]
    assert not found, "move it to alqa/static/alqa/ (alqa.js, alqa.css):\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    samples = [
        '<button onclick="go()">',
        "<script>alert(1)</script>",
        '<p style="color: red">',
        '<form hx-on:submit="x()">',
        '<a href="javascript:void(0)">',
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _ in BLOCKED), sample
    assert not any(
        pattern.search('<script src="/static/alqa/alqa.js" defer></script>') for pattern, _ in BLOCKED
    )
