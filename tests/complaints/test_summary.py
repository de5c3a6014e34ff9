"""The summaries behind the analytics (ComplaintSummary, ComplaintDays): kept equal to the GROUP BY
over the register's rows by every write (create, edit, delete, import, two imports at once), and
the analytics page's figures read from them equal to the figures computed from the rows, with
every filter; dates that cut a month are answered from the rows, exactly."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from alqa.domain import complaint_import
from alqa.domain.complaint_import import receive_import, run_import, start_import
from alqa.domain.complaint_summary import differences
from alqa.domain.complaints import create_complaint, delete_complaint, update_complaint
from alqa.models import AuditEvent, ComplaintSummary
from alqa.queries import complaints as queries
from alqa.queries.complaints import ComplaintFilters, complaint_analytics, histogram_percentiles
from tests import audit_guard
from tests.complaints.conftest import subject
from tests.complaints.test_import import GOOD, HEADER
from tests.concurrency.parallel import in_threads


def _figures(analytics):
    """Everything the analytics page shows: totals, percentiles, every bar and quarter with its link."""
    return (
        analytics.total,
        analytics.decided,
        analytics.satisfied,
        analytics.violations,
        analytics.median_days,
        analytics.p90_days,
        [(c.key, [(b.label, b.count, b.satisfied, b.link) for b in c.bars]) for c in analytics.charts],
        [(q.label, q.count, q.satisfied, q.change, q.link) for q in analytics.quarters],
    )


def _from_rows(body, filters, monkeypatch):
    """The same page computed from the register's rows only (the summaries not consulted)."""
    with monkeypatch.context() as patch:
        patch.setattr(queries, "_summary_usable", lambda _filters: False)
        patch.setattr(queries, "ComplaintSummary", None)  # any use of it would fail
        patch.setattr(queries, "ComplaintDays", None)
        return complaint_analytics(body, filters)


def _same(body, filters, monkeypatch):
    with translation.override("en"):
        summary = complaint_analytics(body, filters)
        rows = _from_rows(body, filters, monkeypatch)
    assert _figures(summary) == _figures(rows)
    return summary


def test_the_summaries_are_the_group_by_of_the_rows(body, counted):
    assert differences(body) == []
    assert sum(ComplaintSummary.objects.filter(body=body).values_list("number", flat=True)) == 7


def test_the_page_from_the_summaries_is_the_hand_count(body, counted, district, monkeypatch):
    figures = _same(body, ComplaintFilters(), monkeypatch)
    assert (figures.total, figures.decided, figures.satisfied, figures.violations) == (7, 6, 3, 3)
    assert (figures.median_days, figures.p90_days) == (7.5, 25.0)
    assert [(q.label, q.count) for q in figures.quarters] == [("Q1 2025", 3), ("Q2 2025", 4)]


def _filters(district, body):
    return [
        ComplaintFilters(),
        ComplaintFilters(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31)),
        ComplaintFilters(date_from=date(2025, 4, 1)),
        ComplaintFilters(date_to=date(2025, 2, 28)),
        ComplaintFilters(date_to=date.max),  # the last day there is: a whole month, no next day
        ComplaintFilters(article="106"),
        ComplaintFilters(unit=district["inquiry"].pk),
        ComplaintFilters(subject=subject(body, "termination").pk),
        ComplaintFilters(outcome="refused"),
        ComplaintFilters(outcome="satisfied_any"),
        ComplaintFilters(outcome="pending"),
        ComplaintFilters(official="investigator"),
        ComplaintFilters(official="prosecutor"),
        ComplaintFilters(violation=True),
        ComplaintFilters(violation=False),
        ComplaintFilters(
            article="105", violation=False, date_from=date(2025, 2, 1), date_to=date(2025, 5, 31)
        ),
        ComplaintFilters(unit=district["investigation"].pk, outcome="satisfied_any"),
    ]


def test_every_filter_gives_the_figures_of_the_rows(body, counted, district, monkeypatch):
    for filters in _filters(district, body):
        _same(body, filters, monkeypatch)
    only_105 = complaint_analytics(body, ComplaintFilters(article="105"))
    assert (only_105.total, only_105.median_days) == (4, 5.0)  # days 3, 10, 5 (one pending)
    violated = complaint_analytics(body, ComplaintFilters(violation=True))
    assert (violated.total, violated.median_days) == (3, 3.0)  # days 1 3 30
    assert violated.p90_days == pytest.approx(24.6)


def test_dates_cutting_a_month_are_counted_from_the_rows_exactly(body, counted, district, monkeypatch):
    filters = ComplaintFilters(date_from=date(2025, 1, 11), date_to=date(2025, 4, 20))
    assert not filters.whole_months()
    figures = _same(body, filters, monkeypatch)
    # rows 2, 3, 4, 5: 10, 1, 20, 5 days; Q1 2 (one satisfied), Q2 2
    assert (figures.total, figures.decided, figures.satisfied) == (4, 4, 1)
    assert figures.median_days == 7.5 and figures.p90_days == pytest.approx(17.0)
    assert [(q.label, q.count) for q in figures.quarters] == [("Q1 2025", 2), ("Q2 2025", 2)]


def test_an_edit_moves_the_counts_and_a_deletion_takes_them_away(
    body, admin_user, counted, district, monkeypatch
):
    first = counted[0]
    update_complaint(
        first,
        actor=admin_user,
        changes={
            "filed_on": date(2025, 5, 3),
            "decided_on": date(2025, 5, 20),
            "unit": district["inquiry"],
            "subject": subject(body, "detention"),
            "outcome": "refused",
            "violation_found": False,
        },
    )
    assert differences(body) == []
    figures = _same(body, ComplaintFilters(), monkeypatch)
    assert (figures.total, figures.satisfied, figures.violations) == (7, 2, 2)
    assert [(q.label, q.count) for q in figures.quarters] == [("Q1 2025", 2), ("Q2 2025", 5)]
    assert figures.median_days == 13.5  # 1 5 10 17 20 30
    delete_complaint(counted[6], actor=admin_user)
    delete_complaint(counted[5], actor=admin_user)
    assert differences(body) == []
    figures = _same(body, ComplaintFilters(), monkeypatch)
    assert (figures.total, figures.decided) == (5, 5)
    for filters in _filters(district, body):
        _same(body, filters, monkeypatch)
    # nothing is left counted at zero
    assert not ComplaintSummary.objects.filter(body=body, number=0).exists()


def _job(body, actor, lines, name):
    content = ("\n".join([HEADER, *lines]) + "\n").encode()
    job = receive_import(body=body, actor=actor, upload=SimpleUploadedFile(name, content), source="ДП")
    headers, _rows = complaint_import.preview(job)
    start_import(job, actor=actor, columns=complaint_import.guess_columns(headers, {}), headers=headers)
    return job


def test_an_import_is_added_to_the_summaries(body, admin_user, counted, district, monkeypatch):
    job = run_import(_job(body, admin_user, GOOD, "stat.csv").pk)
    assert job.status == "done", job.errors
    assert differences(body) == []
    figures = _same(body, ComplaintFilters(), monkeypatch)
    assert figures.total == 10
    for filters in _filters(district, body):
        _same(body, filters, monkeypatch)


def test_the_command_counts_again_and_is_audited(body, counted):
    with audit_guard.paused():  # the summary damaged by hand, as a lost write would
        ComplaintSummary.objects.filter(body=body).update(number=99)
    assert differences(body)
    call_command("rebuild_complaint_summary")
    assert differences(body) == []
    assert AuditEvent.objects.filter(action="complaint_summary.rebuilt", data__complaints=7).count() == 1
    call_command("rebuild_complaint_summary", body=body.pk)  # again: the same counts
    assert differences(body) == []
    call_command("rebuild_complaint_summary", check=True)


def test_histogram_percentiles_interpolate_as_percentile_cont():
    assert histogram_percentiles([]) == (None, None)
    assert histogram_percentiles([(4, 1)]) == (4.0, 4.0)
    assert histogram_percentiles([(1, 1), (3, 1), (5, 1), (10, 1), (20, 1), (30, 1)]) == (7.5, 25.0)
    median, p90 = histogram_percentiles([(2, 3), (9, 1)])  # 2 2 2 9: the 90th at rank 2.7
    assert median == 2.0 and p90 == pytest.approx(6.9)


def test_parallel_imports_and_edits_keep_the_counts_exact(transactional_db, body, admin_user, district):
    """Two workers import into one body while complaints are added and deleted: every upsert adds
    atomically, so the summaries equal the rows after all of them."""
    lines = [
        f"{105 + i % 2};{1 + i % 28:02d}.{1 + i % 6:02d}.2025;{1 + i % 28:02d}.{7 + i % 6:02d}.2025;"
        f"Отдел дознания;Следователь;Задержание;Отказано;{'да' if i % 3 else 'нет'};"
        for i in range(300)
    ]
    jobs = [
        _job(body, admin_user, lines[:150], "one.csv"),
        _job(body, admin_user, lines[150:], "two.csv"),
    ]
    kept = create_complaint(
        body=body,
        actor=admin_user,
        article="105",
        filed_on=date(2025, 3, 2),
        decided_on=date(2025, 3, 9),
        unit=district["inquiry"],
        official="investigator",
        subject=subject(body, "detention"),
        outcome="refused",
    )

    def add():
        for day in range(1, 6):
            create_complaint(
                body=body,
                actor=admin_user,
                article="106",
                filed_on=date(2025, 3, day),
                decided_on=None,
                unit=district["investigation"],
                official="inquiry_officer",
                subject=subject(body, "detention"),
                outcome="pending",
            )
        delete_complaint(kept, actor=admin_user)

    results = in_threads([lambda: run_import(jobs[0].pk), lambda: run_import(jobs[1].pk), add])
    assert [r.status for r in results[:2]] == ["done", "done"]
    connection.close()
    assert differences(body) == []
    totals = complaint_analytics(body, ComplaintFilters())
    assert totals.total == 305
