"""Forms of the call for projects (French labels and messages, DSFR classes)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils import timezone

from amorce.web.forms import DateInput, DsfrMixin, FileField

from .assessment import QUESTIONS_FR
from .eligibility import STRUCTURE_KINDS, check_siret
from .errors import ProgrammeError
from .models import Application, Call, Criterion, InfoMeeting, MonthlyReport, Registration, State

# ---------------------------------------------------------------------------------------- calls


class CallForm(DsfrMixin, forms.ModelForm):
    eligible_kinds = forms.MultipleChoiceField(label="Types de structure éligibles", choices=list(STRUCTURE_KINDS.items()),
                                               widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Call
        fields = ["slug", "title", "summary", "administration", "contact", "opens", "closes", "budget",
                  "min_laureates", "max_laureates", "coaching_months", "eligible_kinds", "max_per_ministry",
                  "max_per_family", "published"]
        widgets = {"opens": DateInput(), "closes": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "La clôture doit suivre l'ouverture de l'appel.")
        low, high = data.get("min_laureates"), data.get("max_laureates")
        if low is not None and high is not None and high < low:
            self.add_error("max_laureates", "Le nombre maximal de lauréats doit être au moins égal au minimum.")
        if data.get("budget") is not None and data["budget"] <= 0:
            self.add_error("budget", "L'enveloppe doit être un montant positif.")
        return data


class CriterionForm(DsfrMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "label", "weight", "scale_max", "position"]


CriterionFormSet = inlineformset_factory(Call, Criterion, form=CriterionForm, extra=1, can_delete=True,
                                         min_num=1, validate_min=True)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class InfoMeetingForm(DsfrMixin, forms.ModelForm):
    """An information meeting: a day, start and end times (local time), a place and a number of seats."""

    day = forms.DateField(label="Date", widget=DateInput())
    start_time = forms.TimeField(label="Heure de début", widget=TimeInput())
    end_time = forms.TimeField(label="Heure de fin", widget=TimeInput())

    class Meta:
        model = InfoMeeting
        fields = ["address", "capacity"]
        labels = {"address": "Lieu (adresse)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["day", "start_time", "end_time", "address", "capacity"])
        if self.instance.pk:
            starts, ends = timezone.localtime(self.instance.starts), timezone.localtime(self.instance.ends)
            self.initial.update(day=starts.date(), start_time=starts.time().replace(second=0, microsecond=0),
                                end_time=ends.time().replace(second=0, microsecond=0))

    def registered(self) -> int:
        return self.instance.registrations.count() if self.instance.pk else 0

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "La réunion doit finir après son début.")
        registered = self.registered()
        if data.get("capacity") is not None and data["capacity"] < registered:
            self.add_error("capacity", f"{registered} personnes sont déjà inscrites : le nombre de places ne peut "
                                       "pas être inférieur.")
        if data.get("capacity") == 0:
            self.add_error("capacity", "Indiquez au moins une place.")
        return data

    def save(self, commit=True):
        from datetime import datetime

        meeting = super().save(commit=False)
        day = self.cleaned_data["day"]
        meeting.starts = timezone.make_aware(datetime.combine(day, self.cleaned_data["start_time"]))
        meeting.ends = timezone.make_aware(datetime.combine(day, self.cleaned_data["end_time"]))
        if commit:
            meeting.save()
        return meeting


class BaseMeetingFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:  # a deleted form is not validated: check here
            registered = form.registered()
            if registered:
                day = timezone.localtime(form.instance.starts).strftime("%d/%m/%Y")
                raise forms.ValidationError(f"La réunion du {day} compte {registered} inscription(s) : elle ne "
                                            "peut pas être supprimée.")


MeetingFormSet = inlineformset_factory(Call, InfoMeeting, form=InfoMeetingForm, formset=BaseMeetingFormSet,
                                       extra=1, can_delete=True)


class RegistrationForm(DsfrMixin, forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["name", "email", "organisation"]


# -------------------------------------------------------------------------------------- dossiers


class DossierFilterForm(DsfrMixin, forms.Form):
    appel = forms.ModelChoiceField(label="Appel", queryset=Call.objects.all(), required=False,
                                   to_field_name="slug", empty_label="Tous")
    etat = forms.ChoiceField(label="État", choices=[("", "Tous"), *State.choices], required=False)
    ministere = forms.CharField(label="Ministère", required=False, max_length=200)
    famille = forms.CharField(label="Famille de cas d'usage", required=False, max_length=200)
    eligible = forms.ChoiceField(label="Éligibilité", required=False, choices=[
        ("", "Toutes"), ("oui", "Éligible"), ("non", "Non éligible"), ("a_confirmer", "À confirmer")])
    q = forms.CharField(label="Numéro, titre ou structure", required=False, max_length=200)


class EligibilityForm(DsfrMixin, forms.Form):
    eligible = forms.TypedChoiceField(label="Décision de l'instructeur", coerce=lambda v: v == "oui",
                                      choices=[("oui", "Éligible"), ("non", "Non éligible")])
    note = forms.CharField(label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, automatic: bool | None = None, **kwargs):
        self.automatic = automatic
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.automatic is not None and data.get("eligible") is not None and data["eligible"] != self.automatic \
                and not (data.get("note") or "").strip():
            self.add_error("note", "Motivez votre décision lorsqu'elle s'écarte du contrôle automatique.")
        return data


class TransitionForm(DsfrMixin, forms.Form):
    to = forms.ChoiceField(label="Nouvel état", choices=[(State.EN_CONSTRUCTION, "Repasser en construction"),
                                                         (State.EN_INSTRUCTION, "Passer en instruction")])
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(DsfrMixin, forms.Form):
    reviewer = forms.ModelChoiceField(label="Membre du jury", queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = get_user_model().objects.filter(groups__name="jury").order_by("username")


class ConflictForm(DsfrMixin, forms.Form):
    reason = forms.CharField(label="Nature du lien avec le porteur ou le projet", min_length=5,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Décrivez le conflit d'intérêts.",
                                             "min_length": "Décrivez le conflit d'intérêts en quelques mots."})


class _CriterionFields(forms.Form):
    """One mark and one comment per criterion, added before :class:`DsfrMixin` styles the fields."""

    comment = forms.CharField(label="Appréciation générale", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"note_{c.code}"] = forms.FloatField(
                label=f"Note — {c.label}", help_text=f"De 0 à {c.scale_max:g}.", min_value=0, max_value=c.scale_max,
                error_messages={"required": "Donnez une note pour ce critère.",
                                "min_value": "La note doit être positive ou nulle.",
                                "max_value": f"La note ne peut pas dépasser {c.scale_max:g}.",
                                "invalid": "Saisissez un nombre."})
            self.fields[f"commentaire_{c.code}"] = forms.CharField(
                label=f"Commentaire — {c.label}", help_text="Facultatif.", required=False, widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["comment"] = self.fields.pop("comment")  # last: keep mark/comment pairs together


class ReviewForm(DsfrMixin, _CriterionFields):
    """One mark and one comment per criterion, a general comment; « submit » makes it final.

    The criterion fields are created in the base class so that :class:`DsfrMixin` gives them their DSFR
    classes (fields added after it ran were unstyled: invisible inputs on the jury page).
    """

    def marks(self) -> dict[str, tuple[float, str]]:
        return {c.code: (self.cleaned_data[f"note_{c.code}"], self.cleaned_data.get(f"commentaire_{c.code}", ""))
                for c in self.criteria}

    def pairs(self):
        return [(c, self[f"note_{c.code}"], self[f"commentaire_{c.code}"]) for c in self.criteria]


# ------------------------------------------------------------------------------------- selection


def parse_amounts(text: str) -> list[float]:
    from .selection import parse_number

    values, bad = [], []
    for part in re.split(r"[;\n]|,(?=\s)|,(?=\d{4,})", text or ""):
        if part.strip():
            try:
                values.append(parse_number(part))
            except ValueError:
                bad.append(part.strip())
    if bad:
        raise forms.ValidationError("Montants illisibles : " + ", ".join(f"« {b} »" for b in bad)
                                    + ". Séparez les montants par des points-virgules, ex. 800000 ; 1200000.")
    if any(v < 0 for v in values):
        raise forms.ValidationError("Les enveloppes doivent être positives.")
    return values


class SelectionForm(DsfrMixin, forms.Form):
    budget = forms.DecimalField(label="Enveloppe (€)", min_value=0, max_digits=14, decimal_places=2)
    min_count = forms.IntegerField(label="Nombre minimal de lauréats", min_value=0)
    max_count = forms.IntegerField(label="Nombre maximal de lauréats", min_value=0, required=False)
    max_per_ministry = forms.IntegerField(label="Au plus K lauréats par ministère", min_value=1, required=False)
    max_per_family = forms.IntegerField(label="Au plus K lauréats par famille de cas d'usage", min_value=1,
                                        required=False)
    what_if = forms.CharField(label="Variantes d'enveloppe (€)", required=False,
                              help_text="Montants séparés par des points-virgules, ex. 800000 ; 1200000")

    def clean_what_if(self):
        return parse_amounts(self.cleaned_data.get("what_if", ""))

    def clean(self):
        data = super().clean()
        if data.get("max_count") is not None and data.get("min_count") is not None \
                and data["max_count"] < data["min_count"]:
            self.add_error("max_count", "Le maximum doit être au moins égal au minimum.")
        return data

    def params(self) -> dict:
        d = self.cleaned_data
        return {"budget": float(d["budget"]), "min_count": d["min_count"], "max_count": d.get("max_count"),
                "max_per_ministry": d.get("max_per_ministry"), "max_per_family": d.get("max_per_family"),
                "what_if": d.get("what_if") or []}


class DecisionForm(DsfrMixin, forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=[(State.ACCEPTE, "Acceptation"), (State.REFUSE, "Refus"),
                                                            (State.SANS_SUITE, "Classement sans suite")])
    motivation = forms.CharField(label="Motivation", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(label="Financement attribué (€)", required=False, min_value=0, max_digits=14,
                                decimal_places=2, help_text="Par défaut : le budget demandé.")

    def clean(self):
        data = super().clean()
        if data.get("decision") in (State.REFUSE, State.SANS_SUITE) and not (data.get("motivation") or "").strip():
            self.add_error("motivation", "Un refus ou un classement sans suite doit être motivé.")
        return data


class AttachmentForm(DsfrMixin, forms.Form):
    label = forms.CharField(label="Intitulé de la pièce", max_length=200)
    file = FileField(label="Fichier (PDF, ODT ou DOCX)")

    def clean_file(self):
        from .services import check_upload

        uploaded = self.cleaned_data["file"]
        try:
            self.kind = check_upload(uploaded)  # type by content, size
        except ProgrammeError as exc:
            raise forms.ValidationError(exc.message) from exc
        return uploaded


# ---------------------------------------------------------------------- candidate's multi-step form


def _lines(text: str, fields: int, name: str, expected: str) -> list[list[str]]:
    rows, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != fields or not all(parts):
            errors.append(f"ligne {number} : « {line.strip()} » — attendu : {expected}")
        else:
            rows.append(parts)
    if errors:
        raise forms.ValidationError(f"{name} : " + " ; ".join(errors) + ".")
    return rows


def _amount(text: str) -> Decimal:
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").replace(",", ".")
    value = Decimal(cleaned)
    if value < 0:
        raise InvalidOperation
    return value


class StructureStep(DsfrMixin, forms.ModelForm):
    title_fr = "Structure et contact"

    class Meta:
        model = Application
        fields = ["structure", "structure_kind", "siret", "ministry", "contact_name", "contact_email"]

    def clean_siret(self):
        value = re.sub(r"\s", "", self.cleaned_data["siret"])
        check = check_siret(value)
        if not check.passed:
            raise forms.ValidationError(check.reason)
        return value


class ProjectStep(DsfrMixin, forms.ModelForm):
    title_fr = "Projet"
    FAMILIES = ["Traitement automatique de documents", "Aide au contrôle et au ciblage", "Relation avec les usagers",
                "Analyse d'images", "Prévision et aide à la décision", "Recherche d'information", "Autre"]
    use_case_family = forms.ChoiceField(label="Famille de cas d'usage", choices=[(f, f) for f in FAMILIES])

    class Meta:
        model = Application
        fields = ["title", "use_case_family", "problem", "benefits", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput(), "problem": forms.Textarea(attrs={"rows": 4}),
                   "benefits": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        for name in ("problem", "benefits", "start", "end"):
            if not data.get(name):
                self.add_error(name, "Ce champ est obligatoire.")
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "La fin du projet doit suivre son début.")
        return data


class DataStep(DsfrMixin, forms.Form):
    title_fr = "Données"
    exists = forms.TypedChoiceField(label="Les données nécessaires existent-elles ?", coerce=lambda v: v == "oui",
                                    choices=[("oui", "Oui"), ("non", "Non")])
    access = forms.CharField(label="Accès aux données (interne, convention, open data…)", max_length=200)
    volume = forms.CharField(label="Volume (ordre de grandeur)", max_length=200)
    personal_data = forms.TypedChoiceField(label="Données à caractère personnel ?", coerce=lambda v: v == "oui",
                                           choices=[("oui", "Oui"), ("non", "Non")])
    legal_basis = forms.CharField(label="Base légale du traitement", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("personal_data") and not data.get("legal_basis"):
            self.add_error("legal_basis", "Indiquez la base légale du traitement des données personnelles.")
        return data


class TeamStep(DsfrMixin, forms.Form):
    title_fr = "Équipe"
    team = forms.CharField(label="Membres de l'équipe", widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="Une ligne par personne : rôle ; nom ; part du temps (ex. 0,5)")

    def clean_team(self):
        members = []
        errors = []
        for role, name, share in _lines(self.cleaned_data["team"], 3, "Équipe", "rôle ; nom ; part du temps"):
            try:
                value = float(share.replace(",", "."))
                if not 0 < value <= 1:
                    raise ValueError
            except ValueError:
                errors.append(f"« {share} » n'est pas une part du temps entre 0 et 1 ({name})")
                continue
            members.append({"role": role, "name": name, "time_share": value})
        if errors:
            raise forms.ValidationError("Équipe : " + " ; ".join(errors) + ".")
        if not members:
            raise forms.ValidationError("Indiquez au moins un membre de l'équipe.")
        return members


class AssessmentStep(DsfrMixin, forms.Form):
    title_fr = "Risques éthiques (évaluation d'impact algorithmique)"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for q in QUESTIONS_FR:
            choices = [(c.code, c.label) for c in q.choices]
            if q.multiple:
                self.fields[q.code] = forms.MultipleChoiceField(label=f"{q.code}. {q.text}", choices=choices,
                                                                required=False, widget=forms.CheckboxSelectMultiple)
            else:
                self.fields[q.code] = forms.ChoiceField(label=f"{q.code}. {q.text}", choices=choices,
                                                        widget=forms.RadioSelect,
                                                        error_messages={"required": "Répondez à cette question."})


class BudgetStep(DsfrMixin, forms.Form):
    title_fr = "Budget"
    budget = forms.DecimalField(label="Budget demandé (€)", min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    budget_breakdown = forms.CharField(label="Détail du budget", widget=forms.Textarea(attrs={"rows": 5}),
                                       help_text="Une ligne par poste : poste ; montant")

    def clean_budget_breakdown(self):
        out, errors = [], []
        for line, amount in _lines(self.cleaned_data["budget_breakdown"], 2, "Détail du budget", "poste ; montant"):
            try:
                out.append({"line": line, "amount": float(_amount(amount))})
            except (InvalidOperation, ValueError):
                errors.append(f"« {amount} » n'est pas un montant ({line})")
        if errors:
            raise forms.ValidationError("Détail du budget : " + " ; ".join(errors) + ".")
        return out

    def clean(self):
        data = super().clean()
        if data.get("budget") is not None and data.get("budget_breakdown"):
            total = sum(Decimal(str(item["amount"])) for item in data["budget_breakdown"])
            if abs(total - data["budget"]) >= Decimal("0.01"):
                self.add_error("budget_breakdown", f"Le détail totalise {total} € au lieu de {data['budget']} €.")
        return data


STEPS = (StructureStep, ProjectStep, DataStep, TeamStep, AssessmentStep, BudgetStep)


def step_initial(step: type, application: Application) -> dict:
    if step is DataStep:
        d = application.data or {}
        return {k: ("oui" if d[k] else "non") if isinstance(d.get(k), bool) else d.get(k, "")
                for k in ("exists", "access", "volume", "personal_data", "legal_basis") if k in d}
    if step is TeamStep:
        return {"team": "\n".join(f"{m['role']} ; {m['name']} ; {m['time_share']}" for m in application.team or [])}
    if step is AssessmentStep:
        return dict(application.aia_answers or {})
    if step is BudgetStep:
        return {"budget": application.budget or None,
                "budget_breakdown": "\n".join(f"{i['line']} ; {i['amount']}" for i in application.budget_breakdown or [])}
    return {}


def apply_step(form, application: Application) -> None:
    """Copy a valid step into the application (not saved)."""
    if isinstance(form, forms.ModelForm):
        form.save(commit=False)
    elif isinstance(form, DataStep):
        application.data = dict(form.cleaned_data)
    elif isinstance(form, TeamStep):
        application.team = form.cleaned_data["team"]
    elif isinstance(form, AssessmentStep):
        application.aia_answers = dict(form.cleaned_data)
    elif isinstance(form, BudgetStep):
        application.budget = form.cleaned_data["budget"]
        application.budget_breakdown = form.cleaned_data["budget_breakdown"]


class MonthlyReportForm(DsfrMixin, forms.ModelForm):
    class Meta:
        model = MonthlyReport
        fields = ["month", "status", "risks", "budget_consumed", "comment"]
        widgets = {"month": DateInput(), "risks": forms.Textarea(attrs={"rows": 3}),
                   "comment": forms.Textarea(attrs={"rows": 3})}


class BudgetRevisionForm(DsfrMixin, forms.Form):
    amount = forms.DecimalField(label="Nouveau budget (€)", min_value=Decimal("0.01"), max_digits=14,
                                decimal_places=2, localize=True)
    reason = forms.CharField(label="Motif de la révision", widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000, error_messages={"required": "Indiquez le motif de la révision."})


class SusForm(DsfrMixin, forms.Form):
    participant = forms.ChoiceField(label="Participant", choices=[("agent", "Agent"), ("usager", "Usager")])
    held_on = forms.DateField(label="Date de la séance", widget=DateInput())
    tasks_done = forms.IntegerField(label="Tâches réussies", min_value=0)
    tasks_total = forms.IntegerField(label="Tâches proposées", min_value=1)
    comment = forms.CharField(label="Commentaires", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .sus import ITEMS_FR

        super().__init__(*args, **kwargs)
        scale = [(str(i), str(i)) for i in range(1, 6)]
        for number, text in enumerate(ITEMS_FR, start=1):
            self.fields[f"q{number}"] = forms.TypedChoiceField(
                label=f"{number}. {text}", choices=scale, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": "Répondez de 1 (pas du tout d'accord) à 5 (tout à fait d'accord)."})

    def clean(self):
        data = super().clean()
        if data.get("tasks_done") is not None and data.get("tasks_total") is not None \
                and data["tasks_done"] > data["tasks_total"]:
            self.add_error("tasks_done", "Le nombre de tâches réussies dépasse le nombre de tâches proposées.")
        return data

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{i}"] for i in range(1, 11)]


class DsImportForm(DsfrMixin, forms.Form):
    """What the user chooses; the instance and its token are the server's configuration, never fields."""

    demarche = forms.IntegerField(label="Numéro de la démarche", min_value=1,
                                  help_text="Le numéro affiché dans l'adresse de la démarche sur Démarche Numérique.")
    mapping = forms.CharField(label="Correspondance des champs (JSON)", required=False,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text='{"fields": {"title": "Titre du projet", …}, "annotations": {…}} ; vide : '
                                        "formulaire amorce par défaut.")

    def clean_mapping(self):
        import json

        from amorce.core.errors import DataValidationError

        from .ds_import import FieldMapping

        text = (self.cleaned_data.get("mapping") or "").strip()
        if not text:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}.") from exc
        try:
            FieldMapping.from_dict(data)
        except DataValidationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data


class DsPushForm(DsfrMixin, forms.Form):
    instructeur_id = forms.CharField(
        label="Identifiant d'instructeur Démarche Numérique", max_length=200,
        help_text="L'identifiant GraphQL de l'instructeur au nom duquel les décisions sont écrites ; par défaut "
                  "la variable DS_INSTRUCTEUR_ID du serveur.",
        error_messages={"required": "Indiquez l'identifiant d'instructeur Démarche Numérique."})
    annotation_label = forms.CharField(
        label="Annotation privée à remplir (libellé)", max_length=300, required=False,
        help_text="Reçoit le score du jury, l'éligibilité et la décision ; vide : aucune annotation écrite.")
    references = forms.CharField(label="Dossiers (numéros amorce)", required=False, max_length=5000,
                                 help_text="Séparés par des virgules ; vide : tous les dossiers importés de l'appel.")
    disable_notification = forms.BooleanField(label="Ne pas envoyer le courriel de notification au candidat",
                                              required=False)

    def __init__(self, *args, call=None, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)

    def clean_references(self):
        refs = [r.strip() for r in (self.cleaned_data.get("references") or "").split(",") if r.strip()]
        if refs:
            known = set(Application.objects.filter(call=self.call, reference__in=refs, ds_number__isnull=False)
                        .values_list("reference", flat=True))
            unknown = [r for r in refs if r not in known]
            if unknown:
                raise forms.ValidationError("Dossiers inconnus dans cet appel ou non importés de Démarche "
                                            "Numérique : " + ", ".join(unknown) + ".")
        return refs


class ConsensusForm(DsfrMixin, forms.Form):
    note = forms.CharField(label="Compte rendu de la séance de consensus", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Résumez la discussion du jury."})
    reopen = forms.BooleanField(label="Rouvrir les évaluations pour que les membres du jury révisent leurs notes",
                                required=False)


class CoachChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class CoachingForm(DsfrMixin, forms.Form):
    """The two coaches of a laureate, chosen among the accounts with the ``coach`` role."""

    technical_coach = CoachChoiceField(label="Coach technique", queryset=None, empty_label="À désigner",
                                       required=False)
    business_coach = CoachChoiceField(label="Coach métier", queryset=None, empty_label="À désigner",
                                      required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coaches = get_user_model().objects.filter(groups__name="coach").order_by("last_name", "first_name",
                                                                                 "username")
        for name in ("technical_coach", "business_coach"):
            self.fields[name].queryset = coaches
            self.fields[name].help_text = "Comptes ayant le rôle « Coach d'accompagnement »."
