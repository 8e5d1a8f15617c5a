"""Warm a web worker before its first request: imports, templates, and the latest ranked list.

In a fresh process the first explanation of a score took seconds (importing LightGBM and the
feature code, parsing the history and the model, the first contribution computation) and the
model page too (the URL configuration, its templates and the transparency code). :func:`warm_up` does all of it once,
in the background thread the WSGI module starts for each worker (``AppConfig.warm_up``): it
loads the most recent ranked list, its model and its history into the per-process file cache
(:mod:`amorce.ciblage.cache`) and explains its first establishment, whose result is thrown away.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)
TEMPLATES = ("ciblage/model.html", "ciblage/explanation.html", "ciblage/score_list.html")


def warm_up() -> float:
    """Warm this process; returns the seconds it took."""
    start = time.perf_counter()
    from django.template.loader import get_template
    from django.urls import reverse

    from amorce.core.transparency import ModelCard  # noqa: F401  (model page and CRPA sheet)

    from . import api, views  # noqa: F401  (pages and API of the first request)
    from .explain import crpa_explanation, explain_establishment
    from .models import ScoreList

    reverse("ciblage:index")  # imports the URL configuration (every page's module) before the first request
    for name in TEMPLATES:
        get_template(name)
    scores = ScoreList.objects.select_related("model__dataset").order_by("-created_at").first()
    if scores is not None:
        frame = scores.frame()
        model = scores.model.load()
        if len(frame):
            first = frame["establishment_id"].iloc[0]
            x_row, contrib = explain_establishment(model, scores.model.dataset.load(), first, scores.as_of)
            crpa_explanation(model, x_row, contrib, establishment_id=first, score=0.0, rank=1, total=len(frame),
                             as_of=scores.as_of.isoformat())
    seconds = time.perf_counter() - start
    logger.info("Ciblage préchargé en %.1f s", seconds)
    return seconds
