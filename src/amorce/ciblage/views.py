"""Pages of targeting: upload, training and scoring jobs, metrics, ranked list, explanations, plan.

Two roles (administrators pass too): inspectors (``inspecteur``) read the ranked list with its
reasons, the CRPA sheet of an establishment and the plans, and record the outcomes of their
inspections; inspection managers (``responsable_inspection``) have every inspector right and also
import data, run training/backtests and scoring, read model cards, metrics, the fairness audit and
drift, build and export plans (with their random share) and retrain. Long work (training, backtest,
scoring) runs as jobs; the pages only read what the jobs stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from amorce.core import formats
from amorce.core.errors import AmorceError, DataValidationError
from amorce.core.formats import date_fr
from amorce.web.audit import record_access
from amorce.web.forms import errors_to_messages
from amorce.web.roles import Role, has_role, role_required
from amorce.web.uploads import checked_copies

from . import forms as f
from . import services
from .models import Dataset, Plan, ScoreList, TrainedModel

SECTION = {"current_section": "ciblage"}
INSPECTION_ROLES = (Role.INSPECTEUR, Role.RESPONSABLE_INSPECTION)  # every page of ciblage
MANAGER_ROLES = (Role.RESPONSABLE_INSPECTION,)  # data, models, audits, plans, retraining
inspecteur = role_required(*INSPECTION_ROLES)
responsable = role_required(*MANAGER_ROLES)
RANKER_LABELS = {"model": "Modèle", "random": "Hasard", "last_outcome": "Dernier résultat d'abord",
                 "current_practice": "Plus ancienne inspection d'abord (pratique courante)"}
PAGE_SIZE = 50
CHARTED_CONTRIBUTIONS = 10  # the strongest contributions in the chart and its table; the list below has them all


def can_manage(user) -> bool:
    """Whether ``user`` may do the manager's part of ciblage (administrators may)."""
    return has_role(user, *MANAGER_ROLES)


def _render(request, template: str, context: dict, **kwargs):
    return render(request, template, {**SECTION, "can_manage": can_manage(request.user), **context}, **kwargs)


def _pct(value) -> str:
    return formats.percent(value, 1)


def _num(value, digits: int = 3) -> str:
    return formats.number(value, digits)


def metric_rows(backtest: dict) -> list[dict]:
    """One row per ranking (model, baselines) with the displayed metrics."""
    rows = []
    for name, m in (backtest.get("rankings") or {}).items():
        rows.append({"name": RANKER_LABELS.get(name, name), "is_model": name == "model",
                     "auc": _num(m.get("auc")), "p10": _pct(m.get("precision@10%")),
                     "r10": _pct(m.get("recall@10%")), "r20": _pct(m.get("recall@20%")),
                     "days": _num(m.get("days_earlier"), 1), "half": _pct(m.get("first_half_share")),
                     "half_actual": _pct(m.get("first_half_share_actual_order"))})
    return rows


def lift_rows(backtest: dict) -> list[dict]:
    rankers = backtest.get("rankings") or {}
    model = rankers.get("model", {}).get("lift_curve", [])
    random = rankers.get("random", {}).get("lift_curve", [])
    rows = []
    for i, point in enumerate(model):
        rows.append({"fraction": _pct(point["inspected_fraction"]), "found": _pct(point["found_share"]),
                     "lift": _num(point["lift"], 2),
                     "random": _pct(random[i]["found_share"]) if i < len(random) else "—"})
    return rows


def _crumbs(request, dataset=None, trained=None, scores=None) -> list[tuple[str, str]]:
    """Breadcrumb links; the dataset and model pages are the manager's, so inspectors do not get them."""
    from django.urls import reverse

    crumbs = []
    if not can_manage(request.user):
        dataset = trained = None
    if dataset is not None:
        crumbs.append((reverse("ciblage:dataset", args=[dataset.pk]), dataset.name))
    if trained is not None:
        crumbs.append((reverse("ciblage:model", args=[trained.pk]), trained.display_name))
    if scores is not None:
        crumbs.append((reverse("ciblage:score_list", args=[scores.pk]), f"Classement au {date_fr(scores.as_of)}"))
    return crumbs


# --------------------------------------------------------------------------------------- datasets


@inspecteur
def index(request):
    datasets = Dataset.objects.select_related("created_by").prefetch_related("models")
    recent = ScoreList.objects.select_related("model__dataset")[:10]
    plans = Plan.objects.select_related("score_list").order_by("-pk")[:10]
    return _render(request, "ciblage/index.html", {"title": "Ciblage des contrôles", "datasets": datasets,
                                                   "recent": recent, "plans": plans})


@responsable
def upload(request):
    form = f.UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.import_dataset(form.cleaned_data, user=request.user, request=request)
        except DataValidationError as exc:
            problems = [str(replace(p, file=Path(p.file).name if p.file else None)) for p in exc.problems]
        except AmorceError as exc:
            error = exc.message
        else:
            messages.success(request, f"Jeu de données « {dataset.name} » importé : "
                                      f"{dataset.summary.get('inspections', 0)} inspections.")
            return redirect("ciblage:dataset", pk=dataset.pk)
    status = 400 if request.method == "POST" else 200
    return _render(request, "ciblage/upload.html", {"title": "Importer des contrôles", "form": form,
                                                    "problems": problems, "error": error}, status=status)


@responsable
def dataset_detail(request, pk):
    dataset = get_object_or_404(Dataset, pk=pk)
    trained = list(dataset.models.all())
    for model in trained:
        model.rows = metric_rows(model.backtest)
        model.score_form = f.ScoreForm(initial={"as_of": model.as_of}, prefix=f"m{model.pk}")
    return _render(request, "ciblage/dataset.html", {
        "title": dataset.name, "dataset": dataset, "trained": trained, "train_form": f.TrainForm()})


@require_POST
@responsable
def train(request, pk):
    dataset = get_object_or_404(Dataset, pk=pk)
    form = f.TrainForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, form)
        return redirect("ciblage:dataset", pk=dataset.pk)
    job = services.launch_training(dataset, form.cleaned_data, user=request.user, request=request)
    messages.success(request, "Entraînement et backtest lancés.")
    return redirect("jobs:detail", pk=job.pk)


@require_POST
@responsable
def score(request, pk):
    trained = get_object_or_404(TrainedModel, pk=pk)
    form = f.ScoreForm(request.POST, prefix=f"m{trained.pk}")
    if not form.is_valid():
        messages.error(request, "Indiquez une date de score valide (AAAA-MM-JJ).")
        return redirect("ciblage:dataset", pk=trained.dataset_id)
    job = services.launch_scoring(trained, form.cleaned_data["as_of"], user=request.user, request=request)
    messages.success(request, "Classement lancé.")
    return redirect("jobs:detail", pk=job.pk)


# ----------------------------------------------------------------------------------------- models


@responsable
def model_detail(request, pk):
    trained = get_object_or_404(TrainedModel.objects.select_related("dataset"), pk=pk)
    from amorce.core.transparency import ModelCard

    from .views_charts import calibration_chart, lift_chart

    card = ModelCard.from_dict(trained.card)
    return _render(request, "ciblage/model.html", {
        "title": trained.display_name, "trained": trained, "crumbs": _crumbs(request, trained.dataset), "card_html": mark_safe(card.to_html()),  # noqa: S308 - escaped by to_html
        "rows": metric_rows(trained.backtest), "lift": lift_rows(trained.backtest),
        "calibration": calibration_rows(trained.backtest),
        "lift_chart": lift_chart(trained.backtest, RANKER_LABELS), "calibration_chart": calibration_chart(trained.backtest),
        "period": trained.backtest.get("period", {}), "backtest": trained.backtest,
        "score_lists": trained.score_lists.all(),
        "score_form": f.ScoreForm(initial={"as_of": trained.as_of}, prefix=f"m{trained.pk}")})


def calibration_rows(backtest: dict) -> list[dict]:
    return [{"predicted": _pct(r["predicted"]), "observed": _pct(r["observed"]), "n": r["n"]}
            for r in backtest.get("calibration") or []]


# ------------------------------------------------------------------------------------ score lists

@inspecteur
def score_list(request, pk):
    from .filters import CHOICE_FILTERS, RankedRows
    from .scoring import TIE_RULE

    scores = get_object_or_404(ScoreList.objects.select_related("model__dataset"), pk=pk)
    frame = scores.frame()
    choices = {key: sorted(v for v in frame[key].unique() if v) for key in CHOICE_FILTERS if key in frame}
    form = f.ListFilterForm(request.GET or None, choices=choices)
    if form.is_valid():
        frame = form.ranked_filter().filter(frame)
    page = Paginator(RankedRows(frame), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for row in rows:
        row["score_pct"] = _pct(row["score"])
    query = request.GET.copy()
    query.pop("page", None)
    return _render(request, "ciblage/score_list.html", {
        "title": f"Classement au {date_fr(scores.as_of)}", "scores": scores, "page": page, "rows": rows, "form": form,
        "crumbs": _crumbs(request, scores.model.dataset, scores.model),
        "filtered": len(frame), "query": query.urlencode(), "plan_form": f.PlanForm(), "tie_rule": TIE_RULE,
        "plans": scores.plans.all()})


@inspecteur
def explanation(request, pk, establishment_id):
    """The CRPA sheet (article R311-3-1-2) of one establishment's score."""
    from .explain import CONTRIBUTION_UNIT
    from .services import explain_score
    from .views_charts import contributions_chart

    scores = get_object_or_404(ScoreList.objects.select_related("model__dataset"), pk=pk)
    explained = explain_score(scores, establishment_id)
    if explained is None:
        raise Http404
    record_access("ciblage_explication_consultee", request=request, obj=scores, establishment=establishment_id)
    strongest = explained.contributions[:CHARTED_CONTRIBUTIONS]
    return _render(request, "ciblage/explanation.html", {
        "title": f"Explication — {establishment_id}", "scores": scores,
        "crumbs": _crumbs(request, scores.model.dataset, scores.model, scores), "row": explained.row,
        "contributions": explained.contributions, "strongest": strongest, "chart": contributions_chart(strongest),
        "contribution_unit": CONTRIBUTION_UNIT,
        "sheet_html": mark_safe(explained.sheet.to_html())})  # noqa: S308 - escaped by to_html


@responsable
def fairness(request, pk):
    """Fairness audit of the top of a ranked list: selection rate by département, activity, size,
    inspector and team; the alerts are the audit's own (:func:`amorce.ciblage.fairness.disparity`)."""
    import pandas as pd

    from .fairness import GROUP_LABELS, audit
    from .views_charts import fairness_chart

    scores = get_object_or_404(ScoreList.objects.select_related("model__dataset"), pk=pk)
    form = f.FairnessForm(request.GET or None, initial={"top": min(100, scores.count), "ratio": 1.25})
    report = None
    tables = []
    if form.is_valid():
        frame = scores.frame()[["establishment_id", "rank"]]
        frame["selected"] = frame["rank"].astype(int) <= form.cleaned_data["top"]
        report = audit(frame, scores.model.dataset.load(), ratio=form.cleaned_data["ratio"],
                       as_of=pd.Timestamp(scores.as_of))
        for name, table in report.groups.items():
            rows = [{"value": value, "n": int(r.count), "selected": int(r.selected),
                     "rate": _pct(float(r.selection_rate)), "rate_value": float(r.selection_rate),
                     "ratio": _num(float(r.selection_ratio), 2), "flagged": bool(r.selection_alert)}
                    for value, r in zip(table.index, table.itertuples(), strict=True)]
            label = GROUP_LABELS.get(name, name)
            tables.append({"name": label, "rows": rows, "chart": fairness_chart(
                label, rows, float(report.overall["selection_rate"]), report.ratio)})
    return _render(request, "ciblage/fairness.html", {
        "title": f"Audit d'équité — classement au {date_fr(scores.as_of)}", "scores": scores, "form": form,
        "report": report, "tables": tables, "overall_rate": _pct(report.overall["selection_rate"]) if report else "",
        "crumbs": _crumbs(request, scores.model.dataset, scores.model, scores)})


@responsable
def drift(request, pk):
    """Drift of features and scores (training rows against this ranked list) and hit rates of the
    model share against the random share of the plans made from this model."""
    import pandas as pd

    from .feedback import LEVEL_LABELS, STABLE, drift_against_training, hit_rates_over_time, record_outcomes
    from .plan import AT_RANDOM, BY_MODEL
    from .views_charts import hits_chart, psi_chart

    scores = get_object_or_404(ScoreList.objects.select_related("model__dataset"), pk=pk)
    trained = scores.model
    try:
        report = drift_against_training(trained.load(), trained.dataset.load(), pd.Timestamp(scores.as_of))
    except AmorceError as exc:
        messages.error(request, exc.message)
        return redirect("ciblage:score_list", pk=scores.pk)
    recorded = [record_outcomes(p.frame(), pd.DataFrame(p.outcomes))
                for p in Plan.objects.filter(score_list__model=trained).order_by("pk") if p.outcomes]
    hits = hit_rates_over_time(pd.concat(recorded, ignore_index=True)) if recorded else None

    def share(values: dict) -> dict:
        return {"n": values["inspections"], "events": values["events"], "rate": _pct(values["rate"]),
                "rate_value": values["rate"]}

    weeks = [{"day": date.fromisoformat(w["week"]), "model": share(w[BY_MODEL]), "random": share(w[AT_RANDOM])}
             for w in (hits["weeks"] if hits else [])]
    rows = [{**r, "psi_text": _num(r["psi"], 3), "level_label": LEVEL_LABELS[r["level"]],
             "stable": r["level"] == STABLE} for r in report["variables"]]
    warnings = [row for row in rows if not row["stable"]]
    return _render(request, "ciblage/drift.html", {
        "title": f"Dérive et suivi — classement au {date_fr(scores.as_of)}", "scores": scores, "trained": trained,
        "report": report, "rows": rows, "warnings": warnings, "hits": hits, "weeks": weeks,
        "psi_chart": psi_chart(rows) if rows else None, "hits_chart": hits_chart(weeks),
        "total": {"model": share(hits["total"][BY_MODEL]), "random": share(hits["total"][AT_RANDOM])} if hits else None,
        "crumbs": _crumbs(request, trained.dataset, trained, scores)})


# ------------------------------------------------------------------------------------------ plans


@require_POST
@responsable
def plan_create(request, pk):
    scores = get_object_or_404(ScoreList, pk=pk)
    form = f.PlanForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, form)
        return redirect("ciblage:score_list", pk=scores.pk)
    d = form.cleaned_data
    try:
        saved = services.create_plan(scores, d, user=request.user, request=request)
    except AmorceError as exc:
        messages.error(request, exc.message)
        return redirect("ciblage:score_list", pk=scores.pk)
    messages.success(request, f"Plan de {len(saved.rows)} contrôles sur {d['weeks']} semaine(s) enregistré.")
    return redirect("ciblage:plan", pk=saved.pk)


@inspecteur
def plan_detail(request, pk):
    from .plan import AT_RANDOM, BY_MODEL

    plan = get_object_or_404(Plan.objects.select_related("score_list__model__dataset"), pk=pk)
    rows = [{**r, "at_random": r["selection"] == AT_RANDOM} for r in plan.rows]
    random_count = sum(1 for r in rows if r["at_random"])
    feedback = plan.feedback or {}
    shares = [{"name": label, "n": feedback[key]["inspections"], "events": feedback[key]["events"],
               "rate": _pct(feedback[key]["rate"])}
              for key, label in ((BY_MODEL, "Choisis par le modèle"), (AT_RANDOM, "Tirés au hasard"))
              if key in feedback]
    return _render(request, "ciblage/plan.html", {
        "outcome_form": f.OutcomesForm(), "shares": shares, "feedback": feedback,
        "p_value": _num(feedback.get("one_sided_p_value"), 3) if "one_sided_p_value" in feedback else "",
        "ratio": _num(feedback.get("model_to_random_ratio"), 2)
        if "model_to_random_ratio" in feedback else "",
        "outcome_problems": request.session.pop("ciblage_outcome_problems", []),
        "title": str(plan), "plan": plan, "rows": rows,
        "crumbs": _crumbs(request, plan.score_list.model.dataset, plan.score_list.model, plan.score_list), "random_count": random_count,
        "model_count": len(rows) - random_count,
        "capacity": plan.capacity if isinstance(plan.capacity, dict) else {"toutes": plan.capacity}})


def read_outcomes(upload, known: set[str]) -> tuple[list[dict], list[str]]:
    """Parse a results CSV (establishment_id, date, outcome): rows, and every problem with its line."""
    from .importers import read_table
    from .schema import OUTCOMES_EXPECTED, outcome_severity, to_day

    try:
        with checked_copies([upload], default_name="resultats.csv") as (path,):
            frame, lines = read_table(path)
    except DataValidationError as exc:
        return [], [str(p) for p in exc.problems]
    except AmorceError as exc:
        return [], [exc.message]
    missing = [c for c in ("establishment_id", "date", "outcome") if c not in frame.columns]
    if missing:
        return [], [f"ligne 1 : colonne obligatoire absente : {c} — attendu : establishment_id, date, outcome"
                    for c in missing]
    problems, rows = [], []
    dates = to_day(frame["date"])
    for i, (est, day, outcome) in enumerate(zip(frame["establishment_id"], dates, frame["outcome"], strict=True)):
        line = int(lines[i])
        if est not in known:
            problems.append(f"ligne {line} : l'établissement « {est} » ne figure pas dans ce plan")
        if pd_isna(day):
            problems.append(f"ligne {line}, colonne « date » : date invalide (valeur lue : « {frame['date'].iloc[i]} ») "
                            "— attendu : une date AAAA-MM-JJ (ou JJ/MM/AAAA)")
        if outcome_severity(outcome) is None:
            problems.append(f"ligne {line}, colonne « outcome » : résultat d'inspection inconnu (valeur lue : "
                            f"« {outcome} ») — attendu : {OUTCOMES_EXPECTED}")
        if not problems:
            rows.append({"establishment_id": est, "date": day.date().isoformat(), "outcome": outcome})
    return rows, problems


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


@require_POST
@inspecteur
def plan_outcomes(request, pk):
    """Record the outcomes of planned inspections; compare the model share with the random share."""
    plan = get_object_or_404(Plan, pk=pk)
    form = f.OutcomesForm(request.POST, request.FILES)
    if not form.is_valid():
        errors_to_messages(request, form)
        return redirect("ciblage:plan", pk=plan.pk)
    rows, problems = read_outcomes(form.cleaned_data["file"], {r["establishment_id"] for r in plan.rows})
    if problems:
        request.session["ciblage_outcome_problems"] = problems[:500]
        messages.error(request, f"Le fichier de résultats contient {len(problems)} erreur(s) : rien n'a été enregistré.")
        return redirect("ciblage:plan", pk=plan.pk)
    services.record_plan_outcomes(plan, rows, user=request.user, request=request)
    messages.success(request, f"{len(rows)} résultat(s) enregistré(s) ; {len(plan.outcomes)} contrôle(s) du plan "
                              "renseigné(s).")
    return redirect("ciblage:plan", pk=plan.pk)


@require_POST
@responsable
def plan_retrain(request, pk):
    """Retrain on the dataset's history plus every outcome recorded in its plans (a new model version)."""
    plan = get_object_or_404(Plan.objects.select_related("score_list__model__dataset"), pk=pk)
    if not plan.outcomes:
        messages.error(request, "Saisissez d'abord les résultats des contrôles de ce plan.")
        return redirect("ciblage:plan", pk=plan.pk)
    job = services.launch_retraining(plan, user=request.user, request=request)
    messages.success(request, "Réentraînement lancé : l'historique et les résultats saisis dans les plans sont "
                              "réunis, puis un nouveau modèle (avec sa fiche) est entraîné et évalué.")
    return redirect("jobs:detail", pk=job.pk)


@responsable
def plan_inspections_csv(request, pk):
    """The recorded outcomes as canonical inspection rows, to add to the history before retraining."""
    import pandas as pd

    from .feedback import record_outcomes, to_canonical_inspections
    from .plan import write_frame_csv

    plan = get_object_or_404(Plan, pk=pk)
    if not plan.outcomes:
        raise Http404
    recorded = record_outcomes(plan.frame(), pd.DataFrame(plan.outcomes))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inspections-plan-{plan.pk}.csv"'
    write_frame_csv(to_canonical_inspections(recorded, prefix=f"plan{plan.pk}"), response)
    return response


@inspecteur  # inspectors carry out the plan: they take it away as CSV or into their calendar
def plan_csv(request, pk):
    from .plan import write_frame_csv

    plan = get_object_or_404(Plan, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-controles-{plan.pk}.csv"'
    write_frame_csv(plan.frame(), response)
    return response


@inspecteur
def plan_ics(request, pk):
    from .plan import plan_to_ics

    plan = get_object_or_404(Plan, pk=pk)
    response = HttpResponse(plan_to_ics(plan.frame(), uid_prefix=f"ciblage-plan{plan.pk}").encode("utf-8"),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-controles-{plan.pk}.ics"'
    return response


