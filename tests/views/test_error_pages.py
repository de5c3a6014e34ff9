"""Error pages in the reader's language and Alqa's look, saying what happened and where to go;
the 500 page needs no database; the API keeps answering JSON."""

import re

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.conftest import login


def _heading(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_not_found_in_kazakh_with_the_way_back(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="kk">' in page and _heading(response) == "Бет табылмады"
    assert "404 қатесі" in page and 'href="/"' in page and "Басты бетке өту" in page
    assert 'href="/accounts/login/"' in page  # not signed in: signing in may be the way
    assert 'rel="stylesheet"' in page and 'class="top"' in page


def test_a_record_of_another_body_is_not_found_in_the_readers_language(client, member, other_body, waive_mfa):
    login(client, member, "ru")
    response = client.get(f"/bodies/{other_body.pk}/")
    assert response.status_code == 404 and _heading(response) == "Страница не найдена"
    assert "мониторинговой группе, в которую вы не входите" in response.content.decode()


def test_not_allowed_in_russian_names_the_reason(client, body, member, waive_mfa):
    login(client, member, "ru")
    response = client.get(f"/bodies/{body.pk}/audit/")
    assert response.status_code == 403 and _heading(response) == "Нет доступа"
    page = response.content.decode()
    assert "Ошибка 403" in page and "секретарю или председателю" in page and "Forbidden" not in page


def test_a_button_address_opened_in_the_browser_answers_the_same_look(client, member, waive_mfa):
    login(client, member, "kk")
    response = client.get("/calendar/reset/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert _heading(response) == "Бұл мекенжай мұндай сұрауды қабылдамайды"


def test_the_api_keeps_answering_json(client, db):
    response = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Не найдено."}


@pytest.mark.django_db
def test_the_500_page_renders_with_the_database_unreachable(monkeypatch):
    def unreachable(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", unreachable)
    client = Client(raise_request_exception=False)
    client.cookies["alqa_language"] = "kk"
    response = client.get("/workdays/?start=2025-12-30&days=5", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="kk">' in page and _heading(response) == "Бірдеңе дұрыс болмады"
    assert "500 қатесі" in page and "жүйе әкімшісіне" in page and 'href="/"' in page
    response = Client(raise_request_exception=False).get(
        "/workdays/?start=2025-12-30&days=5", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert _heading(response) == "Что-то пошло не так"


def test_the_favicon_answers(client, db):
    page = client.get("/accounts/login/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert client.get(icon).status_code == 200
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon


def test_an_expired_form_says_so_in_the_readers_language(db, member, waive_mfa):
    client = Client(enforce_csrf_checks=True)
    login(client, member, "kk")
    response = client.post("/calendar/reset/")
    assert response.status_code == 403 and _heading(response) == "Рұқсат жоқ"
    assert "Форманың мерзімі өтті" in response.content.decode()
