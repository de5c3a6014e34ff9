"""The register of members through the API: listing on a date, adding, changing, refusing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alqa.enums import Role, Side
from alqa.models import AuditEvent, Member, OutboxMessage, User
from tests.api.conftest import error_fields, translated
from tests.conftest import make_member


def counts():
    return (
        Member.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


def new_member(**extra):
    """A new bar-side member, appointed by a resolution of the Bar's Presidium (clause 1.3)."""
    return {
        "full_name": "Жумабаева Асель",
        "side": "bar",
        "active_from": "2025-03-01",
        "basis_kind": "presidium_resolution",
        "basis_number": "12/3",
        "basis_date": "2025-02-20",
    } | extra


# --- reading ----------------------------------------------------------------------------------------------


def test_a_member_lists_the_current_register(member_api, body, chair, secretary, member, outsider):
    response = member_api.get(f"/bodies/{body.id}/members")
    assert response.status_code == 200
    rows = response.json()
    # bar before police, then by name; nobody from the other body
    assert [(m["full_name"], m["side"], m["role"]) for m in rows] == [
        ("Исаев Тимур", "bar", "member"),
        ("Ахметова Динара", "police", "secretary"),
        ("Серикбаев Арман", "police", "chair"),
    ]
    first = rows[0]
    assert first == {
        "id": member.id,
        "body_id": body.id,
        "user_id": member.user_id,
        "full_name": "Исаев Тимур",
        "email": "member@alqa.test",
        "phone": "",
        "side": "bar",
        "role": "member",
        "unit_id": None,
        "position": "",
        "position_kk": "",
        "basis_kind": "presidium_resolution",
        "basis_number": "12",
        "basis_date": "2024-12-20",
        "active_from": "2025-01-01",
        "active_to": None,
        "language": "ru",
    }


def test_the_register_answers_who_was_a_member_on_a_date(chair_api, body, admin_user, chair):
    today = timezone.localdate()
    gone = make_member(
        body,
        admin_user,
        email="gone@alqa.test",
        name="Ушедший Член",
        active_from=today - timedelta(days=400),
        active_to=today - timedelta(days=30),
    )
    future = make_member(
        body,
        admin_user,
        email="future@alqa.test",
        name="Будущий Член",
        active_from=today + timedelta(days=10),
    )

    now_ids = [m["id"] for m in chair_api.get(f"/bodies/{body.id}/members").json()]
    assert gone.id not in now_ids and future.id not in now_ids and chair.id in now_ids

    earlier = (today - timedelta(days=60)).isoformat()
    then_ids = [m["id"] for m in chair_api.get(f"/bodies/{body.id}/members", {"on": earlier}).json()]
    assert gone.id in then_ids and future.id not in then_ids

    later = (today + timedelta(days=10)).isoformat()
    later_ids = [m["id"] for m in chair_api.get(f"/bodies/{body.id}/members", {"on": later}).json()]
    assert future.id in later_ids and gone.id not in later_ids

    # before the chair's appointment (2025-01-01) there was no chair yet
    before_chair = chair_api.get(f"/bodies/{body.id}/members", {"on": "2024-12-31"}).json()
    assert chair.id not in [m["id"] for m in before_chair]


def test_the_register_filters_by_side_and_role(member_api, body, chair, secretary, member):
    police = member_api.get(f"/bodies/{body.id}/members", {"side": "police"}).json()
    assert {m["id"] for m in police} == {chair.id, secretary.id}
    chairs = member_api.get(f"/bodies/{body.id}/members", {"role": "chair"}).json()
    assert [m["id"] for m in chairs] == [chair.id]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"on": "2025-02-30"}, "on"),
        ({"on": "yesterday"}, "on"),
        ({"side": "judge"}, "side"),
        ({"role": "king"}, "role"),
    ],
)
def test_bad_register_queries_name_the_parameter(member_api, body, params, field):
    response = member_api.get(f"/bodies/{body.id}/members", params, language="kk")
    assert response.status_code == 422
    assert field in error_fields(response)


def test_a_member_reads_one_membership(member_api, chair):
    response = member_api.get(f"/members/{chair.id}")
    assert response.status_code == 200
    assert (response.json()["full_name"], response.json()["role"]) == ("Серикбаев Арман", "chair")


# --- adding -------------------------------------------------------------------------------------------------


def test_the_chair_adds_a_member_and_the_new_user_is_invited(chair_api, chair, body, bar_unit):
    before_users = User.objects.count()
    response = chair_api.post(
        f"/bodies/{body.id}/members",
        {
            "full_name": "  Жумабаева Асель ",
            "email": "Asel.Zhumabaeva@Advokat.KZ",
            "side": "bar",
            "role": "member",
            "active_from": "2025-03-01",
            "active_to": "2027-02-28",
            "unit_id": bar_unit.id,
            "position": "адвокат",
            "phone": "+7 701 000 00 00",
            "language": "kk",
            "basis_kind": "presidium_resolution",
            "basis_number": "12/3",
            "basis_date": "2025-02-20",
        },
    )

    assert response.status_code == 201
    stored = Member.objects.get(pk=response.json()["id"])
    assert (stored.body, stored.full_name, stored.email, stored.side, stored.role) == (
        body,
        "Жумабаева Асель",
        "asel.zhumabaeva@advokat.kz",
        Side.BAR,
        Role.MEMBER,
    )
    assert (stored.unit, stored.position, stored.language, stored.basis_kind, stored.basis_number) == (
        bar_unit,
        "адвокат",
        "kk",
        "presidium_resolution",
        "12/3",
    )
    assert (stored.active_from, stored.active_to, stored.basis_date) == (
        date(2025, 3, 1),
        date(2027, 2, 28),
        date(2025, 2, 20),
    )
    assert response.json()["email"] == "asel.zhumabaeva@advokat.kz"
    assert response.json()["unit_id"] == bar_unit.id

    assert User.objects.count() == before_users + 1
    user = stored.user
    assert (user.email, user.has_usable_password(), user.language) == (
        "asel.zhumabaeva@advokat.kz",
        False,
        "kk",
    )
    event = AuditEvent.objects.get(action="member.added", object_id=str(stored.id))
    assert event.actor == chair.user and event.body == body
    assert event.data["email"] == "asel.zhumabaeva@advokat.kz" and event.data["unit"] == bar_unit.id
    mail = OutboxMessage.objects.get(to="asel.zhumabaeva@advokat.kz")
    assert mail.body == body
    assert "/accounts/password/reset/key/" in mail.text  # a link to set a password


def test_a_member_without_an_email_is_added_without_a_user(secretary_api, body):
    before = counts()
    response = secretary_api.post(f"/bodies/{body.id}/members", new_member())
    assert response.status_code == 201
    stored = Member.objects.get(pk=response.json()["id"])
    assert (stored.user, stored.email, stored.role, stored.language) == (None, "", Role.MEMBER, "ru")
    assert counts() == (before[0] + 1, before[1], before[2] + 1, before[3])


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_bodys_leaders_add_members(who, body, member_api, outsider_api):
    api, status = {"member": (member_api, 403), "outsider": (outsider_api, 404)}[who]
    before = counts()
    response = api.post(f"/bodies/{body.id}/members", new_member(email="x@alqa.test"))
    assert response.status_code == status
    assert counts() == before


def test_an_unknown_body_is_not_found(admin_api):
    before = counts()
    response = admin_api.post("/bodies/424242/members", new_member(), language="ru")
    assert response.status_code == 404
    assert response.json() == {"detail": translated("Not found.", "ru")}
    assert counts() == before


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_duplicate_member_is_refused(chair_api, body, member, language):
    before = counts()
    response = chair_api.post(
        f"/bodies/{body.id}/members",
        new_member(full_name="Исаев Тимур", email="MEMBER@alqa.test", active_from="2025-06-01"),
        language=language,
    )
    assert response.status_code == 422
    assert error_fields(response) == {
        "email": [
            translated(
                "A member with this e-mail is already in this body for an overlapping period.", language
            )
        ]
    }
    assert counts() == before


def test_the_same_person_may_return_after_the_membership_ended(chair_api, body, admin_user):
    old = make_member(
        body, admin_user, email="back@alqa.test", active_from=date(2020, 1, 1), active_to=date(2022, 12, 31)
    )
    response = chair_api.post(f"/bodies/{body.id}/members", new_member(email="back@alqa.test"))
    assert response.status_code == 201
    assert Member.objects.get(pk=response.json()["id"]).user == old.user


def test_a_second_chair_is_refused(chair_api, body, chair):
    before = counts()
    response = chair_api.post(
        f"/bodies/{body.id}/members",
        new_member(role="chair", side="police", basis_kind="order"),
        language="kk",
    )
    assert response.status_code == 422
    assert error_fields(response) == {
        "role": [
            translated(
                "%(name)s already holds this role for an overlapping period.", "kk", name=chair.full_name
            )
        ]
    }
    assert counts() == before


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"active_to": "2025-02-28"}, "active_to", "The end of membership cannot be before its start."),
        ({"basis_number": ""}, "basis_number", "Give the number of the appointing document."),
        ({"unit_id": "police_unit"}, "unit_id", "The unit is on the other side."),
        ({"unit_id": "foreign_unit"}, "unit_id", "There is no such unit in this body."),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_inconsistent_members_are_refused_with_one_clear_message(
    chair_api, body, other_body, admin_user, police_unit, extra, field, message, language
):
    from alqa.domain.bodies import create_unit

    foreign = create_unit(body=other_body, actor=admin_user, name_ru="Чужой отдел", side=Side.BAR)
    extra = dict(extra)
    extra["unit_id"] = {"police_unit": police_unit.id, "foreign_unit": foreign.id}.get(extra.get("unit_id"))
    if extra["unit_id"] is None:
        del extra["unit_id"]
    before = counts()
    response = chair_api.post(
        f"/bodies/{body.id}/members", new_member(email="new@alqa.test", **extra), language=language
    )
    assert response.status_code == 422
    assert error_fields(response) == {field: [translated(message, language)]}
    assert counts() == before
    assert not User.objects.filter(email="new@alqa.test").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (new_member(active_from="2025-02-30"), "active_from"),
        (new_member(active_from="01.03.2025"), "active_from"),
        (new_member(active_from=None), "active_from"),
        ({"full_name": "Без даты", "side": "bar"}, "active_from"),
        (new_member(active_to="never"), "active_to"),
        (new_member(full_name="   "), "full_name"),
        (new_member(full_name="Я" * 201), "full_name"),
        (new_member(full_name="Нуль\x00Байт"), "full_name"),
        (new_member(email="nul\x00@alqa.kz"), "email"),
        (new_member(side="judge"), "side"),
        (new_member(role="king"), "role"),
        (new_member(email="not-an-email"), "email"),
        (new_member(email="two@@alqa.test"), "email"),
        (new_member(language="de"), "language"),
        (new_member(unit_id="abc"), "unit_id"),
        (new_member(unit_id=10**30), "unit_id"),
        (new_member(basis_kind="decree"), "basis_kind"),
        (new_member(basis_date="2025-13-01"), "basis_date"),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_malformed_members_are_refused_field_by_field(chair_api, body, payload, field, language):
    before = counts()
    response = chair_api.post(f"/bodies/{body.id}/members", payload, language=language)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert counts() == before


def test_schema_messages_speak_the_callers_language(chair_api, body):
    response = chair_api.post(f"/bodies/{body.id}/members", new_member(position="a\x00b"), language="ru")
    assert error_fields(response) == {"position": [translated("Null characters are not allowed.", "ru")]}
    response = chair_api.post(
        f"/bodies/{body.id}/members", new_member(active_from="2025-02-30"), language="kk"
    )
    assert error_fields(response) == {
        "active_from": [translated("Enter a valid date in the form YYYY-MM-DD.", "kk")]
    }
    response = chair_api.post(
        f"/bodies/{body.id}/members", {"side": "bar", "active_from": "2025-01-01"}, language="ru"
    )
    assert error_fields(response) == {"full_name": [translated("This field is required.", "ru")]}


# --- changing -----------------------------------------------------------------------------------------------


def test_the_chair_changes_a_membership_and_the_trail_keeps_old_and_new(chair_api, chair, member, bar_unit):
    response = chair_api.patch(
        f"/members/{member.id}",
        {
            "role": "deputy_chair",
            "unit_id": bar_unit.id,
            "position": "адвокат",
            "basis_number": "7-п",
            "basis_date": "2025-02-03",
        },
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.role, member.unit, member.position, member.basis_kind, member.basis_number) == (
        Role.DEPUTY_CHAIR,
        bar_unit,
        "адвокат",
        "presidium_resolution",
        "7-п",
    )
    assert response.json()["role"] == "deputy_chair"
    event = AuditEvent.objects.get(action="member.changed", object_id=str(member.id))
    assert event.actor == chair.user
    assert event.data == {
        "role": ["member", "deputy_chair"],
        "unit": [None, bar_unit.id],
        "position": ["", "адвокат"],
        "basis_number": ["12", "7-п"],
        "basis_date": ["2024-12-20", "2025-02-03"],
    }


def test_null_clears_optional_fields(chair_api, member, bar_unit):
    assert (
        chair_api.patch(
            f"/members/{member.id}",
            {"unit_id": bar_unit.id, "position": "адвокат", "phone": "123", "active_to": "2030-01-01"},
        ).status_code
        == 200
    )
    response = chair_api.patch(
        f"/members/{member.id}",
        {"unit_id": None, "position": None, "phone": None, "active_to": None},
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.unit, member.position, member.phone, member.active_to) == (None, "", "", None)


def test_ending_a_membership_keeps_it_in_the_history(chair_api, body, member):
    yesterday = timezone.localdate() - timedelta(days=1)
    assert chair_api.patch(f"/members/{member.id}", {"active_to": yesterday.isoformat()}).status_code == 200
    assert member.id not in [m["id"] for m in chair_api.get(f"/bodies/{body.id}/members").json()]
    then = chair_api.get(f"/bodies/{body.id}/members", {"on": yesterday.isoformat()}).json()
    assert member.id in [m["id"] for m in then]


def test_a_new_email_links_and_invites_another_user(chair_api, member):
    old_user = member.user
    response = chair_api.patch(f"/members/{member.id}", {"email": "Timur.New@alqa.test"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.email == "timur.new@alqa.test"
    assert member.user != old_user and member.user.email == "timur.new@alqa.test"
    assert OutboxMessage.objects.filter(to="timur.new@alqa.test").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"email": "chair@alqa.test"},
            "email",
            "A member with this e-mail is already in this body for an overlapping period.",
        ),
        ({"active_to": "2024-12-31"}, "active_to", "The end of membership cannot be before its start."),
        (
            {"active_from": "2031-01-01", "active_to": "2030-01-01"},
            "active_to",
            "The end of membership cannot be before its start.",
        ),
        ({"role": "secretary"}, "role", "%(name)s already holds this role for an overlapping period."),
        ({"unit_id": "police_unit"}, "unit_id", "The unit is on the other side."),
        (
            {"side": "police", "unit_id": "bar_unit", "basis_kind": "order"},
            "unit_id",
            "The unit is on the other side.",
        ),
        ({"full_name": None}, "full_name", "This field cannot be empty."),
        ({"side": None}, "side", "This field cannot be empty."),
        ({"active_from": None}, "active_from", "This field cannot be empty."),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_bad_change_changes_nothing(
    chair_api, member, secretary, police_unit, bar_unit, changes, field, message, language
):
    changes = dict(changes)
    if "unit_id" in changes:
        changes["unit_id"] = {"police_unit": police_unit.id, "bar_unit": bar_unit.id}[changes["unit_id"]]
    snapshot = Member.objects.filter(pk=member.id).values().get()
    before = counts()

    response = chair_api.patch(f"/members/{member.id}", changes, language=language)

    assert response.status_code == 422
    expected = (
        translated(message, language, name=secretary.full_name)
        if "%(name)s" in message
        else (translated(message, language))
    )
    assert error_fields(response) == {field: [expected]}
    assert Member.objects.filter(pk=member.id).values().get() == snapshot
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"active_to": "2025-02-29"}, "active_to"),
        ({"email": "nope"}, "email"),
        ({"role": "boss"}, "role"),
        ({"full_name": ""}, "full_name"),
        ({"unit_id": [1]}, "unit_id"),
        ({"language": 7}, "language"),
    ],
)
def test_malformed_changes_are_refused(chair_api, member, changes, field):
    snapshot = Member.objects.filter(pk=member.id).values().get()
    response = chair_api.patch(f"/members/{member.id}", changes, language="kk")
    assert response.status_code == 422
    assert field in error_fields(response)
    assert Member.objects.filter(pk=member.id).values().get() == snapshot


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_bodys_leaders_change_members(who, chair, member_api, outsider_api):
    api, status = {"member": (member_api, 403), "outsider": (outsider_api, 404)}[who]
    snapshot = Member.objects.filter(pk=chair.id).values().get()
    before = counts()
    response = api.patch(f"/members/{chair.id}", {"position": "самозванец"})
    assert response.status_code == status
    assert Member.objects.filter(pk=chair.id).values().get() == snapshot
    assert counts() == before


def test_a_chair_cannot_reach_another_bodys_member(chair_api, outsider):
    snapshot = Member.objects.filter(pk=outsider.id).values().get()
    response = chair_api.patch(f"/members/{outsider.id}", {"position": "взлом"})
    assert response.status_code == 404
    assert chair_api.get(f"/members/{outsider.id}").status_code == 404
    assert Member.objects.filter(pk=outsider.id).values().get() == snapshot
