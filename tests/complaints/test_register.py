"""The register: its rules, the figures against hand-counted data, the pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from alqa.domain.complaints import create_complaint, delete_complaint, update_complaint
from alqa.models import AuditEvent, Complaint, ComplaintSubject
from alqa.queries.complaints import ComplaintFilters, complaint_analytics, decision_percentiles
from tests.complaints.conftest import subject
from tests.conftest import login


def _new(body, actor, unit, **changes):
    values = {
        "article": "105",
        "filed_on": date(2025, 3, 1),
        "decided_on": date(2025, 3, 5),
        "unit": unit,
        "official": "investigator",
        "subject": subject(body, "detention"),
        "outcome": "refused",
    }
    return create_complaint(body=body, actor=actor, **(values | changes))


def test_a_body_starts_with_the_classifier_in_both_languages(body):
    subjects = ComplaintSubject.objects.filter(body=body)
    assert subjects.count() == 8
    assert subjects.get(code="lawyer_access").name_kk == "Қорғаушыға қол жеткізу"


def test_create_edit_delete_are_audited(body, admin_user, police_unit):
    complaint = _new(body, admin_user, police_unit)
    update_complaint(complaint, actor=admin_user, changes={"outcome": "satisfied"})
    delete_complaint(complaint, actor=admin_user)
    actions = list(
        AuditEvent.objects.filter(object_type="complaint").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["complaint.created", "complaint.changed", "complaint.deleted"]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"filed_on": timezone.localdate() + timedelta(days=1), "decided_on": None, "outcome": "pending"},
            "filed_on",
        ),
        ({"decided_on": date(2025, 2, 1)}, "decided_on"),
        ({"decided_on": None}, "decided_on"),
        ({"outcome": "pending"}, "outcome"),
        ({"measures": "ИИН 900101300017 наказан"}, "measures"),
        ({"source": "дело 251234567890123"}, "source"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(body, admin_user, police_unit, changes, field):
    with pytest.raises(ValidationError) as refusal:
        _new(body, admin_user, police_unit, **changes)
    assert field in refusal.value.message_dict
    assert not Complaint.objects.exists()


def test_a_unit_of_another_body_or_side_is_refused(body, other_body, admin_user, police_unit, bar_unit):
    with pytest.raises(ValidationError) as refusal:
        _new(body, admin_user, bar_unit)
    assert "unit" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        _new(
            body, admin_user, police_unit, subject=ComplaintSubject.objects.get(body=other_body, code="other")
        )
    assert "subject" in refusal.value.message_dict


def test_the_figures_match_the_hand_count(body, counted, district):
    with translation.override("en"):
        figures = complaint_analytics(body, ComplaintFilters())
    assert (figures.total, figures.decided, figures.satisfied, figures.violations) == (7, 6, 3, 3)
    assert figures.satisfied_percent == "50.0 %"
    assert figures.median_days == 7.5
    assert figures.p90_days == 25.0
    charts = {c.key: {b.label: b.count for b in c.bars} for c in figures.charts}
    assert charts["article"] == {
        "Art. 105: to the prosecutor or the head of the investigating body": 4,
        "Art. 106: to the investigating judge": 3,
    }
    assert charts["unit"] == {"Следственное управление": 4, "Отдел дознания": 3}
    assert charts["outcome"]["Refused"] == 2
    assert [(q.label, q.count, q.change) for q in figures.quarters] == [
        ("Q1 2025", 3, "—"),
        ("Q2 2025", 4, "+33 %"),
    ]


def test_filters_narrow_every_figure(body, counted, district):
    filters = ComplaintFilters(unit=district["inquiry"].pk)
    figures = complaint_analytics(body, filters)
    assert (figures.total, figures.decided, figures.satisfied) == (3, 2, 1)
    assert figures.median_days == 10.5  # 1 and 20
    only_q2 = complaint_analytics(
        body, ComplaintFilters(date_from=date(2025, 4, 1), date_to=date(2025, 6, 30))
    )
    assert only_q2.total == 4


def test_percentiles_of_one_and_of_none(body, counted):
    one = Complaint.objects.filter(pk=counted[0].pk)
    assert decision_percentiles(one) == (3.0, 3.0)
    assert decision_percentiles(Complaint.objects.none().filter(pk=0)) == (None, None)


def test_the_register_page_filters_and_pages_in_constant_queries(
    client, body, secretary, counted, district, waive_mfa, django_assert_max_num_queries
):
    login(client, secretary)
    url = f"/bodies/{body.pk}/complaints/?unit={district['inquiry'].pk}"
    client.get(url)
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") == 4  # the head and three rows
    many = [_new(body, secretary.user, district["inquiry"]) for _ in range(60)]
    with django_assert_max_num_queries(14):
        page = client.get(url + "&page=2")
    assert "Page 2 of 2" in page.content.decode()
    assert many


def test_the_analytics_page_draws_every_chart_with_links_to_the_rows(
    client, body, member, counted, district, waive_mfa, django_assert_max_num_queries
):
    login(client, member)
    url = f"/bodies/{body.pk}/complaints/analytics/"
    client.get(url)
    with django_assert_max_num_queries(20):
        page = client.get(url)
    html = page.content.decode()
    assert html.count("<svg") == 6
    assert f"/bodies/{body.pk}/complaints/?unit={district['inquiry'].pk}" in html
    drill = client.get(f"/bodies/{body.pk}/complaints/?unit={district['inquiry'].pk}&outcome=refused")
    assert drill.content.decode().count("<tr>") == 2


def test_the_export_holds_the_filtered_rows(client, body, member, counted, district, waive_mfa):
    import io

    from openpyxl import load_workbook

    login(client, member, language="ru")
    response = client.get(f"/bodies/{body.pk}/complaints/export.xlsx?article=106")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Статья"
    assert len(rows) == 4 and {r[0] for r in rows[1:]} == {106}


def test_a_complaint_is_added_through_the_page(client, body, secretary, police_unit, waive_mfa):
    login(client, secretary)
    page = client.post(
        f"/bodies/{body.pk}/complaints/new/",
        {
            "article": "106",
            "filed_on": "2025-05-01",
            "decided_on": "2025-04-01",
            "unit": police_unit.pk,
            "official": "prosecutor",
            "subject": subject(body, "other").pk,
            "outcome": "refused",
        },
    )
    assert "A complaint cannot be decided before it was filed." in page.content.decode()
    assert not Complaint.objects.exists()


def test_another_bodys_complaint_is_not_found(client, body, outsider, counted, waive_mfa):
    login(client, outsider)
    assert client.get(f"/complaints/{counted[0].pk}/").status_code == 404
