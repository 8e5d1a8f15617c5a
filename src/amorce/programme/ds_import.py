"""Import applications from Démarche Numérique (ex démarches-simplifiées), GraphQL API v2.

* :class:`DemarcheNumeriqueClient` talks to ``/api/v2/graphql`` with a bearer token (httpx): cursor
  pagination over ``demarche { dossiers(after:) }``, one dossier by number, and the write-back
  mutations (``dossierAccepter``, ``dossierRefuser``, ``dossierClasserSansSuite``,
  ``dossierModifierAnnotationText``). It sends its own query document, or, with
  ``persisted=True``, the name of the official stored query ``ds-query-v2``.
* :class:`FieldMapping` maps champ labels (as shown in the form) to application fields.
* :func:`map_dossier` turns a dossier into a plain application record; :func:`sync` upserts the
  records into an :class:`ApplicationRepository`, keyed on the dossier number, and reports
  created / updated / unchanged. Everything is fetched and mapped before anything is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from amorce.core.config import env_str
from amorce.core.errors import AmorceError, ValidationReport
from amorce.core.files import atomic_write, open_text
from amorce.core.progress import Progress

from .errors import DemarcheNumeriqueError

DEFAULT_BASE_URL = "https://demarche.numerique.gouv.fr"
GRAPHQL_PATH = "/api/v2/graphql"
TOKEN_VARIABLE = "DS_API_TOKEN"
BASE_URL_VARIABLE = "DS_API_URL"
ALLOWED_URLS_VARIABLE = "DS_ALLOWED_URLS"
logger = logging.getLogger("amorce.programme.demarche_numerique")


def token_configured() -> bool:
    """Whether this server has a Démarche Numérique API token (``DS_API_TOKEN``)."""
    return bool(env_str(TOKEN_VARIABLE))


def _base(url: str) -> str:
    """``https://host/`` or ``https://host/api/v2/graphql`` → ``https://host`` (the form compared)."""
    url = url.strip().rstrip("/")
    return url[: -len(GRAPHQL_PATH)] if url.endswith(GRAPHQL_PATH) else url


def allowed_base_urls() -> list[str]:
    """The instances this server may send its token to: ``DS_ALLOWED_URLS`` (comma-separated) if set,
    else the configured ``DS_API_URL`` and the national instance. Server configuration, never a form."""
    listed = env_str(ALLOWED_URLS_VARIABLE)
    urls = [_base(u) for u in listed.split(",") if u.strip()] if listed.strip() else [DEFAULT_BASE_URL]
    configured = env_str(BASE_URL_VARIABLE)
    if configured and not listed.strip():
        urls.append(_base(configured))
    return urls


def configuration_problem() -> str | None:
    """Why this server cannot talk to Démarche Numérique (French, for the back-office), or ``None``.

    Checked before anything is queued; says what the administrator must set, never a command line.
    """
    if not token_configured():
        return ("Démarche Numérique n'est pas configuré sur ce serveur : le jeton d'API (variable "
                f"{TOKEN_VARIABLE}) est absent. Demandez à l'administrateur de la plateforme de le définir.")
    try:
        graphql_url()
    except DemarcheNumeriqueError as exc:
        return exc.message
    return None


def graphql_url(base_url: str | None = None) -> str:
    """The GraphQL endpoint of an allowed instance (``https://host`` or the full ``…/api/v2/graphql``).

    The server's token goes only to an https address of :func:`allowed_base_urls`: an address chosen by
    whoever runs a command or fills a form cannot receive it.
    """
    base = _base(base_url or env_str(BASE_URL_VARIABLE, DEFAULT_BASE_URL))
    if not base.startswith("https://"):
        raise DemarcheNumeriqueError(f"Adresse de Démarche Numérique refusée (« {base} ») : https obligatoire.")
    if base not in allowed_base_urls():
        raise DemarcheNumeriqueError(
            f"Adresse de Démarche Numérique non autorisée (« {base} ») : le jeton d'API n'est envoyé qu'aux "
            f"adresses de la variable {ALLOWED_URLS_VARIABLE} du serveur ({', '.join(allowed_base_urls())}).")
    return base + GRAPHQL_PATH


def remote_failure(summary: str, detail: object, **details: Any) -> DemarcheNumeriqueError:
    """An error that does not repeat what the remote service answered: the answer is logged on the
    server under a short reference, and the French message gives that reference."""
    reference = uuid.uuid4().hex[:8]
    logger.warning("Démarche Numérique [%s] %s : %s", reference, summary, str(detail)[:2000])
    return DemarcheNumeriqueError(f"{summary} (référence {reference} dans le journal du serveur).",
                                  reference=reference, **details)


# Known answers of the service, said in our own words (the remote text itself is never repeated).
KNOWN_REMOTE_ERRORS = {
    "seulement en lecture": "le jeton d'API est configuré seulement en lecture : un jeton en écriture est "
                            "nécessaire.",
}

# Dossier states of Démarche Numérique and their French labels (the application states of amorce
# use the same codes, so the mapping is explicit but one to one).
DS_STATES: dict[str, str] = {
    "en_construction": "en_construction",
    "en_instruction": "en_instruction",
    "accepte": "accepte",
    "refuse": "refuse",
    "sans_suite": "sans_suite",
}
STATE_LABELS: dict[str, str] = {
    "en_construction": "En construction",
    "en_instruction": "En instruction",
    "accepte": "Accepté",
    "refuse": "Refusé",
    "sans_suite": "Classé sans suite",
}

_CHAMP_FIELDS = """
  id
  __typename
  label
  stringValue
  ... on DateChamp { date }
  ... on DatetimeChamp { datetime }
  ... on CheckboxChamp { checked: value }
  ... on YesNoChamp { selected: value }
  ... on DecimalNumberChamp { decimalNumber: value }
  ... on IntegerNumberChamp { integerNumber: value }
  ... on MultipleDropDownListChamp { values }
  ... on PieceJustificativeChamp { files { filename contentType byteSize: byteSizeBigInt checksum url } }
  ... on SiretChamp { etablissement { siret } }
  ... on AddressChamp { address { label postalCode cityName cityCode } }
"""

DOSSIER_FIELDS = f"""
  id
  number
  state
  archived
  dateDepot
  dateDerniereModification
  dateTraitement
  motivation
  usager {{ email }}
  groupeInstructeur {{ id number label }}
  demandeur {{
    __typename
    ... on PersonnePhysique {{ civilite nom prenom email }}
    ... on PersonneMorale {{ siret }}
    ... on PersonneMoraleIncomplete {{ siret }}
  }}
  traitements {{ state emailAgentTraitant dateTraitement motivation }}
  champs {{
    {_CHAMP_FIELDS}
    ... on RepetitionChamp {{ rows {{ champs {{ {_CHAMP_FIELDS} }} }} }}
  }}
  annotations {{ {_CHAMP_FIELDS} }}
"""

DEMARCHE_QUERY = f"""
query getDemarche($demarcheNumber: Int!, $first: Int, $after: String, $updatedSince: ISO8601DateTime,
                  $state: DossierState) {{
  demarche(number: $demarcheNumber) {{
    id
    number
    title
    state
    dossiers(first: $first, after: $after, updatedSince: $updatedSince, state: $state) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {DOSSIER_FIELDS} }}
    }}
  }}
}}
"""

DOSSIER_QUERY = f"""
query getDossier($dossierNumber: Int!) {{
  dossier(number: $dossierNumber) {{ {DOSSIER_FIELDS} }}
}}
"""

_DECISION_MUTATION = """
mutation {name}($input: {input_type}!) {{
  {name}(input: $input) {{
    dossier {{ id number state }}
    errors {{ message }}
  }}
}}
"""

ANNOTATION_TEXT_MUTATION = """
mutation dossierModifierAnnotationText($input: DossierModifierAnnotationTextInput!) {
  dossierModifierAnnotationText(input: $input) {
    annotation { id stringValue }
    errors { message }
  }
}
"""


SEND_MESSAGE_MUTATION = """
mutation dossierEnvoyerMessage($input: DossierEnvoyerMessageInput!) {
  dossierEnvoyerMessage(input: $input) {
    message { id createdAt }
    errors { message }
  }
}
"""


def _graphql_failure(summary: str, errors: object) -> DemarcheNumeriqueError:
    """A GraphQL ``errors`` list as a French error: a known cause in our words, else a logged reference."""
    text = json.dumps(errors, ensure_ascii=False, default=str)
    for marker, message in KNOWN_REMOTE_ERRORS.items():
        if marker in text:
            logger.info("Démarche Numérique : %s (%s)", summary, text[:2000])
            return DemarcheNumeriqueError(f"{summary} : {message}")
    return remote_failure(summary, text)


class DemarcheNumeriqueClient:
    """Minimal synchronous client of the Démarche Numérique GraphQL API v2."""

    def __init__(self, token: str | None = None, base_url: str | None = None, *, page_size: int = 100,
                 timeout: float = 60.0, persisted: bool = False, max_retries: int = 3,
                 sleep: Callable[[float], None] = time.sleep, transport: Any = None) -> None:
        import httpx

        token = token or env_str(TOKEN_VARIABLE) or None
        if not token:
            raise DemarcheNumeriqueError(
                f"Jeton d'API Démarche Numérique absent : la variable {TOKEN_VARIABLE} n'est pas définie sur ce serveur.")
        self.url = graphql_url(base_url)
        self.page_size = page_size
        self.persisted = persisted
        self.max_retries = max_retries
        self.sleep = sleep
        self.http = httpx.Client(timeout=timeout, transport=transport, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "User-Agent": "amorce-programme"})

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> DemarcheNumeriqueClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport

    def execute(self, query: str | None, variables: Mapping[str, Any], operation_name: str) -> dict[str, Any]:
        """POST one GraphQL operation; return ``data`` or raise a French :class:`DemarcheNumeriqueError`."""
        import httpx

        body: dict[str, Any] = {"operationName": operation_name, "variables": dict(variables)}
        if query is None:
            body["queryId"] = "ds-query-v2"
        else:
            body["query"] = query
        attempt = 0
        while True:
            try:
                response = self.http.post(self.url, json=body)
            except httpx.HTTPError as exc:
                if attempt < self.max_retries:
                    attempt += 1
                    self.sleep(2 ** attempt)
                    continue
                raise remote_failure(f"Démarche Numérique injoignable ({self.url})", repr(exc)) from exc
            if response.status_code in (429, 502, 503, 504) and attempt < self.max_retries:
                attempt += 1
                retry_after = response.headers.get("Retry-After", "")
                self.sleep(float(retry_after) if retry_after.isdigit() else 2 ** attempt)
                continue
            break
        if response.status_code in (401, 403):
            raise DemarcheNumeriqueError("Jeton d'API Démarche Numérique refusé (invalide, expiré ou sans accès à "
                                         "cette démarche).", status=response.status_code)
        if response.status_code >= 300:
            raise remote_failure(f"Démarche Numérique a répondu par l'erreur HTTP {response.status_code}",
                                 response.text, status=response.status_code)
        try:
            payload = response.json()
        except ValueError as exc:
            raise remote_failure("Réponse de Démarche Numérique illisible (JSON attendu)", response.text) from exc
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if errors:
            raise _graphql_failure("Démarche Numérique a renvoyé une erreur", errors)
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise DemarcheNumeriqueError("Réponse de Démarche Numérique sans données.")
        return data

    # -- queries

    def iter_pages(self, demarche_number: int, *, updated_since: str | None = None,
                   state: str | None = None) -> Iterator[dict[str, Any]]:
        """Yield each ``demarche`` payload page by page, following ``pageInfo.endCursor``."""
        after: str | None = None
        while True:
            variables: dict[str, Any] = {"demarcheNumber": demarche_number, "first": self.page_size}
            if after:
                variables["after"] = after
            if updated_since:
                variables["updatedSince"] = updated_since
            if state:
                variables["state"] = state
            if self.persisted:
                variables["includeDossiers"] = True
            data = self.execute(None if self.persisted else DEMARCHE_QUERY, variables, "getDemarche")
            demarche = data.get("demarche")
            if demarche is None:
                raise DemarcheNumeriqueError(f"Démarche n° {demarche_number} introuvable ou inaccessible avec ce jeton.")
            yield demarche
            info = (demarche.get("dossiers") or {}).get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return
            if not info.get("endCursor") or info.get("endCursor") == after:
                raise DemarcheNumeriqueError("Pagination incohérente : le curseur de page suivante est absent.")
            after = info["endCursor"]

    def fetch_dossiers(self, demarche_number: int, *, progress: Progress | None = None,
                       **kwargs: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """All dossiers of a démarche (every page) and the démarche's description.

        ``progress`` (:mod:`amorce.core.progress`) counts pages: the total is not known before the last
        page, so each report says « this many pages read, and one more to come » while there is one."""
        meta: dict[str, Any] = {}
        dossiers: list[dict[str, Any]] = []
        for pages, demarche in enumerate(self.iter_pages(demarche_number, **kwargs), start=1):
            meta = {k: v for k, v in demarche.items() if k != "dossiers"}
            block = demarche.get("dossiers") or {}
            dossiers.extend(block.get("nodes") or [])
            if progress:
                more = bool((block.get("pageInfo") or {}).get("hasNextPage"))
                progress(pages, pages + more, f"Lecture des dossiers : {len(dossiers)} reçus")
        return meta, dossiers

    def fetch_dossier(self, number: int) -> dict[str, Any]:
        data = self.execute(None if self.persisted else DOSSIER_QUERY, {"dossierNumber": number}, "getDossier")
        if not data.get("dossier"):
            raise DemarcheNumeriqueError(f"Dossier n° {number} introuvable ou inaccessible avec ce jeton.")
        return data["dossier"]

    # -- write-back

    def _mutate(self, name: str, query: str, inputs: dict[str, Any]) -> dict[str, Any]:
        data = self.execute(query, {"input": inputs}, name)
        result = data.get(name) or {}
        errors = result.get("errors") or []
        if errors:
            raise _graphql_failure("Démarche Numérique a refusé l'opération", errors)
        return result

    def _decide(self, name: str, input_type: str, dossier_id: str, instructeur_id: str,
                motivation: str | None, disable_notification: bool) -> dict[str, Any]:
        inputs: dict[str, Any] = {"dossierId": dossier_id, "instructeurId": instructeur_id,
                                  "disableNotification": disable_notification}
        if motivation is not None:
            inputs["motivation"] = motivation
        query = _DECISION_MUTATION.format(name=name, input_type=input_type)
        return self._mutate(name, query, inputs)["dossier"]

    def accept(self, dossier_id: str, instructeur_id: str, motivation: str | None = None, *,
               disable_notification: bool = False) -> dict[str, Any]:
        return self._decide("dossierAccepter", "DossierAccepterInput", dossier_id, instructeur_id, motivation,
                            disable_notification)

    def refuse(self, dossier_id: str, instructeur_id: str, motivation: str, *,
               disable_notification: bool = False) -> dict[str, Any]:
        if not motivation:
            raise DemarcheNumeriqueError("Un refus doit être motivé.")
        return self._decide("dossierRefuser", "DossierRefuserInput", dossier_id, instructeur_id, motivation,
                            disable_notification)

    def classer_sans_suite(self, dossier_id: str, instructeur_id: str, motivation: str, *,
                           disable_notification: bool = False) -> dict[str, Any]:
        if not motivation:
            raise DemarcheNumeriqueError("Un classement sans suite doit être motivé.")
        return self._decide("dossierClasserSansSuite", "DossierClasserSansSuiteInput", dossier_id, instructeur_id,
                            motivation, disable_notification)

    def passer_en_instruction(self, dossier_id: str, instructeur_id: str, *,
                              disable_notification: bool = False) -> dict[str, Any]:
        """Move a dossier from « en construction » to « en instruction » (needed before a decision)."""
        query = _DECISION_MUTATION.format(name="dossierPasserEnInstruction",
                                          input_type="DossierPasserEnInstructionInput")
        return self._mutate("dossierPasserEnInstruction", query, {
            "dossierId": dossier_id, "instructeurId": instructeur_id,
            "disableNotification": disable_notification})["dossier"]

    def write_decision(self, decision: str, dossier_id: str, instructeur_id: str, motivation: str | None = None,
                       **kwargs: Any) -> dict[str, Any]:
        """Write back an amorce decision state (``accepte``, ``refuse``, ``sans_suite``)."""
        actions = {"accepte": self.accept, "refuse": self.refuse, "sans_suite": self.classer_sans_suite}
        if decision not in actions:
            raise DemarcheNumeriqueError(f"Décision « {decision} » inconnue : accepte, refuse ou sans_suite attendu.")
        return actions[decision](dossier_id, instructeur_id, motivation, **kwargs)

    def send_message(self, dossier_id: str, instructeur_id: str, body: str) -> dict[str, Any]:
        """Send a message to the applicant through the dossier's messaging."""
        return self._mutate("dossierEnvoyerMessage", SEND_MESSAGE_MUTATION, {
            "dossierId": dossier_id, "instructeurId": instructeur_id, "body": body})["message"]

    def set_private_annotation(self, dossier_id: str, annotation_id: str, instructeur_id: str,
                               value: str) -> dict[str, Any]:
        """Write a text private annotation (visible to instructeurs only)."""
        return self._mutate("dossierModifierAnnotationText", ANNOTATION_TEXT_MUTATION, {
            "dossierId": dossier_id, "annotationId": annotation_id, "instructeurId": instructeur_id,
            "value": value})["annotation"]


# ------------------------------------------------------------------------------------------- mapping


def normalise_label(label: str) -> str:
    """Labels compare without case, accents differences in form (NFC), extra spaces, final colon."""
    text = unicodedata.normalize("NFC", label or "").replace("\u2019", "'").replace("\xa0", " ")
    text = " ".join(text.split()).rstrip(" :?").casefold()
    return text


@dataclass
class FieldMapping:
    """Application field → champ label (``fields``) and → private annotation label (``annotations``)."""

    fields: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "correspondance") -> FieldMapping:
        report = ValidationReport(file=source)
        if not isinstance(data, Mapping):
            report.add("la correspondance doit être un objet JSON", expected='{"fields": {…}, "annotations": {…}}')
            report.raise_if_any("Correspondance des champs invalide")
        unknown = set(data) - {"fields", "annotations"}
        for key in sorted(unknown):
            report.add("clé inconnue", column=key, expected="fields, annotations")
        out = {}
        for key in ("fields", "annotations"):
            value = data.get(key, {})
            if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) and v
                                                         for k, v in value.items()):
                report.add("doit associer des noms de champs à des libellés non vides", column=key,
                           expected='{"champ_amorce": "Libellé dans Démarche Numérique"}')
                value = {}
            out[key] = dict(value)
        report.raise_if_any("Correspondance des champs invalide")
        return cls(**out)

    @classmethod
    def load(cls, path: str | Path) -> FieldMapping:
        path = Path(path)
        try:
            with open_text(path) as handle:  # UTF-8 (with or without BOM) or Windows-1252
                data = json.load(handle)
        except AmorceError as exc:
            raise DemarcheNumeriqueError(f"Fichier de correspondance : {exc.message}", **exc.details) from exc
        except json.JSONDecodeError as exc:
            raise DemarcheNumeriqueError(f"Fichier de correspondance {path} : JSON invalide ligne {exc.lineno} "
                                         f"({exc.msg}).") from exc
        return cls.from_dict(data, source=str(path))


# Labels of the amorce application form when it is published on Démarche Numérique.
DEFAULT_MAPPING = FieldMapping(
    fields={
        "structure_name": "Nom de la structure",
        "siret": "SIRET de la structure",
        "structure_kind": "Type de structure",
        "ministry": "Ministère de rattachement",
        "contact_email": "Courriel du porteur de projet",
        "title": "Titre du projet",
        "use_case_family": "Famille de cas d'usage",
        "problem": "Problème à résoudre",
        "benefits": "Bénéfices attendus",
        "data_description": "Données disponibles",
        "personal_data": "Le projet traite-t-il des données personnelles",
        "budget": "Budget demandé (en euros)",
        "attachments": "Pièces jointes",
    },
    annotations={"jury_score": "Note du jury", "decision_note": "Avis de l'instructeur"},
)


def champ_value(champ: Mapping[str, Any]) -> Any:
    """Typed value of a champ according to its ``__typename``."""
    kind = champ.get("__typename", "")
    text = champ.get("stringValue")
    if kind in ("YesNoChamp", "CheckboxChamp"):
        for key in ("selected", "checked", "value"):
            if isinstance(champ.get(key), bool):
                return champ[key]
        return {"true": True, "false": False}.get(str(text).lower()) if text not in (None, "") else None
    if kind == "IntegerNumberChamp":
        raw = champ.get("integerNumber", champ.get("value", text))
        return int(raw) if raw not in (None, "") else None
    if kind == "DecimalNumberChamp":
        raw = champ.get("decimalNumber", champ.get("value", text))
        return float(raw) if raw not in (None, "") else None
    if kind == "DateChamp":
        return champ.get("date") or text or None
    if kind == "DatetimeChamp":
        return champ.get("datetime") or text or None
    if kind == "MultipleDropDownListChamp":
        return list(champ.get("values") or [])
    if kind == "PieceJustificativeChamp":
        return [{"filename": f.get("filename"), "content_type": f.get("contentType"),
                 "size": int(f["byteSize"]) if f.get("byteSize") not in (None, "") else None,
                 "checksum": f.get("checksum"), "url": f.get("url")} for f in champ.get("files") or []]
    if kind == "SiretChamp":
        return ((champ.get("etablissement") or {}).get("siret")) or text or None
    if kind == "RepetitionChamp":
        return [{c.get("label"): champ_value(c) for c in row.get("champs") or []} for row in champ.get("rows") or []]
    return text if text not in ("",) else None


def _index(champs: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for champ in champs or []:
        out.setdefault(normalise_label(champ.get("label", "")), champ)
    return out


def map_dossier(dossier: Mapping[str, Any], mapping: FieldMapping) -> tuple[dict[str, Any], list[str]]:
    """Plain application record of a dossier, and the mapped labels this dossier lacks."""
    state = dossier.get("state")
    if state not in DS_STATES:
        raise DemarcheNumeriqueError(f"Dossier n° {dossier.get('number')} : état « {state} » inconnu.")
    champs = _index(dossier.get("champs") or [])
    annotations = _index(dossier.get("annotations") or [])
    missing = []
    fields: dict[str, Any] = {}
    for name, label in mapping.fields.items():
        champ = champs.get(normalise_label(label))
        if champ is None:
            missing.append(label)
            fields[name] = None
        else:
            fields[name] = champ_value(champ)
    notes: dict[str, Any] = {}
    annotation_ids: dict[str, str] = {}
    for name, label in mapping.annotations.items():
        champ = annotations.get(normalise_label(label))
        notes[name] = champ_value(champ) if champ else None
        if champ:
            annotation_ids[name] = champ.get("id")
    demandeur = dict(dossier.get("demandeur") or {})
    history = [{"state": t.get("state") or t.get("event"), "date": t.get("dateTraitement"),
                "by": t.get("emailAgentTraitant"), "motivation": t.get("motivation")}
               for t in dossier.get("traitements") or []]
    record = {
        "ds_number": int(dossier["number"]),
        "ds_id": dossier.get("id"),
        "state": DS_STATES[state],
        "state_label": STATE_LABELS[DS_STATES[state]],
        "archived": bool(dossier.get("archived")),
        "deposited_at": dossier.get("dateDepot"),
        "updated_at": dossier.get("dateDerniereModification"),
        "processed_at": dossier.get("dateTraitement"),
        "motivation": dossier.get("motivation"),
        "applicant_email": (dossier.get("usager") or {}).get("email"),
        "applicant": {k: v for k, v in demandeur.items() if k != "__typename"} | {"type": demandeur.get("__typename")},
        "instructeur_group": (dossier.get("groupeInstructeur") or {}).get("label"),
        "fields": fields,
        "annotations": notes,
        "annotation_ids": annotation_ids,
        "history": history,
    }
    record["fingerprint"] = fingerprint(record)
    return record, missing


def fingerprint(record: Mapping[str, Any]) -> str:
    """Content hash of a record, ignoring signed download URLs (they change at every request)."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("url", "fingerprint")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    canonical = json.dumps(strip(dict(record)), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------- persistence


class ApplicationRepository(Protocol):
    """Where imported applications live (in memory in tests, Django ORM in the web app)."""

    def get_by_ds_number(self, number: int) -> Mapping[str, Any] | None: ...

    def save(self, record: Mapping[str, Any]) -> None: ...

    def atomic(self) -> contextlib.AbstractContextManager[Any]: ...


class InMemoryRepository:
    """Dict-backed repository; ``atomic`` restores the previous content if the block fails."""

    def __init__(self) -> None:
        self.records: dict[int, dict[str, Any]] = {}

    def get_by_ds_number(self, number: int) -> Mapping[str, Any] | None:
        return self.records.get(number)

    def save(self, record: Mapping[str, Any]) -> None:
        self.records[int(record["ds_number"])] = json.loads(json.dumps(record, default=str))

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        snapshot = {k: dict(v) for k, v in self.records.items()}
        try:
            yield
        except BaseException:
            self.records = snapshot
            raise


@dataclass
class SyncReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    missing_labels: dict[str, list[int]] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged),
                "missing_labels": {k: len(v) for k, v in self.missing_labels.items()}}

    def summary_fr(self) -> str:
        text = (f"{len(self.created)} dossier(s) créé(s), {len(self.updated)} mis à jour, "
                f"{len(self.unchanged)} inchangé(s).")
        if self.missing_labels:
            text += " Champs absents de certains dossiers : " + ", ".join(
                f"« {k} » ({len(v)})" for k, v in self.missing_labels.items()) + "."
        return text


def map_all(dossiers: Sequence[Mapping[str, Any]], mapping: FieldMapping) -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    """Map every dossier; a mapped label found in *no* dossier is a mapping error (reported at once)."""
    records, missing = [], {}
    for dossier in dossiers:
        record, lacks = map_dossier(dossier, mapping)
        records.append(record)
        for label in lacks:
            missing.setdefault(label, []).append(record["ds_number"])
    if dossiers:
        report = ValidationReport(file="correspondance des champs")
        for label, numbers in missing.items():
            if len(numbers) == len(dossiers):
                report.add("aucun dossier n'a de champ portant ce libellé", column=label,
                           expected="un libellé exact du formulaire Démarche Numérique")
        report.raise_if_any("Correspondance des champs incompatible avec la démarche")
    return records, missing


def sync(dossiers: Sequence[Mapping[str, Any]], mapping: FieldMapping, repository: ApplicationRepository) -> SyncReport:
    """Idempotent upsert keyed on the dossier number: created / updated / unchanged."""
    records, missing = map_all(dossiers, mapping)
    report = SyncReport(missing_labels=missing, records=records)
    with repository.atomic():
        for record in records:
            existing = repository.get_by_ds_number(record["ds_number"])
            if existing is None:
                repository.save(record)
                report.created.append(record["ds_number"])
            elif existing.get("fingerprint") != record["fingerprint"]:
                repository.save(record)
                report.updated.append(record["ds_number"])
            else:
                report.unchanged.append(record["ds_number"])
    return report


def write_jsonl(records: Sequence[Mapping[str, Any]], path: str | Path) -> None:
    """Write records as JSON Lines, atomically."""
    with atomic_write(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")

