"""Coaches become platform accounts: the free-text names are matched to accounts with the ``coach`` role
(by username or by « first last » name, ignoring case); a name that matches no such account is dropped,
and the programme team assigns the coach again from the follow-up page."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def match_names(apps, schema_editor):
    Coaching = apps.get_model("programme", "Coaching")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    coaches = {}
    for user in User.objects.filter(groups__name="coach"):
        coaches.setdefault(user.username.casefold(), user.pk)
        full = f"{user.first_name} {user.last_name}".strip().casefold()
        if full:
            coaches.setdefault(full, user.pk)
    for coaching in Coaching.objects.all():
        coaching.technical_account_id = coaches.get((coaching.technical_coach or "").strip().casefold())
        coaching.business_account_id = coaches.get((coaching.business_coach or "").strip().casefold())
        coaching.save(update_fields=["technical_account", "business_account"])


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0002_list_covering_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="coaching",
            name="technical_account",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="coach technique",
            ),
        ),
        migrations.AddField(
            model_name="coaching",
            name="business_account",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="coach métier",
            ),
        ),
        migrations.RunPython(match_names, migrations.RunPython.noop),
        migrations.RemoveField(model_name="coaching", name="technical_coach"),
        migrations.RemoveField(model_name="coaching", name="business_coach"),
        migrations.RenameField(
            model_name="coaching", old_name="technical_account", new_name="technical_coach"
        ),
        migrations.RenameField(model_name="coaching", old_name="business_account", new_name="business_coach"),
    ]
