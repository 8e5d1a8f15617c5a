"""How the court-decisions package declares itself to the platform (read by ``amorce.usecases``)."""

from amorce.usecases import MenuEntry, UseCase

MAGISTRATE = "magistrat_greffier"

USECASE = UseCase(
    slug="decisions",
    title="Décisions de justice",
    summary="Pseudonymiser les décisions avant publication, rechercher des décisions similaires, "
            "objectiver avec les chiffres de décisions comparables.",
    roles={MAGISTRATE: "Magistrat / greffier"},
    demo_usernames={MAGISTRATE: "magistrat"},
    capabilities={MAGISTRATE: ("Relire les pseudonymisations", "Rechercher des décisions similaires",
                               "Consulter les chiffres de décisions comparables")},
    menu=(
        MenuEntry("Décisions à relire", "decisions:index", (MAGISTRATE,)),
        MenuEntry("Décisions similaires", "decisions:search", (MAGISTRATE,)),
        MenuEntry("Objectivation des montants", "decisions:objectivation", (MAGISTRATE,)),
        MenuEntry("Importer des décisions", "decisions:import", (MAGISTRATE,)),
    ),
    demo="amorce.decisions.tasks:load_demo",
    cli_help="Décisions de justice : import, pseudonymisation (catégories de Label), évaluation.",
)
