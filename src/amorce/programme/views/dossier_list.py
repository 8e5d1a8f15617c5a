"""The instructeurs' dossier list (filters, keyset-like pages, rows built in Python) and its exports."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote, urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from amorce.web.audit import record_access
from amorce.web.roles import role_required

from .. import forms as f
from .. import services
from ..models import (
    Application,
    Call,
    State,
)
from .common import STAFF, render_page


def _filtered_dossiers(request):
    """The list's filter form and the dossiers it selects (the same filters as the API's)."""
    from ..filters import DossierFilters

    form = f.DossierFilterForm(request.GET or None)
    qs = Application.objects.all()
    if form.is_valid():
        qs = DossierFilters.from_form(form.cleaned_data).filter(qs)
    return form, qs.order_by("reference")


# Columns of the dossier list, read with ``values_list`` (no model instances: building 50 instances with
# their JSON fields cost more than the queries).
_LIST_COLUMNS = ("pk", "reference", "title", "structure", "ministry", "state", "eligibility_auto",
                 "eligibility_confirmed", "budget", "score", "review_count", "disagreements")


class _WindowPaginator(Paginator):
    """Paginator of the dossier list: a page selects its keys first (the OFFSET walks a narrow index; SQLite
    reads every wide row it skips otherwise), then only the listed columns of those rows, in one query.

    With ``single_pass`` (a text search, which scans every entry whatever the page), all matching keys are
    read once, in order, and give both the count and the page: one scan instead of two."""

    def __init__(self, object_list, per_page, *, single_pass: bool = False):
        super().__init__(object_list, per_page)
        self.keys = list(object_list.values_list("pk", flat=True)) if single_pass else None

    @cached_property
    def count(self):
        return len(self.keys) if self.keys is not None else self.object_list.count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.keys[bottom:top] if self.keys is not None else self.object_list.values("pk")[bottom:top]
        rows = list(Application.objects.filter(pk__in=keys).order_by("reference").values_list(*_LIST_COLUMNS))
        return self._get_page(rows, number, self)


_URL_SAFE = "!$&'()*+,;=~:@"  # what ``reverse()`` leaves unquoted in a path
_ROW_HTML = ('<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>\n'
             '    <td><p class="fr-badge fr-badge--sm {}">{}</p></td>\n'
             '    <td><p class="fr-badge fr-badge--sm {}">{}</p></td>\n'
             '    <td>{} €</td><td>{}</td>\n    <td>{}{}</td></tr>\n')
_DISAGREEMENT_HTML = ' <p class="fr-badge fr-badge--sm fr-badge--warning">Désaccord</p>'


def _dossier_rows_html(rows) -> str:
    """The table rows of the listed dossiers, built in Python from plain tuples (numbers formatted as
    ``floatformat`` does): resolving 13 variables per row in the template, with model attributes,
    ``{% url %}`` and number filters, was most of the page's cost. Every value is escaped with
    ``html.escape``, which escapes exactly the characters Django's ``escape`` does (& < > " '), without
    its lazy-string wrapper."""
    from html import escape

    from django.urls import reverse
    from django.utils.formats import get_format

    from ..models import STATE_BADGES, eligibility_label

    states = dict(State.choices)
    thousands, decimal_sep = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    detail = reverse("programme:dossier_detail", args=["REF"]).removesuffix("REF/")
    html = []
    for (_pk, reference, title, structure, ministry, state, auto, confirmed, budget, score, review_count,
         disagreements) in rows:
        eligibility, eligibility_badge = eligibility_label(auto, confirmed)
        euros = f"{int(budget.quantize(Decimal(1), ROUND_HALF_UP)):,}".replace(",", thousands)
        mark = ("—" if score is None else
                str(Decimal(repr(score)).quantize(Decimal("0.01"), ROUND_HALF_UP)).replace(".", decimal_sep))
        html.append(_ROW_HTML.format(*(escape(str(v)) for v in (
            detail + quote(reference, safe=_URL_SAFE) + "/", reference, title, structure, ministry,
            STATE_BADGES.get(state, ""), states.get(state, state), eligibility_badge, eligibility, euros, mark,
            review_count)), _DISAGREEMENT_HTML if disagreements else ""))
    return mark_safe("".join(html))


@functools.lru_cache(maxsize=256)
def _filter_form_html(data: tuple | None, calls: tuple) -> str:
    """The rendered filter form for these GET values and this list of calls (part of the key, so a new
    call shows at once): rendering six DSFR fields and their select widgets cost about as much as the
    rest of the page. Bounded, per process."""
    from django.template.loader import render_to_string

    return render_to_string("programme/_dossier_filters.html",
                            {"form": f.DossierFilterForm(dict(data) if data is not None else None)})


@role_required(*STAFF)
def dossier_list(request):
    form, qs = _filtered_dossiers(request)
    searching = form.is_valid() and bool(form.cleaned_data.get("q"))
    page = _WindowPaginator(qs, 50, single_pass=searching).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    data = tuple((name, request.GET[name]) for name in form.fields if name in request.GET) if request.GET else None
    calls = tuple(Call.objects.values_list("slug", "title"))
    return render_page(request, "programme/dossier_list.html", {
        "title": "Dossiers", "filters_html": _filter_form_html(data, calls), "page": page,
        "rows_html": _dossier_rows_html(page.object_list), "query": query})


@role_required(*STAFF)
def dossier_export(request, fmt):
    _, qs = _filtered_dossiers(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body, ctype = services.export_csv(qs), "text/csv; charset=utf-8"
    elif fmt == "ods":
        body, ctype = services.export_ods(qs), "application/vnd.oasis.opendocument.spreadsheet"
    else:
        raise Http404
    record_access("programme_export", request=request, format=fmt, filters=dict(request.GET.items()))
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="dossiers-{stamp}.{fmt}"'
    return response
