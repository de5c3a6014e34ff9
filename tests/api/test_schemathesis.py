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
    ahead, _item = meeting_on(body, secretary, chair, days=7)
    held, item = meeting_on(
        body, secretary, chair, days=-1, present=(chair, secretary, member, lawyer), approved=True
    )
    record_decision(
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
    assignment = held.decisions.get().assignments.get()
    report, _new = submit_report(assignment, kind="info", text="Начато", actor=None)
    extension, _new = request_extension(assignment, reason="Ремонт", working_days=5, actor=None)
    return {
        "assignment": assignment,
        "report": report,
        "extension": extension,
        "protocol": protocol,
        "complaints_import": complaints_import,
        "note": note,
        "body": body,
        "ahead": ahead,
        "held": held,
        "proposal": proposal,
        "member": member,
        "token": token_for(admin_user),
    }


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
            "assignment_id": world["assignment"].pk,
            "report_id": world["report"].pk,
            "request_id": world["extension"].pk,
        }
        for name in list(case.path_parameters or {}):
            case.path_parameters[name] = ids[name]
    case.operation.schema.app = wsgi_app  # the checks' own probes (without the token …) go there too
    headers = {"Authorization": f"Bearer {world['token']}", "Accept-Language": "kk"}
    case.call_and_validate(app=wsgi_app, headers=headers)
