"""Forms of the review interface (DSFR classes, multi-file field and sizes: :mod:`amorce.web.forms`)."""

from __future__ import annotations

from django import forms

from amorce.core.formats import megabytes
from amorce.web.forms import DateInput, DsfrMixin, MultipleFileField, upload_limit

from .models import CATEGORY_CHOICES

IMPORT_FORMATS = [("jsonl", "JSON Lines : un objet {id, text, …} par ligne"),
                  ("judilibre", "JSON de l'API Judilibre (/decision, liste ou réponse de recherche)"),
                  ("texte", "Texte brut : un ou plusieurs fichiers .txt, une décision par fichier "
                            "(identifiant : nom du fichier)"),
                  ("label", "Format de traitement Label : enregistrement(s) {document, treatments} (.json)")]
IMPORT_EXTENSIONS = {"jsonl": (".jsonl", ".ndjson", ".json"), "judilibre": (".json",), "texte": (".txt",),
                     "label": (".json",)}
IMPORT_MAX_FILES = 500
IMPORT_MAX_BYTES = 20 * 1024 * 1024


class DsfrForm(DsfrMixin, forms.Form):
    pass


def import_limit() -> int:
    return min(IMPORT_MAX_BYTES, upload_limit())


class ImportForm(DsfrForm):
    file = MultipleFileField(label="Fichier(s) de décisions",
                             help_text="Fichier .jsonl ou .json, ou un ou plusieurs fichiers .txt (UTF-8 ou Windows-1252).",
                             accept=",".join(sorted({ext for exts in IMPORT_EXTENSIONS.values() for ext in exts})))
    format = forms.ChoiceField(label="Format", choices=IMPORT_FORMATS, initial="jsonl", widget=forms.RadioSelect)

    def clean(self):
        cleaned = super().clean()
        uploads, fmt = cleaned.get("file"), cleaned.get("format")
        if not uploads or not fmt:
            return cleaned
        label = dict(IMPORT_FORMATS)[fmt].split(" :")[0]
        errors = []
        if len(uploads) > 1 and fmt != "texte":
            errors.append(f"{len(uploads)} fichiers déposés : un seul fichier pour le format « {label} » "
                          "(plusieurs fichiers ne sont acceptés qu'en texte brut).")
        if len(uploads) > IMPORT_MAX_FILES:
            errors.append(f"{len(uploads)} fichiers déposés : {IMPORT_MAX_FILES} au plus par import.")
        allowed = IMPORT_EXTENSIONS[fmt]
        for upload in uploads:
            suffix = ("." + upload.name.rsplit(".", 1)[-1].lower()) if "." in upload.name else ""
            if suffix not in allowed:
                errors.append(f"fichier {upload.name} : extension « {suffix or 'aucune'} » non acceptée pour le "
                              f"format « {label} » — attendu : {', '.join(allowed)}.")
        limit = import_limit()
        total = sum(u.size for u in uploads)
        if total > limit:
            errors.append(f"Les fichiers font {megabytes(total)} : la limite est de {megabytes(limit)} par import. "
                          "Découpez-les en plusieurs imports.")
        if errors:
            self.add_error("file", errors)
        return cleaned


class RecategoriseForm(DsfrForm):
    category = forms.ChoiceField(label="Nouvelle catégorie", choices=CATEGORY_CHOICES, error_messages={
        "invalid_choice": "catégorie inconnue, choisissez une catégorie de la liste.",
        "required": "choisissez une catégorie de la liste."})


class AddEntityForm(DsfrForm):
    category = forms.ChoiceField(label="Catégorie", choices=CATEGORY_CHOICES)
    text = forms.CharField(label="Texte exact à occulter", required=False, max_length=1000,
                           help_text="Tel qu'il apparaît dans la décision (majuscules et accents compris).")
    occurrence = forms.IntegerField(label="Occurrence", required=False, min_value=1, initial=1,
                                    help_text="1 pour la première apparition du texte, 2 pour la deuxième…")
    start = forms.IntegerField(label="Ou position de début", required=False, min_value=0,
                               help_text="Position du premier caractère (à partir de 0).")
    end = forms.IntegerField(label="Position de fin", required=False, min_value=1,
                             help_text="Position qui suit le dernier caractère.")

    def __init__(self, *args, decision_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.decision_text = decision_text

    def clean(self):
        data = super().clean()
        text, start, end = data.get("text"), data.get("start"), data.get("end")
        if text:
            occurrence = data.get("occurrence") or 1
            pos = -1
            for _ in range(occurrence):
                pos = self.decision_text.find(text, pos + 1)
                if pos < 0:
                    break
            if pos < 0:
                raise forms.ValidationError(
                    f"« {text} » n'apparaît pas {occurrence} fois dans la décision "
                    "(la recherche respecte les majuscules et les accents).")
            data["start"], data["end"] = pos, pos + len(text)
        elif start is not None and end is not None:
            if end <= start or end > len(self.decision_text):
                raise forms.ValidationError(
                    f"Positions invalides : il faut 0 ≤ début < fin ≤ {len(self.decision_text)}.")
        else:
            raise forms.ValidationError("Indiquez le texte à occulter, ou ses positions de début et de fin.")
        return data


SEARCH_MODES = [("hybride", "Sens et mots (hybride)"),
                ("lexical", "Mots seulement (rapide)")]


class FiltersForm(DsfrForm):
    """The metadata filters of the similar-decisions index (``amorce.decisions.search``)."""

    jurisdiction = forms.CharField(label="Juridiction", required=False, max_length=200,
                                   help_text="Par exemple : Cour d'appel de Rennes, Lyon…")
    chamber = forms.CharField(label="Chambre", required=False, max_length=200)
    solution = forms.CharField(label="Solution", required=False, max_length=100,
                               help_text="Par exemple : Infirmation, Rejet, Cassation…")
    date_from = forms.DateField(label="Rendue à partir du", required=False, widget=DateInput())
    date_to = forms.DateField(label="Rendue jusqu'au", required=False, widget=DateInput())
    mode = forms.ChoiceField(label="Type de recherche", choices=SEARCH_MODES, initial="hybride", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("La date de début est postérieure à la date de fin.")
        return data

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data
        out = {key: data[key].strip() for key in ("jurisdiction", "chamber", "solution") if data.get(key)}
        out.update({key: data[key].isoformat() for key in ("date_from", "date_to") if data.get(key)})
        return out

    def search_mode(self) -> str:
        return self.cleaned_data.get("mode") or "hybride"


class SearchForm(FiltersForm):
    q = forms.CharField(label="Décrivez l'affaire ou les mots recherchés", max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 3}),
                        error_messages={"required": "saisissez une question ou des mots à rechercher."})
    field_order = ["q"]


KIND_LABELS = {
    "dommages_interets": "Dommages et intérêts",
    "article_700": "Frais irrépétibles (article 700)",
    "prestation_compensatoire": "Prestation compensatoire",
    "pension_alimentaire": "Pension alimentaire ou contribution à l'entretien",
    "indemnite_licenciement": "Indemnité de licenciement",
    "indemnite_preavis": "Indemnité de préavis",
    "rappel_salaire": "Rappel de salaire",
    "prejudice_moral": "Préjudice moral",
    "amende": "Amende",
}


class ObjectivationForm(FiltersForm):
    """The API's objectivation inputs: a described case (or a stored decision), the kind of amount,
    how many comparable decisions, awarded amounts only, the search filters."""

    description = forms.CharField(label="Description de l'affaire", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Les faits et les demandes, en quelques phrases.")
    decision_id = forms.CharField(label="Ou identifiant d'une décision enregistrée", required=False,
                                  max_length=200)
    kind = forms.ChoiceField(label="Montant étudié", choices=list(KIND_LABELS.items()), initial="dommages_interets")
    k = forms.IntegerField(label="Nombre de décisions comparables", min_value=5, max_value=200, initial=50,
                           help_text="Les plus proches par le texte, entre 5 et 200.")
    awarded_only = forms.BooleanField(label="Montants accordés seulement (pas les montants demandés)",
                                      required=False, initial=True)
    field_order = ["description", "decision_id", "kind", "k", "awarded_only"]

    def clean(self):
        data = super().clean()
        if bool((data.get("description") or "").strip()) == bool((data.get("decision_id") or "").strip()):
            raise forms.ValidationError("Décrivez l'affaire, ou donnez l'identifiant d'une décision enregistrée "
                                        "(l'un ou l'autre, pas les deux).")
        return data
