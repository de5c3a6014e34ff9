"""A generalisation note put on a meeting's agenda by twenty requests at once is there once: the
meeting's lock orders them and a unique constraint holds the rule whatever comes first."""

from datetime import date

from alqa.domain.complaint_notes import create_note
from alqa.models import AgendaItem, AuditEvent
from tests.concurrency.parallel import N, page_post, run_parallel, statuses
from tests.conftest import meeting_on


def test_twenty_parallel_puts_on_the_agenda_give_one_question(server, session, body, chair, secretary):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    note = create_note(
        body=body,
        actor=secretary.user,
        title_ru="Обобщение практики обжалования за 2025 год",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
    )
    cookie = session(secretary.user)
    call = page_post(cookie, f"/complaint-notes/{note.pk}/agenda/", {"meeting": meeting.pk})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {302: N}
    assert {a.location for a in answers} == {f"/complaint-notes/{note.pk}/"}
    said = [tuple(a.messages()) for a in answers]
    assert sum(1 for m in said if m and m[0].startswith("The note is on the agenda of the meeting:")) == 1
    assert sum(1 for m in said if m == ("This note is already on this meeting's agenda.",)) == N - 1
    assert AgendaItem.objects.filter(meeting=meeting, complaint_note=note).count() == 1
    assert AuditEvent.objects.filter(action="agenda.item_added", data__complaint_note=note.pk).count() == 1
