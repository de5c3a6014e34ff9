"""`field__any_of=ids` (alqa/models/lookups.py) and `insert_rows` (alqa/models/bulk.py): the
reminder run's reads and writes of thousands of rows, on SQLite and PostgreSQL alike."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from alqa.models import Assignment, AssignmentReminder, ExecutorLink, OutboxMessage
from alqa.models.bulk import insert_rows

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.unaudited_writes,
]  # the helpers themselves, unaudited by design


def test_any_of_finds_the_listed_rows_and_an_empty_list_none(official_task, unit_task, member_task):
    listed = [unit_task.pk, member_task.pk, 10**9]  # one id that is no row
    assert sorted(Assignment.objects.filter(pk__any_of=listed).values_list("pk", flat=True)) == sorted(
        [unit_task.pk, member_task.pk]
    )
    assert not Assignment.objects.filter(pk__any_of=[]).exists()
    assert list(Assignment.objects.exclude(pk__any_of=listed).values_list("pk", flat=True)) == [
        official_task.pk
    ]
    # on a relation's column as on a key; the ids of a generator read once
    insert_rows(
        AssignmentReminder,
        ("assignment_id", "kind", "due", "step", "to", "outbox_id", "sent_at"),
        [(t.pk, "due", t.due_date, 0, "", None, timezone.now()) for t in (official_task, member_task)],
    )
    found = AssignmentReminder.objects.filter(assignment_id__any_of=(pk for pk in listed))
    assert list(found.values_list("assignment_id", flat=True)) == [member_task.pk]
    assert list(
        AssignmentReminder.objects.filter(assignment__any_of=[official_task.pk]).values_list(
            "assignment_id", flat=True
        )
    ) == [official_task.pk]


def test_any_of_takes_only_integers(official_task):
    for wrong in ("12", [official_task.pk, "x"], 5):
        with pytest.raises((TypeError, ValueError)):
            list(Assignment.objects.filter(pk__any_of=wrong))


def test_inserted_rows_read_back_as_written(official_task, unit_task):
    sent = timezone.make_aware(datetime(2026, 3, 4, 9, 30, 15))
    mail = OutboxMessage.objects.create(to="a@alqa.test", subject="s", text="t")
    insert_rows(
        AssignmentReminder,
        ("assignment_id", "kind", "due", "step", "to", "outbox_id", "sent_at"),
        [
            (official_task.pk, "due", date(2026, 3, 2), -2, "official@police.test", mail.pk, sent),
            (unit_task.pk, "chair", date(2026, 2, 20), 5, "", None, sent),
        ],
    )
    assert sorted(
        AssignmentReminder.objects.values_list(
            "assignment_id", "kind", "due", "step", "to", "outbox_id", "sent_at"
        )
    ) == sorted(
        [
            (official_task.pk, "due", date(2026, 3, 2), -2, "official@police.test", mail.pk, sent),
            (unit_task.pk, "chair", date(2026, 2, 20), 5, "", None, sent),
        ]
    )
    insert_rows(AssignmentReminder, ("assignment_id", "kind"), [])  # nothing to write: no statement
    assert AssignmentReminder.objects.count() == 2


def test_a_row_short_of_a_column_or_a_name_that_is_no_column_is_refused(official_task):
    with pytest.raises(ValueError, match="each of the 3 columns"):
        insert_rows(AssignmentReminder, ("assignment_id", "kind", "due"), [(official_task.pk, "due")])
    with pytest.raises(ValueError, match="is not a column"):
        insert_rows(Assignment, ("reminders",), [(1,)])  # a relation from another table
    with pytest.raises(FieldDoesNotExist):
        insert_rows(ExecutorLink, ("assignment", "no_such"), [(official_task.pk, 1)])
    assert not AssignmentReminder.objects.exists() and not ExecutorLink.objects.exists()


def test_the_unique_claim_holds_for_rows_inserted_together(official_task):
    row = (official_task.pk, "due", official_task.due_date, 0, "", None, timezone.now())
    columns = ("assignment_id", "kind", "due", "step", "to", "outbox_id", "sent_at")
    insert_rows(AssignmentReminder, columns, [row])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(AssignmentReminder, columns, [row])
    assert AssignmentReminder.objects.count() == 1


def test_a_value_too_long_for_its_column_is_never_cut_short(official_task):
    """PostgreSQL refuses it, as an insert row by row would; SQLite, which keeps text of any
    length, stores it whole."""
    token = "t" * 65  # the column holds 64
    row = (official_task.pk, token, "a@alqa.test", "kk", timezone.now() - timedelta(days=1))
    columns = ("assignment_id", "token", "email", "language", "created_at")
    if connection.vendor == "postgresql":
        with pytest.raises(DataError), transaction.atomic():
            insert_rows(ExecutorLink, columns, [row])
        assert not ExecutorLink.objects.exists()
    else:
        insert_rows(ExecutorLink, columns, [row])
        assert list(ExecutorLink.objects.values_list("token", "language")) == [(token, "kk")]
