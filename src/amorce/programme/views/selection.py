"""Ranking, consensus meetings and the exact selection of laureates."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from amorce.web.forms import errors_to_messages
from amorce.web.roles import role_required

from .. import forms as f
from .. import services
from ..errors import ProgrammeError
from ..models import Application, Call, Decision, SelectionRun
from .common import TEAM, render_page

# Dossiers per page of the ranking (ranks run over the whole call). A row carries the dossier's
# title and one column per criterion, so it is tall: 50 rows made a page over 14,000 px high.
RANKING_PAGE = 20


@role_required(*TEAM)
def ranking(request, slug):
    """Final ranking by weighted score, per-criterion averages, disagreements to settle in consensus."""
    call = get_object_or_404(Call, slug=slug)
    criteria, apps = services.ranking(call)
    page = Paginator(apps, RANKING_PAGE).get_page(request.GET.get("page"))
    return render_page(request, "programme/ranking.html", {"title": f"Classement — {call.title}", "call": call,
                                                           "criteria": criteria, "apps": page.object_list,
                                                           "page": page, "total": len(apps),
                                                           "form": f.ConsensusForm()})


@require_POST
@role_required(*TEAM)
def consensus(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference)
    form = f.ConsensusForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, form)
        return redirect("programme:ranking", slug=app.call.slug)
    reopen = form.cleaned_data["reopen"]
    services.record_consensus(app, form.cleaned_data["note"], reopen=reopen, user=request.user, request=request)
    messages.success(request, "Séance de consensus enregistrée" + (" ; les évaluations sont rouvertes."
                                                                  if reopen else "."))
    return redirect("programme:ranking", slug=app.call.slug)


@role_required(*TEAM)
def selection(request, slug):
    call = get_object_or_404(Call, slug=slug)
    initial = {"budget": call.budget, "min_count": call.min_laureates, "max_count": call.max_laureates,
               "max_per_ministry": call.max_per_ministry, "max_per_family": call.max_per_family}
    form = f.SelectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = services.launch_job("programme.select", {"call_id": call.pk, "params": form.params()},
                                  label=f"Sélection des lauréats — {call.slug}", audit="programme_selection_lancee",
                                  user=request.user, request=request, call=call.slug)
        messages.success(request, "Calcul de la sélection lancé : le résultat apparaîtra dans la liste des calculs.")
        return redirect("jobs:detail", pk=job.pk)
    return render_page(request, "programme/selection.html", {
        "title": f"Sélection des lauréats — {call.slug}", "call": call, "form": form,
        "runs": call.selection_runs.select_related("created_by")[:20],
        "eligible_count": len(services.candidates_for(call))}, status=400 if request.method == "POST" else 200)


@role_required(*TEAM)
def selection_run(request, pk):
    run = get_object_or_404(SelectionRun.objects.select_related("call", "created_by"), pk=pk)
    decided = set(Decision.objects.filter(application__call=run.call).values_list("application__reference",
                                                                                  flat=True))
    return render_page(request, "programme/selection_run.html", {
        "title": str(run), "run": run, "rows": services.run_rows(run), "decided": decided,
        "caps": services.run_constraints(run, run.call).cap_phrases()})


@require_POST
@role_required(*TEAM)
def selection_decide(request, pk):
    """Decisions for every dossier of the run still under instruction, motivated by its explanation."""
    run = get_object_or_404(SelectionRun.objects.select_related("call"), pk=pk)
    try:
        count = services.decide_from_run(run, user=request.user, request=request)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{count} décisions enregistrées à partir du calcul n° {run.pk}.")
    return redirect("programme:selection_run", pk=run.pk)
