"""Requests for documents (clause 2.2.8): numbering without gaps, the answer's due date by the kind
of addressee, recounted with the calendar, the answer not before sending, the overdue list."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alqa.domain.requests import answer_due, create_request, is_overdue, mark_sent, record_answer
from alqa.domain.workdays_calendar import add_calendar_exception
from alqa.enums import RequestStatus
from alqa.models import AuditEvent, DocumentRequest, OversightFile
from alqa.queries.oversight import requests_page
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _request(body, user, kind="state_body", **extra):
    return create_request(
        body=body,
        actor=user,
        addressee_kind=kind,
        addressee=extra.pop("addressee", "Департамент полиции г. Алматы"),
        subject="Журналы учёта задержанных ИВС за октябрь",
        legal_basis="подпункт 8 пункта 2.2 Положения",
        **extra,
    )


def test_outgoing_numbers_run_per_body_and_year_without_gaps(body, other_body, admin_user):
    first, second = _request(body, admin_user), _request(body, admin_user)
    elsewhere = _request(other_body, admin_user)
    year = first.year
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert second.outgoing_number == f"2/{year}"
    assert AuditEvent.objects.filter(action="request.created", body=body).count() == 2


def test_a_request_without_an_addressee_is_refused_and_nothing_is_numbered(body, admin_user):
    with pytest.raises(ValidationError) as exc:
        _request(body, admin_user, addressee="  ")
    assert "addressee" in exc.value.message_dict
    assert not DocumentRequest.objects.exists()
    assert _request(body, admin_user).number == 1


def test_the_answer_is_due_by_the_kind_of_addressee(body, admin_user):
    friday = date(2026, 11, 27)
    due, days, working = answer_due("police_unit", friday)
    assert (days, working) == (10, True) and due == date(2026, 12, 11)
    due, days, working = answer_due("organisation", friday)
    assert (due, days, working) == (friday + timedelta(days=30), 30, False)


def test_an_answer_before_the_request_was_sent_is_refused(body, admin_user):
    request = _request(body, admin_user)
    with pytest.raises(ValidationError) as exc:
        record_answer(request, actor=admin_user, answered_on=date(2026, 11, 2))
    assert "answered_on" in exc.value.message_dict
    mark_sent(request, actor=admin_user, sent_on=date(2026, 11, 2))
    with pytest.raises(ValidationError) as exc:
        record_answer(request, actor=admin_user, answered_on=date(2026, 11, 1))
    assert "answered_on" in exc.value.message_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT


def test_a_request_is_sent_once_and_answered_once_with_its_files(body, admin_user):
    request = _request(body, admin_user, kind="police_unit")
    mark_sent(request, actor=admin_user, sent_on=date(2026, 11, 2))
    with pytest.raises(ValidationError):
        mark_sent(request, actor=admin_user, sent_on=date(2026, 11, 3))
    record_answer(
        request,
        actor=admin_user,
        answered_on=date(2026, 11, 10),
        answer_summary="Копии журналов представлены",
        assessment="complete",
        files=[SimpleUploadedFile("answer.pdf", PDF)],
    )
    with pytest.raises(ValidationError):
        record_answer(request, actor=admin_user, answered_on=date(2026, 11, 11))
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.assessment == "complete"
    assert OversightFile.objects.get(document_request=request).name == "answer.pdf"


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_the_overdue_list(body, admin_user):
    late = _request(body, admin_user, kind="organisation")
    mark_sent(late, actor=admin_user, sent_on=date(2026, 10, 1))
    fresh = _request(body, admin_user, kind="organisation")
    mark_sent(fresh, actor=admin_user, sent_on=date(2026, 11, 25))
    _request(body, admin_user)  # not sent: never overdue
    late.refresh_from_db()
    assert is_overdue(late) and not is_overdue(fresh)
    page = requests_page(body, overdue_only=True)
    assert [r.pk for r in page.rows] == [late.pk] and page.overdue_count == 1


def test_a_calendar_change_moves_a_due_date_in_working_days(body, admin_user):
    request = _request(body, admin_user, kind="police_unit")
    with time_machine.travel(date(2026, 11, 27), tick=False):
        mark_sent(request, actor=admin_user, sent_on=date(2026, 11, 27))
    request.refresh_from_db()
    assert request.due_on == date(2026, 12, 11)
    with time_machine.travel(date(2026, 11, 28), tick=False):
        add_calendar_exception(
            day=date(2026, 12, 3),
            kind="day_off",
            name_ru="Перенос",
            name_kk="Ауыстыру",
            legal_act="ПП",
            actor=admin_user,
        )
    request.refresh_from_db()
    assert request.due_on == date(2026, 12, 14)
    assert request.due_recounted["previous"] == "2026-12-11"


@pytest.mark.usefixtures("waive_mfa")
def test_the_letter_and_the_answer_through_the_pages(client, body, secretary):
    login(client, secretary, "kk")
    response = client.post(
        f"/bodies/{body.pk}/requests/new/",
        {"addressee_kind": "police_unit", "addressee": "", "subject": "Журнал", "legal_basis": "2.2.8"},
    )
    assert response.status_code == 400 and not DocumentRequest.objects.exists()
    response = client.post(
        f"/bodies/{body.pk}/requests/new/",
        {
            "addressee_kind": "police_unit",
            "addressee": "Алматы қ. ПД",
            "subject": "Журнал",
            "legal_basis": "2.2.8",
        },
    )
    request = DocumentRequest.objects.get()
    assert response["Location"] == f"/requests/{request.pk}/"
    response = client.post(f"/requests/{request.pk}/answer/", {"answered_on": "2026-11-02"}, follow=True)
    assert "Жауап сұрау салу жіберілгеннен кейін енгізіледі." in response.content.decode()
    letter = client.get(f"/requests/{request.pk}/letter-kk.docx")
    xml = zipfile.ZipFile(io.BytesIO(letter.content)).read("word/document.xml").decode()
    assert "Алматы қ. ПД" in xml and request.outgoing_number in xml
