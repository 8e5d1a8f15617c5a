"""The platform's error pages (400, 403, 404, 413, 500 and the CSRF failure), in French, in the DSFR.

Each page shows a short reference; the same reference is written to the server log (with the
traceback for a 500), so that a user's report can be matched with what happened. No page ever
shows a traceback or an internal message.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template.loader import render_to_string

from amorce.core.formats import megabytes

logger = logging.getLogger("amorce.web.errors")


def new_reference() -> str:
    """A short reference that a user can read out over the phone: « 3F9A-2C1B »."""
    token = secrets.token_hex(4).upper()
    return f"{token[:4]}-{token[4:]}"


def _page(request, status: int, title: str, message: str, *, hint: str = "", level: int = logging.WARNING,
          exc_info: bool = False, cause: str = "") -> HttpResponse:
    reference = new_reference()
    logger.log(level, "Erreur %s (référence %s) : %s %s%s", status, reference, request.method,
               request.get_full_path()[:500], f" — {cause}" if cause else "", exc_info=exc_info)
    context = {"title": title, "message": message, "hint": hint, "status": status, "reference": reference}
    try:
        content = render_to_string("error.html", context, request=request)
    except Exception:  # noqa: BLE001 — the page must show even when the database or a context processor fails
        logger.exception("Page d'erreur rendue sans contexte (référence %s)", reference)
        content = render_to_string("error.html", {**context, "AMORCE_THEME": settings.AMORCE_THEME})
    response = HttpResponse(content, status=status)
    response._has_been_logged = True  # logged above, with the reference: Django need not log it again
    return response


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        limit = megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return _page(request, 413, "Envoi trop volumineux",
                     f"Les données envoyées dépassent la taille maximale acceptée ({limit}).",
                     hint="Réduisez la taille du fichier (par exemple en le découpant) puis réessayez.",
                     cause=type(exception).__name__)
    return _page(request, 400, "Requête invalide", "Le service n'a pas pu comprendre la requête envoyée.",
                 hint="Revenez à la page précédente, rechargez-la puis réessayez.",
                 cause=type(exception).__name__ if exception else "")


def permission_denied(request, exception=None):
    # Views raise PermissionDenied with a French message written for the user (see roles.role_required).
    message = str(exception) if exception and str(exception) else "Vous n'avez pas accès à cette page."
    return _page(request, 403, "Accès refusé", message,
                 hint="Si vous pensez devoir y accéder, demandez le rôle correspondant à un administrateur.")


def page_not_found(request, exception=None):
    return _page(request, 404, "Page introuvable", "La page que vous cherchez n'existe pas ou a été déplacée.",
                 hint="Vérifiez l'adresse, ou repartez de l'accueil.", level=logging.INFO)


def server_error(request):
    return _page(request, 500, "Erreur inattendue",
                 "Le service a rencontré une erreur. Elle a été enregistrée ; réessayez dans quelques instants.",
                 hint="Si elle persiste, contactez l'administrateur de la plateforme.", level=logging.ERROR,
                 exc_info=True)


def csrf_failure(request, reason=""):
    return _page(request, 403, "Vérification de sécurité échouée",
                 "Le formulaire n'a pas pu être envoyé : sa vérification de sécurité a échoué. C'est le cas "
                 "lorsque la page est restée ouverte longtemps, après une déconnexion, ou si votre navigateur "
                 "refuse les cookies de ce site.",
                 hint="Rechargez la page du formulaire, puis envoyez-le à nouveau.", cause=reason)
