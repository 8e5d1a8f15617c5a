"""The inventory pages of an analysed season: tables, charts, map of sites, downloads.

Views only parse the settings (GET form), check roles and render; the numbers come from
:mod:`amorce.biodiversite.inventory` through :mod:`amorce.biodiversite.inventory_service`. Every
member of the use case reads the page and downloads its tables and charts; the camtrapR record
table, the Darwin Core occurrences and the whole archive (publication files, media names) are the
scientific lead's, like the Camtrap DP package, and their downloads are written to the audit log.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from amorce.core.errors import AmorceError, DataValidationError
from amorce.web.audit import record_access

from . import inventory_service as service
from .forms_inventory import InventoryForm
from .models import Season
from .views import _render, may_see_raw, member_required, scientist_required

TYPES = {"csv": "text/csv; charset=utf-8", "ods": "application/vnd.oasis.opendocument.spreadsheet",
         "svg": "image/svg+xml", "png": "image/png", "geojson": "application/geo+json",
         "zip": "application/zip", "html": "text/html; charset=utf-8"}


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _problem(exc: AmorceError) -> list[str]:
    return [str(p) for p in exc.problems] if isinstance(exc, DataValidationError) else [exc.message]


def _inventory(request, season):
    """(form, inventory or None, problems): the settings of the query string, then the inventory."""
    form = InventoryForm(request.GET)
    if form.is_bound and not form.is_valid():
        return form, None, []
    try:
        return form, service.build(season, form.settings()), []
    except AmorceError as exc:
        return form, None, _problem(exc)


def _for_download(request, pk: int):
    """The inventory of a download: a bad setting or a season without package is a French 400/404."""
    season = get_object_or_404(Season, pk=pk)
    form, inv, problems = _inventory(request, season)
    if inv is None:
        errors = [f"{form.fields[k].label} : {' '.join(v)}" for k, v in form.errors.items()] if form.errors else problems
        return season, form, None, HttpResponse("Inventaire impossible : " + " ; ".join(errors),
                                                status=400, content_type="text/plain; charset=utf-8")
    return season, form, inv, None


def _stem(season, name: str) -> str:
    return f"inventaire-saison-{season.pk}-{slugify(name) or 'tableau'}"


@member_required
def inventory(request, pk: int):
    season = get_object_or_404(Season, pk=pk)
    form, inv, problems = _inventory(request, season)
    context = {"season": season, "form": form, "problems": problems, "query": request.GET.urlencode(),
               "charts": service.CHARTS, "is_scientist": may_see_raw(request.user)}
    if inv is not None:
        context.update(service.page(inv, form.settings()))
    return _render(request, "biodiversite/inventory.html", context, status=200)


@member_required
def inventory_table(request, pk: int, name: str, fmt: str):
    if fmt not in ("csv", "ods"):
        raise Http404
    season, _, inv, refused = _for_download(request, pk)
    if refused:
        return refused
    table = service.tables(inv).get(name)
    if table is None:
        raise Http404
    if name in service.PUBLICATION_TABLES:
        if not may_see_raw(request.user):
            raise Http404
        record_access("biodiversite.inventory_export", request=request, obj=season, table=name, format=fmt)
    return _download(table.csv() if fmt == "csv" else table.ods(), f"{_stem(season, name)}.{fmt}", fmt)


@member_required
def inventory_chart(request, pk: int, name: str, fmt: str):
    if fmt not in ("svg", "png") or name not in service.CHARTS:
        raise Http404
    season, form, inv, refused = _for_download(request, pk)
    if refused:
        return refused
    content = service.chart_file(inv, name, fmt, form.settings().measure)
    if content is None:
        raise Http404
    return _download(content, f"{_stem(season, name)}.{fmt}", fmt)


@member_required
def inventory_geojson(request, pk: int):
    season, _, inv, refused = _for_download(request, pk)
    if refused:
        return refused
    from .inventory import sites_geojson

    content = json.dumps(sites_geojson(inv), ensure_ascii=False, indent=1).encode("utf-8")
    return _download(content, f"{_stem(season, 'sites')}.geojson", "geojson")


@member_required
def inventory_report(request, pk: int):
    season, form, inv, refused = _for_download(request, pk)
    if refused:
        return refused
    return _download(service.report(inv, form.settings().measure), f"{_stem(season, 'rapport')}.html", "html")


@scientist_required
def inventory_zip(request, pk: int):
    season, form, inv, refused = _for_download(request, pk)
    if refused:
        return refused
    record_access("biodiversite.inventory_export", request=request, obj=season, table="archive", format="zip")
    return _download(service.archive(inv, form.settings().measure), f"{_stem(season, 'complet')}.zip", "zip")
