from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .documents import AUDIENCES
from .models import Exchange, HandoverTicket

AUDIENCE_CHOICES = [("", "Tous les publics")] + [(a, a.capitalize()) for a in AUDIENCES]


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="Votre question", max_length=1000, strip=True,
        help_text="Posez une question sur vos démarches. N'indiquez pas de données personnelles.",
        widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input", "autocomplete": "off"}),
        error_messages={"required": "Saisissez une question.",
                        "max_length": "La question est trop longue (1 000 caractères au plus)."})
    public = forms.ChoiceField(label="Vous êtes", choices=AUDIENCE_CHOICES, required=False,
                               widget=forms.Select(attrs={"class": "fr-select"}))


class FeedbackForm(forms.Form):
    avis = forms.ChoiceField(choices=[(Exchange.Feedback.USEFUL, "utile"),
                                      (Exchange.Feedback.NOT_USEFUL, "pas utile")])


# A French number (0X XX XX XX XX, +33 X XX XX XX XX, 0033…) or an international one (+ and 8 to 15 digits).
_FRENCH_PHONE = re.compile(r"^(?:0|\+33|0033)[1-9]\d{8}$")
_INTERNATIONAL_PHONE = re.compile(r"^\+\d{8,15}$")


def normalize_phone(value: str) -> str | None:
    """« 06.12.34.56.78 », « +33 6 12 34 56 78 » → « 06 12 34 56 78 »; None if it is not a phone number."""
    compact = re.sub(r"[\s.\-()\u00a0]", "", value or "")
    if _FRENCH_PHONE.match(compact):
        national = "0" + compact[-9:]
        return " ".join(national[i:i + 2] for i in range(0, 10, 2))
    if _INTERNATIONAL_PHONE.match(compact):
        return compact
    return None


class HandoverForm(forms.Form):
    """« Parler à un agent »: how to be contacted (e-mail or phone, checked) and an optional message."""

    canal = forms.ChoiceField(
        label="Comment souhaitez-vous être recontacté ?", widget=forms.RadioSelect,
        choices=HandoverTicket.Channel.choices, initial=HandoverTicket.Channel.EMAIL,
        error_messages={"required": "Choisissez comment être recontacté : par courriel ou par téléphone."})
    courriel = forms.CharField(
        label="Adresse électronique", max_length=254, required=False,
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"class": "fr-input", "autocomplete": "email"}))
    telephone = forms.CharField(
        label="Numéro de téléphone", max_length=30, required=False,
        help_text="Format attendu : 06 12 34 56 78 ou +33 6 12 34 56 78",
        widget=forms.TextInput(attrs={"class": "fr-input", "autocomplete": "tel", "type": "tel"}))
    message = forms.CharField(
        label="Message pour l'agent (facultatif)", max_length=2000, required=False,
        help_text="Décrivez votre besoin. Les données personnelles du message seront masquées.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
        error_messages={"max_length": "Le message est trop long (2 000 caractères au plus)."})

    def clean(self):
        data = super().clean()
        channel = data.get("canal")
        if channel == HandoverTicket.Channel.EMAIL:
            email = (data.get("courriel") or "").strip()
            try:
                validate_email(email)
            except ValidationError:
                self.add_error("courriel", "Indiquez une adresse électronique valide, par exemple nom@domaine.fr."
                               if email else "Indiquez votre adresse électronique pour être recontacté.")
            else:
                data["contact"] = email
        elif channel == HandoverTicket.Channel.PHONE:
            raw = (data.get("telephone") or "").strip()
            phone = normalize_phone(raw)
            if phone is None:
                self.add_error("telephone", "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78."
                               if raw else "Indiquez votre numéro de téléphone pour être recontacté.")
            else:
                data["contact"] = phone
        return data


class TicketReplyForm(forms.Form):
    reponse = forms.CharField(
        label="Votre réponse", max_length=5000, strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "class": "fr-input"}),
        error_messages={"required": "Écrivez la réponse.",
                        "max_length": "La réponse est trop longue (5 000 caractères au plus)."})
    clore = forms.BooleanField(label="Clore la demande après cette réponse", required=False, initial=True)


class TicketForm(forms.ModelForm):
    class Meta:
        model = HandoverTicket
        fields = ["status", "agent_note"]
        widgets = {"status": forms.Select(attrs={"class": "fr-select"}),
                   "agent_note": forms.Textarea(attrs={"rows": 3, "class": "fr-input"})}


OUT_OF_SCOPE_CHOICE = "hors"
OTHER_FICHE_CHOICE = "autre"


class VerifyForm(forms.Form):
    """An agent's verdict on a citizen's question: which fiche of the base answers it, if any."""

    question = forms.CharField(
        label="Question (relisez-la : retirez toute donnée personnelle restante)", max_length=1000, strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
        error_messages={"required": "La question ne peut pas être vide."})
    verdict = forms.ChoiceField(label="Quelle fiche répond à cette question ?", widget=forms.RadioSelect,
                                error_messages={"required": "Choisissez la fiche qui répond, ou « aucune fiche »."})
    autre_fiche = forms.CharField(label="Numéro de la fiche (par exemple F1234)", max_length=60, required=False,
                                  widget=forms.TextInput(attrs={"class": "fr-input"}))

    def __init__(self, *args, sources: list[dict], titles: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.titles = titles
        self.fields["verdict"].choices = [
            *[(s["id"], f"{s['id']} — {s.get('title', '')}") for s in sources if s.get("id") in titles],
            (OTHER_FICHE_CHOICE, "Une autre fiche de la base"),
            (OUT_OF_SCOPE_CHOICE, "Aucune fiche de la base ne répond (hors périmètre)")]

    def clean(self):
        data = super().clean()
        verdict = data.get("verdict")
        if verdict == OTHER_FICHE_CHOICE:
            fiche = (data.get("autre_fiche") or "").strip()
            if not fiche:
                self.add_error("autre_fiche", "Indiquez le numéro de la fiche qui répond.")
            elif fiche not in self.titles:
                self.add_error("autre_fiche", f"La fiche « {fiche} » n'est pas dans la base de connaissances.")
            else:
                data["fiche_id"] = fiche
        elif verdict and verdict != OUT_OF_SCOPE_CHOICE:
            data["fiche_id"] = verdict
        elif verdict:
            data["fiche_id"] = ""
        return data
