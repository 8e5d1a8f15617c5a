"""Instruction of one dossier: detail page, eligibility, state changes, jury assignment, decision, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from amorce.core.errors import AmorceError
from amorce.web.audit import record
from amorce.web.roles import has_role, role_required

from .. import forms as f
from .. import services
from ..models import (
    Application,
    Attachment,
    ReviewAssignment,
    State,
    TransitionError,
)
from .common import STAFF, TEAM, is_staff, render_page


def _staff_dossier(request, reference):
    if not is_staff(request.user):
        raise PermissionDenied("Votre rôle ne permet pas d'accéder à cette page.")
    return get_object_or_404(Application.objects.select_related("call"), reference=reference)


@role_required(*STAFF)
def dossier_detail(request, reference):
    from ..assessment import assess, validate_answers

    app = _staff_dossier(request, reference)
    assessment = assess(app.aia_answers) if app.aia_answers and not validate_answers(app.aia_answers).problems \
        else None
    assignments = app.assignments.select_related("reviewer").prefetch_related("scores__criterion")
    return render_page(request, "programme/dossier_detail.html", {
        "title": f"Dossier {app.reference}", "app": app, "history": app.history.select_related("by"),
        "assessment": assessment, "assignments": assignments, "conflicts": app.conflicts.select_related("reviewer"),
        "attachments": app.attachments.all(), "criteria": app.call.criteria.all(),
        "eligibility_form": f.EligibilityForm(automatic=app.eligibility_auto, initial={
            "eligible": "oui" if app.is_eligible else "non", "note": app.eligibility_note}),
        "transition_form": f.TransitionForm(), "assign_form": f.AssignForm(),
        "attachment_form": f.AttachmentForm(), "decision_form": f.DecisionForm(),
        "is_team": has_role(request.user, *TEAM), "decision": getattr(app, "decision", None)})


def _back_with_errors(request, app, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*STAFF)
def dossier_eligibility(request, reference):
    app = _staff_dossier(request, reference)
    form = f.EligibilityForm(request.POST, automatic=app.eligibility_auto)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    with transaction.atomic():
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
        with transaction.atomic():
            app.transition(form.cleaned_data["to"], by=request.user, comment=form.cleaned_data["comment"])
            record("programme_changement_etat", request=request, obj=app, to=form.cleaned_data["to"])
    except TransitionError as exc:
        messages.error(request, str(exc))
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
    reviewer = form.cleaned_data["reviewer"]
    if app.conflicts.filter(reviewer=reviewer).exists():
        messages.error(request, f"{reviewer.username} a déclaré un conflit d'intérêts sur ce dossier.")
    else:
        with transaction.atomic():
            _, created = ReviewAssignment.objects.get_or_create(application=app, reviewer=reviewer,
                                                                defaults={"assigned_by": request.user})
            record("programme_attribution", request=request, obj=app, reviewer=reviewer.username)
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
        with transaction.atomic():
            services.decide(app, d["decision"], d["motivation"], user=request.user, amount=d.get("amount"),
                            run=app.call.selection_runs.exclude(result={}).first(), request=request)
    except (TransitionError, ValidationError, AmorceError) as exc:
        messages.error(request, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)])))
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
        with transaction.atomic():
            services.save_attachment(app, form.cleaned_data["file"], form.cleaned_data["label"], request.user)
        messages.success(request, "Pièce jointe ajoutée.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
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
