"""The form that starts the indexing of a collection from the web (curators)."""

from __future__ import annotations

from django import forms

from amorce.web.forms import DsfrMixin, FileField, check_uploads

from .sources import available_sources


class IndexForm(DsfrMixin, forms.Form):
    name = forms.SlugField(label="Nom court de la collection", max_length=100,
                           help_text="Lettres sans accent, chiffres, tirets ; il sert dans les adresses. Un nom "
                                     "déjà indexé reprend l'indexation de cette collection (seules les images "
                                     "nouvelles ou modifiées sont traitées).")
    title = forms.CharField(label="Titre", max_length=200, required=False)
    source = forms.ChoiceField(label="Source sur le serveur", required=False,
                               help_text="Dossiers et manifestes IIIF déposés par l'administrateur dans les "
                                         "dossiers de sources configurés.")
    manifest = FileField(label="Ou un manifeste IIIF (.json)", required=False,
                         help_text="Version 2 ou 3 ; les images sont lues par l'API Image IIIF des "
                                   "serveurs autorisés par la configuration.")
    metadata = FileField(label="Métadonnées (CSV, facultatif)", required=False,
                         help_text="Export Dublin Core ou champs POP (REF, LEG, AUTP, DATPV, DIFF…), une "
                                   "ligne par image.")
    features = forms.BooleanField(label="Calculer aussi les caractéristiques d'image (quasi-doublons difficiles, "
                                        "classement, recherche par similarité)", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {s.value: s for s in available_sources()}
        self.fields["source"].choices = [("", "— choisir —")] + [(s.value, s.label) for s in self.sources.values()]

    def clean(self):
        data = super().clean()
        manifest, source = data.get("manifest"), data.get("source")
        if bool(manifest) == bool(source):
            raise forms.ValidationError("Choisissez une source sur le serveur ou déposez un manifeste IIIF "
                                        "(l'un ou l'autre).")
        problems = []
        if manifest:
            problems += check_uploads([manifest], extensions=(".json",), kind="manifeste IIIF")
        if data.get("metadata"):
            problems += check_uploads([data["metadata"]], extensions=(".csv", ".txt"), kind="métadonnées CSV")
        if problems:
            raise forms.ValidationError(problems)
        data["source_path"] = self.sources[source].path if source else None
        return data
