"""How the heritage photo collections package declares itself to the platform (read by ``amorce.usecases``)."""

from amorce.usecases import MenuEntry, UseCase

DOCUMENTALIST, CURATOR, READER = "documentaliste", "responsable_collections", "lecteur"

USECASE = UseCase(
    slug="archives",
    title="Fonds photographiques",
    summary="Indexer un fonds de photographies patrimoniales (dossiers, métadonnées, manifestes IIIF), "
            "repérer les doublons et les quasi-doublons, décrire les images avec le vocabulaire de l'institution.",
    roles={DOCUMENTALIST: "Documentaliste", CURATOR: "Responsable des collections", READER: "Lecteur"},
    demo_usernames={CURATOR: "responsable-collections"},
    capabilities={
        READER: ("Consulter les collections indexées et leurs images",
                 "Chercher dans une collection, voir ses regroupements et sa carte"),
        DOCUMENTALIST: ("Consulter les collections indexées et leurs images",
                        "Confirmer ou scinder les groupes de doublons proposés",
                        "Étiqueter les images avec les termes du thésaurus, entraîner et valider les propositions",
                        "Calculer les regroupements et la carte ; valider un terme pour tout un regroupement",
                        "Exporter les métadonnées enrichies (CSV, Dublin Core, POP, annotations, manifeste IIIF)"),
        CURATOR: ("Indexer un fonds (dossier, métadonnées, manifeste IIIF)",
                  "Calculer les groupes de doublons et exporter leur liste",
                  "Confirmer ou scinder les groupes de doublons proposés",
                  "Importer le thésaurus de l'institution (SKOS ou CSV)",
                  "Étiqueter les images, entraîner et valider les propositions ; exporter",
                  "Calculer les regroupements et la carte ; valider un terme pour tout un regroupement",
                  "Consulter les collections indexées et leurs images"),
    },
    menu=(
        MenuEntry("Collections", "archives:index", (READER, DOCUMENTALIST, CURATOR)),
    ),
    demo="amorce.archives.tasks:load_demo",
    cli_help="Fonds photographiques : indexation, doublons et quasi-doublons, classement, thésaurus, exports.",
)
