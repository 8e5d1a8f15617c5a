"""JSON API of the archives use case (mounted at /api/archives/): collections and their duplicate groups;
search (the web page's filters, same query parameters, paginated), similar images, the terms of a
collection's thesaurus, the terms proposed for a photo, and a person's decision on a proposal.

Reading: every role of the use case. Accepting or rejecting a proposal: documentalists, curators and
administrators, as on the pages (``services.decide_proposal``: one transaction, audited). JSON keys in
English; errors ``{"detail": "message en français"}``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema

from amorce.web.apischema import ErrorOut, Id, Offset, ValidationErrorOut, page_size
from amorce.web.roles import USECASES_BY_SLUG, Role, require_roles

from .models import Collection, DuplicateGroup, Photo
from .models_labels import PhotoTerm

router = Router(tags=["archives"])


def _allowed(request) -> None:
    require_roles(request, *USECASES_BY_SLUG["archives"].roles)


class CollectionOut(Schema):
    name: str
    title: str
    images: int
    errors: int
    groups: int


class MemberOut(Schema):
    file: str
    master: bool
    excluded: bool


class GroupOut(Schema):
    group: int
    status: str
    master: str
    members: list[MemberOut]


@router.get("/collections", response=list[CollectionOut], summary="Collections indexées")
def collections(request):
    _allowed(request)
    return [{"name": c.name, "title": c.title, "images": c.n_images, "errors": c.n_errors,
             "groups": c.groups.count()} for c in Collection.objects.all()]


@router.get("/collections/{name}/doublons", response=list[GroupOut], summary="Groupes de doublons d'une collection")
def duplicate_groups(request, name: str, status: str | None = None):
    _allowed(request)
    collection = get_object_or_404(Collection, name=name)
    groups = collection.groups.select_related("master").prefetch_related("members__photo")
    if status in DuplicateGroup.Status.values:
        groups = groups.filter(status=status)
    return [{"group": g.number, "status": g.status, "master": g.master.key,
             "members": [{"file": m.photo.key, "master": m.photo_id == g.master_id, "excluded": m.excluded}
                         for m in g.members.all()]} for g in groups]


# ------------------------------------------------------------------------------ search, similar images
Year = Annotated[int, Field(ge=1000, le=2100)]
Words = Annotated[str, Field(max_length=300)]


class ImageOut(Schema):
    id: int
    file: str
    title: str
    creator: str
    year: int | None
    ocr_text: str
    rights_flag: str
    thumbnail: str
    page: str
    score: float | None = Field(None, description="Similarité cosinus avec la description (recherche « decrire »)")


class ImagePage(Schema):
    count: int
    items: list[ImageOut]


class SimilarOut(Schema):
    id: int
    file: str
    score: float


def _image(photo: Photo, score: float | None = None) -> dict:
    analysis = getattr(photo, "analysis", None)
    return {"id": photo.pk, "file": photo.key, "title": str((photo.metadata or {}).get("title", "")),
            "creator": analysis.creator if analysis else "", "year": analysis.year if analysis else None,
            "ocr_text": analysis.ocr_text if analysis else "", "rights_flag": analysis.rights_flag if analysis else "",
            "thumbnail": reverse("archives:thumbnail", args=[photo.pk]),
            "page": reverse("archives:photo", args=[photo.pk]), "score": score}


@router.get("/collections/{name}/images", response={200: ImagePage, 409: ErrorOut, 422: ValidationErrorOut},
            summary="Rechercher et filtrer les images d'une collection (mêmes filtres que la page de recherche)")
def search_images(request, name: str, q: Words = "", auteur: Words = "", de: Year | None = None,
                  a: Year | None = None, texte: Literal["oui", "non"] | None = None,
                  droits: Literal["a-revoir", "aucun", "visage", "personne"] | None = None,
                  doublons: Literal["oui", "non"] | None = None, decrire: Words = "",
                  limit: page_size(200) = 24, offset: Offset = 0):
    """Words in the record, the file name or the text read (``q``), creator, years (``de`` … ``a``),
    text read or not, image-rights flag (``a-revoir``: flagged, DIFF not confirmed), duplicate group;
    ``decrire``: the 240 images closest to the description, best first, when a text-image model is
    configured (409 otherwise). 422 when ``de`` is after ``a``."""
    from . import services_explore as explore
    from .errors import SourceError

    _allowed(request)
    collection = get_object_or_404(Collection, name=name)
    explore.refresh(collection)
    filters = explore.parse_filters({"q": q, "auteur": auteur, "de": str(de or ""), "a": str(a or ""),
                                     "texte": texte or "", "droits": droits or "", "doublons": doublons or ""})
    if filters.errors:
        return 422, {"detail": " ".join(filters.errors), "errors": filters.errors}
    photos = explore.filter_photos(collection, filters)
    if decrire.strip():
        try:
            ranked = explore.describe(collection, decrire.strip(), photos, filtered=filters.active())
        except SourceError as exc:
            return 409, {"detail": exc.message}
        return {"count": len(ranked), "items": [_image(p, s) for p, s in ranked[offset:offset + limit]]}
    return {"count": photos.count(), "items": [_image(p) for p in photos[offset:offset + limit]]}


@router.get("/images/{photo_id}/similaires", response=list[SimilarOut],
            summary="Images les plus semblables (« plus comme celle-ci »)")
def similar_images(request, photo_id: Id, limit: page_size(100) = 12):
    from . import services_explore as explore

    _allowed(request)
    photo = get_object_or_404(Photo.objects.select_related("collection"), pk=photo_id)
    return [{"id": p.pk, "file": p.key, "score": round(score, 6)} for p, score in explore.similar_photos(photo, limit)]


# ------------------------------------------------------------------------------ terms and proposals
class TermOut(Schema):
    id: int
    uri: str
    label: str
    alt_labels: list[str]
    broader: list[str]
    accepted: int
    proposed: int
    rejected: int


class ProposalOut(Schema):
    id: int
    photo_id: int
    file: str
    term_id: int
    term_uri: str
    term_label: str
    status: str = Field(..., description="propose, accepte ou rejete")
    source: str = Field(..., description="modele ou catalogueur")
    confidence: float | None
    model: str
    proposed_at: datetime
    validated_by: str
    validated_at: datetime | None


def _proposal(row: PhotoTerm) -> dict:
    from .services import _person

    return {"id": row.pk, "photo_id": row.photo_id, "file": row.photo.key, "term_id": row.term_id,
            "term_uri": row.term.uri, "term_label": row.term.label, "status": row.status, "source": row.source,
            "confidence": row.confidence, "model": row.model_name, "proposed_at": row.created_at,
            "validated_by": _person(row.validated_by) if row.validated_by_id else "",
            "validated_at": row.validated_at}


@router.get("/collections/{name}/termes", response=list[TermOut], summary="Termes du thésaurus d'une collection")
def terms(request, name: str, limit: page_size(5000) = 1000, offset: Offset = 0):
    from . import services

    _allowed(request)
    collection = get_object_or_404(Collection, name=name)
    return [{"id": t.pk, "uri": t.uri, "label": t.label, "alt_labels": list(t.alt_labels), "broader": list(t.broader),
             "accepted": t.n_accepted, "proposed": t.n_proposed, "rejected": t.n_rejected}
            for t in services.terms_with_counts(collection).order_by("label", "pk")[offset:offset + limit]]


@router.get("/images/{photo_id}/propositions", response=list[ProposalOut],
            summary="Termes d'une image : propositions du modèle et décisions, avec leur provenance")
def photo_proposals(request, photo_id: Id, status: Literal["propose", "accepte", "rejete"] | None = None):
    _allowed(request)
    photo = get_object_or_404(Photo, pk=photo_id)
    rows = photo.terms.select_related("term", "photo", "validated_by").order_by("-confidence", "term__label")
    if status:
        rows = rows.filter(status=status)
    return [_proposal(r) for r in rows]


def _decide(request, proposal_id: int, accept: bool):
    from . import services
    from .errors import SourceError

    require_roles(request, Role.DOCUMENTALISTE, Role.RESPONSABLE_COLLECTIONS, Role.ADMINISTRATEUR)
    row = get_object_or_404(PhotoTerm.objects.select_related("term", "photo"), pk=proposal_id)
    try:
        row = services.decide_proposal(row, accept, request.user, request=request)
    except SourceError as exc:
        return 409, {"detail": exc.message}
    return 200, _proposal(row)


@router.post("/propositions/{proposal_id}/accepter", response={200: ProposalOut, 409: ErrorOut},
             summary="Accepter une proposition de terme (documentaliste, responsable des collections)")
def accept_proposal(request, proposal_id: Id):
    """409 when the proposal was already accepted or rejected."""
    return _decide(request, proposal_id, True)


@router.post("/propositions/{proposal_id}/rejeter", response={200: ProposalOut, 409: ErrorOut},
             summary="Rejeter une proposition de terme (documentaliste, responsable des collections)")
def reject_proposal(request, proposal_id: Id):
    """409 when the proposal was already accepted or rejected."""
    return _decide(request, proposal_id, False)
