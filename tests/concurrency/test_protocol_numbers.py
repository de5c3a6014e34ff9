"""Protocol numbers under parallel requests: ten protocols of ten held meetings drafted at once
get the numbers 1…10 of their body and year, without a gap or a repeat (SQLite and PostgreSQL)."""

from alqa.models import AuditEvent, Protocol, ProtocolCounter
from tests.concurrency.parallel import api_post, page_post, run_parallel, statuses
from tests.conftest import meeting_on

COUNT = 10


def _held_meetings(body, secretary, chair):
    return [
        meeting_on(body, secretary, chair, days=-(i + 1), present=[chair, secretary])[0] for i in range(COUNT)
    ]


def _assert_numbered(body, meetings):
    protocols = Protocol.objects.filter(body=body).order_by("number")
    assert [p.number for p in protocols] == list(range(1, COUNT + 1))
    assert {p.meeting_id for p in protocols} == {m.pk for m in meetings}
    assert len({p.year for p in protocols}) == 1
    assert ProtocolCounter.objects.get(body=body).last == COUNT
    assert AuditEvent.objects.filter(action="protocol.created").count() == COUNT


def test_ten_protocols_drafted_at_once_through_the_api_are_numbered_1_to_10(
    server, token, body, secretary, chair
):
    meetings = _held_meetings(body, secretary, chair)
    secret = token(secretary.user)
    answers = run_parallel(server, [api_post(secret, f"/meetings/{m.pk}/protocol", {}) for m in meetings])
    assert statuses(answers) == {201: COUNT}
    assert sorted(a.json()["number"] for a in answers) == list(range(1, COUNT + 1))
    _assert_numbered(body, meetings)


def test_ten_protocols_drafted_at_once_through_the_page_are_numbered_1_to_10(
    server, session, body, secretary, chair
):
    meetings = _held_meetings(body, secretary, chair)
    cookie = session(secretary.user)
    answers = run_parallel(server, [page_post(cookie, f"/meetings/{m.pk}/protocol/", {}) for m in meetings])
    assert statuses(answers) == {302: COUNT}
    _assert_numbered(body, meetings)
