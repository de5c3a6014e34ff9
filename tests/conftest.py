"""Shared fixtures: a body with both sides, its leaders and members, and a second body beside it."""

from datetime import date

import pytest

from alqa.domain.bodies import create_body, create_unit
from alqa.domain.members import add_member
from alqa.enums import AppointmentBasis, Role, Side, UnitKind
from alqa.models import User
from tests import audit_guard

PASSWORD = "correct-horse-battery-9"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """The write guard (tests/audit_guard.py): while the test's body runs, a write outside an
    audited transaction fails the test, unless it carries @pytest.mark.unaudited_writes.
    Fixtures run before and after the body, so their writes are never watched."""
    if item.get_closest_marker("unaudited_writes") is not None:
        return (yield)
    with audit_guard.watching() as guard:
        result = yield
    if guard.violations:
        listed = "\n".join(f"  - {v}" for v in guard.violations[:20])
        raise AssertionError(
            f"The test wrote outside an audited transaction ({len(guard.violations)}):\n{listed}\n"
            "Arrange data in a fixture or through a domain function, give production code its audit "
            "event, or mark the test @pytest.mark.unaudited_writes."
        )
    return result


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(email="root@alqa.test", password=PASSWORD, full_name="Root Admin")


@pytest.fixture
def body(admin_user):
    return create_body(actor=admin_user, name_ru="Группа Алматы", name_kk="Алматы тобы", city="Алматы")


@pytest.fixture
def other_body(admin_user):
    return create_body(actor=admin_user, name_ru="Группа Жетісу", name_kk="Жетісу тобы", city="Талдыкорган")


@pytest.fixture
def police_unit(body, admin_user):
    return create_unit(
        body=body,
        actor=admin_user,
        name_ru="Следственное управление",
        name_kk="Тергеу басқармасы",
        side=Side.POLICE,
        kind=UnitKind.STRUCTURAL,
    )


@pytest.fixture
def bar_unit(body, admin_user):
    return create_unit(
        body=body,
        actor=admin_user,
        name_ru="Мониторинговая группа АГКА",
        name_kk="АҚАА тобы",
        side=Side.BAR,
        kind=UnitKind.STRUCTURAL,
    )


# A bar-side member is appointed by a resolution of the Bar's Presidium (clause 1.3).
PRESIDIUM_BASIS = {
    "basis_kind": AppointmentBasis.PRESIDIUM_RESOLUTION,
    "basis_number": "12",
    "basis_date": date(2024, 12, 20),
}


def make_member(
    body, actor, *, email, role=Role.MEMBER, side=Side.POLICE, name=None, password=PASSWORD, **extra
):
    if side == Side.BAR and "basis_kind" not in extra:
        extra |= PRESIDIUM_BASIS
    member = add_member(
        body=body,
        actor=actor,
        full_name=name or email.split("@")[0].title(),
        email=email,
        side=side,
        role=role,
        active_from=extra.pop("active_from", date(2025, 1, 1)),
        **extra,
    )
    if password and member.user is not None and not member.user.has_usable_password():
        member.user.set_password(password)
        member.user.save(update_fields=["password"])  # the account's, exempt from the write guard
    return member


@pytest.fixture
def chair(body, admin_user):
    return make_member(body, admin_user, email="chair@alqa.test", role=Role.CHAIR, name="Серикбаев Арман")


@pytest.fixture
def secretary(body, admin_user):
    return make_member(
        body, admin_user, email="secretary@alqa.test", role=Role.SECRETARY, name="Ахметова Динара"
    )


@pytest.fixture
def member(body, admin_user):
    return make_member(body, admin_user, email="member@alqa.test", side=Side.BAR, name="Исаев Тимур")


@pytest.fixture
def deputy(body, admin_user):
    """A deputy chair on the bar's side: with the chair, the secretary and the member, two a side."""
    return make_member(
        body,
        admin_user,
        email="deputy@alqa.test",
        side=Side.BAR,
        role=Role.DEPUTY_CHAIR,
        name="Жумабаева Алия",
    )


@pytest.fixture
def outsider(other_body, admin_user):
    return make_member(other_body, admin_user, email="outsider@alqa.test", name="Байжанов Марат")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files of every test go to its own temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: rendered fragments of an earlier test's database
    (whose ids and audit head a later test may repeat) are never served to it."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def meeting_on(
    body, secretary, chair, *, days: int, title: str | None = "Доступ в ИВС", present=(), approved=False
):
    """A regular in-person meeting at 10:00 in Almaty `days` from today (entered after the fact
    when in the past), scheduled by the secretary with the chair presiding; with one question
    `title` (unless None), its agenda approved by the chair when `approved` (decisions need it,
    clause 3.2), and the `present` members marked present. Returns (meeting, question)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from alqa.domain.meetings import (
        AttendanceRow,
        add_agenda_item,
        approve_agenda,
        record_attendance,
        schedule_meeting,
    )

    day = timezone.localdate() + timedelta(days=days)
    meeting = schedule_meeting(
        body=body,
        actor=secretary.user,
        kind="regular",
        format="in_person",
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Almaty")),
        place="Зал 3",
        presiding=chair,
        retrospective=days < 0,
    )
    item = add_agenda_item(meeting, actor=secretary.user, title_ru=title) if title else None
    if approved:
        approve_agenda(meeting, actor=chair.user)
    if present:
        record_attendance(meeting, actor=secretary.user, members=[AttendanceRow(m.pk, True) for m in present])
    return meeting, item


def login(client, person, language="en"):
    """Sign in as the member's (or participant's) user, reading pages in `language`."""
    user = person.user
    if user.language != language:
        with audit_guard.paused():  # arranging the reader, as a fixture would
            user.language = language
            user.save(update_fields=["language"])
    client.force_login(user)
    return user


@pytest.fixture
def waive_mfa(settings):
    """For page tests that are not about the second factor; the MFA tests leave it on."""
    settings.DEMO_WAIVE_MFA = True


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the installation's default language: a request through the test client
    leaves its language active in the thread (LocaleMiddleware), and the next test on that worker
    would otherwise read its messages in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
