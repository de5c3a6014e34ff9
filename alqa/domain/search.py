"""Full-text search over protocols and their decisions, in Russian and Kazakh.

Words are reduced to stems in Python, the same way for what is indexed and for what is asked:
Russian texts with the Snowball Russian stemmer (`snowballstemmer`), Kazakh texts with
`kazakh_stem`, a suffix-stripping stemmer for Kazakh's plural, possessive and case endings. A word
asked for is reduced both ways (it may be Russian or Kazakh), so «адвокатов», «адвокаты» and
«адвокаттардың» all find «адвокат».

The stems of each question's texts (title, who was heard, the discussion) and of each decision are
kept in `ProtocolSearchEntry.stems`, written by `reindex_protocol` in the same transaction as the
protocol's write. The database searches them with its own full-text engine: SQLite's FTS5 (the
table `alqa_protocolsearch_fts`, kept by triggers) and PostgreSQL's `to_tsvector('simple', stems)`
(a GIN index); both are made by migration 0012. `alqa.queries.protocols.search_protocols` asks.
"""

from __future__ import annotations

from typing import Any

from alqa.enums import ProtocolStatus
from alqa.models import Protocol, ProtocolSearchEntry
from alqa.stems import kazakh_stems, russian_stems


def _entry(protocol: Protocol, kind: str, order: int, ru: str, kk: str) -> ProtocolSearchEntry:
    stems = " ".join(dict.fromkeys(russian_stems(ru) + kazakh_stems(kk)))
    return ProtocolSearchEntry(
        protocol=protocol,
        body_id=protocol.body_id,
        kind=kind,
        order=order,
        text_ru=ru,
        text_kk=kk,
        stems=stems,
    )


def reindex_protocol(protocol: Protocol, content: dict[str, Any]) -> None:
    """Effects: replaces the protocol's search entries with those of `content` (its current
    revision): one per question (title, who was heard, discussion) and one per decision; none for
    a destroyed protocol. Called inside the protocol's write transaction (the caller audits)."""
    ProtocolSearchEntry.objects.filter(protocol=protocol).delete()
    if protocol.status == ProtocolStatus.DESTROYED:
        return
    rows = []
    for q in content.get("questions", []):
        ru = "\n".join(filter(None, (q.get("title_ru"), q.get("heard_ru"), q.get("discussion_ru"))))
        kk = "\n".join(filter(None, (q.get("title_kk"), q.get("heard_kk"), q.get("discussion_kk"))))
        rows.append(_entry(protocol, "question", int(q.get("order", 0)), ru, kk))
        for d in q.get("decisions", []):
            rows.append(
                _entry(
                    protocol,
                    "decision",
                    int(d.get("number") or 0),
                    d.get("text_ru", ""),
                    d.get("text_kk", ""),
                )
            )
    ProtocolSearchEntry.objects.bulk_create(rows)
