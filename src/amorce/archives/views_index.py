"""Index a collection from the web (curators and administrators): the form, then the job's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from amorce.core.errors import AmorceError
from amorce.web.roles import Role, has_role

from . import services_index
from .forms_index import IndexForm
from .models import Collection
from .sources import source_roots
from .views import _render, reader_required

INDEXERS = (Role.RESPONSABLE_COLLECTIONS, Role.ADMINISTRATEUR)


@reader_required
def new_index(request):
    if not has_role(request.user, *INDEXERS):
        raise PermissionDenied
    initial = {}
    if (name := request.GET.get("collection")) and (known := Collection.objects.filter(name=name).first()):
        initial = {"name": known.name, "title": known.title}
    form = IndexForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = services_index.start_indexing(
                    name=data["name"], title=data["title"], source=data["source_path"],
                    manifest=data["manifest"], metadata=data["metadata"], features=data["features"],
                    user=request.user, request=request)
            except AmorceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Indexation lancée : suivez son avancement sur cette page.")
                return redirect("jobs:detail", pk=job.pk)
        status = 400
    return _render(request, "archives/index_form.html", {
        "title": "Indexer une collection", "form": form,
        "roots": source_roots() if has_role(request.user, Role.ADMINISTRATEUR) else None}, status=status)
