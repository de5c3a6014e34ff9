"""Reading a body's policy never writes: every body gets its policy when it is created, migration
0006 gives one to older bodies, and a body without one is shown the regulation's defaults."""

import importlib

import pytest
from django.apps import apps

from alqa import permissions
from alqa.domain.bodies import create_body, update_policy
from alqa.models import AuditEvent, Body, BodyPolicy
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("waive_mfa")


@pytest.fixture
def bare_body(body):
    """A body as one created before policies came with it: its policy row removed."""
    BodyPolicy.objects.filter(body=body).delete()
    return Body.objects.get(pk=body.pk)


def test_a_new_body_has_its_policy(admin_user):
    made = create_body(actor=admin_user, name_ru="Группа Шымкент", city="Шымкент")
    assert BodyPolicy.objects.get(body=made).meeting_interval_months == 2


def test_reading_a_body_without_a_policy_writes_nothing(client, bare_body, chair):
    before = BodyPolicy.objects.count(), AuditEvent.objects.count()
    login(client, chair)
    for path in (f"/bodies/{bare_body.pk}/policy/", f"/bodies/{bare_body.pk}/"):
        assert client.get(path).status_code == 200
    page = client.get(f"/bodies/{bare_body.pk}/policy/").content.decode()
    assert 'name="meeting_interval_months" value="2"' in page  # the regulation's default
    assert (BodyPolicy.objects.count(), AuditEvent.objects.count()) == before

    policy = permissions.get_policy_for_user(chair.user, bare_body.pk, write=True)
    update_policy(policy, actor=chair.user, changes={"meeting_interval_months": 3})
    assert BodyPolicy.objects.get(body=bare_body).meeting_interval_months == 3
    assert AuditEvent.objects.filter(action="policy.changed", body=bare_body).count() == 1


@pytest.mark.unaudited_writes  # the data migration writes the defaults, unaudited by design
def test_the_migration_gives_every_body_without_one_its_policy(bare_body, other_body):
    migration = importlib.import_module("alqa.migrations.0007_cache")
    kept = BodyPolicy.objects.get(body=other_body).pk
    migration.give_every_body_a_policy(apps, None)
    assert BodyPolicy.objects.get(body=bare_body).quorum_rule == "each_side_majority"
    assert BodyPolicy.objects.get(body=other_body).pk == kept
    assert BodyPolicy.objects.count() == Body.objects.count() == 2
