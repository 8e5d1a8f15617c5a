"""Plain-French reasons from LightGBM contributions, and the CRPA explanation sheet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from amorce.core.transparency import CrpaExplanation, DataSource, Parameter, mention_explicite

from .features import feature_label
from .schema import SEVERITY_LABELS

SEVERITY_FEATURES = {"last_severity", "prev_severity"}
BOOL_FEATURES = {"last_adverse", "has_agrement", "tobacco_retail_over_counter",
                 "consumption_on_premises_incidental_activity"}
DAY_FEATURES = {"days_since_last", "days_since_first", "days_between_last_two", "days_since_complaint",
                "days_since_opened"}
RATE_FEATURES = {"adverse_rate"}
MISSING_TEXT = {
    "days_since_last": "jamais inspecté", "last_severity": "aucune inspection passée",
    "last_adverse": "aucune inspection passée", "prev_severity": "pas d'avant-dernière inspection",
    "days_since_first": "aucune inspection passée", "mean_severity": "aucune inspection passée",
    "adverse_rate": "aucune inspection passée", "days_between_last_two": "moins de deux inspections",
    "days_since_complaint": "aucune plainte", "last_critical": "inconnu", "mean_critical": "inconnu",
}


def format_value(name: str, value) -> str:
    """A feature value as French text."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return MISSING_TEXT.get(name, "inconnu")
    if name in SEVERITY_FEATURES:
        return f"« {SEVERITY_LABELS.get(int(round(float(value))), value)} »"
    if name in BOOL_FEATURES:
        return "oui" if float(value) >= 0.5 else "non"
    if name in RATE_FEATURES or name.endswith("_rate"):
        return f"{float(value) * 100:.0f} %"
    if name in DAY_FEATURES:
        return f"{int(value)} jours"
    if isinstance(value, (float, np.floating)):
        number = float(value)
        text = f"{number:.0f}" if number.is_integer() else f"{number:.2f}"
        return text.replace(".", ",")
    return str(value)


def _format_column(name: str, values: pd.Series) -> pd.Series:
    """Vectorised :func:`format_value` over one column (via its distinct, display-rounded values)."""
    if pd.api.types.is_numeric_dtype(values) and not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(float).round(0 if name in DAY_FEATURES else 2)
    uniques = pd.unique(values.astype(object))
    mapping = {u: format_value(name, u) for u in uniques if not (isinstance(u, float) and np.isnan(u))}
    out = values.astype(object).map(mapping)
    return out.fillna(MISSING_TEXT.get(name, "inconnu"))


def top_reasons(X: pd.DataFrame, contrib: np.ndarray, k: int = 3, min_contribution: float = 0.02) -> pd.Series:
    """The ``k`` features that raise each score the most, as « libellé : valeur » joined by « ; »."""
    features = list(X.columns)
    values = contrib[:, :len(features)]
    k = min(k, len(features))
    top = np.argsort(-values, axis=1, kind="stable")[:, :k]
    rows = np.arange(len(X))
    parts = []
    for slot in range(k):
        feat = top[:, slot]
        weight = values[rows, feat]
        text = pd.Series("", index=X.index, dtype=object)
        for f in np.unique(feat):
            mask = (feat == f) & (weight >= min_contribution)
            if not mask.any():
                continue
            name = features[f]
            formatted = _format_column(name, X.loc[mask, name])
            text[mask] = feature_label(name) + " : " + formatted
        parts.append(text)
    joined = parts[0].copy()
    for part in parts[1:]:
        both = (joined != "") & (part != "")
        joined = joined.where(~both, joined + " ; " + part)
        joined = joined.where(joined != "", part)
    return joined.where(joined != "", "aucun facteur ne relève le risque au-dessus de la moyenne")


def crpa_explanation(model, X_row: pd.Series, contrib_row: np.ndarray, *, establishment_id: str, score: float,
                     rank: int, total: int, as_of: str, administration: str = "le service d'inspection",
                     contact: str = "le service d'inspection dont relève l'établissement") -> CrpaExplanation:
    """The R311-3-1-2 CRPA sheet for one establishment."""
    features = list(X_row.index)
    order = np.argsort(-np.abs(contrib_row[:len(features)]))
    parameters = [
        Parameter(name=feature_label(features[i]), value=format_value(features[i], X_row.iloc[i]),
                  weight=None, contribution=round(float(contrib_row[i]), 4),
                  description="contribution au score en log-cote (valeurs de Shapley, LightGBM)")
        for i in order
    ]
    card = model.card
    sources = [DataSource(name=d.name, description=d.description, origin=d.origin, period=d.period)
               for d in card.training_data]
    sources.append(DataSource(name="Historique de l'établissement", origin="inspections, plaintes et données "
                              "de contexte enregistrées avant la date de score", period=f"avant le {as_of}"))
    return CrpaExplanation(
        subject=f"priorité d'inspection de l'établissement {establishment_id}",
        administration=administration,
        contribution_degree=("Aide à la décision : le score ordonne une liste de propositions ; la programmation "
                             "et la décision de contrôler sont prises par les agents."),
        contribution_mode=(f"Un modèle statistique (gradient boosting LightGBM, version {card.version}) estime la "
                           f"probabilité d'une {model.target_description} ; les établissements sont classés par "
                           "probabilité décroissante et une part du plan est tirée au hasard."),
        human_review="Les inspecteurs et leur encadrement valident et modifient le plan proposé.",
        data_sources=sources,
        parameters=parameters,
        operations=[
            f"Calcul des variables de l'établissement à partir des seules données datées d'avant le {as_of}.",
            "Application du modèle entraîné (arbres de décision) puis calibration des scores en probabilités "
            f"({model.calibrator.method}).",
            "Décomposition du score en contributions de chaque variable (valeurs de Shapley).",
            "Classement de tous les établissements connus par score décroissant.",
        ],
        result=(f"Probabilité estimée : {score * 100:.1f} %".replace(".", ",")
                + f" ; rang {rank} sur {total} au {as_of}. "
                + mention_explicite("priorisation des inspections", contact)),
        contact=contact,
    )
