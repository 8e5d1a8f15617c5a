"""Usage errors and help of every command of ``amorce``, walked from the root: in French, without a
traceback. A required option left out must be refused before the command runs (typer 0.16 with
click 8.3+ passed None instead, and the command failed later with a TypeError)."""

from __future__ import annotations

import re

import click
import pytest
import typer
from typer.testing import CliRunner

from amorce.cli import app

ENGLISH = re.compile(r"Traceback|Missing (option|argument|parameter)|No such (option|command)|Try '|Usage:|"
                     r"Show this message|\[default: |\[required\]|env var|is not a valid|Got unexpected|requires an")


def _commands() -> list[tuple[list[str], click.Command]]:
    root = typer.main.get_command(app)
    found: list[tuple[list[str], click.Command]] = []

    def walk(path: list[str], command: click.Command, parent: click.Context | None) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            ctx = click.Context(command, info_name=path[-1] if path else "amorce", parent=parent)
            for name in command.list_commands(ctx):
                walk([*path, name], command.get_command(ctx, name), ctx)

    walk([], root, None)
    return found


COMMANDS = _commands()


class _Result:
    """The exit code, and the output with rich's frames and line breaks taken out (its help is wrapped
    to the terminal's width)."""

    def __init__(self, result):
        self.exit_code = result.exit_code
        self.output = re.sub(r"[\s│╭╮╰╯─]+", " ", result.output)


def _run(args: list[str]) -> _Result:
    return _Result(CliRunner().invoke(app, args))


def test_the_tree_is_whole():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"ciblage score", "decisions pseudonymise", "assistant index", "biodiversite analyse",
            "archives index", "programme select"} <= names, sorted(names)
    assert len(COMMANDS) > 40


@pytest.mark.parametrize("path", [path for path, command in COMMANDS if not isinstance(command, click.Group)
                                  and any(p.required and not getattr(p, "prompt", None) for p in command.params)],
                         ids=" ".join)
def test_a_required_option_left_out_is_refused_in_french(path):
    result = _run(path)
    assert result.exit_code == 2, result.output
    assert re.search(r"(Option obligatoire|Argument) manquant", result.output), result.output
    assert "Aide : « amorce " in result.output
    assert not ENGLISH.search(result.output), result.output


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "amorce")
def test_help_is_french(path):
    result = _run([*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Utilisation : amorce" in result.output and "Afficher cette aide et quitter." in result.output
    assert "None" not in result.output and not ENGLISH.search(result.output), result.output


def test_usage_mistakes_are_told_in_french():
    unknown = _run(["ciblage", "nimportequoi"])
    assert unknown.exit_code == 2 and "Commande inconnue : « nimportequoi »." in unknown.output
    option = _run(["archives", "doublons", "--rayon-phash", "deux"])
    assert option.exit_code == 2 and "« deux » n'est pas un entier valide" in option.output
    bounds = _run(["archives", "doublons", "--rayon-phash", "40"])
    assert bounds.exit_code == 2 and "n'est pas dans l'intervalle" in bounds.output
    typo = _run(["ciblage", "score", "--histori", "x"])
    assert typo.exit_code == 2 and "Option inconnue : --histori." in typo.output and "Vouliez-vous dire" in typo.output
    value = _run(["assistant", "ask", "--kb"])
    assert value.exit_code == 2 and "L'option « --kb » attend une valeur." in value.output
    for result in (unknown, option, bounds, typo, value):
        assert not ENGLISH.search(result.output), result.output
