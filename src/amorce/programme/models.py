"""Database models of the call for AI projects (the pure modules do the computing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from amorce.web.models import Authored, Created

from .eligibility import STRUCTURE_KINDS
from .errors import TransitionError

USER = settings.AUTH_USER_MODEL


class Call(Created):
    """One call for projects (appel à projets)."""

    slug = models.SlugField("identifiant court", max_length=80, unique=True)
    title = models.CharField("intitulé", max_length=500)
    summary = models.TextField("présentation", blank=True)
    administration = models.CharField("administration porteuse", max_length=300)
    contact = models.CharField("contact", max_length=300,
                               help_text="Comment joindre l'équipe (courriel, adresse), repris dans les courriers.")
    opens = models.DateField("ouverture")
    closes = models.DateField("clôture")
    budget = models.DecimalField("enveloppe (€)", max_digits=14, decimal_places=2)
    min_laureates = models.PositiveIntegerField("nombre minimal de lauréats", default=0)
    max_laureates = models.PositiveIntegerField("nombre maximal de lauréats", null=True, blank=True)
    coaching_months = models.PositiveSmallIntegerField("durée de l'accompagnement (mois)", default=10)
    eligible_kinds = models.JSONField("types de structure éligibles", default=list, blank=True)
    max_per_ministry = models.PositiveIntegerField("au plus K lauréats par ministère", null=True, blank=True)
    max_per_family = models.PositiveIntegerField("au plus K lauréats par famille de cas d'usage", null=True,
                                                 blank=True)
    published = models.BooleanField("publié", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens", "slug"]
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.opens <= timezone.localdate() <= self.closes

    def eligible_kind_labels(self) -> list[str]:
        return [STRUCTURE_KINDS.get(k, k) for k in self.eligible_kinds]

    def pure_criteria(self):
        from .scoring import Criterion as PureCriterion

        return [PureCriterion(c.code, c.label, c.weight, c.scale_max, c.description) for c in self.criteria.all()]

    def eligibility_rules(self):
        from .eligibility import EligibilityRules

        return EligibilityRules(eligible_kinds=frozenset(self.eligible_kinds), opens=self.opens, closes=self.closes,
                                max_budget=float(self.budget), max_duration_months=self.coaching_months)

    def constraints(self, *, budget: float | None = None, min_count: int | None = None,
                    max_count: int | None = None, max_per_ministry: int | None = None,
                    max_per_family: int | None = None):
        from .selection import Constraints

        caps = {}
        per_ministry = self.max_per_ministry if max_per_ministry is None else max_per_ministry
        per_family = self.max_per_family if max_per_family is None else max_per_family
        if per_ministry is not None:
            caps["ministry"] = per_ministry
        if per_family is not None:
            caps["family"] = per_family
        return Constraints(budget=float(self.budget if budget is None else budget),
                           min_count=self.min_laureates if min_count is None else min_count,
                           max_count=self.max_laureates if max_count is None else max_count, group_caps=caps)


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name="appel")
    code = models.SlugField("code", max_length=40)
    label = models.CharField("critère", max_length=300)
    description = models.TextField("description", blank=True)
    weight = models.FloatField("poids", default=1.0, validators=[MinValueValidator(0.0)])
    scale_max = models.FloatField("note maximale", default=5.0, validators=[MinValueValidator(1.0)])
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="programme_criterion_unique_code")]
        verbose_name = "critère"

    def __str__(self) -> str:
        return self.label


class InfoMeeting(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="meetings", verbose_name="appel")
    starts = models.DateTimeField("début")
    ends = models.DateTimeField("fin")
    address = models.CharField("adresse", max_length=300)
    capacity = models.PositiveIntegerField("nombre de places")

    class Meta:
        ordering = ["starts"]
        verbose_name = "réunion d'information"
        verbose_name_plural = "réunions d'information"

    def __str__(self) -> str:
        return f"Réunion du {timezone.localtime(self.starts):%d/%m/%Y %H:%M}"

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.registrations.count())


class Registration(Created):
    meeting = models.ForeignKey(InfoMeeting, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField("nom et prénom", max_length=200)
    email = models.EmailField("courriel")
    organisation = models.CharField("administration", max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="programme_registration_once")]
        verbose_name = "inscription"


class State(models.TextChoices):
    EN_CONSTRUCTION = "en_construction", "En construction"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    ACCEPTE = "accepte", "Accepté"
    REFUSE = "refuse", "Refusé"
    SANS_SUITE = "sans_suite", "Classé sans suite"


# As on Démarche Numérique: a final decision can be reopened (« repasser en instruction »).
TRANSITIONS: dict[str, frozenset[str]] = {
    State.EN_CONSTRUCTION: frozenset({State.EN_INSTRUCTION}),
    State.EN_INSTRUCTION: frozenset({State.EN_CONSTRUCTION, State.ACCEPTE, State.REFUSE, State.SANS_SUITE}),
    State.ACCEPTE: frozenset({State.EN_INSTRUCTION}),
    State.REFUSE: frozenset({State.EN_INSTRUCTION}),
    State.SANS_SUITE: frozenset({State.EN_INSTRUCTION}),
}
STATE_BADGES = {State.ACCEPTE: "fr-badge--success", State.REFUSE: "fr-badge--error",
                State.SANS_SUITE: "fr-badge--warning", State.EN_INSTRUCTION: "fr-badge--info",
                State.EN_CONSTRUCTION: "fr-badge--new"}
FINAL_STATES = frozenset({State.ACCEPTE, State.REFUSE, State.SANS_SUITE})


def eligibility_label(auto: bool | None, confirmed: bool | None) -> tuple[str, str]:
    """(label, DSFR badge class) of an eligibility: confirmed, proposed by the rules, or unchecked."""
    if confirmed is not None:
        return ("Éligible (confirmé)", "fr-badge--success") if confirmed else ("Non éligible (confirmé)", "fr-badge--error")
    if auto is None:
        return ("Non contrôlé", "")
    return ("Éligible — à confirmer", "fr-badge--info") if auto else ("Non éligible — à confirmer", "fr-badge--warning")


class ApplicationQuerySet(models.QuerySet):
    def for_reviewer(self, user):
        """Dossiers assigned to ``user``, never one on which they declared a conflict of interest."""
        return self.filter(assignments__reviewer=user).exclude(conflicts__reviewer=user)

    def eligible_for_selection(self, call):
        """Dossiers under instruction whose eligibility is confirmed (or, unconfirmed, automatically ok)."""
        return (self.filter(call=call, state__in=[State.EN_INSTRUCTION, *FINAL_STATES], score__isnull=False)
                .exclude(eligibility_confirmed=False)
                .exclude(eligibility_confirmed__isnull=True, eligibility_auto=False)
                .exclude(eligibility_confirmed__isnull=True, eligibility_auto__isnull=True))  # still to check

    def window(self, start: int, stop: int) -> list:
        """Rows ``start:stop`` of this ordered queryset: the OFFSET walks the narrow index of keys, then
        only the rows of the window are read (SQLite reads every wide row it skips with OFFSET, which
        made the last pages of 10,000 dossiers cost tens of milliseconds)."""
        keys = list(self.values_list("pk", flat=True)[start:stop])
        return list(self.filter(pk__in=keys)) if keys else []


class Application(Created):
    """A dossier de candidature."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name="appel")
    reference = models.CharField("numéro", max_length=40, unique=True)
    owner = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="candidat")
    ds_number = models.BigIntegerField("numéro Démarche Numérique", null=True, blank=True, unique=True)
    ds_fingerprint = models.CharField("empreinte de la dernière synchronisation", max_length=64, blank=True)
    ds_record = models.JSONField("dossier Démarche Numérique (champs, annotations)", default=dict, blank=True)
    # structure and contact
    structure = models.CharField("structure", max_length=300)
    structure_kind = models.CharField("type de structure", max_length=40, choices=list(STRUCTURE_KINDS.items()))
    siret = models.CharField("SIRET", max_length=14)
    ministry = models.CharField("ministère de rattachement", max_length=200, db_index=True)
    contact_name = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    # project
    title = models.CharField("titre du projet", max_length=300)
    use_case_family = models.CharField("famille de cas d'usage", max_length=200)
    problem = models.TextField("problème à résoudre", blank=True)
    benefits = models.TextField("bénéfices attendus", blank=True)
    data = models.JSONField("données", default=dict, blank=True)
    team = models.JSONField("équipe", default=list, blank=True)
    aia_answers = models.JSONField("questionnaire d'impact", default=dict, blank=True)
    impact_level = models.CharField("niveau d'impact", max_length=4, blank=True)
    budget = models.DecimalField("budget demandé (€)", max_digits=14, decimal_places=2, default=Decimal(0))
    budget_breakdown = models.JSONField("détail du budget", default=list, blank=True)
    start = models.DateField("début du projet", null=True, blank=True)
    end = models.DateField("fin du projet", null=True, blank=True)
    submitted_on = models.DateField("date de dépôt", null=True, blank=True)
    draft_step = models.PositiveSmallIntegerField("étape du formulaire", default=1)
    # instruction
    state = models.CharField("état", max_length=20, choices=State.choices, default=State.EN_CONSTRUCTION)
    eligibility = models.JSONField("contrôle automatique d'éligibilité", default=dict, blank=True)
    eligibility_auto = models.BooleanField("éligible selon les règles automatiques", null=True, blank=True)
    eligibility_confirmed = models.BooleanField("éligibilité confirmée par l'instructeur", null=True, blank=True)
    eligibility_note = models.TextField("observations de l'instructeur", blank=True)
    eligibility_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    eligibility_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField("score pondéré (sur 20)", null=True, blank=True)
    review_count = models.PositiveSmallIntegerField("évaluations remises", default=0)
    disagreements = models.JSONField("critères en désaccord", default=list, blank=True)
    consensus_note = models.TextField("compte rendu de la séance de consensus", blank=True)
    consensus_at = models.DateTimeField("séance de consensus", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["call", "state", "reference"], name="prog_app_call_state"),
            models.Index(fields=["state", "reference"], name="prog_app_state"),
            models.Index(fields=["call", "ministry"], name="prog_app_call_ministry"),
            models.Index(fields=["call", "use_case_family"], name="prog_app_call_family"),
            models.Index(fields=["owner", "reference"], name="prog_app_owner"),
            # Covering indexes of the instructeur's list: its filters and counts read these narrow
            # entries instead of the wide rows (JSON fields), e.g. 19 ms -> 0.02 ms to count 10,000.
            models.Index(fields=["state", "ministry", "use_case_family", "eligibility_confirmed",
                                 "eligibility_auto", "call", "reference"], name="prog_app_filters"),
            models.Index(fields=["use_case_family", "eligibility_confirmed", "eligibility_auto", "state",
                                 "reference"], name="prog_app_family"),
            models.Index(fields=["reference", "title", "structure"], name="prog_app_search"),
        ]
        verbose_name = "dossier"

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.state, "")

    @property
    def eligibility_badge(self) -> tuple[str, str]:
        """(label, DSFR badge class) of the eligibility: confirmed, proposed by the rules, or unchecked."""
        return eligibility_label(self.eligibility_auto, self.eligibility_confirmed)

    @property
    def is_eligible(self) -> bool | None:
        return self.eligibility_confirmed if self.eligibility_confirmed is not None else self.eligibility_auto

    def as_pure_dict(self) -> dict:
        """The application as the pure modules read it (eligibility rules, exports)."""
        return {"siret": self.siret, "structure_kind": self.structure_kind, "budget": float(self.budget),
                "budget_breakdown": self.budget_breakdown, "submitted_on": self.submitted_on, "start": self.start,
                "end": self.end}

    def allowed_transitions(self) -> frozenset[str]:
        return TRANSITIONS.get(self.state, frozenset())

    def transition(self, to: str, *, by=None, comment: str = "") -> StateChange:
        """Change state (caller holds a transaction) and record it in the history."""
        if to not in State.values:
            raise TransitionError(f"État inconnu : « {to} ».")
        if to not in self.allowed_transitions():
            raise TransitionError(f"Le dossier ne peut pas passer de « {State(self.state).label} » à "
                                  f"« {State(to).label} ».")
        change = StateChange.objects.create(application=self, from_state=self.state, to_state=to,
                                            by=by if getattr(by, "is_authenticated", False) else None,
                                            comment=comment)
        self.state = to
        if to == State.EN_INSTRUCTION and self.submitted_on is None:
            self.submitted_on = timezone.localdate()
        self.save(update_fields=["state", "submitted_on", "updated_at"])
        return change


class StateChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField("état précédent", max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField("nouvel état", max_length=20, choices=State.choices)
    at = models.DateTimeField("date", default=timezone.now)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "changement d'état"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"programme/{instance.application.reference}/{filename}"


class Attachment(models.Model):
    KINDS = {"pdf": "PDF", "odt": "OpenDocument texte (ODT)", "docx": "Word (DOCX)"}

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    label = models.CharField("intitulé", max_length=200)
    file = models.FileField("fichier", upload_to=attachment_path)
    original_name = models.CharField("nom d'origine", max_length=255)
    kind = models.CharField("format", max_length=8, choices=list(KINDS.items()))
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"


class ReviewAssignment(models.Model):
    """A juror asked to review a dossier; ``submitted_at`` set once their marks are final."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="programme_assignments")
    assigned_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField("appréciation générale", blank=True)
    submitted_at = models.DateTimeField("remise le", null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="programme_assignment_once")]
        indexes = [models.Index(fields=["reviewer", "application"], name="prog_assign_reviewer")]
        verbose_name = "attribution"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class ConflictDeclaration(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="programme_conflicts")
    reason = models.TextField("nature du conflit d'intérêts")
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="programme_conflict_once")]
        verbose_name = "déclaration de conflit d'intérêts"


class Score(models.Model):
    """A juror's mark on one criterion (with a comment)."""

    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField("note", validators=[MinValueValidator(0.0)])
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="programme_score_once")]
        verbose_name = "note"


class SelectionRun(Authored):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_runs")
    params = models.JSONField("paramètres", default=dict)
    candidates = models.JSONField("dossiers considérés", default=list)
    result = models.JSONField("résultat", default=dict)
    explanations = models.JSONField("explications", default=list)
    what_if = models.JSONField("variantes d'enveloppe", default=list, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "calcul de sélection"

    def __str__(self) -> str:
        return f"Sélection n° {self.pk} du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def explanation_for(self, reference: str) -> dict | None:
        return next((e for e in self.explanations if e["id"] == reference), None)


class Decision(Created):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    decision = models.CharField("décision", max_length=20, choices=[
        (State.ACCEPTE, "Acceptation"), (State.REFUSE, "Refus"), (State.SANS_SUITE, "Classement sans suite")])
    motivation = models.TextField("motivation", blank=True)
    amount = models.DecimalField("financement attribué (€)", max_digits=14, decimal_places=2, null=True, blank=True)
    selection_run = models.ForeignKey(SelectionRun, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="decisions")
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_on = models.DateField("date de la décision", default=date.today)

    class Meta:
        verbose_name = "décision"


class Milestone(models.Model):
    class Kind(models.TextChoices):
        LANCEMENT = "lancement", "Lancement"
        ACCES_DONNEES = "acces_donnees", "Accès aux données"
        PREMIER_MODELE = "premier_modele", "Premier modèle"
        TESTS_UTILISATEURS = "tests_utilisateurs", "Tests utilisateurs"
        DEMONSTRATION = "demonstration", "Démonstration finale"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("jalon", max_length=30, choices=Kind.choices)
    due = models.DateField("échéance")
    done_on = models.DateField("atteint le", null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="programme_milestone_once")]
        verbose_name = "jalon"


class CoachingQuerySet(models.QuerySet):
    def of_coach(self, user):
        """Coachings where ``user`` is the technical or the business coach."""
        return self.filter(models.Q(technical_coach=user) | models.Q(business_coach=user))


class Coaching(models.Model):
    """The coaching of a laureate; both coaches are platform accounts with the ``coach`` role."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="coaching")
    technical_coach = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                        verbose_name="coach technique")
    business_coach = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                       verbose_name="coach métier")
    starts = models.DateField("début de l'accompagnement")
    months = models.PositiveSmallIntegerField("durée (mois)", default=10)

    objects = CoachingQuerySet.as_manager()

    class Meta:
        verbose_name = "accompagnement"

    def is_coach(self, user) -> bool:
        return getattr(user, "pk", None) is not None and user.pk in (self.technical_coach_id, self.business_coach_id)


class MonthlyReport(Created):
    class Status(models.TextChoices):
        EN_BONNE_VOIE = "en_bonne_voie", "En bonne voie"
        VIGILANCE = "vigilance", "Points de vigilance"
        EN_DIFFICULTE = "en_difficulte", "En difficulté"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    month = models.DateField("mois")
    status = models.CharField("état d'avancement", max_length=20, choices=Status.choices)
    risks = models.TextField("risques", blank=True)
    budget_consumed = models.DecimalField("budget consommé (€)", max_digits=14, decimal_places=2,
                                          validators=[MinValueValidator(Decimal(0))],
                                          help_text="Cumul depuis le début de l'accompagnement.")
    comment = models.TextField("commentaire", blank=True)
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["application", "month"], name="programme_report_once")]
        verbose_name = "point mensuel"


class BudgetVersion(Created):
    """One version of a laureate's budget: version 1 is the amount granted by the decision, each revision
    adds a version (with its date, author and reason); earlier versions are kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_versions")
    number = models.PositiveSmallIntegerField("version")
    amount = models.DecimalField("budget (€)", max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    reason = models.TextField("motif")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="auteur")

    class Meta:
        ordering = ["application", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="programme_budget_version_once")]
        verbose_name = "version du budget"
        verbose_name_plural = "versions du budget"


class UserTestCampaign(Authored):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="test_campaigns",
                                    verbose_name="projet")
    title = models.CharField("intitulé", max_length=300)
    tasks = models.JSONField("tâches proposées", default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "campagne de tests utilisateurs"


class UserTestSession(models.Model):
    class Participant(models.TextChoices):
        AGENT = "agent", "Agent"
        USAGER = "usager", "Usager"

    campaign = models.ForeignKey(UserTestCampaign, on_delete=models.CASCADE, related_name="sessions")
    participant = models.CharField("participant", max_length=10, choices=Participant.choices)
    held_on = models.DateField("date")
    task_results = models.JSONField("réussite des tâches", default=list, blank=True)
    comment = models.TextField("commentaires", blank=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "séance de test"


class SusAnswer(models.Model):
    session = models.OneToOneField(UserTestSession, on_delete=models.CASCADE, related_name="sus")
    answers = models.JSONField("réponses (1 à 5)")
    score = models.FloatField("score SUS", validators=[MinValueValidator(0.0), MaxValueValidator(100.0)])

    class Meta:
        verbose_name = "questionnaire SUS"
