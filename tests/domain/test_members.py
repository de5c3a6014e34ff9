from datetime import date

import pytest
from django.core.exceptions import ValidationError

from alqa.domain.members import add_member, end_membership, update_member
from alqa.enums import Role, Side
from alqa.models import AuditEvent, Member, OutboxMessage, User
from tests.conftest import PRESIDIUM_BASIS, make_member


def test_adding_a_member_with_email_creates_one_user_and_queues_an_invitation(body, admin_user, police_unit):
    m = add_member(
        body=body,
        actor=admin_user,
        full_name="  Касымов Берик ",
        email="Kasymov@Police.KZ",
        side=Side.POLICE,
        role=Role.MEMBER,
        unit=police_unit,
        position="Начальник отдела",
        active_from=date(2025, 2, 1),
        language="kk",
    )
    assert m.full_name == "Касымов Берик"
    assert m.email == "kasymov@police.kz"
    assert m.user.email == "kasymov@police.kz" and not m.user.has_usable_password()
    mail = OutboxMessage.objects.get(to="kasymov@police.kz")
    assert "/accounts/password/reset/key/" in mail.text
    assert AuditEvent.objects.filter(action="member.added", object_id=str(m.pk)).exists()


def test_the_same_person_in_two_bodies_is_one_user(body, other_body, admin_user):
    a = make_member(body, admin_user, email="both@alqa.test")
    b = make_member(other_body, admin_user, email="BOTH@alqa.test", side=Side.BAR)
    assert a.user_id == b.user_id
    assert User.objects.filter(email__iexact="both@alqa.test").count() == 1


def test_duplicate_email_in_overlapping_period_is_refused_and_nothing_saved(body, admin_user, member):
    before = Member.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()
    with pytest.raises(ValidationError) as exc:
        add_member(
            body=body,
            actor=admin_user,
            full_name="Двойник",
            email=member.email,
            side=Side.BAR,
            role=Role.MEMBER,
            active_from=date(2025, 6, 1),
            **PRESIDIUM_BASIS,
        )
    assert "email" in exc.value.message_dict
    assert (Member.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count()) == before


def test_a_returning_member_after_the_period_ended_is_accepted(body, admin_user, member):
    end_membership(member, actor=admin_user, on=date(2025, 3, 31))
    again = add_member(
        body=body,
        actor=admin_user,
        full_name=member.full_name,
        email=member.email,
        side=Side.BAR,
        role=Role.MEMBER,
        active_from=date(2025, 9, 1),
        **PRESIDIUM_BASIS,
    )
    assert again.user_id == member.user_id


def test_end_before_start_is_refused(body, admin_user):
    with pytest.raises(ValidationError) as exc:
        add_member(
            body=body,
            actor=admin_user,
            full_name="X",
            side=Side.POLICE,
            role=Role.MEMBER,
            active_from=date(2025, 5, 1),
            active_to=date(2025, 4, 1),
        )
    assert "active_to" in exc.value.message_dict
    assert not Member.objects.filter(full_name="X").exists()


def test_a_second_chair_for_the_same_period_is_refused(body, admin_user, chair):
    with pytest.raises(ValidationError) as exc:
        make_member(body, admin_user, email="chair2@alqa.test", role=Role.CHAIR)
    assert chair.full_name in exc.value.message_dict["role"][0]


def test_unit_of_the_other_side_or_body_is_refused(body, other_body, admin_user, bar_unit):
    with pytest.raises(ValidationError) as exc:
        add_member(
            body=body,
            actor=admin_user,
            full_name="Y",
            side=Side.POLICE,
            role=Role.MEMBER,
            unit=bar_unit,
            active_from=date(2025, 1, 1),
        )
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError):
        add_member(
            body=other_body,
            actor=admin_user,
            full_name="Y",
            side=Side.BAR,
            role=Role.MEMBER,
            unit=bar_unit,
            active_from=date(2025, 1, 1),
        )


def test_changes_keep_history_and_the_register_answers_by_date(body, admin_user, member):
    update_member(member, actor=admin_user, changes={"role": Role.SECRETARY, "position": "Секретарь"})
    event = AuditEvent.objects.filter(action="member.changed", object_id=str(member.pk)).get()
    assert event.data["role"] == ["member", "secretary"]
    end_membership(member, actor=admin_user, on=date(2025, 12, 31))
    assert member in Member.objects.filter(body=body).on(date(2025, 6, 1))
    assert member not in Member.objects.filter(body=body).on(date(2026, 1, 1))


def test_invalid_change_leaves_the_row_as_it_was(body, admin_user, member):
    with pytest.raises(ValidationError):
        update_member(member, actor=admin_user, changes={"active_to": date(2000, 1, 1)})
    member.refresh_from_db()
    assert member.active_to is None
    assert not AuditEvent.objects.filter(action="member.changed").exists()


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_lost_race_on_the_unique_constraint_is_a_field_error(body, member):
    """Two identical requests at once both pass the pre-check; the second meets the database
    constraint inside atomic_unique and gets the field error, with nothing written."""
    from alqa.domain.errors import atomic_unique

    count = Member.objects.count()
    with pytest.raises(ValidationError) as exc:
        with atomic_unique("email", "duplicate"):
            Member.objects.create(
                body=body, user=member.user, full_name="Twin", side=Side.BAR, active_from=member.active_from
            )
    assert exc.value.message_dict == {"email": ["duplicate"]}
    assert Member.objects.count() == count
