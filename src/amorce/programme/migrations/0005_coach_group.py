"""Create the group of the coaches' role (``coach``).

Groups are roles (amorce.web.roles); web.0002 created those that existed then. This one is created
here so that an administrator can grant it in the Django administration before any account has it.
"""

from django.db import migrations

ROLE = "coach"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("programme", "0004_budget_versions"),
        ("web", "0002_roles_and_append_only_audit"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
