"""Start-up refuses bad settings; commands for automated installs work."""

import os
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from alqa.models import User

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOOD_KEY = secrets.token_urlsafe(50)
AUDIT_KEY = secrets.token_urlsafe(32)


def _start(env: dict, then: str = "", before: str = "") -> subprocess.CompletedProcess:
    """Starts Django with the production settings in a clean process; runs `then` after set-up."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALQA_", "PYTEST"))}
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='alqa.settings'; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", before + setup + then],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, variable",
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "true", "ALQA_SESSION_IDLE_MINUTES": "abc"}, "ALQA_SESSION_IDLE_MINUTES"),
        ({"DJANGO_DEBUG": "true", "EMAIL_PORT": "0"}, "EMAIL_PORT"),
        (
            {
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": GOOD_KEY,
                "ALQA_AUDIT_KEY": AUDIT_KEY,
                "ALQA_DEMO_WAIVE_MFA": "true",
            },
            "ALQA_DEMO_WAIVE_MFA",
        ),
        ({"DJANGO_DEBUG": "true", "ALQA_EMAIL": "pigeon"}, "ALQA_EMAIL"),
        ({"DJANGO_DEBUG": "true", "ALQA_CACHE_URL": "memcached://127.0.0.1:11211"}, "ALQA_CACHE_URL"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_variable(env, variable):
    result = _start(env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_good_production_settings_start():
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": GOOD_KEY, "ALQA_AUDIT_KEY": AUDIT_KEY})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "key, reason",
    [
        pytest.param("", "blank", id="empty"),
        pytest.param("   ", "blank", id="spaces"),
        pytest.param("a-rather-short-but-random-looking-key-Zx81", "fewer than 50", id="short"),
        pytest.param(
            "django-insecure-" + secrets.token_urlsafe(50), "known development", id="django-insecure"
        ),
        pytest.param("dev-insecure-key-only-for-debug", "known development", id="old-dev-key"),
        pytest.param("changeme" + secrets.token_urlsafe(50), "known development", id="changeme"),
        pytest.param("secret", "known development", id="secret"),
        pytest.param("s3cret-" * 8, "repeats", id="repeated-piece"),
        pytest.param("x" * 64, "repeats", id="one-character"),
    ],
)
def test_a_blank_or_weak_secret_key_stops_start_up(key, reason):
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr and reason in result.stderr
    if len(key) > 20:
        assert key not in result.stderr  # the refused value is not echoed into the log


def test_under_debug_a_development_key_is_still_allowed():
    shown = "from django.conf import settings; print(settings.SECRET_KEY)"
    assert _start({"DJANGO_DEBUG": "true"}, shown).stdout.strip() == "dev-insecure-key-only-for-debug"
    result = _start({"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": "local"}, shown)
    assert result.stdout.strip() == "local", result.stderr


@pytest.mark.parametrize(
    "env, reason",
    [
        ({}, "is required when DJANGO_DEBUG is off"),
        ({"ALQA_AUDIT_KEY": "   "}, "it is blank"),
        ({"ALQA_AUDIT_KEY": "Zq8-short-but-random-k3y"}, "fewer than 32"),
        ({"ALQA_AUDIT_KEY": "changeme-changeme-changeme-changeme!"}, "known development or placeholder"),
        ({"ALQA_AUDIT_KEY": GOOD_KEY}, "the same as DJANGO_SECRET_KEY"),
    ],
)
def test_a_missing_or_weak_audit_key_stops_start_up(env, reason):
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": GOOD_KEY} | env)
    assert result.returncode != 0
    assert "ALQA_AUDIT_KEY" in result.stderr and reason in result.stderr


def test_a_weak_former_audit_key_stops_start_up_and_good_ones_are_kept():
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": GOOD_KEY, "ALQA_AUDIT_KEY": AUDIT_KEY}
    weak = _start(production | {"ALQA_AUDIT_OLD_KEYS": f"{secrets.token_urlsafe(32)},short"})
    assert weak.returncode != 0
    assert "ALQA_AUDIT_OLD_KEYS: key number 2" in weak.stderr
    old = [secrets.token_urlsafe(32), secrets.token_urlsafe(32)]
    shown = f"from django.conf import settings; print(settings.ALQA_AUDIT_OLD_KEYS == {old!r})"
    good = _start(production | {"ALQA_AUDIT_OLD_KEYS": ",".join(old)}, shown)
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == "True"


def test_under_debug_a_development_audit_key_is_derived_from_the_secret_key():
    shown = "from django.conf import settings; print(settings.ALQA_AUDIT_KEY)"
    first = _start({"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": "local"}, shown)
    again = _start({"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": "local"}, shown)
    other = _start({"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": "another"}, shown)
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) >= 32
    assert first.stdout == again.stdout != other.stdout


def test_production_settings_do_not_switch_to_test_mode_when_pytest_is_imported():
    """Importing pytest (or setting the old ALQA_TESTING) changes nothing: no MD5 passwords, no
    immediate jobs, no lifted sign-in limits, no development key."""
    probe = (
        "from django.conf import settings\n"
        "print(settings.PASSWORD_HASHERS[0], settings.HUEY['immediate'], settings.ACCOUNT_RATE_LIMITS['login'],"
        " settings.EMAIL_BACKEND, settings.SESSION_COOKIE_SECURE)"
    )
    pytest_loaded = "import pytest, sys; sys.argv = ['pytest']\n"
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "ALQA_AUDIT_KEY": AUDIT_KEY,
        "ALQA_TESTING": "true",
    }
    result = _start(env, probe, before=pytest_loaded)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "False",
        "30/m/ip",
        "django.core.mail.backends.smtp.EmailBackend",
        "True",
    ]
    without_key = _start({"DJANGO_DEBUG": "false", "ALQA_TESTING": "true"}, before=pytest_loaded)
    assert without_key.returncode != 0 and "DJANGO_SECRET_KEY" in without_key.stderr


@pytest.mark.unaudited_writes  # Django's createsuperuser writes the first administrator: the trail starts after it
def test_createsuperuser_noinput_from_environment(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ops@alqa.test")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-ops-password-2026")
    call_command("createsuperuser", "--noinput", stdout=StringIO())
    user = User.objects.get(email="ops@alqa.test")
    assert user.is_superuser and user.check_password("an-ops-password-2026")


@pytest.mark.unaudited_writes  # the demo sets its printed passwords directly (demo data, not the register's)
def test_demo_loads_once_and_prints_logins(db):
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "Demo data loaded." in text and "already loaded" in text
    assert "secretary@demo.alqa.kz" in text
    assert User.objects.filter(email="chair@demo.alqa.kz").count() == 1
    call_command("verify_audit", stdout=out)
    # A year of meetings ending around today: the cadence holds, the next one is ahead.
    import base64

    from django.utils import timezone

    from alqa.domain.meetings import body_cadence, quorum_for
    from alqa.models import Body, Meeting, OutboxMessage, Proposal

    almaty = Body.objects.get(short_name="ММГ Алматы")
    meetings = list(Meeting.objects.filter(body=almaty).order_by("starts_at"))
    cadence = body_cadence(almaty)
    assert not cadence.overdue and not cadence.warning and not cadence.breaches
    ahead = [m for m in meetings if m.starts_at > timezone.now()]
    assert len(ahead) == 1 and ahead[0].agenda_approved and ahead[0].invitations.exists()
    assert all(m.retrospective for m in meetings if m not in ahead)
    calendar_files = [
        base64.b64decode(a["content"])
        for mail in OutboxMessage.objects.all()
        for a in mail.attachments
        if a["content_type"].startswith("text/calendar")  # protocols go out as PDF
    ]
    assert calendar_files and all(ahead[0].uid.encode() in f for f in calendar_files)  # the past sent nothing
    assert {m.kind for m in meetings} == {"regular", "extraordinary"} and any(
        m.format == "online" for m in meetings
    )
    without_quorum = [m for m in meetings if m.attendance.exists() and not quorum_for(m).met]
    assert len(without_quorum) == 1 and not without_quorum[0].decisions.exists()
    assert sum(m.decisions.count() for m in meetings) >= 8
    # one proposal waiting for the leaders, one made from a finding of a premises visit, and one
    # of an open compliance remark (the closed remark's proposal has left the queue)
    assert Proposal.objects.filter(body=almaty, status="submitted").count() == 3
    returned = Proposal.objects.filter(body=almaty, status="returned")
    assert returned.count() == 2 and all(p.return_reason for p in returned)
    assert Proposal.objects.filter(body=almaty).exclude(memo_kk="").exists()
    # urgent contacts waiting for the meeting ahead; a legislative proposal submitted, one drafted
    from alqa.domain.urgent_contacts import waiting_for
    from alqa.models import LegislativeProposal

    assert waiting_for(ahead[0]).count() == 2
    assert sorted(LegislativeProposal.objects.filter(body=almaty).values_list("status", flat=True)) == [
        "draft",
        "submitted",
    ]
    # A proposal on the agenda of a past meeting was made and accepted before it, not today.
    from alqa.models import AgendaItem

    for item in AgendaItem.objects.filter(meeting__in=meetings, proposal__isnull=False).select_related(
        "proposal", "meeting"
    ):
        if item.meeting not in ahead:
            assert item.proposal.created_at < item.proposal.decided_at < item.meeting.starts_at, item.title
