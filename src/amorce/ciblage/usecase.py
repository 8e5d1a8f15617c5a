"""How the inspection-targeting package declares itself to the platform (read by ``amorce.usecases``)."""

from amorce.usecases import MenuEntry, UseCase

INSPECTOR, MANAGER = "inspecteur", "responsable_inspection"

USECASE = UseCase(
    slug="ciblage",
    title="Ciblage des contrôles",
    summary="Classer les établissements à contrôler à partir des contrôles passés, avec explications, "
            "audit d'équité et plan de contrôle.",
    roles={INSPECTOR: "Inspecteur", MANAGER: "Responsable des contrôles"},
    demo_usernames={MANAGER: "responsable"},
    capabilities={
        INSPECTOR: ("Consulter le classement et ses raisons", "Consulter le plan de contrôle",
                    "Saisir les résultats de vos contrôles"),
        MANAGER: ("Importer les contrôles", "Entraîner, évaluer et appliquer les modèles",
                  "Consulter les fiches modèle, l'audit d'équité et la dérive",
                  "Préparer et exporter le plan de contrôle et sa part aléatoire",
                  "Réentraîner avec les résultats saisis", "Consulter le classement et ses raisons",
                  "Saisir les résultats de vos contrôles"),
    },
    menu=(
        MenuEntry("Jeux de données et classements", "ciblage:index", (INSPECTOR, MANAGER)),
        MenuEntry("Importer des contrôles", "ciblage:upload", (MANAGER,)),
    ),
    demo="amorce.ciblage.tasks:load_demo",
    cli_help="Ciblage des contrôles : import, entraînement, classement expliqué, backtest, équité, plan.",
)
