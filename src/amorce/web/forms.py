"""Form pieces shared by every use case: DSFR widgets, file uploads with limits, form errors as messages.

One copy each, so that every page of every package behaves the same: the DSFR classes on inputs,
several files in one field, the upload size limit said in the units users read (« 20 Mo »), and the
errors of a form shown as messages after a redirect.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm

from amorce.core.formats import megabytes


def upload_limit() -> int:
    """The platform's upload size limit in bytes (``AMORCE_UPLOAD_MAX_MB``)."""
    return settings.AMORCE_UPLOAD_MAX_BYTES


class DsfrMixin:
    """Adds the DSFR classes to every widget (inputs, selects, file uploads; not boxes and radios)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.FileInput):
                css = "fr-upload"
            elif isinstance(widget, forms.Select):
                css = "fr-select"
            else:
                css = "fr-input"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FileField(forms.FileField):
    """Django's file field whose « empty file » error names the file (Django's says « Le fichier soumis
    est vide. », which does not tell which one when several are sent); every upload form uses it."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except forms.ValidationError as exc:
            if exc.code == "empty":
                raise forms.ValidationError("« %(name)s » : fichier vide (attendu : un fichier avec son contenu).",
                                            code="empty", params={"name": getattr(data, "name", "")}) from None
            raise


class MultipleFileField(FileField):
    """One or several files; ``clean`` returns a list (the « required » error when none is given)."""

    widget = MultipleFileInput

    def __init__(self, *args, accept: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if accept:
            self.widget.attrs["accept"] = accept

    def clean(self, data, initial=None):
        single = super().clean
        files = [single(f, initial) for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return files or [single(None, initial)]


def check_uploads(files, *, extensions: tuple[str, ...] | None = None, limit: int | None = None,
                  kind: str = "fichier") -> list[str]:
    """French problems with uploaded files: extension, empty file, size of each and of all together."""
    limit = upload_limit() if limit is None else limit
    problems = []
    for upload in files:
        if extensions and not upload.name.lower().endswith(extensions):
            problems.append(f"« {upload.name} » : seuls les fichiers {', '.join(extensions)} sont acceptés ({kind}).")
        if upload.size == 0:
            problems.append(f"« {upload.name} » est vide.")
        elif upload.size > limit:
            problems.append(f"« {upload.name} » pèse {megabytes(upload.size)} : la taille maximale est de "
                            f"{megabytes(limit)}.")
    if len(files) > 1 and sum(u.size for u in files) > limit:
        problems.append(f"L'ensemble des fichiers dépasse la taille maximale autorisée ({megabytes(limit)}).")
    if len({u.name for u in files}) != len(files):
        problems.append("Deux fichiers portent le même nom.")
    return problems


def errors_to_messages(request, form) -> None:
    """Show each error of an invalid form as a message (« Libellé : erreur »), for a redirect after POST."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="Identifiant", max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True,
                                                             "class": "fr-input"}))
    password = forms.CharField(label="Mot de passe", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                 "class": "fr-password__input fr-input"}))
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Vérifiez la saisie (les majuscules comptent).",
        "inactive": "Ce compte est désactivé.",
    }
