"""Forms of the targeting web UI (French labels and messages, DSFR classes)."""

from __future__ import annotations

from datetime import date

from django import forms

from amorce.web.forms import DateInput, DsfrMixin, FileField, MultipleFileField, check_uploads

from .filters import CHOICE_FILTERS, LABELS, RankedFilter
from .models import Dataset

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")


class UploadForm(DsfrMixin, forms.Form):
    name = forms.CharField(label="Nom du jeu de données", max_length=200,
                           help_text="Par exemple : « Contrôles 2021-2024, région Bretagne ».")
    format = forms.ChoiceField(label="Format des fichiers", choices=Dataset.Format.choices)
    files = MultipleFileField(label="Fichiers CSV", help_text=(
        "Un ou plusieurs fichiers CSV (UTF-8, séparateur virgule, point-virgule ou tabulation). "
        "Alim'confiance : du plus ancien au plus récent."))

    def clean_files(self):
        files = self.cleaned_data["files"]
        problems = check_uploads(files, extensions=CSV_EXTENSIONS, kind="CSV")
        if problems:
            raise forms.ValidationError(problems)
        return files


class TrainForm(DsfrMixin, forms.Form):
    test_start = forms.DateField(label="Début de la période de test (facultatif)", required=False, widget=DateInput(),
                                 help_text="Par défaut, le dernier cinquième de l'historique.")
    test_end = forms.DateField(label="Fin de la période de test, exclue (facultatif)", required=False,
                               widget=DateInput())
    ensemble = forms.IntegerField(
        label="Nombre de modèles moyennés (ensemble)", min_value=1, max_value=50, initial=1, required=False,
        help_text="Plusieurs modèles entraînés avec des graines différentes puis moyennés : classement plus "
                  "stable (Chicago : 5 modèles, 7,66 jours gagnés contre 7,42 pour un seul), entraînement "
                  "autant de fois plus long.")

    def clean(self):
        data = super().clean()
        start, end = data.get("test_start"), data.get("test_end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Indiquez le début et la fin de la période de test, ou aucun des deux.")
        if start and end and end <= start:
            self.add_error("test_end", "La fin de la période de test doit suivre son début.")
        return data


class ScoreForm(DsfrMixin, forms.Form):
    as_of = forms.DateField(label="Date du score", widget=DateInput(),
                            help_text="Seules les données antérieures à cette date sont utilisées.")


class ListFilterForm(DsfrMixin, forms.Form):
    """The filters of :class:`amorce.ciblage.filters.RankedFilter` (the API's) as a form, with the
    same names; a choice filter is offered only when the list has values for it (``choices``)."""

    department = forms.ChoiceField(label=LABELS["department"], required=False)
    activity = forms.ChoiceField(label=LABELS["activity"], required=False)
    team = forms.ChoiceField(label=LABELS["team"], required=False)
    q = forms.CharField(label=LABELS["q"], required=False, max_length=100)
    score_min = forms.FloatField(label=LABELS["score_min"], required=False, min_value=0, max_value=1)

    def __init__(self, *args, choices: dict[str, list[str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CHOICE_FILTERS:
            values = (choices or {}).get(name)
            if values:
                self.fields[name].choices = [("", "Tous")] + [(v, v) for v in values]
            else:
                del self.fields[name]

    def ranked_filter(self) -> RankedFilter:
        """The API's filter with this form's values (call after ``is_valid``)."""
        return RankedFilter(**{k: v for k, v in self.cleaned_data.items() if v not in ("", None)})


class PlanForm(DsfrMixin, forms.Form):
    capacity = forms.CharField(label="Capacité (contrôles par semaine)", initial="20", max_length=500, help_text=(
        "Un nombre pour l'ensemble, ou par équipe ou département : equipe-1=10, equipe-2=8."))
    weeks = forms.IntegerField(label="Nombre de semaines", min_value=1, max_value=52, initial=4)
    exploration = forms.IntegerField(label="Part d'exploration tirée au hasard (%)", min_value=0, max_value=100,
                                     initial=10, help_text="10 % par défaut : le modèle reste mesurable.")
    start = forms.DateField(label="Première semaine (le lundi suivant cette date)", required=False,
                            widget=DateInput())
    seed = forms.IntegerField(label="Graine du tirage", initial=1, min_value=0)

    def clean_capacity(self):
        from .errors import CiblageError
        from .plan import parse_capacity  # inside: the plan module loads pandas, forms load with every page

        try:
            capacity = parse_capacity(self.cleaned_data["capacity"])
        except CiblageError as exc:
            raise forms.ValidationError(exc.message) from exc
        total = capacity if isinstance(capacity, int) else sum(capacity.values())
        if total < 1 or total > 10_000:
            raise forms.ValidationError("La capacité totale doit être comprise entre 1 et 10 000 contrôles par semaine.")
        return capacity

    def clean_start(self):
        return self.cleaned_data.get("start") or date.today()


class FairnessForm(DsfrMixin, forms.Form):
    top = forms.IntegerField(label="Établissements sélectionnés (premiers rangs)", min_value=1, initial=100)
    ratio = forms.FloatField(label="Seuil d'alerte de disparité (rapport au taux global)", min_value=1.01,
                             max_value=10, initial=1.25)


class OutcomesForm(DsfrMixin, forms.Form):
    file = FileField(label="Résultats des contrôles (CSV)", help_text=(
        "Colonnes establishment_id, date (AAAA-MM-JJ), outcome (« Satisfaisant », « A améliorer »…)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problems = check_uploads([upload], extensions=CSV_EXTENSIONS, kind="CSV")
        if problems:
            raise forms.ValidationError(problems)
        return upload
