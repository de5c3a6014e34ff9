"""schemathesis over /api/v1/openapi.json, in process, with an administrator's token: every
operation, with examples generated from the schema (valid and invalid), and every check of
schemathesis — no server error, no status the schema does not declare, no answer that breaks its
schema, invalid input refused, valid input refused only by a rule of the regulation (422 naming
it), never for its form.

The path ids are those of a small body built for the test (a meeting ahead, a meeting held with a
quorum, a proposal, a member), so that the requests reach the rules and not only the 404 of an
unknown id. The number of examples is bounded so that the whole run takes about two minutes on
two cores; `ALQA_SCHEMATHESIS_EXAMPLES` raises it for a longer run by hand.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from alqa.domain.bodies import add_guest
from alqa.domain.execution import request_extension, submit_report
from alqa.domain.meetings import ExecutorInput, invite_guest, record_decision
from alqa.domain.proposals import submit_proposal
from alqa.domain.protocols import create_protocol
from alqa.enums import Side
from tests.api.conftest import FORM_ERRORS, token_for
from tests.conftest import make_member, meeting_on

OVERSIGHT_IDS = (
    "facility_id",
    "visit_id",
    "finding_id",
    "request_id",
    "urgent_contact_id",
    "legislative_proposal_id",
    "publication_id",
    "checklist_item_id",
)
EXAMPLES = int(os.environ.get("ALQA_SCHEMATHESIS_EXAMPLES", "8"))


@schemathesis.check
def valid_input_is_refused_only_by_a_rule(ctx, response, case):
    """A 422 to a request generated as valid names a rule of the regulation, not a form error."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    kinds = {item["type"] for item in response.json()["detail"]}
    assert not kinds & FORM_ERRORS, f"valid input refused for its form: {response.json()['detail']}"
    return None


@pytest.fixture
def wsgi_app(settings):
    """Django's own WSGI handler, in this thread and this test's transaction: the connection is
    not closed between requests (as Django's test client arranges too)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(body, admin_user, chair, secretary, member):
    lawyer = make_member(body, admin_user, email="omarov@alqa.test", side=Side.BAR, name="Адвокат Омаров")
    ahead, ahead_item = meeting_on(body, secretary, chair, days=7)
    held, item = meeting_on(
        body, secretary, chair, days=-1, present=(chair, secretary, member, lawyer), approved=True
    )
    decision = record_decision(
        held,
        actor=secretary.user,
        agenda_item=item,
        text_ru="Обеспечить допуск",
        executors=[ExecutorInput(name="Начальник СУ", due_working_days=5)],
    )
    guest = add_guest(body=body, actor=secretary.user, full_name="Эксперт", email="expert@alqa.test")
    invite_guest(held, guest=guest, actor=secretary.user)
    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="Тема", memo_ru="Справка"
    )
    complaints_import, note = _complaints(body, admin_user)
    protocol = create_protocol(held, actor=secretary.user)
    remark, plan = _plans(body, member, secretary, decision)
    oversight = _oversight(body, admin_user, chair, lawyer)
    assignment = held.decisions.get().assignments.get()
    report, _new = submit_report(
        assignment,
        kind="info",
        text="Начато",
        actor=None,
        files=[SimpleUploadedFile("info.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    extension, _new = request_extension(assignment, reason="Ремонт", working_days=5, actor=None)
    return {
        **oversight,
        "remark": remark,
        "plan": plan,
        "assignment": assignment,
        "report": report,
        "assignment_file": report.files.get(),
        "extension": extension,
        "protocol": protocol,
        "complaints_import": complaints_import,
        "note": note,
        "body": body,
        "ahead": ahead,
        "ahead_item": ahead_item,
        "held": held,
        "proposal": proposal,
        "member": member,
        "token": token_for(admin_user),
    }


def _plans(body, member, secretary, decision):
    """A compliance remark on the decision and a draft annual plan with one item (alqa/api/plans.py)."""
    from datetime import date

    from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
    from alqa.domain.remarks import file_remark

    remark = file_remark(
        body=body,
        author=member,
        actor=member.user,
        decision=decision,
        facts_ru="Не исполнено",
        files=[SimpleUploadedFile("facts.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    plan = create_plan(body=body, actor=secretary.user, period="year", year=2030)
    add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        due_date=date(2030, 6, 30),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    return remark, plan


def _complaints(body, admin_user):
    """An import of complaints waiting for its columns and a note (alqa/api/complaints.py)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from alqa.domain.complaint_import import receive_import
    from alqa.domain.complaint_notes import create_note

    upload = SimpleUploadedFile("stat.csv", "Статья;Дата подачи\n105;01.03.2025\n".encode())
    job = receive_import(body=body, actor=admin_user, upload=upload, source="Статистика")
    note = create_note(
        body=body,
        actor=admin_user,
        title_ru="Обобщение",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
    )
    return job, note


def _oversight(body, admin_user, chair, lawyer):
    """A facility visited with a finding, a request sent, an urgent contact, a draft legislative
    proposal and a draft publication (alqa/api/oversight.py)."""
    from django.utils import timezone

    from alqa.domain.bodies import create_unit
    from alqa.domain.legislation import create_proposal
    from alqa.domain.publications import create_publication
    from alqa.domain.requests import create_request, mark_sent
    from alqa.domain.urgent_contacts import log_contact
    from alqa.domain.visits import add_finding, create_facility, plan_visit, record_visit

    unit = create_unit(
        body=body,
        actor=admin_user,
        name_ru="ОП района",
        side="police",
        kind="subordinate",
        head_name="Начальник",
    )
    facility = create_facility(
        body=body, actor=admin_user, name_ru="ИВС", kind="temporary_detention", unit=unit
    )
    today = timezone.localdate()
    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=today)
    record_visit(visit, actor=chair.user, visited_on=today, participants=[chair, lawyer])
    finding = add_finding(visit, actor=chair.user, kind="other", description="Нарушение")
    request = create_request(
        body=body,
        actor=admin_user,
        addressee_kind="police_unit",
        addressee="ДП",
        subject="Журнал",
        legal_basis="2.2.8",
    )
    mark_sent(request, actor=admin_user, sent_on=today)
    contact = log_contact(
        body=body, actor=chair.user, member=chair, unit=unit, contacted_at=timezone.now(), reason="Допуск"
    )
    legislative = create_proposal(
        body=body,
        actor=admin_user,
        title_ru="О допуске",
        text_ru="Редакция",
        act="УПК",
        justification="Да",
        addressee="Мажилис",
    )
    publication = create_publication(
        body=body, actor=admin_user, title_ru="Итоги", title_kk="Қорытынды", text_ru="Текст", text_kk="Мәтін"
    )
    return {
        "facility_id": facility.pk,
        "visit_id": visit.pk,
        "finding_id": finding.pk,
        "request_id": request.pk,
        "urgent_contact_id": contact.pk,
        "legislative_proposal_id": legislative.pk,
        "publication_id": publication.pk,
        "checklist_item_id": facility.body.checklist_items.first().pk,
    }


def _schema():
    from alqa.api import api

    config = SchemathesisConfig.from_dict(
        {
            "seed": 20260309,
            "generation": {"max-examples": EXAMPLES, "database": "none"},
            "checks": {
                # a valid request may still break a rule of the regulation (a meeting in the past,
                # no quorum): a 422 that says so; valid_input_is_refused_only_by_a_rule checks why
                "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]}
            },
        }
    )
    return schemathesis.openapi.from_dict(api.get_openapi_schema(), config=config)


schema = _schema()


@schema.parametrize()
# The body built for the test is shared by the examples of one operation, as a real installation's
# data is shared by its requests: what one example changed, the next one meets.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_its_schema(case, world, wsgi_app, admin_user):
    if case.meta is not None and case.meta.generation.mode.is_positive:
        # a valid request names the records the test built, so that it reaches the rules
        held = case.path.endswith(("/decisions", "/attendance"))
        ids = {
            "body_id": world["body"].pk,
            "meeting_id": world["held" if held else "ahead"].pk,
            "proposal_id": world["proposal"].pk,
            "member_id": world["member"].pk,
            "import_id": world["complaints_import"].pk,
            "note_id": world["note"].pk,
            "protocol_id": world["protocol"].pk,
            "remark_id": world["remark"].pk,
            "remark_file_id": world["remark"].proposal.attachments.get().pk,
            "plan_id": world["plan"].pk,
            "item_id": world["ahead_item"].pk,  # a question of the meeting ahead (meeting_id)
            "assignment_id": world["assignment"].pk,
            "report_id": world["report"].pk,
            "assignment_file_id": world["assignment_file"].pk,
            "plan_item_id": world["plan"].items.get().pk,
            "extension_id": world["extension"].pk,
            "subject_id": world["body"].complaint_subjects.get(code="other").pk,
        } | {name: world[name] for name in OVERSIGHT_IDS}
        for name in list(case.path_parameters or {}):
            case.path_parameters[name] = ids[name]
    case.operation.schema.app = wsgi_app  # the checks' own probes (without the token …) go there too
    headers = {"Authorization": f"Bearer {world['token']}", "Accept-Language": "kk"}
    case.call_and_validate(app=wsgi_app, headers=headers)
