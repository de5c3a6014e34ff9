"""The words-to-find box of the register pages: a NUL character in the address (no person types
it; PostgreSQL refuses it in a query) is dropped, and the page answers as for the rest."""

import pytest

from tests.conftest import login


@pytest.mark.parametrize(
    "page",
    [
        "/bodies/{body}/members/?q=Иса\x00ев",
        "/bodies/{body}/legislation/?q=УПК\x00",
        "/bodies/{body}/protocols/search/?q=до\x00ступ",
    ],
)
def test_a_nul_in_the_words_to_find_is_dropped(client, body, member, page):
    login(client, member, "en")
    response = client.get(page.format(body=body.pk))
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_the_member_search_finds_the_words_without_the_nul(client, body, member):
    login(client, member, "en")
    page = client.get(f"/bodies/{body.pk}/members/?q=Иса\x00ев").content.decode()
    assert "Исаев Тимур" in page
