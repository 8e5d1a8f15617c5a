"""``amorce biodiversite …``: analyse a season of camera-trap media, import MegaDetector output."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from amorce.core.errors import BAD_INPUT, AmorceError

app = typer.Typer(help="Biodiversité : trier les images et vidéos de pièges photographiques (images vides, "
                       "personnes, véhicules, animaux) et écrire un paquet Camtrap DP.",
                  no_args_is_help=True)



class Format(StrEnum):
    camtrapdp = "camtrapdp"
    megadetector = "megadetector"
    coco = "coco"


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(BAD_INPUT)


def _check_out(out: Path) -> None:
    """The output folder must be writable before any work starts."""
    from amorce.core.files import check_output

    try:
        check_output(out, folder=True)
    except AmorceError as exc:
        _fail(exc.message)


@app.command("analyse")
def analyse_cmd(
    source: Path = typer.Argument(..., help="Dossier des médias (cartes SD copiées, site/appareil/visite) ou "
                                            "paquet Camtrap DP (datapackage.json)."),
    out: Path = typer.Option(..., "--out", help="Dossier de sortie (créé au besoin ; un cache de reprise y est "
                                                "gardé dans .cache-biodiversite)."),
    deployments: Path = typer.Option(None, "--deployments", help="CSV des déploiements (colonnes Camtrap DP, "
                                                                 "plus folder, clockOffsetSeconds, eventGapSeconds…)."),
    detector: str = typer.Option("motion", "--detector", help="motion, embedded, megadetector:CHEMIN.onnx ou "
                                                              "onnx:CHEMIN.onnx."),
    fmt: Format = typer.Option(Format.camtrapdp, "--format", help="Format de sortie : camtrapdp, megadetector "
                                                                  "ou coco."),
    gap: float = typer.Option(None, "--gap", help="Écart maximal (secondes) entre deux médias d'un même "
                                                  "événement (sinon celui du déploiement, 60 s par défaut)."),
    engine: str = typer.Option(None, "--engine", help="Moteur de calcul : local, serial, ray ou ray://hôte:port."),
    classifier: Path = typer.Option(None, "--classifier", help="Fiche JSON d'un classifieur d'espèces (modèle du parc "
                                                               "de « entrainer », ou ONNX configuré : SpeciesNet, "
                                                               "DeepFaune…) : espèce des événements animaux, d'après "
                                                               "les boîtes du détecteur."),
    species_list: Path = typer.Option(None, "--species-list", help="Liste d'espèces du parc (CSV cd_nom, "
                                                                   "nom_scientifique, nom_francais, genre, famille, "
                                                                   "ordre) : restreint les réponses du classifieur."),
    threshold: float = typer.Option(None, "--seuil-espece", help="Probabilité minimale d'une espèce (0-1, 0,6 par "
                                                                 "défaut) ; en dessous, genre, famille, ordre ou "
                                                                 "« indéterminé »."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON."),
) -> None:
    """Analyser une saison : lecture des dates, événements, tri des images vides, espèces, export."""
    from dataclasses import replace

    from amorce.core.progress import rich_bar

    from .formats import WRITERS, read_camtrap_dp
    from .ingest import read_deployments, scan
    from .pipeline import analyse_season

    if not source.exists():
        _fail(f"Dossier source introuvable : {source}")
    if species_list is not None and classifier is None:
        _fail("--species-list : donnez aussi --classifier (la liste restreint les réponses du classifieur).")
    if threshold is not None and not 0 < threshold <= 1:
        _fail("--seuil-espece : une probabilité entre 0 et 1 est attendue.")
    _check_out(out)
    notes: list[str] = []
    try:
        if detector != "motion":
            from .filtering import make_detector

            make_detector(detector)  # a bad --detector is refused before any work
        if classifier is not None:
            from .pipeline import _classifier

            _classifier(str(classifier), str(species_list or ""))  # a bad card or list is refused before any work
            if detector == "motion":
                notes.append("--classifier sans détecteur : le mouvement seul ne donne aucun événement « animal » ni "
                             "boîte à classer ; utilisez --detector embedded (ou un détecteur configuré).")
        if (source / "datapackage.json").exists():
            season, notes = read_camtrap_dp(source)
        else:
            declared = read_deployments(deployments) if deployments else None
            season = scan(source, declared)
        if gap is not None:
            if gap <= 0:
                _fail("--gap : un nombre de secondes positif est attendu.")
            season.deployments = {k: replace(v, event_gap=gap) for k, v in season.deployments.items()}
        if not season.media:
            _fail(f"Aucun média lisible dans {source}.")
        with rich_bar("Analyse des médias") as bar:
            analysis = analyse_season(season, detector=detector, cache_dir=out / ".cache-biodiversite",
                                      engine=engine, progress=bar, classifier=classifier, species_list=species_list,
                                      threshold=threshold)
        files = WRITERS[fmt.value](analysis, out)
        if fmt == Format.camtrapdp:
            from .formats import missing_coordinates

            missing = missing_coordinates(analysis)
            if missing:
                notes.append(f"Paquet Camtrap DP incomplet : coordonnées absentes pour {len(missing)} déploiement(s) "
                             f"({', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}) ; Camtrap DP les exige : "
                             "donnez-les dans le fichier --deployments.")
    except AmorceError as exc:
        _fail(exc.message + ("".join(f"\n  - {p}" for p in getattr(exc, "problems", [])[:50])))
    summary = {"source": str(source), "out": str(out), "media": len(season.media), "events": len(analysis.events),
               "observation_types": analysis.counts(), "files": [str(f) for f in files],
               "cached_partitions": analysis.cached_partitions, "timelapse_deployments": analysis.timelapse,
               "skipped_files": [str(p) for p in season.report.skipped],
               "date_problems": [str(p) for p in season.report.dates], "notes": notes,
               "species": _species_counts(analysis)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{summary['media']} médias, {summary['events']} événements ({len(season.deployments)} déploiements).")
    labels = {"animal": "animal", "human": "personne", "vehicle": "véhicule", "blank": "vide",
              "unknown": "mouvement non identifié", "unclassified": "non analysé"}
    for key, count in sorted(analysis.counts().items()):
        typer.echo(f"  {labels.get(key, key)} : {count}")
    for line in season.report.lines() + notes:
        typer.echo(line)
    if analysis.timelapse:
        typer.echo("Déploiements en prise de vue périodique (time-lapse) : " + ", ".join(analysis.timelapse))
    if summary["species"]:
        typer.echo(f"Espèces ({analysis.classifier}) : "
                   + ", ".join(f"{name} ({n})" for name, n in summary["species"].items()))
    typer.echo("Fichiers écrits : " + ", ".join(str(f) for f in files))


def _species_counts(analysis) -> dict[str, int]:
    """Animal events per answer of the classifier (« indéterminé » included), most frequent first."""
    from collections import Counter

    counts = Counter(a["scientific_name"] or a["label"] for a in analysis.species.values())
    return dict(counts.most_common())


@app.command("megadetector")
def megadetector_cmd(
    path: Path = typer.Argument(..., help="Fichier de sortie de MegaDetector (JSON par lot)."),
    threshold: float = typer.Option(0.2, "--seuil", help="Score minimal des détections retenues."),
    as_json: bool = typer.Option(False, "--json", help="Détections en JSON."),
) -> None:
    """Lire une sortie MegaDetector et résumer les détections par fichier."""
    from .formats import read_megadetector

    try:
        boxes = read_megadetector(path, threshold=threshold)
    except AmorceError as exc:
        _fail(exc.message)
    failures = boxes.pop("__failures__")
    if as_json:
        typer.echo(json.dumps({"files": boxes, "failures": failures}, ensure_ascii=False, indent=2))
        return
    for name, found in boxes.items():
        kinds = ", ".join(sorted({b["label"] for b in found})) or "vide"
        typer.echo(f"{name} : {len(found)} détection(s) ({kinds})")
    if failures:
        typer.echo(f"{len(failures)} fichier(s) en échec : " + ", ".join(failures))


@app.command("entrainer")
def entrainer_cmd(
    labels: Path = typer.Argument(None, help="CSV des étiquettes confirmées : colonnes fichier et espece ; "
                                             "facultatives x, y, largeur, hauteur (boîte normalisée 0-1)."),
    out: Path = typer.Option(..., "--out", help="Dossier où écrire le modèle (modele.npz) et sa fiche (modele.json)."),
    images: Path = typer.Option(None, "--images", help="Dossier des images (par défaut : celui du CSV)."),
    boxes: Path = typer.Option(None, "--boites", help="Boîtes d'une sortie MegaDetector (JSON par lot) ou d'un "
                                                      "fichier COCO, pour les lignes sans boîte."),
    detector: str = typer.Option("aucun", "--detecteur", help="embedded : détecteur intégré pour les images sans "
                                                               "boîte ; aucun : image entière."),
    backbone: str = typer.Option("embedded", "--extracteur", help="embedded (EfficientNet-Lite0) ou onnx:CHEMIN."),
    method: str = typer.Option("logistique", "--methode", help="logistique (par défaut) ou centroide."),
    species_list: Path = typer.Option(None, "--liste-especes", help="Liste d'espèces du parc (CSV cd_nom, "
                                                                    "nom_scientifique, nom_francais…) : toute espèce "
                                                                    "hors liste est refusée."),
    from_reviews: str = typer.Option(None, "--depuis-relectures", help="Saison de l'interface web (numéro ou nom) : "
                                                                       "étiquettes = espèces confirmées en relecture, "
                                                                       "recadrages des cadres « animal » de l'analyse "
                                                                       "(au lieu du CSV)."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON."),
) -> None:
    """Entraîner le classifieur d'espèces du parc sur les recadrages des animaux confirmés (CSV d'étiquettes,
    ou relectures d'une saison de l'interface web avec --depuis-relectures)."""
    from amorce.core.errors import ValidationReport
    from amorce.core.files import read_csv_rows
    from amorce.core.vision import fewshot

    from . import classifier as clf

    if method not in fewshot.METHODS:
        _fail(f"--methode : « {method} » inconnue (attendu : {', '.join(fewshot.METHODS)}).")
    if (labels is None) == (from_reviews is None):
        _fail("Donnez soit le CSV des étiquettes, soit --depuis-relectures SAISON (l'un ou l'autre).")
    if from_reviews is not None:
        _check_out(out)
        _train_from_reviews(from_reviews, out, method, backbone, as_json)
        return
    if detector not in ("aucun", "embedded"):
        _fail(f"--detecteur : « {detector} » inconnu (attendu : embedded ou aucun).")
    _check_out(out)
    root = images or labels.parent
    try:
        rows = read_csv_rows(labels, required=("fichier", "espece"))
        allowed = clf.read_species_list(species_list) if species_list else None
        known = clf.read_boxes(boxes) if boxes else {}
        report = ValidationReport(file=str(labels))
        todo = []
        for row in rows:
            line, path = row["__line__"], root / row.get("fichier", "")
            if not row.get("fichier") or not row.get("espece"):
                report.add("fichier ou espèce vide", line=line, expected="un chemin d'image et un nom d'espèce")
                continue
            if not path.is_file():
                report.add("image introuvable", line=line, column="fichier", value=str(path))
                continue
            if allowed is not None and row["espece"] not in allowed:
                report.add("espèce absente de la liste du parc", line=line, column="espece", value=row["espece"])
                continue
            box = None
            if any(row.get(c) for c in ("x", "y", "largeur", "hauteur")):
                try:
                    box = {k: float(row[c].replace(",", ".")) for k, c in
                           (("x", "x"), ("y", "y"), ("w", "largeur"), ("h", "hauteur"))}
                except (KeyError, ValueError, AttributeError):
                    report.add("boîte invalide", line=line, column="x, y, largeur, hauteur",
                               expected="quatre nombres entre 0 et 1")
                    continue
            elif known.get(row["fichier"]):
                box = max(known[row["fichier"]], key=lambda b: b["score"])
            todo.append((path, row["espece"], box))
        report.raise_if_any("Fichier d'étiquettes invalide")
        from amorce.core.vision import load_image

        clf_detector = None
        if detector == "embedded":
            from amorce.core.vision import embedded_detector

            clf_detector = embedded_detector()
        crops, names, sources = [], [], {"boîte donnée": 0, "détecteur": 0, "image entière": 0}
        for path, species, box in todo:
            image = load_image(path, max_side=2048)
            kind = "boîte donnée"
            if box is None and clf_detector is not None:
                found = clf_detector.detect(image)
                box, kind = (found[0], "détecteur") if found else (None, "image entière")
            elif box is None:
                kind = "image entière"
            sources[kind] += 1
            crops.append(clf.crop(image, box) if box is not None else image)
            names.append(species)
        extractor = clf.make_features(backbone)
        features = extractor.features(crops)
        model = fewshot.train(features, names, method=method, backbone=backbone,
                          card={"backbone_name": extractor.name, "backbone_licence": extractor.licence,
                                "labels_file": str(labels), "crops": sources,
                                "species_list": str(species_list) if species_list else ""})
        if allowed is not None:
            model.card["taxa"] = {c: {"cd_nom": allowed.taxa[c].cd_nom, "nom_francais": allowed.taxa[c].nom_francais}
                                  for c in model.classes}
        card = model.save(out, kind=clf.SITE)
    except AmorceError as exc:
        _fail(exc.message)
    summary = {"model_card": str(card), "classes": model.classes, "examples_per_class": model.card["examples_per_class"],
               "crops": sources, "method": method, "backbone": backbone}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Classifieur ({method}) entraîné sur {len(names)} recadrages de {len(model.classes)} espèces : "
               + ", ".join(f"{c} ({n})" for c, n in model.card["examples_per_class"].items()))
    typer.echo("Recadrages : " + ", ".join(f"{k} {v}" for k, v in sources.items() if v))
    typer.echo(f"Fiche du modèle : {card}")


def _train_from_reviews(season_ref: str, out: Path, method: str, backbone: str, as_json: bool) -> None:
    """``entrainer --depuis-relectures``: the web job's training (:mod:`.training_service`), into ``out``."""
    from amorce.web.cli import setup_django

    setup_django()
    from .models import Season
    from .training_service import train_from_reviews

    season = (Season.objects.filter(pk=int(season_ref)).first() if season_ref.isdigit() else None) \
        or Season.objects.filter(name=season_ref).order_by("-created_at").first()
    if season is None:
        _fail(f"--depuis-relectures : saison « {season_ref} » introuvable (numéro ou nom d'une saison de l'interface).")
    try:
        summary = train_from_reviews(season, out=out, method=method, backbone=backbone,
                                     log=lambda line: None if as_json else typer.echo(line))
    except AmorceError as exc:
        _fail(exc.message)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    cv = summary["cross_validation"]
    typer.echo(f"Exactitude par espèce ({cv['scheme_label']}) : " + ", ".join(
        f"{name} {row['correct']}/{row['events']}" for name, row in cv["per_class"].items()))
    typer.echo(f"Fiche du modèle : {summary['model_card']}")


@app.command("evaluate")
def evaluate_cmd(
    data: Path = typer.Option(None, "--donnees", help="Dossier des données ouvertes étiquetées (par défaut "
                                                     "AMORCE_SHARED_DATA, sinon ../shared/data)."),
    sources: str = typer.Option(None, "--sources", help="Jeux évalués, séparés par des virgules (par défaut tous : "
                                                        "speciesnet, speciesnet-jitter, camtrapdp, camtrapdp-crops, "
                                                        "squirrel, squirrel-crops, ena24, serengeti, borneo, zamba)."),
    work: Path = typer.Option(None, "--travail", help="Dossier où écrire les séquences générées (par défaut un "
                                                      "dossier temporaire, supprimé)."),
    detector: str = typer.Option("embedded", "--detector", help="embedded, megadetector:CHEMIN.onnx ou "
                                                                "onnx:CHEMIN.onnx."),
    as_json: bool = typer.Option(False, "--json", help="Résultats complets en JSON (par événement et par sous-ensemble)."),
) -> None:
    """Mesurer le tri des images vides sur les jeux étiquetés réels : part des événements animaux gardés et
    des images vides retirées, détecteur seul, mouvement seul, les deux et différence d'images simple."""
    import tempfile

    from amorce.core.config import shared_data_dir

    from .evaluate import SOURCES, run_evaluation, summary_lines, to_json
    from .filtering import make_detector

    chosen = [s.strip() for s in sources.split(",") if s.strip()] if sources else list(SOURCES)
    try:
        if detector == "motion":
            _fail("--detector : l'évaluation compare le détecteur et le mouvement ; donnez un détecteur.")
        make_detector(detector)  # a bad --detector is refused before any work
        with tempfile.TemporaryDirectory(prefix="amorce-eval-biodiversite-") as tmp:
            result = run_evaluation(data or shared_data_dir(), work or tmp, sources=chosen, detector=detector)
    except AmorceError as exc:
        _fail(exc.message)
    if as_json:
        typer.echo(to_json(result))
        return
    for line in summary_lines(result):
        typer.echo(line)
    for note in result["notes"]:
        typer.echo(note)


@app.command("inventaire")
def inventaire_cmd(
    package: Path = typer.Argument(..., help="Paquet Camtrap DP (dossier avec datapackage.json), par exemple la "
                                             "sortie de « amorce biodiversite analyse »."),
    out: Path = typer.Option(..., "--out", help="Dossier où écrire les tableaux CSV, le GeoJSON des sites, les graphiques SVG (activité, "
                                                 "accumulation, carte des sites) et le rapport."),
    interval: float = typer.Option(30.0, "--intervalle", help="Minutes : deux détections du même taxon au même site "
                                                             "plus proches que cet intervalle comptent une fois."),
    occasion: int = typer.Option(7, "--occasion", help="Durée en jours d'une occasion des historiques de détection."),
    period: str = typer.Option("saison", "--periode", help="Découpage de l'inventaire : saison, annee ou mois."),
    reference: str = typer.Option("derniere", "--reference", help="L'intervalle se compte depuis la dernière détection "
                                                                  "(derniere) ou depuis le dernier événement "
                                                                  "indépendant (independant)."),
    deployments: Path = typer.Option(None, "--deployments", help="CSV des déploiements avec leurs pannes (colonne "
                                                                 "malfunctions) quand le paquet ne les porte pas."),
    species_list: Path = typer.Option(None, "--liste-especes", help="Liste d'espèces du parc (cd_nom TAXREF, "
                                                                    "nom_scientifique, nom_francais) : noms français "
                                                                    "et taxonID des occurrences."),
    as_json: bool = typer.Option(False, "--json", help="Résumé en JSON."),
) -> None:
    """Inventaire d'une saison : événements indépendants, effort (nuits-pièges), indices d'abondance, activité,
    courbe d'accumulation, historiques de détection, table camtrapR et occurrences Darwin Core."""
    from amorce.core.formats import number

    from . import inventory as inv_mod

    references = {"derniere": "lastRecord", "independant": "lastIndependentRecord"}
    if reference not in references:
        _fail(f"--reference : « {reference} » inconnue (attendu : derniere ou independant).")
    if period not in inv_mod.PERIODS:
        _fail(f"--periode : « {period} » inconnue (attendu : {', '.join(inv_mod.PERIODS)}).")
    if interval < 0:
        _fail("--intervalle : un nombre de minutes positif ou nul est attendu.")
    if occasion < 1:
        _fail("--occasion : un nombre de jours d'au moins 1 est attendu.")
    _check_out(out)
    try:
        allowed = None
        if species_list is not None:
            from .classifier import read_species_list

            allowed = read_species_list(species_list)
        inv = inv_mod.build_inventory(package, interval_min=interval, occasion_days=occasion, period=period,
                                      compared_to=references[reference], deployments_file=deployments,
                                      species_list=allowed)
        files = inv_mod.render_outputs(inv)  # everything is computed before the first file is written
        written = inv_mod.write_outputs(files, out)
    except AmorceError as exc:
        _fail(exc.message + ("".join(f"\n  - {p}" for p in getattr(exc, "problems", [])[:50])))
    summary = {"package": str(package), "out": str(out), "sites": len(inv.package.sites),
               "deployments": len(inv.package.deployments), "trap_nights": round(inv.trap_nights(), 2),
               "independent_events": len(inv.counted), "outside_operation": len(inv.records) - len(inv.counted),
               "species": [{"species": inv_mod.label(r["species"]), "events": r["events"], "sites": r["sites"],
                            "rai": round(r["rai"], 3) if r["rai"] is not None else None}
                           for r in inv_mod.species_summary(inv)],
               "files": [str(f) for f in written], "notes": inv_mod.notes(inv)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{summary['independent_events']} événements indépendants, {len(summary['species'])} taxons, "
               f"{summary['sites']} sites, {number(inv.trap_nights(), 1)} nuits-pièges.")
    for row in summary["species"]:
        typer.echo(f"  {row['species']} : {row['events']} événement(s), {row['sites']} site(s), "
                   f"IAR {number(row['rai'], 2)} pour 100 nuits-pièges")
    for note in summary["notes"]:
        typer.echo(note)
    typer.echo(f"{len(written)} fichiers écrits dans {out} (rapport : {out / 'rapport.html'}).")


@app.command("accord")
def accord_cmd(
    relectures: Path = typer.Argument(..., help="CSV des relectures : evenement, relecteur, type (animal, human, "
                                                "vehicle, blank, unknown), taxon (nom scientifique, facultatif)."),
    as_json: bool = typer.Option(False, "--json", help="Résultat complet en JSON."),
) -> None:
    """Accord entre relecteurs : parts d'accord sur le type et sur l'espèce, kappa de Cohen par paire de
    relecteurs, liste des désaccords (le même calcul que la page « Accord entre relecteurs »)."""
    from amorce.core.formats import number, percent

    from .agreement import agreement, read_answers, to_dict

    try:
        report = agreement(read_answers(relectures))
    except AmorceError as exc:
        _fail(exc.message + ("".join(f"\n  - {p}" for p in getattr(exc, "problems", [])[:50])))
    if as_json:
        typer.echo(json.dumps(to_dict(report), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{report.reviewed} événement(s) relu(s), {report.multi} par au moins deux relecteurs ; accord sur le "
               f"type {percent(report.type_agreement, 1)}, sur l'espèce {percent(report.taxon_agreement, 1)} "
               f"({report.taxon_events} événement(s) où au moins deux relecteurs voient un animal).")
    for p in report.pairs:
        kappas = [number(k, 2) if k is not None else "non défini" for k in (p.type_kappa, p.answer_kappa)]
        typer.echo(f"  {p.reviewers[0]} et {p.reviewers[1]} : {p.events} événement(s) en commun, accord sur le type "
                   f"{percent(p.type_agreement, 1)}, kappa {kappas[0]} ; kappa de la réponse complète {kappas[1]}")
    for d in report.disagreements:
        answers = ", ".join(f"{a.reviewer} : {a.observation_type}{f' ({a.taxon})' if a.taxon else ''}" for a in d.answers)
        typer.echo(f"Désaccord sur {d.event} : {answers}")
