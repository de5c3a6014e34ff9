"""The write guard (tests/audit_guard.py) catches a write that records no audit event in its
transaction, and lets an audited change, a rolled-back one and bookkeeping through.

These tests watch their own blocks, so they carry the marker that keeps the suite's guard out."""

import pytest
from django.db import transaction
from django.utils import timezone

from alqa.domain.audit import record_event
from alqa.domain.members import update_member
from alqa.models import Member, OutboxMessage, Unit, User
from alqa.models.bulk import insert_rows
from tests import audit_guard

pytestmark = pytest.mark.unaudited_writes


def test_a_write_outside_any_transaction_is_caught(body, admin_user):
    with audit_guard.watching() as guard:
        Unit.objects.create(body=body, name_ru="Без аудита", side="police", kind="structural")
    assert guard.violations == ["created alqa.Unit, outside any transaction, with no audit event"]


def test_a_transaction_without_an_audit_event_is_caught_and_one_with_it_passes(body, admin_user, member):
    with audit_guard.watching() as guard:
        with transaction.atomic():
            Member.objects.filter(pk=member.pk).update(phone="+7 700 000 00 01")
    assert guard.violations == [
        "QuerySet.update of alqa.Member (phone), in a transaction that recorded no audit event"
    ]

    with audit_guard.watching() as guard:
        with transaction.atomic():
            Member.objects.filter(pk=member.pk).update(phone="+7 700 000 00 02")
            record_event(member, "member.changed", actor=admin_user, body=body)
        update_member(member, actor=admin_user, changes={"phone": "+7 700 000 00 03"})
    assert guard.violations == []


def test_every_kind_of_write_is_seen(body, admin_user, member):
    with audit_guard.watching() as guard:
        member.full_name = "Другое имя"
        member.save(update_fields=["full_name"])
        Unit.objects.bulk_create([Unit(body=body, name_ru="Пачкой", side="police", kind="structural")])
        Member.objects.bulk_update([member], ["full_name"])
        Unit.objects.filter(name_ru="Пачкой").delete()
        insert_rows(
            Unit,
            ("body", "name_ru", "name_kk", "side", "kind", "is_operational_criminal_police", "head_name")
            + ("email", "phone", "address", "is_active"),
            [(body.pk, "Строкой", "", "police", "structural", False, "", "", "", "", True)],
        )
    assert [v.split(",")[0] for v in guard.violations] == [
        "saved alqa.Member (full_name)",
        "QuerySet.bulk_create of alqa.Unit",
        "QuerySet.update of alqa.Member (full_name)",  # bulk_update's own
        "deleted alqa.Unit",  # post_delete, inside the deletion's own transaction
        "insert_rows into alqa.Unit",  # rows written as plain values (alqa/models/bulk.py)
    ]


def test_a_rolled_back_transaction_wrote_nothing(body, admin_user):
    with audit_guard.watching() as guard:
        with pytest.raises(RuntimeError), transaction.atomic():
            Unit.objects.create(body=body, name_ru="Отменено", side="police", kind="structural")
            raise RuntimeError
    assert guard.violations == []


def test_bookkeeping_is_exempt_by_the_list(body, admin_user, member):
    with audit_guard.watching() as guard:
        User.objects.filter(pk=member.user_id).update(last_login=timezone.now())
        OutboxMessage.objects.filter(to=member.email).update(status="sending", claimed_at=timezone.now())
    assert guard.violations == []
    with audit_guard.watching() as guard:
        OutboxMessage.objects.filter(to=member.email).update(subject="Подменено")
    assert len(guard.violations) == 1  # the message itself is not bookkeeping
