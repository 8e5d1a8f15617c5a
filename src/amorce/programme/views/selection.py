"""Ranking, consensus meetings and the exact selection of laureates."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from amorce.web import jobs
from amorce.web.audit import record
from amorce.web.roles import role_required

from .. import forms as f
from .. import services
from ..models import (
    Application,
    Call,
    Decision,
    Score,
    SelectionRun,
    State,
)
from .common import TEAM, render_page


@role_required(*TEAM)
def ranking(request, slug):
    """Final ranking by weighted score, per-criterion averages, disagreements to settle in consensus."""
    from django.db.models import Avg

    call = get_object_or_404(Call, slug=slug)
    criteria = list(call.criteria.all())
    apps = list(Application.objects.eligible_for_selection(call).order_by("-score", "reference")
                .only("reference", "title", "score", "review_count", "disagreements", "consensus_note", "budget"))
    averages: dict[int, dict[str, float]] = {}
    for row in (Score.objects.filter(assignment__application__in=apps, assignment__submitted_at__isnull=False)
                .values("assignment__application_id", "criterion__code").annotate(avg=Avg("value"))):
        averages.setdefault(row["assignment__application_id"], {})[row["criterion__code"]] = row["avg"]
    for rank, app in enumerate(apps, start=1):
        app.rank = rank
        app.marks = [averages.get(app.pk, {}).get(c.code) for c in criteria]
    return render_page(request, "programme/ranking.html", {"title": f"Classement — {call.slug}", "call": call,
                                                       "criteria": criteria, "apps": apps,
                                                       "form": f.ConsensusForm()})


@require_POST
@role_required(*TEAM)
def consensus(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference)
    form = f.ConsensusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programme:ranking", slug=app.call.slug)
    with transaction.atomic():
        app.consensus_note = form.cleaned_data["note"]
        app.consensus_at = timezone.now()
        app.save(update_fields=["consensus_note", "consensus_at", "updated_at"])
        if form.cleaned_data["reopen"]:
            app.assignments.update(submitted_at=None)
            services.recompute_score(app)
        record("programme_consensus", request=request, obj=app, reopened=form.cleaned_data["reopen"])
    messages.success(request, "Séance de consensus enregistrée" + (" ; les évaluations sont rouvertes."
                                                                  if form.cleaned_data["reopen"] else "."))
    return redirect("programme:ranking", slug=app.call.slug)


@role_required(*TEAM)
def selection(request, slug):
    call = get_object_or_404(Call, slug=slug)
    initial = {"budget": call.budget, "min_count": call.min_laureates, "max_count": call.max_laureates,
               "max_per_ministry": call.max_per_ministry, "max_per_family": call.max_per_family}
    form = f.SelectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = jobs.enqueue("programme.select", {"call_id": call.pk, "params": form.params()}, user=request.user,
                               label=f"Sélection des lauréats — {call.slug}")
            record("programme_selection_lancee", request=request, obj=job, call=call.slug)
        messages.success(request, "Calcul de la sélection lancé : le résultat apparaîtra dans la liste des calculs.")
        return redirect("jobs:detail", pk=job.pk)
    return render_page(request, "programme/selection.html", {
        "title": f"Sélection des lauréats — {call.slug}", "call": call, "form": form,
        "runs": call.selection_runs.select_related("created_by")[:20],
        "eligible_count": len(services.candidates_for(call))}, status=400 if request.method == "POST" else 200)


def _run_rows(run: SelectionRun) -> list[dict]:
    explanations = {e["id"]: e for e in run.explanations}
    selected = set(run.result.get("selected") or [])
    rows = [{**c, "selected": c["id"] in selected, "explanation": explanations.get(c["id"])} for c in run.candidates]
    rows.sort(key=lambda r: (not r["selected"], -r["score"]))
    return rows


@role_required(*TEAM)
def selection_run(request, pk):
    run = get_object_or_404(SelectionRun.objects.select_related("call", "created_by"), pk=pk)
    decided = set(Decision.objects.filter(application__call=run.call).values_list("application__reference",
                                                                                  flat=True))
    return render_page(request, "programme/selection_run.html", {
        "title": str(run), "run": run, "rows": _run_rows(run), "decided": decided})


@require_POST
@role_required(*TEAM)
def selection_decide(request, pk):
    """Decisions for every dossier of the run still under instruction, motivated by its explanation."""
    run = get_object_or_404(SelectionRun.objects.select_related("call"), pk=pk)
    if not run.result:
        messages.error(request, "Ce calcul n'a pas abouti : aucune décision ne peut en découler.")
        return redirect("programme:selection_run", pk=run.pk)
    selected = set(run.result["selected"])
    count = 0
    with transaction.atomic():
        apps = Application.objects.filter(call=run.call, state=State.EN_INSTRUCTION,
                                          reference__in=[c["id"] for c in run.candidates]).select_related("call")
        for app in apps:
            chosen = app.reference in selected
            services.decide(app, State.ACCEPTE if chosen else State.REFUSE,
                            services.motivation_from_explanation(run.explanation_for(app.reference), chosen),
                            user=request.user, run=run, request=request)
            count += 1
    messages.success(request, f"{count} décisions enregistrées à partir du calcul n° {run.pk}.")
    return redirect("programme:selection_run", pk=run.pk)
