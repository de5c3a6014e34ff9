"""Twenty requests at once: a generalisation note put on a meeting's agenda is there once (the
meeting's lock and a unique constraint), a subject added to the classifier is there once."""

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


def test_twenty_parallel_adds_of_one_subject_give_one_entry_of_the_classifier(
    server, session, body, secretary
):
    from alqa.models import ComplaintSubject

    cookie = session(secretary.user)
    call = page_post(cookie, f"/bodies/{body.pk}/complaints/subjects/", {"name_ru": "Изъятие имущества"})
    answers = run_parallel(server, [call] * N)
    assert 500 not in statuses(answers)
    assert ComplaintSubject.objects.filter(body=body, name_ru="Изъятие имущества").count() == 1
    assert AuditEvent.objects.filter(action="complaint_subject.added").count() == 1
    assert sum(1 for a in answers if a.status == 302) == 1  # the others are shown the refusal
    assert all("The classifier already has this subject." in a.text for a in answers if a.status == 200)
