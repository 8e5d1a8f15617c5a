"""Decision letters and the applicant's explanation (R311-3-1-2)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from amorce.web.audit import record_access

from .. import services
from ..models import (
    Application,
)
from .common import is_staff, render_page


def _decided_dossier(request, reference):
    app = get_object_or_404(Application.objects.select_related("call", "decision"), reference=reference)
    if not (is_staff(request.user) or (app.owner_id and app.owner_id == request.user.pk)):
        raise PermissionDenied("Vous n'avez pas accès à ce dossier.")
    if not hasattr(app, "decision"):
        raise Http404("Aucune décision n'a encore été prise sur ce dossier.")
    return app


def letter(request, reference):
    app = _decided_dossier(request, reference)
    letter = services.letter_for(app)
    paragraphs = letter.paragraphs()
    return render_page(request, "programme/letter.html", {"title": letter.subject, "app": app, "letter": letter,
                                                      "body": paragraphs[:-1], "mention": paragraphs[-1]})


def letter_pdf(request, reference):
    from ..letters import render_letter_pdf

    app = _decided_dossier(request, reference)
    data = render_letter_pdf(services.letter_for(app), explanation=services.applicant_explanation_for(app))
    record_access("programme_courrier_telecharge", request=request, obj=app)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{app.reference}.pdf"'
    return response


def letter_html_file(request, reference):
    from ..letters import render_letter_html

    app = _decided_dossier(request, reference)
    html = render_letter_html(services.letter_for(app), explanation=services.applicant_explanation_for(app))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decision-{app.reference}.html"'
    return response


def explanation(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference)
    if not (is_staff(request.user) or (app.owner_id and app.owner_id == request.user.pk)):
        raise PermissionDenied("Vous n'avez pas accès à ce dossier.")
    expl = services.applicant_explanation_for(app)
    if expl is None:
        raise Http404("Ce dossier n'a pas encore été évalué par le jury.")
    record_access("programme_explication_demandee", request=request, obj=app)
    return render_page(request, "programme/explanation.html", {"title": f"Explication — {app.reference}", "app": app,
                                                           "explanation_html": expl.to_html()})
