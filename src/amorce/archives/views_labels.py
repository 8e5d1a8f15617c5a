"""Pages of the institution's vocabulary: the collection's thesaurus (import), labelling a term
(images to label next by active learning), reviewing the model's proposals, training, exports.

Views parse, check roles and render; ``services`` does the work. Nothing becomes « accepté » without
a person: every POST here is a person's decision, recorded with them and in the audit log.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from amorce.core.errors import AmorceError
from amorce.web.audit import record_access
from amorce.web.roles import Role, has_role
from amorce.web.uploads import checked_copies

from . import services
from .exports import FORMATS, MEDIA_TYPES, SUFFIXES
from .models import Collection
from .models_labels import PhotoTerm, Term, Thesaurus
from .views import REVIEWERS, _render, reader_required

CATALOGUERS = REVIEWERS  # documentalists, curators, administrators: label, review, train, export
CURATORS = (Role.RESPONSABLE_COLLECTIONS, Role.ADMINISTRATEUR)
MAX_THESAURUS_BYTES = 20_000_000


def _require(request, *roles) -> None:
    if not has_role(request.user, *roles):
        raise PermissionDenied


def _ids(request, name: str) -> list[int]:
    return [int(x) for x in request.POST.getlist(name) if x.isdigit()]


def _term(name: str, pk: int) -> Term:
    return get_object_or_404(Term.objects.select_related("thesaurus__collection"), pk=pk,
                             thesaurus__collection__name=name)


@reader_required
def terms(request, name: str):
    collection = get_object_or_404(Collection, name=name)
    thesaurus = Thesaurus.objects.filter(collection=collection).first()
    return _render(request, "archives/labels.html", {
        "collection": collection, "thesaurus": thesaurus, "terms": services.terms_with_counts(collection),
        "run": services.latest_run(collection), "formats": FORMATS,
        "groups": collection.groups.exclude(status="scinde")[:200],
        "can_label": has_role(request.user, *CATALOGUERS), "can_import": has_role(request.user, *CURATORS),
        "can_export": has_role(request.user, *CATALOGUERS)})


@reader_required
@require_POST
def import_thesaurus(request, name: str):
    _require(request, *CURATORS)
    collection = get_object_or_404(Collection, name=name)
    upload = request.FILES.get("fichier")
    if upload is None:
        messages.error(request, "Choisissez un fichier de thésaurus (SKOS .rdf, .ttl ou CSV).")
        return redirect("archives:terms", name=name)
    if upload.size > MAX_THESAURUS_BYTES:
        messages.error(request, f"Fichier trop volumineux ({upload.size} octets ; au plus {MAX_THESAURUS_BYTES}).")
        return redirect("archives:terms", name=name)
    filename = Path(upload.name).name
    try:
        with checked_copies([upload], default_name="thesaurus.csv") as (path,):
            counts = services.import_thesaurus(collection, path, name=filename, user=request.user, request=request)
    except AmorceError as exc:
        messages.error(request, "Import impossible, rien n'a été enregistré. " + exc.message)
        return redirect("archives:terms", name=name)
    messages.success(request, f"Thésaurus « {counts['title']} » importé : {counts['terms']} terme(s) "
                              f"({counts['created']} nouveau(x), {counts['updated']} modifié(s)"
                              + (f", {counts['kept_in_use']} absent(s) du fichier gardé(s) car utilisé(s)"
                                 if counts["kept_in_use"] else "") + ").")
    return redirect("archives:terms", name=name)


@reader_required
@require_POST
def train(request, name: str):
    _require(request, *CATALOGUERS)
    collection = get_object_or_404(Collection, name=name)
    job = services.start_training(collection, request.user, request=request)
    messages.success(request, "Entraînement lancé : les propositions apparaîtront à la fin de la tâche.")
    return redirect("jobs:detail", pk=job.pk)


@reader_required
def term_label(request, name: str, pk: int):
    term = _term(name, pk)
    collection = term.thesaurus.collection
    if request.method == "POST":
        _require(request, *CATALOGUERS)
        action = request.POST.get("action")
        if action == "accepter":
            count = services.give_term(term, _ids(request, "photo"), request.user, request=request)
            verb = "étiquetée(s)"
        elif action == "retirer":
            count = services.take_term_back(term, _ids(request, "etiquette"), request.user, request=request)
            verb = "retirée(s)"
        else:
            messages.error(request, "Action inconnue.")
            return redirect("archives:term_label", name=name, pk=pk)
        if count:
            messages.success(request, f"{count} image(s) {verb} « {term.label} ».")
        else:
            messages.error(request, "Cochez au moins une image.")
        return redirect("archives:term_label", name=name, pk=pk)
    to_label, picked = services.photos_to_label(term)
    accepted = term.photo_terms.filter(status=PhotoTerm.Status.ACCEPTED).select_related("photo", "validated_by")
    return _render(request, "archives/labels_term.html", {
        "collection": collection, "term": term, "to_label": to_label, "picked_by_model": picked,
        "accepted": Paginator(accepted.order_by("photo__key"), 48).get_page(request.GET.get("page")),
        "browse": Paginator(services.photos_without_decision(term), 24).get_page(request.GET.get("parcourir")),
        "n_proposed": term.photo_terms.filter(status=PhotoTerm.Status.PROPOSED).count(),
        "can_label": has_role(request.user, *CATALOGUERS)})


@reader_required
def term_proposals(request, name: str, pk: int):
    term = _term(name, pk)
    collection = term.thesaurus.collection
    proposals = term.photo_terms.filter(status=PhotoTerm.Status.PROPOSED).select_related("photo")
    group_number = request.GET.get("groupe", "")
    group = collection.groups.filter(number=int(group_number)).first() if group_number.isdigit() else None
    if group is not None:
        proposals = proposals.filter(photo__memberships__group=group, photo__memberships__excluded=False)
    if request.method == "POST":
        _require(request, *CATALOGUERS)
        one_accept, one_reject = request.POST.get("accepter_un"), request.POST.get("rejeter_un")
        action = request.POST.get("action")
        if one_accept or one_reject:
            ids, accept = [int(one_accept or one_reject)] if (one_accept or one_reject).isdigit() else [], bool(
                one_accept)
        elif action in ("accepter_groupe", "rejeter_groupe") and group is not None:
            ids, accept = list(proposals.values_list("pk", flat=True)), action == "accepter_groupe"
        elif action in ("accepter", "rejeter"):
            ids, accept = _ids(request, "proposition"), action == "accepter"
        else:
            messages.error(request, "Action inconnue.")
            return redirect(request.get_full_path())
        count = services.decide_proposals(term, ids, accept, request.user, request=request)
        if count:
            messages.success(request, f"{count} proposition(s) {'acceptée(s)' if accept else 'rejetée(s)'} "
                                      f"pour « {term.label} ».")
        else:
            messages.error(request, "Cochez au moins une proposition.")
        return redirect(request.get_full_path())
    page = Paginator(proposals.order_by("-confidence", "photo__key"), 48).get_page(request.GET.get("page"))
    return _render(request, "archives/labels_proposals.html", {
        "collection": collection, "term": term, "page": page, "group": group,
        "query": f"groupe={group.number}" if group else "",
        "groups": collection.groups.filter(members__photo__terms__term=term,
                                           members__photo__terms__status=PhotoTerm.Status.PROPOSED).distinct(),
        "can_label": has_role(request.user, *CATALOGUERS)})


@reader_required
def export(request, name: str, kind: str):
    _require(request, *CATALOGUERS)
    collection = get_object_or_404(Collection, name=name)
    if kind not in FORMATS:
        messages.error(request, f"Format d'export inconnu : « {kind} ».")
        return redirect("archives:terms", name=name)
    selection = request.GET.get("selection") or None
    if selection and selection.startswith("fichiers:"):  # a path on the server: command line only
        messages.error(request, "La sélection par liste de fichiers n'existe qu'en ligne de commande.")
        return redirect("archives:terms", name=name)
    try:
        content, count = services.export(collection, kind, site_url=request.build_absolute_uri("/"),
                                         selection=selection)
    except AmorceError as exc:
        messages.error(request, exc.message)
        return redirect("archives:terms", name=name)
    record_access("archives_export", request=request, obj=collection, format=kind, selection=selection or "", photos=count)
    response = HttpResponse(content, content_type=MEDIA_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{collection.name}-{kind}{SUFFIXES[kind]}"'
    return response
