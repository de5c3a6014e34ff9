"""The register of the body as its people see it in the browser's HTML."""

import re
from datetime import date

import pytest

from alqa.enums import Role, Side
from alqa.models import AuditEvent, BodyPolicy, Guest, Member, Unit
from tests.conftest import login, make_member

pytestmark = pytest.mark.usefixtures("waive_mfa")


def test_member_sees_the_body_and_its_register(client, body, chair, member):
    client.force_login(member.user)
    page = client.get(f"/bodies/{body.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Группа Алматы" in page
    assert "Серикбаев Арман" in page  # the chair is listed among the leaders
    register = client.get(f"/bodies/{body.pk}/members/").content.decode()
    assert "Исаев Тимур" in register and "Серикбаев Арман" in register
    assert f"/bodies/{body.pk}/members/new/" not in register  # a plain member cannot add


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_kazakh_reader_sees_kazakh_names_of_the_body(client, body, member):
    client.force_login(member.user)
    member.user.language = "kk"
    member.user.save()
    page = client.get(f"/bodies/{body.pk}/").content.decode()
    assert '<html lang="kk">' in page
    assert "Алматы тобы" in page


def test_other_bodies_are_invisible(client, body, other_body, member, outsider):
    client.force_login(outsider.user)
    for url in (
        f"/bodies/{body.pk}/",
        f"/bodies/{body.pk}/members/",
        f"/bodies/{body.pk}/units/",
        f"/bodies/{body.pk}/policy/",
        f"/members/{member.pk}/",
        f"/bodies/{body.pk}/participants/",
    ):
        assert client.get(url).status_code == 404, url
    home = client.get("/", follow=True).content.decode()
    assert "Группа Алматы" not in home


def test_secretary_adds_a_member_through_the_form(client, body, secretary, police_unit):
    client.force_login(secretary.user)
    response = client.post(
        f"/bodies/{body.pk}/members/new/",
        {
            "full_name": "Оспанов Ерлан",
            "email": "ospanov@police.kz",
            "side": Side.POLICE,
            "role": Role.MEMBER,
            "unit": police_unit.pk,
            "position": "Начальник управления",
            "basis_kind": "order",
            "basis_number": "17",
            "basis_date": "2025-01-15",
            "active_from": "2025-02-01",
            "language": "kk",
        },
        follow=True,
    )
    assert "Оспанов Ерлан" in response.content.decode()
    stored = Member.objects.get(email="ospanov@police.kz")
    assert stored.unit == police_unit and stored.basis_number == "17" and stored.user is not None
    assert AuditEvent.objects.filter(
        action="member.added", object_id=str(stored.pk), actor=secretary.user
    ).exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"active_from": "2025-05-01", "active_to": "2025-04-01"}, "active_to"),
        ({"active_from": "not a date"}, "active_from"),
        ({"email": "member@alqa.test"}, "email"),
        ({"side": "army"}, "side"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_bad_member_input_shows_a_message_and_saves_nothing(client, body, secretary, member, changes, field):
    client.force_login(secretary.user)
    data = {
        "full_name": "Новый Член",
        "email": "new@alqa.test",
        "side": Side.BAR,
        "role": Role.MEMBER,
        "basis_kind": "presidium_resolution",
        "basis_number": "12",
        "basis_date": "2025-01-20",
        "active_from": "2025-02-01",
        "language": "ru",
    } | changes
    count = Member.objects.count()
    response = client.post(f"/bodies/{body.pk}/members/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="error"' in response.content.decode()
    assert Member.objects.count() == count


def test_plain_member_cannot_add_or_edit(client, body, member, chair):
    client.force_login(member.user)
    assert client.get(f"/bodies/{body.pk}/members/new/").status_code == 403
    assert client.post(f"/members/{chair.pk}/edit/", {"full_name": "Hacked"}).status_code == 403
    chair.refresh_from_db()
    assert chair.full_name == "Серикбаев Арман"


def test_edit_shows_history_and_the_register_by_date(client, body, secretary, member):
    client.force_login(secretary.user)
    client.post(
        f"/members/{member.pk}/edit/",
        {
            "full_name": member.full_name,
            "email": member.email,
            "side": Side.BAR,
            "role": Role.MEMBER,
            "position": "Адвокат",
            "basis_kind": member.basis_kind,
            "basis_number": member.basis_number,
            "basis_date": member.basis_date.isoformat(),
            "active_from": "2025-01-01",
            "active_to": "2025-06-30",
            "language": "ru",
        },
    )
    member.refresh_from_db()
    assert member.active_to == date(2025, 6, 30)
    detail = client.get(f"/members/{member.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2025-06-30" in detail  # the change is in the history
    today = client.get(f"/bodies/{body.pk}/members/").content.decode()
    assert "Исаев Тимур" not in today
    earlier = client.get(f"/bodies/{body.pk}/members/?on=2025-03-01").content.decode()
    assert "Исаев Тимур" in earlier
    garbage = client.get(f"/bodies/{body.pk}/members/?on=2025-13-45")
    assert garbage.status_code == 200 and garbage.context["bad_date"]


def test_units_and_operational_flag(client, body, secretary):
    client.force_login(secretary.user)
    client.post(
        f"/bodies/{body.pk}/units/new/",
        {
            "name_ru": "Управление криминальной полиции",
            "name_kk": "Криминалдық полиция басқармасы",
            "side": Side.POLICE,
            "kind": "structural",
            "is_operational_criminal_police": "on",
            "is_active": "on",
        },
    )
    unit = Unit.objects.get(name_ru="Управление криминальной полиции")
    assert unit.is_operational_criminal_police
    refused = client.post(
        f"/bodies/{body.pk}/units/new/",
        {
            "name_ru": "Коллегия",
            "side": Side.BAR,
            "kind": "organisation",
            "is_operational_criminal_police": "on",
        },
    )
    assert refused.context["form"].errors
    assert not Unit.objects.filter(name_ru="Коллегия").exists()
    duplicate = client.post(
        f"/bodies/{body.pk}/units/new/",
        {
            "name_ru": "Управление криминальной полиции",
            "side": Side.POLICE,
            "kind": "structural",
        },
    )
    assert duplicate.context["form"].errors
    assert Unit.objects.filter(name_ru="Управление криминальной полиции").count() == 1


def test_invited_participants_are_not_members(client, body, secretary):
    client.force_login(secretary.user)
    client.post(
        f"/bodies/{body.pk}/participants/",
        {
            "full_name": "Ермекова Лаура",
            "kind": "expert",
            "organisation": "КазНУ",
            "language": "ru",
        },
    )
    assert Guest.objects.filter(body=body, full_name="Ермекова Лаура").exists()
    assert not Member.objects.filter(full_name="Ермекова Лаура").exists()


def test_policy_defaults_and_change_by_the_chair(client, body, chair, member):
    policy = BodyPolicy.objects.get(body=body)
    assert (
        policy.meeting_interval_months,
        policy.quorum_rule,
        policy.protocol_signing_days,
        policy.distribution_days,
        policy.executor_information_days,
        policy.protocol_retention_years,
    ) == (2, "each_side_majority", 5, 2, 5, 3)
    client.force_login(member.user)
    assert client.post(f"/bodies/{body.pk}/policy/", {"meeting_interval_months": 1}).status_code == 403
    client.force_login(chair.user)
    data = {
        "meeting_interval_months": 3,
        "quorum_rule": "overall_majority_both_sides",
        "protocol_signing_days": 5,
        "distribution_days": 2,
        "executor_information_days": 5,
        "protocol_retention_years": 3,
        "extension_limit": 2,
        "reminder_before_days": 2,
        "reminder_every_days": 2,
        "chair_overdue_days": 5,
        "leaders_sides_enforced": "on",  # ticked, as the form shows it by default
    }
    client.post(f"/bodies/{body.pk}/policy/", data)
    policy.refresh_from_db()
    assert policy.meeting_interval_months == 3 and policy.quorum_rule == "overall_majority_both_sides"
    event = AuditEvent.objects.get(action="policy.changed")
    assert event.data["meeting_interval_months"] == [2, 3]
    assert set(event.data) == {"meeting_interval_months", "quorum_rule"}
    bad = client.post(f"/bodies/{body.pk}/policy/", data | {"protocol_signing_days": -1})
    assert bad.context["form"].errors["protocol_signing_days"]
    policy.refresh_from_db()
    assert policy.protocol_signing_days == 5


def test_switching_between_bodies(client, body, other_body, admin_user):
    both = make_member(body, admin_user, email="two@alqa.test")
    make_member(other_body, admin_user, email="two@alqa.test", side=Side.BAR)
    client.force_login(both.user)
    page = client.post("/bodies/switch/", {"body_id": other_body.pk}, follow=True).content.decode()
    assert "Группа Жетісу" in page
    assert client.get("/", follow=True).redirect_chain[-1][0] == f"/bodies/{other_body.pk}/"
    assert client.post("/bodies/switch/", {"body_id": 999999}).status_code == 404


def test_audit_pages_for_leaders_and_admins_only(client, body, secretary, member, admin_user):
    client.force_login(member.user)
    assert client.get(f"/bodies/{body.pk}/audit/").status_code == 403
    assert client.get("/audit/").status_code == 403
    client.force_login(secretary.user)
    page = client.get(f"/bodies/{body.pk}/audit/?action=member.added").content.decode()
    assert "в реестр членов группы: Исаев Тимур" in page and "создал мониторинговую группу" not in page
    client.force_login(admin_user)
    assert "создал мониторинговую группу «Группа Алматы»" in client.get("/audit/").content.decode()


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_long_register_pages_by_a_hundred_keeping_the_filters(client, body, member):
    Member.objects.bulk_create(
        Member(body=body, full_name=f"Адвокат {i:03d}", side=Side.BAR, active_from=date(2025, 1, 1))
        for i in range(150)
    )
    login(client, member)
    url = f"/bodies/{body.pk}/members/?side=bar&q=%D0%90%D0%B4%D0%B2%D0%BE%D0%BA%D0%B0%D1%82"  # q=Адвокат
    first = client.get(url).content.decode()
    assert "Адвокат 000" in first and "Адвокат 099" in first and "Адвокат 100" not in first
    assert "Page 1 of 2" in first and "150 memberships in all" in first and "Previous page" not in first
    link = re.search(r'href="(\?[^"]*page=2)">Next page<', first).group(1).replace("&amp;", "&")
    assert "side=bar" in link and "q=" in link  # the filters stay on the next page
    second = client.get(f"/bodies/{body.pk}/members/{link}").content.decode()
    assert "Адвокат 149" in second and "Адвокат 099" not in second and "Page 2 of 2" in second
    for page in ("abc", "999", "-1"):  # not a page: the first or the last one, never an error
        response = client.get(f"{url}&page={page}")
        assert response.status_code == 200 and "Page " in response.content.decode()
    login(client, member, language="kk")
    assert "Келесі бет" in client.get(url).content.decode()
