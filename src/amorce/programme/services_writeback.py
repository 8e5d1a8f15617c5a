"""Write the decisions of amorce, and a private annotation, back to Démarche Numérique.

The programme team starts it from the web (a job, per call or for chosen dossiers). For each dossier
imported from Démarche Numérique, the current dossier is read first, so that the write-back is
idempotent (a dossier already in the decided state, or an annotation already holding the text, is left
alone) and never overwrites a decision taken on Démarche Numérique itself. Written operations cannot be
rolled back on Démarche Numérique: errors on one dossier are reported and the others go on; an error of
the service itself (token refused, service unreachable) stops the job, saying what was already written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from amorce.core.config import env_str
from amorce.core.progress import Progress
from amorce.web.audit import record

from .ds_import import DemarcheNumeriqueClient, normalise_label
from .errors import DemarcheNumeriqueError
from .models import FINAL_STATES, Application, Call, State, eligibility_label

INSTRUCTEUR_VARIABLE = "DS_INSTRUCTEUR_ID"
STATE_LABELS = dict(State.choices)


def annotation_text(app: Application) -> str:
    """The private annotation written for a dossier: score, eligibility and decision in amorce."""
    lines = []
    if app.score is not None:
        lines.append(
            f"Score pondéré du jury (amorce) : {app.score:.2f}/20, {app.review_count} évaluation(s).".replace(
                ".", ",", 1
            )
        )
    lines.append(f"Éligibilité : {eligibility_label(app.eligibility_auto, app.eligibility_confirmed)[0]}.")
    decision = getattr(app, "decision", None)
    if decision is not None:
        lines.append(
            f"Décision : {decision.get_decision_display()}"
            + (f" — {decision.motivation}" if decision.motivation else "")
            + "."
        )
    return "\n".join(lines)


@dataclass
class WriteBackReport:
    decisions: list[str] = field(default_factory=list)
    annotations: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "decisions": len(self.decisions),
            "annotations": len(self.annotations),
            "unchanged": len(self.unchanged),
            "errors": [f"{ref} : {msg}" for ref, msg in self.errors],
        }

    def summary_fr(self) -> str:
        text = (
            f"{len(self.decisions)} décision(s) et {len(self.annotations)} annotation(s) écrites, "
            f"{len(self.unchanged)} dossier(s) déjà à jour"
        )
        return text + (f", {len(self.errors)} dossier(s) en erreur." if self.errors else ".")


def dossiers_to_push(call: Call, references: Iterable[str] | None = None):
    """Dossiers of ``call`` imported from Démarche Numérique (optionally only ``references``)."""
    qs = (
        Application.objects.filter(call=call, ds_number__isnull=False)
        .select_related("decision")
        .order_by("reference")
    )
    return qs.filter(reference__in=list(references)) if references else qs


def _decision_to_push(app: Application) -> str | None:
    decision = getattr(app, "decision", None)
    if decision is None or app.state not in FINAL_STATES or decision.decision != app.state:
        return None
    return decision.decision


def push_dossier(
    client: DemarcheNumeriqueClient,
    app: Application,
    *,
    instructeur_id: str,
    annotation_label: str | None,
    disable_notification: bool,
    written: list[str],
) -> None:
    """Write one dossier back; what was written (``decision``, ``annotation``) goes into ``written`` at once,
    so that it is known even when a later step of the same dossier fails."""
    dossier = client.fetch_dossier(app.ds_number)
    dossier_id = dossier.get("id") or (app.ds_record or {}).get("ds_id")
    decision = _decision_to_push(app)
    if decision is not None:
        current = dossier.get("state")
        if current in FINAL_STATES and current != decision:
            raise DemarcheNumeriqueError(
                f"déjà « {STATE_LABELS.get(current, current)} » sur Démarche Numérique : la décision d'amorce "
                f"(« {STATE_LABELS[decision]} ») n'y est pas écrite ; repassez le dossier en instruction sur "
                "Démarche Numérique si elle doit changer."
            )
        if current != decision:
            if current == State.EN_CONSTRUCTION:
                client.passer_en_instruction(
                    dossier_id, instructeur_id, disable_notification=disable_notification
                )
            client.write_decision(
                decision,
                dossier_id,
                instructeur_id,
                app.decision.motivation or None,
                disable_notification=disable_notification,
            )
            written.append("decision")
    if annotation_label:
        wanted = normalise_label(annotation_label)
        champ = next(
            (c for c in dossier.get("annotations") or [] if normalise_label(c.get("label", "")) == wanted),
            None,
        )
        if champ is None:
            raise DemarcheNumeriqueError(f"la démarche n'a pas d'annotation privée « {annotation_label} ».")
        text = annotation_text(app)
        if (champ.get("stringValue") or "") != text:
            client.set_private_annotation(dossier_id, champ["id"], instructeur_id, text)
            written.append("annotation")


def push_to_demarche_numerique(
    call: Call,
    client: DemarcheNumeriqueClient,
    *,
    instructeur_id: str,
    annotation_label: str | None = None,
    references: Iterable[str] | None = None,
    disable_notification: bool = False,
    user=None,
    progress: Progress | None = None,
) -> WriteBackReport:
    """Write decisions (with motivation) and the private annotation of the call's dossiers back."""
    if not instructeur_id:
        raise DemarcheNumeriqueError(
            "Identifiant d'instructeur Démarche Numérique absent : indiquez-le, ou "
            f"définissez la variable {INSTRUCTEUR_VARIABLE} du serveur."
        )
    apps = list(dossiers_to_push(call, references))
    report = WriteBackReport()
    try:
        for index, app in enumerate(apps, start=1):
            written: list[str] = []
            try:
                push_dossier(
                    client,
                    app,
                    instructeur_id=instructeur_id,
                    annotation_label=annotation_label,
                    disable_notification=disable_notification,
                    written=written,
                )
            except DemarcheNumeriqueError as exc:
                _account(report, app, written, user, failed=True)
                # the service itself fails (token refused, unreachable): stop
                if exc.details.get("status") or "injoignable" in exc.message:
                    raise DemarcheNumeriqueError(
                        f"{exc.message} Arrêt au dossier {app.reference} ; déjà fait : {report.summary_fr()}",
                        **exc.details,
                    ) from exc
                report.errors.append((app.reference, exc.message))
            else:
                _account(report, app, written, user, failed=False)
            if progress:
                progress(index, len(apps), f"Dossiers : {index}/{len(apps)}")
    finally:
        record("programme_ds_ecriture", user=user, obj=call, **report.to_dict())
    return report


def _account(report: WriteBackReport, app: Application, written: list[str], user, *, failed: bool) -> None:
    if "decision" in written:
        report.decisions.append(app.reference)
    if "annotation" in written:
        report.annotations.append(app.reference)
    if written:
        record("programme_ds_ecriture_dossier", user=user, obj=app, written=written, ds_number=app.ds_number)
    elif not failed:
        report.unchanged.append(app.reference)


def configured_instructeur() -> str:
    return env_str(INSTRUCTEUR_VARIABLE)
