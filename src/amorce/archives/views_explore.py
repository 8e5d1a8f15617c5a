"""Pages to explore a collection: search and filters, a photo with its text, its faces and people to
review (``DIFF``) and « plus comme celle-ci »; launching the OCR and rights jobs."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from amorce.web import jobs
from amorce.web.audit import record
from amorce.web.roles import Role, has_role

from . import services_explore as explore
from .models import Collection, Photo
from .models_explore import PhotoAnalysis
from .views import REVIEWERS, _render, reader_required

FILTER_KEYS = ("q", "auteur", "de", "a", "texte", "droits", "doublons")
PER_PAGE = 24


@reader_required
def search(request, name: str):
    from .ocr import tesseract_status

    collection = get_object_or_404(Collection, name=name)
    explore.refresh(collection)
    filters = explore.parse_filters(request.GET)
    for error in filters.errors:
        messages.error(request, error)
    page = Paginator(explore.filter_photos(collection, filters), PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode([(k, request.GET[k]) for k in FILTER_KEYS if request.GET.get(k)])
    return _render(request, "archives/search.html", {
        "collection": collection, "filters": filters, "page": page, "query": query,
        "creators": explore.creators(collection), "flags": PhotoAnalysis.Flag.choices,
        "can_run": has_role(request.user, Role.RESPONSABLE_COLLECTIONS), "ocr_unavailable": tesseract_status()})


@reader_required
def launch(request, name: str):
    """POST: queue the OCR (``action=ocr``) or the rights (``action=droits``) job of a collection."""
    from .ocr import tesseract_status

    collection = get_object_or_404(Collection, name=name)
    if request.method != "POST" or not has_role(request.user, Role.RESPONSABLE_COLLECTIONS):
        raise Http404
    action = request.POST.get("action")
    if action == "ocr":
        reason = tesseract_status()
        if reason:
            messages.error(request, reason)
            return redirect("archives:search", name=collection.name)
        job = jobs.enqueue("archives.ocr", {"collection_id": collection.pk}, user=request.user,
                           label=f"Lecture du texte des images — {collection}")
    elif action == "droits":
        job = jobs.enqueue("archives.droits", {"collection_id": collection.pk}, user=request.user,
                           label=f"Visages et personnes à vérifier — {collection}")
    else:
        messages.error(request, "Action inconnue.")
        return redirect("archives:search", name=collection.name)
    return redirect("jobs:detail", pk=job.pk)


@reader_required
def photo(request, pk: int):
    from .rights import DIFF_CHOICES

    item = get_object_or_404(Photo.objects.select_related("collection"), pk=pk)
    explore.refresh(item.collection)
    analysis = PhotoAnalysis.objects.select_related("rights_reviewed_by").filter(photo=item).first()
    can_review = has_role(request.user, *REVIEWERS)
    if request.method == "POST":
        if not can_review or analysis is None:
            raise Http404
        status = request.POST.get("diff", "")
        if status not in DIFF_CHOICES:
            messages.error(request, "Choisissez l'une des valeurs proposées pour le champ DIFF.")
            return redirect("archives:photo", pk=item.pk)
        previous = analysis.rights_status
        explore.confirm_rights(analysis, status, request.user)
        record("archives_droits_diff", request=request, obj=item, diff=status, previous=previous,
               suggestion=analysis.rights_suggestion, flag=analysis.rights_flag)
        messages.success(request, f"Statut DIFF enregistré : « {status} ».")
        return redirect("archives:photo", pk=item.pk)
    boxes, width, height = [], item.width or 100, item.height or 100
    if analysis and analysis.rights_boxes:
        for label, kind in (("Visage", "faces"), ("Personne", "people")):
            for found in analysis.rights_boxes.get(kind, []):
                x, y, w, h = found["box"]
                boxes.append({"label": label, "score": found["score"], "x": round(x * width), "y": round(y * height),
                              "w": round(w * width), "h": round(h * height)})
    return _render(request, "archives/photo.html", {
        "photo": item, "collection": item.collection, "analysis": analysis, "boxes": boxes,
        "width": width, "height": height, "stroke": max(2, round(max(width, height) / 150)),
        "metadata": sorted((item.metadata or {}).items()), "similar": explore.similar_photos(item),
        "can_review": can_review, "choices": DIFF_CHOICES,
        "selected": (analysis.rights_status or analysis.rights_suggestion) if analysis else ""})
