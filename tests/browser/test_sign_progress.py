# ruff: noqa: F811 - the fixtures `held` and `draft` are imported from tests/protocols/conftest.py
"""The sign page while the worker prepares the PDF for signing, in a real browser on a phone
(390 px): the progress and no signing button; once the worker has stored the PDF, the page's own
polling (HTMX) brings the forms with the stored PDF's SHA-256, without a reload. axe-clean both
ways."""

import pytest
from playwright.sync_api import expect

from alqa import jobs
from alqa.domain import protocols as domain
from alqa.models import ProtocolRendering
from tests.browser.helpers import axe_violations, describe, sign_in
from tests.conftest import PASSWORD
from tests.protocols.conftest import draft, held  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_signing_forms_come_when_the_pdf_is_stored(page, draft, chair, waive_mfa, monkeypatch):
    monkeypatch.setattr(jobs, "render_protocol_task", lambda rendering_id: None)  # the worker is busy
    page.set_viewport_size(PHONE)
    sign_in(page, chair.email, PASSWORD)
    page.goto(f"/protocols/{draft.pk}/sign/")
    expect(page.locator("#signing-status progress")).to_be_visible()
    expect(page.locator("input[name=method][value=hash]")).to_have_count(0)
    expect(page.locator("input[name=method][value=cms]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    assert domain.run_rendering(ProtocolRendering.objects.get().pk).status == "done"  # the worker's turn
    digest = domain.current_revision(draft).text_pdf_sha256
    expect(page.locator("#signing-status code.hash")).to_have_text(digest)  # polled in, no reload
    expect(page.locator("input[name=method][value=hash]")).to_have_count(1)
    expect(page.locator("#signing-status progress")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = axe_violations(page)
    assert violations == [], describe(violations)
