"""The season form with the optional species classifier and park species list of the analysis."""

from __future__ import annotations

from django import forms

from amorce.web.forms import FileField, check_uploads

from .forms import SeasonForm
from .season_service import stored_classifiers


class ClassifiedSeasonForm(SeasonForm):
    classifier = forms.ChoiceField(label="Classifieur d'espèces", required=False, choices=(),
                                   help_text="Un modèle gardé sur le serveur (entraîné par « amorce biodiversite "
                                             "entrainer »), ou aucun.")
    classifier_card = FileField(label="Ou envoyer un classifieur : fiche du modèle (modele.json)", required=False,
                                      widget=forms.ClearableFileInput(attrs={"accept": ".json"}))
    classifier_arrays = FileField(label="… et ses coefficients (modele.npz)", required=False,
                                        widget=forms.ClearableFileInput(attrs={"accept": ".npz"}))
    species_list = FileField(label="Liste d'espèces du parc (CSV, facultative)", required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
                                   help_text="Colonnes cd_nom, nom_scientifique, nom_francais (et genre, famille, "
                                             "ordre) : restreint les réponses du classifieur.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classifier"].choices = [("", "Aucun (tri sans espèce)"), *stored_classifiers()]

    def clean(self):
        data = super().clean()
        card, arrays, species = data.get("classifier_card"), data.get("classifier_arrays"), data.get("species_list")
        for field, upload, extension in (("classifier_card", card, ".json"), ("classifier_arrays", arrays, ".npz"),
                                         ("species_list", species, ".csv")):
            if upload:
                for problem in check_uploads([upload], extensions=(extension,)):
                    self.add_error(field, problem)
        if bool(card) != bool(arrays):
            self.add_error("classifier_arrays" if card else "classifier_card",
                           "Envoyez la fiche (modele.json) et les coefficients (modele.npz) ensemble.")
        if card and data.get("classifier"):
            self.add_error("classifier", "Choisissez un classifieur du serveur ou envoyez-en un, pas les deux.")
        wants = bool(card or data.get("classifier"))
        if species and not wants:
            self.add_error("species_list", "La liste restreint les réponses du classifieur : choisissez aussi un "
                                           "classifieur.")
        if wants and data.get("detector") == "motion":
            self.add_error("detector", "Le classifieur reconnaît l'espèce dans les boîtes du détecteur : choisissez "
                                       "le détecteur intégré (le mouvement seul ne donne aucune boîte).")
        return data
