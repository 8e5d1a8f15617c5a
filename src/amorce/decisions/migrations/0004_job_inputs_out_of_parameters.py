"""Imported decisions' texts out of the jobs' parameters: a queued or running pseudonymisation job
gets them back as stored inputs (``amorce.web.jobs.store_inputs``); a finished one loses them (its
decisions are stored, or it failed and is retried by importing the file again)."""

from django.db import migrations

KIND = "decisions.pseudonymise"
ACTIVE = ("queued", "running")


def texts_out(apps, schema_editor):
    from amorce.web.jobs import INPUTS, store_inputs

    job_model = apps.get_model("web", "Job")
    for job in job_model.objects.filter(kind=KIND):
        rows = job.params.get("decisions") if isinstance(job.params, dict) else None
        if not isinstance(rows, list):
            continue
        job.params = {"decisions": len(rows)}
        if job.status in ACTIVE and all(isinstance(r, dict) and "text" in r for r in rows):
            job.params[INPUTS] = store_inputs(rows)
        job.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("decisions", "0003_english_detector_ids"), ("web", "0002_roles_and_append_only_audit")]

    operations = [migrations.RunPython(texts_out, migrations.RunPython.noop)]
