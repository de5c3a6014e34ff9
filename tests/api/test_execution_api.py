# ruff: noqa: F811 - the fixtures are imported from tests/execution/conftest.py
"""Execution control through the API: the contract's paths and fields, the explanations of both
deadlines, who may do what, and the refusals (422, 409) in the caller's language."""

from datetime import timedelta

from django.utils import timezone

from tests.api.conftest import error_fields
from tests.execution.conftest import decision, member_task, signed, unit_task  # noqa: F401 - fixtures


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
