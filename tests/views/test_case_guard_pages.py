"""The case guard on the pages: a proposal, a question or a decision holding what looks like a
criminal case's ЕРДР number or an ИИН is kept back with a message on its field and a checkbox to
confirm; nothing is saved until the writer removes the number or ticks the box."""

import pytest

from alqa.domain.meetings import AttendanceRow, add_agenda_item, approve_agenda, record_attendance
from alqa.models import AgendaItem, AuditEvent, Decision, Proposal
from tests.conftest import login, meeting_on

pytestmark = pytest.mark.usefixtures("waive_mfa")

ERDR = "267511031000123"
IIN = "850101300124"
CONFIRM = "The numbers found identify no criminal case and no person"


def test_a_proposal_with_an_iin_waits_for_the_writers_confirmation(client, body, member):
    login(client, member)
    url = f"/bodies/{body.pk}/proposals/new/"
    assert CONFIRM not in client.get(url).content.decode()  # nothing to confirm yet
    data = {"title_ru": "О доступе в ИВС", "memo_ru": f"Адвокат ждал три часа, ИИН {IIN}."}
    page = client.post(url, data).content.decode()
    assert (
        "clause 1.2 of the regulation" in page
        and "8501••••••24" in page
        and IIN not in page.split("<textarea")[0]
    )
    assert 'type="checkbox" name="confirm_identifiers"' in page and CONFIRM in page
    assert not Proposal.objects.exists()

    response = client.post(url, data | {"confirm_identifiers": "on"})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.memo_ru == data["memo_ru"]
    event = AuditEvent.objects.get(action="proposal.submitted")
    assert event.data["case_identifiers_confirmed"] == ["memo_ru: iin"]


def test_a_removed_number_needs_no_confirmation(client, body, member):
    login(client, member)
    url = f"/bodies/{body.pk}/proposals/new/"
    client.post(url, {"title_ru": f"Жалоба по делу {ERDR}", "memo_ru": "Справка"})
    response = client.post(url, {"title_ru": "Жалоба по делу", "memo_ru": "Справка"})
    assert response.status_code == 302
    assert "case_identifiers_confirmed" not in AuditEvent.objects.get(action="proposal.submitted").data


def test_a_question_and_a_decision_wait_too_in_kazakh(client, body, chair, secretary, member, deputy):
    meeting, _ = meeting_on(body, secretary, chair, days=-1, title=None)
    login(client, secretary, language="kk")
    page = client.post(
        f"/meetings/{meeting.pk}/items/new/", {"title_ru": f"По ЕРДР {ERDR}", "kind": "other"}
    ).content.decode()
    assert "2675•••••••••23" in page and 'name="confirm_identifiers"' in page
    assert "1.2" in page and "clause 1.2" not in page  # said in Kazakh
    assert not AgendaItem.objects.exists()

    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Доступ в ИВС")
    approve_agenda(meeting, actor=chair.user)
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    url = f"/meetings/{meeting.pk}/items/{item.pk}/decision/"
    data = {
        "text_ru": "Обеспечить доступ",
        "executors-TOTAL_FORMS": "1",
        "executors-INITIAL_FORMS": "0",
        "executors-0-name": f"Следователь, ИИН {IIN}",
        "executors-0-due_working_days": "5",
    }
    page = client.post(url, data).content.decode()
    assert "8501••••••24" in page and 'type="checkbox" name="confirm_identifiers"' in page
    assert not Decision.objects.exists()
    assert client.post(url, data | {"confirm_identifiers": "on"}).status_code == 302
    assert Decision.objects.get().assignments.get().executor_name == f"Следователь, ИИН {IIN}"


def test_a_cancellation_reason_is_guarded(client, body, chair, secretary):
    meeting, _ = meeting_on(body, secretary, chair, days=3, title=None)
    login(client, secretary)
    url = f"/meetings/{meeting.pk}/cancel/"
    reason = f"Председатель занят по делу {ERDR}"
    page = client.post(url, {"reason": reason}).content.decode()
    assert "2675•••••••••23" in page and 'type="checkbox" name="confirm_identifiers"' in page
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    assert client.post(url, {"reason": reason, "confirm_identifiers": "on"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert AuditEvent.objects.get(action="meeting.cancelled").data["case_identifiers_confirmed"] == [
        "reason: erdr"
    ]
