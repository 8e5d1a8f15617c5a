"""How the camera-trap package declares itself to the platform (read by ``amorce.usecases``)."""

from amorce.usecases import MenuEntry, UseCase

NATURALIST, SCIENTIST = "naturaliste", "responsable_scientifique"

USECASE = UseCase(
    slug="biodiversite",
    title="Inventaires de biodiversité",
    summary="Trier les images et vidéos des pièges photographiques d'une saison (images vides, personnes, "
            "véhicules, animaux) et publier les données au standard Camtrap DP.",
    roles={NATURALIST: "Naturaliste", SCIENTIST: "Responsable scientifique"},
    demo_usernames={NATURALIST: "naturaliste", SCIENTIST: "scientifique"},
    capabilities={
        NATURALIST: ("Consulter les déploiements et les analyses", "Parcourir les événements et leurs vignettes",
                     "Relire les événements (type, espèce, nombre d'individus) et confirmer les vides"),
        SCIENTIST: ("Déclarer les déploiements (CSV)", "Lancer l'analyse d'une saison",
                    "Consulter les déploiements et les analyses", "Parcourir les événements et leurs vignettes",
                    "Voir les images brutes des événements avec des personnes ou des véhicules",
                    "Exporter au format Camtrap DP",
                    "Relire les événements, arbitrer les désaccords entre relecteurs",
                    "Importer la liste d'espèces du parc",
                    "Entraîner le classifieur du parc à partir des relectures"),
    },
    menu=(
        MenuEntry("Déploiements et analyses", "biodiversite:index", (NATURALIST, SCIENTIST)),
        MenuEntry("Importer des déploiements", "biodiversite:upload", (SCIENTIST,)),
    ),
    demo="amorce.biodiversite.tasks:load_demo",
    cli_help="Pièges photographiques : tri des images vides, personnes et véhicules, export Camtrap DP.",
)
