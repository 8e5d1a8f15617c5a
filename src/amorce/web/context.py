"""Template context shared by every page: theme, navigation, roles of the signed-in user."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .roles import USECASES, user_roles


def site(request):
    user = getattr(request, "user", None)
    roles = user_roles(user)
    return {
        "AMORCE_THEME": settings.AMORCE_THEME,
        "SITE_TITLE": "amorce",
        "SITE_TAGLINE": "De l'idée d'IA au prototype utilisé par les agents et les usagers",
        "nav_usecases": navigation(user),
        "user_roles": sorted(r.label for r in roles),
        "is_admin": "administrateur" in {r.value for r in roles},
        "oidc_enabled": settings.AMORCE_OIDC_ENABLED,
        "current_section": request.path.strip("/").split("/")[0],
    }


def navigation(user) -> list[dict]:
    """The menu: each use case with the entries ``user`` may open; a use case with none is left out."""
    menu = []
    for usecase in USECASES:
        entries = [{"label": e["label"], "url": reverse(e["url_name"])} for e in usecase.menu_for(user)]
        if entries:
            menu.append({"slug": usecase.slug, "title": usecase.title, "entries": entries})
    return menu
