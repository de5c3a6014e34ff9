"""Every action Alqa records reads as its own sentence in the audit trail (alqa/queries/audit_actions.py):
no action is recorded without an entry, every sentence names only the parts its events carry, and
every translation names the same parts as its English original, so no sentence falls back to the
generic one or shows a dash where a value should be."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from alqa.dates import long_date
from alqa.models import AuditEvent
from alqa.queries.audit import _meetings_named, _Parts, _parts
from alqa.queries.audit_actions import ACTIONS, RETIRED
from tests.conftest import login, meeting_on

ALQA = Path(__file__).resolve().parents[2] / "alqa"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
ALWAYS = {"actor", "object"}  # every event supplies these (alqa.queries.audit._parts)
STEMS = ("title", "text", "name")  # `<stem>` from `<stem>_ru`/`<stem>_kk`, in the reader's language


# --- what the code records, read from its source -------------------------------------------------


@dataclass
class Recorded:
    """One place in alqa/ that records `action`, with the keys of the data it stores: `open` when
    the data is not a literal the test can read (a snapshot, a diff, a dict built elsewhere)."""

    action: str
    where: str
    keys: set[str] = field(default_factory=set)
    open: bool = False
    about_meeting: bool = False


def _strings(node: ast.expr | None, module: ast.Module | None = None) -> list[str]:
    """The action names an argument can be: a literal, either branch of `a if c else b`, or any
    value of a module-level dict of literals looked up by key (`ACTIONS[to]`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, module) + _strings(node.orelse, module)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and module is not None:
        for statement in module.body:
            targets = (
                statement.targets
                if isinstance(statement, ast.Assign)
                else [statement.target]
                if isinstance(statement, ast.AnnAssign)
                else []
            )
            value = getattr(statement, "value", None)
            if isinstance(value, ast.Dict) and any(
                isinstance(t, ast.Name) and t.id == node.value.id for t in targets
            ):
                return sorted({v for item in value.values for v in _strings(item)})
    return []


def _assigned_dict(function: ast.AST | None, name: str) -> ast.Dict | None:
    if function is None:
        return None
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Dict)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ):
            return node.value
    return None


def _keys(node: ast.expr | None, function: ast.AST | None) -> tuple[set[str], bool]:
    """The literal keys of a `data=` argument, and whether it may hold others."""
    if node is None:
        return set(), False
    if isinstance(node, ast.Name) and (found := _assigned_dict(function, node.id)) is not None:
        node = found
    if isinstance(node, ast.Dict):
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        return keys, any(k is None for k in node.keys)  # `**spread`
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, left_open = _keys(node.left, function)
        right, right_open = _keys(node.right, function)
        return left | right, left_open or right_open
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_data":
        return {"case_identifiers_confirmed"}, False
    return set(), True


def _wrappers(
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef],
) -> dict[str, tuple[int, set[str], set[str]]]:
    """Helpers of a module that record an event whose action their caller names
    (`def _event(a, action, actor, **data): record_event(a, action, …, data={…, **data})`): name ->
    (the action's position, the data keys the helper adds itself, its own parameters)."""
    found = {}
    for function in functions:
        params = [a.arg for a in function.args.args]
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "record_event"):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            action = node.args[1] if len(node.args) > 1 else keywords.get("action")
            if isinstance(action, ast.Name) and action.id in params:
                fixed, _open = _keys(keywords.get("data"), function)
                found[function.name] = (params.index(action.id), fixed, set(params))
    return found


def recorded_actions() -> list[Recorded]:
    """Every `record_event(obj, "action", …, data=…)` and `NewEvent("action", …)` in alqa/, and the
    audit key's own sealing row (alqa/seal.py writes it directly, under `SEALED_ACTION`)."""
    found: list[Recorded] = []
    for path in sorted(ALQA.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        wrappers = _wrappers(functions)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            keywords = {k.arg: k.value for k in node.keywords}
            function = next(
                (f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)), None
            )
            if name == "record_event":
                action = node.args[1] if len(node.args) > 1 else keywords.get("action")
                obj = node.args[0] if node.args else None
                if function is not None and function.name in wrappers and isinstance(action, ast.Name):
                    continue  # a helper that records what its callers name: read at their calls
                keys, is_open = _keys(keywords.get("data"), function)
            elif name == "NewEvent":
                action = node.args[0] if node.args else keywords.get("action")
                obj = None
                keys, is_open = _keys(keywords.get("data"), function)
            elif name in wrappers:
                index, fixed, params = wrappers[name]
                action = node.args[index] if len(node.args) > index else keywords.get("action")
                obj = node.args[0] if node.args else None
                # the helper's own keys, and each keyword its caller passes into its **data
                keys, is_open = fixed | (set(keywords) - params - {None}), False
                for spread in (k.value for k in node.keywords if k.arg is None):  # **({…} if c else {})
                    branches = [spread.body, spread.orelse] if isinstance(spread, ast.IfExp) else [spread]
                    for branch in branches:
                        more, more_open = _keys(branch, function)
                        keys, is_open = keys | more, is_open or more_open
            else:
                continue
            where = f"{path.relative_to(ALQA.parent)}:{node.lineno}"
            names = _strings(action, tree)
            assert names, f"{where}: the action recorded here is not a literal the test can read"
            for code in names:
                found.append(
                    Recorded(
                        code,
                        where,
                        keys,
                        is_open,
                        about_meeting=isinstance(obj, ast.Name) and obj.id == "meeting",
                    )
                )
    from alqa import seal

    found.append(
        Recorded(seal.SEALED_ACTION, "alqa/seal.py", {"legacy_events", "legacy_head", "legacy_content"})
    )
    return found


def _supplied(r: Recorded) -> set[str]:
    """The parts alqa.queries.audit._parts gives an event with these data keys."""
    parts = ALWAYS | r.keys | {f"{k}_count" for k in r.keys}
    parts |= {s for s in STEMS if f"{s}_ru" in r.keys or f"{s}_kk" in r.keys}
    if "meeting" in r.keys or r.about_meeting:
        parts.add("meeting")
    return parts


def _templates(code: str) -> list[str]:
    action = ACTIONS[code]
    return [str(t) for t in (action.sentence, action.woman) if t is not None]


def test_every_recorded_action_has_a_sentence():
    missing = sorted({f"{r.action} ({r.where})" for r in recorded_actions() if r.action not in ACTIONS})
    assert not missing, "actions recorded without an entry in ACTIONS:\n" + "\n".join(missing)


def test_every_entry_is_an_action_the_code_records():
    recorded = {r.action for r in recorded_actions()}
    assert set(ACTIONS) - recorded == set(RETIRED)
    assert RETIRED <= set(ACTIONS)  # an older version's events still read as their sentence


# Actions whose data the source does not spell out as a literal, and whose sentences name more
# than the actor, the record and the meeting: test_real_events_supply_every_part records them.
RECORDED_FOR_REAL = {
    "facility.created",
    "publication.drafted",
    "publication.edited",
    "request.created",
    "protocol.signature_added",
    "legislative_proposal.created",
    "legislative_proposal.submitted",
}


def test_every_sentence_names_only_parts_its_events_carry():
    wrong = []
    for r in recorded_actions():
        if r.action not in ACTIONS:
            continue
        for language in ("en", "ru", "kk"):
            with translation.override(language):
                for template in _templates(r.action):
                    named = set(PLACEHOLDER.findall(template))
                    if r.open:
                        beyond = named - ALWAYS - {"meeting"} - r.keys
                        if beyond and r.action not in RECORDED_FOR_REAL:
                            wrong.append(f"{r.where} {r.action} [{language}]: {sorted(beyond)} unchecked")
                    elif named - _supplied(r):
                        wrong.append(f"{r.where} {r.action} [{language}]: {sorted(named - _supplied(r))}")
    assert not wrong, "\n".join(wrong)


def test_every_translation_names_the_parts_of_its_original_and_formats():
    wrong = []
    for code, action in ACTIONS.items():
        for variant in (action.sentence, action.woman):
            if variant is None:
                continue
            with translation.override("en"):
                english = str(variant)
            for language in ("ru", "kk"):
                with translation.override(language):
                    text = str(variant)
                    label = str(action.label)
                if language == "ru" and text == english:
                    wrong.append(f"{code}: untranslated in {language}")
                if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(english)):
                    wrong.append(f"{code} [{language}]: {text}")
                try:
                    text % _Parts()
                except (KeyError, TypeError, ValueError) as error:
                    wrong.append(f"{code} [{language}]: {error!r}")
                if not label or label == code:
                    wrong.append(f"{code}: no label in {language}")
    assert not wrong, "\n".join(wrong)


# --- real events, read on the page --------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_second_factor(waive_mfa):
    """The trail's readers are leaders: the second factor is not what these tests are about."""


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _trail(client, body, action: str) -> str:
    response = client.get(f"/bodies/{body.pk}/audit/?action={action}")
    assert response.status_code == 200
    page = response.content.decode()
    return _text(page[page.index("<main") : page.index("</main>")])


@pytest.fixture
def signed(body, chair, secretary, member, deputy):
    """A meeting held a week ago, its protocol drafted by the secretary and signed by the chair
    (presiding) and then the secretary: the second signature completes it."""
    from alqa.domain import protocols
    from alqa.domain.meetings import record_decision

    meeting, item = meeting_on(
        body, secretary, chair, days=-7, present=[chair, secretary, member, deputy], approved=True
    )
    record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Одобрить проект предложения")
    protocol = protocols.create_protocol(meeting, actor=secretary.user)
    digest = protocols.current_revision(protocol).content_hash
    protocols.sign_protocol(protocol, actor=chair.user, signed_hash=digest)
    protocols.sign_protocol(protocol, actor=secretary.user, signed_hash=digest)
    protocol.refresh_from_db()
    return meeting, protocol


def test_a_protocol_signed_reads_in_russian_and_kazakh(client, body, chair, secretary, signed):
    meeting, protocol = signed
    number = f"№ {protocol.number}/{protocol.year}"
    today = timezone.localdate()

    login(client, secretary, "ru")
    with translation.override("ru"):
        day_ru = long_date(today)
    text = _trail(client, body, "protocol.signature_added")
    assert f"Серикбаев А. добавил подпись под протоколом: {chair.full_name} (" in text
    assert f"Ахметова Д. добавила подпись под протоколом: {secretary.full_name} (" in text
    assert f"редакция 1, дата подписания: {day_ru}" in text
    text = _trail(client, body, "protocol.revision_signed")
    assert f"Протокол {number} подписан всеми, кто должен его подписать (редакция 1, {day_ru})" in text
    text = _trail(client, body, "protocol.created")
    assert "Ахметова Д. создала протокол " + number + " заседания" in text and "срок подписания:" in text

    login(client, secretary, "kk")
    with translation.override("kk"):
        day_kk = long_date(today)
    text = _trail(client, body, "protocol.signature_added")
    assert f"Серикбаев А. хаттамаға қолтаңба қосты: {chair.full_name} (" in text
    assert f"1-редакция, қол қойылған күні: {day_kk}" in text
    text = _trail(client, body, "protocol.revision_signed")
    assert f"{number} хаттамасына қол қоюға тиісті барлық адамдар қол қойды (1-редакция, {day_kk})" in text


def test_a_refused_signature_reads_with_its_reason_not_its_code(client, body, chair, secretary, signed):
    """The refusal is recorded with esign's code (tests/protocols/test_cms_signing.py); the trail
    reads the reason in the reader's language, and a code it does not know as it is."""
    from alqa.domain.audit import record_event

    _meeting, protocol = signed
    for code in ("wrong_person", "untrusted", "some_future_code"):
        data = {"revision": 1, "member": chair.pk, "method": "cms", "code": code, "content_hash": "0" * 64}
        record_event(protocol, "protocol.signature_refused", actor=chair.user, body=body, data=data)
    expected = {
        "ru": (
            "сертификат принадлежит другому лицу",
            "сертификат выдан не доверенным удостоверяющим центром",
        ),
        "kk": (
            "тіркеу куәлігі басқа адамға тиесілі",
            "тіркеу куәлігін сенімді куәландырушы орталық бермеген",
        ),
        "en": (
            "the certificate belongs to another person",
            "the certificate was not issued by a trusted certification authority",
        ),
    }
    for language, reasons in expected.items():
        login(client, secretary, language)
        text = _trail(client, body, "protocol.signature_refused")
        assert all(reason in text for reason in reasons), (language, text)
        assert "wrong_person" not in text and "untrusted" not in text
        assert "some_future_code" in text


def test_a_visit_recorded_reads_in_russian_and_kazakh(client, body, chair, secretary, member, police_unit):
    from alqa.domain.visits import CheckInput, create_facility, plan_visit, record_visit
    from alqa.enums import CheckResult, FacilityKind
    from alqa.models import ChecklistItem

    facility = create_facility(
        body=body,
        actor=secretary.user,
        name_ru="ИВС ДП г. Алматы",
        name_kk="Алматы қ. ПД УҰИ",
        kind=FacilityKind.TEMPORARY_DETENTION,
        address="ул. Байзакова, 1",
        unit=police_unit,
    )
    visit = plan_visit(
        body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate(), purpose="Условия"
    )
    items = ChecklistItem.objects.filter(body=body, kind=facility.kind)
    record_visit(
        visit,
        actor=chair.user,
        visited_on=timezone.localdate(),
        participants=[chair, member],
        checks=[CheckInput(i.pk, CheckResult.COMPLIANT) for i in items],
        summary_ru="Нарушений условий содержания нет.",
    )

    login(client, secretary, "ru")
    text = _trail(client, body, "visit.recorded")
    day = f"{timezone.localdate():%d.%m.%Y}"
    assert f"Серикбаев А. внёс результаты посещения ИВС ДП г. Алматы — {day}: участников — 2" in text
    text = _trail(client, body, "facility.created")
    assert "Ахметова Д. добавила объект «ИВС ДП г. Алматы» (Изолятор временного содержания)" in text
    text = _trail(client, body, "checklist.seeded")
    assert (
        "Ахметова Д. заполнила перечень проверки для объектов вида «Изолятор временного содержания»" in text
    )

    login(client, secretary, "kk")
    text = _trail(client, body, "visit.recorded")
    assert f"Серикбаев А. бару нәтижелерін енгізді: ИВС ДП г. Алматы — {day}, қатысушылар саны — 2" in text
    text = _trail(client, body, "facility.created")
    assert "Ахметова Д. «Алматы қ. ПД УҰИ» нысанын қосты (" in text


def _import_complaints(body, secretary) -> None:
    """One complaint from a CSV file, uploaded, mapped and imported as the register's page does."""
    from alqa.domain import complaint_import

    row = "105;10.01.2025;13.01.2025;Следственное управление;Следователь;Прекращение уголовного дела;Удовлетворена полностью;да;"
    header = "Статья;Дата подачи;Дата решения;Подразделение;Должностное лицо;Предмет;Результат;Нарушение;Меры"
    job = complaint_import.receive_import(
        body=body,
        actor=secretary.user,
        upload=SimpleUploadedFile("stat.csv", f"{header}\n{row}\n".encode()),
        source="Статистика ДП",
    )
    headers, _rows = complaint_import.preview(job)
    columns = complaint_import.guess_columns(headers, {})
    complaint_import.start_import(job, actor=secretary.user, columns=columns, headers=headers)
    assert complaint_import.run_import(job.pk).status == "done"


def test_a_complaint_import_reads_in_russian_and_kazakh(client, body, secretary, police_unit):
    _import_complaints(body, secretary)

    login(client, secretary, "ru")
    text = _trail(client, body, "complaint_import.uploaded")
    assert "Ахметова Д. загрузила файл жалоб «stat.csv» (источник: Статистика ДП)" in text
    text = _trail(client, body, "complaints.imported")
    assert "Жалобы из файла «stat.csv» загружены: 1 (источник: Статистика ДП)" in text

    login(client, secretary, "kk")
    text = _trail(client, body, "complaint_import.queued")
    assert "Ахметова Д. «stat.csv» файлынан шағымдарды жүктеуді бастады (дереккөзі: Статистика ДП)" in text
    text = _trail(client, body, "complaints.imported")
    assert "«stat.csv» файлындағы шағымдар жүктелді: 1 (дереккөзі: Статистика ДП)" in text


def _flows(body, chair, secretary, member, deputy, police_unit, meeting, protocol) -> None:
    """Alqa's recorded actions, through the real domain functions, as its users go through them."""
    from datetime import date

    from alqa.domain import complaint_notes, complaints, protocols, publications, requests, visits
    from alqa.domain.bodies import update_unit
    from alqa.domain.users import set_iin
    from alqa.enums import CheckResult, FacilityKind
    from alqa.models import ChecklistItem, ComplaintSubject, NoteReceipt, ProtocolRecipient
    from tests.esign_pki import SIGNER_IIN

    # facilities, checklists, visits and what they found (clauses 2.2.7, 2.1.5)
    facility = visits.create_facility(
        body=body, actor=secretary.user, name_ru="ИВС", name_kk="УҰИ", kind=FacilityKind.TEMPORARY_DETENTION
    )
    visits.update_facility(facility, actor=secretary.user, address="ул. Байзакова, 1")
    item = visits.add_checklist_item(
        body=body,
        actor=secretary.user,
        kind=facility.kind,
        text_ru="Есть комната для встреч",
        text_kk="Кездесу бөлмесі бар",
    )
    visits.set_checklist_item_in_use(item, actor=secretary.user, in_use=False)
    today = timezone.localdate()
    visit = visits.plan_visit(
        body=body, facility=facility, actor=chair.user, planned_on=today, purpose="Условия"
    )
    checks = [
        visits.CheckInput(i.pk, CheckResult.COMPLIANT)
        for i in ChecklistItem.objects.filter(body=body, kind=facility.kind, is_active=True)
    ]
    visits.record_visit(
        visit, actor=chair.user, visited_on=today, participants=[chair, member], checks=checks
    )
    visits.record_visit(
        visit, actor=chair.user, visited_on=today, participants=[member, chair], checks=checks
    )
    finding = visits.add_finding(
        visit, actor=chair.user, kind="lawyer_access", description="Адвоката не допустили"
    )
    visits.propose_from_finding(finding, actor=chair.user, author=chair)
    other = visits.add_finding(visit, actor=chair.user, kind="other", description="Нет вывески")
    visits.close_finding(other, actor=chair.user)
    later = visits.plan_visit(body=body, facility=facility, actor=chair.user, planned_on=today)
    visits.cancel_visit(later, actor=chair.user)

    # requests for documents (clause 2.2.8)
    request = requests.create_request(
        body=body,
        actor=secretary.user,
        addressee_kind="state_body",
        addressee="Департамент полиции г. Алматы",
        subject="Журналы учёта задержанных",
        legal_basis="подпункт 8 пункта 2.2 Положения",
    )
    requests.mark_sent(request, actor=secretary.user, sent_on=today)
    requests.record_answer(request, actor=secretary.user, answered_on=today, assessment="complete")

    # publications (clause 2.2.2)
    texts = {"title_ru": "Итоги", "title_kk": "Қорытынды", "text_ru": "Текст", "text_kk": "Мәтін"}
    publication = publications.create_publication(body=body, actor=secretary.user, **texts)
    publications.edit_publication(publication, actor=secretary.user, **(texts | {"title_ru": "Итоги года"}))
    publications.approve_publication(publication, actor=chair.user, approver=chair)
    publications.approve_publication(publication, actor=deputy.user, approver=deputy)
    publications.publish(publication, actor=secretary.user)
    publications.withdraw_publication(publication, actor=secretary.user)

    # the complaints register and its generalisation notes
    subject = ComplaintSubject.objects.filter(body=body).first()
    complaint = complaints.create_complaint(
        body=body,
        actor=secretary.user,
        article="105",
        filed_on=date(2025, 1, 10),
        decided_on=date(2025, 1, 13),
        unit=police_unit,
        official="investigator",
        subject=subject,
        outcome="satisfied",
        violation_found=True,
    )
    complaints.update_complaint(complaint, actor=secretary.user, changes={"outcome": "refused"})
    complaints.delete_complaint(complaint, actor=secretary.user)
    note = complaint_notes.create_note(
        body=body,
        actor=secretary.user,
        title_ru="Обобщение практики",
        title_kk="Тәжірибені қорыту",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
    )
    complaint_notes.update_note(note, actor=secretary.user, changes={"causes_ru": "Нарушение сроков."})
    complaint_notes.approve_note(note, actor=chair.user)
    update_unit(police_unit, actor=secretary.user, changes={"email": "su@police.test"})
    complaint_notes.send_note(note, actor=secretary.user)
    complaint_notes.confirm_receipt(token=NoteReceipt.objects.get(email="su@police.test").token)
    _import_complaints(body, secretary)

    # the protocol after its signing: copies, paper, retention, an amendment
    protocols.distribute_protocol(protocol, actor=secretary.user)
    recipient = protocols.add_recipient(
        protocol, actor=secretary.user, name="Прокуратура", email="pr@alqa.test"
    )
    protocols.set_recipient_included(recipient, actor=secretary.user, included=False)
    protocols.record_handover(recipient, actor=secretary.user, on=today)
    protocol.refresh_from_db()
    until = protocol.retain_until.replace(year=protocol.retain_until.year + 2)
    protocols.keep_longer(protocol, actor=chair.user, until=until)
    mailed = ProtocolRecipient.objects.filter(protocol=protocol, outbox__isnull=False).first()
    assert mailed is not None
    protocols.acknowledge(mailed.token)
    protocols.amend_protocol(protocol, actor=secretary.user, reason="Опечатка в фамилии")
    protocol.refresh_from_db()
    protocols.update_draft(protocol, actor=secretary.user, version=protocol.version, texts={})

    # the signer's IIN for electronic signatures
    set_iin(chair.user, actor=chair.user, iin=SIGNER_IIN)

    # a legislative proposal approved by a decision, submitted and answered (clause 2.2.11)
    from alqa.domain import legislation

    texts = {
        "title_ru": "О сроках доступа защитника",
        "text_ru": "Дополнить статью 66 УПК",
        "act": "УПК РК",
        "justification": "Практика жалоб",
        "addressee": "Мажилис Парламента РК",
    }
    proposal = legislation.create_proposal(body=body, actor=secretary.user, **texts)
    proposal = legislation.update_draft(
        proposal,
        actor=secretary.user,
        version=proposal.version,
        **texts,
        title_kk="Қорғаушының қол жеткізу мерзімдері",
    )
    decision = meeting.decisions.first()
    assert decision is not None
    legislation.move(proposal, actor=chair.user, to="approved", decision=decision)
    legislation.move(
        proposal, actor=secretary.user, to="submitted", submitted_on=today, outgoing_ref="01-05/17"
    )
    legislation.move(proposal, actor=secretary.user, to="accepted", outcome_on=today, outcome_note="Учтено")


# What the flows above record, at the least: a new flow's actions join it, and none drops out.
FLOWS_RECORD = RECORDED_FOR_REAL | {
    "legislative_proposal.changed",
    "legislative_proposal.approved",
    "legislative_proposal.outcome",
    "facility.changed",
    "checklist.seeded",
    "checklist.item_added",
    "checklist.item_changed",
    "visit.planned",
    "visit.recorded",
    "visit.recorded_again",
    "visit.cancelled",
    "finding.added",
    "finding.proposed",
    "finding.closed",
    "request.sent",
    "request.answered",
    "publication.approved",
    "publication.published",
    "publication.withdrawn",
    "complaint_subjects.seeded",
    "complaint_import.uploaded",
    "complaint_import.queued",
    "complaints.imported",
    "protocol.acknowledged",
    "protocol.edited",
    "user.iin_changed",
    "complaint.created",
    "complaint.changed",
    "complaint.deleted",
    "complaint_note.created",
    "complaint_note.changed",
    "complaint_note.approved",
    "complaint_note.sent",
    "complaint_note.received",
    "protocol.created",
    "protocol.signature_added",
    "protocol.revision_signed",
    "protocol.distributed",
    "protocol.recipient_added",
    "protocol.recipient_changed",
    "protocol.handed_over",
    "protocol.retention_extended",
    "protocol.amendment_started",
}


def test_real_events_supply_every_part(body, chair, secretary, member, deputy, police_unit, signed):
    """Events recorded by the real domain functions: every part their sentences name, in every
    language, is a part the event carries (none reads as a dash for want of its value)."""
    _flows(body, chair, secretary, member, deputy, police_unit, *signed)
    events = list(AuditEvent.objects.select_related("actor").order_by("id"))
    actions = {e.action for e in events}
    assert actions - set(ACTIONS) == set()
    assert FLOWS_RECORD - actions == set()
    meetings = _meetings_named(events)
    wrong = []
    for event in events:
        for language in ("en", "ru", "kk"):
            with translation.override(language):
                parts = dict(_parts(event, meetings, "Серикбаев А."))
                for template in _templates(event.action):
                    missing = set(PLACEHOLDER.findall(template)) - set(parts)
                    if missing:
                        wrong.append(f"{event.action} [{language}]: {sorted(missing)}")
                    blank = [k for k in PLACEHOLDER.findall(template) if parts.get(k) in ("", "—")]
                    if blank:
                        wrong.append(f"{event.action} [{language}]: empty {sorted(blank)}")
    assert not wrong, "\n".join(wrong)
