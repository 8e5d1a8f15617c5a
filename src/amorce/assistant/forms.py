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
