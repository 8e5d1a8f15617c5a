"""The job page shows results as French sentences and labelled values, never a Python dict."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from amorce.web.jobs import describe_result, job_handler
from amorce.web.models import Job

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "amorce"


@job_handler("test.labelled", "Import de test", result_labels={"lignes_lues": "Lignes lues", "valide": "Valide",
                                                                "auc": "AUC (test)"})
def _labelled(ctx) -> dict:
    return {}


def _page(client, job) -> str:
    return html.unescape(client.get(f"/taches/{job.pk}/").content.decode())


def test_summary_and_link_of_a_result(client_as):
    client = client_as("inspecteur")
    job = Job.objects.create(kind="test.labelled", label="Import", created_by=client.user, status=Job.Status.SUCCEEDED,
                             created_at=datetime(2026, 12, 3, 13, 5, 7, tzinfo=UTC),
                             result={"summary": "Modèle entraîné sur 1 200 contrôles.", "url": "/ciblage/modeles/3/"})
    page = _page(client, job)
    assert "Modèle entraîné sur 1 200 contrôles." in page
    assert 'href="/ciblage/modeles/3/"' in page and "'summary'" not in page and "{" not in page.split("Résultat")[1]
    assert "3 décembre 2026 à 14\u00a0h\u00a005\u00a0min\u00a007\u00a0s" in page  # Paris time, in words


def test_result_values_with_the_handlers_french_labels(client_as):
    client = client_as("inspecteur")
    job = Job.objects.create(kind="test.labelled", label="Import", created_by=client.user, status=Job.Status.SUCCEEDED,
                             result={"lignes_lues": 12000, "valide": True, "auc": 0.8123456,
                                     "lots": {"premier_lot": 3}})
    page = _page(client, job)
    section = page.split("<h2>Résultat</h2>")[1].split("<h2>Journal</h2>")[0]
    for expected in ("<dt>Lignes lues</dt><dd>12\u202f000</dd>", "<dt>Valide</dt><dd>oui</dd>",
                     "<dt>AUC (test)</dt><dd>0,812</dd>", "<dt>Premier lot</dt><dd>3</dd>"):
        assert expected in section, section
    assert "True" not in section and "lignes_lues" not in section


def test_describe_result_for_logs_and_command_line():
    assert describe_result({"summary": "Fait."}) == "Fait."
    assert describe_result({"dossiers": 55, "created": 3, "url": "/x/"}) == "Dossiers : 55 ; Créés : 3"


# Every template of the platform and of every use case (the demo showed command lines on the
# assistant's, decisions' and archives' pages while only the platform's templates were checked).
ALL_TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))


def _offenders(pattern: re.Pattern) -> list[str]:
    return [f"{path.relative_to(SRC)}: {line.strip()[:160]}" for path in ALL_TEMPLATES
            for line in path.read_text(encoding="utf-8").splitlines() if pattern.search(line)]


def test_no_command_line_advice_in_the_web_back_office():
    from amorce.usecases import REGISTERED

    assert len(ALL_TEMPLATES) > 100 and any("archives" in str(p) for p in ALL_TEMPLATES)
    commands = "|".join(("demo", "serve", "worker", "manage", "createuser", "modeles", *REGISTERED))
    advice = re.compile(rf"`amorce |\bamorce ({commands})\b|(?:\s|>)--[a-z]")
    assert not _offenders(advice)


def test_dates_are_written_in_words_in_every_template():
    """« 3 décembre 2026 à 14 h 05 » (date_fr, datetime_fr), never « 03/12/2026 14:05 »."""
    assert not _offenders(re.compile(r"""\|date:["'][^"']*[dm]/[dm]"""))
