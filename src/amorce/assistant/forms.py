from __future__ import annotations

from django import forms

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


class HandoverForm(forms.Form):
    message = forms.CharField(
        label="Message pour l'agent (facultatif)", max_length=2000, required=False,
        help_text="Décrivez votre besoin. Vos données personnelles seront masquées.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}))


class TicketForm(forms.ModelForm):
    class Meta:
        model = HandoverTicket
        fields = ["status", "agent_note"]
        widgets = {"status": forms.Select(attrs={"class": "fr-select"}),
                   "agent_note": forms.Textarea(attrs={"rows": 3, "class": "fr-input"})}
