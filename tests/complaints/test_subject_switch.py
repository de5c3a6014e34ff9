"""A subject of the classifier switched off (and on again): no longer offered or taken for new
complaints (page, API, import — the import names the row and column), while the complaints
filed under it keep it and the register and the analytics still count them; audited once,
repeats change nothing; a member cannot switch."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from alqa.domain import complaint_import
from alqa.domain.complaints import create_complaint, switch_subject, update_complaint
from alqa.models import AuditEvent, Complaint
from alqa.queries.complaints import ComplaintFilters, complaint_analytics
from tests.complaints.conftest import subject
from tests.complaints.test_api import _headers
from tests.conftest import login

HEADER = "Статья;Дата подачи;Дата решения;Подразделение;Должностное лицо;Предмет;Результат;Нарушение;Меры\n"


def _import(body, actor, content: str, name="s.csv"):
    job = complaint_import.receive_import(
        body=body, actor=actor, upload=SimpleUploadedFile(name, content.encode()), source="ДП"
    )
    headers, _rows = complaint_import.preview(job)
    complaint_import.start_import(
        job, actor=actor, columns=complaint_import.guess_columns(headers, {}), headers=headers
    )
    return complaint_import.run_import(job.pk)


def test_the_secretary_switches_a_subject_off_and_on_on_the_page(client, body, secretary, counted, waive_mfa):
    login(client, secretary)
    detention = subject(body, "detention")
    url = f"/complaint-subjects/{detention.pk}/switch/"
    page = client.post(url, {"state": "off"}, follow=True).content.decode()
    assert "is switched off" in page and "switched off</span>" in page
    detention.refresh_from_db()
    assert not detention.is_active
    client.post(url, {"state": "off"})  # a repeat: nothing changes, nothing recorded
    events = AuditEvent.objects.filter(object_id=str(detention.pk), action__startswith="complaint_subject.")
    assert list(events.values_list("action", flat=True)) == ["complaint_subject.switched_off"]
    # not offered for a new complaint; still offered to a complaint filed under it
    new_form = client.get(f"/bodies/{body.pk}/complaints/new/").content.decode()
    assert f'value="{detention.pk}"' not in new_form
    filed = Complaint.objects.filter(subject=detention).first()
    edit_form = client.get(f"/complaints/{filed.pk}/").content.decode()
    assert f'value="{detention.pk}"' in edit_form
    # the register's filter and the analytics still show it
    assert f'value="{detention.pk}"' in client.get(f"/bodies/{body.pk}/complaints/").content.decode()
    analytics = client.get(f"/bodies/{body.pk}/complaints/analytics/").content.decode()
    assert "Задержание" in analytics or "Detention" in analytics
    page = client.post(url, {"state": "on"}, follow=True).content.decode()
    assert "is switched on" in page
    detention.refresh_from_db()
    assert detention.is_active
    assert events.count() == 2 and events.order_by("-pk").first().action == "complaint_subject.switched_on"


def test_bad_input_and_a_member_change_nothing(client, body, secretary, member, waive_mfa):
    detention = subject(body, "detention")
    url = f"/complaint-subjects/{detention.pk}/switch/"
    login(client, member)
    assert client.post(url, {"state": "off"}).status_code in (403, 404)
    login(client, secretary)
    with translation.override("ru"):
        page = client.post(url, {"state": "maybe"}, follow=True, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert client.get(url).status_code == 405
    assert client.post("/complaint-subjects/999999/switch/", {"state": "off"}).status_code == 404
    detention.refresh_from_db()
    assert detention.is_active
    assert not AuditEvent.objects.filter(action__startswith="complaint_subject.switched").exists()


def test_a_complaint_keeps_its_subject_but_no_new_one_is_filed_under_it(body, admin_user, counted, district):
    detention = subject(body, "detention")
    switch_subject(detention, actor=admin_user, active=False)
    kept = Complaint.objects.filter(subject=detention).first()
    update_complaint(kept, actor=admin_user, changes={"measures": "Разъяснено"})  # keeps its subject
    kept.refresh_from_db()
    assert kept.subject_id == detention.pk and kept.measures == "Разъяснено"
    fields = {
        "article": "105",
        "filed_on": date(2025, 3, 1),
        "decided_on": None,
        "unit": district["inquiry"],
        "official": "investigator",
        "outcome": "pending",
    }
    with translation.override("kk"), pytest.raises(ValidationError) as refused:
        create_complaint(body=body, actor=admin_user, subject=detention, **fields)
    assert refused.value.message_dict["subject"] == ["Бұл нысана жіктеуіште өшірілген: басқасын таңдаңыз."]
    other = Complaint.objects.exclude(subject=detention).first()
    with pytest.raises(ValidationError):
        update_complaint(other, actor=admin_user, changes={"subject_id": detention.pk})
    other.refresh_from_db()
    assert other.subject_id != detention.pk
    # the analytics still count the complaints filed under it
    figures = complaint_analytics(body, ComplaintFilters())
    bars = {bar.label: bar.count for chart in figures.charts for bar in chart.bars if chart.key == "subject"}
    assert bars[detention.name] == 2


def test_the_import_names_the_row_and_column_of_a_subject_switched_off(body, admin_user, district):
    switch_subject(subject(body, "detention"), actor=admin_user, active=False)
    job = _import(
        body,
        admin_user,
        HEADER
        + "105;10.01.2025;13.01.2025;Отдел дознания;Прокурор;Иное;Отказано;нет;\n"
        + "106;11.01.2025;14.01.2025;Отдел дознания;Прокурор;задержание;Отказано;нет;\n",
    )
    assert job.status == "failed" and not Complaint.objects.exists()
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [(3, "Предмет", "subject_off")]
    with translation.override("ru"):
        text = complaint_import.error_text(job.errors[0])
    assert text.startswith("Строка 3, столбец «Предмет»:") and "«задержание»" in text


def test_a_subject_switched_off_while_the_file_is_checked_refuses_the_file(
    body, admin_user, district, monkeypatch
):
    detention = subject(body, "detention")
    real = complaint_import._insert

    def switched_meanwhile(job, spill, digest, subjects):
        switch_subject(detention, actor=admin_user, active=False)  # between the check and the writing
        return real(job, spill, digest, subjects)

    monkeypatch.setattr(complaint_import, "_insert", switched_meanwhile)
    job = _import(
        body,
        admin_user,
        HEADER + "106;11.01.2025;14.01.2025;Отдел дознания;Прокурор;Задержание;Отказано;нет;\n",
    )
    assert job.status == "failed" and not Complaint.objects.exists()
    assert job.errors == [{"code": "subject_off_meanwhile", "params": {"subject": "Задержание"}}]
    assert AuditEvent.objects.filter(action="complaint_import.refused").count() == 1


def test_the_api_lists_and_switches_subjects(client, body, secretary, member, counted, district):
    detention = subject(body, "detention")
    listed = client.get(f"/api/v1/bodies/{body.pk}/complaint-subjects", **_headers(member.user)).json()
    row = next(s for s in listed if s["id"] == detention.pk)
    assert (row["is_active"], row["complaints"]) == (True, 2)
    off = f"/api/v1/complaint-subjects/{detention.pk}/switch-off"
    assert client.post(off, **_headers(member.user)).status_code == 403
    answer = client.post(off, **_headers(secretary.user))
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert client.post(off, **_headers(secretary.user)).json()["is_active"] is False  # a repeat
    assert AuditEvent.objects.filter(action="complaint_subject.switched_off").count() == 1
    payload = {
        "article": "106",
        "filed_on": "2025-03-01",
        "decided_on": "2025-03-04",
        "unit_id": district["inquiry"].pk,
        "official": "inquiry_officer",
        "subject_id": detention.pk,
        "outcome": "satisfied",
    }
    refused = client.post(
        f"/api/v1/bodies/{body.pk}/complaints",
        payload,
        content_type="application/json",
        **_headers(secretary.user, "kk"),
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "subject_id"]
    on = client.post(f"/api/v1/complaint-subjects/{detention.pk}/switch-on", **_headers(secretary.user))
    assert on.json()["is_active"] is True
    created = client.post(
        f"/api/v1/bodies/{body.pk}/complaints",
        payload,
        content_type="application/json",
        **_headers(secretary.user),
    )
    assert created.status_code == 201
    assert (
        client.post("/api/v1/complaint-subjects/999999/switch-off", **_headers(secretary.user)).status_code
        == 404
    )
