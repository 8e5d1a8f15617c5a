"""``amorce assistant …``: index official content, ask questions, evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from amorce.core.files import check_output

app = typer.Typer(help="Assistant citoyen : réponses sourcées à partir des fiches officielles "
                       "(service-public.fr, documents internes).", no_args_is_help=True)

KB_OPTION = typer.Option(None, "--kb", help="Nom de la base de connaissances (par défaut AMORCE_ASSISTANT_KB, "
                                            "sinon service-public).")


def _settings():
    """The assistant's configuration from the environment (the command line does not read Django's)."""
    from .config import from_environ

    return from_environ()


@app.command("index")
def index_command(
    source: Path = typer.Option(..., "--source", help="Fichier ou dossier : XML/JSON DILA, JSONL de fiches, "
                                                      "Markdown, HTML, PDF, texte."),
    kb: str = KB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Résumé au format JSON."),
) -> None:
    """Indexer (ou réindexer) des documents ; seuls les documents modifiés sont recalculés."""
    from amorce.core.progress import rich_bar

    from .kb import index_source

    settings = _settings()
    kb = kb or settings.kb

    with rich_bar(f"Indexation de la base « {kb} »") as progress:
        report = index_source(source, kb, root=settings.data_dir, progress=progress)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    typer.echo(f"Base « {kb} » ({report.path}) : {report.documents} documents, {report.chunks} passages.")
    typer.echo(f"  ajoutés {report.added}, modifiés {report.updated}, inchangés {report.unchanged}, "
               f"retirés {report.removed} ; {report.embedded_chunks} passages et {report.e5_documents} titres (e5) "
               f"vectorisés en {report.seconds} s.")


@app.command("ask")
def ask_command(
    questions: list[str] = typer.Argument(..., help="La question de l'usager ; plusieurs questions forment une "
                                                    "conversation, posées dans l'ordre."),
    kb: str = KB_OPTION,
    audience: str = typer.Option(None, "--public", "--audience", help="Filtrer par public : particuliers, "
                                                                      "professionnels ou associations."),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON : answer, sources, confidence, refused, mode, "
                                                       "follow_up (une liste pour plusieurs questions)."),
    extractive: bool = typer.Option(False, "--extractive", help="Ne pas utiliser le modèle de langage même "
                                                                "s'il est configuré (LLM_BASE_URL)."),
    conversation_file: Path = typer.Option(
        None, "--conversation", help="Fichier JSON de la conversation : les questions précédentes qu'il contient "
        "servent de contexte, puis il est réécrit avec les nouvelles (texte masqué)."),
    direct: bool = typer.Option(False, "--direct", help="Répondre à chaque question seule, sans contexte ni "
                                                        "question en retour (comme l'API sans conversation)."),
) -> None:
    """Poser une ou plusieurs questions, comme sur la page de discussion : réponse sourcée, refus si les
    sources sont insuffisantes, ou question en retour (sujets proposés) si la question est ambiguë."""
    from .conversation import RememberedTurn, respond
    from .retrieval import KnowledgeBase

    settings = _settings()
    base = KnowledgeBase.open(kb or settings.kb, root=settings.data_dir)
    turns = _read_conversation(conversation_file) if conversation_file else []
    replies = []
    for question in questions:
        previous = None if direct or not turns else RememberedTurn.from_dict(turns[-1])
        reply = respond(question, base, previous, audience=audience, llm=None if extractive else settings.llm,
                        clarify=not direct, ask_back=settings.ask_back)
        replies.append(reply)
        turns.append(reply.memory())
    if conversation_file:
        _write_conversation(conversation_file, base.name, turns)
    if as_json:
        payload = [r.to_dict() for r in replies]
        typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False))
        return
    from rich.console import Console

    console = Console()
    for question, reply in zip(questions, replies, strict=True):
        if len(questions) > 1:
            console.print(f"\n» {question}", style="bold", markup=False, highlight=False)
        console.print(reply.answer, markup=False, highlight=False)
        if reply.clarification:
            console.print("Sujets proposés (reposez la question avec l'un de ces titres) :", style="dim")
        else:
            console.print(f"\nConfiance : {reply.confidence:.2f} — mode : {reply.mode}", style="dim")
        for warning in reply.reply.warnings if reply.reply else ():
            console.print(f"Attention : {warning}", style="yellow", markup=False)
        for source in reply.sources:
            console.print(f"  • {source['id']} — {source['title']} ({source['url']})", markup=False)


def _read_conversation(path: Path) -> list[dict]:
    from .documents import AssistantError

    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        turns = data["turns"]
        if not all(isinstance(t, dict) and isinstance(t.get("question"), str) for t in turns):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise AssistantError(f"Fichier de conversation illisible : {path} (attendu : le fichier JSON écrit par "
                             "« amorce assistant ask --conversation »).") from None
    return turns


def _write_conversation(path: Path, kb: str, turns: list[dict]) -> None:
    from amorce.core.files import atomic_write

    with atomic_write(path) as handle:
        handle.write(json.dumps({"kb": kb, "turns": turns}, ensure_ascii=False, indent=1))


@app.command("evaluate")
def evaluate_command(
    kb: str = KB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Résultats complets au format JSON."),
    calibrate_first: bool = typer.Option(False, "--calibrate", help="Réajuster d'abord la fusion, la confiance et "
                                                                    "le seuil de refus (questions « dev »)."),
    no_labour: bool = typer.Option(False, "--sans-travail", help="Ne pas rejouer les questions de droit du travail."),
    questions: Path = typer.Option(
        None, "--questions", help="Dossier de vos questions pour une autre base : colloquial_questions.jsonl "
        "({question, fiche_id, split}) et out_of_scope_questions.jsonl ({question, split}) ; par défaut, les "
        "questions service-public.fr du dépôt."),
) -> None:
    """Mesurer la recherche (top-1, top-3, MRR), les refus et les réponses de droit du travail."""
    from rich.console import Console
    from rich.table import Table

    from .documents import AssistantError
    from .evaluate import (
        answerable,
        calibrate,
        evaluate,
        load_colloquial,
        load_out_of_scope,
        load_squad,
        question_data_dir,
        squad_available,
    )
    from .retrieval import KnowledgeBase

    settings = _settings()
    kb = kb or settings.kb
    questions = question_data_dir(questions)  # both files there, before any work
    console = Console(stderr=as_json)
    base = KnowledgeBase.open(kb, root=settings.data_dir)
    if calibrate_first:
        with console.status("Calibration de la confiance…"):
            dev, _ = answerable(base, [q for q in load_colloquial(questions) if q.split == "dev"])
            squad, _ = answerable(base, load_squad() if squad_available() else [])
            if not dev:
                raise AssistantError("Calibration impossible : aucune question « dev » ne porte sur un document de "
                                     f"la base « {kb} » (option --questions).")
            cal = calibrate(base, dev, [q for q in load_out_of_scope(questions) if q.split == "dev"],
                            ranking=squad + dev)
        console.print(f"Seuil de refus : {cal['threshold']:.3f} ({cal['fitted_on']})")
    with console.status("Évaluation…") as status:
        report = evaluate(base, labour=not no_labour, progress=lambda s: status.update(s), questions=questions)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Recherche au niveau de la fiche — base « {kb} » ({report['documents']} documents)")
    for col in ("Jeu de questions", "n", "Mode", "top-1", "top-3", "MRR"):
        table.add_column(col)
    for set_name, by_mode in report["retrieval"].items():
        for mode, m in by_mode.items():
            table.add_row(set_name, str(m["n"]), mode, f"{m['top1']:.3f}", f"{m['top3']:.3f}", f"{m['mrr']:.3f}")
    console.print(table)
    for set_name, n in report["ignored"].items():
        console.print(f"{set_name} : {n} question(s) laissée(s) de côté (document absent de la base).")
    if report["refusal"]["test"] is None:
        console.print("Refus (test) : pas de partition test en ce moment (les questions mesurées ont rejoint dev).")
    for split, r in (("test", report["refusal"]["test"]), ("dev", report["refusal"]["dev"])):
        if r is None:
            continue
        console.print(f"Refus ({split}) : hors périmètre refusées {r['out_of_scope_refused']:.1%} "
                      f"(n={r['out_of_scope_n']}), dans le périmètre refusées {r['in_scope_refused']:.1%} "
                      f"(n={r['in_scope_n']}) ; bien trouvées refusées {r['in_scope_right_refused']:.1%} "
                      f"(n={r['in_scope_right_n']}), répondues avec une mauvaise fiche "
                      f"{r['in_scope_wrong_answered']:.1%}, seuil {r['threshold']:.3f}")
        console.print(f"Discussion ({split}) : question en retour « laquelle de ces fiches ? » pour "
                      f"{r['in_scope_clarified']:.1%} du périmètre (bonne fiche parmi les 3 proposées "
                      f"{r['clarified_offered_right']:.1%}, bien trouvées concernées {r['in_scope_right_clarified']:.1%}) "
                      f"et {r['out_of_scope_clarified']:.1%} des hors périmètre ; réponses d'une mauvaise fiche "
                      f"restantes {r['in_scope_wrong_answered_chat']:.1%}")
    labour = report.get("labour")
    if labour and labour.get("available"):
        agreement = labour["figure_agreement"]
        console.print(f"Droit du travail ({labour['n']} questions) : répondues {labour['answered']:.1%}, "
                      f"source = fiche « Travail » {labour['labour_source']:.1%}, chiffres concordants avec la "
                      f"réponse du ministère {'—' if agreement is None else f'{agreement:.1%}'}")


@app.command("questions-verifiees")
def verified_questions_command(
    out: Path = typer.Option(..., "--out", help="Dossier où écrire colloquial_questions.jsonl et "
                                                "out_of_scope_questions.jsonl (remplacés)."),
    kb: str = KB_OPTION,
    repository: bool = typer.Option(False, "--avec-questions-du-depot", help="Ajouter d'abord les questions du "
                                    "dossier AMORCE_ASSISTANT_QUESTIONS (les questions service-public.fr du dépôt : "
                                    "tests/assistant/data), pour recaler la base service-public sur les deux."),
) -> None:
    """Exporter les questions vérifiées par les agents (suivi de l'assistant) pour « evaluate --questions »."""
    check_output(out, folder=True)

    from amorce.web.cli import setup_django

    setup_django()
    from .config import get
    from .tasks import export_verified_questions

    kb = kb or get().kb
    counts = export_verified_questions(kb, out, repository=repository)
    typer.echo(f"{counts['in_scope']} question(s) avec leur fiche et {counts['out_of_scope']} hors "
               f"périmètre écrites dans {out} (dont {counts['test']} en partition « test », tenues à l'écart de la "
               f"calibration). Suite : amorce assistant evaluate --kb {kb} --calibrate --questions {out}")
