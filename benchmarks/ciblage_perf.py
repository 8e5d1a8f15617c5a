"""Ciblage performance: features + training on 1M generated inspections of 200k establishments,
scoring 1M establishments, and the same scoring through the batch engine (process pool, Ray).

Targets (issue 4): features + training < 60 s on this 2-core machine; scoring 1M < 10 s.
Run: .venv/bin/python benchmarks/ciblage_perf.py [--small | --scale N]  (--scale N divides the sizes, report
written with the sizes used; --small: 10× smaller, no report)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._report import markdown_table, write_section  # noqa: E402


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="10× smaller (quick check, no report)")
    parser.add_argument("--scale", type=int, default=1, help="divide the sizes by this (report written)")
    args = parser.parse_args()
    scale = 10 if args.small else max(1, args.scale)
    n_est, n_insp, n_score = 200_000 // scale, 1_000_000 // scale, 1_000_000 // scale

    from amorce.ciblage import build_features, generate_history, score_history, train, training_queries
    from amorce.ciblage.features import FeatureSpec, scoring_queries
    from amorce.ciblage.scoring import score_features, score_partitioned, write_scores

    load_before = load_average()
    t = time.perf_counter()
    history = generate_history(n_est, n_insp, seed=42)
    t_gen = time.perf_counter() - t
    print(f"génération : {t_gen:.1f} s", flush=True)

    t = time.perf_counter()
    queries = training_queries(history, end="2023-01-01")
    X = build_features(history, queries, FeatureSpec.from_history(history))
    t_features = time.perf_counter() - t
    print(f"variables d'entraînement ({len(X)} lignes) : {t_features:.1f} s", flush=True)
    del X

    t = time.perf_counter()
    model = train(history, end="2023-01-01", seed=0)
    t_train_total = time.perf_counter() - t
    print(f"train() complet (variables + LightGBM + calibration) : {t_train_total:.1f} s "
          f"({model.metrics['iterations']} itérations, AUC validation {model.metrics['validation_auc']:.3f})",
          flush=True)

    big = generate_history(n_score, n_score, seed=43, with_complaints=True)
    t = time.perf_counter()
    tiny = generate_history(100, 300, seed=1)
    model.trees.raw_score(model.features(tiny, scoring_queries(tiny, "2024-01-01")))  # flattens the trees, compiles or loads the kernel
    t_compile = time.perf_counter() - t
    t = time.perf_counter()
    big.__dict__.pop("_cache", None)  # every timed run starts without the per-history derived arrays
    cpu = time.process_time()  # all threads of the process: robust to other jobs on the machine
    scores = score_history(model, big, "2024-01-01", reasons=False)
    t_score = time.perf_counter() - t
    cpu_score = time.process_time() - cpu
    print(f"score de {len(scores)} établissements (score + rang) : {t_score:.1f} s", flush=True)
    big.__dict__.pop("_cache", None)
    t = time.perf_counter()
    Xbig = model.features(big, scoring_queries(big, "2024-01-01"))
    t_score_features = time.perf_counter() - t
    threads = len(os.sched_getaffinity(0))
    booster = model.booster
    # wall time and process CPU time (all threads; robust to other jobs on the machine) of each path
    t, cpu = time.perf_counter(), time.process_time()
    lgb_margin = model.margin(Xbig)  # LightGBM's predict: the path used for scores alone
    t_predict_lgb, cpu_predict_lgb = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    kernel_margin = model.trees.raw_score(Xbig)
    t_predict, cpu_predict = time.perf_counter() - t, time.process_time() - cpu
    identical = bool((lgb_margin == kernel_margin).all())
    print(f"  dont variables {t_score_features:.1f} s, arbres : LightGBM predict {t_predict_lgb:.1f} s, "
          f"noyau compilé {t_predict:.1f} s (identique : {identical})", flush=True)
    # scores + path contributions: the compiled walk (one pass) against LightGBM's predict + pred_leaf
    # + a sparse product with the leaves' path contributions (the baseline the kernel replaced)
    t, cpu = time.perf_counter(), time.process_time()
    kernel_margin, kernel_contrib = model.trees.raw_score_and_contributions(Xbig)
    t_kernel_contrib, cpu_kernel_contrib = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    leaf_margin = booster.predict(Xbig, raw_score=True, num_threads=threads)
    leaf_contrib = model.trees.contributions_from_leaves(booster.predict(Xbig, pred_leaf=True, num_threads=threads))
    t_leaf_contrib, cpu_leaf_contrib = time.perf_counter() - t, time.process_time() - cpu
    gap = float(max(np.abs(kernel_margin - leaf_margin).max(), np.abs(kernel_contrib - leaf_contrib).max()))
    del kernel_contrib, leaf_contrib
    print(f"  scores + contributions : noyau compilé {t_kernel_contrib:.1f} s ; LightGBM predict + pred_leaf "
          f"+ produit creux {t_leaf_contrib:.1f} s (écart max {gap:.1e})", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        big.__dict__.pop("_cache", None)
        t, cpu = time.perf_counter(), time.process_time()
        scores_r = score_history(model, big, "2024-01-01", reasons=True, explain="path")
        t_score_reasons = time.perf_counter() - t
        write_scores(scores_r, Path(tmp) / "scores.csv")
        t_full, cpu_full = time.perf_counter() - t, time.process_time() - cpu
    print(f"… avec raisons (attribution par chemin) : {t_score_reasons:.1f} s ; + CSV : {t_full:.1f} s", flush=True)
    assert len(scores_r) == len(scores)

    sample = scoring_queries(big, "2024-01-01").head(20_000)
    Xs = model.features(big, sample)
    t = time.perf_counter()
    score_features(model, Xs, reasons=True, explain="shap")
    t_shap_20k = time.perf_counter() - t
    print(f"raisons exactes TreeSHAP sur 20 000 : {t_shap_20k:.1f} s", flush=True)

    def goal(limit: float, elapsed: float) -> str:
        if scale > 1:  # the targets are set for 1 M inspections and establishments
            return f"< {limit:.0f} s pour 1 M (tailles réduites : non comparable)"
        return f"< {limit:.0f} s : " + ("atteint" if elapsed < limit else "**manqué**")

    rows = [["Génération des données (non comptée)", f"{t_gen:.1f} s", ""],
            [f"Variables d'entraînement ({n_insp:,} inspections de {n_est:,} établissements)".replace(",", " "),
             f"{t_features:.1f} s", ""],
            ["Variables + entraînement LightGBM + calibration (`train`)", f"{t_train_total:.1f} s",
             goal(60, t_train_total)],
            ["Mise à plat des arbres et compilation du noyau (1re utilisation ; ensuite chargé du cache disque de Numba)",
             f"{t_compile:.1f} s", ""],
            [f"Score de {n_score:,} établissements (variables + score + rang)".replace(",", " "), f"{t_score:.1f} s",
             goal(10, t_score) + f" (temps CPU du processus : {cpu_score:.1f} s)"],
            ["  dont variables à date", f"{t_score_features:.1f} s", ""],
            [f"  dont arbres ({model.metrics['iterations']}), LightGBM `predict` (chemin retenu pour les scores seuls)",
             f"{t_predict_lgb:.1f} s (CPU {cpu_predict_lgb:.1f} s)",
             f"noyau compilé `ciblage.trees` dans le même passage : {t_predict:.1f} s (CPU {cpu_predict:.1f} s), "
             + f"rapport {t_predict / t_predict_lgb:.2f} (CPU {cpu_predict / cpu_predict_lgb:.2f})".replace(".", ",")
             + (" (scores identiques au bit près)" if identical else " (**scores différents**)")],
            ["Arbres avec contributions par chemin, noyau compilé (chemin retenu pour les raisons)",
             f"{t_kernel_contrib:.1f} s (CPU {cpu_kernel_contrib:.1f} s)",
             "LightGBM `predict` + `pred_leaf` + produit creux dans le même passage : "
             + f"{t_leaf_contrib:.1f} s (CPU {cpu_leaf_contrib:.1f} s), "
             + f"rapport {t_leaf_contrib / t_kernel_contrib:.2f} (CPU {cpu_leaf_contrib / cpu_kernel_contrib:.2f})"
             .replace(".", ",")
             + (" (mêmes valeurs à 1e-9 près)" if gap <= 1e-9 else f" (**écart {gap:.1e}**)")],
            ["… avec les raisons en français (attribution par chemin)", f"{t_score_reasons:.1f} s", ""],
            ["… et l'écriture de `scores.csv` (contrat de `amorce ciblage score`)", f"{t_full:.1f} s",
             goal(10, t_full) + f" (temps CPU du processus : {cpu_full:.1f} s)"],
            ["Raisons exactes TreeSHAP (`pred_contrib`) sur 20 000 établissements", f"{t_shap_20k:.1f} s",
             f"soit ≈ {t_shap_20k * n_score / 20_000:.0f} s extrapolés pour {n_score:,}".replace(",", " ")]]

    engine_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        model.save(tmp)
        t = time.perf_counter()
        serial = score_features(model, Xbig, reasons=False)
        t_inproc = time.perf_counter() - t
        engine_rows.append(["dans le processus", f"{t_inproc:.1f} s", "1,00"])
        for engine in ("local", "ray"):
            try:
                t = time.perf_counter()
                out = score_partitioned(tmp, Xbig, engine=engine, parts=4, reasons=False)
                elapsed = time.perf_counter() - t
                same = bool((out["score"].to_numpy() == serial["score"].to_numpy()).all())
                engine_rows.append([f"moteur `{engine}`" + ("" if same else " (résultats différents !)"),
                                    f"{elapsed:.1f} s", f"{elapsed / t_inproc:.2f}".replace(".", ",")])
                print(f"moteur {engine} : {elapsed:.1f} s (identique : {same})", flush=True)
            except Exception as exc:  # noqa: BLE001 - reported in the benchmark
                engine_rows.append([f"moteur `{engine}`", "indisponible", str(exc)[:80]])
                print(f"moteur {engine} indisponible : {exc}", flush=True)
        from amorce.core.engine import shutdown_ray

        shutdown_ray()
    load_after = load_average()
    body = (
        f"Données générées (`amorce.ciblage.synthetic`) : {n_insp:,} inspections de {n_est:,} établissements "
        f"pour l'entraînement ; {n_score:,} établissements à scorer. ".replace(",", " ")
        + f"Charge de la machine (load average 1/5/15 min) avant : {load_before} ; après : {load_after}"
        + (" — d'autres travaux tournaient en parallèle sur les 2 cœurs, les durées sont donc pessimistes"
           if not load_before[:1].isdigit() or float(load_before.split(",")[0]) > 1.0 else "")
        + (f". Tailles divisées par {scale} (`--scale {scale}`) pour que la mesure tienne en quelques minutes "
           "sur la machine partagée" if scale > 1 else "")
        + ". Le temps CPU du processus (tous ses fils) ne dépend pas de la charge : sur une machine libre, la "
        "durée d'un calcul parallélisé sur 2 cœurs se situe entre la moitié et la totalité de ce temps CPU.\n\n"
        + markdown_table(["Étape", "Durée", "Objectif"], rows)
        + f"\n\nScore (probabilité calibrée) des mêmes {n_score:_} établissements".replace("_", " ")
        + ", variables déjà calculées, par blocs "
          "via `amorce.core.engine.run_partitions` (4 partitions ; le modèle est rechargé dans chaque processus, "
          "un fil de calcul par processus) :\n\n"
        + markdown_table(["Exécution", "Durée", "Rapport au calcul dans le processus"], engine_rows)
        + "\n\nSur 2 cœurs, le découpage ne peut pas accélérer un calcul déjà vectorisé et multi-fil "
          "(`predict` de LightGBM) : le coût de sérialisation des blocs domine. Le moteur sert à répartir sur "
          "plusieurs machines (Ray) quand le registre dépasse la mémoire d'une seule."
    )
    if not args.small:
        title = f"Ciblage — performance ({n_insp / 1e6:g} M inspections, {n_score / 1e6:g} M établissements)"
        write_section("ciblage_perf", title, body)
    print(body)


if __name__ == "__main__":
    main()
