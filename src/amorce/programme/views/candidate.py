"""Candidate deposit: the applicant's dossiers, the step-by-step form and the submission."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from amorce.web.roles import Role, role_required

from .. import forms as f
from .. import services
from ..errors import ProgrammeError
from ..models import Application, Call, State
from .common import render_page


def _own_dossier(request, reference) -> Application:
    return get_object_or_404(Application.objects.select_related("call"), reference=reference, owner=request.user)


@role_required(Role.CANDIDAT)
def my_applications(request):
    apps = Application.objects.filter(owner=request.user).select_related("call").order_by("-updated_at")
    calls = Call.objects.filter(published=True, opens__lte=timezone.localdate(), closes__gte=timezone.localdate())
    return render_page(request, "programme/my_applications.html", {"title": "Mes candidatures", "apps": apps,
                                                                   "open_calls": calls})


@role_required(Role.CANDIDAT)
def my_application(request, reference):
    app = _own_dossier(request, reference)
    return render_page(request, "programme/my_application.html", {
        "title": f"Candidature {app.reference}", "app": app, "history": app.history.all(),
        "attachments": app.attachments.all(), "attachment_form": f.AttachmentForm(),
        "decision": getattr(app, "decision", None), "steps": [s.title_fr for s in f.STEPS]})


@require_POST
@role_required(Role.CANDIDAT)
def application_start(request, slug):
    call = get_object_or_404(Call, slug=slug, published=True)
    try:
        app = services.start_application(call, request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
        return redirect("programme:call_public", slug=slug)
    return redirect("programme:application_step", reference=app.reference, step=1)


@role_required(Role.CANDIDAT)
def application_step(request, reference, step):
    app = _own_dossier(request, reference)
    if app.state != State.EN_CONSTRUCTION:
        messages.error(request, "Ce dossier est déposé : il ne peut plus être modifié.")
        return redirect("programme:my_application", reference=reference)
    if not 1 <= step <= len(f.STEPS):
        raise Http404
    step_class = f.STEPS[step - 1]
    kwargs = {"instance": app} if issubclass(step_class, f.forms.ModelForm) else {}
    form = step_class(request.POST or None, initial=f.step_initial(step_class, app), **kwargs)
    if request.method == "POST" and form.is_valid():
        f.apply_step(form, app)
        services.complete_step(app, step)
        if step < len(f.STEPS):
            messages.success(request, "Étape enregistrée (brouillon).")
            return redirect("programme:application_step", reference=reference, step=step + 1)
        return redirect("programme:application_submit", reference=reference)
    return render_page(request, "programme/application_step.html", {
        "title": f"Candidature {app.reference} — {step_class.title_fr}", "app": app, "form": form, "step": step,
        "steps": [(i, s.title_fr) for i, s in enumerate(f.STEPS, start=1)], "total": len(f.STEPS)},
        status=400 if request.method == "POST" else 200)


@role_required(Role.CANDIDAT)
def application_submit(request, reference):
    app = _own_dossier(request, reference)
    missing = services.missing_steps(app, [s.title_fr for s in f.STEPS])
    services.refresh_automatic_checks(app)
    if request.method == "POST":
        try:
            services.submit_application(app, missing, user=request.user, request=request)
        except ProgrammeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Votre dossier est déposé : il passe en instruction.")
            return redirect("programme:my_application", reference=reference)
    return render_page(request, "programme/application_submit.html", {
        "title": f"Dépôt de la candidature {app.reference}", "app": app, "missing": missing,
        "assessment": services.assessment_of(app)})
