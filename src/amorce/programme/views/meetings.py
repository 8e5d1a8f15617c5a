"""Information meetings: registration of the public (capacity checked under a lock)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import forms as f
from ..models import (
    InfoMeeting,
    Registration,
)
from .common import render_page


@login_not_required
@require_POST
def meeting_register(request, slug, pk):
    meeting = get_object_or_404(InfoMeeting, pk=pk, call__slug=slug, call__published=True)
    form = f.RegistrationForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                # counted inside the (IMMEDIATE on SQLite) transaction: no overbooking under concurrency
                locked = InfoMeeting.objects.select_for_update().get(pk=meeting.pk)
                if locked.registrations.count() >= locked.capacity:
                    messages.error(request, "La réunion d'information est complète : plus aucune place disponible.")
                    return redirect("programme:call_public", slug=slug)
                Registration.objects.create(meeting=locked, **form.cleaned_data)
        except IntegrityError:
            messages.warning(request, "Cette adresse électronique est déjà inscrite à cette réunion.")
        else:
            messages.success(request, "Inscription enregistrée.")
        return redirect("programme:call_public", slug=slug)
    call = meeting.call
    meetings = list(call.meetings.annotate(registered=Count("registrations")))
    for m in meetings:
        m.left = max(0, m.capacity - m.registered)
    return render_page(request, "programme/call_public.html", {
        "title": call.title, "call": call, "meetings": meetings, "form": form, "criteria": call.criteria.all(),
        "total_weight": sum(c.weight for c in call.criteria.all())}, status=400)
