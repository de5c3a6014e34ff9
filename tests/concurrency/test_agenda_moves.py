"""Moving, removing and adding questions at the same moment (issue 9, point 4): the meeting's row
lock runs them one after another and the unique position per meeting backs it up, so the agenda
stays numbered 1…n with every question on it once."""

from alqa.domain.meetings import add_agenda_item
from alqa.models import AgendaItem, AuditEvent
from tests.concurrency.parallel import N, api_post, page_post, run_parallel, statuses
from tests.helpers import meeting_in


def _positions(meeting):
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("order", "pk"))


def test_parallel_moves_keep_the_positions_a_permutation(server, token, body, chair, secretary):
    meeting = meeting_in(body, secretary, chair)
    items = [add_agenda_item(meeting, actor=secretary.user, title_ru=f"Вопрос {i}") for i in range(1, 5)]
    secret = token(secretary.user)
    calls = [
        api_post(
            secret,
            f"/meetings/{meeting.pk}/agenda/{items[i % 4].pk}/move",
            {"direction": ("up", "down")[i % 2]},
        )
        for i in range(N)
    ]
    answers = run_parallel(server, calls)
    assert statuses(answers) == {200: N}
    positions = _positions(meeting)
    assert [order for order, _pk in positions] == [1, 2, 3, 4]
    assert sorted(pk for _order, pk in positions) == sorted(i.pk for i in items)
    # every move that changed a place is recorded once, each seen from the one before it
    moved = AuditEvent.objects.filter(action="agenda.item_moved").count()
    assert 0 < moved <= N


def test_two_moves_and_an_addition_at_once_through_the_pages(server, session, body, chair, secretary):
    meeting = meeting_in(body, secretary, chair)
    first = add_agenda_item(meeting, actor=secretary.user, title_ru="Первый")
    second = add_agenda_item(meeting, actor=secretary.user, title_ru="Второй")
    cookie = session(secretary.user)
    calls = [
        page_post(cookie, f"/meetings/{meeting.pk}/items/{second.pk}/move/", {"direction": "up"}),
        page_post(cookie, f"/meetings/{meeting.pk}/items/{first.pk}/move/", {"direction": "up"}),
        page_post(
            cookie, f"/meetings/{meeting.pk}/items/new/", {"title_ru": "Третий", "kind": "other", "order": 1}
        ),
        page_post(cookie, f"/meetings/{meeting.pk}/items/{first.pk}/remove/", {}),
    ]
    answers = run_parallel(server, calls)
    # the move of the question removed first finds it gone (404, or the form says so)
    assert set(statuses(answers)) <= {302, 200, 404}
    positions = _positions(meeting)
    assert [order for order, _pk in positions] == list(range(1, len(positions) + 1))
    titles = set(AgendaItem.objects.filter(meeting=meeting).values_list("title_ru", flat=True))
    assert titles == {"Второй", "Третий"}  # the first was removed, whatever came before it
