"""Bodies, their policy and units through the API: what is stored, who may, and bad input."""

import pytest

from alqa.enums import QuorumRule, Side, UnitKind
from alqa.models import AuditEvent, Body, BodyPolicy, Unit
from tests.api.conftest import Api, error_fields, token_for, translated

NOT_FOUND = "Not found."
FORBIDDEN = "You do not have permission to do this."


def counts():
    return (
        Body.objects.count(),
        BodyPolicy.objects.count(),
        Unit.objects.count(),
        AuditEvent.objects.count(),
    )


# --- bodies -----------------------------------------------------------------------------------------------


def test_an_installation_admin_sees_every_body(admin_api, body, other_body):
    response = admin_api.get("/bodies")
    assert response.status_code == 200
    assert {(b["id"], b["name_ru"], b["name_kk"], b["city"]) for b in response.json()} == {
        (body.id, "Группа Алматы", "Алматы тобы", "Алматы"),
        (other_body.id, "Группа Жетісу", "Жетісу тобы", "Талдыкорган"),
    }


def test_a_member_sees_only_their_body(member_api, outsider_api, body, other_body):
    assert [b["id"] for b in member_api.get("/bodies").json()] == [body.id]
    assert [b["id"] for b in outsider_api.get("/bodies").json()] == [other_body.id]
    assert member_api.get(f"/bodies/{body.id}").json()["name_ru"] == "Группа Алматы"
    assert member_api.get(f"/bodies/{other_body.id}").status_code == 404


def test_an_installation_admin_creates_a_body_with_the_default_policy(admin_api, admin_user):
    response = admin_api.post(
        "/bodies", {"name_ru": "  Группа Шымкента ", "name_kk": "Шымкент тобы", "city": "Шымкент"}
    )

    assert response.status_code == 201
    created = Body.objects.get(pk=response.json()["id"])
    assert (created.name_ru, created.name_kk, created.city) == ("Группа Шымкента", "Шымкент тобы", "Шымкент")
    assert response.json() == {
        "id": created.id,
        "name_ru": "Группа Шымкента",
        "name_kk": "Шымкент тобы",
        "city": "Шымкент",
        "short_name": "",
    }
    policy = BodyPolicy.objects.get(body=created)
    assert (policy.meeting_interval_months, policy.quorum_rule, policy.protocol_signing_days) == (
        2,
        QuorumRule.EACH_SIDE_MAJORITY,
        5,
    )
    event = AuditEvent.objects.get(action="body.created", object_id=str(created.id))
    assert event.actor == admin_user and event.body == created
    assert event.data == {"name_ru": "Группа Шымкента", "city": "Шымкент"}
    # the creator (an installation admin) sees it at once
    assert admin_api.get(f"/bodies/{created.id}/policy").json()["meeting_interval_months"] == 2


@pytest.mark.parametrize("who", ["chair", "secretary", "staff"])
def test_only_installation_admins_create_bodies(who, chair, secretary, staff_user, as_user):
    user = {"chair": chair.user, "secretary": secretary.user, "staff": staff_user}[who]
    api = as_user(user, language="kk")
    before = counts()
    response = api.post("/bodies", {"name_ru": "Группа X", "city": "Актобе"})
    assert response.status_code == 403
    assert response.json() == {"detail": translated(FORBIDDEN, "kk")}
    assert counts() == before


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_duplicate_body_is_refused_on_its_name(admin_api, body, language):
    before = counts()
    response = admin_api.post("/bodies", {"name_ru": "Группа Алматы", "city": "Алматы"}, language=language)
    assert response.status_code == 422
    assert error_fields(response) == {
        "name_ru": [translated("A body with this name already exists in this city.", language)]
    }
    assert counts() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"city": "Алматы"}, "name_ru"),
        ({"name_ru": "   ", "city": "Алматы"}, "name_ru"),
        ({"name_ru": "Группа", "city": ""}, "city"),
        ({"name_ru": "Группа"}, "city"),
        ({"name_ru": "Г" * 301, "city": "Алматы"}, "name_ru"),
        ({"name_ru": ["Группа"], "city": "Алматы"}, "name_ru"),
        ({"name_ru": 12, "city": "Алматы"}, "name_ru"),
        ({"name_ru": "Груп\x00па", "city": "Алматы"}, "name_ru"),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_bad_body_input_names_the_field_and_saves_nothing(admin_api, payload, field, language):
    before = counts()
    response = admin_api.post("/bodies", payload, language=language)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert counts() == before


@pytest.mark.parametrize("raw", ['{"name_ru": "Группа', "[]", "null", '"Группа"', "1", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_refused_clearly(admin_api, raw):
    before = counts()
    response = admin_api.post("/bodies", raw, raw=True, language="kk")
    assert response.status_code == 400
    assert response.json() == {"detail": translated("The request body must be a JSON object.", "kk")}
    assert counts() == before


@pytest.mark.parametrize("raw", ["[]", "null", '[{"meeting_interval_months": 6}]', "{"])
def test_a_patch_that_is_not_a_json_object_changes_nothing(chair_api, body, raw):
    before = AuditEvent.objects.count()
    response = chair_api.patch(f"/bodies/{body.id}/policy", raw, raw=True, language="ru")
    assert response.status_code == 400
    assert response.json() == {"detail": translated("The request body must be a JSON object.", "ru")}
    assert BodyPolicy.objects.get(body=body).meeting_interval_months == 2
    assert AuditEvent.objects.count() == before


# --- policy ---------------------------------------------------------------------------------------------


def test_a_member_reads_the_policy(member_api, body):
    response = member_api.get(f"/bodies/{body.id}/policy")
    assert response.status_code == 200
    assert response.json() == {
        "meeting_interval_months": 2,
        "quorum_rule": "each_side_majority",
        "protocol_signing_days": 5,
        "distribution_days": 2,
        "executor_information_days": 5,
        "protocol_retention_years": 3,
        "extension_limit": 2,
        "reminder_before_days": 2,
        "reminder_every_days": 2,
        "chair_overdue_days": 5,
        "leaders_sides_enforced": True,
        "allow_http_links": False,
        "case_guard_blocking": False,
    }


@pytest.mark.parametrize("who", ["chair", "secretary", "admin"])
def test_the_chair_secretary_and_admins_change_the_policy(who, body, chair, secretary, admin_user, as_user):
    user = {"chair": chair.user, "secretary": secretary.user, "admin": admin_user}[who]
    response = as_user(user).patch(
        f"/bodies/{body.id}/policy",
        {"meeting_interval_months": 3, "quorum_rule": "overall_majority_both_sides"},
    )

    assert response.status_code == 200
    assert response.json()["meeting_interval_months"] == 3
    assert response.json()["protocol_signing_days"] == 5  # untouched
    policy = BodyPolicy.objects.get(body=body)
    assert (policy.meeting_interval_months, policy.quorum_rule) == (3, "overall_majority_both_sides")
    event = AuditEvent.objects.get(action="policy.changed")
    assert event.actor == user and event.body == body
    assert event.data == {
        "meeting_interval_months": [2, 3],
        "quorum_rule": ["each_side_majority", "overall_majority_both_sides"],
    }


def test_a_patch_that_changes_nothing_records_nothing(chair_api, body):
    before = AuditEvent.objects.count()
    response = chair_api.patch(f"/bodies/{body.id}/policy", {"meeting_interval_months": 2})
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["member", "deputy"])
def test_members_and_deputies_may_not_change_the_policy(who, body, member, deputy, as_user):
    user = {"member": member.user, "deputy": deputy.user}[who]
    api = as_user(user, language="ru")
    before = AuditEvent.objects.count()
    response = api.patch(f"/bodies/{body.id}/policy", {"meeting_interval_months": 6})
    assert response.status_code == 403
    assert response.json() == {"detail": translated(FORBIDDEN, "ru")}
    assert BodyPolicy.objects.get(body=body).meeting_interval_months == 2
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"meeting_interval_months": 13}, "meeting_interval_months"),
        ({"meeting_interval_months": 0}, "meeting_interval_months"),
        ({"meeting_interval_months": -1}, "meeting_interval_months"),
        ({"meeting_interval_months": 10**30}, "meeting_interval_months"),
        ({"meeting_interval_months": "two"}, "meeting_interval_months"),
        ({"meeting_interval_months": None}, "meeting_interval_months"),
        ({"quorum_rule": "anyone_present"}, "quorum_rule"),
        ({"quorum_rule": None}, "quorum_rule"),
        ({"protocol_retention_years": 76}, "protocol_retention_years"),
        # one good value and one bad: neither is saved
        ({"distribution_days": 4, "protocol_signing_days": 61}, "protocol_signing_days"),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_bad_policy_values_change_nothing(chair_api, body, payload, field, language):
    before = (BodyPolicy.objects.get(body=body).__dict__.copy(), AuditEvent.objects.count())
    response = chair_api.patch(f"/bodies/{body.id}/policy", payload, language=language)
    assert response.status_code == 422
    assert field in error_fields(response)
    after = BodyPolicy.objects.get(body=body).__dict__.copy()
    for state in (before[0], after):
        state.pop("_state")
    assert (after, AuditEvent.objects.count()) == before


def test_the_range_message_speaks_the_callers_language(chair_api, body):
    response = chair_api.patch(f"/bodies/{body.id}/policy", {"meeting_interval_months": 13}, language="kk")
    assert error_fields(response) == {
        "meeting_interval_months": [translated("Enter a value no larger than %(limit)s.", "kk", limit=12)]
    }


# --- units -------------------------------------------------------------------------------------------------


def test_a_member_lists_the_units(member_api, body, police_unit, bar_unit):
    response = member_api.get(f"/bodies/{body.id}/units")
    assert response.status_code == 200
    rows = {u["id"]: u for u in response.json()}
    assert set(rows) == {police_unit.id, bar_unit.id}
    assert (rows[police_unit.id]["name_ru"], rows[police_unit.id]["side"], rows[police_unit.id]["kind"]) == (
        "Следственное управление",
        "police",
        "structural",
    )
    assert rows[bar_unit.id]["name_kk"] == "АҚАА тобы"


def test_the_chair_adds_a_unit_under_a_parent(chair_api, chair, body, police_unit):
    response = chair_api.post(
        f"/bodies/{body.id}/units",
        {
            "name_ru": "Отдел по борьбе с наркопреступностью",
            "name_kk": "Есірткі қылмысымен күрес бөлімі",
            "side": "police",
            "kind": "subordinate",
            "parent_id": police_unit.id,
            "is_operational_criminal_police": True,
            "email": "UNIT@Police.kz",
        },
    )

    assert response.status_code == 201
    unit = Unit.objects.get(pk=response.json()["id"])
    assert (unit.body, unit.parent, unit.side, unit.kind, unit.is_operational_criminal_police) == (
        body,
        police_unit,
        Side.POLICE,
        UnitKind.SUBORDINATE,
        True,
    )
    assert response.json()["parent_id"] == police_unit.id
    event = AuditEvent.objects.get(action="unit.created", object_id=str(unit.id))
    assert event.actor == chair.user and event.body == body
    assert event.data["parent"] == police_unit.id and event.data["name_ru"] == unit.name_ru
    assert unit.id in [u["id"] for u in chair_api.get(f"/bodies/{body.id}/units").json()]


def test_a_plain_member_may_not_add_a_unit(member_api, body):
    before = counts()
    response = member_api.post(f"/bodies/{body.id}/units", {"name_ru": "Отдел", "side": "bar"})
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"name_ru": "Следственное управление", "side": "police"},
            "name_ru",
            "This body already has a unit with this name.",
        ),
        (
            {"name_ru": "Отдел", "side": "bar", "is_operational_criminal_police": True},
            "is_operational_criminal_police",
            "Only a police unit can be an operational unit.",
        ),
        (
            {"name_ru": "Отдел", "side": "bar", "parent_id": "police_unit"},
            "parent_id",
            "A unit and its parent must be on the same side.",
        ),
        (
            {"name_ru": "Отдел", "side": "police", "parent_id": "foreign_unit"},
            "parent_id",
            "There is no such unit in this body.",
        ),
        (
            {"name_ru": "Отдел", "side": "police", "parent_id": 10**12},
            "parent_id",
            "There is no such unit in this body.",
        ),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_bad_units_are_refused_with_the_field_named(
    chair_api, body, other_body, admin_user, police_unit, payload, field, message, language
):
    from alqa.domain.bodies import create_unit

    foreign = create_unit(body=other_body, actor=admin_user, name_ru="Чужой отдел", side=Side.POLICE)
    payload = dict(payload)
    if payload.get("parent_id") == "police_unit":
        payload["parent_id"] = police_unit.id
    elif payload.get("parent_id") == "foreign_unit":
        payload["parent_id"] = foreign.id
    before = counts()
    response = chair_api.post(f"/bodies/{body.id}/units", payload, language=language)
    assert response.status_code == 422
    assert error_fields(response) == {field: [translated(message, language)]}
    assert counts() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name_ru": "Отдел", "side": "court"}, "side"),
        ({"name_ru": "Отдел"}, "side"),
        ({"name_ru": "", "side": "bar"}, "name_ru"),
        ({"name_ru": "Отдел", "side": "bar", "kind": "ministry"}, "kind"),
        ({"name_ru": "Отдел", "side": "bar", "email": "not an e-mail"}, "email"),
        ({"name_ru": "Отдел", "side": "bar", "parent_id": "first"}, "parent_id"),
        (
            {"name_ru": "Отдел", "side": "bar", "is_operational_criminal_police": "perhaps"},
            "is_operational_criminal_police",
        ),
    ],
)
def test_malformed_unit_input_is_refused(chair_api, body, payload, field):
    before = counts()
    response = chair_api.post(f"/bodies/{body.id}/units", payload, language="kk")
    assert response.status_code == 422
    assert field in error_fields(response)
    assert counts() == before


# --- isolation between bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("get", "/bodies/{body}", None),
        ("get", "/bodies/{body}/policy", None),
        ("patch", "/bodies/{body}/policy", {"meeting_interval_months": 6}),
        ("get", "/bodies/{body}/units", None),
        ("post", "/bodies/{body}/units", {"name_ru": "Чужой", "side": "bar"}),
        ("get", "/bodies/{body}/members", None),
        (
            "post",
            "/bodies/{body}/members",
            {"full_name": "Чужой", "side": "bar", "active_from": "2025-01-01"},
        ),
        ("get", "/members/{chair}", None),
        ("patch", "/members/{chair}", {"position": "взлом"}),
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_member_of_another_body_gets_not_found(
    outsider, body, chair, police_unit, method, path, payload, language
):
    api = Api(token_for(outsider.user), language=language)
    before = counts() + (chair.body.members.count(),)
    url = path.format(body=body.id, chair=chair.id)
    response = getattr(api, method)(url, payload) if payload is not None else api.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": translated(NOT_FOUND, language)}
    assert counts() + (chair.body.members.count(),) == before
    chair.refresh_from_db()
    assert chair.position == ""


@pytest.mark.parametrize(
    "path",
    [
        "/bodies/999999",
        "/bodies/999999/policy",
        "/bodies/999999/units",
        "/bodies/999999/members",
        "/members/999999",
        f"/bodies/{10**30}",
    ],
)
def test_an_unknown_body_or_member_is_not_found_even_for_admins(admin_api, path):
    response = admin_api.get(path, language="kk")
    assert response.status_code == 404
    assert response.json() == {"detail": translated(NOT_FOUND, "kk")}
