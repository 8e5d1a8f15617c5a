"""LightGBM targeting model with calibrated probabilities, baselines, persistence.

Training uses one row per past inspection (features as known the day before, label = the event
to find). The last ``holdout_fraction`` of the training period (by date) is held out: it stops
boosting early and fits the calibration (isotonic regression, or Platt scaling when the holdout
is small), so that scores read as probabilities.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from amorce.core.files import atomic_write
from amorce.core.formats import date_fr, number
from amorce.core.progress import Progress, ignore
from amorce.core.transparency import DataSource, ModelCard

from .errors import CiblageError
from .features import FeatureSpec, build_features, feature_label, training_queries
from .schema import FORMAT_LABELS, History
from .trees import FlatTrees, set_threads

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "cat_smooth": 20.0,
    "min_data_per_group": 50,
    "max_bin": 63,
    "verbose": -1,
}
# large training sets (> LARGE_TRAINING_ROWS rows): faster settings, the extra data compensates
LARGE_TRAINING_ROWS = 200_000
LARGE_PARAMS: dict[str, Any] = {"learning_rate": 0.1, "bagging_fraction": 0.5, "min_data_in_leaf": 200}
MAX_ROUNDS = 400
EXACT_CONTRIB_MAX_ROWS = 20_000
EARLY_STOPPING = 30


THREADS_OVERRIDE: int | None = None  # set to 1 inside engine workers (one process per core)


def _threads() -> int:
    if THREADS_OVERRIDE:
        return THREADS_OVERRIDE
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


@dataclass
class Calibrator:
    """Maps raw LightGBM margins to probabilities (isotonic steps or Platt sigmoid)."""

    method: str
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    a: float = 1.0
    b: float = 0.0

    @classmethod
    def fit(cls, margin: np.ndarray, label: np.ndarray, method: str = "auto") -> Calibrator:
        if method == "auto":
            method = "isotonic" if len(label) >= 2000 and label.sum() >= 100 else "platt"
        if method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            # isotonic fit on quantile bins of the margin (each step holds >= 1/bins of the holdout),
            # interpolated between bin centres: no over-confident 0 or 1 plateaus on a few rows
            bins = int(np.clip(len(label) // 200, 10, 100))
            edges = np.unique(np.quantile(margin, np.linspace(0, 1, bins + 1)))
            which = np.clip(np.searchsorted(edges, margin, side="right") - 1, 0, len(edges) - 2)
            counts = np.bincount(which, minlength=len(edges) - 1)
            keep = counts > 0
            centres = (np.bincount(which, weights=margin, minlength=len(edges) - 1)[keep] / counts[keep])
            rates = np.bincount(which, weights=label, minlength=len(edges) - 1)[keep] / counts[keep]
            iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
            fitted = iso.fit_transform(centres, rates, sample_weight=counts[keep])
            return cls("isotonic", x=centres.tolist(), y=fitted.tolist())
        if method == "platt":
            from sklearn.linear_model import LogisticRegression

            lr = LogisticRegression(C=1e6).fit(margin.reshape(-1, 1), label)
            return cls("platt", a=float(lr.coef_[0, 0]), b=float(lr.intercept_[0]))
        raise CiblageError(f"Méthode de calibration inconnue : « {method} » (isotonic, platt ou auto).")

    def __call__(self, margin: np.ndarray) -> np.ndarray:
        if self.method == "isotonic":
            return np.interp(margin, np.asarray(self.x), np.asarray(self.y))
        return 1.0 / (1.0 + np.exp(-(self.a * margin + self.b)))


@dataclass
class TargetingModel:
    booster: Any
    calibrator: Calibrator
    spec: FeatureSpec
    feature_names: list[str]
    card: ModelCard
    metrics: dict[str, Any]
    trained_until: str
    format: str
    target_description: str
    extra_boosters: list = field(default_factory=list)  # seed ensemble: the other N - 1 boosters

    @property
    def boosters(self) -> list:
        """All boosters of the model (one, or N for a seed ensemble whose raw scores are averaged)."""
        return [self.booster, *self.extra_boosters]

    def feature_importance(self, kind: str = "gain") -> np.ndarray:
        """LightGBM feature importance, averaged over the boosters of an ensemble."""
        return np.mean([b.feature_importance(kind) for b in self.boosters], axis=0)

    # ------------------------------------------------------------------ prediction
    def features(self, history: History, queries: pd.DataFrame) -> pd.DataFrame:
        frame = build_features(history, queries, self.spec)
        return frame.reindex(columns=self.feature_names)

    @property
    def trees(self) -> FlatTrees:
        """The boosters' trees flattened for the compiled kernel, used where the scores come with
        their path contributions (built once per model; an ensemble's trees are concatenated with
        weight 1/N)."""
        if self.__dict__.get("_trees") is None:
            self.__dict__["_trees"] = FlatTrees.from_booster(self.boosters)
        set_threads(_threads())
        return self.__dict__["_trees"]

    def margin(self, X: pd.DataFrame) -> np.ndarray:
        """Raw score (log-odds): LightGBM's own ``predict(raw_score=True)``, averaged over the boosters
        of an ensemble. For scores alone the library is as fast as the compiled walk (within the noise
        of docs/benchmarks.md), so its code is used; the walk serves scores with contributions."""
        return raw_score(self.boosters, X)

    def predict_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        margin = self.margin(X)
        return pd.DataFrame({"score": self.calibrator(margin), "margin": margin}, index=X.index)

    def contributions(self, X: pd.DataFrame, method: str = "auto") -> np.ndarray:
        """Contributions in log-odds: n × (features + 1, the last = base value).

        ``shap``: exact TreeSHAP (LightGBM ``pred_contrib``); ``path``: path (Saabas) attribution
        (:mod:`amorce.ciblage.trees`, much faster); ``auto``: ``shap`` up to
        :data:`EXACT_CONTRIB_MAX_ROWS` rows, ``path`` beyond. Both add up to the raw score.
        """
        return self.margin_and_contributions(X, method)[1]

    def margin_and_contributions(self, X: pd.DataFrame, method: str = "auto") -> tuple[np.ndarray, np.ndarray]:
        """Raw score and contributions (see :meth:`contributions`); ``path`` gets both in one pass."""
        if method == "auto":
            method = "shap" if len(X) <= EXACT_CONTRIB_MAX_ROWS else "path"
        if method == "path":
            return self.trees.raw_score_and_contributions(X)
        if method != "shap":
            raise CiblageError(f"Méthode d'explication inconnue : « {method} » (shap, path ou auto).")
        # contributions are additive in the raw score: an ensemble's are the mean of its boosters'
        contrib = np.mean([np.asarray(b.predict(X, pred_contrib=True, num_threads=_threads()))
                           for b in self.boosters], axis=0)
        return self.margin(X), contrib

    # ------------------------------------------------------------------ persistence
    def save(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for i, booster in enumerate(self.boosters):
            with atomic_write(directory / _booster_file(i)) as handle:
                handle.write(booster.model_to_string())
        for stale in directory.glob("model_*.txt"):  # a previous, larger ensemble saved here
            if stale.name not in {_booster_file(i) for i in range(len(self.boosters))}:
                stale.unlink()
        meta = {"ensemble": len(self.boosters),
            "calibrator": self.calibrator.__dict__, "spec": self.spec.to_dict(),
            "feature_names": self.feature_names, "metrics": self.metrics,
            "trained_until": self.trained_until, "format": self.format,
            "target_description": self.target_description, "card": self.card.to_dict(),
        }
        with atomic_write(directory / "meta.json") as handle:
            json.dump(meta, handle, ensure_ascii=False, indent=2, default=str)
        self.card.save(directory / "model_card.json")
        with atomic_write(directory / "model_card.md") as handle:
            handle.write(self.card.to_markdown())
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> TargetingModel:
        import lightgbm as lgb

        directory = Path(directory)
        if not (directory / "model.txt").is_file() or not (directory / "meta.json").is_file():
            raise CiblageError(f"Modèle introuvable dans {directory} (attendu model.txt et meta.json).")
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        meta["metrics"] = english_metrics(meta["metrics"])  # a model saved before 0.2.0: French keys
        meta["card"] = {**meta["card"], "metrics": english_metrics(meta["card"].get("metrics") or {})}
        count = int(meta.get("ensemble", 1))
        missing = [_booster_file(i) for i in range(count) if not (directory / _booster_file(i)).is_file()]
        if missing:
            raise CiblageError(f"Modèle incomplet dans {directory} : ensemble de {count} modèles, "
                               f"fichier(s) manquant(s) : {', '.join(missing)}.")
        boosters = [lgb.Booster(model_str=(directory / _booster_file(i)).read_text(encoding="utf-8"))
                    for i in range(count)]
        return cls(booster=boosters[0], extra_boosters=boosters[1:], calibrator=Calibrator(**meta["calibrator"]), spec=FeatureSpec(**meta["spec"]),
                   feature_names=meta["feature_names"], card=ModelCard.from_dict(meta["card"]),
                   metrics=meta["metrics"], trained_until=meta["trained_until"], format=meta["format"],
                   target_description=meta["target_description"])


# the training metrics' keys before 0.2.0 (French), read from models saved then (see docs/ciblage.md)
FRENCH_METRIC_KEYS = {
    "inspections_entrainement": "training_inspections", "inspections_validation": "validation_inspections",
    "taux_evenement_validation": "validation_event_rate", "auc_validation": "validation_auc",
    "brier_avant_calibration": "brier_before_calibration", "brier_apres_calibration": "brier_after_calibration",
}


def english_metrics(metrics: dict) -> dict:
    """Training metrics with their English keys (those of a model saved before 0.2.0 renamed)."""
    return {FRENCH_METRIC_KEYS.get(k, k): v for k, v in metrics.items()}


def raw_score(boosters: list, X: pd.DataFrame) -> np.ndarray:
    """Mean of the boosters' ``predict(raw_score=True)`` (one booster: its exact values)."""
    return np.mean([b.predict(X, raw_score=True, num_threads=_threads()) for b in boosters], axis=0)


def _booster_file(i: int) -> str:
    return "model.txt" if i == 0 else f"model_{i}.txt"


ENSEMBLE_SEED_STEP = 7919  # booster i of an ensemble trained with seed s uses seed s + i * step


def _temporal_split(dates: np.ndarray, fraction: float) -> np.ndarray:
    """Boolean mask of the holdout: the last ``fraction`` of rows by date (whole days)."""
    cutoff = np.quantile(dates.astype("int64"), 1.0 - fraction)
    holdout = dates.astype("int64") >= cutoff
    if holdout.all() or not holdout.any():
        order = np.argsort(dates, kind="stable")
        holdout = np.zeros(len(dates), dtype=bool)
        holdout[order[int(len(order) * (1 - fraction)):]] = True
    return holdout


def train(history: History, *, end=None, start=None, holdout_fraction: float = 0.2,
          calibration: str = "auto", params: dict | None = None, seed: int = 0, ensemble: int = 1,
          progress: Progress | None = None, name: str = "ciblage") -> TargetingModel:
    """Train on the inspections dated in [start, end) of ``history`` (features point-in-time).

    ``ensemble`` > 1 trains that many boosters with different seeds (row and feature bagging make
    them differ), each stopped early on the holdout; their raw scores are averaged before the
    calibration (seed bagging: less variance from one seed to another, N times the training time).
    """
    import lightgbm as lgb
    from sklearn.metrics import brier_score_loss, roc_auc_score

    progress = progress or ignore

    def step(message: str, fraction: float) -> None:
        progress(fraction, None, message)

    if not 1 <= int(ensemble) <= 50:
        raise CiblageError(f"Taille d'ensemble invalide : {ensemble} (attendu un entier de 1 à 50).")
    ensemble = int(ensemble)
    step("Calcul des variables", 0.05)
    spec = FeatureSpec.from_history(history)
    queries = training_queries(history, start=start, end=end)
    if len(queries) < 100:
        raise CiblageError(f"Trop peu d'inspections pour entraîner un modèle ({len(queries)} ; au moins 100).")
    y = queries["label"].to_numpy()
    if y.min() == y.max():
        raise CiblageError("Toutes les inspections d'entraînement ont le même résultat : impossible d'apprendre.")
    X = build_features(history, queries, spec)
    feature_names = list(X.columns)
    dates = queries["as_of"].to_numpy(dtype="datetime64[ns]")
    holdout = _temporal_split(dates, holdout_fraction)
    if y[holdout].min() == y[holdout].max():
        raise CiblageError("La période de validation (fin de l'historique) ne contient qu'un seul type de résultat.")
    step("Entraînement LightGBM", 0.3)
    large = LARGE_PARAMS if (~holdout).sum() > LARGE_TRAINING_ROWS else {}
    full = {**DEFAULT_PARAMS, **large, **(params or {}), "seed": seed, "num_threads": _threads(),
            "deterministic": True, "force_row_wise": True}
    train_set = lgb.Dataset(X[~holdout], label=y[~holdout], categorical_feature=spec.categorical or "auto",
                            free_raw_data=True)
    valid_set = lgb.Dataset(X[holdout], label=y[holdout], reference=train_set)
    boosters = []
    for i in range(ensemble):
        if ensemble > 1:
            step(f"Entraînement LightGBM ({i + 1}/{ensemble})", 0.3 + 0.55 * i / ensemble)
        one = {**full, "seed": seed + i * ENSEMBLE_SEED_STEP}
        boosters.append(lgb.train(one, train_set, num_boost_round=MAX_ROUNDS, valid_sets=[valid_set],
                                  callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)]))
    booster = boosters[0]
    step("Calibration", 0.85)
    margin_h = raw_score(boosters, X[holdout])
    calibrator = Calibrator.fit(margin_h, y[holdout], calibration)
    proba_h = calibrator(margin_h)
    raw_h = 1.0 / (1.0 + np.exp(-margin_h))
    metrics = {
        "training_inspections": int((~holdout).sum()),
        "validation_inspections": int(holdout.sum()),
        "validation_event_rate": float(y[holdout].mean()),
        "validation_auc": float(roc_auc_score(y[holdout], margin_h)),
        "brier_before_calibration": float(brier_score_loss(y[holdout], raw_h)),
        "brier_after_calibration": float(brier_score_loss(y[holdout], proba_h)),
        "iterations": int(sum(b.best_iteration or b.current_iteration() for b in boosters)),
        "ensemble": ensemble,
        "calibration": calibrator.method,
    }
    start_d = pd.Timestamp(dates.min()).date().isoformat()
    end_d = pd.Timestamp(dates.max()).date().isoformat()
    cut_d = pd.Timestamp(dates[holdout].min()).date().isoformat()
    trained_until = (pd.Timestamp(end) if end is not None else pd.Timestamp(dates.max()) + pd.Timedelta(days=1))
    tag = f"{history.format}{start_d}{end_d}{len(y)}{seed}{feature_names}" + (f"x{ensemble}" if ensemble > 1 else "")
    version = hashlib.sha1(tag.encode()).hexdigest()[:10]
    card = model_card(name, version, history, spec, feature_names, metrics, {**full, "ensemble": ensemble},
                      start_d, end_d, cut_d)
    step("Terminé", 1.0)
    return TargetingModel(booster=booster, extra_boosters=boosters[1:], calibrator=calibrator, spec=spec, feature_names=feature_names,
                          card=card, metrics=metrics, trained_until=trained_until.date().isoformat(),
                          format=history.format, target_description=history.target_description)


def model_card(name, version, history: History, spec: FeatureSpec, feature_names, metrics, params,
               start_d, end_d, cut_d) -> ModelCard:
    sources = ", ".join(Path(s).name for s in history.sources) or "données fournies"
    return ModelCard(
        name=name, version=version,
        intended_use=("Proposer un ordre de priorité des établissements à inspecter (aide à la programmation "
                      "des contrôles). Les inspecteurs et leur encadrement décident ; une part des contrôles "
                      "(10 % par défaut) est tirée au hasard pour garder le modèle mesurable."),
        task=f"Estimer la probabilité qu'une inspection soit défavorable ({history.target_description}).",
        out_of_scope=("Toute sanction ou décision individuelle automatique ; l'évaluation de personnes ; "
                      "l'usage hors du type d'établissements et de la période d'entraînement sans nouvelle validation."),
        training_data=[DataSource(name=f"Historique d'inspections — {FORMAT_LABELS.get(history.format, history.format)}",
                                  origin=sources,
                                  description=f"{number(metrics['training_inspections'])} inspections d'entraînement",
                                  period=f"du {date_fr(start_d)} au {date_fr(cut_d)}")],
        evaluation_data=[DataSource(name="Validation temporelle (fin de l'historique)", origin=sources,
                                    description=f"{number(metrics['validation_inspections'])} inspections, "
                                                "utilisées pour l'arrêt précoce et la calibration",
                                    period=f"du {date_fr(cut_d)} au {date_fr(end_d)} inclus")],
        parameters={**{k: v for k, v in params.items() if k not in ("verbose", "num_threads")},
                    "variables": ", ".join(feature_label(f) for f in feature_names)},
        metrics=metrics,
        limits=[
            "Le modèle n'apprend que des établissements déjà inspectés : ceux jamais contrôlés sont estimés "
            "à partir de leurs seuls attributs (activité, zone…).",
            "Les inspections passées n'étaient pas tirées au hasard : le modèle hérite des choix de "
            "programmation antérieurs (biais de sélection) ; la part aléatoire du plan sert à le corriger.",
            "Les variables sont calculées « à date » : seules les données antérieures à la date de score "
            "sont utilisées.",
            "L'effet de l'inspecteur, s'il est une variable, reflète aussi des pratiques de notation "
            "différentes entre inspecteurs.",
        ],
        ethical_considerations=[
            "Vérifier l'audit d'équité (taux de sélection et précision par département, activité, taille) "
            "avant chaque campagne.",
            "Chaque établissement peut obtenir l'explication prévue par l'article R311-3-1-2 du CRPA.",
        ],
    )


# ---------------------------------------------------------------------------- baselines

def baseline_scores(X: pd.DataFrame, kind: str, seed: int = 0) -> np.ndarray:
    """Scores of a baseline ranking (higher = inspected first).

    * ``random``: uniform random order (seeded);
    * ``last_outcome``: worst last result first (never inspected: middle), ties at random;
    * ``current_practice``: longest time since the last inspection first (never inspected first).
    """
    rng = np.random.default_rng(seed)
    jitter = rng.random(len(X)) * 1e-6
    if kind == "random":
        return rng.random(len(X))
    if kind == "last_outcome":
        last = X["last_severity"].to_numpy(dtype=float)
        fill = np.nanmean(last) if np.isfinite(last).any() else 1.0
        return np.where(np.isnan(last), fill, last) + jitter
    if kind == "current_practice":
        days = X["days_since_last"].to_numpy(dtype=float)
        return np.where(np.isnan(days), 1e9, days) + jitter
    raise CiblageError(f"Référence inconnue : « {kind} » (random, last_outcome, current_practice).")


BASELINES = ("random", "last_outcome", "current_practice")


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")
