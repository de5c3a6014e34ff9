"""Agenda editing through the API (issue 9, point 4): PATCH, DELETE and move of a question; on an
approved agenda 409 unless `withdraw_approval` is true, and nothing changes."""

import pytest

from alqa.domain.meetings import add_agenda_item, approve_agenda
from alqa.models import AuditEvent
from tests.api.conftest import Api, token_for
from tests.helpers import meeting_in


@pytest.fixture
def three(body, secretary, chair):
    meeting = meeting_in(body, secretary, chair)
    for title in ("Первый", "Второй", "Третий"):
        add_agenda_item(meeting, actor=secretary.user, title_ru=title)
    return meeting


def _titles(meeting):
    return list(meeting.items.order_by("order").values_list("title_ru", flat=True))


def test_a_question_is_changed_moved_and_removed(three, secretary, member):
    api = Api(token_for(secretary.user))
    first, second, _third = three.items.order_by("order")
    response = api.patch(
        f"/meetings/{three.pk}/agenda/{second.pk}",
        {"title_ru": "Второй вопрос", "title_kk": "Екінші мәселе", "speaker_member_id": member.pk},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["title_kk"], response.json()["speaker_member_id"]) == ("Екінші мәселе", member.pk)
    response = api.post(f"/meetings/{three.pk}/agenda/{second.pk}/move", {"direction": "up"})
    assert response.status_code == 200
    assert [(i["order"], i["title_ru"]) for i in response.json()] == [
        (1, "Второй вопрос"),
        (2, "Первый"),
        (3, "Третий"),
    ]
    response = api.post(f"/meetings/{three.pk}/agenda/{second.pk}/move", {"direction": "left"})
    assert response.status_code == 422
    response = api.client.delete(
        f"/api/v1/meetings/{three.pk}/agenda/{first.pk}", HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )
    assert response.status_code == 204
    assert _titles(three) == ["Второй вопрос", "Третий"]
    assert list(three.items.order_by("order").values_list("order", flat=True)) == [1, 2]
    # a question of another meeting, or one removed, is not found through this meeting
    response = api.patch(f"/meetings/{three.pk}/agenda/{first.pk}", {"title_ru": "X"})
    assert response.status_code == 404


def test_an_approved_agenda_answers_409_until_the_caller_withdraws_the_approval(three, secretary, chair):
    approve_agenda(three, actor=chair.user)
    api = Api(token_for(secretary.user), language="ru")
    item = three.items.get(order=3)
    before = (AuditEvent.objects.count(), _titles(three))
    for response in (
        api.patch(f"/meetings/{three.pk}/agenda/{item.pk}", {"title_ru": "Иначе"}),
        api.post(f"/meetings/{three.pk}/agenda/{item.pk}/move", {"direction": "up"}),
        api.client.delete(
            f"/api/v1/meetings/{three.pk}/agenda/{item.pk}",
            HTTP_AUTHORIZATION=f"Bearer {api.token}",
            HTTP_ACCEPT_LANGUAGE="ru",
        ),
        # a flag of the wrong type is not taken for true
        api.post(
            f"/meetings/{three.pk}/agenda/{item.pk}/move", {"direction": "up", "withdraw_approval": "yes"}
        ),
    ):
        assert response.status_code in (409, 422), response.content
        if response.status_code == 409:
            assert "снимает утверждение" in response.json()["detail"]
    assert (AuditEvent.objects.count(), _titles(three)) == before
    response = api.client.delete(
        f"/api/v1/meetings/{three.pk}/agenda/{item.pk}?withdraw_approval=true",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert response.status_code == 204
    three.refresh_from_db()
    assert three.agenda_approved_at is None and _titles(three) == ["Первый", "Второй"]


def test_a_plain_member_may_not_edit_the_agenda(three, member):
    item = three.items.get(order=1)
    response = Api(token_for(member.user)).patch(f"/meetings/{three.pk}/agenda/{item.pk}", {"title_ru": "X"})
    assert response.status_code == 403


def test_a_members_kazakh_position_goes_through_the_api(body, chair):
    from tests.api.conftest import Api, token_for

    api = Api(token_for(chair.user))
    response = api.patch(f"/members/{chair.pk}", {"position": "Начальник ДП", "position_kk": "ПД бастығы"})
    assert response.status_code == 200, response.content
    assert (response.json()["position"], response.json()["position_kk"]) == ("Начальник ДП", "ПД бастығы")
    chair.refresh_from_db()
    assert chair.position_kk == "ПД бастығы"
