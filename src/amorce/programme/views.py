"""Pages of the call for projects: public call, instruction, jury, selection, decisions, follow-up."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from amorce.core.errors import AmorceError
from amorce.web import jobs
from amorce.web.audit import record
from amorce.web.roles import Role, can_access_usecase, has_role, role_required

from . import forms as f
from . import services
from .models import (
    Application,
    Attachment,
    BudgetVersion,
    Call,
    Coaching,
    Decision,
    InfoMeeting,
    Milestone,
    MonthlyReport,
    Registration,
    ReviewAssignment,
    Score,
    SelectionRun,
    State,
    SusAnswer,
    TransitionError,
    UserTestCampaign,
    UserTestSession,
)

TEAM = (Role.EQUIPE_PROGRAMME,)
STAFF = (Role.EQUIPE_PROGRAMME, Role.INSTRUCTEUR)
COACHING = (Role.EQUIPE_PROGRAMME, Role.COACH)
SECTION = {"current_section": "programme"}


def _render(request, template: str, context: dict, **kwargs):
    return render(request, template, {**SECTION, **context}, **kwargs)


def _is_staff(user) -> bool:
    return has_role(user, *STAFF)


# ------------------------------------------------------------------------------------- public pages


def index(request):
    """Hub of the programme roles; other signed-in users see the public part (the calls).

    Anonymous visitors are sent to the login page; the public list of calls is :func:`call_list`.
    """
    user = request.user
    return _render(request, "programme/index.html", {
        "title": "Programme d'amorçage", "calls": Call.objects.filter(published=True),
        "hub": can_access_usecase(user, "programme"),
        "is_team": has_role(user, *TEAM), "is_staff": _is_staff(user), "is_jury": has_role(user, Role.JURY),
        "is_candidate": has_role(user, Role.CANDIDAT), "is_coach": has_role(user, Role.COACH)})


@login_not_required
def call_list(request):
    return _render(request, "programme/index.html", {"title": "Appels à projets",
                                                     "calls": Call.objects.filter(published=True)})


@login_not_required
def call_public(request, slug):
    call = get_object_or_404(Call.objects.prefetch_related("criteria"), slug=slug, published=True)
    meetings = list(call.meetings.annotate(registered=Count("registrations")))
    for meeting in meetings:
        meeting.left = max(0, meeting.capacity - meeting.registered)
    form = f.RegistrationForm()
    return _render(request, "programme/call_public.html", {
        "title": call.title, "call": call, "meetings": meetings, "form": form,
        "criteria": call.criteria.all(), "total_weight": sum(c.weight for c in call.criteria.all()),
        "can_apply": has_role(request.user, Role.CANDIDAT) and call.is_open})


@login_not_required
@require_POST
def meeting_register(request, slug, pk):
    meeting = get_object_or_404(InfoMeeting, pk=pk, call__slug=slug, call__published=True)
    form = f.RegistrationForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                # counted inside the (IMMEDIATE on SQLite) transaction: no overbooking under concurrency
                locked = InfoMeeting.objects.select_for_update().get(pk=meeting.pk)
                if locked.registrations.count() >= locked.capacity:
                    messages.error(request, "La réunion d'information est complète : plus aucune place disponible.")
                    return redirect("programme:call_public", slug=slug)
                Registration.objects.create(meeting=locked, **form.cleaned_data)
        except IntegrityError:
            messages.warning(request, "Cette adresse électronique est déjà inscrite à cette réunion.")
        else:
            messages.success(request, "Inscription enregistrée.")
        return redirect("programme:call_public", slug=slug)
    call = meeting.call
    meetings = list(call.meetings.annotate(registered=Count("registrations")))
    for m in meetings:
        m.left = max(0, m.capacity - m.registered)
    return _render(request, "programme/call_public.html", {
        "title": call.title, "call": call, "meetings": meetings, "form": form, "criteria": call.criteria.all(),
        "total_weight": sum(c.weight for c in call.criteria.all())}, status=400)


@login_not_required
def laureates(request, slug):
    call = get_object_or_404(Call, slug=slug, published=True)
    rows = (Application.objects.filter(call=call, state=State.ACCEPTE).select_related("decision")
            .order_by("reference").only("reference", "title", "structure", "ministry", "use_case_family",
                                        "decision__amount"))
    return _render(request, "programme/laureates.html", {"title": f"Lauréats — {call.title}", "call": call,
                                                         "rows": rows})


@login_not_required
def transparency(request, slug):
    from .letters import transparency_sheet_html

    call = get_object_or_404(Call, slug=slug, published=True)
    run = call.selection_runs.exclude(result={}).first()
    constraints = call.constraints()
    if run is not None:
        from .selection import Constraints

        p = run.params
        constraints = Constraints(budget=p["budget"], min_count=p["min_count"], max_count=p["max_count"],
                                  group_caps=p.get("group_caps") or {})
    sheet = transparency_sheet_html(call.title, call.administration, call.pure_criteria(), constraints)
    return _render(request, "programme/transparency.html", {"title": "Fiche de transparence", "call": call,
                                                            "sheet": sheet})


# -------------------------------------------------------------------------------- programme team


@role_required(*TEAM)
def dashboard(request):
    calls = Call.objects.annotate(
        total=Count("applications"),
        instruction=Count("applications", filter=Q(applications__state=State.EN_INSTRUCTION)),
        construction=Count("applications", filter=Q(applications__state=State.EN_CONSTRUCTION)),
        accepted=Count("applications", filter=Q(applications__state=State.ACCEPTE)),
        refused=Count("applications", filter=Q(applications__state__in=[State.REFUSE, State.SANS_SUITE])),
        requested=Sum("applications__budget"))
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
        app.last_status_label = statuses.get(app.last_status, "")
        if app.budget_amount is None:  # no follow-up yet: what version 1 will be
            decision = getattr(app, "decision", None)
            app.budget_amount = decision.amount if decision is not None and decision.amount else app.budget
        app.consumed_share = _share(app.consumed, app.budget_amount)
    return _render(request, "programme/dashboard.html", {"title": "Tableau de bord du programme", "calls": calls,
                                                         "laureates": laureates})


@role_required(*TEAM)
def call_edit(request, slug=None):
    call = get_object_or_404(Call, slug=slug) if slug else None
    form = f.CallForm(request.POST or None, instance=call)
    formset = f.CriterionFormSet(request.POST or None, instance=call or Call(), prefix="criteres")
    meetings = f.MeetingFormSet(request.POST or None, instance=call or Call(), prefix="reunions")
    if request.method == "POST" and form.is_valid() and formset.is_valid() and meetings.is_valid():
        with transaction.atomic():
            saved = form.save()
            formset.instance = meetings.instance = saved
            formset.save()
            meetings.save()
            record("programme_appel_modifie" if call else "programme_appel_cree", request=request, obj=saved,
                   reunions=saved.meetings.count())
        messages.success(request, "Appel enregistré.")
        return redirect("programme:call_public", slug=saved.slug)
    registrations = []
    if call is not None:
        registrations = list(call.meetings.prefetch_related(
            Prefetch("registrations", queryset=Registration.objects.order_by("created_at", "id"))))
    return _render(request, "programme/call_form.html", {
        "title": "Modifier l'appel" if call else "Créer un appel", "form": form, "formset": formset,
        "meetings": meetings, "call": call, "registrations": registrations},
        status=400 if request.method == "POST" else 200)


# ------------------------------------------------------------------------------------- instruction


def _filtered_dossiers(request):
    form = f.DossierFilterForm(request.GET or None)
    qs = Application.objects.all()
    if form.is_valid():
        d = form.cleaned_data
        if d.get("appel"):
            qs = qs.filter(call=d["appel"])
        if d.get("etat"):
            qs = qs.filter(state=d["etat"])
        if d.get("ministere"):
            qs = qs.filter(ministry=d["ministere"])
        if d.get("famille"):
            qs = qs.filter(use_case_family=d["famille"])
        if d.get("eligible") == "oui":
            qs = qs.filter(Q(eligibility_confirmed=True) | Q(eligibility_confirmed__isnull=True, eligibility_auto=True))
        elif d.get("eligible") == "non":
            qs = qs.filter(Q(eligibility_confirmed=False) | Q(eligibility_confirmed__isnull=True, eligibility_auto=False))
        elif d.get("eligible") == "a_confirmer":
            qs = qs.filter(eligibility_confirmed__isnull=True)
        if d.get("q"):
            term = d["q"]
            qs = qs.filter(Q(reference__iexact=term) | Q(title__icontains=term) | Q(structure__icontains=term))
    return form, qs.order_by("reference")


# Columns of the dossier list, read with ``values_list`` (no model instances: building 50 instances with
# their JSON fields cost more than the queries).
_LIST_COLUMNS = ("pk", "reference", "title", "structure", "ministry", "state", "eligibility_auto",
                 "eligibility_confirmed", "budget", "score", "review_count", "disagreements")


class _WindowPaginator(Paginator):
    """Paginator of the dossier list: a page selects its keys first (the OFFSET walks a narrow index; SQLite
    reads every wide row it skips otherwise), then only the listed columns of those rows, in one query.

    With ``single_pass`` (a text search, which scans every entry whatever the page), all matching keys are
    read once, in order, and give both the count and the page: one scan instead of two."""

    def __init__(self, object_list, per_page, *, single_pass: bool = False):
        super().__init__(object_list, per_page)
        self.keys = list(object_list.values_list("pk", flat=True)) if single_pass else None

    @cached_property
    def count(self):
        return len(self.keys) if self.keys is not None else self.object_list.count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.keys[bottom:top] if self.keys is not None else self.object_list.values("pk")[bottom:top]
        rows = list(Application.objects.filter(pk__in=keys).order_by("reference").values_list(*_LIST_COLUMNS))
        return self._get_page(rows, number, self)


_URL_SAFE = "!$&'()*+,;=~:@"  # what ``reverse()`` leaves unquoted in a path
_ROW_HTML = ('<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>\n'
             '    <td><p class="fr-badge fr-badge--sm {}">{}</p></td>\n'
             '    <td><p class="fr-badge fr-badge--sm {}">{}</p></td>\n'
             '    <td>{} €</td><td>{}</td>\n    <td>{}{}</td></tr>\n')
_DISAGREEMENT_HTML = ' <p class="fr-badge fr-badge--sm fr-badge--warning">Désaccord</p>'


def _dossier_rows_html(rows) -> str:
    """The table rows of the listed dossiers, built in Python from plain tuples (numbers formatted as
    ``floatformat`` does): resolving 13 variables per row in the template, with model attributes,
    ``{% url %}`` and number filters, was most of the page's cost. Every value is escaped with
    ``html.escape``, which escapes exactly the characters Django's ``escape`` does (& < > " '), without
    its lazy-string wrapper."""
    from html import escape

    from django.urls import reverse
    from django.utils.formats import get_format

    from .models import STATE_BADGES, eligibility_label

    states = dict(State.choices)
    thousands, decimal_sep = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    detail = reverse("programme:dossier_detail", args=["REF"]).removesuffix("REF/")
    html = []
    for (_pk, reference, title, structure, ministry, state, auto, confirmed, budget, score, review_count,
         disagreements) in rows:
        eligibility, eligibility_badge = eligibility_label(auto, confirmed)
        euros = f"{int(budget.quantize(Decimal(1), ROUND_HALF_UP)):,}".replace(",", thousands)
        mark = ("—" if score is None else
                str(Decimal(repr(score)).quantize(Decimal("0.01"), ROUND_HALF_UP)).replace(".", decimal_sep))
        html.append(_ROW_HTML.format(*(escape(str(v)) for v in (
            detail + quote(reference, safe=_URL_SAFE) + "/", reference, title, structure, ministry,
            STATE_BADGES.get(state, ""), states.get(state, state), eligibility_badge, eligibility, euros, mark,
            review_count)), _DISAGREEMENT_HTML if disagreements else ""))
    return mark_safe("".join(html))


@functools.lru_cache(maxsize=256)
def _filter_form_html(data: tuple | None, calls: tuple) -> str:
    """The rendered filter form for these GET values and this list of calls (part of the key, so a new
    call shows at once): rendering six DSFR fields and their select widgets cost about as much as the
    rest of the page. Bounded, per process."""
    from django.template.loader import render_to_string

    return render_to_string("programme/_dossier_filters.html",
                            {"form": f.DossierFilterForm(dict(data) if data is not None else None)})


@role_required(*STAFF)
def dossier_list(request):
    form, qs = _filtered_dossiers(request)
    searching = form.is_valid() and bool(form.cleaned_data.get("q"))
    page = _WindowPaginator(qs, 50, single_pass=searching).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    data = tuple((name, request.GET[name]) for name in form.fields if name in request.GET) if request.GET else None
    calls = tuple(Call.objects.values_list("slug", "title"))
    return _render(request, "programme/dossier_list.html", {
        "title": "Dossiers", "filters_html": _filter_form_html(data, calls), "page": page,
        "rows_html": _dossier_rows_html(page.object_list), "query": query})


@role_required(*STAFF)
def dossier_export(request, fmt):
    _, qs = _filtered_dossiers(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body, ctype = services.export_csv(qs), "text/csv; charset=utf-8"
    elif fmt == "ods":
        body, ctype = services.export_ods(qs), "application/vnd.oasis.opendocument.spreadsheet"
    else:
        raise Http404
    record("programme_export", request=request, format=fmt, filters=dict(request.GET.items()))
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="dossiers-{stamp}.{fmt}"'
    return response


def _staff_dossier(request, reference):
    if not _is_staff(request.user):
        raise PermissionDenied("Votre rôle ne permet pas d'accéder à cette page.")
    return get_object_or_404(Application.objects.select_related("call"), reference=reference)


@role_required(*STAFF)
def dossier_detail(request, reference):
    from .assessment import assess, validate_answers

    app = _staff_dossier(request, reference)
    assessment = assess(app.aia_answers) if app.aia_answers and not validate_answers(app.aia_answers).problems \
        else None
    assignments = app.assignments.select_related("reviewer").prefetch_related("scores__criterion")
    return _render(request, "programme/dossier_detail.html", {
        "title": f"Dossier {app.reference}", "app": app, "history": app.history.select_related("by"),
        "assessment": assessment, "assignments": assignments, "conflicts": app.conflicts.select_related("reviewer"),
        "attachments": app.attachments.all(), "criteria": app.call.criteria.all(),
        "eligibility_form": f.EligibilityForm(automatic=app.eligibility_auto, initial={
            "eligible": "oui" if app.is_eligible else "non", "note": app.eligibility_note}),
        "transition_form": f.TransitionForm(), "assign_form": f.AssignForm(),
        "attachment_form": f.AttachmentForm(), "decision_form": f.DecisionForm(),
        "is_team": has_role(request.user, *TEAM), "decision": getattr(app, "decision", None)})


def _back_with_errors(request, app, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*STAFF)
def dossier_eligibility(request, reference):
    app = _staff_dossier(request, reference)
    form = f.EligibilityForm(request.POST, automatic=app.eligibility_auto)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    with transaction.atomic():
        services.confirm_eligibility(app, eligible=form.cleaned_data["eligible"], note=form.cleaned_data["note"],
                                     user=request.user, request=request)
    messages.success(request, "Éligibilité enregistrée.")
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*STAFF)
def dossier_transition(request, reference):
    app = _staff_dossier(request, reference)
    form = f.TransitionForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    try:
        with transaction.atomic():
            app.transition(form.cleaned_data["to"], by=request.user, comment=form.cleaned_data["comment"])
            record("programme_changement_etat", request=request, obj=app, to=form.cleaned_data["to"])
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Dossier passé « {app.get_state_display()} ».")
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*STAFF)
def dossier_assign(request, reference):
    app = _staff_dossier(request, reference)
    form = f.AssignForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    reviewer = form.cleaned_data["reviewer"]
    if app.conflicts.filter(reviewer=reviewer).exists():
        messages.error(request, f"{reviewer.username} a déclaré un conflit d'intérêts sur ce dossier.")
    else:
        with transaction.atomic():
            _, created = ReviewAssignment.objects.get_or_create(application=app, reviewer=reviewer,
                                                                defaults={"assigned_by": request.user})
            record("programme_attribution", request=request, obj=app, reviewer=reviewer.username)
        messages.success(request, "Membre du jury désigné." if created else "Ce membre du jury était déjà désigné.")
    return redirect("programme:dossier_detail", reference=app.reference)


@require_POST
@role_required(*TEAM)
def dossier_decide(request, reference):
    app = _staff_dossier(request, reference)
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, app, form)
    d = form.cleaned_data
    try:
        with transaction.atomic():
            services.decide(app, d["decision"], d["motivation"], user=request.user, amount=d.get("amount"),
                            run=app.call.selection_runs.exclude(result={}).first(), request=request)
    except (TransitionError, ValidationError, AmorceError) as exc:
        messages.error(request, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "Décision enregistrée ; le courrier est disponible.")
    return redirect("programme:dossier_detail", reference=app.reference)


# --------------------------------------------------------------------------------------- attachments


def _can_read_dossier(user, app: Application) -> bool:
    if _is_staff(user) or (app.owner_id and app.owner_id == user.pk):
        return True
    return Application.objects.for_reviewer(user).filter(pk=app.pk).exists()


@require_POST
def attachment_upload(request, reference):
    app = get_object_or_404(Application, reference=reference)
    owner = app.owner_id == request.user.pk
    if not (_is_staff(request.user) or (owner and app.state == State.EN_CONSTRUCTION)):
        raise PermissionDenied("Vous ne pouvez pas ajouter de pièce à ce dossier.")
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with transaction.atomic():
            services.save_attachment(app, form.cleaned_data["file"], form.cleaned_data["label"], request.user)
        messages.success(request, "Pièce jointe ajoutée.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    target = "programme:dossier_detail" if _is_staff(request.user) else "programme:my_application"
    return redirect(target, reference=app.reference)


def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not _can_read_dossier(request.user, attachment.application):
        raise PermissionDenied("Vous n'avez pas accès à ce dossier.")
    content_type = {"pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text",
                    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[attachment.kind]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, content_type=content_type,
                        filename=attachment.original_name)


# ---------------------------------------------------------------------------------------------- jury


@role_required(Role.JURY)
def jury_list(request):
    assignments = (ReviewAssignment.objects.filter(reviewer=request.user)
                   .exclude(application__conflicts__reviewer=request.user)
                   .select_related("application", "application__call")
                   .order_by(F("submitted_at").asc(nulls_first=True), "application__reference"))
    return _render(request, "programme/jury_list.html", {"title": "Mes dossiers à évaluer",
                                                         "assignments": assignments})


@role_required(Role.JURY)
def jury_review(request, reference):
    # for_reviewer() never returns a dossier on which this juror declared a conflict
    app = get_object_or_404(Application.objects.for_reviewer(request.user).select_related("call"),
                            reference=reference)
    assignment = ReviewAssignment.objects.get(application=app, reviewer=request.user)
    criteria = list(app.call.criteria.all())
    existing = {s.criterion.code: s for s in assignment.scores.select_related("criterion")}
    initial = {"comment": assignment.comment}
    for code, s in existing.items():
        initial[f"note_{code}"], initial[f"commentaire_{code}"] = s.value, s.comment
    form = f.ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST":
        if assignment.submitted:
            messages.error(request, "Votre évaluation est déjà remise : elle ne peut plus être modifiée.")
            return redirect("programme:jury_review", reference=reference)
        if form.is_valid():
            submit = request.POST.get("action") == "remettre"
            with transaction.atomic():
                services.save_review(assignment, form.marks(), form.cleaned_data["comment"], submit=submit,
                                     request=request)
            messages.success(request, "Évaluation remise." if submit else "Brouillon d'évaluation enregistré.")
            return redirect("programme:jury_review", reference=reference)
    return _render(request, "programme/jury_review.html", {
        "title": f"Évaluation du dossier {app.reference}", "app": app, "assignment": assignment, "form": form,
        "existing": existing, "others": services.visible_scores(assignment, app), "criteria": criteria,
        "conflict_form": f.ConflictForm(), "attachments": app.attachments.all()},
        status=400 if request.method == "POST" else 200)


@require_POST
@role_required(Role.JURY)
def jury_conflict(request, reference):
    app = get_object_or_404(Application.objects.for_reviewer(request.user), reference=reference)
    form = f.ConflictForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []):
            messages.error(request, error)
        return redirect("programme:jury_review", reference=reference)
    with transaction.atomic():
        services.declare_conflict(app, request.user, form.cleaned_data["reason"], request=request)
    messages.success(request, "Conflit d'intérêts déclaré : le dossier vous est retiré.")
    return redirect("programme:jury_list")


# ------------------------------------------------------------------------ import, ranking, consensus


@role_required(*TEAM)
def call_import(request, slug):
    call = get_object_or_404(Call, slug=slug)
    form = f.DsImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            job = jobs.enqueue("programme.import_ds", {"call_id": call.pk, "demarche": d["demarche"],
                                                       "base_url": d["base_url"] or None, "mapping": d["mapping"]},
                               user=request.user, label=f"Import Démarche Numérique — {call.slug}")
            record("programme_import_ds_lance", request=request, obj=job, demarche=d["demarche"])
        messages.success(request, "Import lancé.")
        return redirect("jobs:detail", pk=job.pk)
    return _render(request, "programme/call_import.html", {"title": "Importer depuis Démarche Numérique",
                                                           "call": call, "form": form},
                   status=400 if request.method == "POST" else 200)


@role_required(*TEAM)
def call_push_ds(request, slug):
    """Write decisions and a private annotation back to Démarche Numérique (as a job)."""
    import os

    from .ds_import import TOKEN_VARIABLE
    from .ds_writeback import configured_instructeur, dossiers_to_push

    call = get_object_or_404(Call, slug=slug)
    initial = {"instructeur_id": configured_instructeur(), "references": request.GET.get("dossiers", "")}
    form = f.DsPushForm(request.POST or None, call=call, initial=initial)
    configured = bool(os.environ.get(TOKEN_VARIABLE))
    if request.method == "POST" and not configured:
        form.add_error(None, "Démarche Numérique n'est pas configuré sur ce serveur : la variable "
                             f"{TOKEN_VARIABLE} (jeton d'API) est absente. Demandez-la à l'administrateur.")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            job = jobs.enqueue("programme.push_ds", {
                "call_id": call.pk, "instructeur_id": d["instructeur_id"].strip(),
                "annotation_label": d["annotation_label"].strip() or None, "references": d["references"] or None,
                "base_url": d["base_url"] or None, "disable_notification": d["disable_notification"]},
                user=request.user, label=f"Écriture Démarche Numérique — {call.slug}")
            record("programme_ds_ecriture_lancee", request=request, obj=job, appel=call.slug,
                   dossiers=d["references"] or "tous")
        messages.success(request, "Écriture dans Démarche Numérique lancée.")
        return redirect("jobs:detail", pk=job.pk)
    pending = dossiers_to_push(call)
    return _render(request, "programme/call_push_ds.html", {
        "title": "Écrire dans Démarche Numérique", "call": call, "form": form, "configured": configured,
        "imported": pending.count(), "decided": pending.filter(decision__isnull=False).count()},
        status=400 if request.method == "POST" else 200)


@role_required(*TEAM)
def ranking(request, slug):
    """Final ranking by weighted score, per-criterion averages, disagreements to settle in consensus."""
    from django.db.models import Avg

    call = get_object_or_404(Call, slug=slug)
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
    return _render(request, "programme/ranking.html", {"title": f"Classement — {call.slug}", "call": call,
                                                       "criteria": criteria, "apps": apps,
                                                       "form": f.ConsensusForm()})


@require_POST
@role_required(*TEAM)
def consensus(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference)
    form = f.ConsensusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programme:ranking", slug=app.call.slug)
    with transaction.atomic():
        app.consensus_note = form.cleaned_data["note"]
        app.consensus_at = timezone.now()
        app.save(update_fields=["consensus_note", "consensus_at", "updated_at"])
        if form.cleaned_data["reopen"]:
            app.assignments.update(submitted_at=None)
            services.recompute_score(app)
        record("programme_consensus", request=request, obj=app, reopened=form.cleaned_data["reopen"])
    messages.success(request, "Séance de consensus enregistrée" + (" ; les évaluations sont rouvertes."
                                                                  if form.cleaned_data["reopen"] else "."))
    return redirect("programme:ranking", slug=app.call.slug)


# ----------------------------------------------------------------------------------------- selection


@role_required(*TEAM)
def selection(request, slug):
    call = get_object_or_404(Call, slug=slug)
    initial = {"budget": call.budget, "min_count": call.min_laureates, "max_count": call.max_laureates,
               "max_per_ministry": call.max_per_ministry, "max_per_family": call.max_per_family}
    form = f.SelectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = jobs.enqueue("programme.select", {"call_id": call.pk, "params": form.params()}, user=request.user,
                               label=f"Sélection des lauréats — {call.slug}")
            record("programme_selection_lancee", request=request, obj=job, call=call.slug)
        messages.success(request, "Calcul de la sélection lancé : le résultat apparaîtra dans la liste des calculs.")
        return redirect("jobs:detail", pk=job.pk)
    return _render(request, "programme/selection.html", {
        "title": f"Sélection des lauréats — {call.slug}", "call": call, "form": form,
        "runs": call.selection_runs.select_related("created_by")[:20],
        "eligible_count": len(services.candidates_for(call))}, status=400 if request.method == "POST" else 200)


def _run_rows(run: SelectionRun) -> list[dict]:
    explanations = {e["id"]: e for e in run.explanations}
    selected = set(run.result.get("selected") or [])
    rows = [{**c, "selected": c["id"] in selected, "explanation": explanations.get(c["id"])} for c in run.candidates]
    rows.sort(key=lambda r: (not r["selected"], -r["score"]))
    return rows


@role_required(*TEAM)
def selection_run(request, pk):
    run = get_object_or_404(SelectionRun.objects.select_related("call", "created_by"), pk=pk)
    decided = set(Decision.objects.filter(application__call=run.call).values_list("application__reference",
                                                                                  flat=True))
    return _render(request, "programme/selection_run.html", {
        "title": str(run), "run": run, "rows": _run_rows(run), "decided": decided})


@require_POST
@role_required(*TEAM)
def selection_decide(request, pk):
    """Decisions for every dossier of the run still under instruction, motivated by its explanation."""
    run = get_object_or_404(SelectionRun.objects.select_related("call"), pk=pk)
    if not run.result:
        messages.error(request, "Ce calcul n'a pas abouti : aucune décision ne peut en découler.")
        return redirect("programme:selection_run", pk=run.pk)
    selected = set(run.result["selected"])
    count = 0
    with transaction.atomic():
        apps = Application.objects.filter(call=run.call, state=State.EN_INSTRUCTION,
                                          reference__in=[c["id"] for c in run.candidates]).select_related("call")
        for app in apps:
            chosen = app.reference in selected
            services.decide(app, State.ACCEPTE if chosen else State.REFUSE,
                            services.motivation_from_explanation(run.explanation_for(app.reference), chosen),
                            user=request.user, run=run, request=request)
            count += 1
    messages.success(request, f"{count} décisions enregistrées à partir du calcul n° {run.pk}.")
    return redirect("programme:selection_run", pk=run.pk)


# -------------------------------------------------------------------------------- letters, notices


def _decided_dossier(request, reference):
    app = get_object_or_404(Application.objects.select_related("call", "decision"), reference=reference)
    if not (_is_staff(request.user) or (app.owner_id and app.owner_id == request.user.pk)):
        raise PermissionDenied("Vous n'avez pas accès à ce dossier.")
    if not hasattr(app, "decision"):
        raise Http404("Aucune décision n'a encore été prise sur ce dossier.")
    return app


def letter(request, reference):
    app = _decided_dossier(request, reference)
    letter = services.letter_for(app)
    paragraphs = letter.paragraphs()
    return _render(request, "programme/letter.html", {"title": letter.subject, "app": app, "letter": letter,
                                                      "body": paragraphs[:-1], "mention": paragraphs[-1]})


def letter_pdf(request, reference):
    from .letters import render_letter_pdf

    app = _decided_dossier(request, reference)
    data = render_letter_pdf(services.letter_for(app), explanation=services.applicant_explanation_for(app))
    record("programme_courrier_telecharge", request=request, obj=app)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{app.reference}.pdf"'
    return response


def letter_html_file(request, reference):
    from .letters import render_letter_html

    app = _decided_dossier(request, reference)
    html = render_letter_html(services.letter_for(app), explanation=services.applicant_explanation_for(app))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decision-{app.reference}.html"'
    return response


def explanation(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference)
    if not (_is_staff(request.user) or (app.owner_id and app.owner_id == request.user.pk)):
        raise PermissionDenied("Vous n'avez pas accès à ce dossier.")
    expl = services.applicant_explanation_for(app)
    if expl is None:
        raise Http404("Ce dossier n'a pas encore été évalué par le jury.")
    record("programme_explication_demandee", request=request, obj=app)
    return _render(request, "programme/explanation.html", {"title": f"Explication — {app.reference}", "app": app,
                                                           "explanation_html": expl.to_html()})


# ----------------------------------------------------------------------------------------- candidate


@role_required(Role.CANDIDAT)
def my_applications(request):
    apps = Application.objects.filter(owner=request.user).select_related("call").order_by("-updated_at")
    calls = Call.objects.filter(published=True, opens__lte=timezone.localdate(), closes__gte=timezone.localdate())
    return _render(request, "programme/my_applications.html", {"title": "Mes candidatures", "apps": apps,
                                                               "open_calls": calls})


@role_required(Role.CANDIDAT)
def my_application(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, owner=request.user)
    return _render(request, "programme/my_application.html", {
        "title": f"Candidature {app.reference}", "app": app, "history": app.history.all(),
        "attachments": app.attachments.all(), "attachment_form": f.AttachmentForm(),
        "decision": getattr(app, "decision", None), "steps": [s.title_fr for s in f.STEPS]})


@require_POST
@role_required(Role.CANDIDAT)
def application_start(request, slug):
    call = get_object_or_404(Call, slug=slug, published=True)
    if not call.is_open:
        messages.error(request, "Cet appel n'est pas ouvert aux candidatures.")
        return redirect("programme:call_public", slug=slug)
    with transaction.atomic():
        count = Application.objects.filter(call=call).count() + 1
        reference = f"{call.slug.upper()[:20]}-{count:04d}"
        while Application.objects.filter(reference=reference).exists():
            count += 1
            reference = f"{call.slug.upper()[:20]}-{count:04d}"
        app = Application.objects.create(call=call, reference=reference, owner=request.user, structure="",
                                         structure_kind="", siret="", ministry="", title="", use_case_family="")
        app.history.create(from_state="", to_state=State.EN_CONSTRUCTION, by=request.user,
                           comment="Brouillon créé.")
    return redirect("programme:application_step", reference=app.reference, step=1)


@role_required(Role.CANDIDAT)
def application_step(request, reference, step):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, owner=request.user)
    if app.state != State.EN_CONSTRUCTION:
        messages.error(request, "Ce dossier est déposé : il ne peut plus être modifié.")
        return redirect("programme:my_application", reference=reference)
    if not 1 <= step <= len(f.STEPS):
        raise Http404
    step_class = f.STEPS[step - 1]
    kwargs = {"instance": app} if issubclass(step_class, f.forms.ModelForm) else {}
    form = step_class(request.POST or None, initial=f.step_initial(step_class, app), **kwargs)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            f.apply_step(form, app)
            app.draft_step = max(app.draft_step, step + 1)
            services.refresh_automatic_checks(app)  # impact level and eligibility, shown before submitting
            app.save()
        if step < len(f.STEPS):
            messages.success(request, "Étape enregistrée (brouillon).")
            return redirect("programme:application_step", reference=reference, step=step + 1)
        return redirect("programme:application_submit", reference=reference)
    return _render(request, "programme/application_step.html", {
        "title": f"Candidature {app.reference} — {step_class.title_fr}", "app": app, "form": form, "step": step,
        "steps": [(i, s.title_fr) for i, s in enumerate(f.STEPS, start=1)], "total": len(f.STEPS)},
        status=400 if request.method == "POST" else 200)


@role_required(Role.CANDIDAT)
def application_submit(request, reference):
    from .assessment import assess, validate_answers

    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, owner=request.user)
    missing = [title for i, (title) in enumerate(s.title_fr for s in f.STEPS) if app.draft_step <= i + 1]
    services.refresh_automatic_checks(app)
    assessment = assess(app.aia_answers) if app.aia_answers and not validate_answers(app.aia_answers).problems \
        else None
    if request.method == "POST":
        if missing:
            messages.error(request, "Complétez d'abord toutes les étapes : " + ", ".join(missing) + ".")
        elif app.state != State.EN_CONSTRUCTION:
            messages.error(request, "Ce dossier est déjà déposé.")
        else:
            with transaction.atomic():
                app.submitted_on = timezone.localdate()
                services.refresh_automatic_checks(app)
                app.save()
                app.transition(State.EN_INSTRUCTION, by=request.user, comment="Dossier déposé par le candidat.")
                record("programme_depot", request=request, obj=app)
            messages.success(request, "Votre dossier est déposé : il passe en instruction.")
            return redirect("programme:my_application", reference=reference)
    return _render(request, "programme/application_submit.html", {
        "title": f"Dépôt de la candidature {app.reference}", "app": app, "missing": missing,
        "assessment": assessment})


# ------------------------------------------------------------------------- follow-up and user tests


def _follow_up_app(request, reference) -> tuple[Application, bool]:
    """The laureate and whether the user is of the programme team; a coach only reaches the laureates
    they coach (technical or business coach), anyone else gets a 403."""
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, state=State.ACCEPTE)
    is_team = has_role(request.user, *TEAM)
    if not is_team:
        coaching = Coaching.objects.filter(application=app).first()
        if coaching is None or not coaching.is_coach(request.user):
            raise PermissionDenied("Vous n'accompagnez pas ce lauréat.")
    return app, is_team


@role_required(*COACHING)
def follow_up(request, reference):
    app, is_team = _follow_up_app(request, reference)
    form = f.MonthlyReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                report = form.save(commit=False)
                report.application, report.author = app, request.user
                report.save()
                record("programme_point_mensuel", request=request, obj=app, mois=str(report.month))
        except IntegrityError:
            form.add_error("month", "Un point mensuel existe déjà pour ce mois.")
        else:
            messages.success(request, "Point mensuel enregistré.")
            return redirect("programme:follow_up", reference=reference)
    if (not app.milestones.exists() or not Coaching.objects.filter(application=app).exists()
            or not app.budget_versions.exists()):
        services.ensure_follow_up_plan(app)
    coaching = Coaching.objects.filter(application=app).select_related("technical_coach", "business_coach").first()
    versions = list(app.budget_versions.select_related("author"))
    consumed = services.budget_consumed(app)
    return _render(request, "programme/follow_up.html", {
        "title": f"Suivi — {app.reference}", "app": app, "milestones": app.milestones.all(), "coaching": coaching,
        "reports": app.reports.select_related("author"), "form": form, "is_team": is_team,
        "budget_versions": versions, "budget": versions[0] if versions else None, "consumed": consumed,
        "consumed_share": _share(consumed, versions[0].amount if versions else None),
        "budget_form": f.BudgetRevisionForm(),
        "coaching_form": f.CoachingForm(initial={"technical_coach": getattr(coaching, "technical_coach_id", None),
                                                 "business_coach": getattr(coaching, "business_coach_id", None)}),
        "campaigns": app.test_campaigns.all()}, status=400 if request.method == "POST" else 200)


def _share(consumed, budget) -> int | None:
    """Consumed budget as a whole percentage of the budget in force (``None`` when unknown)."""
    if consumed is None or not budget:
        return None
    return round(100 * consumed / budget)


@require_POST
@role_required(*TEAM)
def budget_revise(request, reference):
    app = get_object_or_404(Application.objects.select_related("call"), reference=reference, state=State.ACCEPTE)
    form = f.BudgetRevisionForm(request.POST)
    if form.is_valid():
        try:
            version = services.revise_budget(app, form.cleaned_data["amount"], form.cleaned_data["reason"],
                                             user=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Budget révisé : version {version.number} en vigueur.")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label} : {errors[0]}")
    return redirect("programme:follow_up", reference=reference)


@role_required(Role.COACH)
def my_coachings(request):
    """The laureates the signed-in coach accompanies (and only those)."""
    latest = MonthlyReport.objects.filter(application=OuterRef("application")).order_by("-month")
    coachings = (Coaching.objects.of_coach(request.user).filter(application__state=State.ACCEPTE)
                 .select_related("application", "application__call")
                 .annotate(last_status=Subquery(latest.values("status")[:1]),
                           last_month=Subquery(latest.values("month")[:1]))
                 .order_by("application__reference"))
    statuses = dict(MonthlyReport.Status.choices)
    rows = [{"app": c.application, "as": " et ".join(
                label for label, pk in (("technique", c.technical_coach_id), ("métier", c.business_coach_id))
                if pk == request.user.pk),
             "last": f"{statuses[c.last_status]} ({c.last_month:%m/%Y})" if c.last_status else "—"}
            for c in coachings]
    return _render(request, "programme/my_coachings.html", {"title": "Lauréats que j'accompagne", "rows": rows})


@require_POST
@role_required(*TEAM)
def coaches(request, reference):
    app = get_object_or_404(Application, reference=reference, state=State.ACCEPTE)
    form = f.CoachingForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            if not Coaching.objects.filter(application=app).exists():
                services.ensure_follow_up_plan(app)
            Coaching.objects.filter(application=app).update(technical_coach=d["technical_coach"],
                                                            business_coach=d["business_coach"])
            record("programme_coachs", request=request, obj=app,
                   coach_technique=getattr(d["technical_coach"], "username", ""),
                   coach_metier=getattr(d["business_coach"], "username", ""))
        messages.success(request, "Coachs enregistrés.")
    else:
        messages.error(request, "Choisissez les coachs parmi les comptes ayant le rôle « Coach d'accompagnement ».")
    return redirect("programme:follow_up", reference=reference)


@require_POST
@role_required(*TEAM)
def milestone_done(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("application"), pk=pk)
    milestone.done_on = None if milestone.done_on else timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return redirect("programme:follow_up", reference=milestone.application.reference)


@role_required(*TEAM)
def campaign_create(request, reference):
    app = get_object_or_404(Application, reference=reference, state=State.ACCEPTE)
    if request.method == "POST":
        title = (request.POST.get("title") or "").strip()
        if not title:
            messages.error(request, "Donnez un intitulé à la campagne.")
        else:
            with transaction.atomic():
                campaign = UserTestCampaign.objects.create(application=app, title=title[:300], created_by=request.user)
            return redirect("programme:campaign", pk=campaign.pk)
    return redirect("programme:follow_up", reference=reference)


@role_required(*TEAM)
def campaign(request, pk):
    from .sus import ITEMS_FR, summarise, sus_score, task_success

    campaign = get_object_or_404(UserTestCampaign.objects.select_related("application"), pk=pk)
    form = f.SusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        answers = form.answers()
        with transaction.atomic():
            session = UserTestSession.objects.create(
                campaign=campaign, participant=d["participant"], held_on=d["held_on"], comment=d["comment"],
                task_results=[True] * d["tasks_done"] + [False] * (d["tasks_total"] - d["tasks_done"]))
            SusAnswer.objects.create(session=session, answers=answers, score=sus_score(answers))
        messages.success(request, "Séance enregistrée.")
        return redirect("programme:campaign", pk=campaign.pk)
    sessions = list(campaign.sessions.select_related("sus"))
    summary = summarise([s.sus.answers for s in sessions if hasattr(s, "sus")])
    success = task_success([ok for s in sessions for ok in s.task_results])
    return _render(request, "programme/campaign.html", {
        "title": campaign.title, "campaign": campaign, "sessions": sessions, "summary": summary, "success": success,
        "form": form, "items": ITEMS_FR}, status=400 if request.method == "POST" else 200)

