"""Follow-up of laureates: monthly reports, budget versions, coaches and milestones."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from amorce.web.forms import errors_to_messages
from amorce.web.roles import Role, has_role, role_required

from .. import forms as f
from .. import services
from ..errors import ProgrammeError
from ..models import (
    Application,
    Coaching,
    Milestone,
    State,
)
from .common import COACHING, TEAM, render_page


def _follow_up_app(request, reference) -> tuple[Application, bool]:
    """The laureate and whether the user is of the programme team; a coach only reaches the laureates
    they coach (technical or business coach), anyone else gets a 403."""
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, state=State.ACCEPTE)
    is_team = has_role(request.user, *TEAM)
    if not is_team:
        coaching = Coaching.objects.filter(application=app).first()
        if coaching is None or not coaching.is_coach(request.user):
            raise PermissionDenied("Vous n'accompagnez pas ce lauréat.")
    return app, is_team


@role_required(*COACHING)
def follow_up(request, reference):
    app, is_team = _follow_up_app(request, reference)
    form = f.MonthlyReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_monthly_report(app, form.save(commit=False), user=request.user, request=request)
        except ProgrammeError as exc:
            form.add_error("month", exc.message)
        else:
            messages.success(request, "Point mensuel enregistré.")
            return redirect("programme:follow_up", reference=reference)
    services.prepare_follow_up(app)
    coaching = Coaching.objects.filter(application=app).select_related("technical_coach", "business_coach").first()
    versions = list(app.budget_versions.select_related("author"))
    consumed = services.budget_consumed(app)
    return render_page(request, "programme/follow_up.html", {
        "title": f"Suivi — {app.reference}", "app": app, "milestones": app.milestones.all(), "coaching": coaching,
        "reports": app.reports.select_related("author"), "form": form, "is_team": is_team,
        "budget_versions": versions, "budget": versions[0] if versions else None, "consumed": consumed,
        "consumed_share": services.consumed_share(consumed, versions[0].amount if versions else None),
        "budget_form": f.BudgetRevisionForm(),
        "coaching_form": f.CoachingForm(initial={"technical_coach": getattr(coaching, "technical_coach_id", None),
                                                 "business_coach": getattr(coaching, "business_coach_id", None)}),
        "campaigns": app.test_campaigns.all()}, status=400 if request.method == "POST" else 200)


@require_POST
@role_required(*TEAM)
def budget_revise(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, state=State.ACCEPTE)
    form = f.BudgetRevisionForm(request.POST)
    if form.is_valid():
        try:
            version = services.revise_budget(app, form.cleaned_data["amount"], form.cleaned_data["reason"],
                                             user=request.user, request=request)
        except ProgrammeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Budget révisé : version {version.number} en vigueur.")
    else:
        errors_to_messages(request, form)
    return redirect("programme:follow_up", reference=reference)


@role_required(Role.COACH)
def my_coachings(request):
    """The laureates the signed-in coach accompanies (and only those)."""
    rows = services.coach_rows(request.user)
    return render_page(request, "programme/my_coachings.html", {"title": "Lauréats que j'accompagne", "rows": rows})


@require_POST
@role_required(*TEAM)
def coaches(request, reference):
    app = get_object_or_404(Application, reference=reference, state=State.ACCEPTE)
    form = f.CoachingForm(request.POST)
    if form.is_valid():
        services.set_coaches(app, form.cleaned_data["technical_coach"], form.cleaned_data["business_coach"],
                             user=request.user, request=request)
        messages.success(request, "Coachs enregistrés.")
    else:
        messages.error(request, "Choisissez les coachs parmi les comptes ayant le rôle « Coach d'accompagnement ».")
    return redirect("programme:follow_up", reference=reference)


@require_POST
@role_required(*TEAM)
def milestone_done(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("application"), pk=pk)
    services.toggle_milestone(milestone)
    return redirect("programme:follow_up", reference=milestone.application.reference)
