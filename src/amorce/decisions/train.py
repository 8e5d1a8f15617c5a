"""Fine-tune spaCy's French NER on validated annotations (Label treatments or reviewed outputs),
with a model card and a before/after evaluation of the whole pipeline on held-out decisions.

By default people of every role (parties, magistrates and clerks, lawyers) become ``PER`` examples;
the pipeline's heuristics then give the role. With ``TARGETS["lieux"]`` the model learns addresses
and localities instead (``ADRESSE``, ``LOCALITE``, read by the pipeline as a last resort) and keeps
its own people. To avoid forgetting the other labels, the base model's own predictions of the labels
not taught that do not clash with the annotations are kept as examples (pseudo-rehearsal), except a
``PER`` that no annotated person touches in an annotated decision: copying the base model's false
people taught the places model to find more of them (docs/decisions.md §6). Long decisions are cut
into chunks at blank lines, never inside an entity.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from amorce.core.files import atomic_write
from amorce.core.progress import Progress
from amorce.core.transparency import DataSource, ModelCard

from .errors import DecisionsError
from .evaluate import evaluate
from .pipeline import MODEL, NER_PLACE_LABELS, Pseudonymiser, load_ner
from .schema import Decision, Entity
from .taxonomy import LAWYER, MAGISTRATE, PERSON

PERSON_LIKE = {PERSON, MAGISTRATE, LAWYER}
PERSON_LABELS = dict.fromkeys(PERSON_LIKE, "PER")
# NER labels the pipeline reads as addresses and localities (``pipeline.NER_PLACE_LABELS``)
PLACE_LABELS = {category: label for label, category in NER_PLACE_LABELS.items()}
# what ``amorce decisions train --cibles`` teaches: category -> NER label
TARGETS = {"personnes": PERSON_LABELS, "lieux": PLACE_LABELS, "personnes+lieux": {**PERSON_LABELS, **PLACE_LABELS}}


def _chunks(text: str, spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    cuts, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            brk = text.rfind("\n\n", start + size // 2, end)
            end = brk if brk > start else end
            while any(s < end < e for s, e in spans):
                end += 1
        cuts.append((start, end))
        start = end
    return cuts


def build_examples(nlp, decisions: list[Decision], annotations: dict[str, list[Entity]], *,
                   chunk_chars: int = 1500, labels: dict[str, str] | None = None) -> list:
    """Training examples: the annotated spans whose category ``labels`` maps to an NER label (default:
    people of every role as ``PER``), plus the base model's own other predictions that do not clash
    with them (rehearsal) — but not a ``PER`` of a decision with annotations that touches none of its
    people (magistrates and lawyers included): the reference says it is no person."""
    from spacy.training import Example

    labels = PERSON_LABELS if labels is None else labels
    examples = []
    for decision in decisions:
        annotated = annotations.get(decision.id)
        gold = sorted({(e.start, e.end, labels[e.category]) for e in annotated or () if e.category in labels})
        people = [(e.start, e.end) for e in annotated or () if e.category in PERSON_LIKE]
        for c_start, c_end in _chunks(decision.text, [(s, e) for s, e, _ in gold], chunk_chars):
            chunk = decision.text[c_start:c_end]
            if not chunk.strip():
                continue
            doc = nlp.make_doc(chunk)
            predicted = nlp(chunk)
            ents, taken = [], []
            for s, e, label in gold:
                if c_start <= s and e <= c_end:
                    span = doc.char_span(s - c_start, e - c_start, label=label, alignment_mode="contract")
                    if span is not None and not any(span.start < t[1] and t[0] < span.end for t in taken):
                        ents.append((span.start_char, span.end_char, label))
                        taken.append((span.start, span.end))
            for ent in predicted.ents:  # rehearsal of the other labels
                if ent.label_ in labels.values() or any(ent.start < t[1] and t[0] < ent.end for t in taken):
                    continue
                s, e = c_start + ent.start_char, c_start + ent.end_char
                if ent.label_ == "PER" and annotated is not None and not any(a < e and s < b for a, b in people):
                    continue  # a person the reference does not hold: taught as nothing
                ents.append((ent.start_char, ent.end_char, ent.label_))
                taken.append((ent.start, ent.end))
            examples.append(Example.from_dict(doc, {"entities": ents}))
    return examples


def _scores(report: dict[str, Any]) -> dict[str, float]:
    pp = report["per_category"].get(PERSON, {})
    return {"personnePhysique_rappel": pp.get("strict", {}).get("recall", 0.0),
            "personnePhysique_f1": pp.get("strict", {}).get("f1", 0.0),
            "micro_f1": report["micro"]["strict"]["f1"],
            "decisions_avec_fuite": report["leak"]["share"],
            "professionnels_masques": report["professionals"]["share"]}


def train_ner(train: list[Decision], annotations: dict[str, list[Entity]], output: str | Path, *,
              evaluation: list[Decision] | None = None, base_model: str = MODEL, epochs: int = 3,
              dropout: float = 0.2, batch_size: int = 8, seed: int = 0, chunk_chars: int = 1500,
              labels: dict[str, str] | None = None, progress: Progress | None = None) -> ModelCard:
    """Fine-tune, save the model under ``output/model`` with ``model-card.json``/``.md`` and
    ``evaluation.json`` (before/after on ``evaluation``), and return the model card. ``labels``:
    category -> NER label taught (default: people of every role as ``PER``; see ``TARGETS``)."""
    import spacy
    from spacy.util import minibatch

    if not train:
        raise DecisionsError("Aucune décision annotée pour l'entraînement.")
    output = Path(output)
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = spacy.load(base_model, exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler",
                                          "lemmatizer", "senter"])
    labels = PERSON_LABELS if labels is None else labels
    ner = nlp.get_pipe("ner")
    for label in sorted(set(labels.values())):
        ner.add_label(label)
    examples = build_examples(nlp, train, annotations, chunk_chars=chunk_chars, labels=labels)
    optimizer = nlp.resume_training()
    losses_per_epoch = []
    started = time.perf_counter()
    for epoch in range(epochs):
        random.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=batch_size):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        losses_per_epoch.append(round(float(losses.get("ner", 0.0)), 2))
        if progress:
            progress(epoch + 1, epochs)
    seconds = time.perf_counter() - started
    model_dir = output / "model"
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(model_dir)
    load_ner.cache_clear()

    metrics: dict[str, Any] = {"pertes_par_epoque": losses_per_epoch}
    evaluation_json: dict[str, Any] = {}
    if evaluation:
        ids = [d.id for d in evaluation]
        texts = {d.id: d.text for d in evaluation}
        for label, model in (("avant", base_model), ("apres", str(model_dir))):
            pred = {r.id: r.entities for r in Pseudonymiser(model=model).pseudonymise(evaluation)}
            report = evaluate(annotations, pred, texts, ids=ids)
            evaluation_json[label] = report
            metrics.update({f"{k}_{label}": v for k, v in _scores(report).items()})
    card = ModelCard(
        name="amorce-decisions-ner", version=time.strftime("%Y%m%d-%H%M%S"),
        intended_use="Détection des noms de personnes ou des lieux dans les décisions de justice, au sein du pipeline de "
                     "pseudonymisation d'amorce (règles, heuristiques, propagation) ; propositions relues par un agent.",
        task=f"Reconnaissance d'entités nommées ({', '.join(sorted(set(labels.values())))} appris ; les autres "
             f"étiquettes conservées) ajustée à partir de {base_model}.",
        out_of_scope="Décider seul de la publication d'une décision ; autres langues que le français.",
        training_data=[DataSource("Annotations validées", f"{len(train)} décisions, {len(examples)} extraits")],
        evaluation_data=[DataSource("Décisions réservées", f"{len(evaluation or [])} décisions, pipeline complet")],
        parameters={"base_model": base_model, "epochs": epochs, "dropout": dropout, "batch_size": batch_size,
                    "seed": seed, "chunk_chars": chunk_chars, "seconds": round(seconds, 1)},
        labels={"base_model": "modèle de départ", "epochs": "époques", "dropout": "taux d'extinction (dropout)",
                "batch_size": "taille des lots", "seed": "graine aléatoire", "chunk_chars": "taille des extraits "
                "(caractères)", "seconds": "durée de l'entraînement (s)"},
        metrics=metrics,
        limits=["Peu de décisions d'entraînement : comparer toujours « avant » et « après » avant d'adopter le modèle.",
                "Les annotations de référence sont celles du moteur de la Cour de cassation, corrigées à la marge."],
        ethical_considerations=["Les parties des données de démonstration portent des identités fictives ; "
                                "un entraînement sur des décisions réelles doit rester dans le périmètre autorisé."],
    )
    card.save(output / "model-card.json")
    with atomic_write(output / "model-card.md") as handle:
        handle.write(card.to_markdown())
    with atomic_write(output / "evaluation.json") as handle:
        json.dump(evaluation_json, handle, ensure_ascii=False, indent=1)
    return card
