"""Plain-French reasons from LightGBM contributions, and the CRPA explanation sheet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from amorce.core.formats import date_fr, number, percent
from amorce.core.transparency import CrpaExplanation, DataSource, Parameter, mention_explicite

from .features import feature_label, shown_as_reason
from .schema import SEVERITY_LABELS
from .trees import top_k

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
        return percent(float(value))
    if name in DAY_FEATURES:
        return f"{int(value)} jours"
    if isinstance(value, (float, np.floating)):
        amount = float(value)
        text = f"{amount:.0f}" if amount.is_integer() else f"{amount:.2f}"
        return text.replace(".", ",")
    return str(value)


NO_REASON = "aucun facteur ne relève le risque au-dessus de la moyenne"
CONTRIBUTION_UNIT = ("contribution en log-cote (logarithme de la cote du risque) : les contributions "
                     "s'additionnent au score brut ; « cote × 1,38 » dit par combien la variable multiplie "
                     "la cote du risque (probabilité ÷ (1 − probabilité))")


def contribution_text(name: str, value, contribution: float) -> str:
    """One contribution with its unit and direction, then the variable and its value:
    « +0,32 en log-cote (cote du risque × 1,38, relève le risque) : jours depuis la dernière
    inspection : 410 jours »."""
    c = float(contribution)
    direction = "relève le risque" if c > 0 else "abaisse le risque" if c < 0 else "sans effet"
    return (f"{signed(c)} en log-cote (cote du risque {odds_factor(c)}, "
            f"{direction}) : {feature_label(name)} : {format_value(name, value)}")


def signed(contribution: float) -> str:
    """A contribution with its sign (a real minus): « +0,32 », « −0,18 »."""
    c = float(contribution)
    return ("+" if c >= 0 else "−") + number(abs(c), 2)


def odds_factor(contribution: float) -> str:
    """By how much a contribution multiplies the odds of the risk: « × 1,38 »."""
    return f"× {number(float(np.exp(float(contribution))), 2)}"


UP, DOWN, NEUTRAL = "up", "down", "neutral"


def direction(contribution: float) -> str:
    """``up`` when a contribution raises the risk, ``down`` when it lowers it, else ``neutral``."""
    c = float(contribution)
    return UP if c > 0 else DOWN if c < 0 else NEUTRAL


def shown_contributions(X_row: pd.Series, contrib_row: np.ndarray) -> list[dict]:
    """The contributions shown for one establishment, strongest first, without the variables of who
    inspects: ``feature``, ``label``, ``value``, ``contribution``, ``direction`` (``up``, ``down``,
    ``neutral``: :func:`direction`),
    ``signed`` (« +0,32 »), ``odds`` (« × 1,38 ») and ``text``."""
    features = list(X_row.index)
    order = [i for i in np.argsort(-np.abs(contrib_row[:len(features)]), kind="stable")
             if shown_as_reason(features[i])]
    return [{"feature": features[i], "label": feature_label(features[i]),
             "value": format_value(features[i], X_row.iloc[i]), "contribution": round(float(contrib_row[i]), 6),
             "direction": direction(contrib_row[i]),
             "signed": signed(contrib_row[i]), "odds": odds_factor(contrib_row[i]),
             "text": contribution_text(features[i], X_row.iloc[i], contrib_row[i])} for i in order]


def _display_values(name: str, values) -> tuple[np.ndarray, list[str]]:
    """Distinct display values of one feature column: (inverse codes, French texts)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        names = list(values.cat.categories)
        present, inverse = np.unique(codes, return_inverse=True)
        return inverse, [format_value(name, names[c]) if c >= 0 else format_value(name, None) for c in present]
    if pd.api.types.is_numeric_dtype(values.dtype):
        rounded = np.round(values.to_numpy(dtype=float, na_value=np.nan), 0 if name in DAY_FEATURES else 2)
        present, inverse = np.unique(rounded, return_inverse=True)  # NaN: one entry, last
        return inverse, [format_value(name, float(v)) for v in present]
    present, inverse = np.unique(values.astype(object).fillna("").to_numpy(dtype=str), return_inverse=True)
    return inverse, [format_value(name, v) if v != "" else format_value(name, None) for v in present]


def top_reasons(X: pd.DataFrame, contrib: np.ndarray, k: int = 3, min_contribution: float = 0.02) -> pd.Series:
    """The ``k`` features that raise each score the most (contribution ≥ ``min_contribution``), as
    « libellé : valeur » joined by « ; », strongest first.

    Vectorised for millions of rows: top-k in one compiled pass over the contribution matrix, each
    (feature, displayed value) text built once, each distinct combination of texts joined once.
    """
    features = list(X.columns)
    n = len(X)
    values = np.asarray(contrib)[:, :len(features)]
    shown_columns = [i for i, name in enumerate(features) if shown_as_reason(name)]
    if len(shown_columns) < len(features):  # who inspects is never a reason given to the establishment
        values = values[:, shown_columns]
        features = [features[i] for i in shown_columns]
    k = min(k, len(features))
    if n == 0 or k == 0:
        return pd.Series(pd.Categorical([NO_REASON] * n), index=X.index)
    top, weight = top_k(values, k)  # strongest first, ties by column order
    shown = weight >= min_contribution
    piece = np.full((n, k), -1, dtype=np.int64)  # index in `texts`, -1: nothing in that slot
    texts: list[str] = []
    for f in np.unique(top[shown]):
        rows, slots = np.nonzero((top == f) & shown)
        name = features[f]
        inverse, shown_texts = _display_values(name, X[name].iloc[rows])
        piece[rows, slots] = len(texts) + inverse
        label = feature_label(name) + " : "
        texts.extend(label + t for t in shown_texts)
    # one string per distinct combination of pieces (slots are filled left to right)
    base = len(texts) + 1
    if base ** k < 2 ** 62:
        key = np.zeros(n, dtype=np.int64)
        for slot in range(k):
            key = key * base + (piece[:, slot] + 1)
        keys, inverse = np.unique(key, return_inverse=True)
        combos = np.stack([(keys // base ** (k - 1 - slot)) % base - 1 for slot in range(k)], axis=1)
    else:  # pragma: no cover - only with a huge number of distinct values
        combos, inverse = np.unique(piece, axis=0, return_inverse=True)
    joined = [" ; ".join(texts[p] for p in combo if p >= 0) or NO_REASON for combo in combos.tolist()]
    # categorical: a million rows share the few distinct texts (cheap to sort, copy and write)
    codes, categories = pd.factorize(pd.Index(joined, dtype=object))
    reasons = pd.Categorical.from_codes(codes[inverse.reshape(-1)], categories=pd.Index(categories, dtype=object))
    return pd.Series(reasons, index=X.index)


def crpa_explanation(model, X_row: pd.Series, contrib_row: np.ndarray, *, establishment_id: str, score: float,
                     rank: int, total: int, as_of: str, administration: str = "le service d'inspection",
                     contact: str = "le service d'inspection dont relève l'établissement",
                     contributions: list[dict] | None = None) -> CrpaExplanation:
    """The R311-3-1-2 CRPA sheet for one establishment (``contributions``: those of
    :func:`shown_contributions` for this row, when the caller has them already)."""
    planning = [feature_label(name) for name in X_row.index if not shown_as_reason(name)]
    parameters = [
        Parameter(name=c["label"], value=c["value"], weight=None, contribution=round(c["contribution"], 4),
                  description=c["text"])
        for c in (shown_contributions(X_row, contrib_row) if contributions is None else contributions)
    ]
    card = model.card
    sources = [DataSource(name=d.name, description=d.description, origin=d.origin, period=d.period)
               for d in card.training_data]
    sources.append(DataSource(name="Historique de l'établissement", origin="inspections, plaintes et données "
                              "de contexte enregistrées avant la date de score", period=f"avant le {date_fr(str(as_of))}"))
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
            f"Calcul des variables de l'établissement à partir des seules données datées d'avant le {date_fr(str(as_of))}.",
            "Application du modèle entraîné (arbres de décision) puis calibration des scores en probabilités "
            f"({model.calibrator.method}).",
            "Décomposition du score en contributions de chaque variable (valeurs de Shapley) ; "
            + CONTRIBUTION_UNIT + ".",
            "Classement de tous les établissements connus par score décroissant.",
        ] + ([f"Variables de programmation ({', '.join(planning)}) : elles décrivent l'organisation du "
              "service, non l'établissement ; elles ne sont jamais un motif de ciblage et ne figurent pas "
              "parmi les paramètres de cette fiche."] if planning else []),
        result=(f"Probabilité estimée : {percent(score, 1)}"
                + f" ; rang {rank} sur {total} au {as_of}. "
                + mention_explicite("priorisation des inspections", contact)),
        contact=contact,
    )


def planning_contribution(X_row: pd.Series, contrib_row: np.ndarray) -> float:
    """The part of the raw score that comes from the planning variables (who inspects): they rank
    but are never a reason, so they are left out of :func:`shown_contributions`; raw score = base
    value + shown contributions + this."""
    return round(sum(float(contrib_row[i]) for i, name in enumerate(X_row.index) if not shown_as_reason(name)), 6)


def explain_establishment(model, history, establishment_id: str, as_of) -> tuple[pd.Series, np.ndarray]:
    """Features of one establishment at ``as_of`` and their exact Shapley contributions (last = base)."""
    X = model.features(history, pd.DataFrame({"establishment_id": [establishment_id], "as_of": [pd.Timestamp(as_of)]}))
    return X.iloc[0], model.contributions(X, "shap")[0]
