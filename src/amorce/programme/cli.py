"""``amorce programme …``: selection of laureates, Démarche Numérique import, SUS, demo data.

Heavy imports (scipy, httpx, fpdf) stay inside the commands so that ``amorce --help`` is fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from amorce.core.files import check_output

app = typer.Typer(help="Appel à projets IA : sélection des lauréats, import Démarche Numérique, questionnaire "
                       "d'impact, tests SUS, données et lettres de démonstration.", no_args_is_help=True)


def _parse_caps(caps: list[str]) -> dict[str, int]:
    from amorce.core.errors import ValidationReport

    report = ValidationReport()
    out: dict[str, int] = {}
    for item in caps:
        column, _, value = item.partition("=")
        try:
            out[column.strip()] = int(value)
            if not column.strip() or out[column.strip()] < 0:
                raise ValueError(item)
        except ValueError:
            report.add("plafond par groupe invalide", column="--cap", value=item, expected="COLONNE=K (K entier ≥ 0)")
    report.raise_if_any("Options invalides")
    return out


def _parse_budgets(text: str) -> list[float]:
    from amorce.core.errors import ValidationReport

    from .selection import parse_number

    report = ValidationReport()
    values = []
    for part in text.split(";") if ";" in text else text.split(","):
        try:
            values.append(parse_number(part))
        except ValueError:
            report.add("montant invalide", column="--what-if", value=part, expected="des montants séparés par des virgules")
    report.raise_if_any("Options invalides")
    return values


@app.command("select")
def select_command(
    applications: Path = typer.Option(..., "--applications", help="Fichier CSV des candidatures : colonnes id,score,budget[,group]."),
    budget: float = typer.Option(..., "--budget", help="Enveloppe totale en euros."),
    min_count: int = typer.Option(0, "--min", help="Nombre minimal de lauréats."),
    max_count: int | None = typer.Option(None, "--max", help="Nombre maximal de lauréats."),
    max_per_group: int | None = typer.Option(None, "--max-per-group", help="Au plus K lauréats par valeur de la colonne « group »."),
    cap: list[str] = typer.Option([], "--cap", help="Plafond sur une autre colonne, ex. --cap ministere=2 (répétable)."),
    explain: bool = typer.Option(False, "--explain", help="Explique, dossier par dossier, pourquoi il est retenu ou non."),
    score_max: float | None = typer.Option(None, "--score-max", help="Score maximal possible (ex. 20), pour les explications."),
    what_if: str | None = typer.Option(None, "--what-if", help="Optimum pour d'autres enveloppes, ex. 800000,1200000."),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON : {\"selected\": [...], \"total_score\": x, \"total_budget\": y}."),
) -> None:
    """Sélection exacte des lauréats : score total maximal sous l'enveloppe et les contraintes."""
    from .selection import Constraints, budget_what_if, read_candidates_csv, select
    from .selection import explain as explain_selection

    caps = _parse_caps(cap)
    if max_per_group is not None:
        caps["group"] = max_per_group
    candidates = read_candidates_csv(applications, group_columns=tuple(dict.fromkeys(["group", *caps])),
                                     required_groups=tuple(caps))
    constraints = Constraints(budget=budget, min_count=min_count, max_count=max_count, group_caps=caps)
    selection = select(candidates, constraints)
    explanations = explain_selection(candidates, constraints, selection, score_max=score_max) if explain else []
    scenarios = budget_what_if(candidates, constraints, _parse_budgets(what_if)) if what_if else []
    if as_json:
        payload = selection.to_dict()
        if explain:
            payload["explanations"] = [e.to_dict() for e in explanations]
        if scenarios:
            payload["what_if"] = [s.to_dict() for s in scenarios]
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    _print_selection(candidates, selection, explanations, scenarios)


def _print_selection(candidates, selection, explanations, scenarios) -> None:
    from rich.console import Console
    from rich.table import Table

    from .selection import _eur, _pts

    console = Console()
    chosen = set(selection.selected)
    table = Table(title=f"Sélection optimale : {len(chosen)} lauréats, {_pts(selection.total_score)} points, "
                        f"{_eur(selection.total_budget)} sur {_eur(selection.envelope)}")
    table.add_column("Dossier")
    table.add_column("Score", justify="right")
    table.add_column("Budget", justify="right")
    table.add_column("Groupes")
    table.add_column("Retenu", justify="center")
    for c in sorted(candidates, key=lambda c: (c.id not in chosen, -c.score)):
        table.add_row(c.id, _pts(c.score), _eur(c.budget), ", ".join(f"{k}={v}" for k, v in c.groups.items()),
                      "oui" if c.id in chosen else "non")
    console.print(table)
    if explanations:
        detail = Table(title="Explications")
        detail.add_column("Dossier")
        detail.add_column("Explication")
        for e in explanations:
            detail.add_row(e.id, e.summary)
        console.print(detail)
    if scenarios:
        what = Table(title="Et si l'enveloppe changeait ?")
        for name in ("Enveloppe", "Lauréats", "Score total", "Budget utilisé"):
            what.add_column(name, justify="right")
        for s in scenarios:
            if s.selection is None:
                what.add_row(_eur(s.budget), "—", "impossible", "—")
            else:
                what.add_row(_eur(s.budget), str(len(s.selection.selected)), _pts(s.selection.total_score),
                             _eur(s.selection.total_budget))
        console.print(what)


@app.command("import-ds")
def import_ds_command(
    demarche: int = typer.Option(..., "--demarche", help="Numéro de la démarche sur Démarche Numérique."),
    out: Path = typer.Option(..., "--out", help="Fichier JSONL des dossiers (mis à jour sans doublon s'il existe)."),
    base_url: str | None = typer.Option(None, "--base-url", help="Adresse https de l'instance, parmi celles de la "
                                                                  "variable DS_ALLOWED_URLS (défaut : variable "
                                                                  "DS_API_URL, sinon https://demarche.numerique.gouv.fr)."),
    token: str | None = typer.Option(None, "--token", envvar="DS_API_TOKEN", show_envvar=True,
                                     help="Jeton d'API (de préférence par la variable DS_API_TOKEN)."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Correspondance JSON {\"fields\": {champ: libellé}, "
                                                                "\"annotations\": {…}} ; défaut : formulaire amorce."),
    state: str | None = typer.Option(None, "--state", help="Ne prendre que les dossiers dans cet état "
                                                           "(en_construction, en_instruction, accepte, refuse, sans_suite)."),
    updated_since: str | None = typer.Option(None, "--updated-since", help="Ne prendre que les dossiers modifiés "
                                                                           "depuis cette date (ISO 8601)."),
    page_size: int = typer.Option(100, "--page-size", help="Dossiers par page de l'API."),
    persisted: bool = typer.Option(False, "--persisted", help="Utiliser la requête officielle enregistrée ds-query-v2."),
    as_json: bool = typer.Option(False, "--json", help="Bilan en JSON."),
) -> None:
    """Importe (ou resynchronise) les dossiers d'une démarche Démarche Numérique."""
    check_output(out)

    from amorce.core.files import read_jsonl
    from amorce.core.progress import rich_bar

    from .ds_import import (
        DEFAULT_MAPPING,
        DS_STATES,
        DemarcheNumeriqueClient,
        FieldMapping,
        InMemoryRepository,
        sync,
        write_jsonl,
    )
    from .errors import ProgrammeError

    if state is not None and state not in DS_STATES:
        raise ProgrammeError(f"État « {state} » inconnu : {', '.join(DS_STATES)} attendu.")
    if not token:
        raise ProgrammeError("Jeton d'API Démarche Numérique absent : passez --token ou définissez la variable "
                             "DS_API_TOKEN.")
    field_mapping = FieldMapping.load(mapping) if mapping else DEFAULT_MAPPING
    repository = InMemoryRepository()
    if out.exists():
        for record in read_jsonl(out, required=("ds_number",)):
            repository.save(record)
    with (DemarcheNumeriqueClient(token, base_url, page_size=page_size, persisted=persisted) as client,
          rich_bar("Lecture des dossiers…") as progress):
        _, dossiers = client.fetch_dossiers(demarche, updated_since=updated_since, state=state, progress=progress)
    report = sync(dossiers, field_mapping, repository)
    write_jsonl(sorted(repository.records.values(), key=lambda r: r["ds_number"]), out)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        typer.echo(f"Démarche n° {demarche} : {report.summary_fr()} Fichier écrit : {out}")


@app.command("demo")
def demo_command(
    out: Path = typer.Option(..., "--out", help="Dossier où écrire l'appel 2018 et les candidatures générées."),
    count: int = typer.Option(52, "--count", help="Nombre de candidatures générées."),
    seed: int = typer.Option(2018, "--seed", help="Graine du générateur (mêmes données à graine égale)."),
    letters: bool = typer.Option(False, "--letters", help="Écrire aussi les lettres de décision (HTML et PDF) "
                                                          "dans le sous-dossier lettres/."),
) -> None:
    """Génère l'appel à projets IA de 2018 et des candidatures réalistes (données fictives)."""
    check_output(out, folder=True)

    import csv

    from amorce.core.files import atomic_write

    from .demo import generate_demo
    from .ds_import import write_jsonl
    from .letters import transparency_sheet_markdown

    programme = generate_demo(count=count, seed=seed)
    call = programme.call
    out.mkdir(parents=True, exist_ok=True)
    with atomic_write(out / "appel.json") as handle:
        json.dump(call.to_dict(), handle, ensure_ascii=False, indent=2, default=str)
    write_jsonl([a.to_dict() for a in programme.applications], out / "candidatures.jsonl")
    candidates = programme.candidates()
    with atomic_write(out / "candidatures.csv") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "score", "budget", "group", "famille"])  # the CSV's own columns
        for c in candidates:
            writer.writerow([c.id, f"{c.score:.2f}", f"{c.budget:.0f}", c.groups["ministry"], c.groups["family"]])
    with atomic_write(out / "fiche-transparence.md") as handle:
        handle.write(transparency_sheet_markdown(call.title, call.administration, call.criteria, call.constraints))
    if letters:
        from amorce.core.progress import rich_bar

        from .demo import write_decision_letters

        with rich_bar("Rédaction des lettres de décision…") as progress:
            decisions = write_decision_letters(programme, out / "lettres", progress=progress)
        laureates = sum(1 for d in decisions.values() if d == "accepte")
        typer.echo(f"{len(decisions)} lettres écrites dans {out / 'lettres'} ({laureates} lauréats).")
    typer.echo(f"{len(programme.applications)} candidatures générées ({len(candidates)} éligibles) dans {out}. "
               f"Essayez : amorce programme select --applications {out / 'candidatures.csv'} --budget "
               f"{call.budget:.0f} --min {call.min_laureates} --max {call.max_laureates} --max-per-group 1 --explain --score-max 20")


@app.command("sus")
def sus_command(
    answers: Path = typer.Option(..., "--answers", help="CSV des questionnaires SUS : colonnes q1 à q10 (réponses 1 à 5)."),
    tasks: Path | None = typer.Option(None, "--tasks", help="CSV des tâches : colonnes task,success (oui/non)."),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Score SUS d'une campagne de tests utilisateurs (moyenne, intervalle de confiance, réussite des tâches)."""
    from amorce.core.errors import ValidationReport
    from amorce.core.files import read_csv_rows

    from .sus import read_sus_csv, summarise, task_success_by_task

    summary = summarise(read_sus_csv(answers))
    by_task = {}
    if tasks:
        rows = read_csv_rows(tasks, required=("task", "success"))
        report = ValidationReport(file=str(tasks))
        parsed = []
        for row in rows:
            value = (row.get("success") or "").strip().lower()
            if value in ("oui", "1", "true", "vrai", "réussi", "reussi"):
                parsed.append({"task": row["task"], "success": True})
            elif value in ("non", "0", "false", "faux", "échec", "echec"):
                parsed.append({"task": row["task"], "success": False})
            else:
                report.add("résultat de tâche invalide", line=row["__line__"], column="success", value=value,
                           expected="oui ou non")
        report.raise_if_any("Fichier de tâches invalide")
        by_task = task_success_by_task(parsed)
    if as_json:
        payload = summary.to_dict()
        payload["tasks"] = {k: {"successes": v.successes, "attempts": v.attempts, "rate": v.rate,
                                "ci_low": v.ci_low, "ci_high": v.ci_high} for k, v in by_task.items()}
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    if summary.count == 0:
        typer.echo("Aucun questionnaire.")
        return
    text = f"{summary.count} questionnaires — score SUS moyen {summary.mean:.1f}/100 ({summary.grade})"
    if summary.ci_low is not None:
        text += f", IC 95 % [{summary.ci_low:.1f} ; {summary.ci_high:.1f}]"
    typer.echo(text + ".")
    for task, result in by_task.items():
        typer.echo(f"Tâche « {task} » : {result.successes}/{result.attempts} réussites ({result.rate:.0%}, "
                   f"IC 95 % [{result.ci_low:.0%} ; {result.ci_high:.0%}]).")


@app.command("aia")
def aia_command(
    answers: Path = typer.Option(..., "--answers", help="Réponses JSON au questionnaire d'impact {\"R1\": \"recommandation\", …}."),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Niveau d'impact (I à IV) d'un projet selon le questionnaire inspiré de l'EIA canadienne, et ses exigences."""
    from amorce.core.errors import AmorceError
    from amorce.core.files import read_json

    from .assessment import assess
    from .errors import ProgrammeError

    try:
        data = read_json(answers)  # UTF-8 (with or without BOM) or Windows-1252
    except AmorceError as exc:
        raise ProgrammeError(exc.message, exit_code=exc.exit_code, **exc.details) from exc
    if not isinstance(data, dict):
        raise ProgrammeError(f"Fichier {answers} : un objet JSON {{code: réponse}} est attendu.")
    result = assess(data)
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False) if as_json else result.to_markdown())
