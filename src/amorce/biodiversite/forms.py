from __future__ import annotations

from django import forms

from amorce.web.forms import FileField

from .models import sources_root

DETECTORS = [("motion", "Mouvement seul (analyse d'images, sans modèle)"),
             ("embedded", "Détecteur intégré (YOLOX-tiny, une classe « animal ») et mouvement")]


class DeploymentsForm(forms.Form):
    file = FileField(label="Fichier CSV des déploiements",
                           help_text="Colonnes Camtrap DP (deploymentID, locationName, latitude, longitude, "
                                     "deploymentStart, deploymentEnd…) et, au besoin, folder, clockOffsetSeconds, "
                                     "eventGapSeconds, exclusionMasks.")


def source_choices() -> list[tuple[str, str]]:
    root = sources_root()
    if not root.is_dir():
        return []
    return [(p.name, p.name) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]


class SeasonForm(forms.Form):
    name = forms.CharField(label="Nom de la saison", max_length=200)
    source = forms.ChoiceField(label="Dossier des cartes SD", choices=(),
                               help_text="Un sous-dossier du dossier des sources sur le serveur.")
    detector = forms.ChoiceField(label="Détection", choices=DETECTORS, initial="motion")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()
