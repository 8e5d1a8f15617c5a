"""The ``amorce`` command: platform commands plus one sub-command group per use case."""

from __future__ import annotations

import importlib

import typer

from .core.errors import AmorceError

USECASES = ("programme", "ciblage", "decisions", "assistant", "biodiversite", "archives")

app = typer.Typer(
    name="amorce",
    help="amorce : de l'idée d'IA au prototype utilisé par une administration.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _mount() -> None:
    from .web import cli as web_cli

    web_cli.register(app)
    for name in USECASES:
        try:
            module = importlib.import_module(f"amorce.{name}.cli")
        except ModuleNotFoundError as exc:
            if exc.name in (f"amorce.{name}", f"amorce.{name}.cli"):
                continue  # use case not built yet
            raise
        app.add_typer(module.app, name=name)


_mount()


def main() -> None:
    try:
        app()
    except AmorceError as exc:
        typer.echo(exc.message, err=True)
        raise SystemExit(exc.exit_code) from None


if __name__ == "__main__":  # pragma: no cover
    main()
