"""Word stems for full-text search, in Russian and Kazakh (see alqa/domain/search.py): Russian
with the Snowball Russian stemmer, Kazakh with a suffix-stripping stemmer of its own. Pure
functions (the migration that indexes existing protocols uses them too)."""

from __future__ import annotations

import functools
import re
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_STEM = 3  # letters a stem keeps at least
MAX_TERMS = 8  # words of a query looked at

# Kazakh endings, stripped from the end of a word in the order they stand from its end: one case
# ending, then one possessive, then one plural («адвокат-тар-ы-ның»), each only while the stem
# keeps MIN_STEM letters. The first and second person singular possessives (-ым, -ың) are left
# alone: protocols hardly use them, and words such as «шешім» end like them.
_KK_CASE = (
    "менен", "дағы", "дегі", "тағы", "тегі",
    "ның", "нің", "дың", "дің", "тың", "тің", "нда", "нде", "нан", "нен", "дан", "ден", "тан", "тен",
    "мен", "бен", "пен",
    "ға", "ге", "қа", "ке", "на", "не", "ны", "ні", "ды", "ді", "ты", "ті", "да", "де", "та", "те",
)  # fmt: skip
_KK_POSSESSIVE = ("ымыз", "іміз", "ыңыз", "іңіз", "сы", "сі", "ы", "і")
_KK_PLURAL = ("лар", "лер", "дар", "дер", "тар", "тер")


def _strip(word: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def kazakh_stem(word: str) -> str:
    """The stem of a Kazakh word: its case ending, possessive and plural stripped."""
    if word.endswith(("ын", "ін")) and len(word) - 1 >= MIN_STEM:  # accusative -н after a possessive
        word = word[:-1]
    else:
        word = _strip(word, _KK_CASE)
    return _strip(_strip(word, _KK_POSSESSIVE), _KK_PLURAL)


@functools.lru_cache(maxsize=1)
def _russian() -> Any:
    # imported on first use: snowballstemmer loads every language's stemmer (some 10 MB), and a
    # web worker imports this module with the search though it may never index a protocol
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("russian")


def words(text: str) -> list[str]:
    """The words of a text, lower case, «ё» as «е»."""
    return [w for w in _WORD.findall((text or "").lower().replace("ё", "е")) if not w.isdigit() or len(w) > 1]


def russian_stems(text: str) -> list[str]:
    return list(_russian().stemWords(words(text)))


def kazakh_stems(text: str) -> list[str]:
    return [kazakh_stem(w) for w in words(text)]


def query_terms(q: str) -> list[set[str]]:
    """Each word asked for as the set of its possible stems (Russian and Kazakh)."""
    terms = []
    for word in words(q)[:MAX_TERMS]:
        stems = {word, kazakh_stem(word), *_russian().stemWords([word])}
        terms.append({s for s in stems if s})
    return terms
