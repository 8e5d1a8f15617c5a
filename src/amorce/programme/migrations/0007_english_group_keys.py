"""Group keys of stored selection runs in English (« ministere » → « ministry », « famille » →
« family »): the candidates' rows and the caps of the run's parameters. Labels are unchanged."""

from django.db import migrations

KEYS = {"ministere": "ministry", "famille": "family"}


def _renamed(mapping: dict, keys: dict) -> dict:
    return {keys.get(k, k): v for k, v in mapping.items()}


def _convert(apps, keys):
    run_model = apps.get_model("programme", "SelectionRun")
    for run in run_model.objects.all().iterator():
        run.candidates = [_renamed(row, keys) if isinstance(row, dict) else row for row in run.candidates or []]
        params = dict(run.params or {})
        if isinstance(params.get("group_caps"), dict):
            params["group_caps"] = _renamed(params["group_caps"], keys)
        run.params = params
        run.save(update_fields=["candidates", "params"])


def english(apps, schema_editor):
    _convert(apps, KEYS)


def french(apps, schema_editor):
    _convert(apps, {v: k for k, v in KEYS.items()})


class Migration(migrations.Migration):
    dependencies = [("programme", "0006_shared_creation_fields")]

    operations = [migrations.RunPython(english, french)]
