"""Read functions of the complaints register and its analytics (clause 2.1.4).

Every figure is computed in SQL over one body's rows with the filters applied (GROUP BY, and
on PostgreSQL percentile_cont for the time to decision); the pages read a fixed number of queries
whatever the number of complaints. Rows are plain frozen dataclasses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Func, IntegerField, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from alqa.enums import SATISFIED_OUTCOMES, ComplaintArticle, ComplaintOutcome, OfficialKind, Side
from alqa.models import (
    AgendaItem,
    Body,
    Complaint,
    ComplaintDays,
    ComplaintNote,
    ComplaintSubject,
    ComplaintSummary,
    Meeting,
    Unit,
)

PER_PAGE = 50


@dataclass(frozen=True)
class ComplaintFilters:
    """What the register, the analytics, the export and the API filter by; empty means any."""

    date_from: date | None = None
    date_to: date | None = None
    article: str = ""
    unit: int | None = None
    subject: int | None = None
    outcome: str = ""
    official: str = ""
    violation: bool | None = None

    def apply(self, qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
        q = Q()
        if self.date_from:
            q &= Q(filed_on__gte=self.date_from)
        if self.date_to:
            q &= Q(filed_on__lte=self.date_to)
        return qs.filter(q & self.dimensions())

    def whole_months(self) -> bool:
        """Whether the dates cover whole months (or are not given): then the summaries, counted
        by month of filing, answer the analytics exactly."""
        starts = self.date_from is None or self.date_from.day == 1
        # the last day of its month (31 December 9999 too, which has no next day)
        ends = self.date_to is None or self.date_to == date.max or (self.date_to + timedelta(days=1)).day == 1
        return starts and ends

    def months(self) -> Q:
        """The dates as months of the summaries (whole months: see `whole_months`)."""
        q = Q()
        if self.date_from:
            q &= Q(month__gte=self.date_from)
        if self.date_to:
            q &= Q(month__lte=self.date_to)
        return q

    def dimensions(self) -> Q:
        """Every filter but the dates (the same columns in the register and its summaries)."""
        q = Q()
        if self.article:
            q &= Q(article=self.article)
        if self.unit:
            q &= Q(unit_id=self.unit)
        if self.subject:
            q &= Q(subject_id=self.subject)
        if self.outcome:
            q &= (
                Q(outcome__in=SATISFIED_OUTCOMES)
                if self.outcome == "satisfied_any"
                else Q(outcome=self.outcome)
            )
        if self.official:
            q &= Q(official=self.official)
        if self.violation is not None:
            q &= Q(violation_found=self.violation)
        return q

    def params(self) -> dict[str, str]:
        """The filters as query parameters (the filter form's names), empty ones left out."""
        values = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "article": self.article,
            "unit": str(self.unit or ""),
            "subject": str(self.subject or ""),
            "outcome": self.outcome,
            "official": self.official,
            "violation": "" if self.violation is None else ("yes" if self.violation else "no"),
        }
        return {k: v for k, v in values.items() if v}

    def query(self, **changes) -> str:
        """The query string of these filters with `changes` applied (a drill-down link)."""
        return urlencode(replace(self, **changes).params())


def complaints_of(body: Body, filters: ComplaintFilters) -> QuerySet[Complaint]:
    return filters.apply(Complaint.objects.filter(body=body))


@dataclass(frozen=True)
class Choices:
    """The body's police units and subjects, for filters, forms and labels (two queries)."""

    units: list[tuple[int, str]]
    subjects: list[tuple[int, str]]
    off: frozenset[int] = frozenset()  # subjects switched off: shown, not offered for new complaints

    def subjects_to_choose(self, keep: int | None = None) -> list[tuple[int, str]]:
        """The subjects a complaint may be filed under: those switched on, and the one it has."""
        return [(pk, name) for pk, name in self.subjects if pk not in self.off or pk == keep]

    def unit_name(self, pk: int | None) -> str:
        return dict(self.units).get(pk or 0, "—")

    def subject_name(self, pk: int | None) -> str:
        return dict(self.subjects).get(pk or 0, "—")


def choices_of(body: Body) -> Choices:
    units = [(u.pk, u.name) for u in Unit.objects.filter(body=body, side=Side.POLICE).order_by("name_ru")]
    subjects, off = [], set()
    for s in ComplaintSubject.objects.filter(body=body):
        subjects.append((s.pk, s.name))
        if not s.is_active:
            off.add(s.pk)
    return Choices(units=units, subjects=subjects, off=frozenset(off))


@dataclass(frozen=True)
class ComplaintRow:
    pk: int
    article: str
    filed_on: date
    decided_on: date | None
    unit: str
    official: str
    subject: str
    outcome: str
    violation_found: bool
    measures: str
    source: str


@dataclass(frozen=True)
class RegisterPage:
    rows: list[ComplaintRow]
    page: Page
    choices: Choices
    query: str  # the filters as a query string, for the pager and the export link


def _row(c: Complaint, choices: Choices) -> ComplaintRow:
    return ComplaintRow(
        pk=c.pk,
        article=c.article,
        filed_on=c.filed_on,
        decided_on=c.decided_on,
        unit=choices.unit_name(c.unit_id),
        official=c.get_official_display(),
        subject=choices.subject_name(c.subject_id),
        outcome=c.get_outcome_display(),
        violation_found=c.violation_found,
        measures=c.measures,
        source=c.source,
    )


def complaint_register(body: Body, filters: ComplaintFilters, page_number: str | int | None) -> RegisterPage:
    """One page of the register: four queries (units, subjects, the count, the page's rows)."""
    choices = choices_of(body)
    qs = complaints_of(body, filters).order_by("-filed_on", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(page_number)
    rows = [_row(c, choices) for c in page.object_list]
    return RegisterPage(rows=rows, page=page, choices=choices, query=filters.query())


# --- analytics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a chart and one row of the table beside it."""

    label: str
    count: int
    satisfied: int
    share: float  # of the chart's largest bar, 0..1, for the bar's length
    link: str  # the register filtered to the rows behind the figure

    @property
    def satisfied_percent(self) -> str:
        return _percent(self.satisfied, self.count)

    @property
    def length(self) -> str:
        """The bar's length in the chart's units (0..100), as SVG reads it."""
        return f"{self.share * 100:.1f}"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]
    total: int

    @property
    def height(self) -> int:
        return 24 * max(len(self.bars), 1) + 8


@dataclass(frozen=True)
class Analytics:
    total: int
    decided: int
    satisfied: int
    violations: int
    median_days: float | None
    p90_days: float | None
    charts: list[Chart]
    quarters: list[QuarterRow]
    choices: Choices
    register_url: str
    filters: ComplaintFilters = field(default_factory=ComplaintFilters)

    @property
    def satisfied_percent(self) -> str:
        return _percent(self.satisfied, self.decided)

    @property
    def quarter_width(self) -> int:
        return 24 * max(len(self.quarters), 1)

    @property
    def quarter_bars(self) -> list[dict[str, object]]:
        """The quarters as columns of a 100-high chart: x, y and height in its units."""
        top = max((q.count for q in self.quarters), default=0) or 1
        bars = []
        for i, q in enumerate(self.quarters):
            height = round(96 * q.count / top, 1)
            bars.append(
                {
                    "x": 24 * i + 4,
                    "y": round(100 - height, 1),
                    "height": height,
                    "label": q.label,
                    "count": q.count,
                    "link": q.link,
                }
            )
        return bars


@dataclass(frozen=True)
class QuarterRow:
    label: str
    count: int
    satisfied: int
    change: str  # against the previous quarter, "+12 %" / "−5 %" / "—"
    link: str


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"


_SATISFIED = Q(outcome__in=SATISFIED_OUTCOMES)


def _bars(rows: Any, *, label: Any, link: Any, key: str) -> list[Bar]:
    rows = sorted(rows, key=lambda r: (-r["n"], str(r[key])))
    top = max((r["n"] for r in rows), default=0) or 1
    return [Bar(label(r[key]), r["n"], r["sat"], r["n"] / top, link(r[key])) for r in rows]


def _days_sql() -> str:
    if connection.vendor == "postgresql":
        return "(decided_on - filed_on)"
    return "CAST(julianday(decided_on) - julianday(filed_on) AS INTEGER)"


class _DatePart(Func):
    """The year or the quarter of a date, computed by the database itself: Django's Extract
    calls back into Python once per row on SQLite, which made the quarters the slowest figure of
    the analytics page."""

    output_field = IntegerField()
    sqlite_template = ""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template=self.sqlite_template, **extra_context)


class _Year(_DatePart):
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"
    sqlite_template = "CAST(strftime('%%%%Y', %(expressions)s) AS INTEGER)"


class _Quarter(_DatePart):
    template = "CAST(EXTRACT(QUARTER FROM %(expressions)s) AS INTEGER)"
    sqlite_template = "((CAST(strftime('%%%%m', %(expressions)s) AS INTEGER) + 2) / 3)"


class _PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(fraction) WITHIN GROUP (ORDER BY …)."""

    template = "percentile_cont(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float) -> None:
        super().__init__(expression, fraction=str(float(fraction)))


def decision_percentiles(qs: QuerySet[Complaint]) -> tuple[float | None, float | None]:
    """The median and the 90th percentile of the days from filing to decision of the decided
    complaints in `qs`, interpolated between neighbouring values as percentile_cont does.

    On PostgreSQL one statement with percentile_cont; elsewhere the count and, for each
    percentile, the two neighbouring values read in order from the database (LIMIT 2 OFFSET k),
    never the rows themselves."""
    decided = qs.filter(decided_on__isnull=False).order_by()
    days = RawSQL(_days_sql(), [], output_field=FloatField())
    if connection.vendor == "postgresql":
        found = decided.aggregate(
            median=_PercentileCont(days, fraction=0.5), p90=_PercentileCont(days, fraction=0.9)
        )
        return found["median"], found["p90"]
    n = decided.count()
    if not n:
        return None, None
    ordered = decided.annotate(d=days).order_by("d").values_list("d", flat=True)
    result = []
    for fraction in (0.5, 0.9):
        position = fraction * (n - 1)
        low = int(position)
        values = [float(v) for v in ordered[low : low + 2]]
        upper = values[1] if len(values) > 1 else values[0]
        result.append(values[0] + (upper - values[0]) * (position - low))
    return result[0], result[1]


def histogram_percentiles(histogram: list[tuple[int, int]]) -> tuple[float | None, float | None]:
    """The median and the 90th percentile from (days, count) in the order of days, exactly as
    percentile_cont computes them over the rows: the values at ranks ⌊f·(n−1)⌋ and the next one,
    interpolated linearly."""
    n = sum(count for _days, count in histogram)
    if not n:
        return None, None

    def at(rank: int) -> int:
        seen = 0
        for days, count in histogram:
            seen += count
            if rank < seen:
                return days
        return histogram[-1][0]

    result = []
    for fraction in (0.5, 0.9):
        position = fraction * (n - 1)
        low = int(position)
        first = float(at(low))
        upper = float(at(low + 1)) if low + 1 < n else first
        result.append(first + (upper - first) * (position - low))
    return result[0], result[1]


def _summary_usable(filters: ComplaintFilters) -> bool:
    return filters.whole_months()


def complaint_analytics(body: Body, filters: ComplaintFilters) -> Analytics:
    """The analytics page: totals, the share satisfied, the time to decision, five charts (by
    outcome, article, unit, subject and kind of official) and the quarters, each figure linked
    to the register filtered to its rows. A fixed number of queries (GROUP BY each).

    When the dates cover whole months (or none are given) every count is read from the summary
    of the register (ComplaintSummary: per month and value of every filter) and the time to
    decision from its histogram (ComplaintDays, unless the filters name a unit or a subject);
    otherwise from the register's rows. Both give the same figures."""
    choices = choices_of(body)
    register = reverse("complaints", args=[body.pk])

    def link(**changes) -> str:
        return f"{register}?{filters.query(**changes)}"

    summary = _summary_usable(filters)
    base: QuerySet[Any]
    if summary:
        base = ComplaintSummary.objects.filter(filters.months() & filters.dimensions(), body=body).order_by()
        counted: dict[str, Any] = {
            "n": Coalesce(Sum("number"), 0),
            "sat": Coalesce(Sum("number", filter=_SATISFIED), 0),
        }
        violated: Any = Coalesce(Sum("number", filter=Q(violation_found=True)), 0)
    else:
        base = complaints_of(body, filters).order_by()
        counted = {"n": Count("pk"), "sat": Count("pk", filter=_SATISFIED)}
        violated = Count("pk", filter=Q(violation_found=True))
    qs = base
    outcome_rows = qs.values("outcome").annotate(**counted, viol=violated)
    by_outcome: list[dict[str, Any]] = list(outcome_rows)  # type: ignore[arg-type]
    total = sum(r["n"] for r in by_outcome)
    decided = sum(r["n"] for r in by_outcome if r["outcome"] != ComplaintOutcome.PENDING)
    satisfied = sum(r["sat"] for r in by_outcome)
    violations = sum(r["viol"] for r in by_outcome)
    outcomes = dict(ComplaintOutcome.choices)
    articles = dict(ComplaintArticle.choices)
    officials = dict(OfficialKind.choices)
    charts = [
        Chart(
            "outcome",
            _("By outcome"),
            _bars(
                by_outcome,
                key="outcome",
                label=lambda v: str(outcomes.get(v, v)),
                link=lambda v: link(outcome=v),
            ),
            total,
        ),
        Chart(
            "article",
            _("By article"),
            _bars(
                qs.values("article").annotate(**counted),
                key="article",
                label=lambda v: str(articles.get(v, v)),
                link=lambda v: link(article=v),
            ),
            total,
        ),
        Chart(
            "unit",
            _("By unit"),
            _bars(
                qs.values("unit").annotate(**counted),
                key="unit",
                label=choices.unit_name,
                link=lambda v: link(unit=v),
            ),
            total,
        ),
        Chart(
            "subject",
            _("By subject"),
            _bars(
                qs.values("subject").annotate(**counted),
                key="subject",
                label=choices.subject_name,
                link=lambda v: link(subject=v),
            ),
            total,
        ),
        Chart(
            "official",
            _("By kind of official"),
            _bars(
                qs.values("official").annotate(**counted),
                key="official",
                label=lambda v: str(officials.get(v, v)),
                link=lambda v: link(official=v),
            ),
            total,
        ),
    ]
    quarter_rows = _quarter_rows(qs, counted, summary=summary)
    quarters: list[QuarterRow] = []
    previous: int | None = None
    for r in quarter_rows:
        start = date(r["y"], 3 * r["q"] - 2, 1)
        end = date(r["y"] + (r["q"] == 4), 1 if r["q"] == 4 else 3 * r["q"] + 1, 1)
        end = date.fromordinal(end.toordinal() - 1)
        lo = max(start, filters.date_from) if filters.date_from else start
        hi = min(end, filters.date_to) if filters.date_to else end
        if previous:
            delta = round(100 * (r["n"] - previous) / previous)
            change = f"+{delta} %" if delta > 0 else (f"−{-delta} %" if delta < 0 else "0 %")
        else:
            change = "—"
        quarters.append(
            QuarterRow(
                label=_("Q%(q)s %(year)s") % {"q": r["q"], "year": r["y"]},
                count=r["n"],
                satisfied=r["sat"],
                change=change,
                link=link(date_from=lo, date_to=hi),
            )
        )
        previous = r["n"]
    if summary and not filters.unit and not filters.subject:
        histogram = (
            ComplaintDays.objects.filter(filters.months() & filters.dimensions(), body=body)
            .values("days")
            .annotate(count=Sum("number"))
            .order_by("days")
            .values_list("days", "count")
        )
        median, p90 = histogram_percentiles(list(histogram))
    else:
        median, p90 = decision_percentiles(complaints_of(body, filters).order_by())
    return Analytics(
        total=total,
        decided=decided,
        satisfied=satisfied,
        violations=violations,
        median_days=median,
        p90_days=p90,
        charts=charts,
        quarters=quarters,
        choices=choices,
        register_url=link(),
        filters=filters,
    )


def _quarter_rows(qs: QuerySet[Any], counted: dict[str, Any], *, summary: bool) -> list[dict[str, Any]]:
    """Count and satisfied per year and quarter of filing, in order: the summary's months added up
    into quarters, or the rows grouped by the quarter the database computes."""
    if not summary:
        by_quarter = (
            qs.annotate(y=_Year("filed_on"), q=_Quarter("filed_on"))
            .values("y", "q")
            .annotate(**counted)
            .order_by("y", "q")
        )
        return list(by_quarter)
    quarters: dict[tuple[int, int], dict[str, Any]] = {}
    for r in qs.values("month").annotate(**counted).order_by("month"):
        month = r["month"]
        row = quarters.setdefault(
            (month.year, (month.month + 2) // 3),
            {"y": month.year, "q": (month.month + 2) // 3, "n": 0, "sat": 0},
        )
        row["n"] += r["n"]
        row["sat"] += r["sat"]
    return [quarters[k] for k in sorted(quarters)]


def export_rows(body: Body, filters: ComplaintFilters) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The headers and the rows (an iterator, read in chunks) of the filtered register, in the
    reader's language, for the XLSX export."""
    choices = choices_of(body)
    headers = [
        _("Article"),
        _("Filed on"),
        _("Decided on"),
        _("Unit complained of"),
        _("Kind of official"),
        _("Subject"),
        _("Outcome"),
        _("Violation found"),
        _("Measures taken"),
        _("Source"),
    ]
    officials = dict(OfficialKind.choices)
    outcomes = dict(ComplaintOutcome.choices)
    yes, no = _("Yes"), _("No")
    qs = (
        complaints_of(body, filters)
        .order_by("filed_on", "pk")
        .values_list(
            "article",
            "filed_on",
            "decided_on",
            "unit_id",
            "official",
            "subject_id",
            "outcome",
            "violation_found",
            "measures",
            "source",
        )
    )
    rows = (
        (
            int(a),
            f,
            d,
            choices.unit_name(u),
            str(officials.get(o, o)),
            choices.subject_name(s),
            str(outcomes.get(r, r)),
            yes if v else no,
            m,
            src,
        )
        for a, f, d, u, o, s, r, v, m, src in qs.iterator(chunk_size=5000)
    )
    return headers, rows


@dataclass(frozen=True)
class NoteMeeting:
    """A meeting as the note's page names it: its date, time and kind, and its page."""

    pk: int
    label: str
    url: str
    approved: bool = False  # its agenda approved: a new question withdraws the approval


@dataclass(frozen=True)
class NoteAgenda:
    """The meetings whose agenda holds the note as a question, and those it may still be put on
    (the body's meetings to come, not cancelled, without decisions yet). Two queries."""

    heard_at: list[NoteMeeting]
    open: list[NoteMeeting]

    @property
    def any_approved(self) -> bool:
        return any(m.approved for m in self.open)


def _note_meeting(meeting: Meeting) -> NoteMeeting:
    return NoteMeeting(
        pk=meeting.pk,
        label=str(meeting),
        url=reverse("meeting", args=[meeting.pk]),
        approved=meeting.agenda_approved_at is not None,
    )


def note_agenda(note: ComplaintNote, *, now: Any = None) -> NoteAgenda:
    from django.utils import timezone

    now = now or timezone.now()
    heard = [
        _note_meeting(item.meeting)
        for item in AgendaItem.objects.filter(complaint_note=note)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    ]
    taken = {m.pk for m in heard}
    upcoming = (
        Meeting.objects.filter(body_id=note.body_id, starts_at__gte=now)
        .exclude(status="cancelled")
        .filter(decisions__isnull=True)
        .order_by("starts_at")
        .distinct()[:20]
    )
    return NoteAgenda(heard_at=heard, open=[_note_meeting(m) for m in upcoming if m.pk not in taken])


@dataclass(frozen=True)
class SubjectRow:
    """One subject of the classifier on its page, with the number of complaints filed under it."""

    pk: int
    name_ru: str
    name_kk: str
    position: int
    is_active: bool
    complaints: int


def classifier_of(body: Body) -> list[SubjectRow]:
    """The body's classifier of subjects in its order (one query)."""
    rows = (
        ComplaintSubject.objects.filter(body=body)
        .annotate(n=Count("complaints"))
        .order_by("position", "name_ru")
        .values_list("pk", "name_ru", "name_kk", "position", "is_active", "n")
    )
    return [SubjectRow(*row) for row in rows]
