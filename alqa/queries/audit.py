"""The audit trail as people read it: one sentence per event in the reader's language
(alqa/queries/audit_actions.py), names instead of addresses, the changed fields as
"field: before → after", a link to the record. A page of events costs a fixed number of queries:
the events with their actors and bodies, then one query for the meetings they name and one per
kind of record their changed fields point to."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alqa.dates import date_of, inflected_date, long_date
from alqa.models import AuditEvent, Meeting
from alqa.queries.audit_actions import ACTIONS, action_for

PAGE_SIZE = 50
TEXT_LIMIT = 160  # a decision's text in a sentence is cut to this many characters


@dataclass(frozen=True)
class Change:
    field: str  # the field's label
    before: str
    after: str


@dataclass(frozen=True)
class EventRow:
    at: datetime
    sentence: str
    changes: tuple[Change, ...]
    changed_fields: tuple[str, ...]  # labels only, where the event names fields without values
    link: str
    body: str
    raw: str  # the stored event, for administrators only (empty for anyone else)


@dataclass(frozen=True)
class AuditPage:
    page: Page
    rows: list[EventRow]
    actions: list[tuple[str, str]]  # (code, translated name), for the filter's list
    query: str  # the filter, without the page, for the pager's links


def action_choices() -> list[tuple[str, str]]:
    """Every action that has a sentence, under its translated name, in the reader's alphabet order."""
    return sorted(((code, str(a.label)) for code, a in ACTIONS.items()), key=lambda c: c[1].lower())


def filtered(
    events: QuerySet[AuditEvent], *, action: str, who: str, since: date | None, until: date | None
) -> QuerySet[AuditEvent]:
    if action:
        events = events.filter(action=action)
    if who:
        events = events.filter(Q(actor__full_name__icontains=who) | Q(actor_label__icontains=who))
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def audit_page(
    events: QuerySet[AuditEvent], *, page_number: Any, raw: bool, body_column: bool, query: str
) -> AuditPage:
    """One page of `events` (already chosen by alqa.permissions and filtered), newest first, as
    sentences; `raw` adds each event's stored data (for installation administrators)."""
    page = Paginator(events.select_related("actor", "body").order_by("-id"), PAGE_SIZE).get_page(page_number)
    events_here: list[AuditEvent] = list(page.object_list)
    meetings = _meetings_named(events_here)
    references = _references(events_here)
    rows = [_row(e, meetings, references, raw=raw, body_column=body_column) for e in events_here]
    return AuditPage(page=page, rows=rows, actions=action_choices(), query=query)


# --- who, and in which grammatical gender -------------------------------------------------------

_WOMAN_PATRONYMIC = re.compile(r"(вна|чна|қызы|кызы|гызы)$", re.IGNORECASE)
_MAN_PATRONYMIC = re.compile(r"(вич|ич|ұлы|улы|оглы|уулу)$", re.IGNORECASE)
_WOMAN_SURNAME = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая|ая)$", re.IGNORECASE)


def is_woman(full_name: str) -> bool:
    """Whether a Russian or Kazakh full name ("Surname Given Patronymic") is a woman's, for the
    agreement of Russian verbs: by the patronymic when there is one, else by the surname."""
    parts = full_name.split()
    if not parts:
        return False
    if len(parts) >= 3:
        last = parts[-1]
        if _WOMAN_PATRONYMIC.search(last):
            return True
        if _MAN_PATRONYMIC.search(last):
            return False
    return bool(_WOMAN_SURNAME.search(parts[0]))


def short_name(full_name: str) -> str:
    """«Серикбаев Арман Нурланович» → «Серикбаев А. Н.»; a name of one word stays as it is."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    return " ".join([parts[0], " ".join(f"{p[0]}." for p in parts[1:] if p[0].isalpha())]).strip()


def _actor(event: AuditEvent) -> tuple[str, bool]:
    if event.actor is not None:
        name = event.actor.full_name.strip()
        if name:
            return short_name(name), is_woman(name)
        return event.actor.email, False
    if event.object_type == "invitation" and ": " in event.object_label:
        name = event.object_label.split(": ", 1)[1]
        return short_name(name), is_woman(name)
    return "Alqa", False


# --- what the event names ------------------------------------------------------------------------


def _meeting_id(event: AuditEvent) -> int | None:
    if event.object_type == "meeting":
        return int(event.object_id) if event.object_id.isdigit() else None
    value = event.data.get("meeting") if isinstance(event.data, dict) else None
    return value if isinstance(value, int) else None


def _meetings_named(events: list[AuditEvent]) -> dict[int, Meeting]:
    ids = {i for i in (_meeting_id(e) for e in events) if i is not None}
    if not ids:
        return {}
    return {m.pk: m for m in Meeting.objects.filter(pk__in=ids).only("id", "starts_at", "kind", "body_id")}


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model("alqa", object_type) if object_type else None
    except LookupError:
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _changes_of(event: AuditEvent) -> dict[str, list[Any]]:
    """The {field: [before, after]} of a change event: the keys that are fields of the record."""
    data = event.data if isinstance(event.data, dict) else {}
    model = _model(event.object_type)
    return {
        k: v
        for k, v in data.items()
        if isinstance(v, list)
        and len(v) == 2
        and _field(model, k) is not None
        and event.action.endswith("changed")
    }


def _references(events: list[AuditEvent]) -> dict[type[models.Model], dict[Any, str]]:
    """The records that changed fields point to (a member's unit, a meeting's presiding person):
    one query per kind of record, for the whole page."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for event in events:
        model = _model(event.object_type)
        for name, values in _changes_of(event).items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                wanted[field.related_model].update(v for v in values if v is not None)
    return {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }


# --- values as people read them ------------------------------------------------------------------


def _in_language(data: dict[str, Any], stem: str) -> str:
    """`data["<stem>_kk"]` for a Kazakh reader, `_ru` otherwise, the other one when it is empty."""
    kk, ru = str(data.get(f"{stem}_kk") or ""), str(data.get(f"{stem}_ru") or "")
    first, second = (kk, ru) if (get_language() or "ru").startswith("kk") else (ru, kk)
    return first or second


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def _plain(value: Any) -> str:
    """A value of the event's data without knowing its field: dates as dates, yes/no, lists."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, str):
        if len(value) == 10 and (day := _as_date(value)):
            return long_date(day)
        if len(value) > 10 and "T" in value and (moment := _as_datetime(value)):
            return (
                timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")
                if timezone.is_aware(moment)
                else str(value)
            )
        return _cut(value)
    return str(value)


def _as_date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _as_datetime(text: str) -> datetime | None:
    try:
        return parse_datetime(text)
    except ValueError:
        return None


def _value(
    field: models.Field | None, value: Any, references: dict[type[models.Model], dict[Any, str]]
) -> str:
    """A value of a field as the record's page shows it: a choice's label, the name of a record."""
    if field is None or value is None or value == "":
        return _plain(value)
    if field.is_relation and field.related_model is not None:
        return references.get(field.related_model, {}).get(value, "—")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return _plain(value)


def _label(field: models.Field | None, name: str) -> str:
    return str(field.verbose_name) if field is not None else name


# --- one event -----------------------------------------------------------------------------------


# Dates of an event's data that its sentence puts in a case: the Kazakh sentence inflects the date
# itself («2026 жылғы 9 қаңтардан 2026 жылғы 12 қаңтарға ауыстырылды»); Russian and English read
# the plain date after their preposition (alqa.dates.DATE_FORMS).
_DATE_FORMS: dict[str, dict[str, str]] = {
    "deadline.recounted": {"from": "ablative_bare", "to": "dative"},
    "assignment.reminded": {"due": "locative"},
}


class _Parts(dict):
    """The sentence's parts; a part the event does not carry reads as a dash, never an error."""

    def __missing__(self, key: str) -> str:
        return "—"


def _parts(
    event: AuditEvent, meetings: dict[int, Meeting], actor: str, choices: tuple[tuple[str, Any], ...] = ()
) -> _Parts:
    data = event.data if isinstance(event.data, dict) else {}
    model = _model(event.object_type)
    parts = _Parts()
    for key, value in data.items():
        field = _field(model, key)
        if field is not None and field.is_relation:
            field = None  # the data names the related record itself (a guest's name), not its id
        parts[key] = _value(field, value, {}) if not isinstance(value, list | dict) else _plain(value)
        if isinstance(value, list):
            parts[f"{key}_count"] = str(len(value))
    for key, form in _DATE_FORMS.get(event.action, {}).items():
        if isinstance(data.get(key), str) and (day := _as_date(data[key])):
            parts[key] = inflected_date(day, form)
    for key, kind in choices:  # a code the action names: its label (an unknown code as it is)
        if isinstance(data.get(key), str):
            parts[key] = str(dict(kind.choices).get(data[key], data[key]))
    for stem in ("title", "text", "name"):
        if f"{stem}_ru" in data or f"{stem}_kk" in data:
            parts[stem] = _cut(_in_language(data, stem)) or "—"
    meeting = meetings.get(_meeting_id(event) or 0)
    parts["meeting"] = date_of(meeting.starts_at) if meeting is not None else "—"
    parts["object"] = event.object_label or "—"
    parts["actor"] = actor
    return parts


def _link(event: AuditEvent, meetings: dict[int, Meeting]) -> str:
    """The page of the record the event is about, where one exists (not for a deletion)."""
    if event.action.endswith(".deleted") or not event.object_id.isdigit():
        return ""
    pk, kind, body_id = int(event.object_id), event.object_type, event.body_id
    if kind == "meeting" or (kind in ("agendaitem", "invitation", "decision") and _meeting_id(event)):
        meeting_id = pk if kind == "meeting" else _meeting_id(event)
        return reverse("meeting", args=[meeting_id]) if meeting_id in meetings else ""
    by_record = {"proposal": "proposal", "member": "member"}
    if kind in by_record:
        return reverse(by_record[kind], args=[pk])
    if body_id is not None:
        by_body = {"unit": "units", "guest": "guests", "bodypolicy": "policy", "body": "body"}
        if kind in by_body:
            return reverse(by_body[kind], args=[body_id])
    if kind == "calendarexception":
        return reverse("calendar")
    return ""


def _row(
    event: AuditEvent,
    meetings: dict[int, Meeting],
    references: dict[type[models.Model], dict[Any, str]],
    *,
    raw: bool,
    body_column: bool,
) -> EventRow:
    actor, woman = _actor(event)
    action = action_for(event.action)
    template = str(action.woman if woman and action.woman is not None else action.sentence)
    try:
        sentence = template % _parts(event, meetings, actor, action.choices)
    except (TypeError, ValueError, KeyError):  # a translation that names a part wrongly
        sentence = f"{actor}: {action.label} — {event.object_label}"
    model = _model(event.object_type)
    changes = tuple(
        Change(
            field=_label(_field(model, name), name),
            before=_value(_field(model, name), before, references),
            after=_value(_field(model, name), after, references),
        )
        for name, (before, after) in _changes_of(event).items()
    )
    fields = event.data.get("fields") if isinstance(event.data, dict) else None
    changed_fields = (
        tuple(_label(_field(model, f), f) for f in fields if isinstance(f, str))
        if isinstance(fields, list)
        else ()
    )
    return EventRow(
        at=event.at,
        sentence=sentence,
        changes=changes,
        changed_fields=changed_fields,
        link=_link(event, meetings),
        body=(event.body.name if event.body is not None else "") if body_column else "",
        raw=_raw(event) if raw else "",
    )


def _raw(event: AuditEvent) -> str:
    return json.dumps(
        {
            "id": event.pk,
            "action": event.action,
            "object": f"{event.object_type} {event.object_id}",
            "actor": event.actor_label,
            "data": event.data,
            "digest": event.digest,
        },
        ensure_ascii=False,
        indent=1,
    )
