"""Jury: the dossiers to review, the review form, conflicts of interest."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from amorce.web.forms import errors_to_messages
from amorce.web.roles import Role, role_required

from .. import forms as f
from .. import services
from ..models import (
    Application,
    ReviewAssignment,
)
from .common import render_page


@role_required(Role.JURY)
def jury_list(request):
    assignments = (ReviewAssignment.objects.filter(reviewer=request.user)
                   .exclude(application__conflicts__reviewer=request.user)
                   .select_related("application", "application__call")
                   .order_by(F("submitted_at").asc(nulls_first=True), "application__reference"))
    return render_page(request, "programme/jury_list.html", {"title": "Mes dossiers à évaluer",
                                                         "assignments": assignments})


@role_required(Role.JURY)
def jury_review(request, reference):
    # for_reviewer() never returns a dossier on which this juror declared a conflict
    app = get_object_or_404(Application.objects.for_reviewer(request.user).select_related("call"),
                            reference=reference)
    assignment = ReviewAssignment.objects.get(application=app, reviewer=request.user)
    criteria = list(app.call.criteria.all())
    services.name_disagreements(app, criteria)
    existing = {s.criterion.code: s for s in assignment.scores.select_related("criterion")}
    initial = {"comment": assignment.comment}
    for code, s in existing.items():
        initial[f"note_{code}"], initial[f"commentaire_{code}"] = s.value, s.comment
    form = f.ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST":
        if assignment.submitted:
            messages.error(request, "Votre évaluation est déjà remise : elle ne peut plus être modifiée.")
            return redirect("programme:jury_review", reference=reference)
        if form.is_valid():
            submit = request.POST.get("action") == "remettre"
            services.save_review(assignment, form.marks(), form.cleaned_data["comment"], submit=submit,
                                 request=request)
            messages.success(request, "Évaluation remise." if submit else "Brouillon d'évaluation enregistré.")
            return redirect("programme:jury_review", reference=reference)
    return render_page(request, "programme/jury_review.html", {
        "title": f"Évaluation du dossier {app.reference}", "app": app, "assignment": assignment, "form": form,
        "existing": existing, "others": services.visible_scores(assignment, app), "criteria": criteria,
        "conflict_form": f.ConflictForm(), "attachments": app.attachments.all()},
        status=400 if request.method == "POST" else 200)


@require_POST
@role_required(Role.JURY)
def jury_conflict(request, reference):
    app = get_object_or_404(Application.objects.for_reviewer(request.user), reference=reference)
    form = f.ConflictForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, form)
        return redirect("programme:jury_review", reference=reference)
    services.declare_conflict(app, request.user, form.cleaned_data["reason"], request=request)
    messages.success(request, "Conflit d'intérêts déclaré : le dossier vous est retiré.")
    return redirect("programme:jury_list")
