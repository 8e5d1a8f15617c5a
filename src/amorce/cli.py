"""The ``amorce`` command: platform commands plus one sub-command group per use case.

Each use case's commands are imported only when they are run (or their own ``--help`` is asked):
``amorce --help`` reads the one-line descriptions from the registry (``amorce.usecases``), so it
does not import pandas, spaCy or the retrieval models.
"""

from __future__ import annotations

import click
import typer
from typer.core import TyperGroup

from .cli_fr import install, localise
from .core.errors import AmorceError
from .usecases import REGISTERED, declaration, usecase_module

install()  # Click's and Typer's own messages in French (usage errors, help headings)


class _Listed(click.Command):
    """Stands for a use case's command group in the root help, without importing it."""


class UsecaseGroup(TyperGroup):
    """The root group: platform commands, then each registered use case's group, loaded on demand."""

    _listing = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        localise(self, root=True)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *REGISTERED]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in REGISTERED:
            return super().get_command(ctx, name)
        if self._listing:
            return _Listed(name, help=declaration(name).cli_help)
        module = usecase_module(name, "cli")
        if module is None:
            return None
        command = localise(typer.main.get_command(module.app))
        command.name = name
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        localise(self, root=True)  # Typer adds the completion options after building the group
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="amorce",
    cls=UsecaseGroup,
    help="amorce : de l'idée d'IA au prototype utilisé par une administration.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _mount() -> None:
    from .web import cli as web_cli

    web_cli.register(app)
    __import__("amorce.core.vision.cli", fromlist=["register"]).register(app)


_mount()


def main() -> None:
    try:
        app()
    except AmorceError as exc:
        typer.echo(exc.message, err=True)
        raise SystemExit(exc.exit_code) from None


if __name__ == "__main__":  # pragma: no cover
    main()
