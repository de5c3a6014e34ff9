"""Compliance remarks and work plans through the API: a member files a remark (idempotent with
its token), the secretary drafts a plan and adds items, the chair approves, the plan reads back
with its items and statistics; refusals are 403, 404 and 422 in the caller's language."""

from __future__ import annotations

import pytest
from django.utils import timezone

from alqa.domain.meetings import record_decision
from alqa.models import ComplianceRemark, PlanItem, WorkPlan
from tests.api.conftest import error_fields
from tests.conftest import meeting_on

YEAR = timezone.localdate().year


@pytest.fixture
def decision(body, chair, secretary, member, deputy):
    meeting, item = meeting_on(
        body, secretary, chair, days=-20, present=[chair, secretary, member, deputy], approved=True
    )
    return record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ")


def test_a_member_files_a_remark_once_and_reads_the_register(body, member_api, outsider_api, decision):
    sent = {"decision_id": decision.pk, "facts_ru": "Не исполнено", "client_token": "abc"}
    first = member_api.post(f"/bodies/{body.pk}/remarks", sent)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["decision_id"] == decision.pk and data["status"] == "open" and data["proposal_id"]
    again = member_api.post(f"/bodies/{body.pk}/remarks", sent)
    assert again.json()["id"] == data["id"] and ComplianceRemark.objects.count() == 1
    listed = member_api.get(f"/bodies/{body.pk}/remarks", {"status": "open"}).json()
    assert [r["id"] for r in listed] == [data["id"]]
    assert member_api.get(f"/bodies/{body.pk}/remarks", {"status": "closed"}).json() == []
    assert member_api.get(f"/remarks/{data['id']}").json()["facts_ru"] == "Не исполнено"
    assert outsider_api.get(f"/remarks/{data['id']}").status_code == 404
    assert outsider_api.post(f"/bodies/{body.pk}/remarks", sent).status_code == 404
    bad = member_api.post(f"/bodies/{body.pk}/remarks", {"decision_id": decision.pk})
    assert bad.status_code == 422 and "facts_ru" in error_fields(bad)
    neither = member_api.post(f"/bodies/{body.pk}/remarks", {"facts_ru": "x"})
    assert neither.status_code == 422 and "decision_id" in error_fields(neither)
    missing = member_api.post(f"/bodies/{body.pk}/remarks", {"decision_id": 999999, "facts_ru": "x"})
    assert missing.status_code == 422 and "decision_id" in error_fields(missing)
    assert member_api.post(f"/remarks/{data['id']}/close", {"outcome_ru": "x"}).status_code == 403


def test_the_secretary_closes_a_remark_once(body, member_api, secretary_api, decision):
    sent = {"decision_id": decision.pk, "facts_kk": "Орындалмады"}
    remark_id = member_api.post(f"/bodies/{body.pk}/remarks", sent).json()["id"]
    empty = secretary_api.post(f"/remarks/{remark_id}/close", {})
    assert empty.status_code == 422 and "outcome_ru" in error_fields(empty)
    closed = secretary_api.post(f"/remarks/{remark_id}/close", {"outcome_ru": "Заслушано"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["outcome_ru"] == "Заслушано" and closed.json()["closed_at"]
    assert secretary_api.post(f"/remarks/{remark_id}/close", {"outcome_ru": "Ещё"}).status_code == 422


def test_plans_from_draft_to_approval(body, chair_api, secretary_api, member_api, member, police_unit):
    created = secretary_api.post(
        f"/bodies/{body.pk}/plans", {"period": "quarter", "year": YEAR, "quarter": 4}
    )
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert created.json()["label"] == f"Plan for quarter 4 of {YEAR}" and created.json()["items"] == []
    dup = secretary_api.post(f"/bodies/{body.pk}/plans", {"period": "quarter", "year": YEAR, "quarter": 4})
    assert dup.status_code == 422 and "year" in error_fields(dup)
    assert member_api.post(f"/bodies/{body.pk}/plans", {"period": "year", "year": YEAR}).status_code == 403

    item = {
        "activity_ru": "Посещение ИВС",
        "due_date": f"{YEAR}-12-15",
        "executors": [{"member_id": member.pk}, {"unit_id": police_unit.pk}, {"name": "Начальник ДП"}],
    }
    no_executor = secretary_api.post(f"/plans/{plan_id}/items", item | {"executors": []})
    assert no_executor.status_code == 422 and "executors" in error_fields(no_executor)
    outside = secretary_api.post(f"/plans/{plan_id}/items", item | {"due_date": f"{YEAR}-01-15"})
    assert outside.status_code == 422 and "due_date" in error_fields(outside)
    added = secretary_api.post(f"/plans/{plan_id}/items", item)
    assert added.status_code == 201, added.content
    assert len(added.json()["assignments"]) == 3 and added.json()["number"] == 1

    assert secretary_api.post(f"/plans/{plan_id}/approve").status_code == 403
    approved = chair_api.post(f"/plans/{plan_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert chair_api.post(f"/plans/{plan_id}/approve").status_code == 422
    amendment = secretary_api.post(f"/plans/{plan_id}/items", item | {"activity_ru": "Семинар"})
    assert amendment.status_code == 422 and "reason" in error_fields(amendment)
    secretary_api.post(f"/plans/{plan_id}/items", item | {"activity_ru": "Семинар", "reason": "Поручение"})

    read = member_api.get(f"/plans/{plan_id}").json()
    assert [i["activity_ru"] for i in read["items"]] == ["Посещение ИВС", "Семинар"]
    assert read["amendments"][0]["reason"] == "Поручение"
    assert read["statistics"]["total"] == 2 and set(read["statistics_by_side"]) == {"police", "bar", "other"}
    assert [p["id"] for p in member_api.get(f"/bodies/{body.pk}/plans").json()] == [plan_id]
    assert WorkPlan.objects.count() == 1 and PlanItem.objects.count() == 2

    forward = secretary_api.post(f"/plans/{plan_id}/copy-forward")
    assert forward.status_code == 201, forward.content
    assert (forward.json()["year"], forward.json()["quarter"]) == (YEAR + 1, 1)
    assert [i["activity_ru"] for i in forward.json()["items"]] == ["Посещение ИВС", "Семинар"]
    assert secretary_api.post(f"/plans/{plan_id}/copy-forward").status_code == 422


def test_a_report_on_a_plan_item_through_the_api_records_its_result(
    body, chair, secretary, member, deputy, secretary_api, member_api
):
    from alqa.domain.meetings import approve_agenda
    from alqa.domain.plans import PlanExecutor, add_plan_item, approve_plan, create_plan

    plan = create_plan(body=body, actor=secretary.user, period="year", year=YEAR)
    item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        due_date=timezone.localdate().replace(month=12, day=31),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    approve_plan(plan, actor=chair.user, approver=chair)
    meeting, _ = meeting_on(
        body, secretary, chair, days=-1, title=None, present=[chair, secretary, member, deputy]
    )
    question = secretary_api.post(f"/meetings/{meeting.pk}/agenda-items", {"plan_item_id": item.pk})
    assert question.status_code == 201, question.content
    assert question.json()["plan_item_id"] == item.pk and question.json()["kind"] == "plan_report"
    other = secretary_api.post(f"/meetings/{meeting.pk}/agenda-items", {"plan_item_id": 999999})
    assert other.status_code == 422 and "plan_item_id" in error_fields(other)
    approve_agenda(meeting, actor=chair.user)
    decided = secretary_api.post(
        f"/meetings/{meeting.pk}/decisions",
        {"agenda_item_id": question.json()["id"], "text_ru": "Отчёт принять"},
    )
    assert decided.status_code == 201, decided.content
    read = member_api.get(f"/plans/{plan.pk}").json()["items"][0]
    assert (read["status"], read["result_ru"], read["result_decision_id"]) == (
        "done",
        "Отчёт принять",
        decided.json()["id"],
    )


@pytest.fixture
def plan_item(body, secretary, member):
    from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan

    plan = create_plan(body=body, actor=secretary.user, period="year", year=YEAR)
    return add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        expected_ru="Справка",
        due_date=timezone.localdate().replace(month=12, day=31),
        executors=[PlanExecutor(member_id=member.pk)],
    )


def test_a_plan_item_is_changed_and_amended_through_the_api(
    plan_item, chair, secretary_api, chair_api, member_api, outsider_api
):
    from alqa.domain.plans import approve_plan
    from alqa.models import AuditEvent, PlanAmendment

    path = f"/plan-items/{plan_item.pk}"
    changed = secretary_api.patch(path, {"activity_ru": "Посещение ИВС и СИЗО"})
    assert changed.status_code == 200, changed.content
    data = changed.json()
    assert (data["activity_ru"], data["expected_ru"]) == ("Посещение ИВС и СИЗО", "Справка")
    event = AuditEvent.objects.get(action="plan.item_changed")
    assert event.data["changes"] == {
        "activity_ru": {"before": "Посещение ИВС", "after": "Посещение ИВС и СИЗО"}
    }
    same = secretary_api.patch(path, {"activity_ru": "Посещение ИВС и СИЗО"}, language="ru")
    assert same.status_code == 422 and same.json()["detail"][0]["msg"] == "Ничего не изменилось."
    outside = secretary_api.patch(path, {"due_date": f"{YEAR + 1}-01-15"})
    assert outside.status_code == 422 and "due_date" in error_fields(outside)
    empty = secretary_api.patch(path, {"due_date": None})
    assert empty.status_code == 422 and "due_date" in error_fields(empty)
    no_activity = secretary_api.patch(path, {"activity_ru": ""})
    assert no_activity.status_code == 422 and "activity_ru" in error_fields(no_activity)
    assert member_api.patch(path, {"activity_ru": "x"}).status_code == 403
    assert outsider_api.patch(path, {"activity_ru": "x"}).status_code == 404
    assert secretary_api.patch("/plan-items/999999", {"activity_ru": "x"}).status_code == 404

    approve_plan(plan_item.plan, actor=chair.user, approver=chair)
    unexplained = secretary_api.patch(path, {"due_date": f"{YEAR}-11-30"})
    assert unexplained.status_code == 422 and "reason" in error_fields(unexplained)
    amended = chair_api.patch(path, {"due_date": f"{YEAR}-11-30", "reason": "Поручение председателя"})
    assert amended.status_code == 200, amended.content
    assert amended.json()["due_date"] == f"{YEAR}-11-30"
    assert [a["due_date"] for a in amended.json()["assignments"]] == [f"{YEAR}-11-30"]
    amendment = PlanAmendment.objects.get()
    assert amendment.reason == "Поручение председателя"
    assert amendment.changes == {"due_date": {"before": f"{YEAR}-12-31", "after": f"{YEAR}-11-30"}}
    read = member_api.get(f"/plans/{plan_item.plan_id}").json()
    assert read["amendments"][0]["reason"] == "Поручение председателя"


def test_a_plan_items_result_is_recorded_through_the_api(
    plan_item, chair, secretary_api, member_api, outsider_api
):
    from datetime import timedelta

    from alqa.domain.plans import approve_plan
    from alqa.models import AuditEvent

    path = f"/plan-items/{plan_item.pk}/result"
    today = timezone.localdate()
    draft = secretary_api.post(
        path, {"status": "done", "done_on": today.isoformat(), "result_ru": "Проведено"}
    )
    assert draft.status_code == 422 and "status" in error_fields(draft)
    approve_plan(plan_item.plan, actor=chair.user, approver=chair)
    undated = secretary_api.post(path, {"status": "done", "result_ru": "Проведено"}, language="kk")
    assert undated.status_code == 422 and "done_on" in error_fields(undated)
    future = secretary_api.post(
        path, {"status": "done", "done_on": (today + timedelta(days=1)).isoformat(), "result_ru": "Проведено"}
    )
    assert future.status_code == 422 and "done_on" in error_fields(future)
    wrong = secretary_api.post(path, {"status": "planned", "result_ru": "x"})
    assert wrong.status_code == 422 and "status" in error_fields(wrong)
    wordless = secretary_api.post(path, {"status": "not_done"})
    assert wordless.status_code == 422 and "result_ru" in error_fields(wordless)
    assert member_api.post(path, {"status": "not_done", "result_ru": "x"}).status_code == 403
    assert outsider_api.post(path, {"status": "not_done", "result_ru": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(action="plan_item.result_recorded").exists()

    done = secretary_api.post(
        path, {"status": "done", "done_on": today.isoformat(), "result_kk": "Өткізілді"}
    )
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["done_on"], done.json()["result_kk"]) == (
        "done",
        today.isoformat(),
        "Өткізілді",
    )
    event = AuditEvent.objects.get(action="plan_item.result_recorded")
    assert event.data["status"] == "done" and event.data["result_kk"] == "Өткізілді"
    stats = member_api.get(f"/plans/{plan_item.plan_id}/statistics").json()
    assert stats["overall"] == {"total": 1, "on_time": 1, "late": 0, "not_done": 0, "open": 0}
    assert stats["by_side"] == {"bar": stats["overall"]}


def test_a_remark_is_filed_with_files_through_the_api(body, member, member_api, outsider_api, decision):
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    from alqa.models import AuditEvent
    from tests.api.conftest import API

    def multipart(api, data):
        return api.client.post(
            API + f"/bodies/{body.pk}/remarks",
            data,
            HTTP_AUTHORIZATION=f"Bearer {api.token}",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    document = docx.Document()
    document.add_paragraph("Журнал: ИИН 850101300124")
    listed = io.BytesIO()
    document.save(listed)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    sent = {"decision_id": str(decision.pk), "facts_ru": "Не исполнено"}

    exe = multipart(member_api, sent | {"files": [SimpleUploadedFile("act.exe", b"MZ")]})
    assert exe.status_code == 422 and "act.exe" in error_fields(exe)["files"][0]
    guarded = multipart(member_api, sent | {"files": [SimpleUploadedFile("journal.docx", listed.getvalue())]})
    assert guarded.status_code == 422, guarded.content
    assert guarded.json()["detail"][0]["type"] == "case_identifiers"
    assert guarded.json()["detail"][0]["loc"] == ["body", "files"]
    assert not ComplianceRemark.objects.exists()
    assert multipart(outsider_api, sent).status_code == 404

    filed = multipart(member_api, sent | {"files": [SimpleUploadedFile("act.pdf", pdf)]})
    assert filed.status_code == 201, filed.content
    assert [f["name"] for f in filed.json()["files"]] == ["act.pdf"]
    confirmed = multipart(
        member_api,
        sent
        | {
            "confirm_identifiers": "true",
            "files": [SimpleUploadedFile("journal.docx", listed.getvalue())],
        },
    )
    assert confirmed.status_code == 201, confirmed.content
    events = AuditEvent.objects.filter(action="remark.filed").order_by("id")
    assert [e.data["files"] for e in events] == [["act.pdf"], ["journal.docx"]]
    assert events[1].data["case_identifiers_confirmed"] == ["files: iin"]
    listed_remarks = member_api.get(f"/bodies/{body.pk}/remarks").json()
    assert sorted(f["name"] for r in listed_remarks for f in r["files"]) == ["act.pdf", "journal.docx"]


def test_a_remark_file_is_downloaded_by_members_of_its_body(
    body, member_api, chair_api, outsider_api, decision
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.api.conftest import API

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    sent = {
        "decision_id": str(decision.pk),
        "facts_ru": "Не исполнено",
        "files": [SimpleUploadedFile("act.pdf", pdf)],
    }
    filed = member_api.client.post(
        API + f"/bodies/{body.pk}/remarks", sent, HTTP_AUTHORIZATION=f"Bearer {member_api.token}"
    )
    assert filed.status_code == 201, filed.content
    remark = filed.json()
    file_id = remark["files"][0]["id"]
    path = f"/remarks/{remark['id']}/files/{file_id}"

    got = chair_api.get(path)  # another member of the body, not the author
    assert (
        got.status_code == 200
        and b"".join(got.streaming_content) == pdf
        and got["Content-Type"] == "application/pdf"
    )
    assert got["Content-Disposition"] == f'attachment; filename="file-{file_id}.pdf"'
    assert outsider_api.get(path).status_code == 404  # a member of another body
    assert member_api.get(f"/remarks/{remark['id']}/files/999999").status_code == 404
    other = member_api.post(f"/bodies/{body.pk}/remarks", {"decision_id": decision.pk, "facts_ru": "Ещё"})
    assert other.status_code == 201, other.content
    # the file of one remark is not reached through another
    assert member_api.get(f"/remarks/{other.json()['id']}/files/{file_id}").status_code == 404
