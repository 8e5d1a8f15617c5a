"""How the citizen-assistant package declares itself to the platform (read by ``amorce.usecases``)."""

from amorce.usecases import PUBLIC, MenuEntry, UseCase

AGENT = "agent_accueil"

USECASE = UseCase(
    slug="assistant",
    title="Assistant aux usagers",
    summary="Répondre aux usagers à partir des fiches officielles, avec les sources, et passer la main "
            "à un agent.",
    roles={AGENT: "Agent d'accueil"},
    demo_usernames={AGENT: "accueil"},
    capabilities={AGENT: ("Traiter les demandes transmises", "Voir les questions sans réponse",
                          "Améliorer les contenus")},
    public=("Poser une question à l'assistant",),
    menu=(
        MenuEntry("Poser une question", "assistant:chat", (PUBLIC,)),
        MenuEntry("Tableau de suivi", "assistant:backoffice", (AGENT,)),
        MenuEntry("Demandes transmises", "assistant:ticket_list", (AGENT,)),
    ),
    demo="amorce.assistant.tasks:load_demo",
    cli_help="Assistant citoyen : réponses sourcées à partir des fiches officielles.",
)
