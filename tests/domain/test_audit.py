from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alqa.domain.audit import verify_chain
from alqa.models import AuditEvent


def test_every_change_is_recorded_and_the_chain_verifies(chair, secretary):
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[0] == "body.created"
    assert actions.count("member.added") == 2
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


def test_editing_a_row_is_detected(chair):
    event = AuditEvent.objects.filter(action="member.added").first()
    AuditEvent.objects.filter(pk=event.pk).update(data={"full_name": "Someone else"})
    checked, problems = verify_chain()
    assert any(p.event_id == event.pk and "changed" in p.message for p in problems)
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())


def test_deleting_a_middle_row_is_detected(chair, secretary):
    first_member_event = AuditEvent.objects.filter(action="member.added").order_by("id").first()
    AuditEvent.objects.filter(pk=first_member_event.pk).delete()
    _, problems = verify_chain()
    assert any("link broken" in p.message for p in problems)


def test_deleting_the_newest_row_is_detected(chair, secretary):
    AuditEvent.objects.order_by("-id").first().delete()
    _, problems = verify_chain()
    assert any("head" in p.message for p in problems)


# --- every column sealed, under a key kept outside the database -------------------------------

import hashlib  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from alqa import seal  # noqa: E402
from alqa.domain.audit import AuditChainBroken, NewEvent, chain_head, record_event, record_events  # noqa: E402
from alqa.models import AuditHead, OutboxMessage, User  # noqa: E402


def _verify(*args: str) -> tuple[bool, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


EDITS = {
    "id": lambda e: {"id": e.id + 7},
    "body_id": lambda e: {"body_id": None},
    "actor_id": lambda e: {"actor_id": None},
    "actor_label": lambda e: {"actor_label": "someone.else@alqa.test"},
    "at": lambda e: {"at": F("at") - timedelta(seconds=1)},
    "action": lambda e: {"action": "member.removed"},
    "object_type": lambda e: {"object_type": "guest"},
    "object_id": lambda e: {"object_id": "999"},
    "object_label": lambda e: {"object_label": "Someone Else"},
    "data": lambda e: {"data": {"full_name": "Someone Else"}},
    "prev_digest": lambda e: {"prev_digest": "f" * 64},
    "digest": lambda e: {"digest": "e" * 64},
    "key_id": lambda e: {"key_id": ""},
}


def test_every_column_is_covered_by_the_seal():
    assert set(EDITS) == {f.column for f in AuditEvent._meta.concrete_fields}


@pytest.mark.unaudited_writes
@pytest.mark.parametrize("column", sorted(EDITS))
def test_editing_any_column_of_a_row_is_detected_naming_the_row(chair, secretary, column):
    # the newest member.added of the chair's body: it has a body, an actor and both labels
    event = AuditEvent.objects.filter(action="member.added").order_by("-id").first()
    assert event.body_id and event.actor_id and event.actor_label and event.object_label
    assert _verify()[0]
    AuditEvent.objects.filter(pk=event.pk).update(**EDITS[column](event))
    edited_id = event.id + 7 if column == "id" else event.id
    _, problems = verify_chain()
    assert any(p.event_id == edited_id for p in problems), problems
    intact, _, err = _verify()
    assert not intact and f"event {edited_id}:" in err and "NOT intact" in err


@pytest.mark.unaudited_writes
def test_a_chain_rehashed_with_the_code_but_without_the_key_fails(chair, secretary, settings):
    """Whoever can write the database but does not hold ALQA_AUDIT_KEY edits a row and re-seals
    every row and the head with the code's own functions and a key of their own."""
    AuditEvent.objects.filter(action="member.added").update(actor_label="forger@alqa.test")
    forged_key = "a-key-the-forger-made-up-of-32-characters-or-more"
    prev = seal.GENESIS
    for event in AuditEvent.objects.order_by("id"):
        values = seal.row_values(event) | {"prev_digest": prev}
        prev = seal.event_digest(values, forged_key)
        AuditEvent.objects.filter(pk=event.pk).update(prev_digest=values["prev_digest"], digest=prev)
    head = AuditHead.objects.get()
    AuditHead.objects.update(
        last_digest=prev,
        mac=seal.head_mac(last_digest=prev, last_id=head.last_id, events=head.events, key=forged_key),
    )
    checked, problems = verify_chain()
    assert len([p for p in problems if p.event_id]) == checked  # every row is refused
    assert any("seal does not hold" in p.message for p in problems)
    # nor does the former unkeyed digest help: rows without a key after keyed ones are forged
    with_key_before = AuditEvent.objects.order_by("id").first().id
    AuditEvent.objects.exclude(pk=with_key_before).update(key_id="")
    assert verify_chain()[1]
    # with the real key the same re-sealing would pass: the key is what the forger lacks
    assert settings.ALQA_AUDIT_KEY != forged_key


def test_no_row_holds_the_key_only_its_id(chair):
    key = seal.current_key()[1]
    for values in AuditEvent.objects.values():
        assert key not in repr(values)
        assert values["key_id"] == hashlib.sha256(key.encode()).hexdigest()[:16]
    head = AuditHead.objects.get()
    assert key not in repr(head.__dict__)


def test_rotation_new_rows_use_the_new_key_and_old_rows_verify_with_the_old_one(chair, settings, admin_user):
    old_key, new_key = settings.ALQA_AUDIT_KEY, "the-new-audit-key-after-rotation-2026-12-01"
    settings.ALQA_AUDIT_KEY, settings.ALQA_AUDIT_OLD_KEYS = new_key, [old_key]
    record_event(admin_user, "user.changed", actor=admin_user, body=None, data={"after": "rotation"})
    ids = set(AuditEvent.objects.values_list("key_id", flat=True))
    assert ids == {seal.key_id(old_key), seal.key_id(new_key)}
    assert verify_chain()[1] == []
    assert AuditHead.objects.get().key_id == seal.key_id(new_key)
    # the former key dropped too early: its rows cannot be verified, and the message says why
    settings.ALQA_AUDIT_OLD_KEYS = []
    _, problems = verify_chain()
    assert problems and all(
        "unknown key" in p.message and "ALQA_AUDIT_OLD_KEYS" in p.message for p in problems
    )
    # a new installation key that never sealed the head: new events are refused, naming the setting
    settings.ALQA_AUDIT_KEY = "yet-another-key-that-never-sealed-this-chain"
    settings.ALQA_AUDIT_OLD_KEYS = [old_key]
    with pytest.raises(AuditChainBroken, match="ALQA_AUDIT_OLD_KEYS"):
        record_event(admin_user, "user.changed", actor=admin_user, body=None)


def test_many_events_at_once_are_sealed_like_one(chair, admin_user):
    before = AuditEvent.objects.count()
    record_events(
        [
            NewEvent(action="member.changed", object_type="member", object_id=str(i), object_label=f"M{i}")
            for i in range(5)
        ],
        actor=admin_user,
    )
    assert AuditEvent.objects.count() == before + 5
    head = AuditHead.objects.get()
    newest = AuditEvent.objects.order_by("-id").first()
    assert (head.last_id, head.last_digest, head.events) == (newest.id, newest.digest, before + 5)
    assert _verify()[0]


# --- the head: sealed, checked before every event, compared with an exported copy ---------------


@pytest.mark.unaudited_writes
def test_deleting_the_newest_row_stops_new_events_until_looked_at(chair, admin_user):
    AuditEvent.objects.order_by("-id").first().delete()
    with pytest.raises(AuditChainBroken, match="does not name the newest row"):
        record_event(admin_user, "user.changed", actor=admin_user, body=None)


@pytest.mark.unaudited_writes
def test_a_head_moved_back_by_hand_does_not_hold_its_seal(chair, admin_user):
    newest, previous = AuditEvent.objects.order_by("-id")[:2]
    newest.delete()
    AuditHead.objects.update(last_digest=previous.digest, last_id=previous.id, events=F("events") - 1)
    _, problems = verify_chain()
    assert [p.message for p in problems] == [
        "the chain head's seal does not hold: the head was edited outside Alqa"
    ]
    with pytest.raises(AuditChainBroken, match="seal does not hold"):
        record_event(admin_user, "user.changed", actor=admin_user, body=None)


@pytest.mark.unaudited_writes
def test_a_cut_chain_with_an_earlier_head_put_back_fails_against_the_exported_head(chair, admin_user):
    """The strongest rewind: the newest row deleted and a genuine earlier head row put back (saved
    before, seal and all). The chain then holds together; only a head exported earlier shows it."""
    saved = AuditHead.objects.values("last_digest", "last_id", "events", "key_id", "mac").get()
    record_event(admin_user, "user.changed", actor=admin_user, body=None, data={"what": "the deleted one"})
    intact, exported, _ = _verify("--print-head")
    exported = exported.strip()
    assert intact and exported == AuditEvent.objects.order_by("-id").first().digest
    AuditEvent.objects.order_by("-id").first().delete()
    AuditHead.objects.update(**saved)
    assert verify_chain()[1] == []
    intact, _, err = _verify("--expect-head", exported)
    assert not intact and f"the exported head {exported} is not in the chain" in err


def test_an_exported_head_still_in_the_chain_verifies(chair, admin_user):
    exported = chain_head().digest
    record_event(admin_user, "user.changed", actor=admin_user, body=None)
    intact, out, _ = _verify("--expect-head", exported.upper())
    assert intact and f"The exported head {exported} is in the chain." in out
    assert f"Head: {chain_head().digest} ({AuditEvent.objects.count()} event(s)" in out
    intact, _, err = _verify("--expect-head", "not-a-digest")
    assert not intact and "64 hexadecimal digits" in err


# --- rows written before the key: sealed once, by the migration's function ----------------------


@pytest.mark.unaudited_writes
def test_rows_written_before_the_key_are_sealed_by_one_keyed_row(db, admin_user):
    AuditEvent.objects.all().delete()  # admin_user's creation wrote none, but be sure
    AuditHead.objects.all().delete()
    prev = seal.GENESIS
    for number in range(1, 4):
        values = {
            "id": number,
            "body_id": None,
            "actor_id": admin_user.pk,
            "actor_label": admin_user.email,
            "at": timezone.now(),
            "action": "user.changed",
            "object_type": "user",
            "object_id": str(admin_user.pk),
            "object_label": f"legacy row {number}",
            "data": {"n": number},
            "prev_digest": prev,
            "key_id": "",
        }
        prev = seal.legacy_digest(values)
        AuditEvent.objects.create(**values, digest=prev)
    AuditHead.objects.create(pk=1, last_digest=prev)  # as the unkeyed code left it
    _, problems = verify_chain()
    assert any("not sealed" in p.message for p in problems)

    assert seal.seal_legacy(AuditEvent, AuditHead, now=timezone.now()) is True
    sealed = AuditEvent.objects.order_by("-id").first()
    assert (sealed.id, sealed.action, sealed.prev_digest) == (4, "audit.sealed", prev)
    assert sealed.data["legacy_events"] == 3 and sealed.data["legacy_head"] == prev
    assert _verify()[0]
    assert seal.seal_legacy(AuditEvent, AuditHead, now=timezone.now()) is False  # once only
    record_event(admin_user, "user.changed", actor=admin_user, body=None)
    assert _verify()[0] and AuditHead.objects.get().events == 5

    # the former digest left the labels out; the sealed row's digest of every column does not
    AuditEvent.objects.filter(pk=2).update(object_label="edited after sealing")
    _, problems = verify_chain()
    assert [p.event_id for p in problems] == [4]


# --- the daily mail of the head ------------------------------------------------------------------


@pytest.mark.unaudited_writes
def test_the_daily_task_mails_the_head_to_each_administrator_in_their_language(chair, admin_user):
    from alqa.jobs import mail_audit_head_daily

    User.objects.filter(pk=admin_user.pk).update(language="kk")
    ru_admin = User.objects.create_superuser(email="ops@alqa.test", password="x" * 12, full_name="Ops")
    User.objects.filter(pk=ru_admin.pk).update(language="ru")
    User.objects.create_superuser(
        email="gone@alqa.test", password="x" * 12, full_name="Gone", is_active=False
    )
    head = chain_head()
    before = OutboxMessage.objects.count()

    mail_audit_head_daily.call_local()

    mails = {m.to: m for m in OutboxMessage.objects.order_by("id")[before:]}
    assert set(mails) == {"root@alqa.test", "ops@alqa.test"}
    kk, ru = mails["root@alqa.test"], mails["ops@alqa.test"]
    assert kk.subject.startswith("Alqa аудит журналының қорытынды хэші: ")
    assert f"Қорытынды хэш: {head.digest}" in kk.text and f"Оқиғалар саны: {head.events}" in kk.text
    assert "бұзушылық анықтаған жоқ" in kk.text
    assert ru.subject.startswith("Итоговый хеш журнала аудита Alqa на ")
    assert f"Итоговый хеш: {head.digest}" in ru.text and f"--expect-head {head.digest}" in ru.text
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "audit.head_mailed" and event.data["digest"] == head.digest
    assert event.prev_digest == head.digest and event.data["intact"] is True
    assert _verify("--expect-head", head.digest)[0]


@pytest.mark.unaudited_writes
def test_the_daily_mail_warns_when_the_chain_is_broken(chair, admin_user):
    from alqa.domain.audit import mail_chain_head

    AuditEvent.objects.filter(action="member.added").update(actor_label="someone.else@alqa.test")
    User.objects.filter(pk=admin_user.pk).update(language="en")
    assert mail_chain_head() == 1
    mail = OutboxMessage.objects.order_by("-id").first()
    assert "WARNING: the check of the whole trail found problems" in mail.text
    assert "manage.py verify_audit" in mail.text


@pytest.mark.unaudited_writes
@pytest.mark.django_db(transaction=True)
def test_the_migration_that_keys_the_chain_seals_an_older_installation():
    """The real migration, run forward over rows written by the unkeyed code."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    ours = next(
        key for key in executor.loader.disk_migrations if key[0] == "alqa" and key[1].endswith("_audit")
    )
    (before,) = [
        parent.key for parent in executor.loader.graph.node_map[ours].parents if parent.key[0] == "alqa"
    ]
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    Event, Head = old_apps.get_model("alqa", "AuditEvent"), old_apps.get_model("alqa", "AuditHead")
    prev = seal.GENESIS
    for number in range(1, 3):
        values = {
            "id": number,
            "body_id": None,
            "actor_id": None,
            "actor_label": "",
            "at": timezone.now(),
            "action": "calendar.exception_added",
            "object_type": "calendarexception",
            "object_id": str(number),
            "object_label": f"old row {number}",
            "data": {"n": number},
            "prev_digest": prev,
        }
        prev = seal.legacy_digest(values)
        Event.objects.create(**values, digest=prev)
    Head.objects.create(pk=1, last_digest=prev)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("alqa"))

    assert list(AuditEvent.objects.order_by("id").values_list("key_id", "action")) == [
        ("", "calendar.exception_added"),
        ("", "calendar.exception_added"),
        (seal.current_key()[0], "audit.sealed"),
    ]
    assert _verify("--expect-head", prev)[0]
    AuditEvent.objects.filter(pk=1).update(object_label="edited")
    assert [p.event_id for p in verify_chain()[1]] == [3]
