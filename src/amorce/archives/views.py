"""Pages of the archives use case: collections, duplicate groups to review (confirm or split), thumbnails."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from amorce.web.roles import Role, has_role, usecase_required

from . import services
from .errors import SourceError
from .models import Collection, DuplicateGroup, Photo

SECTION = {"current_section": "archives"}
reader_required = usecase_required("archives")
REVIEWERS = (Role.DOCUMENTALISTE, Role.RESPONSABLE_COLLECTIONS, Role.ADMINISTRATEUR)


def _render(request, template: str, context: dict, **kwargs):
    return render(request, template, {**SECTION, **context}, **kwargs)


@reader_required
def index(request):
    return _render(request, "archives/index.html", {
        "collections": Collection.objects.all(),
        "can_index": has_role(request.user, Role.RESPONSABLE_COLLECTIONS, Role.ADMINISTRATEUR)})


@reader_required
def collection(request, name: str):
    item = get_object_or_404(Collection, name=name)
    groups = item.groups.select_related("master").prefetch_related("members__photo")
    status = request.GET.get("statut")
    if status in DuplicateGroup.Status.values:
        groups = groups.filter(status=status)
    page = Paginator(groups, 20).get_page(request.GET.get("page"))
    errors = item.photos.exclude(error="")[:50]
    return _render(request, "archives/collection.html", {
        "collection": item, "page": page, "errors": errors, "statuses": DuplicateGroup.Status.choices,
        "status": status, "can_review": has_role(request.user, *REVIEWERS)})


@reader_required
def duplicates_csv(request, name: str):
    """The same CSV as ``amorce archives doublons``: group,file,master (members still in their group)."""
    import csv
    import io

    item = get_object_or_404(Collection, name=name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["group", "file", "master"])
    for group in item.groups.exclude(status=DuplicateGroup.Status.SPLIT).select_related("master"):
        for member in group.members.filter(excluded=False).select_related("photo"):
            writer.writerow([group.number, member.photo.key, group.master.key])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="doublons-{item.name}.csv"'
    return response


@reader_required
def group(request, pk: int):
    item = get_object_or_404(DuplicateGroup.objects.select_related("collection", "master"), pk=pk)
    members = item.members.select_related("photo")
    if request.method == "POST":
        if not has_role(request.user, *REVIEWERS):
            raise Http404
        return _review(request, item, members)
    return _render(request, "archives/group.html", {"group": item, "members": members,
                                                    "can_review": has_role(request.user, *REVIEWERS)})


def _review(request, item: DuplicateGroup, members):
    removed = {int(x) for x in request.POST.getlist("retirer") if x.isdigit()}
    try:
        message = services.review_group(item, members, request.POST.get("action"), removed, user=request.user,
                                        request=request)
    except SourceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect("archives:group", pk=item.pk)


@reader_required
def thumbnail(request, pk: int):
    from pathlib import Path

    from .index import thumb_path

    photo = get_object_or_404(Photo.objects.select_related("collection"), pk=pk)
    path = thumb_path(Path(photo.collection.store), photo.key)
    if not path.is_file():
        raise Http404("Vignette absente")
    return FileResponse(path.open("rb"), content_type="image/jpeg")
