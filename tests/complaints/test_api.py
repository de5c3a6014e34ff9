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
