"""Pages to explore a collection: search and filters, a photo with its text, its faces and people to
review (``DIFF``) and « plus comme celle-ci »; launching the OCR and rights jobs."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from amorce.web import jobs
from amorce.web.roles import Role, has_role

from . import services_explore as explore
from .errors import SourceError
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
    photos = explore.filter_photos(collection, filters)
    backbone, _reason = explore.backbone_status()
    description = (request.GET.get("decrire") or "").strip()[:300] if backbone else ""
    scores = {}
    if description:
        try:
            ranked = explore.describe(collection, description, photos, filtered=filters.active())
        except SourceError as exc:
            messages.error(request, exc.message)
            ranked = []
        scores = {p.pk: s for p, s in ranked}
        photos = [p for p, _s in ranked]
    page = Paginator(photos, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode([(k, request.GET[k]) for k in (*FILTER_KEYS, "decrire") if request.GET.get(k)])
    return _render(request, "archives/search.html", {
        "collection": collection, "filters": filters, "page": page, "query": query,
        "creators": explore.creators(collection), "flags": PhotoAnalysis.Flag.choices,
        "backbone": backbone, "description": description, "scores": scores,
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
        explore.confirm_rights(analysis, status, request.user, request=request)
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
        "cluster": explore.cluster_of(item),
        "can_review": can_review, "choices": DIFF_CHOICES,
        "selected": (analysis.rights_status or analysis.rights_suggestion) if analysis else ""})


# ------------------------------------------------------------------------------ clusters and the 2-D map
MAX_K_FORM = 100


@reader_required
def clusters(request, name: str):
    """The collection's clusters (size, representative thumbnails) and its 2-D map; POST (cataloguers):
    compute them again as a job, with the chosen number of clusters (empty: the stated rule) and seed."""
    from amorce.core.charts import Dot, scatter_plot

    from . import explore as pure

    collection = get_object_or_404(Collection, name=name)
    can_compute = has_role(request.user, *REVIEWERS)
    if request.method == "POST":
        if not can_compute:
            raise Http404
        k_text, seed_text = request.POST.get("k", "").strip(), request.POST.get("graine", "0").strip() or "0"
        if (k_text and not (k_text.isdigit() and 2 <= int(k_text) <= pure.MAX_K)) or not seed_text.isdigit() \
                or int(seed_text) > 2**31 - 1:
            messages.error(request, f"Nombre de regroupements : un entier de 2 à {pure.MAX_K}, ou vide pour la règle "
                                    "automatique ; graine : un entier positif.")
            return redirect("archives:clusters", name=name)
        job = jobs.enqueue("archives.regroupements", {"collection_id": collection.pk, "k": int(k_text) if k_text
                                                      else None, "seed": int(seed_text)}, user=request.user,
                           label=f"Regroupements et carte — {collection}")
        return redirect("jobs:detail", pk=job.pk)
    result = explore.clustering(collection)
    context = {"collection": collection, "result": result, "can_compute": can_compute,
               "map_limit": pure.MAP_POINTS, "default_k": pure.default_k(max(2, (collection.n_images or 0) - (collection.n_errors or 0)))}
    if result is not None:
        points = explore.map_points(collection, result)
        context["clusters"] = explore.cluster_overview(collection, result)
        context["points"] = points
        context["sampled"] = len(result.keys) > pure.MAP_POINTS
        if points:
            from django.urls import reverse

            context["chart"] = scatter_plot(
                [Dot(p["x"], p["y"], p["cluster"] - 1, f"{p['photo'].key} — regroupement {p['cluster']}",
                     reverse("archives:photo", args=[p["photo"].pk])) for p in points],
                title=f"Carte de la collection « {collection} »",
                desc=f"{len(points)} images placées selon les deux premières composantes principales de leurs "
                     "caractéristiques ; chaque regroupement a sa couleur et sa forme. Le tableau qui suit donne "
                     "les mêmes points.",
                x_label="Première composante", y_label="Deuxième composante",
                legend={c: f"Regroupement {c + 1}" for c in range(min(result.k, 12))})
    return _render(request, "archives/clusters.html", context)


@reader_required
def cluster(request, name: str, number: int):
    """The photos of one cluster; cataloguers accept or reject a term's proposals for the whole
    cluster, or give a term to the ticked photos (``services_explore.review_cluster``, audited)."""
    from .models_labels import Term

    collection = get_object_or_404(Collection, name=name)
    result = explore.clustering(collection)
    if result is None or not 1 <= number <= result.k:
        raise Http404
    terms = Term.objects.filter(thesaurus__collection=collection)
    can_label = has_role(request.user, *REVIEWERS)
    if request.method == "POST":
        if not can_label:
            raise Http404
        term_id = request.POST.get("terme", "")
        term = terms.filter(pk=int(term_id)).first() if term_id.isdigit() else None
        if term is None:
            messages.error(request, "Choisissez un terme du thésaurus.")
            return redirect("archives:cluster", name=name, number=number)
        action = request.POST.get("action", "")
        photo_ids = [x for x in request.POST.getlist("photo") if x.isdigit()]
        try:
            count = explore.review_cluster(collection, number, term, action, request.user, photo_ids=photo_ids,
                                           request=request)
        except SourceError as exc:
            messages.error(request, exc.message)
        else:
            done = {"accepter": "proposition(s) acceptée(s)", "rejeter": "proposition(s) rejetée(s)",
                    "etiqueter": "image(s) étiquetée(s)"}[action]
            if count:
                messages.success(request, f"{count} {done} « {term.label} » dans le regroupement {number}.")
            else:
                messages.info(request, f"Aucune proposition de « {term.label} » à décider dans ce regroupement.")
        return redirect("archives:cluster", name=name, number=number)
    ids = explore.cluster_photo_ids(collection, result, number)
    page = Paginator(ids, 48).get_page(request.GET.get("page"))
    by_id = {p.pk: p for p in Photo.objects.filter(pk__in=list(page.object_list))}
    photos = [by_id[i] for i in page.object_list if i in by_id]
    proposals = explore.proposal_counts(ids)
    return _render(request, "archives/cluster.html", {
        "collection": collection, "number": number, "result": result, "page": page, "photos": photos,
        "size": len(ids), "terms": [(t, proposals.get(t.pk, 0)) for t in terms], "can_label": can_label})
