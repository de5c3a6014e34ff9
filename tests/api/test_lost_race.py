"""A write that loses a race to a unique constraint (another request stored the same thing between
the domain's check and its insert) answers 409 in the caller's language, with nothing stored by
it; any other integrity error is a bug and is not dressed up as a conflict."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from alqa.api import workdays
from alqa.models import CalendarException, Proposal
from tests.api.conftest import translated

CONFLICT = "Someone changed this at the same moment; reload it and try again."
EXCEPTION = {"date": "2026-12-04", "kind": "day_off", "name_ru": "Перенос", "legal_act": "Постановление № 1"}


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_unique_constraint_lost_to_a_parallel_request_is_a_409(monkeypatch, staff_user, as_user):
    def lost_race(**fields):
        """The domain's check passed; a parallel request then stored the same date first."""
        with transaction.atomic():
            CalendarException.objects.create(
                date=fields["day"], kind="day_off", name_ru="Другой запрос", legal_act="№ 2"
            )
            return CalendarException.objects.create(
                date=fields["day"], kind=fields["kind"], name_ru=fields["name_ru"], legal_act="№ 1"
            )

    monkeypatch.setattr(workdays, "add_calendar_exception", lost_race)
    api = as_user(staff_user)
    response = api.post("/calendar/exceptions", EXCEPTION, language="kk")
    assert response.status_code == 409
    assert response.json() == {"detail": translated(CONFLICT, "kk")}
    assert not CalendarException.objects.filter(date=date(2026, 12, 4)).exists()


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_another_integrity_error_is_not_called_a_conflict(monkeypatch, staff_user, as_user):
    def broken(**fields):
        with transaction.atomic():  # a proposal without a title breaks a check constraint
            return Proposal.objects.create(body_id=10**6, author_id=10**6)

    monkeypatch.setattr(workdays, "add_calendar_exception", broken)
    with pytest.raises(IntegrityError):
        as_user(staff_user).post("/calendar/exceptions", EXCEPTION)
