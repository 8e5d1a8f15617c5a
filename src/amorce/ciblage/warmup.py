"""Warm a web worker before its first request: imports, templates, and the latest ranked list.

In a fresh process the first explanation of a score took seconds (importing LightGBM and the
feature code, parsing the history and the model, the first contribution computation) and the
model page too (the URL configuration, its templates and the transparency code). :func:`warm_up` does all of it once,
in the background thread the WSGI module starts for each worker (``AppConfig.warm_up``): it
loads the most recent ranked list, its model and its history into the per-process file cache
(:mod:`amorce.ciblage.cache`) and explains its first establishment, whose result is thrown away.
``AMORCE_CIBLAGE_WARM_UP=0`` turns it off (docs/configuration.md): the first requests then load
what they need.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)
TEMPLATES = ("ciblage/model.html", "ciblage/explanation.html", "ciblage/score_list.html")
SETTING = "AMORCE_CIBLAGE_WARM_UP"


def enabled(environ: dict | None = None) -> bool:
    """Whether the web workers warm ciblage up at start (``AMORCE_CIBLAGE_WARM_UP``, default on)."""
    from amorce.core.config import env_bool

    return env_bool(SETTING, True, environ)


def warm_up() -> float:
    """Warm this process; returns the seconds it took."""
    start = time.perf_counter()
    from django.template.loader import get_template
    from django.urls import reverse

    from amorce.core.transparency import ModelCard  # noqa: F401  (model page and CRPA sheet)

    from . import api, views  # noqa: F401  (pages and API of the first request)
    from .models import ScoreList
    from .services import explain_score

    reverse("ciblage:index")  # imports the URL configuration (every page's module) before the first request
    for name in TEMPLATES:
        get_template(name)
    scores = ScoreList.objects.select_related("model__dataset").order_by("-created_at").first()
    if scores is not None:
        frame = scores.frame()
        scores.model.load()
        if len(frame):
            explain_score(scores, frame["establishment_id"].iloc[0])
    seconds = time.perf_counter() - start
    logger.info("Ciblage préchargé en %.1f s", seconds)
    return seconds
