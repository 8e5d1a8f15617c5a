"""Shared pieces of the JSON API: bounded input types, error bodies, the error responses every operation
documents, and the French error handlers (no import of the use cases: their ``api.py`` import this).

The rule the API fuzzing test (tests/web/test_api_fuzz.py) holds it to: what the server refuses is
invalid in the OpenAPI schema, and every status code it answers is documented there.

- Inputs: :data:`Id` for the identifiers of rows, :data:`Offset` and :func:`page_size` for pages,
  :func:`text` for a text that must not be blank (the server would strip it to nothing). A value
  outside these bounds is refused with 422 by the schema's own validation, never a 500 from the database.
- Responses: :func:`document_errors` adds to every operation the errors django-ninja or the platform
  answer on its behalf: 401 and 403 (authentication, role, CSRF token of a session) when it needs a
  caller, 404 when it has path parameters (an unknown row), 422 when it takes inputs, 400 when it takes
  a body (unreadable JSON). The errors an endpoint raises itself (400, 503…) are declared by it.
- Text: the NUL character (U+0000), which PostgreSQL cannot store nor compare, is refused in the path,
  the query string (422) and the JSON body (400) of every operation that reads them
  (:class:`NulRefusingParser`), on SQLite as on PostgreSQL.
- Bodies: every error is ``{"detail": "<French message>"}``; a 422 adds ``errors``, one French line
  per invalid input (where, what was expected). A bad-input error of ours (``InputError``,
  ``DataValidationError``) that reaches the API is a 422 with its message, never a 500.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.params.models import BodyModel, PathModel
from ninja.parser import Parser

from amorce.core.errors import BAD_INPUT, AmorceError
from amorce.core.formats import number

MAX_ID = 2**63 - 1  # a BIGINT (SQLite INTEGER, PostgreSQL bigint): beyond it, the database cannot compare
MAX_OFFSET = 2**31 - 1
# A character neither Python's str.strip() nor the schema validator (pydantic's regex) counts as
# blank: the same set on both sides (checked over every code point), so a text matching it never
# strips to nothing.
NON_BLANK = r"[^\s\x1c-\x1f]"

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def page_size(maximum: int) -> Any:
    """A page size, from 1 to ``maximum``."""
    return Annotated[int, Field(ge=1, le=maximum)]


def text(max_length: int) -> Any:
    """A text of 1 to ``max_length`` characters with at least one visible character."""
    return Annotated[str, Field(min_length=1, max_length=max_length, pattern=NON_BLANK)]


class ErrorOut(Schema):
    detail: str = Field(..., description="Le message d'erreur, en français")


class ValidationErrorOut(Schema):
    detail: str = Field(..., description="Résumé en français")
    errors: list[str] = Field([], description="Une ligne par donnée invalide : où, ce qui était attendu")


NUL_MESSAGE = "Le caractère NUL (U+0000) n'est pas accepté dans une requête."


class NulCharacterError(ValueError):
    pass


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


class NulRefusingParser(Parser):
    """django-ninja's JSON parser, refusing the NUL character (a 500 on PostgreSQL otherwise)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if "\x00" in request.path or _contains_nul(data):
            raise NulCharacterError(NUL_MESSAGE)  # django-ninja answers 400 (see http_error below)
        return data

    def parse_querydict(self, data, list_fields, request):
        if "\x00" in request.path or any(_contains_nul(k) or _contains_nul(data.getlist(k)) for k in data):
            raise HttpError(422, NUL_MESSAGE)
        return super().parse_querydict(data, list_fields, request)


class Pagination(LimitOffsetPagination):
    """django-ninja's ``limit``/``offset`` pagination with a bounded offset in the schema (an offset past
    any table is refused with 422 instead of overflowing the database's integers); a ``limit`` above
    ``max_limit`` is still cut down to it."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_ID)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def document_errors(operations) -> None:
    """Add the platform's error responses to each django-ninja operation of ``operations`` (see the
    module's docstring); a status the operation declares itself is left as it is."""
    for operation in operations:
        sources = set(operation.models)
        codes: dict[int, type[Schema]] = {}
        if operation.auth_param is not None:  # NOT_SET: the API's authentication (token or session)
            codes |= {401: ErrorOut, 403: ErrorOut}
        if any(issubclass(m, PathModel) for m in sources):
            codes[404] = ErrorOut
        if sources:
            codes[422] = ValidationErrorOut
        if any(issubclass(m, BodyModel) for m in sources):
            codes[400] = ErrorOut
        for status, model in codes.items():
            operation.response_models.setdefault(status, operation._create_response_model(model))


# ------------------------------------------------------------------------------------- French errors
ENGLISH_MESSAGES = {
    "Unauthorized": "Authentification requise : jeton personnel (Authorization: Bearer …) ou session.",
    "Forbidden": "Accès refusé.",
    "CSRF check Failed": "Jeton CSRF absent ou invalide : une écriture par session doit envoyer l'en-tête "
                         "X-CSRFToken.",
    "Too many requests.": "Trop de requêtes : merci de patienter avant de réessayer.",
}
LOCATIONS = {"path": "chemin", "query": "paramètre", "body": "corps", "header": "en-tête", "cookie": "cookie",
             "form": "formulaire", "file": "fichier"}


def _expected(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "obligatoire, absent"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == NON_BLANK:
        return "vide ou fait seulement d'espaces"
    if kind == "value_error":  # a validator of ours: its message is French
        return str(error.get("msg", "")).removeprefix("Value error, ")
    simple = {
        "int_parsing": "nombre entier attendu", "int_type": "nombre entier attendu",
        "int_from_float": "nombre entier attendu", "float_parsing": "nombre attendu", "float_type": "nombre attendu",
        "bool_parsing": "booléen attendu (true ou false)", "bool_type": "booléen attendu (true ou false)",
        "string_type": "texte attendu", "list_type": "liste attendue", "dict_type": "objet attendu",
        "model_type": "objet attendu", "model_attributes_type": "objet attendu",
        "uuid_parsing": "identifiant UUID attendu", "uuid_type": "identifiant UUID attendu",
        "date_parsing": "date attendue (AAAA-MM-JJ)", "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
        "datetime_parsing": "date et heure attendues (ISO 8601)", "json_invalid": "JSON invalide",
        "finite_number": "nombre fini attendu", "string_unicode": "texte UTF-8 attendu",
        "extra_forbidden": "champ inconnu",
    }
    if kind in simple:
        return simple[kind]
    bounds = {
        "greater_than_equal": ("au moins", "ge", ""), "greater_than": ("plus de", "gt", ""),
        "less_than_equal": ("au plus", "le", ""), "less_than": ("moins de", "lt", ""),
        "string_too_short": ("au moins", "min_length", "caractère"),
        "string_too_long": ("au plus", "max_length", "caractère"),
        "too_short": ("au moins", "min_length", "élément"), "too_long": ("au plus", "max_length", "élément"),
    }
    if kind in bounds:
        words, key, unit = bounds[kind]
        value = ctx.get(key, "")
        shown = number(value, trim=True) if isinstance(value, (int, float)) else str(value)
        unit = f" {unit}{'s' if isinstance(value, (int, float)) and abs(value) > 1 else ''}" if unit else ""
        return f"{words} {shown}{unit}"
    if kind == "literal_error":
        return f"valeur attendue : {ctx.get('expected', '')}"
    if kind == "enum":
        return f"valeur attendue : {ctx.get('expected', '')}"
    return f"valeur invalide ({kind})" if kind else "valeur invalide"


def describe_validation_error(error: dict) -> str:
    """One French line for one pydantic error of django-ninja: where (``paramètre « limit »``), what."""
    loc = [str(p) for p in error.get("loc", ())]
    where = LOCATIONS.get(loc[0], loc[0]) if loc else "requête"
    # django-ninja puts the name of the body's argument second (``body``, ``payload``, ``text``)
    names = loc[2:] if loc[:1] == ["body"] else loc[1:]
    field = ".".join(names)
    return f"{where} « {field} » : {_expected(error)}" if field else f"{where} : {_expected(error)}"


def install_error_handlers(api) -> None:
    """French bodies for django-ninja's own errors (unknown row, invalid input, authentication, CSRF)."""

    def not_found(request, exc):
        return api.create_response(request, {"detail": "Ressource introuvable."}, status=404)

    def http_error(request, exc):
        message = str(exc)
        if isinstance(exc.__cause__, NulCharacterError):
            message = NUL_MESSAGE
        elif message.startswith("Cannot parse request body"):
            message = "Corps de la requête illisible : un objet JSON était attendu."
        return api.create_response(request, {"detail": ENGLISH_MESSAGES.get(message, message)},
                                   status=exc.status_code)

    def invalid(request, exc):
        lines = list(dict.fromkeys(describe_validation_error(e) for e in exc.errors))
        summary = "Données invalides : " + " ; ".join(lines[:5]) + (" ; …" if len(lines) > 5 else "") + "."
        return api.create_response(request, {"detail": summary, "errors": lines}, status=422)

    def bad_input(request, exc):
        """An error of ours about the input (exit status BAD_INPUT: :class:`InputError`,
        :class:`DataValidationError`) that the endpoint let through: 422 with its French message, not
        a 500. Any other error stays a server error."""
        if exc.exit_code != BAD_INPUT:
            raise exc
        return api.create_response(request, {"detail": exc.message}, status=422)

    api.add_exception_handler(AmorceError, bad_input)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, invalid)
