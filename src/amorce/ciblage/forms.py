"""Forms of the targeting web UI (French labels and messages, DSFR classes)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings

from .models import Dataset


class DsfrMixin:
    """Adds the DSFR classes to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            if isinstance(widget, forms.ClearableFileInput):
                css = "fr-upload"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else single(data, initial)


def human_size(n: int) -> str:
    return f"{n / 1_000_000:.0f} Mo" if n >= 1_000_000 else f"{n / 1000:.0f} ko"


class UploadForm(DsfrMixin, forms.Form):
    name = forms.CharField(label="Nom du jeu de données", max_length=200,
                           help_text="Par exemple : « Contrôles 2021-2024, région Bretagne ».")
    format = forms.ChoiceField(label="Format des fichiers", choices=Dataset.Format.choices)
    files = MultipleFileField(label="Fichiers CSV", help_text=(
        "Un ou plusieurs fichiers CSV (UTF-8, séparateur virgule, point-virgule ou tabulation). "
        "Alim'confiance : du plus ancien au plus récent."))

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.AMORCE_UPLOAD_MAX_BYTES
        errors = []
        for upload in files:
            if not upload.name.lower().endswith((".csv", ".txt", ".tsv")):
                errors.append(f"« {upload.name} » : seuls les fichiers CSV sont acceptés.")
            if upload.size > limit:
                errors.append(f"« {upload.name} » dépasse la taille maximale autorisée ({human_size(limit)}).")
        if sum(u.size for u in files) > limit:
            errors.append(f"L'ensemble des fichiers dépasse la taille maximale autorisée ({human_size(limit)}).")
        if len({u.name for u in files}) != len(files):
            errors.append("Deux fichiers portent le même nom.")
        if errors:
            raise forms.ValidationError(errors)
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
    departement = forms.ChoiceField(label="Département", required=False)
    activite = forms.ChoiceField(label="Activité", required=False)
    equipe = forms.ChoiceField(label="Équipe", required=False)
    q = forms.CharField(label="Nom ou identifiant", required=False, max_length=100)

    def __init__(self, *args, choices: dict[str, list[str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, values in (choices or {}).items():
            self.fields[name].choices = [("", "Tous")] + [(v, v) for v in values]


def parse_capacity(text: str) -> int | dict[str, int]:
    """« 20 » (one pool) or « equipe-1=10, equipe-2=8 » (per team or département)."""
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    capacity: dict[str, int] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if not name.strip() or not value.strip().isdigit():
            raise forms.ValidationError(
                f"Capacité invalide : « {part.strip()} » — attendu un nombre (par exemple 20), ou "
                "équipe=nombre séparés par des virgules (par exemple equipe-1=10, equipe-2=8).")
        capacity[name.strip()] = int(value)
    return capacity


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
        capacity = parse_capacity(self.cleaned_data["capacity"])
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
    file = forms.FileField(label="Résultats des contrôles (CSV)", help_text=(
        "Colonnes establishment_id, date (AAAA-MM-JJ), outcome (« Satisfaisant », « A améliorer »…)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Seuls les fichiers CSV sont acceptés.")
        if upload.size > settings.AMORCE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale autorisée ({human_size(settings.AMORCE_UPLOAD_MAX_BYTES)}).")
        return upload
