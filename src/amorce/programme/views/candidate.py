"""Candidate deposit: the applicant's dossiers, the step-by-step form and the submission."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from amorce.web.audit import record
from amorce.web.roles import Role, role_required

from .. import forms as f
from .. import services
from ..models import (
    Application,
    Call,
    State,
)
from .common import render_page


@role_required(Role.CANDIDAT)
def my_applications(request):
    apps = Application.objects.filter(owner=request.user).select_related("call").order_by("-updated_at")
    calls = Call.objects.filter(published=True, opens__lte=timezone.localdate(), closes__gte=timezone.localdate())
    return render_page(request, "programme/my_applications.html", {"title": "Mes candidatures", "apps": apps,
                                                               "open_calls": calls})


@role_required(Role.CANDIDAT)
def my_application(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, owner=request.user)
    return render_page(request, "programme/my_application.html", {
        "title": f"Candidature {app.reference}", "app": app, "history": app.history.all(),
        "attachments": app.attachments.all(), "attachment_form": f.AttachmentForm(),
        "decision": getattr(app, "decision", None), "steps": [s.title_fr for s in f.STEPS]})


@require_POST
@role_required(Role.CANDIDAT)
def application_start(request, slug):
    call = get_object_or_404(Call, slug=slug, published=True)
    if not call.is_open:
        messages.error(request, "Cet appel n'est pas ouvert aux candidatures.")
        return redirect("programme:call_public", slug=slug)
    with transaction.atomic():
        count = Application.objects.filter(call=call).count() + 1
        reference = f"{call.slug.upper()[:20]}-{count:04d}"
        while Application.objects.filter(reference=reference).exists():
            count += 1
            reference = f"{call.slug.upper()[:20]}-{count:04d}"
        app = Application.objects.create(call=call, reference=reference, owner=request.user, structure="",
                                         structure_kind="", siret="", ministry="", title="", use_case_family="")
        app.history.create(from_state="", to_state=State.EN_CONSTRUCTION, by=request.user,
                           comment="Brouillon créé.")
    return redirect("programme:application_step", reference=app.reference, step=1)


@role_required(Role.CANDIDAT)
def application_step(request, reference, step):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, owner=request.user)
    if app.state != State.EN_CONSTRUCTION:
        messages.error(request, "Ce dossier est déposé : il ne peut plus être modifié.")
        return redirect("programme:my_application", reference=reference)
    if not 1 <= step <= len(f.STEPS):
        raise Http404
    step_class = f.STEPS[step - 1]
    kwargs = {"instance": app} if issubclass(step_class, f.forms.ModelForm) else {}
    form = step_class(request.POST or None, initial=f.step_initial(step_class, app), **kwargs)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            f.apply_step(form, app)
            app.draft_step = max(app.draft_step, step + 1)
            services.refresh_automatic_checks(app)  # impact level and eligibility, shown before submitting
            app.save()
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
    from ..assessment import assess, validate_answers

    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, owner=request.user)
    missing = [title for i, (title) in enumerate(s.title_fr for s in f.STEPS) if app.draft_step <= i + 1]
    services.refresh_automatic_checks(app)
    assessment = assess(app.aia_answers) if app.aia_answers and not validate_answers(app.aia_answers).problems \
        else None
    if request.method == "POST":
        if missing:
            messages.error(request, "Complétez d'abord toutes les étapes : " + ", ".join(missing) + ".")
        elif app.state != State.EN_CONSTRUCTION:
            messages.error(request, "Ce dossier est déjà déposé.")
        else:
            with transaction.atomic():
                app.submitted_on = timezone.localdate()
                services.refresh_automatic_checks(app)
                app.save()
                app.transition(State.EN_INSTRUCTION, by=request.user, comment="Dossier déposé par le candidat.")
                record("programme_depot", request=request, obj=app)
            messages.success(request, "Votre dossier est déposé : il passe en instruction.")
            return redirect("programme:my_application", reference=reference)
    return render_page(request, "programme/application_submit.html", {
        "title": f"Dépôt de la candidature {app.reference}", "app": app, "missing": missing,
        "assessment": assessment})
