"""Clause 1.2, the case guard: case and personal numbers in free text are refused until the writer
confirms them; nothing is saved or audited with them before that, and the audit records only
where and what kind was confirmed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from alqa.domain.case_guard import CaseIdentifiersFound, check_texts, find_identifiers, is_iin
from alqa.domain.meetings import (
    add_agenda_item,
    record_decision,
    schedule_meeting,
)
from alqa.domain.proposals import accept_proposal, submit_proposal
from alqa.models import AgendaItem, AuditEvent, Decision, Proposal
from tests.conftest import meeting_on

# 1985-01-01, a man born in the 1900s (3), serial 0012: 8·1+5·2+1·4+1·6+3·7+1·10+2·11 = 81 ≡ 4 (mod 11)
IIN = "850101300124"
# here the first weighting gives 10, the second (3, 4, …, 11, 1, 2) gives 91 ≡ 3
IIN_SECOND_WEIGHTS = "850101300603"
ERDR = "267511031000123"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "digits, valid",
    [
        (IIN, True),
        (IIN_SECOND_WEIGHTS, True),
        ("850101300125", False),  # check digit
        ("851301300124", False),  # month 13
        ("850230300124", False),  # 30 February
        ("850101700124", False),  # no century digit 7
        ("85010130012", False),  # 11 digits
    ],
)
def test_iin_needs_a_date_a_century_and_its_check_digit(digits, valid):
    assert is_iin(digits) is valid


def test_only_standalone_numbers_of_the_right_shape_are_found():
    found = find_identifiers(
        {
            "memo_ru": f"ЕРДР №{ERDR}, ИИН {IIN}; телефон 87011234567, счёт KZ{IIN}0000, 8501013001240",
            "memo_kk": "",
        }
    )
    assert [(f.field, f.kind, f.masked) for f in found] == [
        ("memo_ru", "erdr", "2675•••••••••23"),
        ("memo_ru", "iin", "8501••••••24"),
    ]
    assert find_identifiers({"title_ru": "Приказ № 123 от 01.02.2026; 850101300125"}) == []


def test_refused_until_confirmed_and_the_number_never_in_the_message():
    with pytest.raises(CaseIdentifiersFound) as caught:
        check_texts({"text_ru": f"По делу {ERDR}"}, confirmed=False, body=None)
    message = caught.value.message_dict["text_ru"][0]
    assert "clause 1.2" in message and "2675•••••••••23" in message and ERDR not in message
    assert check_texts({"text_ru": f"По делу {ERDR}"}, confirmed=True, body=None) == ["text_ru: erdr"]
    assert check_texts({"text_ru": "Обеспечить доступ"}, confirmed=False, body=None) == []


def test_proposal_with_a_case_number_is_not_saved_until_confirmed(body, member):
    with pytest.raises(ValidationError) as caught:
        submit_proposal(
            body=body, author=member, actor=member.user, title_ru="О доступе", memo_ru=f"ИИН {IIN}"
        )
    assert "memo_ru" in caught.value.message_dict
    assert (
        not Proposal.objects.exists() and not AuditEvent.objects.filter(action="proposal.submitted").exists()
    )

    proposal = submit_proposal(
        body=body,
        author=member,
        actor=member.user,
        title_ru="О доступе",
        memo_ru=f"ИИН {IIN}",
        identifiers_confirmed=True,
    )
    event = AuditEvent.objects.get(action="proposal.submitted")
    assert event.data["case_identifiers_confirmed"] == ["memo_ru: iin"]
    assert IIN not in str(event.data)  # the memo is not in the trail; the title is
    assert proposal.memo_ru == f"ИИН {IIN}"


def test_agenda_title_and_decision_wording_are_guarded(body, chair, secretary, member, deputy):
    meeting, item = meeting_on(
        body, secretary, chair, days=-1, present=(chair, secretary, member, deputy), approved=True
    )
    with pytest.raises(ValidationError) as caught:
        add_agenda_item(meeting, actor=secretary.user, title_ru=f"Жалоба по ЕРДР {ERDR}")
    assert "title_ru" in caught.value.message_dict and AgendaItem.objects.get() == item
    with pytest.raises(ValidationError) as caught:
        record_decision(meeting, actor=secretary.user, agenda_item=item, text_kk=f"ЖСН {IIN_SECOND_WEIGHTS}")
    assert "text_kk" in caught.value.message_dict and not Decision.objects.exists()
    record_decision(
        meeting,
        actor=secretary.user,
        agenda_item=item,
        text_kk=f"ЖСН {IIN_SECOND_WEIGHTS}",
        identifiers_confirmed=True,
    )
    assert AuditEvent.objects.get(action="decision.recorded").data["case_identifiers_confirmed"] == [
        "text_kk: iin"
    ]


def test_an_accepted_proposal_was_checked_when_submitted(body, chair, secretary, member):
    proposal = submit_proposal(
        body=body,
        author=member,
        actor=member.user,
        title_ru=f"Жалоба {ERDR}",
        memo_ru="Справка",
        identifiers_confirmed=True,
    )
    meeting = schedule_meeting(
        body=body,
        actor=secretary.user,
        kind="regular",
        format="in_person",
        starts_at=timezone.now() + timedelta(days=5),
        place="Зал",
        presiding=chair,
    )
    item = accept_proposal(proposal, meeting=meeting, actor=secretary.user, decider=secretary)
    assert item.title_ru == f"Жалоба {ERDR}"
