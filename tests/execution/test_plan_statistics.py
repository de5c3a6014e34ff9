"""Plan statistics per period (clause 2.2.10), counted in SQL by alqa.queries.plans.plan_statistics,
against a data set counted by hand; the same figures on the control page, in the period report
(PDF, ru and kk) and in the API.

The plan of the second quarter of 2025, seen on 15 June 2025:

    item  deadline  executors (side)                    result                 outcome
    A     10.05     member (bar), police unit (police)   done 08.05             on time
    B     20.05     chair (police)                       done 25.05             late
    C     30.06     named official (other)               not done               not done
    D     10.06     bar unit (bar)                       —, deadline passed      not done
    E     30.06     member and deputy (both bar)         —                      open
    F     20.06     police unit, named official          done 20.06 (the day)   on time

    overall  6 = 2 on time + 1 late + 2 not done + 1 open
    police   3 = A, B, F: 2 on time + 1 late
    bar      3 = A, D, E (E once, though two bar executors): 1 on time + 1 not done + 1 open
    other    2 = C, F: 1 on time + 1 not done

An annual plan of 2025 and another body's plan of the same quarter must not count.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alqa.domain.plans import PlanExecutor, add_plan_item, approve_plan, create_plan, record_plan_result
from alqa.queries.plans import current_plan_statistics, plan_statistics
from tests.api.conftest import Api, token_for
from tests.conftest import login, make_member

SEEN = date(2025, 6, 15)


def tally(total, on_time=0, late=0, not_done=0, open=0):  # noqa: A002 - the field's name
    return {"total": total, "on_time": on_time, "late": late, "not_done": not_done, "open": open}


OVERALL = tally(6, on_time=2, late=1, not_done=2, open=1)
POLICE = tally(3, on_time=2, late=1)
BAR = tally(3, on_time=1, not_done=1, open=1)
OTHER = tally(2, on_time=1, not_done=1)


@pytest.fixture
def quarter_plan(body, other_body, admin_user, chair, secretary, member, deputy, police_unit, bar_unit):
    plan = create_plan(body=body, actor=secretary.user, period="quarter", year=2025, quarter=2)

    def item(letter, due, *executors):
        return add_plan_item(
            plan, actor=secretary.user, activity_ru=f"Мероприятие {letter}", due_date=due, executors=executors
        )

    official = PlanExecutor(name="Начальник ИВС Касымов Б.")
    a = item("A", date(2025, 5, 10), PlanExecutor(member_id=member.pk), PlanExecutor(unit_id=police_unit.pk))
    b = item("B", date(2025, 5, 20), PlanExecutor(member_id=chair.pk))
    c = item("C", date(2025, 6, 30), official)
    item("D", date(2025, 6, 10), PlanExecutor(unit_id=bar_unit.pk))
    item("E", date(2025, 6, 30), PlanExecutor(member_id=member.pk), PlanExecutor(member_id=deputy.pk))
    f = item("F", date(2025, 6, 20), PlanExecutor(unit_id=police_unit.pk), official)
    approve_plan(plan, actor=chair.user, approver=chair)

    def result(it, status, done_on=None):
        record_plan_result(it, actor=secretary.user, status=status, done_on=done_on, result_ru="Итог")

    result(a, "done", date(2025, 5, 8))
    result(b, "done", date(2025, 5, 25))
    result(c, "not_done")
    result(f, "done", date(2025, 6, 20))

    # not counted: the annual plan of the same year, and another body's plan of the same quarter
    annual = create_plan(body=body, actor=secretary.user, period="year", year=2025)
    add_plan_item(
        annual, actor=secretary.user, activity_ru="Годовое", due_date=date(2025, 6, 1), executors=[official]
    )
    stranger = make_member(other_body, admin_user, email="stranger@alqa.test", name="Чужой Член")
    elsewhere = create_plan(body=other_body, actor=admin_user, period="quarter", year=2025, quarter=2)
    add_plan_item(
        elsewhere,
        actor=admin_user,
        activity_ru="Чужое",
        due_date=date(2025, 6, 1),
        executors=[PlanExecutor(member_id=stranger.pk)],
    )
    return plan


def as_dicts(stats):
    return asdict(stats.overall), {side: asdict(t) for side, t in stats.by_side.items()}


def test_the_figures_of_the_period_as_counted_by_hand(quarter_plan, body):
    with CaptureQueriesContext(connection) as queries:
        stats = plan_statistics(body, period="quarter", year=2025, quarter=2, today=SEEN)
    assert len(queries) == 1
    overall, by_side = as_dicts(stats)
    assert overall == OVERALL
    assert by_side == {"police": POLICE, "bar": BAR, "other": OTHER}
    assert [side for side, _t in stats.sides] == ["police", "bar", "other"]

    # seen on 1 June, item D (due 10 June) is still open
    earlier = plan_statistics(body, period="quarter", year=2025, quarter=2, today=date(2025, 6, 1))
    overall, by_side = as_dicts(earlier)
    assert overall == tally(6, on_time=2, late=1, not_done=1, open=2)
    assert by_side["bar"] == tally(3, on_time=1, open=2)

    # the annual plan counts its own item only; a period without a plan counts nothing
    annual = plan_statistics(body, period="year", year=2025, quarter=3, today=SEEN)
    assert as_dicts(annual) == (tally(1, not_done=1), {"other": tally(1, not_done=1)})
    assert as_dicts(plan_statistics(body, period="quarter", year=2025, quarter=3, today=SEEN)) == (
        tally(0),
        {},
    )


def test_the_plans_of_the_current_period(quarter_plan, body):
    shown = current_plan_statistics(body, today=SEEN)
    assert [(p.plan.period, p.plan.quarter) for p in shown] == [("quarter", 2), ("year", 0)]
    assert as_dicts(shown[0].stats)[0] == OVERALL
    assert current_plan_statistics(body, today=date(2024, 6, 15)) == []


def test_the_api_gives_the_figures(quarter_plan, member, outsider, time_machine):
    api, stranger = Api(token_for(member.user)), Api(token_for(outsider.user))
    time_machine.move_to("2025-06-15 10:00:00+05:00", tick=False)
    r = api.get(f"/plans/{quarter_plan.pk}/statistics")
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["plan_id"] == quarter_plan.pk
    assert data["overall"] == OVERALL
    assert data["by_side"] == {"police": POLICE, "bar": BAR, "other": OTHER}
    assert stranger.get(f"/plans/{quarter_plan.pk}/statistics").status_code == 404
    assert api.get("/plans/999999/statistics").status_code == 404


def test_the_control_page_shows_the_current_period(
    client, quarter_plan, body, secretary, member, time_machine, waive_mfa
):
    time_machine.move_to("2025-06-15 10:00:00+05:00", tick=False)
    login(client, secretary)
    html = client.get(f"/bodies/{body.pk}/control/").content.decode()
    assert "Plan statistics of the current period" in html
    section = html[html.index('id="plan-statistics"') :]
    # the quarter's table: overall, then police, bar, other (total, on time, late, not done, in progress)
    first = section[: section.index("</table>")]
    cells = [re.findall(r"<td>(\d+)</td>", row) for row in first.split("<tr>")[2:]]
    assert cells == [
        [str(v) for v in OVERALL.values()],
        [str(v) for v in POLICE.values()],
        [str(v) for v in BAR.values()],
        [str(v) for v in OTHER.values()],
    ]


@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", ["Итоги периода", "Сторона полиции"]), ("kk", ["Кезең қорытындылары", "Полиция тарапы"])],
)
def test_the_period_report_carries_the_figures(client, quarter_plan, member, language, words, time_machine):
    time_machine.move_to("2025-06-15 10:00:00+05:00", tick=False)
    login(client, member)
    pdf = client.get(f"/plans/{quarter_plan.pk}/report.pdf", {"language": language}).content
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    lines = text.stdout.decode().splitlines()
    for word in words:
        assert any(word in line for line in lines), word
    figures = [line.split()[-5:] for line in lines if line.strip() and line.split()[-5:][0:1] == ["6"]]
    assert ["6", "2", "1", "2", "1"] in figures
