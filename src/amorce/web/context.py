"""Template context shared by every page: theme, navigation, roles of the signed-in user."""

from __future__ import annotations

from django.conf import settings

from .roles import USECASES, can_access_usecase, user_roles


def site(request):
    user = getattr(request, "user", None)
    roles = user_roles(user)
    return {
        "AMORCE_THEME": settings.AMORCE_THEME,
        "SITE_TITLE": "amorce",
        "SITE_TAGLINE": "De l'idée d'IA au prototype utilisé par les agents et les usagers",
        "nav_usecases": [
            {"slug": u.slug, "title": u.title, "allowed": can_access_usecase(user, u.slug)} for u in USECASES
        ],
        "user_roles": sorted(r.label for r in roles),
        "is_admin": "administrateur" in {r.value for r in roles},
        "oidc_enabled": settings.AMORCE_OIDC_ENABLED,
        "current_section": request.path.strip("/").split("/")[0],
    }
