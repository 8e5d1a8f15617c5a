"""``amorce modeles``: install and list the embedded vision models (heavy imports inside commands)."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="Modèles de vision intégrés (sans torch) : installation et inventaire.",
                  no_args_is_help=True)


@app.command("installer")
def installer(hors_ligne: bool = typer.Option(False, "--hors-ligne",
                                              help="Ne rien télécharger (poids déjà présents ou AMORCE_YOLOX_WEIGHTS).")
              ) -> None:
    """Prépare EfficientNet-Lite0 et le détecteur YOLOX-tiny (téléchargement unique de la roue zamba)."""
    from .install import install_models

    for name, path in install_models(download=not hors_ligne).items():
        typer.echo(f"{name} : {path}")


@app.command("liste")
def liste(as_json: bool = typer.Option(False, "--json", help="Sortie JSON.")) -> None:
    """Les modèles convertis présents dans le cache, avec leur licence et leurs empreintes."""
    from .cache import models_dir

    folder = models_dir()
    manifests = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))] \
        if folder.is_dir() else []
    if as_json:
        typer.echo(json.dumps(manifests, ensure_ascii=False, indent=2))
        return
    if not manifests:
        typer.echo(f"Aucun modèle converti dans {folder} : lancez « amorce modeles installer ».")
    for m in manifests:
        typer.echo(f"{m['name']} — {m.get('source_package')} — licence {m.get('licence')} — "
                   f"ONNX sha256 {m.get('onnx_sha256', '')[:16]}…")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="modeles")
