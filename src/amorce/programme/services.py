"""Django-side glue: persist what the pure modules compute (eligibility, scores, selection, letters).

Every write helper expects to run inside ``transaction.atomic`` (views and jobs open it).
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from amorce.core import formats as fr
from amorce.core.progress import Progress
from amorce.web.audit import record
from amorce.web.forms import check_uploads

from .errors import ProgrammeError
from .models import (
    Application,
    Attachment,
    Call,
    ConflictDeclaration,
    Decision,
    ReviewAssignment,
    Score,
    SelectionRun,
    State,
)

# --------------------------------------------------------------------------------------- attachments

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff_document(head: bytes, stream) -> str | None:
    """``pdf``, ``odt`` or ``docx`` from the file's content (never from its name), else ``None``."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    # OpenDocument: the first entry is an uncompressed "mimetype" file (bytes 30..38 name it).
    if head[30:38] == b"mimetype" and ODT_MIMETYPE in head[38:38 + 80]:
        return "odt"
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    return None


def check_upload(uploaded) -> str:
    """Validate an uploaded file (size, type by content); returns its kind or raises a :class:`ProgrammeError`."""
    problems = check_uploads([uploaded])  # empty file, size (in the units users read)
    if problems:
        raise ProgrammeError(problems[0])
    uploaded.seek(0)
    head = uploaded.read(128)
    kind = sniff_document(head, uploaded.file if hasattr(uploaded, "file") else uploaded)
    uploaded.seek(0)
    if kind is None:
        raise ProgrammeError(f"Le fichier « {uploaded.name} » n'est pas un document PDF, ODT ou DOCX (son "
                             "contenu a été vérifié, pas seulement son extension).")
    return kind


@transaction.atomic
def save_attachment(application: Application, uploaded, label: str, user) -> Attachment:
    kind = check_upload(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    safe_name = f"{digest.hexdigest()[:16]}.{kind}"
    attachment = Attachment(application=application, label=label, original_name=uploaded.name[:255], kind=kind,
                            size=uploaded.size, sha256=digest.hexdigest(), uploaded_by=user)
    attachment.file.save(safe_name, uploaded, save=False)
    attachment.save()
    return attachment


# ------------------------------------------------------------------------------- eligibility & AIA


def refresh_automatic_checks(application: Application, call: Call | None = None) -> None:
    """Recompute the automatic eligibility and the impact level (not saved)."""
    from .assessment import assess, validate_answers
    from .eligibility import check_eligibility

    call = call or application.call
    result = check_eligibility(application.as_pure_dict(), call.eligibility_rules())
    application.eligibility = result.to_dict()
    application.eligibility_auto = result.eligible
    if application.aia_answers and not validate_answers(application.aia_answers).problems:
        application.impact_level = assess(application.aia_answers).level
    else:
        application.impact_level = ""


@transaction.atomic
def confirm_eligibility(application: Application, *, eligible: bool, note: str, user, request=None) -> None:
    application.eligibility_confirmed = eligible
    application.eligibility_note = note
    application.eligibility_by = user
    application.eligibility_at = timezone.now()
    application.save(update_fields=["eligibility_confirmed", "eligibility_note", "eligibility_by",
                                    "eligibility_at", "updated_at"])
    record("programme_eligibilite", request=request, user=user, obj=application, eligible=eligible,
           automatic=application.eligibility_auto)


# ---------------------------------------------------------------------------------------- reviews


def visible_scores(assignment: ReviewAssignment | None, application: Application):
    """Other jurors' submitted reviews, only once the viewer's own review is submitted."""
    if assignment is None or not assignment.submitted:
        return []
    return list(application.assignments.filter(submitted_at__isnull=False).exclude(pk=assignment.pk)
                .select_related("reviewer").prefetch_related("scores__criterion"))


def submitted_marks(application: Application) -> list[dict[str, float]]:
    marks: dict[int, dict[str, float]] = {}
    for score in Score.objects.filter(assignment__application=application,
                                      assignment__submitted_at__isnull=False).select_related("criterion"):
        marks.setdefault(score.assignment_id, {})[score.criterion.code] = score.value
    return list(marks.values())


def recompute_score(application: Application) -> None:
    """Weighted score and disagreement flags from the submitted reviews (pure ``scoring``)."""
    from .scoring import average_marks, disagreements, weighted_score

    criteria = application.call.pure_criteria()
    jurors = [m for m in submitted_marks(application) if len(m) == len(criteria)]
    if jurors and criteria:
        application.score = weighted_score(average_marks(jurors, criteria), criteria)
        application.disagreements = disagreements(jurors, criteria)
    else:
        application.score = None
        application.disagreements = []
    application.review_count = len(jurors)
    application.save(update_fields=["score", "disagreements", "review_count", "updated_at"])


@transaction.atomic
def save_review(assignment: ReviewAssignment, marks: dict[str, tuple[float, str]], comment: str, *,
                submit: bool, request=None) -> None:
    criteria = {c.code: c for c in assignment.application.call.criteria.all()}
    for code, (value, note) in marks.items():
        Score.objects.update_or_create(assignment=assignment, criterion=criteria[code],
                                       defaults={"value": value, "comment": note})
    assignment.comment = comment
    if submit:
        assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["comment", "submitted_at"])
    if submit:
        recompute_score(assignment.application)
        record("programme_evaluation_remise", request=request, obj=assignment.application)


@transaction.atomic
def declare_conflict(application: Application, user, reason: str, *, request=None) -> ConflictDeclaration:
    declaration, _ = ConflictDeclaration.objects.update_or_create(application=application, reviewer=user,
                                                                  defaults={"reason": reason})
    # An unsubmitted review is withdrawn; a submitted one no longer counts either.
    ReviewAssignment.objects.filter(application=application, reviewer=user).delete()
    recompute_score(application)
    record("programme_conflit_interets", request=request, user=user, obj=application, reason=reason[:500])
    return declaration


# -------------------------------------------------------------------------------------- selection


def candidates_for(call: Call) -> list:
    """Selection input from the database: rounded weighted score, budget, ministry and family groups."""
    from .selection import Candidate

    rows = (Application.objects.eligible_for_selection(call)
            .order_by("reference").values_list("reference", "score", "budget", "ministry", "use_case_family", "title"))
    return [Candidate(id=ref, score=round(score, 2), budget=float(budget),
                      groups={"ministry": ministry, "family": family}, label=title)
            for ref, score, budget, ministry, family, title in rows]


def run_selection(call: Call, params: dict, *, user=None, progress: Progress | None = None) -> SelectionRun:
    """Solve the selection exactly, explain every dossier, compute the what-if; save a run (audited)."""
    from .errors import InfeasibleSelectionError
    from .scoring import SCORE_SCALE
    from .selection import budget_what_if, explain, select

    constraints = call.constraints(budget=params.get("budget"), min_count=params.get("min_count"),
                                   max_count=params.get("max_count"), max_per_ministry=params.get("max_per_ministry"),
                                   max_per_family=params.get("max_per_family"))
    candidates = candidates_for(call)
    run = SelectionRun(call=call, created_by=user, candidates=[
        {"id": c.id, "score": c.score, "budget": c.budget, "ministry": c.groups["ministry"],
         "family": c.groups["family"], "label": c.label} for c in candidates],
        params={"budget": constraints.budget, "min_count": constraints.min_count,
                "max_count": constraints.max_count, "group_caps": dict(constraints.group_caps),
                "what_if": list(params.get("what_if") or [])})
    if progress:
        progress(0.1, None, "Résolution exacte")
    try:
        selection = select(candidates, constraints)
    except InfeasibleSelectionError as exc:
        run.error = exc.message
        run.result = {}
    else:
        run.result = selection.to_dict()
        if progress:
            progress(0.3, None, "Explications dossier par dossier")
        run.explanations = [e.to_dict() for e in explain(candidates, constraints, selection, score_max=SCORE_SCALE)]
    if params.get("what_if"):
        if progress:
            progress(0.9, None, "Variantes d'enveloppe")
        run.what_if = [s.to_dict() for s in budget_what_if(candidates, constraints, params["what_if"])]
    with transaction.atomic():
        run.save()
        record("programme_selection", user=user, obj=run, call=call.slug, selected=run.result.get("selected"),
               error=run.error[:300])
    return run


DECISION_STATES = {State.ACCEPTE, State.REFUSE, State.SANS_SUITE}


@transaction.atomic
def decide(application: Application, decision: str, motivation: str, *, user, amount: Decimal | None = None,
           run: SelectionRun | None = None, request=None) -> Decision:
    """Record the decision, move the dossier to its final state (history), audit it."""
    from .letters import DecisionLetter

    if decision not in DECISION_STATES:
        raise ProgrammeError("Décision inconnue.")
    if decision != State.ACCEPTE and not motivation.strip():
        raise ProgrammeError("Un refus ou un classement sans suite doit être motivé.")
    application.transition(decision, by=user, comment=motivation)
    if decision == State.ACCEPTE and amount is None:
        amount = application.budget
    obj, _ = Decision.objects.update_or_create(application=application, defaults={
        "decision": decision, "motivation": motivation, "amount": amount if decision == State.ACCEPTE else None,
        "selection_run": run, "decided_by": user, "decided_on": timezone.localdate()})
    DecisionLetter(**letter_fields(application, obj))  # fails early on an invalid letter
    if decision == State.ACCEPTE:  # the follow-up plan exists from the decision (dashboard counters)
        ensure_follow_up_plan(application)
    record("programme_decision", request=request, user=user, obj=application, decision=decision,
           run=run.pk if run else None)
    return obj


def motivation_from_explanation(explanation: dict | None, selected: bool) -> str:
    if explanation:
        return " ".join(explanation.get("reasons") or [])
    return ("Le dossier fait partie de la sélection optimale sous l'enveloppe." if selected else
            "Le dossier ne fait pas partie de la sélection optimale sous l'enveloppe.")


# ------------------------------------------------------------------------------ letters & notices


def letter_fields(application: Application, decision: Decision) -> dict:
    call = application.call
    return dict(call_title=call.title, administration=call.administration, structure=application.structure,
                recipient=application.contact_name or "Madame, Monsieur le porteur du projet",
                project_title=application.title, dossier_ref=application.reference, decision=decision.decision,
                motivation=decision.motivation, contact=call.contact, issued_on=decision.decided_on,
                amount=float(decision.amount) if decision.amount is not None else None,
                coaching_months=call.coaching_months if decision.decision == State.ACCEPTE else None)


def letter_for(application: Application):
    from .letters import DecisionLetter

    return DecisionLetter(**letter_fields(application, application.decision))


def applicant_explanation_for(application: Application):
    """The R311-3-1-2 explanation (criteria, weights, this applicant's marks, operations)."""
    from .letters import applicant_explanation
    from .scoring import average_marks
    from .selection import DossierExplanation

    call = application.call
    criteria = call.pure_criteria()
    jurors = [m for m in submitted_marks(application) if len(m) == len(criteria)]
    if not jurors:
        return None
    run = getattr(getattr(application, "decision", None), "selection_run", None) or call.selection_runs.exclude(
        result={}).first()
    dossier_expl, laureates, constraints = None, None, run_constraints(run, call)
    if run is not None:
        data = run.explanation_for(application.reference)
        if data:
            dossier_expl = DossierExplanation(**{k: v for k, v in data.items()})
        laureates = len(run.result.get("selected") or [])
    return applicant_explanation(call_title=call.title, administration=call.administration, contact=call.contact,
                                 dossier_ref=application.reference, criteria=criteria,
                                 marks=average_marks(jurors, criteria), juror_count=len(jurors),
                                 constraints=constraints, selection_explanation=dossier_expl,
                                 laureate_count=laureates)


# ----------------------------------------------------------------------------------------- exports

EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "Numéro"), ("call__slug", "Appel"), ("state", "État"), ("structure", "Structure"),
    ("structure_kind", "Type de structure"), ("siret", "SIRET"), ("ministry", "Ministère"),
    ("use_case_family", "Famille de cas d'usage"), ("title", "Titre"), ("budget", "Budget demandé (€)"),
    ("submitted_on", "Date de dépôt"), ("eligibility_auto", "Éligible (règles)"),
    ("eligibility_confirmed", "Éligibilité confirmée"), ("impact_level", "Niveau d'impact"),
    ("score", "Score pondéré (sur 20)"), ("review_count", "Évaluations"), ("decision__decision", "Décision"),
)


def _cell(key: str, value):
    if value is None:
        return ""
    if key == "state":
        return State(value).label
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 2)
    return value


def export_rows(queryset) -> Iterable[list]:
    keys = [k for k, _ in EXPORT_COLUMNS]
    for row in queryset.values_list(*keys).iterator(chunk_size=2000):
        yield [_cell(k, v) for k, v in zip(keys, row, strict=True)]


def export_csv(queryset) -> bytes:
    from amorce.core.exports import csv_bytes

    return csv_bytes([label for _, label in EXPORT_COLUMNS], export_rows(queryset))


def export_ods(queryset) -> bytes:
    from amorce.core.exports import ods_bytes

    return ods_bytes("Dossiers", [label for _, label in EXPORT_COLUMNS], export_rows(queryset))


# ------------------------------------------------------------------------ Démarche Numérique import


def _kind_code(value) -> str:
    from .ds_import import normalise_label
    from .eligibility import STRUCTURE_KINDS

    text = str(value or "").strip()
    if text in STRUCTURE_KINDS:
        return text
    wanted = normalise_label(text)
    return next((code for code, label in STRUCTURE_KINDS.items()
                 if normalise_label(label) == wanted or normalise_label(label).startswith(wanted + " ")), "")


class DjangoApplicationRepository:
    """:class:`~amorce.programme.ds_import.ApplicationRepository` on the ``Application`` table of one call."""

    def __init__(self, call: Call, *, user=None) -> None:
        self.call = call
        self.user = user

    def get_by_ds_number(self, number: int):
        row = Application.objects.filter(ds_number=number).values("ds_fingerprint").first()
        return None if row is None else {"fingerprint": row["ds_fingerprint"]}

    def atomic(self):
        return transaction.atomic()

    def save(self, record) -> None:
        from datetime import date as date_type

        fields = record.get("fields") or {}
        applicant = record.get("applicant") or {}

        def text(name: str) -> str:
            value = fields.get(name)
            return "" if value is None else str(value)

        try:
            budget = Decimal(str(fields.get("budget") or 0))
        except ArithmeticError:
            budget = Decimal(0)
        deposited = record.get("deposited_at")
        values = dict(
            call=self.call, structure=text("structure_name")[:300], siret=(text("siret") or applicant.get("siret") or "")[:14],
            structure_kind=_kind_code(fields.get("structure_kind")), ministry=text("ministry")[:200],
            contact_email=(text("contact_email") or record.get("applicant_email") or "")[:254],
            contact_name=" ".join(filter(None, [applicant.get("prenom"), applicant.get("nom")]))[:200],
            title=(text("title") or f"Dossier n° {record['ds_number']}")[:300],
            use_case_family=text("use_case_family")[:200], problem=text("problem"), benefits=text("benefits"),
            data={"description": fields.get("data_description"), "personal_data": fields.get("personal_data")},
            budget=budget, submitted_on=date_type.fromisoformat(deposited[:10]) if deposited else None,
            ds_fingerprint=record["fingerprint"], ds_record=record, draft_step=0)
        app = Application.objects.filter(ds_number=record["ds_number"]).first()
        if app is None:
            app = Application(reference=f"DN-{record['ds_number']}", ds_number=record["ds_number"],
                              state=record["state"], **values)
            refresh_automatic_checks(app, self.call)
            app.save()
            app.history.create(from_state="", to_state=record["state"], by=self.user,
                               comment="Importé de Démarche Numérique.")
            return
        for key, value in values.items():
            setattr(app, key, value)
        refresh_automatic_checks(app, self.call)
        app.save()
        if app.state != record["state"]:  # decided on Démarche Numérique: follow it, with history
            app.history.create(from_state=app.state, to_state=record["state"], by=self.user,
                               comment="État mis à jour depuis Démarche Numérique.")
            app.state = record["state"]
            app.save(update_fields=["state", "updated_at"])


def import_from_demarche_numerique(call: Call, dossiers, mapping=None, *, user=None):
    """Idempotent upsert of fetched dossiers into ``call`` (all or nothing); returns the sync report."""
    from .ds_import import DEFAULT_MAPPING, sync

    report = sync(dossiers, mapping or DEFAULT_MAPPING, DjangoApplicationRepository(call, user=user))
    record("programme_import_ds", user=user, obj=call, **report.to_dict())
    return report


# ------------------------------------------------------------------------------------------ follow-up


def milestone_offsets(months: int) -> dict:
    """Month of each milestone of the follow-up plan of a ``months``-long coaching."""
    from .models import Milestone

    return {Milestone.Kind.LANCEMENT: 0, Milestone.Kind.ACCES_DONNEES: 1, Milestone.Kind.PREMIER_MODELE: 4,
            Milestone.Kind.TESTS_UTILISATEURS: months - 3, Milestone.Kind.DEMONSTRATION: months}


def ensure_follow_up_plan(app: Application) -> None:
    """The 10-month plan of a laureate (kick-off, data access, first model, user tests, final
    demonstration) and its coaching record, created once (idempotent)."""
    from datetime import timedelta

    from .models import Coaching, Milestone

    start = app.decision.decided_on if hasattr(app, "decision") else timezone.localdate()
    months = app.call.coaching_months
    with transaction.atomic():
        for kind, month in milestone_offsets(months).items():
            Milestone.objects.get_or_create(application=app, kind=kind,
                                            defaults={"due": start + timedelta(days=round(30.44 * month))})
        Coaching.objects.get_or_create(application=app, defaults={"starts": start, "months": months})
        ensure_initial_budget(app)


def ensure_initial_budget(app: Application):
    """Version 1 of a laureate's budget: the amount granted by the decision (else the requested one)."""
    from .models import BudgetVersion

    first = app.budget_versions.order_by("number").first()
    if first is not None:
        return first
    decision = getattr(app, "decision", None)
    if decision is not None and decision.amount:
        amount, reason = decision.amount, f"Budget accordé par la décision du {fr.date_fr(decision.decided_on)}."
    else:
        amount, reason = app.budget, "Budget demandé dans le dossier (la décision ne fixe pas de montant)."
    return BudgetVersion.objects.create(application=app, number=1, amount=amount, reason=reason,
                                        author=getattr(decision, "decided_by", None))


def consumed_share(consumed, budget) -> int | None:
    """Consumed budget as a whole percentage of the budget in force (``None`` when unknown)."""
    if consumed is None or not budget:
        return None
    return round(100 * consumed / budget)


def budget_consumed(app: Application) -> Decimal | None:
    """Budget consumed to date: the cumulative amount of the latest monthly report (``None`` if none)."""
    return app.reports.order_by("-month").values_list("budget_consumed", flat=True).first()


def _euros(amount: Decimal) -> str:
    return fr.amount(amount)


def revise_budget(app: Application, amount: Decimal, reason: str, *, user=None, request=None):
    """Add a version of the budget (the previous ones are kept); French error when it makes no sense."""
    from .models import BudgetVersion

    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=app.pk).first()  # one revision at a time
        ensure_initial_budget(app)
        current = app.budget_versions.order_by("-number").first()
        if amount == current.amount:
            raise ProgrammeError(f"Le montant est celui de la version en vigueur (version {current.number}).")
        consumed = budget_consumed(app)
        if consumed is not None and amount < consumed:
            raise ProgrammeError(f"Le budget révisé ({_euros(amount)}) est inférieur au budget déjà consommé "
                                 f"({_euros(consumed)}, dernier point mensuel).")
        version = BudgetVersion.objects.create(application=app, number=current.number + 1, amount=amount,
                                               reason=reason.strip(), author=user if getattr(
                                                   user, "is_authenticated", False) else None)
        record("programme_budget_revise", request=request, user=user, obj=app, version=version.number,
               amount=str(amount), previous=str(current.amount), reason=version.reason)
    return version


# ------------------------------------------------------------------------- calls and info meetings


def meetings_with_places(call: Call) -> list:
    """The information meetings of a call, each with ``registered``, ``left`` (places still free) and ``past``."""
    from django.db.models import Count

    now = timezone.now()
    meetings = list(call.meetings.annotate(registered=Count("registrations")))
    for meeting in meetings:
        meeting.left = max(0, meeting.capacity - meeting.registered)
        meeting.past = meeting.starts <= now  # no registration once it has begun
    return meetings


def register_for_meeting(meeting, data: dict):
    """Register someone to an information meeting; a French error when it is full or already done.

    The places are counted inside the (IMMEDIATE on SQLite) transaction: no overbooking under concurrency.
    """
    from django.db import IntegrityError

    from .errors import AlreadyDoneError
    from .models import InfoMeeting, Registration

    try:
        with transaction.atomic():
            locked = InfoMeeting.objects.select_for_update().get(pk=meeting.pk)
            if locked.starts <= timezone.now():
                raise ProgrammeError("Cette réunion d'information a déjà eu lieu : l'inscription est close.")
            if locked.registrations.count() >= locked.capacity:
                raise ProgrammeError("La réunion d'information est complète : plus aucune place disponible.")
            return Registration.objects.create(meeting=locked, **data)
    except IntegrityError as exc:
        raise AlreadyDoneError("Cette adresse électronique est déjà inscrite à cette réunion.") from exc


def run_constraints(run: SelectionRun | None, call: Call):
    """The selection constraints a run was computed with (the call's own when there is no run)."""
    from .selection import Constraints

    if run is None:
        return call.constraints()
    p = run.params
    return Constraints(budget=p["budget"], min_count=p["min_count"], max_count=p["max_count"],
                       group_caps=p.get("group_caps") or {})


def save_call(form, criteria, meetings, *, user=None, request=None) -> Call:
    """Save a call and its criteria and meetings (valid forms), in one transaction (audited)."""
    created = form.instance.pk is None
    with transaction.atomic():
        saved = form.save()
        criteria.instance = meetings.instance = saved
        criteria.save()
        meetings.save()
        record("programme_appel_cree" if created else "programme_appel_modifie", request=request, user=user,
               obj=saved, meetings=saved.meetings.count())
    return saved


def call_counts():
    """Every call with its dossiers counted by state and the total budget requested."""
    from django.db.models import Count, Q, Sum

    return Call.objects.annotate(
        total=Count("applications"),
        instruction=Count("applications", filter=Q(applications__state=State.EN_INSTRUCTION)),
        construction=Count("applications", filter=Q(applications__state=State.EN_CONSTRUCTION)),
        accepted=Count("applications", filter=Q(applications__state=State.ACCEPTE)),
        refused=Count("applications", filter=Q(applications__state__in=[State.REFUSE, State.SANS_SUITE])),
        requested=Sum("applications__budget"))


def laureates_follow_up() -> list[Application]:
    """The laureates with their milestones done, last monthly report and budget in force (dashboard)."""
    from django.db.models import Count, OuterRef, Q, Subquery

    from .models import BudgetVersion, MonthlyReport

    latest = MonthlyReport.objects.filter(application=OuterRef("pk")).order_by("-month")
    budget = BudgetVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    laureates = list(Application.objects.filter(state=State.ACCEPTE)
                     .select_related("call", "decision", "coaching__technical_coach", "coaching__business_coach")
                     .annotate(done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
                               milestones_total=Count("milestones", distinct=True),
                               last_status=Subquery(latest.values("status")[:1]),
                               last_month=Subquery(latest.values("month")[:1]),
                               consumed=Subquery(latest.values("budget_consumed")[:1]),
                               budget_amount=Subquery(budget.values("amount")[:1]),
                               budget_number=Subquery(budget.values("number")[:1])))
    statuses = dict(MonthlyReport.Status.choices)
    for app in laureates:
        if not app.milestones_total:  # decided before plans were made at decision time: the plan to come
            app.milestones_total = len(milestone_offsets(app.call.coaching_months))
        app.last_status_label = statuses.get(app.last_status, "")
        if app.budget_amount is None:  # no follow-up yet: what version 1 will be
            decision = getattr(app, "decision", None)
            app.budget_amount = decision.amount if decision is not None and decision.amount else app.budget
        app.consumed_share = consumed_share(app.consumed, app.budget_amount)
    return laureates


# --------------------------------------------------------------------------------- candidate deposit


def start_application(call: Call, owner) -> Application:
    """A new draft dossier of ``owner`` in ``call``, numbered after the call (history recorded)."""
    if not call.is_open:
        raise ProgrammeError("Cet appel n'est pas ouvert aux candidatures.")
    with transaction.atomic():
        count = Application.objects.filter(call=call).count() + 1
        reference = f"{call.slug.upper()[:20]}-{count:04d}"
        while Application.objects.filter(reference=reference).exists():
            count += 1
            reference = f"{call.slug.upper()[:20]}-{count:04d}"
        app = Application.objects.create(call=call, reference=reference, owner=owner, structure="",
                                         structure_kind="", siret="", ministry="", title="", use_case_family="")
        app.history.create(from_state="", to_state=State.EN_CONSTRUCTION, by=owner, comment="Brouillon créé.")
    return app


@transaction.atomic
def complete_step(app: Application, step: int) -> None:
    """After a step of the form is applied: the draft moves on, the automatic checks are refreshed."""
    app.draft_step = max(app.draft_step, step + 1)
    refresh_automatic_checks(app)  # impact level and eligibility, shown before submitting
    app.save()


def missing_steps(app: Application, titles: Sequence[str]) -> list[str]:
    """The titles of the steps of the form that the candidate has not completed yet."""
    return [title for i, title in enumerate(titles) if app.draft_step <= i + 1]


def assessment_of(app: Application):
    """The impact assessment of the dossier's answers (``None`` while they are missing or invalid)."""
    from .assessment import assess, validate_answers

    if app.aia_answers and not validate_answers(app.aia_answers).problems:
        return assess(app.aia_answers)
    return None


def submit_application(app: Application, missing: Sequence[str], *, user, request=None) -> None:
    """Deposit the dossier: it goes to instruction (history, audit); a French error when it cannot."""
    if missing:
        raise ProgrammeError("Complétez d'abord toutes les étapes : " + ", ".join(missing) + ".")
    if app.state != State.EN_CONSTRUCTION:
        raise ProgrammeError("Ce dossier est déjà déposé.")
    with transaction.atomic():
        app.submitted_on = timezone.localdate()
        refresh_automatic_checks(app)
        app.save()
        app.transition(State.EN_INSTRUCTION, by=user, comment="Dossier déposé par le candidat.")
        record("programme_depot", request=request, user=user, obj=app)


# ---------------------------------------------------------------------------------------- instruction


def change_state(app: Application, to: str, comment: str, *, user, request=None) -> None:
    """Move a dossier to another state of the workflow (history, audit)."""
    with transaction.atomic():
        app.transition(to, by=user, comment=comment)
        record("programme_changement_etat", request=request, user=user, obj=app, to=to)


def assign_reviewer(app: Application, reviewer, *, user, request=None) -> bool:
    """Assign a juror to the dossier (``False`` when already assigned); refused on a declared conflict."""
    if app.conflicts.filter(reviewer=reviewer).exists():
        raise ProgrammeError(f"{reviewer.username} a déclaré un conflit d'intérêts sur ce dossier.")
    with transaction.atomic():
        _, created = ReviewAssignment.objects.get_or_create(application=app, reviewer=reviewer,
                                                            defaults={"assigned_by": user})
        record("programme_attribution", request=request, user=user, obj=app, reviewer=reviewer.username)
    return created


# --------------------------------------------------------------------------- ranking and selection


def ranking(call: Call) -> tuple[list, list[Application]]:
    """The criteria and the eligible dossiers by weighted score, each with ``rank`` and ``marks`` (the
    average mark of each criterion over the submitted reviews)."""
    from django.db.models import Avg

    criteria = list(call.criteria.all())
    apps = list(Application.objects.eligible_for_selection(call).order_by("-score", "reference")
                .only("reference", "title", "score", "review_count", "disagreements", "consensus_note", "budget"))
    averages: dict[int, dict[str, float]] = {}
    for row in (Score.objects.filter(assignment__application__in=apps, assignment__submitted_at__isnull=False)
                .values("assignment__application_id", "criterion__code").annotate(avg=Avg("value"))):
        averages.setdefault(row["assignment__application_id"], {})[row["criterion__code"]] = row["avg"]
    for rank, app in enumerate(apps, start=1):
        app.rank = rank
        app.marks = [averages.get(app.pk, {}).get(c.code) for c in criteria]
        name_disagreements(app, criteria)
    return criteria, apps


def name_disagreements(app: Application, criteria) -> Application:
    """Set ``app.disagreement_labels``: the criteria the jury disagrees on, by their names (not codes)."""
    labels = {c.code: c.label for c in criteria}
    app.disagreement_labels = [labels.get(code, code) for code in app.disagreements or []]
    return app


def record_consensus(app: Application, note: str, *, reopen: bool, user=None, request=None) -> None:
    """The consensus meeting's note on a dossier; ``reopen`` sends the reviews back to the jurors."""
    with transaction.atomic():
        app.consensus_note = note
        app.consensus_at = timezone.now()
        app.save(update_fields=["consensus_note", "consensus_at", "updated_at"])
        if reopen:
            app.assignments.update(submitted_at=None)
            recompute_score(app)
        record("programme_consensus", request=request, user=user, obj=app, reopened=reopen)


def run_rows(run: SelectionRun) -> list[dict]:
    """The candidates of a run, selected first then by score, each with its explanation."""
    explanations = {e["id"]: e for e in run.explanations}
    selected = set(run.result.get("selected") or [])
    rows = [{**c, "selected": c["id"] in selected, "explanation": explanations.get(c["id"])} for c in run.candidates]
    rows.sort(key=lambda r: (not r["selected"], -r["score"]))
    return rows


def decide_from_run(run: SelectionRun, *, user, request=None) -> int:
    """Decide every dossier of the run still under instruction, motivated by its explanation."""
    if not run.result:
        raise ProgrammeError("Ce calcul n'a pas abouti : aucune décision ne peut en découler.")
    selected = set(run.result["selected"])
    count = 0
    with transaction.atomic():
        apps = Application.objects.filter(call=run.call, state=State.EN_INSTRUCTION,
                                          reference__in=[c["id"] for c in run.candidates]).select_related("call")
        for app in apps:
            chosen = app.reference in selected
            decide(app, State.ACCEPTE if chosen else State.REFUSE,
                   motivation_from_explanation(run.explanation_for(app.reference), chosen),
                   user=user, run=run, request=request)
            count += 1
    return count


def launch_job(kind: str, params: dict, *, label: str, audit: str, user, request=None, **details):
    """Queue a background job of the programme and audit it (one transaction)."""
    from amorce.web import jobs

    with transaction.atomic():
        job = jobs.enqueue(kind, params, user=user, label=label)
        record(audit, request=request, user=user, obj=job, **details)
    return job


# ------------------------------------------------------------------------------------------ follow-up


def add_monthly_report(app: Application, report, *, user, request=None) -> None:
    """Save a monthly report (an unsaved model) of a laureate; one per month."""
    from django.db import IntegrityError

    from .errors import AlreadyDoneError

    try:
        with transaction.atomic():
            report.application, report.author = app, user
            report.save()
            record("programme_point_mensuel", request=request, user=user, obj=app, month=str(report.month))
    except IntegrityError as exc:
        raise AlreadyDoneError("Un point mensuel existe déjà pour ce mois.") from exc


def prepare_follow_up(app: Application) -> None:
    """Create the follow-up plan (milestones, coaching, budget version 1) when a part of it is missing."""
    from .models import Coaching

    if (not app.milestones.exists() or not Coaching.objects.filter(application=app).exists()
            or not app.budget_versions.exists()):
        ensure_follow_up_plan(app)


def coach_rows(coach) -> list[dict]:
    """The laureates a coach accompanies: as which coach, and their last monthly report."""
    from django.db.models import OuterRef, Subquery

    from .models import Coaching, MonthlyReport

    latest = MonthlyReport.objects.filter(application=OuterRef("application")).order_by("-month")
    coachings = (Coaching.objects.of_coach(coach).filter(application__state=State.ACCEPTE)
                 .select_related("application", "application__call")
                 .annotate(last_status=Subquery(latest.values("status")[:1]),
                           last_month=Subquery(latest.values("month")[:1]))
                 .order_by("application__reference"))
    statuses = dict(MonthlyReport.Status.choices)
    return [{"app": c.application, "as": " et ".join(
                label for label, pk in (("technique", c.technical_coach_id), ("métier", c.business_coach_id))
                if pk == coach.pk),
             "last": f"{statuses[c.last_status]} ({c.last_month:%m/%Y})" if c.last_status else "—"}
            for c in coachings]


def set_coaches(app: Application, technical, business, *, user=None, request=None) -> None:
    """Name the technical and business coaches of a laureate (audited)."""
    from .models import Coaching

    with transaction.atomic():
        if not Coaching.objects.filter(application=app).exists():
            ensure_follow_up_plan(app)
        Coaching.objects.filter(application=app).update(technical_coach=technical, business_coach=business)
        record("programme_coachs", request=request, user=user, obj=app,
               technical_coach=getattr(technical, "username", ""),
               business_coach=getattr(business, "username", ""))


def toggle_milestone(milestone) -> None:
    """Mark a milestone done today, or not done when it was."""
    milestone.done_on = None if milestone.done_on else timezone.localdate()
    milestone.save(update_fields=["done_on"])


# ----------------------------------------------------------------------------------------- user tests


def create_campaign(app: Application, title: str, *, user):
    """A user-test campaign of a laureate's service."""
    from .models import UserTestCampaign

    title = (title or "").strip()
    if not title:
        raise ProgrammeError("Donnez un intitulé à la campagne.")
    return UserTestCampaign.objects.create(application=app, title=title[:300], created_by=user)


def record_test_session(campaign, *, participant: str, held_on, comment: str, tasks_done: int, tasks_total: int,
                        answers: list[int]):
    """One user-test session: the tasks succeeded and the SUS questionnaire with its score."""
    from .models import SusAnswer, UserTestSession
    from .sus import sus_score

    with transaction.atomic():
        session = UserTestSession.objects.create(
            campaign=campaign, participant=participant, held_on=held_on, comment=comment,
            task_results=[True] * tasks_done + [False] * (tasks_total - tasks_done))
        SusAnswer.objects.create(session=session, answers=answers, score=sus_score(answers))
    return session


def campaign_results(campaign) -> tuple[list, object, object]:
    """The sessions of a campaign, the SUS summary and the task success rate."""
    from .sus import summarise, task_success

    sessions = list(campaign.sessions.select_related("sus"))
    summary = summarise([s.sus.answers for s in sessions if hasattr(s, "sus")])
    success = task_success([ok for s in sessions for ok in s.task_results])
    return sessions, summary, success
