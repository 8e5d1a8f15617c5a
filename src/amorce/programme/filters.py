"""The filters of the dossier list, defined once for the HTML list, its exports and the JSON API.

:class:`DossierFilters` is a django-ninja ``FilterSchema``: the API reads it from the query string
(English keys), the HTML list builds it from its filter form (:meth:`DossierFilters.from_form`), and
both call :meth:`~ninja.FilterSchema.filter` on the same queryset, so a filter means the same thing
on every page and endpoint.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.db.models import Q
from ninja import FilterLookup, FilterSchema

from .models import State

# Eligibility: confirmed by an instructeur, or else as proposed by the rules.
ELIGIBILITY: dict[str, Q] = {
    "yes": Q(eligibility_confirmed=True) | Q(eligibility_confirmed__isnull=True, eligibility_auto=True),
    "no": Q(eligibility_confirmed=False) | Q(eligibility_confirmed__isnull=True, eligibility_auto=False),
    "unconfirmed": Q(eligibility_confirmed__isnull=True),
}

# The HTML list keeps French words in its (bookmarkable) addresses: ?eligible=oui, non, a_confirmer.
FORM_ELIGIBILITY = {"oui": "yes", "non": "no", "a_confirmer": "unconfirmed"}


class DossierFilters(FilterSchema):
    call: Annotated[str | None, FilterLookup("call__slug")] = None
    state: Annotated[Literal[tuple(State.values)] | None, FilterLookup("state")] = None
    ministry: Annotated[str | None, FilterLookup("ministry")] = None
    family: Annotated[str | None, FilterLookup("use_case_family")] = None
    eligible: Literal["yes", "no", "unconfirmed"] | None = None
    q: str | None = None

    def filter_eligible(self, value: str | None) -> Q:
        return ELIGIBILITY[value] if value else Q()

    def filter_q(self, value: str | None) -> Q:
        """The dossier number (any case), or words of the title or of the structure."""
        if not value:
            return Q()
        return Q(reference__iexact=value) | Q(title__icontains=value) | Q(structure__icontains=value)

    @classmethod
    def from_form(cls, data: dict) -> DossierFilters:
        """The filters of the list's form (:class:`amorce.programme.forms.DossierFilterForm`, cleaned)."""
        call = data.get("appel")
        return cls(call=call.slug if call else None, state=data.get("etat") or None,
                   ministry=data.get("ministere") or None, family=data.get("famille") or None,
                   eligible=FORM_ELIGIBILITY.get(data.get("eligible") or ""), q=data.get("q") or None)
