"""CLI contract: ``amorce ciblage score|train|backtest|plan|audit|explain|feedback``."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from amorce.ciblage import generate_history
from amorce.cli import app

runner = CliRunner()


def canonical_files(tmp_path):
    history = generate_history(400, 4000, seed=11, with_complaints=False)
    insp = history.inspections[["inspection_id", "establishment_id", "date", "outcome", "inspector"]].copy()
    insp["date"] = insp["date"].dt.strftime("%Y-%m-%d")
    est = history.establishments[["name", "postcode", "department", "activity", "size", "team"]].reset_index()
    first = insp.iloc[: len(insp) // 2]
    second = insp.iloc[len(insp) // 2:]
    paths = [tmp_path / "insp1.csv", tmp_path / "insp2.csv", tmp_path / "etab.csv"]
    first.to_csv(paths[0], index=False)
    second.to_csv(paths[1], index=False, sep=";")
    est.to_csv(paths[2], index=False)
    return history, paths


def invoke(args):
    result = runner.invoke(app, args, catch_exceptions=False)
    return result


def test_score_contract(tmp_path):
    history, paths = canonical_files(tmp_path)
    out = tmp_path / "scores.csv"
    result = invoke(["ciblage", "score", "--format", "canonical", "--history", *map(str, paths),
                     "--as-of", "2022-06-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["establishment_id", "score", "rank", "reasons"]
    assert {r["establishment_id"] for r in rows} == set(history.establishments.index)  # all listed, no opening date
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["reasons"] for r in rows)
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_train_backtest_json_and_plan(tmp_path):
    _, paths = canonical_files(tmp_path)
    files = [str(p) for p in paths]
    model_dir = tmp_path / "modele"
    result = invoke(["ciblage", "train", "--format", "canonical", "--history", *files, "--until", "2023-01-01",
                     "--out", str(model_dir), "--ensemble", "2", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["validation_auc"] > 0.5 and metrics["ensemble"] == 2  # the rest of the chain uses 2 boosters
    result = invoke(["ciblage", "backtest", "--format", "canonical", "--history", *files, "--start", "2023-01-01",
                     "--end", "2024-01-01", "--model", str(model_dir), "--k", "50", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["rankings"]) == {"model", "random", "last_outcome", "current_practice"}
    for key in ("auc", "precision@50", "recall@50", "lift_curve", "days_earlier", "first_half_share"):
        assert key in data["rankings"]["model"]
    scores = tmp_path / "scores.csv"
    invoke(["ciblage", "score", "--format", "canonical", "--history", *files, "--as-of", "2024-01-01",
            "--out", str(scores), "--model", str(model_dir)])
    result = invoke(["ciblage", "plan", "--scores", str(scores), "--format", "canonical", "--history", *files,
                     "--capacity", "equipe-0=5,equipe-1=5", "--weeks", "2", "--start", "2024-01-01",
                     "--out", str(tmp_path / "plan.csv"), "--ics", str(tmp_path / "plan.ics")])
    assert result.exit_code == 0, result.output
    plan = pd.read_csv(tmp_path / "plan.csv")
    assert len(plan) == 20 and (plan["selection"] == "random").sum() == 2  # 5 × 2 weeks × 10 % per team
    assert (tmp_path / "plan.ics").read_text(encoding="utf-8").count("BEGIN:VEVENT") == 20
    result = invoke(["ciblage", "audit", "--scores", str(scores), "--format", "canonical", "--history", *files,
                     "--top", "40", "--json"])
    assert result.exit_code == 0, result.output
    audited = json.loads(result.stdout)
    assert set(audited) == {"disparity_ratio", "min_group_size", "overall", "groups", "warnings"}
    assert {"count", "selected", "selection_rate", "selection_ratio", "selection_alert"} <= set(
        audited["groups"]["department"][0])
    first = pd.read_csv(scores, dtype=str)["establishment_id"].iloc[0]
    result = invoke(["ciblage", "explain", "--model", str(model_dir), "--format", "canonical", "--history", *files,
                     "--as-of", "2024-01-01", "--establishment", first, "--out", str(tmp_path / "crpa.html")])
    assert result.exit_code == 0, result.output
    assert "R311-3-1-2" in (tmp_path / "crpa.html").read_text(encoding="utf-8")
    outcomes = plan[["establishment_id"]].assign(date="2024-01-15", outcome=np.where(
        np.arange(len(plan)) % 3 == 0, "A améliorer", "Satisfaisant"))
    outcomes.to_csv(tmp_path / "resultats.csv", index=False)
    result = invoke(["ciblage", "feedback", "--plan", str(tmp_path / "plan.csv"), "--outcomes",
                     str(tmp_path / "resultats.csv"), "--reference-scores", str(scores), "--current-scores",
                     str(scores), "--out", str(tmp_path / "nouvelles.csv"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rates"]["model"]["inspections"] == 18 and data["drift"]["score"]["level"] == "stable"


def test_bad_file_gives_french_error_and_exit_code_2(tmp_path):
    bad = tmp_path / "insp.csv"
    bad.write_text("inspection_id,establishment_id,date,outcome\n1,a,2020-02-31,Satisfaisant\n2,a,2020-03-01,Bof\n",
                   encoding="utf-8")
    out = tmp_path / "scores.csv"
    out.write_text("ancien contenu", encoding="utf-8")
    result = runner.invoke(app, ["ciblage", "score", "--format", "canonical", "--history", str(bad),
                                 "--as-of", "2021-01-01", "--out", str(out)])
    assert result.exit_code != 0
    from amorce.core.errors import DataValidationError

    assert isinstance(result.exception, DataValidationError) and result.exception.exit_code == 2
    assert "ligne 2" in result.exception.message and "ligne 3" in result.exception.message
    assert out.read_text(encoding="utf-8") == "ancien contenu"  # untouched


def test_check_reads_a_windows_1252_csv(tmp_path):
    from tests.ciblage.test_importers import WINDOWS_ESTABLISHMENTS, WINDOWS_INSPECTIONS

    insp, etab = tmp_path / "controles.csv", tmp_path / "etablissements.csv"
    insp.write_bytes(WINDOWS_INSPECTIONS.encode("cp1252"))
    etab.write_bytes(WINDOWS_ESTABLISHMENTS.encode("cp1252"))
    result = invoke(["ciblage", "check", "--format", "canonical", "--history", str(insp), str(etab), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["inspections"] == 3 and summary["establishments"] == 2
