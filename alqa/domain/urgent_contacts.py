"""Urgent contacts (clause 2.2.5): between meetings a member contacts the head of a police unit
or the Bar's Presidium urgently; the contact is logged — who, whom, when, why and with what
outcome — and reported to the next meeting.

The directory of whom to contact is the units register itself (`Unit.head_name`, `phone`,
`email`, edited through `domain.bodies.update_unit`), so it is never a copy that goes stale: the
police units and the Presidium, active, with their heads.

Reporting: every contact not yet on an agenda waits for a meeting. On a coming meeting's page the
secretary (or the chair, a deputy chair) sees the contacts waiting — those made up to the meeting's
day — and puts them on its agenda as one question, «Information on urgent contacts between
meetings»; each contact then names that agenda item and waits no more.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from alqa.domain.audit import record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.meetings import add_agenda_item, lock_meeting, meeting_day
from alqa.enums import AgendaItemKind, MeetingStatus, Side, UnitKind
from alqa.models import AgendaItem, Body, Meeting, Member, Unit, UrgentContact, User


def directory(body: Body) -> QuerySet[Unit]:
    """Whom a member may contact urgently: the body's active police units and the Bar's
    Presidium, with their heads and contacts as the units register keeps them."""
    return (
        Unit.objects.filter(body=body, is_active=True)
        .filter(Q(side=Side.POLICE) | Q(kind=UnitKind.PRESIDIUM))
        .select_related("parent")
        .order_by("side", "name_ru")
    )


def log_contact(
    *,
    body: Body,
    actor: User,
    member: Member,
    unit: Unit | None,
    contacted_at: datetime | None,
    reason: str,
    outcome: str = "",
    contact_person: str = "",
    identifiers_confirmed: bool = False,
) -> UrgentContact:
    """Effects: checks that the member belongs to the body, that the unit is in its directory
    (a police unit or the Presidium), the moment (not in the future), the reason, and the case
    guard over the free texts; whom defaults to the unit's head in the register; saves the
    contact, waiting for the next meeting; records `urgent_contact.logged`."""
    reason, outcome, contact_person = reason.strip(), outcome.strip(), contact_person.strip()
    errors: dict[str, str] = {}
    if member.body_id != body.pk or not member.is_active_on(timezone.localdate()):
        errors["member"] = _("Only a member of this body may log an urgent contact.")
    if unit is None or not directory(body).filter(pk=unit.pk).exists():
        errors["unit"] = _("Choose a police unit or the Bar's Presidium of this body.")
    elif not contact_person:
        contact_person = unit.head_name
    if contacted_at is None:
        errors["contacted_at"] = _("Say when the contact took place.")
    elif contacted_at > timezone.now():
        errors["contacted_at"] = _("The contact cannot be in the future.")
    if not reason:
        errors["reason"] = _("Say why the contact was urgent.")
    if unit is not None and "unit" not in errors and not contact_person:
        errors["contact_person"] = _("Name whom you contacted: the register names no head of this unit.")
    if errors or unit is None or contacted_at is None:
        raise ValidationError(errors)
    confirmed = check_texts(
        {"contact_person": contact_person, "reason": reason, "outcome": outcome},
        confirmed=identifiers_confirmed,
        body=body,
    )
    with transaction.atomic():
        contact = UrgentContact.objects.create(
            body=body,
            member=member,
            unit=unit,
            contact_person=contact_person,
            contacted_at=contacted_at,
            reason=reason,
            outcome=outcome,
            created_by=actor,
        )
        record_event(
            contact,
            "urgent_contact.logged",
            actor=actor,
            body=body,
            data={
                "member": member.pk,
                "unit": unit.pk if unit else None,
                "contact_person": contact_person,
                "contacted_at": contacted_at,
                "reason": reason,
                "outcome": outcome,
            }
            | audit_data(confirmed),
        )
    return contact


def waiting_for(meeting: Meeting) -> QuerySet[UrgentContact]:
    """The contacts of the meeting's body not yet on any agenda, made up to the meeting's day."""
    day = meeting_day(meeting)
    return UrgentContact.objects.filter(
        body_id=meeting.body_id, agenda_item__isnull=True, contacted_at__date__lte=day
    )


def _titles(count: int) -> tuple[str, str]:
    titles = []
    for language in ("ru", "kk"):
        with override(language):
            titles.append(_("Information on urgent contacts between meetings (%(count)s)") % {"count": count})
    return titles[0], titles[1]


def put_on_agenda(meeting: Meeting, *, actor: User, withdraw_approval: bool = False) -> AgendaItem:
    """Effects: under the meeting's lock, puts every contact waiting for it (`waiting_for`) on its
    agenda as one question (`agenda.item_added`; on an approved agenda only with
    `withdraw_approval`, and the agenda must be approved again) and
    marks them reported; records `urgent_contacts.put_on_agenda`. Asked again with nothing new
    waiting (a second click, a parallel request) it returns the same question; with nothing
    waiting at all it is refused."""
    with transaction.atomic():
        lock_meeting(meeting)
        meeting.refresh_from_db()
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("The meeting is cancelled."))
        contacts = list(waiting_for(meeting).select_for_update(no_key=True).order_by("contacted_at", "id"))
        if not contacts:
            existing = (
                AgendaItem.objects.filter(meeting=meeting, urgent_contacts__isnull=False).distinct().first()
            )
            if existing is not None:
                return existing
            raise ValidationError(_("No urgent contact is waiting to be reported to a meeting."))
        title_ru, title_kk = _titles(len(contacts))
        # the title is ours, not the writer's: nothing for the case guard to find
        item = add_agenda_item(
            meeting,
            actor=actor,
            kind=AgendaItemKind.OTHER,
            title_ru=title_ru,
            title_kk=title_kk,
            identifiers_confirmed=True,
            withdraw_approval=withdraw_approval,
        )
        UrgentContact.objects.filter(pk__in=[c.pk for c in contacts]).update(agenda_item=item)
        record_event(
            meeting,
            "urgent_contacts.put_on_agenda",
            actor=actor,
            body=meeting.body,
            data={"meeting": meeting.pk, "item": item.pk, "contacts": [c.pk for c in contacts]},
        )
    return item
