"""The ``amorce`` command: platform commands plus one sub-command group per use case."""

from __future__ import annotations

import typer

from .core.errors import AmorceError
from .usecases import USECASES, usecase_module

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
        module = usecase_module(name, "cli")
        if module is not None:  # else: use case not built yet
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
