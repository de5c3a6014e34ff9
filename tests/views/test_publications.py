"""Publications (clause 2.2.2): both sides approve before release; the public page and the Atom
feed show what is published and nothing unpublished, internal or personal; conditional GET."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from alqa.domain.bodies import update_policy
from alqa.domain.publications import (
    approve_publication,
    create_publication,
    edit_publication,
    publish,
    withdraw_publication,
)
from alqa.domain.visits import add_finding, create_facility, plan_visit, record_visit
from alqa.enums import FacilityKind, PublicationStatus, Role, Side
from alqa.models import AuditEvent, Publication
from tests.conftest import login, make_member

pytestmark = pytest.mark.usefixtures("waive_mfa")

IIN = "850101300005"


def _draft(body, user, title="Итоги посещения ИВС", title_kk="УҰИ-ға бару қорытындысы"):
    return create_publication(
        body=body,
        actor=user,
        title_ru=title,
        title_kk=title_kk,
        text_ru="Члены группы посетили изолятор.",
        text_kk="Топ мүшелері изоляторға барды.",
    )


def test_one_sides_approval_is_not_enough(body, chair, deputy, secretary):
    draft = _draft(body, secretary.user)
    approve_publication(draft, actor=chair.user, approver=chair)
    with pytest.raises(ValidationError) as exc:
        publish(draft, actor=secretary.user)
    assert exc.value.code == "not_approved"
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT and draft.published_at is None
    approve_publication(draft, actor=deputy.user, approver=deputy)
    approve_publication(draft, actor=deputy.user, approver=deputy)  # again: nothing more
    publish(draft, actor=secretary.user)
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED
    assert draft.police_approved_by == chair and draft.bar_approved_by == deputy
    assert AuditEvent.objects.filter(action="publication.approved", object_id=str(draft.pk)).count() == 2


def test_only_the_chair_and_the_deputy_chair_approve(body, secretary, member):
    draft = _draft(body, secretary.user)
    for someone in (secretary, member):
        with pytest.raises(ValidationError):
            approve_publication(draft, actor=someone.user, approver=someone)
    draft.refresh_from_db()
    assert draft.police_approved_by is None and draft.bar_approved_by is None


def test_a_police_deputy_chair_approves_for_the_police_side(body, admin_user, chair, secretary):
    """Where the body's own regulation lets a deputy chair be of the police side (clause 3.1 not
    enforced), the chair and that deputy are one side: the bar's approval is still missing."""
    update_policy(body.policy, actor=admin_user, changes={"leaders_sides_enforced": False})
    police_deputy = make_member(
        body, admin_user, email="pdeputy@alqa.test", role=Role.DEPUTY_CHAIR, side=Side.POLICE
    )
    draft = _draft(body, secretary.user)
    approve_publication(draft, actor=police_deputy.user, approver=police_deputy)
    approve_publication(draft, actor=chair.user, approver=chair)
    with pytest.raises(ValidationError) as exc:
        publish(draft, actor=secretary.user)
    assert exc.value.code == "not_approved"


def test_the_database_refuses_a_publication_without_both_approvals(body, secretary):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    draft = _draft(body, secretary.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=draft.pk).update(status="published", published_at=timezone.now())


def test_an_edit_withdraws_the_approvals(body, chair, secretary):
    draft = _draft(body, secretary.user)
    approve_publication(draft, actor=chair.user, approver=chair)
    edit_publication(
        draft,
        actor=secretary.user,
        title_ru="Новый заголовок",
        title_kk="Жаңа тақырып",
        text_ru=draft.text_ru,
        text_kk=draft.text_kk,
    )
    draft.refresh_from_db()
    assert draft.police_approved_by is None


def test_both_languages_are_required_and_the_case_guard_applies(body, secretary):
    with pytest.raises(ValidationError) as exc:
        create_publication(
            body=body, actor=secretary.user, title_ru="Т", title_kk="", text_ru="Т", text_kk=""
        )
    assert {"title_kk", "text_kk"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        create_publication(
            body=body, actor=secretary.user, title_ru="Т", title_kk="Т", text_ru=f"ИИН {IIN}", text_kk="Т"
        )
    assert "text_ru" in exc.value.message_dict
    assert not Publication.objects.exists()


@pytest.fixture
def world(body, admin_user, chair, deputy, secretary, member, police_unit):
    """A body with a published item, a draft, an item withdrawn, and oversight records inside."""
    published = _draft(body, secretary.user, "Опубликованный материал", "Жарияланған материал")
    approve_publication(published, actor=chair.user, approver=chair)
    approve_publication(published, actor=deputy.user, approver=deputy)
    publish(published, actor=secretary.user)
    draft = _draft(body, secretary.user, "Черновик не для всех", "Жария емес жоба")
    gone = _draft(body, secretary.user, "Снятый материал", "Алынған материал")
    approve_publication(gone, actor=chair.user, approver=chair)
    approve_publication(gone, actor=deputy.user, approver=deputy)
    publish(gone, actor=secretary.user)
    withdraw_publication(gone, actor=secretary.user)
    facility = create_facility(body=body, actor=admin_user, name_ru="ИВС Внутренний", kind=FacilityKind.OTHER)
    from django.utils import timezone

    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    add_finding(visit, actor=chair.user, kind="other", description="Внутреннее нарушение")
    return {"published": published, "draft": draft, "gone": gone}


def _walk(client: Client, start: str) -> dict[str, str]:
    """Every page reachable from `start` under /public/, and the feed: {path: content}."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        seen[path] = text
        for link in re.findall(r'href="(/public/[^"#?]*)"', text):
            todo.append(link)
    return seen


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_public_pages_and_the_feed_show_nothing_unpublished_internal_or_personal(
    body, world, chair, member, secretary, deputy, language
):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)  # nobody signed in
    pages = _walk(client, f"/public/{body.pk}/")
    assert f"/public/{body.pk}/feed.atom" in pages
    everything = "\n".join(pages.values())
    assert "Опубликованный материал" in everything and "Жарияланған материал" in everything
    assert chair.full_name in everything and member.full_name in everything  # the composition
    forbidden = [
        "Черновик не для всех",
        "Жария емес жоба",
        "Снятый материал",
        "ИВС Внутренний",
        "Внутреннее нарушение",
        "csrfmiddlewaretoken",
        "/admin/",
    ]
    for person in (chair, member, secretary, deputy):
        forbidden += [person.email, person.user.email]
        if person.phone:
            forbidden.append(person.phone)
    for text in forbidden:
        assert text not in everything, text
    assert not re.search(r"@alqa\.test|(?<!\d)\d{12}(?!\d)", everything)
    feed = ElementTree.fromstring(pages[f"/public/{body.pk}/feed.atom"].encode())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1


def test_a_draft_has_no_public_address(body, world):
    client = Client()
    draft, gone = world["draft"], world["gone"]
    assert client.get(f"/public/{body.pk}/{draft.pk}/").status_code == 404
    assert client.get(f"/public/{body.pk}/{gone.pk}/").status_code == 404
    assert client.get(f"/public/{body.pk}/{world['published'].pk}/").status_code == 200


def test_a_publication_of_another_body_is_not_found_under_this_one(body, other_body, world):
    assert Client().get(f"/public/{other_body.pk}/{world['published'].pk}/").status_code == 404


def test_conditional_get_answers_304_until_something_changes(body, world, chair, deputy, secretary):
    client = Client()
    first = client.get(f"/public/{body.pk}/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(f"/public/{body.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(f"/public/{body.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    feed = client.get(f"/public/{body.pk}/feed.atom")
    assert client.get(f"/public/{body.pk}/feed.atom", HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304
    withdraw_publication(world["published"], actor=secretary.user)
    changed = client.get(f"/public/{body.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Опубликованный материал" not in changed.content.decode()


def test_the_chair_and_the_deputy_approve_and_publish_through_the_pages(
    client, body, chair, deputy, secretary
):
    login(client, secretary, "ru")
    response = client.post(
        f"/bodies/{body.pk}/publications/new/",
        {"title_ru": "Заголовок", "title_kk": "Тақырып", "text_ru": "Текст", "text_kk": "Мәтін"},
    )
    publication = Publication.objects.get()
    assert response["Location"] == f"/publications/{publication.pk}/"
    assert client.post(f"/publications/{publication.pk}/approve/").status_code == 403
    login(client, chair, "ru")
    client.post(f"/publications/{publication.pk}/approve/")
    response = client.post(f"/publications/{publication.pk}/publish/", follow=True)
    assert "Ещё не согласовано от стороны адвокатуры" in response.content.decode()
    login(client, deputy, "kk")
    client.post(f"/publications/{publication.pk}/approve/")
    response = client.post(f"/publications/{publication.pk}/publish/", follow=True)
    assert "Жарияланым жария бетке орналастырылды." in response.content.decode()
    page = Client().get(f"/public/{body.pk}/").content.decode()
    assert "Заголовок" in page and "Тақырып" in page


def test_the_public_page_needs_no_sign_in_nor_second_factor(body, world, settings):
    settings.DEMO_WAIVE_MFA = False
    assert Client().get(f"/public/{body.pk}/").status_code == 200
    assert Client().head(f"/public/{body.pk}/feed.atom").status_code == 200
    assert Client().post(f"/public/{body.pk}/").status_code == 405
