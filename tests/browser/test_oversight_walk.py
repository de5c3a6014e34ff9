"""Oversight between meetings in a real browser, in Russian and Kazakh (issue 12, "done when"):
a lawyer plans a visit — refused for an operational unit of the criminal police (clause 2.2.7) —
records it with a police-side member, adds a finding with a photo and turns it into a proposal
(clause 2.1.5); the secretary sends a request for documents and records its answer with a file
(clause 2.2.8); the chair and the deputy chair approve a publication for their sides, it is
published and a reader without an account finds it on the public page and in the feed (clause
2.2.2). Every page passes axe and fits a 390 px phone and a 1280 px screen."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override
from PIL import Image
from playwright.sync_api import expect

from alqa.domain.users import update_profile
from alqa.domain.visits import create_facility
from alqa.enums import CheckResult, FacilityKind, FindingStatus, RequestStatus, VisitStatus
from alqa.models import ChecklistItem, DocumentRequest, Finding, Proposal, Publication, Visit
from tests.browser.helpers import axe_violations, describe, sign_in, sign_out
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1280, "height": 900}


def _check(page) -> None:
    """axe-clean and no sideways scrolling, at 390 px and at 1280 px; left at 390 px."""
    for size in (SCREEN, PHONE):
        page.set_viewport_size(size)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{page.url}: {scroll} px wide in a {inner} px window"
        violations = axe_violations(page)
        assert not violations, describe(violations)


def _png(name: str) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, format="PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def _submit(page, form, label: str) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name=label).click()


def _as(new_page, person, language: str):
    update_profile(person.user, actor=person.user, changes={"language": language})
    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(SCREEN)
    sign_in(page, person.user.email, PASSWORD)
    return page


def _leave(page) -> None:
    page.set_viewport_size(SCREEN)  # the menu with the sign-out button is unfolded
    sign_out(page)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_visit_a_request_and_a_publication(
    new_page, body, admin_user, chair, secretary, member, deputy, police_unit, language, waive_mfa
):
    with override(language):
        t = {
            key: gettext(text)
            for key, text in {
                "plan": "Plan a visit",
                "save_plan": "Plan the visit",
                "record": "Record the visit",
                "add_finding": "Add a finding",
                "propose": "Turn into a proposal",
                "made": "The proposal made of it",
                "new_request": "New request",
                "sent": "Mark sent",
                "answer": "Record the answer",
                "draft": "Write a draft",
                "approve": "Approve for my side",
                "publish": "Publish",
            }.items()
        }
    detention = create_facility(
        body=body,
        actor=admin_user,
        name_ru="ИВС ДП г. Алматы",
        name_kk="Алматы қ. ПД уақытша ұстау изоляторы",
        kind=FacilityKind.TEMPORARY_DETENTION,
        address="ул. Байзакова, 1",
        unit=police_unit,
    )
    operational = create_facility(
        body=body,
        actor=admin_user,
        name_ru="Управление криминальной полиции",
        name_kk="Криминалдық полиция басқармасы",
        kind=FacilityKind.OTHER,
        is_operational_criminal_police=True,
    )
    today = timezone.localdate().isoformat()

    # --- a lawyer (the bar's side) plans and records a visit with a police-side member ---------
    page = _as(new_page, member, language)
    page.goto(f"/bodies/{body.pk}/oversight/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    _check(page)
    with page.expect_navigation():
        page.get_by_role("link", name=t["plan"]).click()
    form = page.locator("main form.form")
    form.locator("select[name=facility]").select_option(str(operational.pk))
    form.locator("input[name=planned_on]").fill(today)
    form.locator("textarea[name=purpose]").fill("Проверка условий содержания")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    # the reason is said with the clause ("подпункт 7 пункта 2.2", "2.2-тармақтың 7) тармақшасы")
    expect(page.locator("main .field.invalid .error")).to_contain_text("2.2")
    assert not Visit.objects.exists()  # refused, nothing kept
    _check(page)
    form = page.locator("main form.form")
    form.locator("select[name=facility]").select_option(str(detention.pk))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    visit = Visit.objects.get()
    expect(page).to_have_url(re.compile(rf"/visits/{visit.pk}/$"))
    _check(page)

    with page.expect_navigation():
        page.get_by_role("link", name=t["record"]).click()
    form = page.locator("main form.form")
    form.locator("input[name=visited_on]").fill(today)
    for person in (member, chair):
        form.locator(f"input[name=participants][value='{person.pk}']").check()
    items = list(ChecklistItem.objects.filter(body=body, kind=FacilityKind.TEMPORARY_DETENTION))
    assert items, "the checklist of a temporary detention facility comes with the body"
    form.locator(f"select[name=check_{items[0].pk}]").select_option(CheckResult.VIOLATION)
    form.locator(f"input[name=note_{items[0].pk}]").fill("Защитника ждали два часа")
    for item in items[1:]:
        form.locator(f"select[name=check_{item.pk}]").select_option(CheckResult.COMPLIANT)
    form.locator("textarea[name=summary_ru]").fill("Нарушен порядок допуска защитников")
    form.locator("textarea[name=summary_kk]").fill("Қорғаушыларды жіберу тәртібі бұзылған")
    _check(page)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/visits/{visit.pk}/$"))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.RECORDED
    assert set(visit.participants.values_list("side", flat=True)) == {"police", "bar"}
    expect(page.locator("main dl.facts")).to_contain_text(chair.full_name)
    _check(page)

    with page.expect_navigation():
        page.get_by_role("link", name=t["add_finding"]).click()
    form = page.locator("main form.form")
    form.locator("select[name=kind]").select_option("lawyer_access")
    form.locator("textarea[name=description]").fill("Защитника не допускали к подзащитному два часа")
    form.locator("textarea[name=cause]").fill("Журнал посетителей ведётся вручную")
    form.locator("input[name=files]").set_input_files(_png("cell-3.png"))
    _check(page)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    finding = Finding.objects.get()
    assert [f.name for f in finding.files.all()] == ["cell-3.png"]
    card = page.locator(f"#finding-{finding.pk}")
    expect(card).to_contain_text("Защитника не допускали к подзащитному два часа")
    expect(card.get_by_role("link", name="cell-3.png")).to_be_visible()
    _check(page)
    _submit(page, card, t["propose"])
    proposal = Proposal.objects.get()
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal.pk}/$"))
    expect(page.locator("main")).to_contain_text("Защитника не допускали к подзащитному два часа")
    expect(page.get_by_role("link", name="cell-3.png")).to_be_visible()  # the photo came with it
    _check(page)
    page.goto(f"/visits/{visit.pk}/")
    expect(page.locator(f"#finding-{finding.pk}").get_by_role("link", name=t["made"])).to_be_visible()
    finding.refresh_from_db()
    assert finding.proposal_id == proposal.pk and finding.status != FindingStatus.OPEN
    assert proposal.author == member
    _check(page)
    _leave(page)

    # --- the secretary sends a request for documents and records its answer -------------------
    page = _as(new_page, secretary, language)
    page.goto(f"/bodies/{body.pk}/requests/")
    _check(page)
    with page.expect_navigation():
        page.get_by_role("link", name=t["new_request"]).click()
    form = page.locator("main form.form")
    form.locator("select[name=addressee_kind]").select_option("police_unit")
    form.locator("input[name=addressee]").fill("Департамент полиции г. Алматы")
    form.locator("input[name=addressee_unit]").fill("УП Алмалинского района")
    form.locator("textarea[name=subject]").fill("Копии журнала посетителей ИВС за ноябрь")
    form.locator("input[name=legal_basis]").fill("п. 2.2.8 Положения")
    _check(page)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    request = DocumentRequest.objects.get()
    expect(page).to_have_url(re.compile(rf"/requests/{request.pk}/$"))
    form = page.locator(f"main form[action='/requests/{request.pk}/send/']")
    form.locator("input[name=sent_on]").fill(today)
    _submit(page, form, t["sent"])
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT and request.due_on is not None
    _check(page)
    form = page.locator(f"main form[action='/requests/{request.pk}/answer/']")
    form.locator("input[name=answered_on]").fill(today)
    form.locator("textarea[name=answer_summary]").fill("Копии журнала представлены")
    form.locator("input[name=files]").set_input_files(_png("answer.png"))
    _submit(page, form, t["answer"])
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    expect(page.locator("main")).to_contain_text("Копии журнала представлены")
    expect(page.get_by_role("link", name="answer.png")).to_be_visible()
    _check(page)

    # --- ... and writes a publication, which the chair and the deputy chair approve ------------
    page.goto(f"/bodies/{body.pk}/publications/")
    with page.expect_navigation():
        page.get_by_role("link", name=t["draft"]).click()
    form = page.locator("main form.form")
    form.locator("input[name=title_ru]").fill("Итоги посещения ИВС")
    form.locator("input[name=title_kk]").fill("УҰИ-ға барудың қорытындысы")
    form.locator("textarea[name=text_ru]").fill("Члены группы обеих сторон посетили ИВС.")
    form.locator("textarea[name=text_kk]").fill("Топтың екі тарабының мүшелері УҰИ-ға барды.")
    _check(page)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    publication = Publication.objects.get()
    _leave(page)

    for approver in (chair, deputy):
        page = _as(new_page, approver, language)
        page.goto(f"/publications/{publication.pk}/")
        _check(page)
        _submit(page, page.locator("main"), t["approve"])
        _leave(page)
    page = _as(new_page, chair, language)
    page.goto(f"/publications/{publication.pk}/")
    _submit(page, page.locator("main"), t["publish"])
    publication.refresh_from_db()
    assert publication.published_at is not None
    _leave(page)

    # --- a reader without an account ------------------------------------------------------------
    page = new_page(locale=f"{language}-KZ")
    page.goto(f"/public/{body.pk}/")
    title = "УҰИ-ға барудың қорытындысы" if language == "kk" else "Итоги посещения ИВС"
    expect(page.locator("main")).to_contain_text(title)
    _check(page)
    feed = page.request.get(f"/public/{body.pk}/feed.atom")
    assert feed.ok and "Итоги посещения ИВС" in feed.text()
    assert "Защитника не допускали" not in page.content()  # the finding is internal
