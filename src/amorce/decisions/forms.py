"""Forms of the review interface (DSFR classes on every widget)."""

from __future__ import annotations

from django import forms
from django.conf import settings

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


class DsfrForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def import_limit() -> int:
    return min(IMPORT_MAX_BYTES, getattr(settings, "AMORCE_UPLOAD_MAX_BYTES", IMPORT_MAX_BYTES))


def _size(n: int) -> str:
    if n >= 1_048_576:
        return f"{n / 1_048_576:.1f} Mo".replace(".", ",")
    return f"{n / 1024:.0f} Ko" if n >= 1024 else f"{n} octets"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files (several only make sense for plain-text decisions)."""

    def __init__(self, *args, **kwargs):
        accept = ",".join(sorted({ext for exts in IMPORT_EXTENSIONS.values() for ext in exts}))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = [single(f, initial) for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return files or [single(None, initial)]  # none: the « required » error


class ImportForm(DsfrForm):
    file = MultipleFileField(label="Fichier(s) de décisions",
                             help_text="Fichier .jsonl ou .json, ou un ou plusieurs fichiers .txt, encodés en UTF-8.")
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
            errors.append(f"Les fichiers font {_size(total)} : la limite est de {_size(limit)} par import. "
                          "Découpez-les en plusieurs imports.")
        if errors:
            self.add_error("file", errors)
        return cleaned


class RecategoriseForm(DsfrForm):
    category = forms.ChoiceField(label="Nouvelle catégorie", choices=CATEGORY_CHOICES)


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
