"""Information meetings: registration of the public (capacity checked under a lock)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import services
from ..errors import AlreadyDoneError, ProgrammeError
from ..models import InfoMeeting
from .calls import call_page_context
from .common import render_page


@login_not_required
@require_POST
def meeting_register(request, slug, pk):
    meeting = get_object_or_404(InfoMeeting.objects.select_related("call"), pk=pk, call__slug=slug,
                                call__published=True)
    form = f.RegistrationForm(request.POST)
    if not form.is_valid():
        return render_page(request, "programme/call_public.html", call_page_context(request, meeting.call, form),
                           status=400)
    try:
        services.register_for_meeting(meeting, form.cleaned_data)
    except AlreadyDoneError as exc:
        messages.warning(request, exc.message)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Inscription enregistrée.")
    return redirect("programme:call_public", slug=slug)
