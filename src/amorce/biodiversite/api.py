"""JSON API of the camera-trap use case (mounted at /api/biodiversite/): seasons and their events.

Session or personal-token authentication; the naturalist or scientific-lead role (or administrator)
is required. Events with a person or a vehicle are listed with their type and boxes; media paths
are given, never raw images.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from amorce.web.apischema import ErrorOut, Id, Offset, page_size
from amorce.web.roles import USECASES_BY_SLUG, require_roles

from . import services
from .forms_inventory import MAX_INTERVAL_MIN
from .models import Season

router = Router(tags=["biodiversité"])


class SeasonOut(Schema):
    id: int
    name: str
    detector: str
    created_at: datetime
    summary: dict


class SpeciesProposalOut(Schema):
    """The species classifier's proposal for an event (a suggestion until a reviewer answers)."""

    rank: Literal["species", "genus", "family", "order", "undetermined"]
    scientific_name: str
    vernacular_name: str
    probability: float
    model: str
    crops: int


# machine values of the ranks in the API (the stored ones are the pipeline's French names)
RANKS = {"espece": "species", "genre": "genus", "famille": "family", "ordre": "order", "indetermine": "undetermined"}


class EventOut(Schema):
    event_id: str
    deployment_id: str
    start: datetime
    end: datetime
    observation_type: str
    media: list[dict]
    species_proposal: SpeciesProposalOut | None = None


def _proposal(event) -> SpeciesProposalOut | None:
    found = services.proposal(event)
    if found is None or found.rank not in RANKS:
        return None
    return SpeciesProposalOut(rank=RANKS[found.rank], scientific_name=found.scientific_name,
                              vernacular_name=found.french_name, probability=round(found.score, 4),
                              model=found.model, crops=found.crops)


def _allowed(request) -> None:
    require_roles(request, *USECASES_BY_SLUG["biodiversite"].roles)


@router.get("/saisons", response=list[SeasonOut], summary="Saisons analysées")
def seasons(request):
    _allowed(request)
    return [SeasonOut(id=s.pk, name=s.name, detector=s.detector, created_at=s.created_at, summary=s.summary)
            for s in Season.objects.all()[:200]]


@router.get("/saisons/{season_id}/evenements", response=list[EventOut], summary="Événements d'une saison")
def events(request, season_id: Id, type: str | None = None, limit: page_size(2000) = 500, offset: Offset = 0):
    _allowed(request)
    season = get_object_or_404(Season, pk=season_id)
    rows = season.events.all()
    if type:
        rows = rows.filter(observation_type=type)
    return [EventOut(event_id=e.event_id, deployment_id=e.deployment_id, start=e.start, end=e.end,
                     observation_type=e.observation_type, media=e.media, species_proposal=_proposal(e))
            for e in rows[offset:offset + limit]]



@router.get("/saisons/{season_id}/inventaire", response={200: dict, 409: ErrorOut},
            summary="Inventaire d'une saison : événements indépendants, IAR, activité, accumulation, historiques, sites")
def inventory(request, response: HttpResponse, season_id: Id,
              intervalle: Annotated[float, Field(ge=0, le=MAX_INTERVAL_MIN)] = 30,
              reference: Literal["derniere", "independant"] = "derniere",
              periode: Literal["saison", "annee", "mois"] = "saison",
              occasion: Annotated[int, Field(ge=1, le=366)] = 7):
    """The tables of the inventory page (numbers as numbers) and the sites as GeoJSON, with the same
    settings as the page (intervalle en minutes, occasion en jours); the publication files (camtrapR,
    Darwin Core) are downloads of the page. 409 while the season has no Camtrap DP package yet."""
    from . import inventory_service as service
    from .errors import BiodiversiteError
    from .inventory_service import Settings

    _allowed(request)
    season = get_object_or_404(Season, pk=season_id)
    try:
        return service.api_tables(service.build(season, Settings(intervalle, reference, periode, occasion)))
    except BiodiversiteError as exc:
        return 409, {"detail": exc.message}
