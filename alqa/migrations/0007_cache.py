"""Every body has its policy: bodies created before create_body and the admin gave one get the
regulation's defaults here, which is what their pages showed already (reading no longer creates
it). Not audited: the values are the defaults every such body was already shown."""

from django.db import migrations


def give_every_body_a_policy(apps, schema_editor):
    Body = apps.get_model("alqa", "Body")
    BodyPolicy = apps.get_model("alqa", "BodyPolicy")
    BodyPolicy.objects.bulk_create(
        [BodyPolicy(body_id=pk) for pk in Body.objects.filter(policy__isnull=True).values_list("pk", flat=True)]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alqa", "0006_audit"),
    ]

    operations = [
        migrations.RunPython(give_every_body_a_policy, migrations.RunPython.noop, elidable=True),
    ]
