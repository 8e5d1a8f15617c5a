"""The command line in French: the messages Click and Typer write themselves (usage errors, help
headings, « Show this message and exit. »…) come from a French table instead of their English text.

Click and Typer call ``gettext`` with the English text as key, through a ``_`` (and ``ngettext``)
bound in each of their modules; :func:`install` rebinds those names to :func:`fr` and :func:`nfr`,
so every message, including those added by a later version under the same key, is looked up here and
falls back to English only where the table has no entry. Typer's help constants, computed when its
module is imported, are translated once, and the number types are named in French (« n'est pas un
entier valide »; ENTIER in the help). :func:`localise` tidies a built command tree: no
« (env var: 'None') » after an option that has no environment variable, no « [par défaut : None] »
after a required option or one without default, French help for the shell
completion options, and those options only at the root (completion is installed for ``amorce``).
"""

from __future__ import annotations

import click

FR = {
    # usage errors
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}.",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}.",
    "Takes {nargs} values but 1 was given.": "Attend {nargs} valeurs, une seule a été donnée.",
    "Takes {nargs} values but {len} were given.": "Attend {nargs} valeurs, {len} ont été données.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Missing argument": "Argument manquant :",
    "Missing option": "Option obligatoire manquante :",
    "Missing parameter": "Paramètre manquant :",
    "Missing {param_type}": "{param_type} manquant :",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "No such option: {name}": "Option inconnue : {name}.",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Possible options: {possibilities})": "Options proches : {possibilities}.",
    "unknown error": "erreur inconnue",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier « {filename} » : {message}",
    "Choose from:\n\t{choices}": "Valeurs possibles :\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid boolean.": "« {value} » n'est pas une valeur oui/non valide.",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un UUID valide.",
    "file": "Fichier",
    "directory": "Dossier",
    "path": "Chemin",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{name} {filename!r} is a file.": "{name} « {filename} » : c'est un fichier (un dossier est attendu).",
    "{name} {filename!r} is a directory.": "{name} « {filename} » : c'est un dossier (un fichier est attendu).",
    "{name} {filename!r} is not readable.": "{name} « {filename} » : lecture non autorisée.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » : écriture non autorisée.",
    "{name} {filename!r} is not executable.": "{name} « {filename} » : exécution non autorisée.",
    "{value!r} is not {choice}.": "« {value} » n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "« {value} » n'est pas l'une des valeurs {choices}.",
    "{value!r} does not match the format {format}.": "« {value} » ne suit pas le format {format}.",
    "{value!r} does not match the formats {formats}.": "« {value} » ne suit aucun des formats {formats}.",
    "{len_type} values are required, but {len_value} was given.":
        "{len_type} valeurs sont attendues, {len_value} a été donnée.",
    "{len_type} values are required, but {len_value} were given.":
        "{len_type} valeurs sont attendues, {len_value} ont été données.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » attend {nargs} valeurs.",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Option {name!r} requires an argument.": "L'option « {name} » attend une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L'option « {name} » attend {nargs} valeurs.",
    "Aborted!": "Interrompu.",
    "Aborted.": "Interrompu.",
    # help
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Arguments": "Arguments",
    "Error": "Erreur",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "required": "obligatoire",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(calculé)",
    "(deprecated) ": "(obsolète) ",
    "[default: {}]": "[par défaut : {}]",
    "[env var: {}]": "[variable d'environnement : {}]",
    "[required]": "[obligatoire]",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Aide : [blue]« {command_path} {help_option} »[/].",
    # prompts
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The value you entered was invalid.": "Erreur : la valeur saisie est invalide.",
    "Error: {e.message}": "Erreur : {e.message}",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
}
COMPLETION_HELP = {
    "install_completion": "Installer l'autocomplétion de la commande pour le shell courant.",
    "show_completion": "Afficher le script d'autocomplétion pour le shell courant (à copier ou adapter).",
}
# Typer's help texts, computed when typer.rich_utils is imported
_RICH_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                   "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE",
                   "ABORTED_TEXT", "RICH_HELP")


def fr(message: str) -> str:
    return FR.get(message, message)


def nfr(singular: str, plural: str, count: int) -> str:
    return fr(singular if count == 1 else plural)


def install() -> None:
    """Make Click and Typer write their own messages in French (idempotent)."""
    import importlib

    for name in ("click.core", "click.exceptions", "click.types", "click.parser", "click.decorators",
                 "click.formatting", "click.termui", "typer.core", "typer.rich_utils"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a module a later version renamed: its English stays
            continue
        if hasattr(module, "_"):
            module._ = fr
        if hasattr(module, "ngettext"):
            module.ngettext = nfr
    click.types.StringParamType.name = "texte"  # TEXTE in the help
    click.types.IntParamType.name = click.types.IntRange.name = "entier"  # « n'est pas un entier valide »
    click.types.FloatParamType.name = click.types.FloatRange.name = "décimal"
    from typer import rich_utils

    for constant in _RICH_CONSTANTS:
        if isinstance(getattr(rich_utils, constant, None), str):
            setattr(rich_utils, constant, fr(getattr(rich_utils, constant)))


def localise(command: click.Command, *, root: bool = False) -> click.Command:
    """Tidy a built command tree (see the module's docstring); returns ``command``."""
    params = []
    for param in command.params:
        if param.name in COMPLETION_HELP:
            if not root:
                continue
            param.help = COMPLETION_HELP[param.name]
        if isinstance(param, click.Option) and not param.envvar:
            param.show_envvar = False  # Typer shows one by default: « (env var: 'None') »
        if param.required or param.default is None:
            param.show_default = False  # not « [par défaut : None] »
        params.append(param)
    command.params = params
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localise(sub)
    return command
