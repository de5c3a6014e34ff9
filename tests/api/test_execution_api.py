# ruff: noqa: F811 - the fixtures are imported from tests/execution/conftest.py
"""Execution control through the API: the contract's paths and fields, the explanations of both
deadlines, who may do what, and the refusals (422, 409) in the caller's language."""

import io
from datetime import timedelta

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alqa.models import AssignmentFile, AuditEvent, ExecutorLink, OutboxMessage
from tests.api.conftest import API, error_fields
from tests.execution.conftest import (  # noqa: F401 - fixtures
    OFFICIAL_EMAIL,
    decision,
    member_task,
    official_task,
    signed,
    unit_task,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IIN = "850101300124"


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _multipart(api, path: str, data: dict, *, language: str = "en"):
    """multipart/form-data, as `curl -F` sends it."""
    return api.client.post(
        API + path,
        data,
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_the_whole_path_through_the_api(
    signed, unit_task, secretary_api, chair_api, member_api, outsider_api, body
):
    aid = unit_task.pk
    r = member_api.get(f"/assignments/{aid}")
    assert r.status_code == 200, r.content
    a = r.json()
    assert {"id", "decision_id", "status", "due_date", "info_due", "received_at", "reports"} <= set(a)
    assert a["status"] == "issued" and a["info_due"] is None
    assert a["due_explanation"].startswith("10 working days after the meeting of")
    assert outsider_api.get(f"/assignments/{aid}").status_code == 404
    assert member_api.post(f"/assignments/{aid}/receipt", {}).status_code == 403

    before = (signed.signed_on - timedelta(days=1)).isoformat()
    r = secretary_api.post(f"/assignments/{aid}/receipt", {"received_on": before})
    assert r.status_code == 422
    assert "before it was signed" in error_fields(r)["received_on"][0]
    r = secretary_api.post(f"/assignments/{aid}/receipt", {})
    assert r.status_code == 200, r.content
    a = r.json()
    assert a["status"] == "received" and a["received_on"] == timezone.localdate().isoformat()
    assert a["info_due_explanation"].startswith("5 working days after the paper copy of the protocol")

    r = secretary_api.post(f"/assignments/{aid}/reports", {"kind": "info", "text": "Приказ издан"})
    assert r.status_code == 201, r.content
    assert (
        secretary_api.post(
            f"/assignments/{aid}/reports", {"kind": "info", "text": "Приказ издан"}
        ).status_code
        == 200
    )
    r = secretary_api.post(f"/assignments/{aid}/extension-requests", {"working_days": 5, "reason": "Ремонт"})
    assert r.status_code == 201, r.content
    ext = r.json()["id"]
    assert secretary_api.post(f"/extension-requests/{ext}/decision", {"decision": "grant"}).status_code == 403
    r = chair_api.post(f"/extension-requests/{ext}/decision", {"decision": "grant"})
    assert r.status_code == 200 and r.json()["status"] == "granted" and r.json()["new_due"]
    assert (
        chair_api.post(
            f"/extension-requests/{ext}/decision", {"decision": "refuse", "comment": "Нет"}
        ).status_code
        == 409
    )

    r = secretary_api.post(f"/assignments/{aid}/reports", {"kind": "final", "text": "Исполнено"})
    report = r.json()["id"]
    r = chair_api.post(f"/assignment-reports/{report}/decision", {"decision": "return"})
    assert r.status_code == 422 and "comment" in error_fields(r)
    r = chair_api.post(f"/assignment-reports/{report}/decision", {"decision": "accept"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    a = chair_api.get(f"/assignments/{aid}").json()
    assert a["status"] == "done" and a["extensions"] == 1
    assert a["due_explanation"].startswith("5 working days after")
    assert a["due_explanation"].endswith("(the deadline extended)")
    r = secretary_api.post(f"/assignments/{aid}/reports", {"kind": "final", "text": "Ещё"})
    assert r.status_code == 422

    listing = member_api.get(f"/bodies/{body.pk}/assignments", {"status": "done"}).json()
    assert [x["id"] for x in listing["results"]] == [aid] and listing["count"] == 1


def test_the_executor_who_is_a_member_reports_and_the_list_filters_overdue(
    signed, member_task, unit_task, member_api, body, chair_api
):
    r = member_api.post(f"/assignments/{member_task.pk}/reports", {"kind": "final", "text": "Сделано"})
    assert r.status_code == 201, r.content
    assert (
        member_api.post(f"/assignments/{unit_task.pk}/reports", {"kind": "final", "text": "x"}).status_code
        == 403
    )
    r = member_api.get(f"/bodies/{body.pk}/assignments", {"overdue": "true"})
    overdue = {x["id"] for x in r.json()["results"]}
    assert member_task.pk not in overdue  # reported: its deadline no longer runs
    r = member_api.get(f"/bodies/{body.pk}/assignments", {"status": "report_submitted"})
    assert [x["id"] for x in r.json()["results"]] == [member_task.pk]
    r = chair_api.post(f"/assignments/{unit_task.pk}/close", {"withdraw": True})
    assert r.status_code == 422 and "comment" in error_fields(r)


def test_refusals_in_kazakh(signed, unit_task, secretary_api):
    r = secretary_api.post(
        f"/assignments/{unit_task.pk}/receipt",
        {"received_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
        language="kk",
    )
    assert r.status_code == 422
    message = error_fields(r)["received_on"][0]
    assert message and "future" not in message


def test_a_report_with_files_through_the_api(
    signed, unit_task, secretary_api, member_api, outsider_api, chair_api
):
    aid = unit_task.pk
    path = f"/assignments/{aid}/reports"
    exe = _multipart(
        secretary_api,
        path,
        {"kind": "info", "text": "Приказ издан", "files": [SimpleUploadedFile("order.exe", b"MZ")]},
        language="ru",
    )
    assert exe.status_code == 422, exe.content
    assert "files" in error_fields(exe) and "order.exe" in error_fields(exe)["files"][0]
    listed = {
        "kind": "info",
        "text": "Приказ издан",
        "files": [SimpleUploadedFile("list.docx", _docx(f"ИИН {IIN}"))],
    }
    guarded = _multipart(secretary_api, path, listed)
    assert guarded.status_code == 422, guarded.content
    assert guarded.json()["detail"][0]["type"] == "case_identifiers"
    assert guarded.json()["detail"][0]["loc"] == ["body", "files"]
    assert "list.docx" in guarded.json()["detail"][0]["msg"] and IIN not in guarded.content.decode()
    typed = secretary_api.post(path, {"kind": "info", "text": f"Гражданин ИИН {IIN}"})
    assert typed.status_code == 422 and typed.json()["detail"][0]["loc"] == ["body", "text"]
    assert not AssignmentFile.objects.exists() and not unit_task.reports.exists()
    not_executor = _multipart(
        member_api, path, {"kind": "info", "text": "x", "files": [SimpleUploadedFile("a.pdf", PDF)]}
    )
    assert not_executor.status_code == 403
    assert _multipart(outsider_api, path, {"kind": "info", "text": "x"}).status_code == 404

    sent = _multipart(
        secretary_api,
        path,
        {"kind": "info", "text": "Приказ издан", "files": [SimpleUploadedFile("order.pdf", PDF)]},
    )
    assert sent.status_code == 201, sent.content
    report = sent.json()
    assert [f["name"] for f in report["files"]] == ["order.pdf"] and report["files"][0]["size"] == len(PDF)
    confirmed = _multipart(
        secretary_api,
        path,
        {
            "kind": "final",
            "text": "Исполнено",
            "confirm_identifiers": "true",
            "files": [SimpleUploadedFile("list.docx", _docx(f"ИИН {IIN}"))],
        },
    )
    assert confirmed.status_code == 201, confirmed.content
    events = AuditEvent.objects.filter(action="assignment.report_submitted").order_by("id")
    assert [e.data["files"] for e in events] == [["order.pdf"], ["list.docx"]]
    assert events[1].data["case_identifiers_confirmed"] == ["files: iin"]
    assert "case_identifiers_confirmed" not in events[0].data

    files = member_api.get(f"/assignment-reports/{report['id']}/files")
    assert files.status_code == 200 and [f["name"] for f in files.json()] == ["order.pdf"]
    assert outsider_api.get(f"/assignment-reports/{report['id']}/files").status_code == 404
    assert member_api.get("/assignment-reports/999999/files").status_code == 404
    file_id = files.json()[0]["id"]
    got = member_api.get(f"/assignment-files/{file_id}")
    assert (
        got.status_code == 200
        and b"".join(got.streaming_content) == PDF
        and got["Content-Type"] == "application/pdf"
    )
    assert got["Content-Disposition"] == f'attachment; filename="file-{file_id}.pdf"'
    assert outsider_api.get(f"/assignment-files/{file_id}").status_code == 404
    assert member_api.get("/assignment-files/999999").status_code == 404
    # the assignment's read carries the files too
    read = chair_api.get(f"/assignments/{aid}").json()
    assert [f["name"] for r in read["reports"] for f in r["files"]] == ["order.pdf", "list.docx"]


def test_the_executor_link_is_mailed_and_revoked_through_the_api(
    signed, official_task, member_task, secretary_api, chair_api, member_api, outsider_api
):
    aid = official_task.pk
    sent = secretary_api.post(f"/assignments/{aid}/link")
    assert sent.status_code == 200, sent.content
    link = sent.json()
    assert (link["assignment_id"], link["email"], link["language"]) == (aid, OFFICIAL_EMAIL, "kk")
    assert link["revoked_at"] is None and link["mail_id"]
    assert "token" not in link
    assert OutboxMessage.objects.filter(to=OFFICIAL_EMAIL, pk=link["mail_id"]).exists()
    again = chair_api.post(f"/assignments/{aid}/link")
    assert again.status_code == 200 and ExecutorLink.objects.filter(assignment=official_task).count() == 1
    assert AuditEvent.objects.filter(action="assignment.link_sent").count() == 2
    assert member_api.post(f"/assignments/{aid}/link").status_code == 403
    assert member_api.post(f"/assignments/{aid}/link/revoke").status_code == 403
    assert outsider_api.post(f"/assignments/{aid}/link").status_code == 404
    to_member = secretary_api.post(f"/assignments/{member_task.pk}/link", language="kk")
    assert to_member.status_code == 422
    assert to_member.json()["detail"][0]["loc"] == ["body", "executor_email"]
    assert "e-mail" not in to_member.json()["detail"][0]["msg"].lower()  # said in Kazakh

    revoked = secretary_api.post(f"/assignments/{aid}/link/revoke")
    assert revoked.status_code == 200 and revoked.json() == {"revoked": 1}
    assert not ExecutorLink.objects.filter(assignment=official_task, revoked_at__isnull=True).exists()
    assert secretary_api.post(f"/assignments/{aid}/link/revoke").json() == {"revoked": 0}
    assert AuditEvent.objects.filter(action="assignment.link_revoked").count() == 1


def test_a_plan_items_assignment_is_listed_and_read_with_its_plan_item(body, secretary, member, member_api):
    from datetime import date

    from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
    from alqa.models import Assignment

    year = timezone.localdate().year
    plan = create_plan(body=body, actor=secretary.user, period="year", year=year)
    item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        due_date=date(year, 12, 31),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    task = Assignment.objects.get(plan_item=item)
    listed = member_api.get(f"/bodies/{body.pk}/assignments").json()["results"]
    assert [(r["id"], r["plan_item_id"], r["decision_id"], r["meeting_id"]) for r in listed] == [
        (task.pk, item.pk, None, None)
    ]
    one = member_api.get(f"/assignments/{task.pk}").json()
    assert one["body_id"] == body.pk and one["plan_item_id"] == item.pk


def test_the_assignment_lists_its_reminders_the_chairs_only_to_the_chair(
    member_task, chair, chair_api, member_api
):
    from alqa.domain.execution_reminders import send_execution_reminders
    from tests.execution.test_reminders import working_day

    due = member_task.due_date
    for day in (working_day(due, -2), working_day(due, 5)):
        send_execution_reminders(today=day, body_ids=[member_task.body_id])
    as_chair = chair_api.get(f"/assignments/{member_task.pk}").json()["reminders"]
    assert [(r["kind"], r["due"], r["step"]) for r in as_chair] == [
        ("due", due.isoformat(), -2),
        ("chair", due.isoformat(), 5),
    ]
    assert as_chair[0]["to"] == member_task.executor_member.email and as_chair[1]["to"] == chair.email
    as_executor = member_api.get(f"/assignments/{member_task.pk}").json()["reminders"]
    assert as_executor == as_chair[:1]


def test_a_page_of_the_list_costs_the_same_queries_for_one_assignment_and_for_two(
    signed, member_task, unit_task, chair_api, body
):
    """Each listed assignment carries its reports, extension requests and reminders: read for the
    whole page at once, not once per row."""
    assert chair_api.get(f"/bodies/{body.pk}/assignments").status_code == 200  # the caches warmed
    costs = []
    for per_page in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            got = chair_api.get(f"/bodies/{body.pk}/assignments", {"per_page": per_page})
        assert got.status_code == 200 and len(got.json()["results"]) == per_page
        costs.append(len(queries))
    assert costs[0] == costs[1], costs
