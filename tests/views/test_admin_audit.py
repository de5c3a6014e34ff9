"""The admin for installation administrators: every save and delete, the list's "delete selected"
action included, goes into the audit trail (the cached pages rely on it, alqa/fragments.py)."""

import pytest

from alqa.domain.bodies import add_guest
from alqa.models import AuditEvent, Guest

pytestmark = pytest.mark.usefixtures("waive_mfa")


def test_admin_changes_and_bulk_deletes_are_audited(client, body, admin_user):
    guests = [add_guest(body=body, actor=admin_user, full_name=f"Эксперт {i}") for i in range(2)]
    client.force_login(admin_user)
    response = client.post(
        f"/admin/alqa/guest/{guests[0].pk}/change/",
        {
            "body": body.pk,
            "full_name": "Эксперт Нурланов",
            "kind": guests[0].kind,
            "language": "ru",
            "created_at_0": "2026-11-26",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AuditEvent.objects.filter(action="admin.changed", object_id=str(guests[0].pk)).exists()

    response = client.post(
        "/admin/alqa/guest/",
        {"action": "delete_selected", "_selected_action": [str(g.pk) for g in guests], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Guest.objects.exists()
    deleted = AuditEvent.objects.filter(action="admin.deleted").values_list("object_id", flat=True)
    assert sorted(deleted) == sorted(str(g.pk) for g in guests)


@pytest.mark.parametrize("model", ["member", "unit", "bodypolicy"])
def test_records_kept_by_the_register_are_shown_in_the_admin_but_not_changed_there(
    client, body, chair, police_unit, admin_user, model
):
    """Their rules (one chair, terms that do not overlap, the policy's bounds) live in the domain:
    the admin shows them and refuses to add, change or delete them."""
    obj = {"member": chair, "unit": police_unit, "bodypolicy": body.policy}[model]
    row = type(obj).objects.values()
    before = row.get(pk=obj.pk)
    client.force_login(admin_user)
    page = client.get(f"/admin/alqa/{model}/{obj.pk}/change/")
    assert page.status_code == 200  # shown, read-only: no save button
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/alqa/{model}/{obj.pk}/change/", {"full_name": "X"}).status_code == 403
    assert client.get(f"/admin/alqa/{model}/add/").status_code == 403
    assert client.post(f"/admin/alqa/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert row.get(pk=obj.pk) == before
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()
