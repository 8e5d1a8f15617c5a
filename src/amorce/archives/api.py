"""JSON API of the archives use case (mounted at /api/archives/): collections and their duplicate groups."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from amorce.web.roles import USECASES_BY_SLUG, require_roles

from .models import Collection, DuplicateGroup

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
