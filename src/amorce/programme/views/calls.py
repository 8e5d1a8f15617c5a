"""Calls: the public pages (list, call, laureates, transparency), the programme team's dashboard and call editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect

from amorce.web.roles import Role, can_access_usecase, has_role, role_required

from .. import forms as f
from .. import services
from ..models import Application, Call, Registration, State
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


def call_page_context(request, call: Call, form) -> dict:
    """What the public page of a call shows (also after a refused registration)."""
    criteria = call.criteria.all()
    return {"title": call.title, "call": call, "meetings": services.meetings_with_places(call), "form": form,
            "criteria": criteria, "total_weight": sum(c.weight for c in criteria),
            "can_apply": has_role(request.user, Role.CANDIDAT) and call.is_open}


@login_not_required
def call_public(request, slug):
    call = get_object_or_404(Call.objects.prefetch_related("criteria"), slug=slug, published=True)
    return render_page(request, "programme/call_public.html", call_page_context(request, call, f.RegistrationForm()))


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
    constraints = services.run_constraints(call.selection_runs.exclude(result={}).first(), call)
    sheet = transparency_sheet_html(call.title, call.administration, call.pure_criteria(), constraints)
    return render_page(request, "programme/transparency.html", {"title": "Fiche de transparence", "call": call,
                                                                "sheet": sheet})


@role_required(*TEAM)
def dashboard(request):
    return render_page(request, "programme/dashboard.html", {
        "title": "Tableau de bord du programme", "calls": services.call_counts(),
        "laureates": services.laureates_follow_up()})


@role_required(*TEAM)
def call_edit(request, slug=None):
    call = get_object_or_404(Call, slug=slug) if slug else None
    form = f.CallForm(request.POST or None, instance=call)
    formset = f.CriterionFormSet(request.POST or None, instance=call or Call(), prefix="criteres")
    meetings = f.MeetingFormSet(request.POST or None, instance=call or Call(), prefix="reunions")
    if request.method == "POST" and form.is_valid() and formset.is_valid() and meetings.is_valid():
        saved = services.save_call(form, formset, meetings, user=request.user, request=request)
        messages.success(request, "Appel enregistré." if saved.published
                         else "Appel enregistré (non publié : les candidats ne le voient pas encore).")
        return redirect("programme:call_edit", slug=saved.slug)  # the management page, published or not
    registrations = []
    if call is not None:
        registrations = list(call.meetings.prefetch_related(
            Prefetch("registrations", queryset=Registration.objects.order_by("created_at", "id"))))
    return render_page(request, "programme/call_form.html", {
        "title": "Modifier l'appel" if call else "Créer un appel", "form": form, "formset": formset,
        "meetings": meetings, "call": call, "registrations": registrations},
        status=400 if request.method == "POST" else 200)
