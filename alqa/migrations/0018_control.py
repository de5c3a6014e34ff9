"""Assignments carry their body (the decision's meeting's or the plan item's plan's), filled in for
the rows there are, then required; indexes for a body's open assignments by deadline."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_body(apps, schema_editor):
    Assignment = apps.get_model("alqa", "Assignment")
    Decision = apps.get_model("alqa", "Decision")
    PlanItem = apps.get_model("alqa", "PlanItem")
    Assignment.objects.filter(decision__isnull=False).update(
        body_id=Subquery(Decision.objects.filter(pk=OuterRef("decision_id")).values("meeting__body_id")[:1])
    )
    Assignment.objects.filter(plan_item__isnull=False).update(
        body_id=Subquery(PlanItem.objects.filter(pk=OuterRef("plan_item_id")).values("plan__body_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alqa", "0017_execution"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="body",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assignments",
                to="alqa.body",
            ),
        ),
        migrations.RunPython(fill_body, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assignment",
            name="body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="assignments", to="alqa.body"
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["body", "status", "due_date"], name="assignment_body_status_due"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["body", "due_date", "id"], name="assignment_body_due"),
        ),
    ]
