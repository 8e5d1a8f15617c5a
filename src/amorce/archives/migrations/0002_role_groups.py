"""Create the groups of the archives roles, so that an administrator can grant them before any account has one."""

from django.db import migrations

ROLES = ("documentaliste", "responsable_collections", "lecteur")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("archives", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
