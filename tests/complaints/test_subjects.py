"""The body's classifier of subjects: every member reads it, the leaders add and rename subjects
(audited); a renamed subject keeps its complaints; a name is once in a body, whatever the case."""

from alqa.models import AuditEvent, ComplaintSubject
from tests.complaints.conftest import subject
from tests.conftest import login


def test_the_secretary_adds_and_renames_a_subject(client, body, secretary, counted, waive_mfa):
    login(client, secretary)
    url = f"/bodies/{body.pk}/complaints/subjects/"
    page = client.get(url).content.decode()
    assert "Прекращение уголовного дела" in page and "<td>3</td>" in page  # three complaints under it
    answer = client.post(url, {"name_ru": "Изъятие имущества", "name_kk": "Мүлікті алып қою"}, follow=True)
    assert "The subject has been added to the classifier." in answer.content.decode()
    added = ComplaintSubject.objects.get(body=body, name_ru="Изъятие имущества")
    assert added.position == ComplaintSubject.objects.filter(body=body).count() - 1  # at the end
    assert AuditEvent.objects.filter(action="complaint_subject.added", object_id=str(added.pk)).count() == 1
    termination = subject(body, "termination")
    edit = f"/complaint-subjects/{termination.pk}/edit/"
    client.post(edit, {"name_ru": "Прекращение дела", "name_kk": "Істі тоқтату", "position": "0"})
    termination.refresh_from_db()
    assert (termination.name_ru, termination.name_kk) == ("Прекращение дела", "Істі тоқтату")
    assert termination.complaints.count() == 3  # the complaints stay under it
    event = AuditEvent.objects.get(action="complaint_subject.changed")
    assert event.data["name_ru"] == ["Прекращение уголовного дела", "Прекращение дела"]


def test_a_name_already_in_the_classifier_or_with_a_number_is_refused(client, body, secretary, waive_mfa):
    login(client, secretary)
    url = f"/bodies/{body.pk}/complaints/subjects/"
    before = ComplaintSubject.objects.filter(body=body).count()
    page = client.post(url, {"name_ru": "задержание"}).content.decode()
    assert "The classifier already has this subject." in page
    page = client.post(url, {"name_ru": "Дело 900101300017"}).content.decode()
    assert "900101300017" not in ComplaintSubject.objects.values_list("name_ru", flat=True)
    assert client.post(url, {"name_ru": ""}).status_code == 200
    assert ComplaintSubject.objects.filter(body=body).count() == before
    detention = subject(body, "detention")
    edit = f"/complaint-subjects/{detention.pk}/edit/"
    page = client.post(edit, {"name_ru": "Иное"}).content.decode()
    assert "The classifier already has this subject." in page
    detention.refresh_from_db()
    assert detention.name_ru == "Задержание"
    assert not AuditEvent.objects.filter(action__startswith="complaint_subject.").exists()


def test_a_member_reads_the_classifier_but_does_not_change_it(client, body, member, waive_mfa):
    login(client, member)
    url = f"/bodies/{body.pk}/complaints/subjects/"
    page = client.get(url).content.decode()
    assert "Задержание" in page and "Add a subject" not in page
    assert client.post(url, {"name_ru": "Новый"}).status_code in (403, 404)
    edit = f"/complaint-subjects/{subject(body, 'detention').pk}/edit/"
    assert client.get(edit).status_code in (403, 404)
    assert not ComplaintSubject.objects.filter(name_ru="Новый").exists()


def test_a_new_subject_is_read_by_the_import(body, admin_user, secretary, district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from alqa.domain import complaint_import
    from alqa.domain.complaints import add_subject

    add_subject(body=body, actor=secretary.user, name_ru="Изъятие имущества", name_kk="Мүлікті алып қою")
    content = (
        "Статья;Дата подачи;Дата решения;Подразделение;Должностное лицо;Предмет;Результат;Нарушение;Меры\n"
        "105;10.01.2025;13.01.2025;Отдел дознания;Прокурор;Мүлікті алып қою;Отказано;нет;\n"
    ).encode()
    job = complaint_import.receive_import(
        body=body, actor=admin_user, upload=SimpleUploadedFile("s.csv", content), source="ДП"
    )
    headers, _rows = complaint_import.preview(job)
    complaint_import.start_import(
        job, actor=admin_user, columns=complaint_import.guess_columns(headers, {}), headers=headers
    )
    job = complaint_import.run_import(job.pk)
    assert job.status == "done", job.errors
    assert job.complaints.get().subject.name_ru == "Изъятие имущества"
