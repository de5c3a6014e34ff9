"""The regulation's rules through the API: each refused with 422 in the caller's language, nothing
stored; and what is accepted, as it is stored and answered."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from alqa.domain.meetings import AttendanceRow, add_agenda_item, record_attendance, schedule_meeting
from alqa.models import AuditEvent, BodyPolicy, Decision, Meeting, Member
from tests.api.conftest import error_fields, translated

ALMATY = ZoneInfo("Asia/Almaty")
HTTPS_ONLY = "Enter a web address starting with https://."


def _member(**extra) -> dict:
    return {"full_name": "Новый Член", "active_from": "2025-03-01"} | extra


PRESIDIUM = {"basis_kind": "presidium_resolution", "basis_number": "12/3", "basis_date": "2025-02-20"}


# --- leaders' sides (clause 3.1) and the policy ----------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_bar_side_chair_and_a_police_side_deputy_are_refused(admin_api, chair_api, body, language):
    response = admin_api.post(
        f"/bodies/{body.id}/members", _member(side="bar", role="chair", **PRESIDIUM), language=language
    )
    assert error_fields(response) == {
        "side": [
            translated(
                "Under clause 3.1 the chair is on the police side: the deputy head of the Police Department.",
                language,
            )
        ]
    }
    before = Member.objects.count()
    response = chair_api.post(
        f"/bodies/{body.id}/members", _member(side="bar", role="deputy_chair", **PRESIDIUM), language=language
    )
    assert response.status_code == 201
    response = chair_api.post(
        f"/bodies/{body.id}/members", _member(side="police", role="deputy_chair"), language=language
    )
    assert response.status_code == 422
    assert error_fields(response) == {
        "side": [
            translated(
                "Under clause 3.1 the deputy chair is on the bar side: the deputy chair of the Bar.", language
            )
        ]
    }
    assert Member.objects.count() == before + 1


def test_the_policy_relaxes_the_sides_and_says_who_blocks_enforcing_them(chair_api, chair, body, admin_user):
    assert chair_api.get(f"/bodies/{body.id}/policy").json()["leaders_sides_enforced"] is True
    response = chair_api.patch(f"/bodies/{body.id}/policy", {"leaders_sides_enforced": False})
    assert response.status_code == 200 and response.json()["leaders_sides_enforced"] is False
    response = chair_api.post(f"/bodies/{body.id}/members", _member(side="police", role="deputy_chair"))
    assert response.status_code == 201
    deputy = Member.objects.get(pk=response.json()["id"])
    response = chair_api.patch(f"/bodies/{body.id}/policy", {"leaders_sides_enforced": True}, language="ru")
    assert response.status_code == 422
    (message,) = error_fields(response)["leaders_sides_enforced"]
    assert deputy.full_name in message and message.startswith("Эти руководители")
    assert BodyPolicy.objects.get(body=body).leaders_sides_enforced is False
    assert chair_api.patch(f"/bodies/{body.id}/policy", {"leaders_sides_enforced": None}).status_code == 422


# --- bar-side appointments (clause 1.3) --------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_bar_side_member_without_the_presidiums_resolution_is_refused(chair_api, body, language):
    before = Member.objects.count(), AuditEvent.objects.count()
    response = chair_api.post(
        f"/bodies/{body.id}/members",
        _member(side="bar", basis_kind="order", basis_number="7"),
        language=language,
    )
    assert response.status_code == 422
    assert error_fields(response) == {
        "basis_kind": [
            translated(
                "A bar-side member is appointed by a resolution of the Bar's Presidium (clause 1.3): "
                "choose it and give its number and date.",
                language,
            )
        ],
        "basis_date": [translated("Give the date of the appointing document.", language)],
    }
    assert (Member.objects.count(), AuditEvent.objects.count()) == before


def test_the_resolution_is_dated_today_at_the_latest(chair_api, body):
    today = timezone.localdate()
    response = chair_api.post(
        f"/bodies/{body.id}/members",
        _member(side="bar", **(PRESIDIUM | {"basis_date": (today + timedelta(days=1)).isoformat()})),
    )
    assert error_fields(response) == {
        "basis_date": ["The appointing document cannot be dated in the future."]
    }
    response = chair_api.post(
        f"/bodies/{body.id}/members", _member(side="bar", **(PRESIDIUM | {"basis_date": today.isoformat()}))
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["basis_kind"], data["basis_number"], data["basis_date"]) == (
        "presidium_resolution",
        "12/3",
        today.isoformat(),
    )


# --- decisions only on an approved agenda (clause 3.2) -----------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_decision_on_an_agenda_not_approved_is_refused_naming_the_presiding_person(
    body, chair, secretary, member, deputy, secretary_api, chair_api, language
):
    day = timezone.localdate() - timedelta(days=1)
    meeting = schedule_meeting(
        body=body,
        actor=secretary.user,
        kind="regular",
        format="in_person",
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=ALMATY),
        place="Зал",
        presiding=chair,
        retrospective=True,
    )
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    before = Decision.objects.count(), AuditEvent.objects.count()
    response = secretary_api.post(
        f"/meetings/{meeting.id}/decisions",
        {"agenda_item_id": item.id, "text_ru": "Решение"},
        language=language,
    )
    assert response.status_code == 422
    expected = translated(
        "The agenda is not approved: decisions are recorded only on an agenda approved by the presiding "
        "person, %(name)s (clause 3.2).",
        language,
        name=chair.full_name,
    )
    assert response.json()["detail"] == [{"loc": ["body"], "msg": expected, "type": "value_error"}]
    assert (Decision.objects.count(), AuditEvent.objects.count()) == before
    assert chair_api.post(f"/meetings/{meeting.id}/agenda/approve").status_code == 200
    response = secretary_api.post(
        f"/meetings/{meeting.id}/decisions", {"agenda_item_id": item.id, "text_ru": "Решение"}
    )
    assert response.status_code == 201


# --- the ground of an online meeting (clauses 3.3, 3.4) and its link --------------------------------------


def _online(chair, **extra) -> dict:
    starts = timezone.localtime(timezone.now() + timedelta(days=7), ALMATY).replace(second=0, microsecond=0)
    return {
        "kind": "regular",
        "format": "online",
        "starts_at": starts.isoformat(),
        "conference_url": "https://meet.example.kz/room",
        "presiding_member_id": chair.id,
    } | extra


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_online_meeting_without_its_ground_is_refused(secretary_api, body, chair, language):
    response = secretary_api.post(f"/bodies/{body.id}/meetings", _online(chair), language=language)
    assert response.status_code == 422
    assert error_fields(response) == {
        "online_ground": [
            translated(
                "Meetings are held in person (clause 3.4). Give the ground for holding this one online: a "
                "case that cannot wait, or quarantine measures (clause 3.3).",
                language,
            )
        ]
    }
    response = secretary_api.post(
        f"/bodies/{body.id}/meetings", _online(chair, online_ground="habit"), language=language
    )
    assert response.status_code == 422 and "online_ground" in error_fields(response)
    assert not Meeting.objects.exists()


def test_the_ground_is_stored_answered_and_cleared_for_an_in_person_meeting(secretary_api, body, chair):
    response = secretary_api.post(
        f"/bodies/{body.id}/meetings",
        _online(chair, online_ground="quarantine", online_ground_note=" Приказ акимата № 5 "),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["online_ground"], data["online_ground_note"]) == ("quarantine", "Приказ акимата № 5")
    meeting = Meeting.objects.get(pk=data["id"])
    assert (meeting.online_ground, meeting.online_ground_note) == ("quarantine", "Приказ акимата № 5")
    listed = secretary_api.get(f"/bodies/{body.id}/meetings").json()
    assert listed[0]["online_ground"] == "quarantine"

    response = secretary_api.patch(
        f"/meetings/{meeting.id}", {"online_ground": "urgent", "online_ground_note": None}
    )
    assert (response.json()["online_ground"], response.json()["online_ground_note"]) == ("urgent", "")
    response = secretary_api.patch(f"/meetings/{meeting.id}", {"online_ground": None})
    assert response.status_code == 422 and "online_ground" in error_fields(response)
    response = secretary_api.patch(f"/meetings/{meeting.id}", {"format": "in_person", "place": "Зал 3"})
    assert response.status_code == 200
    assert (response.json()["online_ground"], response.json()["online_ground_note"]) == (None, "")
    meeting.refresh_from_db()
    assert (meeting.format, meeting.online_ground) == ("in_person", "")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://meet.example.kz/room",
        "https://meet.example.kz/a b",
    ],
)
def test_no_address_but_https_is_stored_on_create_or_change(secretary_api, body, chair, url):
    response = secretary_api.post(
        f"/bodies/{body.id}/meetings", _online(chair, conference_url=url, online_ground="urgent")
    )
    assert response.status_code == 422 and "conference_url" in error_fields(response)
    assert not Meeting.objects.exists()
    response = secretary_api.post(f"/bodies/{body.id}/meetings", _online(chair, online_ground="urgent"))
    meeting_id = response.json()["id"]
    response = secretary_api.patch(f"/meetings/{meeting_id}", {"conference_url": url}, language="kk")
    assert response.status_code == 422
    (message,) = error_fields(response)["conference_url"]
    assert message in (translated(HTTPS_ONLY, "kk"), translated("A web address cannot contain spaces.", "kk"))
    assert Meeting.objects.get(pk=meeting_id).conference_url == "https://meet.example.kz/room"


def test_an_upper_case_scheme_is_stored_in_lower_case_and_http_where_the_policy_allows(
    secretary_api, chair_api, body, chair
):
    response = secretary_api.post(
        f"/bodies/{body.id}/meetings",
        _online(chair, conference_url="HTTPS://Meet.Example.kz/R", online_ground="urgent"),
    )
    assert response.json()["conference_url"] == "https://Meet.Example.kz/R"
    meeting_id = response.json()["id"]
    assert chair_api.patch(f"/bodies/{body.id}/policy", {"allow_http_links": True}).json()["allow_http_links"]
    response = secretary_api.patch(f"/meetings/{meeting_id}", {"conference_url": "http://meet.example.kz/r"})
    assert response.status_code == 200 and response.json()["conference_url"] == "http://meet.example.kz/r"
    response = secretary_api.patch(f"/meetings/{meeting_id}", {"conference_url": "javascript:alert(1)"})
    assert error_fields(response) == {
        "conference_url": ["Enter a web address starting with https:// or http://."]
    }
