"""Creation time and author under the platform's names (``amorce.web.models.Created``/``Authored``):
``Decision.imported_at`` → ``created_at``, ``Correction.user``/``at`` → ``created_by``/``created_at``;
status keys in English (labels unchanged)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


STATUSES = {"a_relire": "to_review", "validee": "validated", "publiee": "published"}


def english_statuses(apps, schema_editor):
    decision = apps.get_model("decisions", "Decision")
    for old, new in STATUSES.items():
        decision.objects.filter(status=old).update(status=new)


def french_statuses(apps, schema_editor):
    decision = apps.get_model("decisions", "Decision")
    for old, new in STATUSES.items():
        decision.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("decision", "imported_at", "created_at"),
        migrations.AlterField(
            model_name="decision", name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="créé le"),
        ),
        migrations.RenameField("correction", "user", "created_by"),
        migrations.RenameField("correction", "at", "created_at"),
        migrations.AlterField(
            model_name="correction", name="created_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="créé par"),
        ),
        migrations.AlterField(
            model_name="correction", name="created_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="créé le"),
        ),
        migrations.AlterField(
            model_name="decision", name="status",
            field=models.CharField(choices=[("to_review", "À relire"), ("validated", "Validée"), ("published", "Publiée")],
                                   db_index=True, default="to_review", max_length=20, verbose_name="statut"),
        ),
        migrations.RunPython(english_statuses, french_statuses),
        migrations.AlterModelOptions(
            name="correction", options={"ordering": ["created_at", "pk"], "verbose_name": "correction"},
        ),
    ]
