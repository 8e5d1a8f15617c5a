"""``amorce archives …``: index a collection, list its duplicates, evaluate the duplicate search."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from amorce.core.files import check_output

app = typer.Typer(help="Fonds photographiques : indexer un fonds (dossier, métadonnées CSV Dublin Core ou POP, "
                       "manifeste IIIF), repérer les doublons et quasi-doublons, évaluer la détection, "
                       "rattacher un thésaurus, exporter les métadonnées enrichies.",
                  no_args_is_help=True)

COLLECTION_HELP = "Nom de la collection (lettres, chiffres, « . », « _ », « - ») ; son index est rangé dans " \
                  "AMORCE_DATA_DIR/archives/NOM."


@app.command("index")
def index_command(
    source: Path = typer.Argument(..., help="Dossier d'images (parcouru récursivement) ou manifeste / collection "
                                            "IIIF (.json, version 2 ou 3)."),
    collection: str = typer.Option(None, "--collection", help=COLLECTION_HELP + " Par défaut : le nom de la source."),
    metadata: Path = typer.Option(None, "--metadonnees", help="Export CSV de métadonnées (Dublin Core ou champs "
                                                               "POP : REF, LEG, AUTP, DATPV, JDATPV, DIFF…)."),
    features: bool = typer.Option(False, "--caracteristiques/--sans-caracteristiques",
                                  help="Calculer aussi les caractéristiques d'image (EfficientNet-Lite0) pour "
                                       "les quasi-doublons difficiles (recadrages)."),
    engine: str = typer.Option(None, "--moteur", help="Moteur de calcul : local (défaut), serial, ray, ray://hôte:port."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON sur la sortie standard."),
) -> None:
    """Indexer un fonds : métadonnées, EXIF/IPTC/XMP, vignettes, empreintes perceptuelles (reprise possible)."""
    from amorce.core.progress import rich_bar

    from . import config
    from .index import build_index, list_items, store_for

    name = collection or source.stem
    store = store_for(name)
    backbone = config.from_environ().backbone  # text-image embeddings too when one is configured
    items = list_items(source, metadata_csv=metadata)
    with rich_bar("Indexation des images") as progress:
        summary = build_index(items, store, features=features, engine=engine, progress=progress, backbone=backbone)
    if as_json:
        typer.echo(json.dumps({"collection": name, "store": str(store), **summary.as_dict()}, ensure_ascii=False))
        return
    typer.echo(f"Collection « {name} » : {summary.total} image(s), {summary.indexed} indexée(s), "
               f"{summary.skipped} déjà à jour, {len(summary.errors)} illisible(s). Index : {store}")
    for key, error in summary.errors[:20]:
        typer.echo(f"  - {key} : {error}", err=True)
    if len(summary.errors) > 20:
        typer.echo(f"  … et {len(summary.errors) - 20} autre(s).", err=True)


@app.command("doublons")
def duplicates_command(
    collection: str = typer.Option(..., "--collection", help=COLLECTION_HELP),
    out: Path = typer.Option(..., "--out", help="Fichier CSV à écrire : group,file,master (une ligne par image "
                                                "appartenant à un groupe de doublons)."),
    phash_radius: int = typer.Option(12, "--rayon-phash", min=0, max=32, help="Distance pHash maximale (bits sur 64)."),
    dhash_radius: int = typer.Option(16, "--rayon-dhash", min=0, max=64, help="Distance dHash maximale (bits sur 64)."),
    cosine: float = typer.Option(0.94, "--cosinus", min=0.0, max=1.0,
                                 help="Similarité cosinus au-delà de laquelle deux images sont rapprochées "
                                      "(si les caractéristiques ont été calculées)."),
    cosine_candidate: float = typer.Option(0.75, "--cosinus-candidat", min=0.0, max=1.0,
                                           help="Similarité cosinus minimale d'une paire vérifiée par corrélation "
                                                "des vignettes (recadrages)."),
    match: float = typer.Option(0.80, "--correlation", min=-1.0, max=1.0,
                                help="Corrélation minimale (vignettes en gris, une image retrouvée dans l'autre)."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON sur la sortie standard."),
) -> None:
    """Grouper les doublons et quasi-doublons d'une collection indexée ; chaque groupe a une image maîtresse."""
    check_output(out)

    from .duplicates import find_duplicates, write_groups_csv
    from .index import existing_store, read_features, read_rows

    store = existing_store(collection)
    keys, matrix = read_features(store)
    rows, groups, _pairs = find_duplicates(read_rows(store), matrix, keys, store=store, phash_radius=phash_radius,
                                           dhash_radius=dhash_radius, cosine=cosine,
                                           cosine_candidate=cosine_candidate, match=match)
    count = write_groups_csv(out, rows, groups)
    summary = {"collection": collection, "images": len(rows), "groups": len(groups), "rows": count,
               "features": matrix is not None, "out": str(out)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    typer.echo(f"{len(groups)} groupe(s) de doublons, {count} image(s) concernée(s) sur {len(rows)} ; "
               f"liste écrite dans {out}." + ("" if matrix is not None else
                                              " (Sans caractéristiques d'image : empreintes seules.)"))


@app.command("ocr")
def ocr_command(
    collection: str = typer.Option(..., "--collection", help=COLLECTION_HELP),
    lang: str = typer.Option("fra", "--langue", help="Modèle de langue de Tesseract (fra, ou fra+eng…)."),
    engine: str = typer.Option(None, "--moteur", help="Moteur de calcul : local (défaut), serial, ray, ray://hôte:port."),
    retry: bool = typer.Option(False, "--reprendre-erreurs", help="Relire aussi les images en erreur la dernière fois."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON sur la sortie standard."),
) -> None:
    """Lire le texte des images d'une collection indexée (légendes, montages, inscriptions) avec Tesseract ;
    les images déjà lues sont sautées (reprise possible). Texte, confiance et lignes sont rangés dans l'index."""
    from amorce.core.progress import rich_bar

    from .index import existing_store
    from .ocr import ocr_collection

    store = existing_store(collection)
    with rich_bar("Lecture du texte des images") as progress:
        summary = ocr_collection(store, lang=lang, engine=engine, progress=progress, retry_errors=retry)
    _print_analysis(collection, summary, "lue(s)", as_json)


@app.command("droits")
def rights_command(
    collection: str = typer.Option(..., "--collection", help=COLLECTION_HELP),
    engine: str = typer.Option(None, "--moteur", help="Moteur de calcul : local (défaut), serial, ray, ray://hôte:port."),
    retry: bool = typer.Option(False, "--reprendre-erreurs", help="Analyser aussi les images en erreur la dernière fois."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON sur la sortie standard."),
) -> None:
    """Repérer visages et personnes dans les images d'une collection indexée, pour la revue du droit à
    l'image : chaque image reçoit une valeur DIFF proposée, à confirmer dans l'interface (rien n'est publié)."""
    from amorce.core.progress import rich_bar

    from .analyses import read_analysis
    from .index import existing_store
    from .rights import rights_collection

    store = existing_store(collection)
    with rich_bar("Recherche des visages et des personnes") as progress:
        summary = rights_collection(store, engine=engine, progress=progress, retry_errors=retry)
    flags: dict[str, int] = {}
    for found in read_analysis(store, "rights").values():
        if found["result"]:
            flags[found["result"]["flag"]] = flags.get(found["result"]["flag"], 0) + 1
    _print_analysis(collection, summary, "analysée(s)", as_json, flags=flags)


def _print_analysis(collection: str, summary, done: str, as_json: bool, **extra) -> None:
    if as_json:
        typer.echo(json.dumps({"collection": collection, **summary.as_dict(), **extra}, ensure_ascii=False))
        return
    typer.echo(f"Collection « {collection} » : {summary.total} image(s), {summary.analysed} {done}, "
               f"{summary.skipped} déjà faite(s), {len(summary.errors)} en erreur.")
    for name, count in extra.get("flags", {}).items():
        typer.echo(f"  {name} : {count} image(s)")
    for key, error in summary.errors[:20]:
        typer.echo(f"  - {key} : {error}", err=True)


@app.command("evaluer")
def evaluate_command(
    images: Path = typer.Argument(..., help="Dossier de photographies originales (par exemple "
                                            "../shared/data/heritage_architecture_elements/images)."),
    limit: int = typer.Option(200, "--limite", min=2, help="Nombre d'originaux tirés au hasard."),
    seed: int = typer.Option(0, "--graine", help="Graine du tirage et des transformations."),
    engine: str = typer.Option(None, "--moteur", help="Moteur de calcul : local (défaut), serial, ray."),
    features: bool = typer.Option(False, "--caracteristiques/--sans-caracteristiques",
                                  help="Utiliser aussi les caractéristiques d'image."),
    as_json: bool = typer.Option(False, "--json", help="Résultats en JSON sur la sortie standard."),
) -> None:
    """Mesurer précision, rappel et F1 de la détection de doublons sur des variantes générées
    (rescan, recadrage, tirage, teinte, miroir, gris), à côté du pHash seul (seuil par défaut d'imagededup)."""
    from .evaluate import run_evaluation

    result = run_evaluation(images, limit=limit, seed=seed, engine=engine, features=features)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{result['originals']} originaux, {result['images']} images générées (dossier temporaire, "
               f"supprimé) ; seuils choisis sur une moitié, scores sur l'autre ({result['test_images']} images).")
    methods = list(result["scores"])
    typer.echo(f"{'transformation':<12} " + " ".join(f"{m[:16]:>16}" for m in methods) + "   (F1)")
    for name in result["scores"][methods[0]]:
        typer.echo(f"{name:<12} " + " ".join(f"{result['scores'][m][name]['f1']:>16.3f}" for m in methods))
    if result["thresholds"]:
        typer.echo(f"Seuils retenus : {result['thresholds']}")


@app.command("classer")
def classify_command(
    collection: str = typer.Option(..., "--collection", help=COLLECTION_HELP),
    labels: Path = typer.Option(..., "--etiquettes", help="CSV des images déjà étiquetées par un documentaliste : "
                                                          "colonnes « file » (ou « fichier ») et « label » (ou "
                                                          "« terme »)."),
    out: Path = typer.Option(..., "--out", help="CSV à écrire : file,label,confidence,to_label (une ligne par "
                                                "image non étiquetée ; to_label = 1 pour les images à étiqueter "
                                                "ensuite)."),
    ask: int = typer.Option(10, "--a-etiqueter", min=0, help="Nombre d'images à proposer pour le prochain "
                                                              "étiquetage (apprentissage actif)."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON sur la sortie standard."),
) -> None:
    """Proposer un terme pour chaque image d'une collection indexée avec ses caractéristiques, à partir de
    quelques images étiquetées, et choisir les images à étiqueter ensuite (les plus incertaines, variées).
    Les propositions restent des suggestions à valider."""
    check_output(out)

    from .classify import classify_collection, read_labels, write_proposals
    from .index import existing_store, read_features

    given = read_labels(labels)  # the cataloguer's file is checked first: its errors are the likeliest
    store = existing_store(collection)
    keys, matrix = read_features(store)
    proposals = classify_collection(keys, matrix, given, ask=ask)
    count = write_proposals(out, proposals)
    summary = {"collection": collection, "labelled": proposals.classifier.n_labels, "proposed": count,
               "terms": list(proposals.classifier.classes), "to_label": proposals.to_label, "out": str(out)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    typer.echo(f"{count} proposition(s) écrite(s) dans {out} ({proposals.classifier.n_labels} image(s) "
               f"étiquetée(s), {len(proposals.classifier.classes)} terme(s)). À étiqueter ensuite :")
    for key in proposals.to_label:
        typer.echo(f"  - {key}")


@app.command("regrouper")
def clusters_command(
    collection: str = typer.Option(..., "--collection", help=COLLECTION_HELP),
    k: int = typer.Option(None, "--k", min=2, max=100, help="Nombre de regroupements ; par défaut la règle "
                                                            "√(images / 2) entre 2 et 30."),
    seed: int = typer.Option(0, "--graine", min=0, help="Graine (même graine, mêmes regroupements)."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON sur la sortie standard."),
) -> None:
    """Regrouper les images d'une collection indexée avec ses caractéristiques (k-moyennes) et calculer sa
    carte 2-D (ACP) ; le résultat est rangé à côté de l'index et montré par la page « Regroupements et carte »."""
    from . import explore
    from .index import existing_store, read_features

    store = existing_store(collection)
    keys, matrix = read_features(store)
    result = explore.compute(keys, matrix, k=k, seed=seed)
    path = explore.save(store, result)
    clusters = [{"cluster": c + 1, "size": size, "representatives": result.representatives(c)}
                for c, size in enumerate(result.sizes())]
    if as_json:
        typer.echo(json.dumps({"collection": collection, "k": result.k, "rule": result.rule, "seed": seed,
                               "images": len(keys), "clusters": clusters, "out": str(path)}, ensure_ascii=False))
        return
    typer.echo(f"{result.k} regroupement(s) de {len(keys)} image(s) (nombre {'choisi' if k else 'automatique'}, "
               f"graine {seed}), rangés dans {path} :")
    for item in clusters:
        typer.echo(f"  {item['cluster']:>3} : {item['size']} image(s), par exemple {', '.join(item['representatives'][:3])}")


def _db_collection(name: str):
    """The collection's row in the platform's database (created by the indexing job or the demo)."""
    from amorce.web.cli import setup_django

    setup_django()
    from .services import collection_named

    return collection_named(name)


@app.command("thesaurus")
def thesaurus_command(
    source: Path = typer.Argument(..., help="Thésaurus : SKOS (.rdf, .xml, .ttl, .nt) ou CSV (colonnes uri, "
                                            "prefLabel, altLabel séparés par « | », broader)."),
    collection: str = typer.Option(..., "--collection", help=COLLECTION_HELP),
) -> None:
    """Rattacher le thésaurus de l'institution à une collection (les termes sont reconnus par leur URI ; un
    terme absent du nouveau fichier est retiré, sauf s'il est déjà donné à des images)."""
    from .services import import_thesaurus

    counts = import_thesaurus(_db_collection(collection), source)
    typer.echo(f"Thésaurus « {counts['title']} » rattaché à « {collection} » : {counts['terms']} terme(s), "
               f"{counts['created']} nouveau(x), {counts['updated']} modifié(s), {counts['kept_in_use']} absent(s) "
               "du fichier gardé(s) car utilisé(s).")


@app.command("export")
def export_command(
    collection: str = typer.Option(..., "--collection", help=COLLECTION_HELP),
    kind: str = typer.Option(..., "--format", help="csv (métadonnées enrichies), dc (Dublin Core XML oai_dc), pop "
                                                   "(champs POP : REF, LEG, AUTP, DATPV, JDATPV, DIFF, INDEX…), "
                                                   "annotations (annotations Web W3C, JSON-LD), manifest "
                                                   "(manifeste IIIF Presentation 3)."),
    out: Path = typer.Option(..., "--out", help="Fichier à écrire (nom temporaire puis renommage)."),
    selection: str = typer.Option(None, "--selection", help="groupe:NUMÉRO (un groupe de doublons), terme:URI (les "
                                                            "images acceptées avec ce terme) ou fichiers:LISTE.txt "
                                                            "(un fichier par ligne). Par défaut : toute la collection."),
    url: str = typer.Option("http://localhost:8000", "--url", help="Adresse publique de la plateforme : base des "
                                                                   "identifiants des annotations, du manifeste et "
                                                                   "des images."),
) -> None:
    """Exporter les métadonnées enrichies d'une collection : seuls les termes acceptés par une personne, chacun
    avec sa justification (modèle, date, personne)."""
    check_output(out)

    from .services import export_file

    count = export_file(_db_collection(collection), kind, out, selection=selection, site_url=url)
    typer.echo(f"{count} image(s) exportée(s) au format {kind} dans {out}.")
