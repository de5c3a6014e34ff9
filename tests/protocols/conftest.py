"""A meeting that took place (three working days ago, quorum on both sides), with one question
and one decision whose executor is a police unit; its protocol drafted by the secretary."""

import pytest

from alqa.domain.meetings import ExecutorInput, record_decision
from alqa.domain.protocols import create_protocol
from tests.conftest import meeting_on


@pytest.fixture
def held(body, chair, secretary, member, deputy, police_unit):
    meeting, item = meeting_on(
        body,
        secretary,
        chair,
        days=-7,
        title="Доступ адвокатов в ИВС",
        present=[chair, secretary, member, deputy],
        approved=True,
    )
    item.title_kk = "Адвокаттардың ИВС-ке кіруі"
    item.save(update_fields=["title_kk"])
    record_decision(
        meeting,
        actor=secretary.user,
        agenda_item=item,
        text_ru="Обеспечить доступ адвокатов в ИВС",
        text_kk="Адвокаттардың ИВС-ке кіруін қамтамасыз ету (ә ғ қ ң ө ұ ү һ і)",
        executors=[ExecutorInput(unit_id=police_unit.pk, due_working_days=10)],
    )
    return meeting, item


@pytest.fixture
def draft(held, secretary):
    meeting, _item = held
    return create_protocol(meeting, actor=secretary.user)
