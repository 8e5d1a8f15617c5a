"""Démarche Numérique: import of dossiers and write-back of decisions (both as jobs)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from amorce.web.roles import role_required

from .. import forms as f
from .. import services
from ..models import Call
from .common import TEAM, render_page


def _configuration_problem(request, form) -> str | None:
    """The server's Démarche Numérique configuration (token, allowed instance), checked before queuing."""
    from ..ds_import import configuration_problem

    problem = configuration_problem()
    if problem and request.method == "POST":
        form.add_error(None, problem)
    return problem


@role_required(*TEAM)
def call_import(request, slug):
    call = get_object_or_404(Call, slug=slug)
    form = f.DsImportForm(request.POST or None)
    problem = _configuration_problem(request, form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        job = services.launch_job(
            "programme.import_ds", {"call_id": call.pk, "demarche": d["demarche"], "mapping": d["mapping"]},
            label=f"Import Démarche Numérique — {call.slug}", audit="programme_import_ds_lance", user=request.user,
            request=request, demarche=d["demarche"])
        messages.success(request, "Import lancé.")
        return redirect("jobs:detail", pk=job.pk)
    return render_page(request, "programme/call_import.html", {"title": "Importer depuis Démarche Numérique",
                                                               "call": call, "form": form, "problem": problem},
                       status=400 if request.method == "POST" else 200)


@role_required(*TEAM)
def call_push_ds(request, slug):
    """Write decisions and a private annotation back to Démarche Numérique (as a job)."""
    from ..services_writeback import configured_instructeur, dossiers_to_push

    call = get_object_or_404(Call, slug=slug)
    initial = {"instructeur_id": configured_instructeur(), "references": request.GET.get("dossiers", "")}
    form = f.DsPushForm(request.POST or None, call=call, initial=initial)
    problem = _configuration_problem(request, form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        job = services.launch_job("programme.push_ds", {
            "call_id": call.pk, "instructeur_id": d["instructeur_id"].strip(),
            "annotation_label": d["annotation_label"].strip() or None, "references": d["references"] or None,
            "disable_notification": d["disable_notification"]},
            label=f"Écriture Démarche Numérique — {call.slug}", audit="programme_ds_ecriture_lancee",
            user=request.user, request=request, call=call.slug, dossiers=d["references"] or "all")
        messages.success(request, "Écriture dans Démarche Numérique lancée.")
        return redirect("jobs:detail", pk=job.pk)
    pending = dossiers_to_push(call)
    return render_page(request, "programme/call_push_ds.html", {
        "title": "Écrire dans Démarche Numérique", "call": call, "form": form, "problem": problem,
        "imported": pending.count(), "decided": pending.filter(decision__isnull=False).count()},
        status=400 if request.method == "POST" else 200)
