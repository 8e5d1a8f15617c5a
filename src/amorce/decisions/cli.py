"""``amorce decisions …``: import, pseudonymise and evaluate court decisions."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from amorce.core.files import check_output
from amorce.core.progress import rich_bar

app = typer.Typer(help="Décisions de justice : import, pseudonymisation (catégories de Label), évaluation.",
                  no_args_is_help=True)

KEEP_HELP = ("Catégories détectées mais laissées en clair, séparées par des virgules (par défaut : "
             "professionnelMagistratGreffier,professionnelAvocat ; « » pour tout masquer).")


@app.command("importer")
def import_cmd(
    source: Path = typer.Argument(..., help="Fichier ou dossier à importer (JSONL, JSON Judilibre, Label, .txt)."),
    out: Path = typer.Option(..., "--out", help="Fichier JSONL {id, text, …} à écrire."),
    fmt: str = typer.Option("auto", "--format", help="auto, jsonl, judilibre, texte ou label."),
) -> None:
    """Convertir des décisions (Judilibre, Label, texte brut, JSONL) en JSONL {id, text, …}."""
    check_output(out)

    from amorce.core.files import atomic_write

    from .importers import load_decisions

    decisions = load_decisions(source, fmt)
    with atomic_write(out) as handle:
        for d in decisions:
            handle.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    typer.echo(f"{len(decisions)} décision(s) écrite(s) dans {out}")


@app.command("generer")
def generate_cmd(
    out: Path = typer.Option(..., "--out", help="Fichier JSONL {id, text, …} à écrire."),
    nombre: int = typer.Option(1000, "--nombre", min=1, help="Nombre de décisions fictives à générer."),
    graine: int = typer.Option(0, "--graine", help="Graine du générateur (même graine → même corpus)."),
) -> None:
    """Générer un corpus de décisions fictives (essais de charge, benchmarks) : parties, avocats,
    magistrats, adresses, NIR et IBAN valides, montants ; aucune donnée réelle."""
    check_output(out)

    from amorce.core.files import atomic_write

    from .demo import generate_decisions

    with atomic_write(out) as handle, rich_bar("Génération") as progress:
        for i, decision in enumerate(generate_decisions(nombre, seed=graine), start=1):
            handle.write(json.dumps(decision.to_dict(), ensure_ascii=False) + "\n")
            if i % 500 == 0 or i == nombre:
                progress(i, nombre)
    typer.echo(f"{nombre} décision(s) fictive(s) écrite(s) dans {out}")


@app.command("pseudonymise")
def pseudonymise_cmd(
    source: Path = typer.Argument(..., help="Décisions à pseudonymiser : JSONL {id, text, …} (ou autre format importable)."),
    out: Path = typer.Option(..., "--out", help="Fichier JSONL de sortie {id, text_pseudonymised, entities}."),
    engine: str = typer.Option(None, "--engine", help="Moteur de calcul : local (processus), serial ou ray."),
    keep: str = typer.Option(None, "--keep", help=KEEP_HELP),
    partition_size: int = typer.Option(200, "--taille-partition", min=1, help="Décisions par partition."),
    no_ner: bool = typer.Option(False, "--sans-ner", help="Règles et heuristiques seules (sans spaCy)."),
    judilibre: Path = typer.Option(None, "--judilibre", help="Écrire aussi un JSON de type Judilibre."),
) -> None:
    """Pseudonymiser des décisions ; les positions (start, end) renvoient au texte d'origine."""
    check_output(out)
    if judilibre is not None:
        check_output(judilibre, option="--judilibre")

    from amorce.core.engine import chunks, run_partitions
    from amorce.core.files import atomic_write

    from .importers import detect_format, iter_jsonl, load_decisions, validate_jsonl
    from .pipeline import pseudonymise_partition
    from .taxonomy import Policy

    policy = Policy.from_option(keep)
    if detect_format(source) == "jsonl":
        total = validate_jsonl(source)
        stream = iter_jsonl(source)
    else:
        decisions = load_decisions(source)
        total, stream = len(decisions), iter(decisions)
    window = partition_size * 32  # bounded memory: a window of partitions at a time
    written = 0
    with atomic_write(out) as handle, rich_bar("Pseudonymisation") as progress:
        while True:
            rows = []
            for decision in stream:
                rows.append({"id": decision.id, "text": decision.text, "_meta": decision.metadata})
                if len(rows) >= window:
                    break
            if not rows:
                break
            parts = [([{"id": r["id"], "text": r["text"]} for r in part], tuple(policy.keep), not no_ner)
                     for part in chunks(rows, partition_size)]
            sizes = [len(p[0]) for p in parts]
            base = written

            def report(done: float, _total: float | None = None, _message: str | None = None, sizes=sizes,
                       base=base) -> None:
                progress(base + sum(sizes[:int(done)]), total)

            for result_rows in run_partitions(pseudonymise_partition, parts, engine=engine, progress=report):
                for row in result_rows:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += len(rows)
            progress(written, total)
    typer.echo(f"{written} décision(s) pseudonymisée(s) → {out}")
    if judilibre:
        _write_judilibre(out, judilibre, source)


def _write_judilibre(out: Path, target: Path, source: Path) -> None:
    from amorce.core.files import atomic_write

    from .importers import load_decisions, to_judilibre

    meta = {d.id: d for d in load_decisions(source)}
    items = []
    with out.open(encoding="utf-8") as handle:
        for raw in handle:
            row = json.loads(raw)
            items.append(to_judilibre(meta[row["id"]], row["text_pseudonymised"]))
    with atomic_write(target) as handle:
        json.dump(items if len(items) != 1 else items[0], handle, ensure_ascii=False, indent=1)
    typer.echo(f"Export Judilibre → {target}")


@app.command("evaluate")
def evaluate_cmd(
    gold: Path = typer.Option(..., "--gold", help="Annotations de référence (traitements Label JSONL/JSON, ou sortie de pseudonymise)."),
    pred: Path = typer.Option(None, "--pred", help="Prédictions (sortie de pseudonymise) ; sinon le pipeline est exécuté."),
    decisions: Path = typer.Option(None, "--decisions", help="Textes des décisions (par défaut decisions.jsonl à côté de --gold)."),
    overlay: Path = typer.Option(None, "--overlay", help="Corrections de la référence (JSONL doc_id, start, end, category)."),
    split: str = typer.Option("all", "--split", help="all, dev (réglage) ou test (réservé)."),
    keep: str = typer.Option(None, "--keep", help=KEEP_HELP),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON."),
    disagreements_out: Path = typer.Option(
        None, "--ecarts", help="Écrit chaque écart avec la référence (CSV : décision, manque/en trop, catégorie, "
        "positions, texte, contexte) pour relire la référence et les règles."),
) -> None:
    """Précision, rappel, F1 par catégorie (stricte et par jeton), fuites de personnes, professionnels masqués."""
    from .errors import DecisionsError
    from .evaluate import (
        SPLITS,
        apply_overlay,
        corrections,
        evaluate,
        load_overlay,
        select_split,
        write_disagreements,
    )
    from .importers import load_annotations, load_decisions
    from .taxonomy import Policy

    if split not in SPLITS:
        raise DecisionsError(f"--split doit valoir {', '.join(SPLITS)} (reçu : {split}).")
    policy = Policy.from_option(keep)
    gold_spans = load_annotations(gold)
    texts_path = decisions or gold.parent / "decisions.jsonl"
    if not texts_path.exists():
        raise DecisionsError(f"Textes des décisions introuvables : {texts_path} (option --decisions).")
    texts = {d.id: d for d in load_decisions(texts_path)}
    missing = [i for i in gold_spans if i not in texts]
    if missing:
        raise DecisionsError(f"{len(missing)} décision(s) annotée(s) absente(s) de {texts_path} : "
                             + ", ".join(missing[:5]))
    corrected = None
    if overlay:
        overlay_rows = load_overlay(overlay)
        corrected = apply_overlay(gold_spans, overlay_rows, {i: d.text for i, d in texts.items()})
    ids = select_split(gold_spans, split)
    if pred:
        predictions = load_annotations(pred)
    else:
        from .pipeline import Pseudonymiser

        pseudo = Pseudonymiser(policy)
        predictions = {}
        with rich_bar("Pseudonymisation") as progress:
            for done, result in enumerate(pseudo.pseudonymise(texts[i] for i in ids), start=1):
                predictions[result.id] = result.entities
                progress(done, len(ids))
    # The raw reference first; the corrected one second, with each correction and its reason.
    report = evaluate(gold_spans, predictions, {i: texts[i].text for i in ids}, policy=policy, ids=ids)
    report["split"] = split
    report["reference"] = "raw"
    if corrected is not None:
        report["corrected"] = evaluate(corrected, predictions, {i: texts[i].text for i in ids}, policy=policy,
                                       ids=ids)
        report["corrected"]["overlay"] = str(overlay)
        report["corrected"]["corrections"] = corrections(overlay_rows, ids)
    if disagreements_out:
        report["disagreements"] = write_disagreements(
            disagreements_out, ids, corrected or gold_spans, predictions, {i: texts[i].text for i in ids})
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    _print_report(report)


def _print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    _print_figures(console, report, f"référence brute, partie « {report['split']} »")
    corrected = report.get("corrected")
    if corrected:
        table = Table(title=f"{len(corrected['corrections'])} correction(s) de la référence ({corrected['overlay']})")
        for col in ("décision", "positions", "annoté", "corrigé", "raison"):
            table.add_column(col)
        for row in corrected["corrections"]:
            table.add_row(row["doc_id"], f"{row['start']}–{row['end']}", row["was"] or "(rien)",
                          row["category"] or "(rien)", row["reason"])
        console.print(table)
        _print_figures(console, corrected, f"référence corrigée, partie « {report['split']} »")
    if "disagreements" in report:
        console.print(f"{report['disagreements']['count']} écart(s) avec la référence → {report['disagreements']['path']}")


def _print_figures(console, report: dict, title: str) -> None:
    from rich.table import Table

    table = Table(title=f"Évaluation ({report['decisions']} décisions, {title})")
    for col in ("catégorie", "effectif", "P stricte", "R stricte", "F1 stricte", "P jeton", "R jeton", "F1 jeton"):
        table.add_column(col, justify="right" if col != "catégorie" else "left")
    rows = list(report["per_category"].items()) + [("micro", {"support": "", **report["micro"]})]
    for cat, v in rows:
        table.add_row(cat, str(v["support"]), *(f"{v[k][m]:.3f}" for k in ("strict", "token")
                                                   for m in ("precision", "recall", "f1")))
    console.print(table)
    leak, pro = report["leak"], report["professionals"]
    console.print(f"Décisions avec au moins une mention de personne non masquée : {leak['decisions_with_leak']}"
                  f" / {report['decisions']} ({leak['share']:.1%}) — {leak['leaked_person_mentions']} mention(s)"
                  f" sur {leak['person_mentions']}")
    console.print(f"Mentions de professionnels masquées à tort : {pro['wrongly_masked']} / {pro['mentions']}"
                  f" ({pro['share']:.2%})")


def _filters(values: list[str] | None) -> dict[str, str]:
    from .errors import DecisionsError

    out = {}
    for item in values or []:
        if "=" not in item:
            raise DecisionsError(f"Filtre invalide : « {item} » (attendu : clé=valeur, par ex. source=jurinet).")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


@app.command("objectiver")
def objectiver_cmd(
    source: Path = typer.Argument(..., help="Décisions (JSONL, Judilibre, Label, .txt)."),
    categorie: str = typer.Option("article_700", "--categorie", help="Type de montant : article_700, dommages_interets, prejudice_moral, indemnite_licenciement, pension_alimentaire, prestation_compensatoire…"),
    filtre: list[str] = typer.Option(None, "--filtre", help="Décisions comparables : clé=valeur (jurisdiction, chamber_name, nac_code, source, solution)."),
    demandes: bool = typer.Option(False, "--demandes", help="Compter aussi les montants demandés (pas seulement accordés)."),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Distribution des montants accordés sur des décisions comparables (effectif, quartiles, médiane) — jamais un chiffre unique."""
    from rich.console import Console
    from rich.table import Table

    from .importers import load_decisions
    from .objectivation import comparable, distribution, extract_facts

    decisions = load_decisions(source)
    with rich_bar("Extraction") as progress:
        facts = []
        for done, d in enumerate(decisions, start=1):
            facts.append(extract_facts(d))
            progress(done, len(decisions))
    result = distribution(comparable(facts, **_filters(filtre)), categorie, awarded_only=not demandes)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    console = Console()
    stats = result["stats"]
    table = Table(title=f"Montants « {categorie} » sur les décisions comparables")
    for col in ("effectif", "minimum", "1er quartile", "médiane", "3e quartile", "maximum"):
        table.add_column(col, justify="right")
    if stats["count"]:
        table.add_row(str(stats["count"]), *(f"{stats[k]:,.2f} €".replace(",", " ") for k in ("min", "q1", "median", "q3", "max")))
    else:
        table.add_row("0", "–", "–", "–", "–", "–")
    console.print(table)
    for item in result["decisions"]:
        console.print(f"  • {item['id']} : {item['value']:,.2f} €".replace(",", " "))
    for limit in result["limits"]:
        console.print(f"[yellow]Limite :[/yellow] {limit}")


@app.command("rechercher")
def search_cmd(
    source: Path = typer.Argument(..., help="Décisions où chercher (JSONL, Judilibre, Label, .txt)."),
    query: str = typer.Argument(..., help="Texte d'une décision ou description d'un cas."),
    k: int = typer.Option(10, "-k", min=1, help="Nombre de décisions renvoyées."),
    filtre: list[str] = typer.Option(None, "--filtre", help="clé=valeur (jurisdiction, chamber_name, source, solution, date_from, date_to)."),
    lexical: bool = typer.Option(False, "--lexical", help="BM25 seul (sans plongements de phrases)."),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON."),
) -> None:
    """Décisions similaires : BM25 + plongements multilingues (fusion des rangs), filtres, passages surlignés."""
    from rich.console import Console

    from .importers import load_decisions
    from .search import DecisionIndex

    decisions = load_decisions(source)
    console = Console(stderr=True)
    with console.status(f"Indexation de {len(decisions)} décisions…"):
        index = DecisionIndex(decisions, use_embeddings=not lexical)
    hits = index.search(query, k=k, filters=_filters(filtre))
    if as_json:
        typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))
        return
    out = Console()
    for rank, hit in enumerate(hits, start=1):
        meta = hit.metadata
        out.print(f"[bold]{rank}. {hit.id}[/bold] — {meta.get('jurisdiction', '')} {meta.get('decision_date', '')} "
                  f"{meta.get('solution', '') or ''} (BM25 : {hit.bm25_rank or '–'}, sens : {hit.dense_rank or '–'})")
        text, pos, parts = hit.passage, 0, []
        for s, e in hit.highlights:
            parts += [text[pos:s].replace("[", "\\["), "[reverse]" + text[s:e] + "[/reverse]"]
            pos = e
        parts.append(text[pos:].replace("[", "\\["))
        out.print("   " + " ".join("".join(parts).split())[:500])


@app.command("train")
def train_cmd(
    gold: Path = typer.Option(..., "--gold", help="Annotations validées (traitements Label ou sorties relues)."),
    out: Path = typer.Option(..., "--out", help="Dossier du modèle (model/, model-card.md, evaluation.json)."),
    decisions: Path = typer.Option(None, "--decisions", help="Textes des décisions (par défaut decisions.jsonl à côté de --gold)."),
    overlay: Path = typer.Option(None, "--overlay", help="Corrections de la référence."),
    train_split: str = typer.Option("dev", "--entrainement", help="Partie pour l'entraînement : dev, test ou all."),
    eval_split: str = typer.Option("test", "--evaluation", help="Partie pour l'évaluation avant/après (ou « aucune »)."),
    epochs: int = typer.Option(3, "--epoques", min=1, help="Nombre d'époques."),
    targets: str = typer.Option("personnes", "--cibles", help="Ce que le modèle apprend : personnes (noms de "
                                "personnes, tous rôles), lieux (adresses et localités) ou personnes+lieux."),
) -> None:
    """Ajuster le NER spaCy sur des annotations validées, avec fiche modèle et évaluation avant/après."""
    check_output(out, folder=True)

    from .errors import DecisionsError
    from .evaluate import SPLITS, apply_overlay, load_overlay, select_split
    from .importers import load_annotations, load_decisions
    from .train import TARGETS, train_ner

    for value in (train_split, eval_split):
        if value not in SPLITS + ("aucune",):
            raise DecisionsError(f"Partie inconnue : {value} (dev, test, all ou aucune).")
    if targets not in TARGETS:
        raise DecisionsError(f"Cibles inconnues : {targets} ({', '.join(TARGETS)}).")
    spans = load_annotations(gold)
    texts_path = decisions or gold.parent / "decisions.jsonl"
    texts = {d.id: d for d in load_decisions(texts_path)}
    if overlay:
        spans = apply_overlay(spans, load_overlay(overlay), {i: d.text for i, d in texts.items()})
    known = [i for i in spans if i in texts]
    train = [texts[i] for i in select_split(known, train_split)]
    evaluation = [] if eval_split == "aucune" else [texts[i] for i in select_split(known, eval_split)]
    with rich_bar("Entraînement") as progress:
        card = train_ner(train, spans, out, evaluation=evaluation, epochs=epochs, labels=TARGETS[targets],
                         progress=progress)
    for key, value in card.metrics.items():
        typer.echo(f"{key} : {value}")
    typer.echo(f"Modèle et fiche écrits dans {out}")
