"""Background jobs of the call for projects: demo data loader and selection runs."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from amorce.web.jobs import JobContext, job_handler
from amorce.web.roles import Role, set_roles

from .models import (
    Application,
    Call,
    Criterion,
    InfoMeeting,
    ReviewAssignment,
    Score,
    State,
    StateChange,
)

DEMO_JURORS = ("jury", "jure-2", "jure-3")  # the first is the demo account of the jury role
DEMO_CANDIDATE_REFS = ("AMI-IA-2018-001", "AMI-IA-2018-002", "AMI-IA-2018-003")
DEMO_COUNT = 52  # the real call received 52 applications
DEMO_TO_REVIEW = 2  # late extra dossiers, assigned to the jury but not marked yet (the demo juror's to-do)


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def persist_call(pure_call) -> Call:
    call, _ = Call.objects.update_or_create(slug=pure_call.slug, defaults=dict(
        title=pure_call.title, summary=pure_call.summary, administration=pure_call.administration,
        contact=pure_call.contact, opens=pure_call.opens, closes=pure_call.closes,
        budget=Decimal(str(pure_call.budget)), min_laureates=pure_call.min_laureates,
        max_laureates=pure_call.max_laureates, coaching_months=pure_call.coaching_months,
        eligible_kinds=list(pure_call.eligible_kinds), published=True))
    for position, c in enumerate(pure_call.criteria):
        Criterion.objects.update_or_create(call=call, code=c.code, defaults=dict(
            label=c.label, description=c.description, weight=c.weight, scale_max=c.scale_max, position=position))
    m = pure_call.info_meeting
    InfoMeeting.objects.update_or_create(call=call, starts=_aware(m.starts), defaults=dict(
        ends=_aware(m.ends), address=m.address, capacity=m.capacity))
    return call


def _jurors() -> list:
    User = get_user_model()
    jurors = []
    for username in DEMO_JURORS:
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": "Membre du jury", "last_name": username, "email": f"{username}@demo.amorce.invalid"})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        set_roles(user, [Role.JURY])
        jurors.append(user)
    return jurors


@transaction.atomic
def _persist_application(call: Call, criteria: dict, demo_app, jurors, candidate, instructeur, *,
                         marked: bool = True) -> bool:
    from .services import recompute_score, refresh_automatic_checks

    fields = dict(
        call=call, structure=demo_app.structure, structure_kind=demo_app.structure_kind, ministry=demo_app.ministry,
        siret=demo_app.siret, contact_name=demo_app.contact_name, contact_email=demo_app.contact_email,
        title=demo_app.title, use_case_family=demo_app.use_case_family, problem=demo_app.problem,
        benefits=demo_app.benefits, data=demo_app.data, team=demo_app.team, aia_answers=demo_app.aia_answers,
        budget=Decimal(str(demo_app.budget)), budget_breakdown=demo_app.budget_breakdown, start=demo_app.start,
        end=demo_app.end, submitted_on=demo_app.submitted_on, draft_step=0)
    if candidate is not None and demo_app.ref in DEMO_CANDIDATE_REFS:
        fields["owner"] = candidate
    app, created = Application.objects.update_or_create(reference=demo_app.ref, defaults=fields)
    refresh_automatic_checks(app, call)
    if created:
        app.state = demo_app.state
        StateChange.objects.create(application=app, from_state="", to_state=State.EN_CONSTRUCTION,
                                   at=_aware(datetime.combine(demo_app.submitted_on, datetime.min.time())),
                                   by=fields.get("owner"), comment="Dossier créé (données de démonstration).")
        StateChange.objects.create(application=app, from_state=State.EN_CONSTRUCTION, to_state=app.state,
                                   at=_aware(datetime.combine(demo_app.submitted_on, datetime.min.time())),
                                   by=instructeur, comment="Dossier déposé et passé en instruction.")
    app.save()
    if app.conflicts.exists():
        jurors = [j for j in jurors if not app.conflicts.filter(reviewer=j).exists()]
    submitted_at = _aware(datetime.combine(call.closes, datetime.min.time()))
    if not marked:
        for juror in jurors:
            ReviewAssignment.objects.get_or_create(application=app, reviewer=juror,
                                                   defaults={"assigned_by": instructeur})
        return created
    for juror, marks in zip(jurors, demo_app.jury_marks, strict=False):
        assignment, _ = ReviewAssignment.objects.update_or_create(
            application=app, reviewer=juror, defaults={"submitted_at": submitted_at, "assigned_by": instructeur})
        for code, value in marks.items():
            Score.objects.update_or_create(assignment=assignment, criterion=criteria[code],
                                           defaults={"value": value, "comment": ""})
    recompute_score(app)
    return created


def load_demo(ctx: JobContext) -> dict:
    """The 2018 call and its generated applications, with the jury's marks (idempotent)."""
    from .demo import generate_demo

    User = get_user_model()
    programme = generate_demo(count=DEMO_COUNT + DEMO_TO_REVIEW)  # same first 52 as generate_demo()
    ctx.log("Appel à projets 2018 : enregistrement de l'appel, des critères et de la réunion d'information.")
    with transaction.atomic():
        call = persist_call(programme.call)
        jurors = _jurors()
    criteria = {c.code: c for c in call.criteria.all()}
    candidate = User.objects.filter(username="candidat").first()
    instructeur = User.objects.filter(username="instructeur").first()
    created = 0
    total = len(programme.applications)
    for index, demo_app in enumerate(programme.applications):
        created += _persist_application(call, criteria, demo_app, jurors, candidate, instructeur,
                                        marked=index < DEMO_COUNT)
        ctx.progress(index + 1, total, f"Dossiers : {index + 1}/{total}")
    ctx.log(f"{total} dossiers enregistrés ({created} nouveaux) ; {DEMO_COUNT} notés par {len(jurors)} membres du "
            f"jury, {DEMO_TO_REVIEW} encore à noter.")
    return {"call": call.slug, "dossiers": total, "created": created}


@job_handler("programme.select", "Sélection des lauréats", roles=[Role.EQUIPE_PROGRAMME])
def select_job(ctx: JobContext, call_id: int, params: dict) -> dict:
    from .services import run_selection

    call = Call.objects.get(pk=call_id)
    ctx.log(f"Sélection exacte des lauréats de « {call.slug} ».")
    run = run_selection(call, params, user=ctx.job.created_by, progress=ctx.progress)
    if run.error:
        ctx.log(run.error)
    else:
        ctx.log(f"{len(run.result['selected'])} dossiers retenus, score total {run.result['total_score']}.")
    return {"selection_run": run.pk, "url": f"/programme/selection/{run.pk}/"}


@job_handler("programme.import_ds", "Import des dossiers de Démarche Numérique", roles=[Role.EQUIPE_PROGRAMME])
def import_ds_job(ctx: JobContext, call_id: int, demarche: int, mapping: dict | None = None,
                  state: str | None = None) -> dict:
    """Fetch every dossier (cursor pagination), then upsert them all in one transaction.

    The API token (``DS_API_TOKEN``) and the instance (``DS_API_URL``, within ``DS_ALLOWED_URLS``) are the
    server's configuration, never job parameters.
    """
    from amorce.core.progress import part

    from .ds_import import DemarcheNumeriqueClient, FieldMapping
    from .services import import_from_demarche_numerique

    call = Call.objects.get(pk=call_id)
    field_mapping = FieldMapping.from_dict(mapping, source="correspondance de la tâche") if mapping else None
    with DemarcheNumeriqueClient() as client:
        _, dossiers = client.fetch_dossiers(demarche, state=state, progress=part(ctx.progress, 0.0, 0.5))
    ctx.log(f"Démarche n° {demarche} : {len(dossiers)} dossiers lus.")
    report = import_from_demarche_numerique(call, dossiers, field_mapping, user=ctx.job.created_by)
    ctx.log(report.summary_fr())
    return report.to_dict()


@job_handler("programme.push_ds", "Écriture des décisions dans Démarche Numérique", roles=[Role.EQUIPE_PROGRAMME])
def push_ds_job(ctx: JobContext, call_id: int, instructeur_id: str, annotation_label: str | None = None,
                references: list[str] | None = None, disable_notification: bool = False) -> dict:
    """Write decisions and the private annotation back (token and instance from the server's configuration)."""
    from .ds_import import DemarcheNumeriqueClient
    from .services_writeback import push_to_demarche_numerique

    call = Call.objects.get(pk=call_id)
    ctx.log(f"Écriture dans Démarche Numérique des dossiers de « {call.slug} »"
            + (f" ({', '.join(references)})." if references else "."))
    with DemarcheNumeriqueClient() as client:
        report = push_to_demarche_numerique(
            call, client, instructeur_id=instructeur_id, annotation_label=annotation_label, references=references,
            disable_notification=disable_notification, user=ctx.job.created_by,
            progress=ctx.progress)
    for reference, message in report.errors:
        ctx.log(f"{reference} : {message}")
    ctx.log(report.summary_fr())
    return report.to_dict()
