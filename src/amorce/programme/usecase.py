"""How the call-for-projects package declares itself to the platform (read by ``amorce.usecases``)."""

from amorce.usecases import PUBLIC, MenuEntry, UseCase

TEAM, INSTRUCTOR, JURY, CANDIDATE, COACH = "equipe_programme", "instructeur", "jury", "candidat", "coach"

USECASE = UseCase(
    slug="programme",
    title="Programme d'amorçage",
    summary="Appel à projets IA : candidatures, instruction, jury, sélection sous budget, avis, "
            "accompagnement de 10 mois et tests utilisateurs.",
    roles={TEAM: "Équipe programme", INSTRUCTOR: "Instructeur", JURY: "Membre du jury", CANDIDATE: "Candidat",
           COACH: "Coach d'accompagnement"},
    demo_usernames={TEAM: "programme"},
    capabilities={
        TEAM: ("Créer et piloter les appels", "Sélectionner les lauréats", "Suivre l'accompagnement",
               "Organiser les tests utilisateurs"),
        INSTRUCTOR: ("Instruire les dossiers", "Vérifier l'éligibilité"),
        JURY: ("Noter les dossiers qui vous sont attribués", "Déclarer un conflit d'intérêts"),
        CANDIDATE: ("Déposer et suivre une candidature",),
        COACH: ("Suivre les lauréats que vous accompagnez", "Déposer leurs points mensuels"),
    },
    public=("Consulter les appels ouverts et la liste des lauréats",),
    menu=(
        MenuEntry("Appels à projets", "programme:index", (PUBLIC,)),
        MenuEntry("Tableau de bord", "programme:dashboard", (TEAM,)),
        MenuEntry("Dossiers", "programme:dossier_list", (TEAM, INSTRUCTOR)),
        MenuEntry("Mes évaluations", "programme:jury_list", (JURY,)),
        MenuEntry("Mes candidatures", "programme:my_applications", (CANDIDATE,)),
        MenuEntry("Mes accompagnements", "programme:my_coachings", (COACH,)),
    ),
    demo="amorce.programme.tasks:load_demo",
    cli_help="Appel à projets IA : sélection des lauréats, import Démarche Numérique, questionnaire d'impact, "
             "tests SUS.",
)
