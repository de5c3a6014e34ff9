"""The complaints API: the register with filters and pages, a new complaint, the aggregates the
page shows, an import's progress, the notes."""

from datetime import timedelta

from django.utils import timezone

from alqa.domain.tokens import issue_token
from alqa.models import Complaint
from tests.complaints.conftest import subject


def _headers(user, language="en"):
    token = issue_token(user=user, name="test", actor=user).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": language}


def test_the_register_filters_and_pages(client, body, member, counted, district):
    headers = _headers(member.user)
    answer = client.get(
        f"/api/v1/bodies/{body.pk}/complaints?unit_id={district['inquiry'].pk}&per_page=2&page=2", **headers
    ).json()
    assert (answer["count"], answer["pages"], answer["page"]) == (3, 2, 2)
    assert [r["filed_on"] for r in answer["results"]] == ["2025-03-05"]


def test_the_aggregates_are_the_pages(client, body, member, counted):
    answer = client.get(
        f"/api/v1/bodies/{body.pk}/complaints/aggregates?article=105", **_headers(member.user)
    ).json()
    assert (answer["total"], answer["decided"], answer["satisfied"]) == (4, 3, 1)
    assert answer["median_days"] == 5.0  # 3, 5, 10


def test_a_complaint_is_created_and_bad_dates_refused(client, body, secretary, member, district):
    payload = {
        "article": "106",
        "filed_on": "2025-03-01",
        "decided_on": "2025-03-04",
        "unit_id": district["inquiry"].pk,
        "official": "inquiry_officer",
        "subject_id": subject(body, "detention").pk,
        "outcome": "satisfied",
        "violation_found": True,
    }
    url = f"/api/v1/bodies/{body.pk}/complaints"
    created = client.post(url, payload, content_type="application/json", **_headers(secretary.user))
    assert created.status_code == 201 and created.json()["outcome"] == "satisfied"
    assert (
        client.post(url, payload, content_type="application/json", **_headers(member.user)).status_code == 403
    )
    future = payload | {
        "filed_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "decided_on": None,
    }
    refused = client.post(
        url,
        future | {"outcome": "pending"},
        content_type="application/json",
        **_headers(secretary.user, "ru"),
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "filed_on"]
    assert refused.json()["detail"][0]["msg"] == "Дата не может быть в будущем."
    other = client.post(
        url, payload | {"unit_id": 10**9}, content_type="application/json", **_headers(secretary.user)
    )
    assert other.status_code == 422 and other.json()["detail"][0]["loc"] == ["body", "unit_id"]
    assert Complaint.objects.count() == 1


def test_another_body_is_not_found(client, body, outsider, counted):
    assert client.get(f"/api/v1/bodies/{body.pk}/complaints", **_headers(outsider.user)).status_code == 404


CSV = (
    "Статья;Дата подачи;Дата решения;Подразделение;Должностное лицо;Предмет;Результат;Нарушение;Меры\n"
    "105;10.01.2025;13.01.2025;Следственное управление;Следователь;Задержание;Отказано;нет;\n"
    "106;11.01.2025;;Отдел дознания;Прокурор;Иное;На рассмотрении;нет;\n"
)


def _file(content: str, name="stat.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_a_file_is_imported_through_the_api_and_its_progress_read(client, body, secretary, member, district):
    url = f"/api/v1/bodies/{body.pk}/complaints/imports"
    refused = client.post(url, {"file": _file(CSV), "source": "ДП"}, **_headers(member.user))
    assert refused.status_code == 403
    answer = client.post(url, {"file": _file(CSV), "source": "ДП"}, **_headers(secretary.user))
    assert answer.status_code == 202, answer.content
    job = answer.json()
    assert (job["status"], job["rows_done"], job["errors"]) == ("done", 2, [])
    assert Complaint.objects.filter(body=body).count() == 2
    progress = client.get(f"/api/v1/complaint-imports/{job['id']}", **_headers(member.user)).json()
    assert (progress["status"], progress["rows_done"], progress["file_name"]) == ("done", 2, "stat.csv")
    again = client.post(url, {"file": _file(CSV), "source": "ДП"}, **_headers(secretary.user))
    assert again.status_code == 422
    assert "it is not imported again" in str(again.json())
    assert Complaint.objects.filter(body=body).count() == 2


def test_an_api_import_with_a_mapping_names_bad_cells_by_row_and_column(client, body, secretary, district):
    import json

    lines = CSV.replace("Статья", "A").replace("Дата подачи", "B").splitlines()
    lines.append("105;10.01.2099;;Отдел дознания;Прокурор;Иное;На рассмотрении;нет;")
    mapping = {"article": "A", "filed_on": "B"} | {
        f: c
        for f, c in (
            ("decided_on", "Дата решения"),
            ("unit", "Подразделение"),
            ("official", "Должностное лицо"),
            ("subject", "Предмет"),
            ("outcome", "Результат"),
            ("violation_found", "Нарушение"),
            ("measures", "Меры"),
        )
    }
    url = f"/api/v1/bodies/{body.pk}/complaints/imports"
    data = {"file": _file("\n".join(lines) + "\n"), "source": "ДП", "mapping": json.dumps(mapping)}
    job = client.post(url, data, **_headers(secretary.user, "ru")).json()
    assert job["status"] == "failed"
    assert job["errors"] == ["Строка 4, столбец «B»: Дата ещё не наступила."]
    assert not Complaint.objects.filter(body=body).exists()
    bad = client.post(url, {"file": _file(CSV), "source": "ДП", "mapping": "[1]"}, **_headers(secretary.user))
    assert bad.status_code == 422 and "JSON object" in str(bad.json())
    no_column = client.post(
        url,
        {"file": _file(CSV + "\n"), "source": "ДП", "mapping": json.dumps({"article": "Статья"})},
        **_headers(secretary.user),
    )
    assert no_column.status_code == 422 and "filed_on" in str(no_column.json())
    assert client.post(url, {"source": "ДП"}, **_headers(secretary.user)).status_code == 422


def test_a_note_is_written_through_the_api(client, body, secretary, member):
    url = f"/api/v1/bodies/{body.pk}/complaint-notes"
    payload = {
        "period_from": "2025-01-01",
        "period_to": "2025-06-30",
        "title_ru": "Обобщение за полугодие",
        "recommendations_ru": "Проводить обучение.",
    }
    assert (
        client.post(url, payload, content_type="application/json", **_headers(member.user)).status_code == 403
    )
    created = client.post(url, payload, content_type="application/json", **_headers(secretary.user))
    assert created.status_code == 201, created.content
    note = created.json()
    assert (note["status"], note["title_ru"], note["recommendations_ru"]) == (
        "draft",
        "Обобщение за полугодие",
        "Проводить обучение.",
    )
    read = client.get(f"/api/v1/complaint-notes/{note['id']}", **_headers(member.user)).json()
    assert read["title_ru"] == "Обобщение за полугодие"
    backwards = payload | {"period_to": "2024-12-31"}
    refused = client.post(url, backwards, content_type="application/json", **_headers(secretary.user))
    assert refused.status_code == 422 and "before its start" in str(refused.json())
    with_iin = payload | {"causes_ru": "Жалоба 900101300017"}
    refused = client.post(url, with_iin, content_type="application/json", **_headers(secretary.user))
    assert refused.status_code == 422
    assert [n["title_ru"] for n in client.get(url, **_headers(member.user)).json()] == [
        "Обобщение за полугодие"
    ]
