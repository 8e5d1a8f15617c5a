"""User tests of laureates' services: campaigns, sessions and SUS questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect

from amorce.web.roles import role_required

from .. import forms as f
from ..models import (
    Application,
    State,
    SusAnswer,
    UserTestCampaign,
    UserTestSession,
)
from .common import TEAM, render_page


@role_required(*TEAM)
def campaign_create(request, reference):
    app = get_object_or_404(Application, reference=reference, state=State.ACCEPTE)
    if request.method == "POST":
        title = (request.POST.get("title") or "").strip()
        if not title:
            messages.error(request, "Donnez un intitulé à la campagne.")
        else:
            with transaction.atomic():
                campaign = UserTestCampaign.objects.create(application=app, title=title[:300], created_by=request.user)
            return redirect("programme:campaign", pk=campaign.pk)
    return redirect("programme:follow_up", reference=reference)


@role_required(*TEAM)
def campaign(request, pk):
    from ..sus import ITEMS_FR, summarise, sus_score, task_success

    campaign = get_object_or_404(UserTestCampaign.objects.select_related("application"), pk=pk)
    form = f.SusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        answers = form.answers()
        with transaction.atomic():
            session = UserTestSession.objects.create(
                campaign=campaign, participant=d["participant"], held_on=d["held_on"], comment=d["comment"],
                task_results=[True] * d["tasks_done"] + [False] * (d["tasks_total"] - d["tasks_done"]))
            SusAnswer.objects.create(session=session, answers=answers, score=sus_score(answers))
        messages.success(request, "Séance enregistrée.")
        return redirect("programme:campaign", pk=campaign.pk)
    sessions = list(campaign.sessions.select_related("sus"))
    summary = summarise([s.sus.answers for s in sessions if hasattr(s, "sus")])
    success = task_success([ok for s in sessions for ok in s.task_results])
    return render_page(request, "programme/campaign.html", {
        "title": campaign.title, "campaign": campaign, "sessions": sessions, "summary": summary, "success": success,
        "form": form, "items": ITEMS_FR}, status=400 if request.method == "POST" else 200)
