"""User tests of laureates' services: campaigns, sessions and SUS questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from amorce.web.roles import role_required

from .. import forms as f
from .. import services
from ..errors import ProgrammeError
from ..models import Application, State, UserTestCampaign
from .common import TEAM, render_page


@role_required(*TEAM)
def campaign_create(request, reference):
    app = get_object_or_404(Application, reference=reference, state=State.ACCEPTE)
    if request.method == "POST":
        try:
            campaign = services.create_campaign(app, request.POST.get("title"), user=request.user)
        except ProgrammeError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("programme:campaign", pk=campaign.pk)
    return redirect("programme:follow_up", reference=reference)


@role_required(*TEAM)
def campaign(request, pk):
    from ..sus import ITEMS_FR

    campaign = get_object_or_404(UserTestCampaign.objects.select_related("application"), pk=pk)
    form = f.SusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.record_test_session(campaign, participant=d["participant"], held_on=d["held_on"],
                                     comment=d["comment"], tasks_done=d["tasks_done"], tasks_total=d["tasks_total"],
                                     answers=form.answers())
        messages.success(request, "Séance enregistrée.")
        return redirect("programme:campaign", pk=campaign.pk)
    sessions, summary, success = services.campaign_results(campaign)
    return render_page(request, "programme/campaign.html", {
        "title": campaign.title, "campaign": campaign, "sessions": sessions, "summary": summary, "success": success,
        "form": form, "items": ITEMS_FR}, status=400 if request.method == "POST" else 200)
