"""Follow-up of laureates: monthly reports, budget versions, coaches and milestones."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from amorce.web.audit import record
from amorce.web.roles import Role, has_role, role_required

from .. import forms as f
from .. import services
from ..models import (
    Application,
    Coaching,
    Milestone,
    MonthlyReport,
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
            with transaction.atomic():
                report = form.save(commit=False)
                report.application, report.author = app, request.user
                report.save()
                record("programme_point_mensuel", request=request, obj=app, mois=str(report.month))
        except IntegrityError:
            form.add_error("month", "Un point mensuel existe déjà pour ce mois.")
        else:
            messages.success(request, "Point mensuel enregistré.")
            return redirect("programme:follow_up", reference=reference)
    if (not app.milestones.exists() or not Coaching.objects.filter(application=app).exists()
            or not app.budget_versions.exists()):
        services.ensure_follow_up_plan(app)
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
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Budget révisé : version {version.number} en vigueur.")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label} : {errors[0]}")
    return redirect("programme:follow_up", reference=reference)


@role_required(Role.COACH)
def my_coachings(request):
    """The laureates the signed-in coach accompanies (and only those)."""
    latest = MonthlyReport.objects.filter(application=OuterRef("application")).order_by("-month")
    coachings = (Coaching.objects.of_coach(request.user).filter(application__state=State.ACCEPTE)
                 .select_related("application", "application__call")
                 .annotate(last_status=Subquery(latest.values("status")[:1]),
                           last_month=Subquery(latest.values("month")[:1]))
                 .order_by("application__reference"))
    statuses = dict(MonthlyReport.Status.choices)
    rows = [{"app": c.application, "as": " et ".join(
                label for label, pk in (("technique", c.technical_coach_id), ("métier", c.business_coach_id))
                if pk == request.user.pk),
             "last": f"{statuses[c.last_status]} ({c.last_month:%m/%Y})" if c.last_status else "—"}
            for c in coachings]
    return render_page(request, "programme/my_coachings.html", {"title": "Lauréats que j'accompagne", "rows": rows})


@require_POST
@role_required(*TEAM)
def coaches(request, reference):
    app = get_object_or_404(Application, reference=reference, state=State.ACCEPTE)
    form = f.CoachingForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            if not Coaching.objects.filter(application=app).exists():
                services.ensure_follow_up_plan(app)
            Coaching.objects.filter(application=app).update(technical_coach=d["technical_coach"],
                                                            business_coach=d["business_coach"])
            record("programme_coachs", request=request, obj=app,
                   coach_technique=getattr(d["technical_coach"], "username", ""),
                   coach_metier=getattr(d["business_coach"], "username", ""))
        messages.success(request, "Coachs enregistrés.")
    else:
        messages.error(request, "Choisissez les coachs parmi les comptes ayant le rôle « Coach d'accompagnement ».")
    return redirect("programme:follow_up", reference=reference)


@require_POST
@role_required(*TEAM)
def milestone_done(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("application"), pk=pk)
    milestone.done_on = None if milestone.done_on else timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return redirect("programme:follow_up", reference=milestone.application.reference)
