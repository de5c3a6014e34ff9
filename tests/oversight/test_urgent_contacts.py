"""Urgent contacts (clause 2.2.5): the directory read from the units register, the log kept by any
member under the case guard, and the contacts waiting put on the next meeting's agenda as one
question — once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alqa.domain.bodies import create_unit, update_unit
from alqa.domain.urgent_contacts import log_contact, put_on_agenda
from alqa.enums import Side, UnitKind
from alqa.models import AgendaItem, AuditEvent, UrgentContact
from alqa.queries.oversight import urgent_contacts_page
from tests.conftest import login, meeting_on

pytestmark = pytest.mark.usefixtures("waive_mfa")


@pytest.fixture
def head_unit(body, admin_user):
    return create_unit(
        body=body,
        actor=admin_user,
        name_ru="ОП Алмалинского района",
        name_kk="Алмалы ауданының ПБ",
        side=Side.POLICE,
        kind=UnitKind.SUBORDINATE,
        head_name="Полковник Касымов Е. Б.",
        phone="+7 727 254 00 00",
        email="almaly@police.test",
    )


@pytest.fixture
def presidium(body, admin_user):
    return create_unit(
        body=body,
        actor=admin_user,
        name_ru="Президиум коллегии адвокатов",
        name_kk="Адвокаттар алқасының төралқасы",
        side=Side.BAR,
        kind=UnitKind.PRESIDIUM,
        head_name="Нурланова С. К.",
        phone="+7 727 111 22 33",
    )


def _log(body, member, unit, *, hours_ago=2, **extra):
    return log_contact(
        body=body,
        actor=member.user,
        member=member,
        unit=unit,
        contacted_at=timezone.now() - timedelta(hours=hours_ago),
        reason=extra.pop("reason", "Адвоката не допускают к подзащитному в ИВС"),
        outcome=extra.pop("outcome", "Доступ обеспечен через 40 минут"),
        **extra,
    )


def test_the_directory_is_the_units_register_and_follows_its_changes(
    client, body, admin_user, member, head_unit, presidium, bar_unit
):
    login(client, member)
    page = client.get(f"/bodies/{body.pk}/urgent-contacts/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Полковник Касымов Е. Б." in html and "tel:+77272540000" in html
    assert "Нурланова С. К." in html
    assert "Мониторинговая группа АГКА" not in html  # a bar unit other than the Presidium
    update_unit(head_unit, actor=admin_user, changes={"head_name": "Подполковник Ержанов Д. А."})
    html = client.get(f"/bodies/{body.pk}/urgent-contacts/").content.decode()
    assert "Подполковник Ержанов Д. А." in html and "Касымов" not in html


def test_a_member_logs_a_contact_whom_defaults_to_the_head_and_it_is_audited(client, body, member, head_unit):
    login(client, member, language="ru")
    when = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/bodies/{body.pk}/urgent-contacts/new/",
        {"unit": head_unit.pk, "contacted_at": when, "reason": "Задержанному не дают воды", "outcome": ""},
    )
    assert response.status_code == 302
    contact = UrgentContact.objects.get()
    assert (contact.member, contact.contact_person, contact.agenda_item) == (
        member,
        "Полковник Касымов Е. Б.",
        None,
    )
    event = AuditEvent.objects.get(action="urgent_contact.logged")
    assert event.actor == member.user and event.data["reason"] == "Задержанному не дают воды"
    page = client.get(f"/bodies/{body.pk}/urgent-contacts/").content.decode()
    assert "Задержанному не дают воды" in page and "ждёт следующего заседания" in page


def test_bad_input_is_refused_in_the_users_language_and_nothing_is_saved(
    client, body, member, bar_unit, head_unit
):
    login(client, member, language="kk")
    future = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/bodies/{body.pk}/urgent-contacts/new/",
        {"unit": head_unit.pk, "contacted_at": future, "reason": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Байланыс болашақта бола алмайды." in html
    assert "Байланыстың неліктен шұғыл болғанын көрсетіңіз." in html
    with pytest.raises(ValidationError) as exc:
        _log(body, member, bar_unit)  # not the Presidium, not police
    assert "unit" in exc.value.message_dict
    assert not UrgentContact.objects.exists()


def test_case_numbers_in_the_reason_need_confirmation(client, body, member, head_unit):
    login(client, member)
    when = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "unit": head_unit.pk,
        "contacted_at": when,
        "reason": "По делу 2675 1103 1000 123 задержан адвокат",
    }
    response = client.post(f"/bodies/{body.pk}/urgent-contacts/new/", data)
    assert response.status_code == 400 and "clause 1.2" in response.content.decode()
    assert not UrgentContact.objects.exists()
    response = client.post(f"/bodies/{body.pk}/urgent-contacts/new/", data | {"confirm_identifiers": "on"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="urgent_contact.logged")
    assert event.data["case_identifiers_confirmed"] == ["reason: erdr"]


def test_an_administrator_reads_the_log_but_logs_no_contact(client, body, admin_user, head_unit):
    client.force_login(admin_user)
    assert client.get(f"/bodies/{body.pk}/urgent-contacts/").status_code == 200
    assert client.get(f"/bodies/{body.pk}/urgent-contacts/new/").status_code == 403


def test_the_next_meetings_page_lists_the_contacts_and_the_secretary_puts_them_on_the_agenda_once(
    client, body, secretary, chair, member, head_unit, presidium
):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    _log(body, member, head_unit, reason="Нет доступа к подзащитному")
    _log(body, chair, presidium, hours_ago=5, reason="Адвокат задержан при входе в ОП")
    login(client, secretary, language="ru")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Экстренные контакты после прошлого заседания" in html
    assert "Нет доступа к подзащитному" in html and "Адвокат задержан при входе в ОП" in html
    login(client, member)
    assert "urgent-contacts-heading" not in client.get(f"/meetings/{meeting.pk}/").content.decode()
    login(client, secretary, language="ru")
    response = client.post(f"/meetings/{meeting.pk}/urgent-contacts/", follow=True)
    html = response.content.decode()
    assert "Информация об экстренных контактах в период между заседаниями (2)" in html
    item = AgendaItem.objects.filter(meeting=meeting, urgent_contacts__isnull=False).distinct().get()
    assert item.title_kk == "Отырыстар арасындағы шұғыл байланыстар туралы ақпарат (2)"
    assert set(UrgentContact.objects.values_list("agenda_item", flat=True)) == {item.pk}
    assert "urgent-contacts-heading" not in html
    again = put_on_agenda(meeting, actor=secretary.user)  # a second click
    assert again == item and meeting.items.count() == 2
    assert AuditEvent.objects.filter(action="urgent_contacts.put_on_agenda").count() == 1


def test_on_an_approved_agenda_the_secretary_confirms_the_withdrawal_first(
    client, body, secretary, chair, member, head_unit
):
    meeting, _item = meeting_on(body, secretary, chair, days=7, approved=True)
    _log(body, member, head_unit, reason="Нет доступа к подзащитному")
    login(client, secretary, language="ru")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'name="withdraw_approval"' in html
    refused = client.post(f"/meetings/{meeting.pk}/urgent-contacts/", follow=True).content.decode()
    assert "Подтвердите, что утверждение снимается." in refused
    meeting.refresh_from_db()
    assert meeting.items.count() == 1 and meeting.agenda_approved_at is not None
    assert not UrgentContact.objects.filter(agenda_item__isnull=False).exists()
    client.post(f"/meetings/{meeting.pk}/urgent-contacts/", {"withdraw_approval": "on"})
    meeting.refresh_from_db()
    assert meeting.items.count() == 2 and meeting.agenda_approved_at is None


def test_with_nothing_waiting_the_secretary_is_told_so(client, body, secretary, chair):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    with pytest.raises(ValidationError, match="Нет экстренных контактов"):
        put_on_agenda(meeting, actor=secretary.user)
    login(client, secretary)
    response = client.post(f"/meetings/{meeting.pk}/urgent-contacts/", follow=True)
    assert response.status_code == 200 and "No urgent contact is waiting" in response.content.decode()
    assert meeting.items.count() == 1


def test_a_contact_after_the_meeting_waits_for_the_one_after(body, secretary, chair, member, head_unit):
    past, _item = meeting_on(body, secretary, chair, days=-3)
    _log(body, member, head_unit, hours_ago=1)
    with pytest.raises(ValidationError):
        put_on_agenda(past, actor=secretary.user)


def test_the_log_pages_in_a_constant_number_of_queries(body, member, chair, head_unit, presidium, secretary):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    _log(body, member, head_unit)
    put_on_agenda(meeting, actor=secretary.user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = urgent_contacts_page(body)
        return len(queries), page

    few, _page = count()
    for n in range(6):
        _log(body, chair if n % 2 else member, presidium if n % 2 else head_unit, hours_ago=n + 3)
    many, page = count()
    assert few == many and len(page.rows) == 7 and page.waiting == 6


@pytest.mark.parametrize(
    ("language", "logged", "reported"),
    [
        (
            "ru",
            "Исаев Т. внёс экстренный контакт: Полковник Касымов Е. Б.",
            "включила экстренные контакты (1)",
        ),
        ("kk", "Исаев Т. шұғыл байланысты тіркеді: Полковник Касымов Е. Б.", "шұғыл байланыстарды (1)"),
    ],
)
def test_the_audit_trail_reads_the_contacts_as_sentences(
    client, body, secretary, chair, member, head_unit, language, logged, reported
):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    _log(body, member, head_unit)
    put_on_agenda(meeting, actor=secretary.user)
    login(client, secretary, language=language)
    html = client.get(f"/bodies/{body.pk}/audit/").content.decode()
    assert logged in html and reported in html
