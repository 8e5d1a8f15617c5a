"""``amorce ciblage …``: import, train, score, backtest, explain, audit, plan, feedback."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from amorce.core.files import check_output
from amorce.core.progress import part, rich_bar

app = typer.Typer(help="Ciblage des contrôles : classer les établissements à inspecter à partir des inspections "
                       "passées (import, entraînement, scores, backtest, explications, équité, plan).",
                  no_args_is_help=True)


class Format(StrEnum):
    canonical = "canonical"
    alimconfiance = "alimconfiance"
    chicago = "chicago"


class Explain(StrEnum):
    auto = "auto"
    shap = "shap"
    path = "path"


SHARE_LABELS = {"model": "part du modèle", "random": "part aléatoire"}
FORMAT_HELP = "Format des fichiers : canonical, alimconfiance ou chicago."
HISTORY_HELP = "Fichier(s) d'historique (répéter l'option ou lister plusieurs fichiers après elle)."
# the keys of ``History.summary()`` (``check --json``) and how ``check`` shows them
SUMMARY_LABELS = {"format": "format", "establishments": "établissements", "inspections": "inspections",
                  "complaints": "plaintes", "context_rows": "lignes de contexte", "start": "première inspection",
                  "end": "dernière inspection", "event_rate": "part d'inspections défavorables"}


def _history_files(history: list[Path], extra: list[str] | None) -> list[Path]:
    return list(history) + [Path(x) for x in (extra or [])]


def _date(text: str, option: str):
    import pandas as pd

    from .errors import CiblageError

    try:
        return pd.Timestamp(text).normalize()
    except (ValueError, TypeError) as exc:
        raise CiblageError(f"Option {option} : « {text} » n'est pas une date AAAA-MM-JJ.") from exc


def _load(fmt: Format, files: list[Path], report=None):
    from .importers import load_history

    if report:
        report(0.02, None, "Lecture et validation des fichiers")
    return load_history(fmt.value, files)


def _echo_json(data) -> None:
    from .schema import json_safe

    typer.echo(json.dumps(json_safe(data), ensure_ascii=False, indent=2, default=str))


@app.command("check")
def check(
    format: Format = typer.Option(..., "--format", help=FORMAT_HELP),
    history: list[Path] = typer.Option(..., "--history", help=HISTORY_HELP),
    files: list[str] = typer.Argument(None, help="Autres fichiers d'historique."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON."),
) -> None:
    """Valider des fichiers d'historique (toutes les erreurs d'un coup) et en afficher le résumé."""
    loaded = _load(format, _history_files(history, files))
    summary = loaded.summary()
    if as_json:
        _echo_json(summary)
    else:
        for key, value in summary.items():
            typer.echo(f"{SUMMARY_LABELS.get(key, key)} : {value}")


ENSEMBLE_HELP = ("Nombre de modèles LightGBM entraînés avec des graines différentes et moyennés avant la "
                 "calibration (ensemble de graines) : résultats moins dépendants de la graine, temps "
                 "d'entraînement multiplié d'autant. 1 = un seul modèle.")


@app.command("train")
def train_cmd(
    format: Format = typer.Option(..., "--format", help=FORMAT_HELP),
    history: list[Path] = typer.Option(..., "--history", help=HISTORY_HELP),
    files: list[str] = typer.Argument(None, help="Autres fichiers d'historique."),
    out: Path = typer.Option(..., "--out", help="Dossier où écrire le modèle (model.txt, meta.json, fiche modèle)."),
    until: str = typer.Option(None, "--until", help="N'apprendre que des inspections antérieures à cette date (AAAA-MM-JJ)."),
    calibration: str = typer.Option("auto", "--calibration", help="Calibration : auto, isotonic ou platt."),
    seed: int = typer.Option(0, "--seed", help="Graine aléatoire."),
    ensemble: int = typer.Option(1, "--ensemble", min=1, max=50, help=ENSEMBLE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Métriques en JSON."),
) -> None:
    """Entraîner un modèle LightGBM calibré et écrire sa fiche modèle."""
    check_output(out, folder=True)

    from .learner import train

    with rich_bar("Entraînement") as report:
        loaded = _load(format, _history_files(history, files), report)
        model = train(loaded, end=_date(until, "--until") if until else None, calibration=calibration,
                      seed=seed, ensemble=ensemble, progress=report)
        model.save(out)
    if as_json:
        _echo_json({"model": str(out), "metrics": model.metrics, "version": model.card.version})
    else:
        from amorce.core.transparency import label

        typer.echo(f"Modèle écrit dans {out} (version {model.card.version}).")
        for key, value in model.metrics.items():
            typer.echo(f"  {label(key)} : {value}")


@app.command("score")
def score_cmd(
    format: Format = typer.Option(..., "--format", help=FORMAT_HELP),
    history: list[Path] = typer.Option(..., "--history", help=HISTORY_HELP),
    files: list[str] = typer.Argument(None, help="Autres fichiers d'historique."),
    as_of: str = typer.Option(..., "--as-of", help="Date du score AAAA-MM-JJ : seules les données antérieures sont utilisées."),
    out: Path = typer.Option(..., "--out", help="Fichier CSV écrit : establishment_id,score,rank,reasons."),
    model_dir: Path = typer.Option(None, "--model", help="Modèle entraîné (sinon un modèle est entraîné sur l'historique antérieur à --as-of)."),
    explain: Explain = typer.Option(Explain.auto, "--explain", help="Calcul des raisons : shap (exact), path (rapide) ou auto."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON."),
) -> None:
    """Scorer tous les établissements connus à une date et écrire le classement avec ses raisons."""
    check_output(out)

    from .learner import TargetingModel, train
    from .scoring import score_history, write_scores

    day = _date(as_of, "--as-of")
    with rich_bar("Scores") as report:
        loaded = _load(format, _history_files(history, files), report)
        if model_dir:
            model = TargetingModel.load(model_dir)
        else:
            model = train(loaded, end=day, progress=part(report, 0.1, 0.6))
        report(0.75, None, "Scores et raisons")
        scores = score_history(model, loaded, day, explain=explain.value)
        write_scores(scores, out)
    summary = {"file": str(out), "establishments": int(len(scores)), "date": day.date().isoformat(),
               "mean_score": float(scores["score"].mean())}
    if as_json:
        _echo_json(summary)
    else:
        typer.echo(f"{len(scores)} établissements classés au {day.date()} → {out}")


@app.command("backtest")
def backtest_cmd(
    format: Format = typer.Option(..., "--format", help=FORMAT_HELP),
    history: list[Path] = typer.Option(..., "--history", help=HISTORY_HELP),
    files: list[str] = typer.Argument(None, help="Autres fichiers d'historique."),
    start: str = typer.Option(..., "--start", help="Début de la période testée (AAAA-MM-JJ) : entraînement sur les données antérieures."),
    end: str = typer.Option(..., "--end", help="Fin (exclue) de la période testée (AAAA-MM-JJ)."),
    model_dir: Path = typer.Option(None, "--model", help="Modèle déjà entraîné (jusqu'à --start au plus)."),
    k: list[int] = typer.Option([], "--k", help="Valeurs de k pour précision@k et rappel@k (répétable)."),
    scores_out: Path = typer.Option(None, "--scores-out", help="CSV des scores des inspections de la période."),
    ensemble: int = typer.Option(1, "--ensemble", min=1, max=50, help=ENSEMBLE_HELP + " Sans effet avec --model."),
    as_json: bool = typer.Option(False, "--json", help="Résultats complets en JSON."),
) -> None:
    """Backtest temporel : ROC AUC, précision@k, rappel@k, lift, jours gagnés, part en première moitié."""
    from amorce.core.files import atomic_write

    from .evaluate import backtest
    from .learner import TargetingModel

    with rich_bar("Backtest") as report:
        loaded = _load(format, _history_files(history, files), report)
        model = TargetingModel.load(model_dir) if model_dir else None
        result = backtest(loaded, _date(start, "--start"), _date(end, "--end"), model=model, ks=tuple(k),
                          progress=report, train_kwargs={"ensemble": ensemble})
    if scores_out:
        with atomic_write(scores_out) as handle:
            result.scores.to_csv(handle, index=False, lineterminator="\n")
    data = result.to_dict()
    if as_json:
        _echo_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Backtest {result.period[0]} → {result.period[1]} ({result.n_inspections} inspections, "
                        f"{result.n_events} événements)")
    columns = {"auc": "ROC AUC", "precision@10%": "précision à 10 %", "recall@10%": "rappel à 10 %",
               "recall@20%": "rappel à 20 %", "days_earlier": "jours gagnés",
               "first_half_share": "part en première moitié"}
    table.add_column("classement")
    for c in columns.values():
        table.add_column(c, justify="right")
    for name, metrics in result.metrics.items():
        table.add_row(name, *[f"{metrics.get(c, float('nan')):.3f}" for c in columns])  # the keys, in order
    Console().print(table)


@app.command("explain")
def explain_cmd(
    model_dir: Path = typer.Option(..., "--model", help="Dossier du modèle entraîné."),
    format: Format = typer.Option(..., "--format", help=FORMAT_HELP),
    history: list[Path] = typer.Option(..., "--history", help=HISTORY_HELP),
    files: list[str] = typer.Argument(None, help="Autres fichiers d'historique."),
    as_of: str = typer.Option(..., "--as-of", help="Date du score AAAA-MM-JJ."),
    establishment: str = typer.Option(..., "--establishment", help="Identifiant de l'établissement."),
    out: Path = typer.Option(None, "--out", help="Fichier écrit (.md ou .html) ; sinon affichage."),
) -> None:
    """Fiche d'explication CRPA (article R311-3-1-2) du score d'un établissement."""
    if out is not None:
        check_output(out)

    from amorce.core.files import atomic_write

    from .errors import CiblageError
    from .explain import crpa_explanation, explain_establishment
    from .learner import TargetingModel
    from .scoring import score_history

    model = TargetingModel.load(model_dir)
    loaded = _load(format, _history_files(history, files))
    day = _date(as_of, "--as-of")
    scores = score_history(model, loaded, day, reasons=False)
    row = scores[scores["establishment_id"] == establishment]
    if not len(row):
        raise CiblageError(f"Établissement « {establishment} » inconnu au {day.date()}.")
    x_row, contrib = explain_establishment(model, loaded, establishment, day)
    sheet = crpa_explanation(model, x_row, contrib, establishment_id=establishment,
                             score=float(row["score"].iloc[0]), rank=int(row["rank"].iloc[0]),
                             total=len(scores), as_of=day.date().isoformat())
    text = sheet.to_html() if out and out.suffix.lower() in (".html", ".htm") else sheet.to_markdown()
    if out:
        with atomic_write(out) as handle:
            handle.write(text)
        typer.echo(f"Explication écrite dans {out}")
    else:
        typer.echo(text)


@app.command("audit")
def audit_cmd(
    scores: Path = typer.Option(..., "--scores", help="CSV de scores (sortie de « score »)."),
    format: Format = typer.Option(..., "--format", help=FORMAT_HELP),
    history: list[Path] = typer.Option(..., "--history", help=HISTORY_HELP),
    files: list[str] = typer.Argument(None, help="Autres fichiers d'historique."),
    top: int = typer.Option(..., "--top", help="Nombre d'établissements sélectionnés (les premiers rangs)."),
    outcomes: Path = typer.Option(None, "--outcomes", help="CSV establishment_id,event (0/1) pour la précision par groupe."),
    ratio: float = typer.Option(1.25, "--ratio", help="Seuil d'alerte de disparité (rapport au taux global)."),
    as_of: str = typer.Option(None, "--as-of", help="Date du classement (AAAA-MM-JJ) : l'inspecteur affecté est "
                                                     "celui de la dernière inspection antérieure, comme pour le "
                                                     "score ; par défaut, après tout l'historique."),
    as_json: bool = typer.Option(False, "--json", help="Rapport en JSON."),
) -> None:
    """Audit d'équité : taux de sélection et précision par département, activité, taille, inspecteur affecté
    et équipe."""
    import pandas as pd

    from .errors import CiblageError
    from .fairness import audit
    from .importers import read_table

    loaded = _load(format, _history_files(history, files))
    frame = pd.read_csv(scores, dtype={"establishment_id": str})
    frame["selected"] = frame["rank"] <= top
    if outcomes:
        events = read_table(outcomes)[0]  # a user's file: Excel's Windows-1252 and semicolons read too
        if not {"establishment_id", "event"} <= set(events.columns):
            raise CiblageError(f"{outcomes.name} : colonnes attendues establishment_id et event (0 ou 1).")
        events["event"] = pd.to_numeric(events["event"], errors="coerce")
        frame = frame.merge(events[["establishment_id", "event"]], on="establishment_id", how="left")
    report = audit(frame, loaded, ratio=ratio, as_of=_date(as_of, "--as-of") if as_of else None)
    if as_json:
        _echo_json(report.to_dict())
    else:
        typer.echo(report.to_markdown())


@app.command("plan")
def plan_cmd(
    scores: Path = typer.Option(..., "--scores", help="CSV de scores (sortie de « score »)."),
    format: Format = typer.Option(..., "--format", help=FORMAT_HELP),
    history: list[Path] = typer.Option(..., "--history", help=HISTORY_HELP),
    files: list[str] = typer.Argument(None, help="Autres fichiers d'historique."),
    capacity: str = typer.Option(..., "--capacity", help="Inspections par semaine : « 20 » ou « equipe-1=10,equipe-2=8 » (équipe ou département)."),
    weeks: int = typer.Option(4, "--weeks", help="Nombre de semaines."),
    start: str = typer.Option(None, "--start", help="Première semaine (lundi suivant cette date)."),
    exploration: float = typer.Option(0.1, "--exploration", help="Part tirée au hasard (0 à 1)."),
    seed: int = typer.Option(0, "--seed", help="Graine du tirage aléatoire."),
    out: Path = typer.Option(..., "--out", help="Plan CSV."),
    ics: Path = typer.Option(None, "--ics", help="Plan au format iCalendar (.ics)."),
) -> None:
    """Plan d'inspections des semaines à venir (CSV et iCalendar), avec une part d'exploration aléatoire."""
    check_output(out)
    if ics is not None:
        check_output(ics, option="--ics")

    import pandas as pd

    from .plan import make_plan, parse_capacity, write_plan_csv, write_plan_ics

    loaded = _load(format, _history_files(history, files))
    frame = pd.read_csv(scores, dtype={"establishment_id": str}, keep_default_na=False)
    plan = make_plan(frame, loaded.establishments, parse_capacity(capacity), weeks=weeks,
                     start=_date(start, "--start") if start else None, exploration=exploration, seed=seed)
    write_plan_csv(plan, out)
    if ics:
        write_plan_ics(plan, ics)
    typer.echo(f"{len(plan)} inspections planifiées sur {weeks} semaine(s) → {out}" + (f" et {ics}" if ics else ""))


@app.command("feedback")
def feedback_cmd(
    plan: Path = typer.Option(..., "--plan", help="Plan CSV (sortie de « plan »)."),
    outcomes: Path = typer.Option(..., "--outcomes", help="Résultats : CSV establishment_id,date,outcome."),
    out: Path = typer.Option(None, "--out", help="Inspections au format canonique, à ajouter à l'historique."),
    reference: Path = typer.Option(None, "--reference-scores", help="Anciens scores (CSV) pour mesurer la dérive."),
    current: Path = typer.Option(None, "--current-scores", help="Nouveaux scores (CSV) pour mesurer la dérive."),
    as_json: bool = typer.Option(False, "--json", help="Résultats en JSON."),
) -> None:
    """Suivi : taux de découverte de la part aléatoire contre la part du modèle, dérive des scores (PSI)."""
    if out is not None:
        check_output(out)

    import pandas as pd

    from amorce.core.files import atomic_write

    from .feedback import LEVEL_LABELS, drift_report, hit_rates, record_outcomes, to_canonical_inspections
    from .importers import read_table
    from .plan import write_frame_csv

    plan_frame = pd.read_csv(plan, dtype={"establishment_id": str}, keep_default_na=False)
    recorded = record_outcomes(plan_frame, read_table(outcomes)[0])  # a user's file: any encoding of core.files
    result = {"rates": hit_rates(recorded)}
    if reference and current:
        result["drift"] = drift_report(pd.read_csv(reference)[["score"]], pd.read_csv(current)[["score"]])
    if out:
        with atomic_write(out) as handle:
            write_frame_csv(to_canonical_inspections(recorded), handle)
    if as_json:
        _echo_json(result)
    else:
        for share, values in result["rates"].items():
            typer.echo(f"{SHARE_LABELS.get(share, share)} : {values}")
        for column, values in result.get("drift", {}).items():
            typer.echo(f"dérive {column} : PSI {values['psi']:.3f} ({LEVEL_LABELS[values['level']]})")
