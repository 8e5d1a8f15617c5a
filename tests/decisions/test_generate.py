"""The generated corpus (benchmarks, load tests): deterministic, valid identifiers, fully masked."""

from __future__ import annotations

import json
import re

from stdnum import iban
from stdnum.fr import nir
from typer.testing import CliRunner

from amorce.decisions.demo import generate_decisions


def test_generation_is_deterministic_and_sliceable():
    first = list(generate_decisions(6, seed=3))
    assert [d.id for d in first] == [f"GEN-{i:06d}" for i in range(6)]
    assert [d.text for d in first] == [d.text for d in generate_decisions(6, seed=3)]
    assert list(generate_decisions(2, seed=3, start=4))[1].text == first[5].text
    assert first[0].text != next(generate_decisions(1, seed=4)).text


def test_generated_identifiers_carry_valid_keys():
    for d in generate_decisions(20, seed=1):
        social = re.search(r"sociale : ([\d ]+)\n", d.text).group(1)
        assert nir.is_valid(social.replace(" ", ""))
        for account in re.findall(r"FR\d{2}(?: \d{4}){5} \d{3}", d.text):
            assert iban.is_valid(account)


def test_generated_parties_are_masked_and_professionals_kept(pseudonymiser):
    for d in generate_decisions(5, seed=2):
        result = pseudonymiser.pseudonymise_one(d)
        party = re.search(r"APPELANT :\n(?:Monsieur|Madame) \S+ ([^,]+),", d.text).group(1)
        lawyer = re.search(r"Maître \S+ ([^,]+), avocat", d.text).group(1)
        assert party not in result.text_pseudonymised, (d.id, party)
        assert lawyer in result.text_pseudonymised, (d.id, lawyer)


def test_cli_generer_writes_the_corpus(tmp_path):
    from amorce.cli import app

    out = tmp_path / "corpus.jsonl"
    res = CliRunner().invoke(
        app, ["decisions", "generer", "--out", str(out), "--nombre", "7", "--graine", "1"]
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 7 and rows[0]["id"] == "GEN-000000" and rows[0]["text"]
