"""Instruction of one dossier: detail page, eligibility, state changes, jury assignment, decision, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from amorce.web.forms import errors_to_messages
from amorce.web.roles import has_role, role_required

from .. import forms as f
from .. import services
from ..errors import ProgrammeError
from ..models import (
    Application,
    Attachment,
    State,
)
from .common import STAFF, TEAM, is_staff, render_page


def _staff_dossier(request, reference):
    if not is_staff(request.user):
        raise PermissionDenied("Votre rôle ne permet pas d'accéder à cette page.")
    return get_object_or_404(Application.objects.select_related("call"), reference=reference)


@role_required(*STAFF)
def dossier_detail(request, reference):
    app = _staff_dossier(request, reference)
    assignments = app.assignments.select_related("reviewer").prefetch_related("scores__criterion")
    criteria = list(app.call.criteria.all())
    services.name_disagreements(app, criteria)
    return render_page(request, "programme/dossier_detail.html", {
        "title": f"Dossier {app.reference}", "app": app, "history": app.history.select_related("by"),
        "assessment": services.assessment_of(app), "assignments": assignments, "conflicts": app.conflicts.select_related("reviewer"),
        "attachments": app.attachments.all(), "criteria": criteria,
        "eligibility_form": f.EligibilityForm(automatic=app.eligibility_auto, initial={
            "eligible": "oui" if app.is_eligible else "non", "note": app.eligibility_note}),
        "transition_form": f.TransitionForm(), "assign_form": f.AssignForm(),
        "attachment_form": f.AttachmentForm(), "decision_form": f.DecisionForm(),
        "is_team": has_role(request.user, *TEAM), "decision": getattr(app, "decision", None)})


def _back_with_errors(request, app, form):
    errors_to_messages(request, form)
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*STAFF)
def dossier_eligibility(request, reference):
    app = _staff_dossier(request, reference)
    form = f.EligibilityForm(request.POST, automatic=app.eligibility_auto)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    services.confirm_eligibility(app, eligible=form.cleaned_data["eligible"], note=form.cleaned_data["note"],
                                 user=request.user, request=request)
    messages.success(request, "Éligibilité enregistrée.")
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*STAFF)
def dossier_transition(request, reference):
    app = _staff_dossier(request, reference)
    form = f.TransitionForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    try:
        services.change_state(app, form.cleaned_data["to"], form.cleaned_data["comment"], user=request.user,
                              request=request)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Dossier passé « {app.get_state_display()} ».")
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*STAFF)
def dossier_assign(request, reference):
    app = _staff_dossier(request, reference)
    form = f.AssignForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    try:
        created = services.assign_reviewer(app, form.cleaned_data["reviewer"], user=request.user, request=request)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Membre du jury désigné." if created else "Ce membre du jury était déjà désigné.")
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*TEAM)
def dossier_decide(request, reference):
    app = _staff_dossier(request, reference)
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    d = form.cleaned_data
    try:
        services.decide(app, d["decision"], d["motivation"], user=request.user, amount=d.get("amount"),
                        run=app.call.selection_runs.exclude(result={}).first(), request=request)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Décision enregistrée ; le courrier est disponible.")
    return redirect("programme:dossier_detail", reference=app.reference)


def _can_read_dossier(user, app: Application) -> bool:
    if is_staff(user) or (app.owner_id and app.owner_id == user.pk):
        return True
    return Application.objects.for_reviewer(user).filter(pk=app.pk).exists()


@require_POST
def attachment_upload(request, reference):
    app = get_object_or_404(Application, reference=reference)
    owner = app.owner_id == request.user.pk
    if not (is_staff(request.user) or (owner and app.state == State.EN_CONSTRUCTION)):
        raise PermissionDenied("Vous ne pouvez pas ajouter de pièce à ce dossier.")
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.save_attachment(app, form.cleaned_data["file"], form.cleaned_data["label"], request.user)
        messages.success(request, "Pièce jointe ajoutée.")
    else:
        errors_to_messages(request, form)
    target = "programme:dossier_detail" if is_staff(request.user) else "programme:my_application"
    return redirect(target, reference=app.reference)


def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not _can_read_dossier(request.user, attachment.application):
        raise PermissionDenied("Vous n'avez pas accès à ce dossier.")
    content_type = {"pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text",
                    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[attachment.kind]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, content_type=content_type,
                        filename=attachment.original_name)
