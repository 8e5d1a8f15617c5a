"""The inventory page's settings (a GET form) and the season form's classifier and species list."""

from __future__ import annotations

from django import forms

from amorce.web.forms import DsfrMixin

from . import inventory as inv_mod
from .inventory_service import Settings

PERIOD_CHOICES = [("saison", "La saison entière"), ("annee", "Par année"), ("mois", "Par mois")]
REFERENCE_CHOICES = [("derniere", "Depuis la détection précédente (camtrapR « lastRecord »)"),
                     ("independant", "Depuis l'événement indépendant précédent (« lastIndependentRecord »)")]
MEASURE_CHOICES = [(k, v[:1].upper() + v[1:]) for k, v in inv_mod.MAP_MEASURES.items()]
MAX_INTERVAL_MIN = 7 * 24 * 60


class InventoryForm(DsfrMixin, forms.Form):
    intervalle = forms.CharField(label="Intervalle d'indépendance (minutes)", initial="30", max_length=20,
                                 help_text="Deux détections du même taxon au même site plus proches que cet "
                                           "intervalle comptent une fois (30 minutes par défaut).")
    reference = forms.ChoiceField(label="L'intervalle se compte", choices=REFERENCE_CHOICES, initial="derniere")
    periode = forms.ChoiceField(label="Découpage de l'inventaire", choices=PERIOD_CHOICES, initial="saison")
    occasion = forms.CharField(label="Durée d'une occasion (jours)", initial="7", max_length=10,
                               help_text="Pour les historiques de détection (modèles d'occupation).")
    carte = forms.ChoiceField(label="Taille des cercles de la carte", choices=MEASURE_CHOICES, initial="evenements")

    def __init__(self, data=None, **kwargs):
        # the page opens with the defaults: a GET without any of the fields is the default settings
        if data is not None and not any(k in data for k in ("intervalle", "reference", "periode", "occasion", "carte")):
            data = None
        super().__init__(data, **kwargs)

    def clean_intervalle(self) -> float:
        text = self.cleaned_data["intervalle"].strip().replace(",", ".").replace("\u00a0", "")
        try:
            value = float(text)
        except ValueError:
            raise forms.ValidationError("Un nombre de minutes est attendu (par exemple 30 ou 2,5).") from None
        if not 0 <= value <= MAX_INTERVAL_MIN:
            raise forms.ValidationError(f"Un nombre de minutes entre 0 et {MAX_INTERVAL_MIN} (une semaine) est attendu.")
        return value

    def clean_occasion(self) -> int:
        text = self.cleaned_data["occasion"].strip()
        if not text.isdigit() or not 1 <= int(text) <= 366:
            raise forms.ValidationError("Un nombre entier de jours entre 1 et 366 est attendu.")
        return int(text)

    def settings(self) -> Settings:
        """The settings: the defaults when the form was not sent, else its cleaned values."""
        if not self.is_bound:
            return Settings()
        data = self.cleaned_data
        return Settings(data["intervalle"], data["reference"], data["periode"], data["occasion"], data["carte"])
