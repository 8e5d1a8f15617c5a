"""Calls: the public pages (list, call, laureates, transparency), the programme team's dashboard and call editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect

from amorce.web.audit import record
from amorce.web.roles import Role, can_access_usecase, has_role, role_required

from .. import forms as f
from .. import services
from ..models import (
    Application,
    BudgetVersion,
    Call,
    MonthlyReport,
    Registration,
    State,
)
from .common import TEAM, is_staff, render_page


def index(request):
    """Hub of the programme roles; other signed-in users see the public part (the calls).

    Anonymous visitors are sent to the login page; the public list of calls is :func:`call_list`.
    """
    user = request.user
    return render_page(request, "programme/index.html", {
        "title": "Programme d'amorçage", "calls": Call.objects.filter(published=True),
        "hub": can_access_usecase(user, "programme"),
        "is_team": has_role(user, *TEAM), "is_staff": is_staff(user), "is_jury": has_role(user, Role.JURY),
        "is_candidate": has_role(user, Role.CANDIDAT), "is_coach": has_role(user, Role.COACH)})


@login_not_required
def call_list(request):
    return render_page(request, "programme/index.html", {"title": "Appels à projets",
                                                     "calls": Call.objects.filter(published=True)})


@login_not_required
def call_public(request, slug):
    call = get_object_or_404(Call.objects.prefetch_related("criteria"), slug=slug, published=True)
    meetings = list(call.meetings.annotate(registered=Count("registrations")))
    for meeting in meetings:
        meeting.left = max(0, meeting.capacity - meeting.registered)
    form = f.RegistrationForm()
    return render_page(request, "programme/call_public.html", {
        "title": call.title, "call": call, "meetings": meetings, "form": form,
        "criteria": call.criteria.all(), "total_weight": sum(c.weight for c in call.criteria.all()),
        "can_apply": has_role(request.user, Role.CANDIDAT) and call.is_open})


@login_not_required
def laureates(request, slug):
    call = get_object_or_404(Call, slug=slug, published=True)
    rows = (Application.objects.filter(call=call, state=State.ACCEPTE).select_related("decision")
            .order_by("reference").only("reference", "title", "structure", "ministry", "use_case_family",
                                        "decision__amount"))
    return render_page(request, "programme/laureates.html", {"title": f"Lauréats — {call.title}", "call": call,
                                                         "rows": rows})


@login_not_required
def transparency(request, slug):
    from ..letters import transparency_sheet_html

    call = get_object_or_404(Call, slug=slug, published=True)
    run = call.selection_runs.exclude(result={}).first()
    constraints = call.constraints()
    if run is not None:
        from ..selection import Constraints

        p = run.params
        constraints = Constraints(budget=p["budget"], min_count=p["min_count"], max_count=p["max_count"],
                                  group_caps=p.get("group_caps") or {})
    sheet = transparency_sheet_html(call.title, call.administration, call.pure_criteria(), constraints)
    return render_page(request, "programme/transparency.html", {"title": "Fiche de transparence", "call": call,
                                                            "sheet": sheet})


@role_required(*TEAM)
def dashboard(request):
    calls = Call.objects.annotate(
        total=Count("applications"),
        instruction=Count("applications", filter=Q(applications__state=State.EN_INSTRUCTION)),
        construction=Count("applications", filter=Q(applications__state=State.EN_CONSTRUCTION)),
        accepted=Count("applications", filter=Q(applications__state=State.ACCEPTE)),
        refused=Count("applications", filter=Q(applications__state__in=[State.REFUSE, State.SANS_SUITE])),
        requested=Sum("applications__budget"))
    latest = MonthlyReport.objects.filter(application=OuterRef("pk")).order_by("-month")
    budget = BudgetVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    laureates = list(Application.objects.filter(state=State.ACCEPTE)
                     .select_related("call", "decision", "coaching__technical_coach", "coaching__business_coach")
                     .annotate(done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
                               milestones_total=Count("milestones", distinct=True),
                               last_status=Subquery(latest.values("status")[:1]),
                               last_month=Subquery(latest.values("month")[:1]),
                               consumed=Subquery(latest.values("budget_consumed")[:1]),
                               budget_amount=Subquery(budget.values("amount")[:1]),
                               budget_number=Subquery(budget.values("number")[:1])))
    statuses = dict(MonthlyReport.Status.choices)
    for app in laureates:
        app.last_status_label = statuses.get(app.last_status, "")
        if app.budget_amount is None:  # no follow-up yet: what version 1 will be
            decision = getattr(app, "decision", None)
            app.budget_amount = decision.amount if decision is not None and decision.amount else app.budget
        app.consumed_share = services.consumed_share(app.consumed, app.budget_amount)
    return render_page(request, "programme/dashboard.html", {"title": "Tableau de bord du programme", "calls": calls,
                                                         "laureates": laureates})


@role_required(*TEAM)
def call_edit(request, slug=None):
    call = get_object_or_404(Call, slug=slug) if slug else None
    form = f.CallForm(request.POST or None, instance=call)
    formset = f.CriterionFormSet(request.POST or None, instance=call or Call(), prefix="criteres")
    meetings = f.MeetingFormSet(request.POST or None, instance=call or Call(), prefix="reunions")
    if request.method == "POST" and form.is_valid() and formset.is_valid() and meetings.is_valid():
        with transaction.atomic():
            saved = form.save()
            formset.instance = meetings.instance = saved
            formset.save()
            meetings.save()
            record("programme_appel_modifie" if call else "programme_appel_cree", request=request, obj=saved,
                   reunions=saved.meetings.count())
        messages.success(request, "Appel enregistré.")
        return redirect("programme:call_public", slug=saved.slug)
    registrations = []
    if call is not None:
        registrations = list(call.meetings.prefetch_related(
            Prefetch("registrations", queryset=Registration.objects.order_by("created_at", "id"))))
    return render_page(request, "programme/call_form.html", {
        "title": "Modifier l'appel" if call else "Créer un appel", "form": form, "formset": formset,
        "meetings": meetings, "call": call, "registrations": registrations},
        status=400 if request.method == "POST" else 200)
