"""A meeting held seven days ago with one decision and three executors — a police unit (10 working
days), a named official with an e-mail (a date), a member of the body (5 working days) — and its
protocol signed the day after the meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alqa.domain.meetings import ExecutorInput, record_decision
from alqa.domain.protocols import create_protocol
from alqa.models import Assignment, Protocol
from tests.conftest import meeting_on

OFFICIAL_EMAIL = "official@police.test"


@pytest.fixture
def decision(body, chair, secretary, member, deputy, police_unit):
    meeting, item = meeting_on(
        body, secretary, chair, days=-7, present=[chair, secretary, member, deputy], approved=True
    )
    return record_decision(
        meeting,
        actor=secretary.user,
        agenda_item=item,
        text_ru="Обеспечить доступ адвокатов в ИВС",
        text_kk="Адвокаттардың ИВС-ке кіруін қамтамасыз ету",
        executors=[
            ExecutorInput(unit_id=police_unit.pk, due_working_days=10),
            ExecutorInput(
                name="Начальник ИВС Касымов Б.",
                due_date=timezone.localdate() + timedelta(days=20),
                email=OFFICIAL_EMAIL,
                language="kk",
            ),
            ExecutorInput(member_id=member.pk, due_working_days=5),
        ],
    )


@pytest.fixture
def signed(decision, secretary):
    """The protocol, its signature day set as the signatures would set it (the signing itself is
    tested with the protocols)."""
    protocol = create_protocol(decision.meeting, actor=secretary.user)
    day = timezone.localtime(decision.meeting.starts_at).date() + timedelta(days=1)
    Protocol.objects.filter(pk=protocol.pk).update(signed_on=day)
    protocol.refresh_from_db()
    return protocol


@pytest.fixture
def unit_task(decision):
    return Assignment.objects.get(decision=decision, executor_unit__isnull=False)


@pytest.fixture
def official_task(decision):
    return Assignment.objects.get(decision=decision, executor_name__startswith="Начальник")


@pytest.fixture
def member_task(decision):
    return Assignment.objects.get(decision=decision, executor_member__isnull=False)
