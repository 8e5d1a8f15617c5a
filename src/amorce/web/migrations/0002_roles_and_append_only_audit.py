"""Create one group per role, and make the audit table append-only at the database level.

PostgreSQL refuses UPDATE and DELETE on audit rows (a retention purge may delete old rows inside a
transaction that sets ``amorce.audit_purge = 'on'``); TRUNCATE, used only by test flushes and
database resets, is not a row operation. SQLite refuses UPDATE; its DELETE stays possible at SQL
level for test flushes, and the ORM refuses both (see AuditEvent).
"""

from django.db import migrations

ROLES = ["administrateur", "equipe_programme", "instructeur", "jury", "candidat", "inspecteur",
         "magistrat_greffier", "agent_accueil", "naturaliste", "archiviste"]

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS web_auditevent_no_update BEFORE UPDATE ON web_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION web_auditevent_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND current_setting('amorce.audit_purge', true) = 'on' THEN RETURN OLD; END IF;
         RAISE EXCEPTION 'audit log is append-only';
       END; $$ LANGUAGE plpgsql;""",
    """DROP TRIGGER IF EXISTS web_auditevent_no_change ON web_auditevent;""",
    """CREATE TRIGGER web_auditevent_no_change BEFORE UPDATE OR DELETE ON web_auditevent
       FOR EACH ROW EXECUTE FUNCTION web_auditevent_append_only();""",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def append_only(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(append_only, migrations.RunPython.noop),
    ]
