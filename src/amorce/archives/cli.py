"""``amorce archives …``: index a collection, list its duplicates, evaluate the duplicate search."""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Fonds photographiques : indexer un fonds (dossier, métadonnées CSV Dublin Core ou POP, "
                       "manifeste IIIF), repérer les doublons et quasi-doublons, évaluer la détection.",
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

    from .index import build_index, list_items, store_for

    name = collection or source.stem
    store = store_for(name)
    items = list_items(source, metadata_csv=metadata)
    with rich_bar("Indexation des images") as progress:
        summary = build_index(items, store, features=features, engine=engine, progress=progress)
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
    cosine: float = typer.Option(0.90, "--cosinus", min=0.0, max=1.0,
                                 help="Similarité cosinus minimale des caractéristiques (si elles ont été calculées)."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON sur la sortie standard."),
) -> None:
    """Grouper les doublons et quasi-doublons d'une collection indexée ; chaque groupe a une image maîtresse."""
    from .duplicates import find_duplicates, write_groups_csv
    from .index import existing_store, read_features, read_rows

    store = existing_store(collection)
    keys, matrix = read_features(store)
    rows, groups, _pairs = find_duplicates(read_rows(store), matrix, keys, phash_radius=phash_radius,
                                           dhash_radius=dhash_radius, cosine=cosine)
    count = write_groups_csv(out, rows, groups)
    summary = {"collection": collection, "images": len(rows), "groups": len(groups), "rows": count,
               "features": matrix is not None, "out": str(out)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    typer.echo(f"{len(groups)} groupe(s) de doublons, {count} image(s) concernée(s) sur {len(rows)} ; "
               f"liste écrite dans {out}." + ("" if matrix is not None else
                                              " (Sans caractéristiques d'image : empreintes seules.)"))


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
    typer.echo(f"{result['originals']} originaux, {result['images']} images générées (dossier temporaire, supprimé).")
    typer.echo(f"{'transformation':<12} {'amorce P':>9} {'R':>6} {'F1':>6}   {'pHash seul P':>12} {'R':>6} {'F1':>6}")
    for name, ours in result["amorce"].items():
        base = result["baseline"][name]
        typer.echo(f"{name:<12} {ours['precision']:>9.3f} {ours['recall']:>6.3f} {ours['f1']:>6.3f}   "
                   f"{base['precision']:>12.3f} {base['recall']:>6.3f} {base['f1']:>6.3f}")
