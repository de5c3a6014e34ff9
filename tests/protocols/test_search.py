# ruff: noqa: F811 - the fixtures `held` and `draft` come from tests/protocols/conftest.py
"""Full-text search over protocols and decisions: Russian and Kazakh word forms found (SQLite FTS5
and PostgreSQL full-text behind one function), the index kept with every write, only the body's
protocols, the page and the API."""

import pytest

from alqa.domain import protocols as domain
from alqa.models import ProtocolSearchEntry
from alqa.queries.protocols import search_protocols
from alqa.stems import kazakh_stem, query_terms
from tests.api.conftest import Api, token_for
from tests.conftest import login


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("адвокаттардың", "адвокат"),
        ("адвокаттарға", "адвокат"),
        ("адвокатқа", "адвокат"),
        ("кіруін", "кіру"),
        ("кіруі", "кіру"),
        ("шешімдері", "шешім"),
        ("топтың", "топ"),
        ("шешім", "шешім"),  # ends like a possessive, is not one
        ("сотталған", "сотталған"),
        ("үй", "үй"),  # too short to lose anything
    ],
)
def test_the_kazakh_stemmer_strips_plural_possessive_and_case(word, stem):
    assert kazakh_stem(word) == stem


def test_a_query_word_is_stemmed_both_ways():
    (terms,) = query_terms("Адвокатов")
    assert "адвокат" in terms


def _texts(draft, held, secretary, **texts):
    _meeting, item = held
    domain.update_draft(
        draft, actor=secretary.user, version=draft.version, texts={item.pk: domain.QuestionText(**texts)}
    )
    draft.refresh_from_db()


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("адвокатам", True),  # Russian: «адвокатов» in the title, another case asked
        ("доступе адвокатов", True),  # every word, any form
        ("адвокаттарға", True),  # Kazakh: «Адвокаттардың» in the title
        ("қамтамасыз", True),  # Kazakh decision text
        ("изолятором", True),  # Russian discussion: «изоляторе»
        ("шешімдеріне", True),  # Kazakh discussion: «шешімдерін»
        ("адвокатов прокурор", False),  # a word that is nowhere
        ("ИВС", True),
    ],
)
def test_russian_and_kazakh_word_forms_are_found(draft, held, secretary, body, q, found):
    _texts(
        draft,
        held,
        secretary,
        discussion_ru="Обсуждали условия в изоляторе временного содержания",
        discussion_kk="Топ мүшелері шешімдерін талқылады",
    )
    hits = search_protocols(body.pk, q, language="ru")
    assert bool(hits) is found, (q, hits)
    if found:
        assert {h.protocol_id for h in hits} == {draft.pk}


def test_hits_show_the_place_in_the_readers_language(draft, body):
    (question,) = [h for h in search_protocols(body.pk, "адвокатов", language="ru") if h.kind == "question"]
    assert question.label == draft.label and question.order == 1
    assert question.text.startswith("Доступ адвокатов в ИВС")
    kk = search_protocols(body.pk, "қамтамасыз", language="kk")
    assert [h.kind for h in kk] == ["decision"]
    assert kk[0].text.startswith("Адвокаттардың ИВС-ке кіруін")


def test_the_index_follows_every_write_in_the_same_transaction(draft, held, secretary, chair, body):
    assert not search_protocols(body.pk, "голодовка", language="ru")
    _texts(draft, held, secretary, heard_ru="Сообщение о голодовке в ИВС")
    assert search_protocols(body.pk, "голодовки", language="ru")
    _texts(draft, held, secretary, heard_ru="Сообщение заменено")
    assert not search_protocols(body.pk, "голодовки", language="ru")
    assert ProtocolSearchEntry.objects.filter(protocol=draft).count() == 2  # a question, a decision


def test_another_bodys_protocols_are_not_found(draft, other_body):
    assert search_protocols(other_body.pk, "адвокатов", language="ru") == []


def test_a_destroyed_protocol_is_not_found(draft, chair, secretary, body):
    from tests.protocols.test_lifecycle import sign_both

    sign_both(draft, chair, secretary)
    later = draft.retain_until.replace(year=draft.retain_until.year + 1)
    domain.destroy_protocol(draft, actor=secretary.user, act="Акт № 1", today=later)
    assert search_protocols(body.pk, "адвокатов", language="ru") == []


def test_quotes_and_operators_in_a_query_are_words(draft, body):
    for q in ['"адвокатов', "адвокатов*", "NEAR(адвокатов)", "адвокатов & | ! :*", "AND OR NOT"]:
        search_protocols(body.pk, q, language="ru")  # never a syntax error of the engine


def test_the_search_page(client, draft, secretary, outsider, body, waive_mfa):
    login(client, secretary, language="kk")
    page = client.get(f"/bodies/{body.pk}/protocols/search/", {"q": "адвокаттардың"}).content.decode()
    assert f"/protocols/{draft.pk}/" in page and "Адвокаттардың ИВС-ке кіруі" in page
    login(client, outsider)
    assert client.get(f"/bodies/{body.pk}/protocols/search/", {"q": "адвокат"}).status_code == 404


def test_the_search_api(draft, secretary, outsider, body):
    api = Api(token_for(secretary.user), language="ru")
    hits = api.get(f"/bodies/{body.pk}/protocols/search", {"q": "адвокатам"}).json()
    assert {h["protocol_id"] for h in hits} == {draft.pk}
    assert {h["kind"] for h in hits} == {"question", "decision"}
    assert api.get(f"/bodies/{body.pk}/protocols/search", {"q": ""}).status_code == 422
    assert (
        Api(token_for(outsider.user)).get(f"/bodies/{body.pk}/protocols/search", {"q": "x"}).status_code
        == 404
    )
