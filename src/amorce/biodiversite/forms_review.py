"""Forms of the review pages (human review of camera-trap events)."""

from __future__ import annotations

from django import forms

from amorce.web.forms import DsfrMixin, FileField

from .models_review import REVIEW_TYPES


class ReviewForm(DsfrMixin, forms.Form):
    observation_type = forms.ChoiceField(label="Type d'observation", choices=REVIEW_TYPES, widget=forms.RadioSelect)
    taxon = forms.CharField(
        label="Espèce", required=False, max_length=300,
        help_text="Pour un animal : tapez le nom français (ou scientifique), les espèces de la liste du parc "
                  "s'affichent pendant la saisie.",
        widget=forms.TextInput(attrs={"list": "especes", "autocomplete": "off", "spellcheck": "false"}))
    count = forms.IntegerField(
        label="Nombre d'individus (MaxN)", required=False, min_value=1, max_value=10_000,
        help_text="Le plus grand nombre d'individus visibles sur une même image ; proposé par la machine à partir "
                  "de ses cadres.")
    comment = forms.CharField(label="Commentaire", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class SpeciesListForm(DsfrMixin, forms.Form):
    file = FileField(label="Liste d'espèces du parc (CSV)",
                           help_text="Colonnes cd_nom (TAXREF), nom_scientifique, nom_francais ; facultatives "
                                     "etiquette, genre, famille, ordre. Séparateur virgule ou point-virgule.")
