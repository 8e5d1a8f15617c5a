"""Model cards and CRPA explanations, rendered to Markdown and HTML.

* :class:`CrpaExplanation` follows article R311-3-1-2 of the code des relations entre le public et
  l'administration: on request, the administration tells the person concerned (1°) the degree and
  mode of contribution of the algorithmic processing to the decision, (2°) the data processed and
  their sources, (3°) the processing parameters and, where relevant, their weights, applied to the
  person's situation, (4°) the operations performed by the processing.
* :func:`mention_explicite` is the notice that article L311-3-1 requires on every individual
  decision taken on the basis of an algorithmic processing.
* :class:`ModelCard` documents a trained model: data, period, metrics, limits, intended use.

Use cases fill these structures; the web layer shows ``to_html()`` and offers ``to_markdown()``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import Any

from . import formats
from .files import atomic_write

# French labels of the parameters and metrics that model cards show (a card's own ``labels`` come
# first). A key missing here is shown humanised (« Min child samples »), never with underscores.
LABELS: dict[str, str] = {
    # gradient boosting (LightGBM) and other learners
    "objective": "objectif d'apprentissage",
    "binary": "classification binaire",
    "learning_rate": "taux d'apprentissage",
    "num_leaves": "nombre maximal de feuilles par arbre",
    "max_depth": "profondeur maximale des arbres",
    "min_data_in_leaf": "observations minimales par feuille",
    "feature_fraction": "part des variables tirée pour chaque arbre",
    "bagging_fraction": "part des observations tirée pour chaque arbre",
    "bagging_freq": "fréquence du tirage des observations (en arbres)",
    "lambda_l1": "régularisation L1",
    "lambda_l2": "régularisation L2",
    "cat_smooth": "lissage des variables catégorielles",
    "min_data_per_group": "observations minimales par modalité",
    "max_bin": "nombre maximal d'intervalles par variable",
    "seed": "graine aléatoire",
    "n_estimators": "nombre d'arbres",
    "num_boost_round": "nombre maximal d'itérations",
    "early_stopping": "arrêt précoce (itérations sans progrès)",
    "iterations": "itérations retenues",
    "ensemble": "nombre de modèles moyennés",
    "calibration": "méthode de calibration",
    "isotonic": "isotonique",
    "sigmoid": "sigmoïde (Platt)",
    "variables": "variables utilisées",
    "C": "inverse de la régularisation",
    "class_weight": "pondération des classes",
    "balanced": "équilibrée",
    # metrics
    "auc": "AUC",
    "roc_auc": "AUC ROC",
    "validation_auc": "AUC (validation)",
    "brier": "score de Brier",
    "brier_before_calibration": "score de Brier avant calibration",
    "brier_after_calibration": "score de Brier après calibration",
    "accuracy": "exactitude",
    "precision": "précision",
    "recall": "rappel",
    "f1": "F1",
    "training_inspections": "inspections d'entraînement",
    "validation_inspections": "inspections de validation",
    "validation_event_rate": "taux d'inspections défavorables (validation)",
}


def label(key: str, labels: dict[str, str] | None = None) -> str:
    """The French label of a parameter or metric name: ``learning_rate`` → « Taux d'apprentissage »."""
    text = (labels or {}).get(key) or LABELS.get(key) or str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


def fairness_alert(group: str, value: str, measure: str, group_rate: float, overall_rate: float,
                   threshold: float) -> str:
    """A disparity found by a fairness audit, as a sentence people read.

    ``group`` is the group's name in words (« département »), ``measure`` what is compared in words
    (« taux de sélection », « précision »); rates are ratios (0.12 for 12 %)::

        Département « 75 » : taux de sélection de 12 %, soit 1,6 fois la moyenne (7,5 %) ;
        l'écart dépasse le seuil d'alerte (1,25 fois).
    """
    ratio = group_rate / overall_rate if overall_rate else float("nan")
    if ratio >= 1:
        comparison = f"soit {formats.number(ratio, 1, trim=True)} fois la moyenne"
    else:
        comparison = (f"soit {formats.number(1 / ratio, 1, trim=True)} fois moins que la moyenne"
                      if ratio > 0 else "contre")
    return (f"{group[:1].upper()}{group[1:]} « {value} » : {measure} de {formats.percent(group_rate, 1, trim=True)}, "
            f"{comparison} ({formats.percent(overall_rate, 1, trim=True)}) ; l'écart dépasse le seuil d'alerte "
            f"({formats.number(threshold, 2, trim=True)} fois).")


def mention_explicite(purpose: str, contact: str, *, administration: str = "l'administration") -> str:
    """The explicit notice of article L311-3-1 CRPA, in French."""
    return (
        f"Cette décision a été prise sur le fondement d'un traitement algorithmique ({purpose}). "
        f"Conformément aux articles L311-3-1 et R311-3-1-2 du code des relations entre le public et "
        f"l'administration, vous pouvez demander à {administration} la communication des règles "
        f"définissant ce traitement et des principales caractéristiques de sa mise en œuvre "
        f"(degré et mode de contribution à la décision, données traitées et leurs sources, paramètres "
        f"et leur pondération appliqués à votre situation, opérations effectuées) : {contact}."
    )


@dataclass
class DataSource:
    name: str
    description: str = ""
    origin: str = ""
    period: str = ""


@dataclass
class Parameter:
    """A processing parameter as applied to the case: value, weight, contribution."""

    name: str
    value: Any = None
    weight: float | None = None
    contribution: float | None = None
    description: str = ""


@dataclass
class CrpaExplanation:
    subject: str
    administration: str
    contribution_degree: str
    contribution_mode: str
    data_sources: list[DataSource] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    result: str = ""
    human_review: str = ""
    contact: str = ""
    generated_on: str = field(default_factory=lambda: date.today().isoformat())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_markdown(self) -> str:
        out = [f"# Explication de la décision : {self.subject}", "",
               f"*{self.administration} — explication établie le {_date(self.generated_on)} "
               f"(article R311-3-1-2 du CRPA).*", ""]
        out += ["## 1. Degré et mode de contribution du traitement algorithmique", "",
                f"**Degré :** {self.contribution_degree}", "", f"**Mode :** {self.contribution_mode}", ""]
        if self.human_review:
            out += [f"**Intervention humaine :** {self.human_review}", ""]
        out += ["## 2. Données traitées et leurs sources", ""]
        out += [f"- **{d.name}**" + (f" — {d.description}" if d.description else "")
                + (f" (source : {d.origin}" + (f", période : {d.period}" if d.period else "") + ")"
                   if d.origin else "") for d in self.data_sources] or ["- (aucune donnée)"]
        out += ["", "## 3. Paramètres et pondérations appliqués à votre situation", "",
                "| Paramètre | Valeur pour vous | Pondération | Contribution |", "|---|---|---|---|"]
        for p in self.parameters:
            out.append(f"| {p.name} | {_fmt(p.value)} | {_fmt(p.weight)} | {_fmt(p.contribution)} |")
        out += ["", "## 4. Opérations effectuées par le traitement", ""]
        out += [f"{i}. {op}" for i, op in enumerate(self.operations, start=1)]
        if self.result:
            out += ["", "## Résultat", "", self.result]
        if self.contact:
            out += ["", f"*Pour toute question ou pour contester cette décision : {self.contact}.*"]
        return "\n".join(out) + "\n"

    def to_html(self) -> str:
        e = escape
        rows = "".join(
            f"<tr><td>{e(p.name)}</td><td>{e(_fmt(p.value))}</td><td>{e(_fmt(p.weight))}</td>"
            f"<td>{e(_fmt(p.contribution))}</td></tr>" for p in self.parameters)
        sources = "".join(
            f"<li><strong>{e(d.name)}</strong>{' — ' + e(d.description) if d.description else ''}"
            f"{' (source : ' + e(d.origin) + (', période : ' + e(d.period) if d.period else '') + ')' if d.origin else ''}</li>"
            for d in self.data_sources)
        ops = "".join(f"<li>{e(op)}</li>" for op in self.operations)
        return (
            f'<section class="amorce-crpa"><h2>Explication de la décision : {e(self.subject)}</h2>'
            f"<p><em>{e(self.administration)} — explication établie le {e(_date(self.generated_on))} "
            f"(article R311-3-1-2 du CRPA).</em></p>"
            f"<h3>1. Degré et mode de contribution du traitement algorithmique</h3>"
            f"<p><strong>Degré :</strong> {e(self.contribution_degree)}</p>"
            f"<p><strong>Mode :</strong> {e(self.contribution_mode)}</p>"
            + (f"<p><strong>Intervention humaine :</strong> {e(self.human_review)}</p>" if self.human_review else "")
            + f"<h3>2. Données traitées et leurs sources</h3><ul>{sources}</ul>"
            f"<h3>3. Paramètres et pondérations appliqués à votre situation</h3>"
            f'<div class="fr-table"><table><caption>Paramètres appliqués</caption><thead><tr>'
            f'<th scope="col">Paramètre</th><th scope="col">Valeur pour vous</th>'
            f'<th scope="col">Pondération</th><th scope="col">Contribution</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
            f"<h3>4. Opérations effectuées par le traitement</h3><ol>{ops}</ol>"
            + (f"<h3>Résultat</h3><p>{e(self.result)}</p>" if self.result else "")
            + (f"<p><em>Pour toute question ou pour contester cette décision : {e(self.contact)}.</em></p>"
               if self.contact else "")
            + "</section>"
        )


@dataclass
class ModelCard:
    name: str
    version: str
    intended_use: str
    task: str = ""
    out_of_scope: str = ""
    training_data: list[DataSource] = field(default_factory=list)
    evaluation_data: list[DataSource] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    limits: list[str] = field(default_factory=list)
    ethical_considerations: list[str] = field(default_factory=list)
    owner: str = ""
    created: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))
    labels: dict[str, str] = field(default_factory=dict)  # French labels of this card's own keys

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelCard:
        data = dict(data)
        data["training_data"] = [DataSource(**d) for d in data.get("training_data", [])]
        data["evaluation_data"] = [DataSource(**d) for d in data.get("evaluation_data", [])]
        return cls(**data)

    def save(self, path: str | Path) -> None:
        with atomic_write(path) as handle:
            json.dump(self.to_dict(), handle, ensure_ascii=False, indent=2, default=str)

    def label(self, key: str) -> str:
        return label(key, self.labels)

    def value(self, value: Any) -> str:
        """A parameter or metric value: words for known codes (« binary »), « oui »/« non », French numbers."""
        if isinstance(value, str) and (value in self.labels or value in LABELS):
            return label(value, self.labels)
        return _fmt(value)

    def to_markdown(self) -> str:
        out = [f"# Fiche modèle : {self.name} (version {self.version})", "",
               f"*Créée le {_date(self.created)}*" + (f" — responsable : {self.owner}" if self.owner else ""), "",
               "## Usage prévu", "", self.intended_use, ""]
        if self.task:
            out += ["## Tâche", "", self.task, ""]
        if self.out_of_scope:
            out += ["## Usages exclus", "", self.out_of_scope, ""]
        for title, sources in (("Données d'entraînement", self.training_data),
                               ("Données d'évaluation", self.evaluation_data)):
            out += [f"## {title}", ""]
            out += [f"- **{d.name}**" + (f" — {d.description}" if d.description else "")
                    + (f" (source : {d.origin})" if d.origin else "")
                    + (f", période : {d.period}" if d.period else "") for d in sources] or ["- (non renseigné)"]
            out.append("")
        out += ["## Métriques", "", "| Métrique | Valeur |", "|---|---|"]
        out += [f"| {self.label(k)} | {self.value(v)} |" for k, v in self.metrics.items()]
        if self.parameters:
            out += ["", "## Paramètres", "", "| Paramètre | Valeur |", "|---|---|"]
            out += [f"| {self.label(k)} | {self.value(v)} |" for k, v in self.parameters.items()]
        out += ["", "## Limites", ""] + ([f"- {x}" for x in self.limits] or ["- (non renseigné)"])
        out += ["", "## Considérations éthiques", ""] + (
            [f"- {x}" for x in self.ethical_considerations] or ["- (non renseigné)"])
        return "\n".join(out) + "\n"

    def to_html(self) -> str:
        e = escape

        def sources(items: list[DataSource]) -> str:
            return "<ul>" + "".join(
                f"<li><strong>{e(d.name)}</strong>{' — ' + e(d.description) if d.description else ''}"
                f"{' (source : ' + e(d.origin) + ')' if d.origin else ''}"
                f"{', période : ' + e(d.period) if d.period else ''}</li>" for d in items) + "</ul>"

        def table(caption: str, items: dict[str, Any]) -> str:
            rows = "".join(f"<tr><td>{e(self.label(k))}</td><td>{e(self.value(v))}</td></tr>"
                           for k, v in items.items())
            return (f'<div class="fr-table"><table><caption>{e(caption)}</caption><thead><tr>'
                    f'<th scope="col">Nom</th><th scope="col">Valeur</th></tr></thead><tbody>{rows}</tbody>'
                    f"</table></div>")

        def bullets(items: list[str]) -> str:
            return "<ul>" + "".join(f"<li>{e(x)}</li>" for x in items) + "</ul>"

        return (
            f'<section class="amorce-model-card"><h2>Fiche modèle : {e(self.name)} '
            f"(version {e(self.version)})</h2><p><em>Créée le {e(_date(self.created))}"
            f"{' — responsable : ' + e(self.owner) if self.owner else ''}</em></p>"
            f"<h3>Usage prévu</h3><p>{e(self.intended_use)}</p>"
            + (f"<h3>Tâche</h3><p>{e(self.task)}</p>" if self.task else "")
            + (f"<h3>Usages exclus</h3><p>{e(self.out_of_scope)}</p>" if self.out_of_scope else "")
            + f"<h3>Données d'entraînement</h3>{sources(self.training_data)}"
            f"<h3>Données d'évaluation</h3>{sources(self.evaluation_data)}"
            f"<h3>Métriques</h3>{table('Métriques', self.metrics)}"
            + (f"<h3>Paramètres</h3>{table('Paramètres', self.parameters)}" if self.parameters else "")
            + f"<h3>Limites</h3>{bullets(self.limits)}"
            f"<h3>Considérations éthiques</h3>{bullets(self.ethical_considerations)}</section>"
        )


def _fmt(value: Any) -> str:
    """One value as people read it: « oui »/« non », French numbers (4 significant digits), « — »."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return formats.yes_no(value)
    if isinstance(value, int):
        return formats.number(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        if abs(value) >= 1000:
            return formats.number(value)
        return f"{value:.4g}".replace(".", ",")
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _date(value: str) -> str:
    """An ISO date or date-time string in words (« 3 décembre 2026 »); anything else as it is."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return formats.datetime_fr(parsed) if "T" in str(value) else formats.date_fr(parsed)
