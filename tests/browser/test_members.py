"""The secretary adds a member through the form; a duplicate e-mail is refused on its field."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from alqa.models import Member
from tests.browser.helpers import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def secretary_in_english(secretary, waive_mfa):
    """The secretary reads English (our own msgids), so the form is found by its labels."""
    secretary.user.language = "en"
    secretary.user.save(update_fields=["language"])
    return secretary


def open_member_form(page, body):
    sign_in(page, "secretary@alqa.test", PASSWORD)
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    with page.expect_navigation():
        page.locator("header nav").get_by_role("link", name="Members").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Add a member").click()
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/members/new/$"))
    expect(page.locator("main h1")).to_have_text("Add a member")


def fill_presidium_resolution(form):
    """A bar-side member is appointed by a resolution of the Bar's Presidium (clause 1.3)."""
    form.get_by_label("Appointment basis").select_option(label="Presidium resolution")
    form.get_by_label("Document number").fill("12")
    form.get_by_label("Document date").fill("2025-02-20")


def test_secretary_adds_a_member_who_then_appears_in_the_register(page, body, secretary_in_english):
    open_member_form(page, body)
    form = page.locator("main form.form")
    form.get_by_label("Full name").fill("Жумабаева Айгерим")
    form.get_by_label("E-mail").fill("Aigerim@Alqa.test")
    form.get_by_label("Side").select_option(label="Bar")
    form.get_by_label("Role").select_option(label="Member")
    fill_presidium_resolution(form)
    form.get_by_label("Member from").fill("2025-03-01")
    with page.expect_navigation():
        form.get_by_role("button", name="Save").click()

    # The member's page.
    expect(page).to_have_url(re.compile(r"/members/\d+/$"))
    expect(page.locator("main h1")).to_have_text("Жумабаева Айгерим")
    expect(page.locator(".messages")).to_contain_text("Жумабаева Айгерим has been added to the register.")
    facts = page.locator("main dl.facts")
    expect(facts).to_contain_text("Bar")
    expect(facts).to_contain_text("aigerim@alqa.test")
    saved = Member.objects.get(email="aigerim@alqa.test")
    assert (saved.body_id, saved.side, saved.role, saved.active_from) == (
        body.pk,
        "bar",
        "member",
        date(2025, 3, 1),
    )

    # The register lists her, as a link to her page.
    with page.expect_navigation():
        page.locator("header nav").get_by_role("link", name="Members").click()
    row = page.locator("main table tbody tr", has_text="Жумабаева Айгерим")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Bar")
    expect(row).to_contain_text("Presidium resolution No. 12")
    expect(row.get_by_role("link", name="Жумабаева Айгерим")).to_have_attribute(
        "href", f"/members/{saved.pk}/"
    )


def test_a_duplicate_email_is_refused_on_the_email_field_and_nothing_is_saved(
    page, body, secretary_in_english, member
):
    before = Member.objects.count()
    open_member_form(page, body)
    form = page.locator("main form.form")
    form.get_by_label("Full name").fill("Исаев Тимур Второй")
    form.get_by_label("E-mail").fill("member@alqa.test")
    form.get_by_label("Side").select_option(label="Bar")
    fill_presidium_resolution(form)
    form.get_by_label("Member from").fill("2025-06-01")
    with page.expect_navigation():
        form.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/members/new/$"))
    email = form.get_by_label("E-mail")
    expect(email).to_have_value("member@alqa.test")  # what was typed is kept
    expect(email).to_have_attribute("aria-invalid", "true")
    # the message is tied to the field, so a screen reader reads it with the field
    expect(email).to_have_accessible_description(re.compile("already in this body"))
    error_id = email.get_attribute("aria-describedby").split()[-1]
    error = page.locator(f"[id='{error_id}']")
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        "A member with this e-mail is already in this body for an overlapping period."
    )
    # the other fields keep what was typed and carry no error
    expect(form.get_by_label("Full name")).to_have_value("Исаев Тимур Второй")
    expect(form.get_by_label("Full name")).not_to_have_attribute("aria-invalid", "true")
    assert Member.objects.count() == before
    assert not Member.objects.filter(full_name="Исаев Тимур Второй").exists()
