"""Review interface of pseudonymised decisions (in the manner of the Cour de cassation's Label):
import, queue (most doubtful first), review with highlighted entities, corrections, validation,
export of validated decisions."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from amorce.core import formats
from amorce.core.errors import AmorceError, DataValidationError
from amorce.web import jobs
from amorce.web.audit import record
from amorce.web.forms import errors_to_messages
from amorce.web.roles import usecase_required

from . import forms as f
from .errors import DecisionsError
from .models import Correction, Decision, Entity
from .schema import Decision as PureDecision
from .schema import Entity as PureEntity
from .schema import entity_key
from .taxonomy import CATEGORIES, Policy

SECTION = {"current_section": "decisions"}
reviewer_required = usecase_required("decisions")
EXPORTABLE = (Decision.Status.VALIDATED, Decision.Status.PUBLISHED)


def _render(request, template: str, context: dict, **kwargs):
    return render(request, template, {**SECTION, **context}, **kwargs)


# ------------------------------------------------------------------------------ pseudonymised text
def pure_entities(decision: Decision) -> list[PureEntity]:
    return [PureEntity(start=e.start, end=e.end, category=e.category, text=e.text, score=1.0 - e.doubt,
                       source=e.detector or e.source, entity_id=entity_key(e.category, e.text))
            for e in decision.entities.all()]


def pseudonymised(decision: Decision) -> tuple[str, list[PureEntity]]:
    """The text recomputed from the current entities with the pure module's replacement logic
    (Label patterns, same entity → same letter or number)."""
    from .pipeline import assign_replacements

    entities = pure_entities(decision)
    return assign_replacements(decision.text, entities, Policy()), sorted(entities, key=lambda e: e.start)


def segments(text: str, entities) -> list[dict]:
    out, pos = [], 0
    for ent in sorted(entities, key=lambda e: e.start):
        if ent.start < pos:
            continue  # never produced (overlaps are refused), but never break the page either
        if ent.start > pos:
            out.append({"text": text[pos:ent.start], "start": pos})
        out.append({"text": text[ent.start:ent.end], "start": ent.start, "entity": ent,
                    "number": CATEGORIES[ent.category].order if ent.category in CATEGORIES else 0})
        pos = ent.end
    out.append({"text": text[pos:], "start": pos})
    return out


RULE_LABELS = {
    "address": "adresse", "address-continuation": "suite d'adresse", "firm": "cabinet", "law-firm": "cabinet d'avocats",
    "cadastre": "référence cadastrale", "postcode-city": "code postal et commune", "email": "adresse électronique",
    "death-date": "date de décès", "iban": "IBAN", "domicile-place": "lieu de domicile", "marriage-date": "date de mariage",
    "born-in": "lieu de naissance", "born-on": "date de naissance", "nir": "numéro de sécurité sociale",
    "nir-without-key": "numéro de sécurité sociale sans clé",
    "nir-bad-key": "numéro de sécurité sociale (clé de contrôle fausse)", "iban-bad-key": "IBAN (clé de contrôle fausse)", "plate": "plaque d'immatriculation",
    "plate-fni": "plaque d'immatriculation (ancien format)", "trade-registry-seat": "siège au registre du commerce (RCS)",
    "siren-siret": "SIREN/SIRET", "website": "site web", "phone": "téléphone",
    "address-no-street": "adresse sans type de voie (propriété, lieu-dit)", "born-apposition": "date de naissance en apposition",
    "civil-date-after-place": "date d'état civil après son lieu", "died-in": "lieu de décès", "married-in": "lieu de mariage",
    "law-firm-cue": "cabinet d'avocats (formule de représentation)",
}


def detector_label(detector: str) -> str:
    """What found an entity, in French: never the rule's or model's identifier."""
    kind, _, name = (detector or "").partition(":")
    if kind == "rule":
        return f"règle « {RULE_LABELS.get(name, name.replace('-', ' '))} »"
    if kind.startswith("spacy") or kind.startswith("modele"):
        return "modèle de reconnaissance des entités"
    if kind == "agent":
        return "ajout d'un relecteur"
    if kind == "title":
        return "civilité (M., Mme, Me…)"
    if kind == "propagation":
        return "autre mention du même nom"
    return "détection automatique"


def _category_label(category: str | None) -> str:
    return CATEGORIES[category].label_fr if category in CATEGORIES else "catégorie inconnue"


# ------------------------------------------------------------------------------------------ queue
@reviewer_required
def index(request):
    queue = Decision.objects.filter(status=Decision.Status.TO_REVIEW).annotate(n_entities=Count("entities"))
    page = Paginator(queue.order_by("-max_doubt", "external_id"), 25).get_page(request.GET.get("page"))
    counts = dict(Decision.objects.values_list("status").annotate(n=Count("pk")))
    validated = Decision.objects.filter(status__in=EXPORTABLE).order_by("-validated_at")[:20]
    return _render(request, "decisions/index.html", {
        "title": "Décisions à relire", "page": page, "validated": validated,
        "counts": {label: counts.get(value, 0) for value, label in Decision.Status.choices},
        "n_exportable": sum(counts.get(s, 0) for s in EXPORTABLE)})


# ----------------------------------------------------------------------------------------- import
def _safe_name(name: str, taken: set[str]) -> str:
    """The uploaded file's own name (no folders, no odd characters), unique in the import folder."""
    base = re.sub(r"[^\w.\- ]", "_", Path(name.replace("\\", "/")).name).strip(" .") or "fichier"
    return base if base not in taken else f"{Path(base).stem}-{len(taken)}{Path(base).suffix}"


def _read_upload(uploads, fmt: str) -> list[PureDecision]:
    """Check and read the uploaded file(s) with the CLI's importers; problems name the uploaded file
    (never the temporary copy), with the line or record where there is one."""
    from .importers import load_decisions

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="amorce-decisions-") as tmp:
        folder = Path(tmp) / "import"
        folder.mkdir()
        names: dict[str, str] = {}  # temporary path -> uploaded name
        for upload in uploads:
            target = folder / _safe_name(upload.name, {Path(p).name for p in names})
            with target.open("wb") as handle:
                for i, chunk in enumerate(upload.chunks()):
                    if i == 0 and (b"\x00" in chunk[:8192] or chunk.startswith(b"%PDF")):
                        problems.append(f"fichier {upload.name} : fichier binaire (PDF, traitement de texte…), "
                                        "pas du texte — enregistrez-le au format texte (UTF-8 ou Windows-1252)")
                    handle.write(chunk)
            names[str(target)] = upload.name
        if problems:
            raise ImportProblems(problems)
        source = folder if fmt == "texte" else next(iter(folder.iterdir()))
        only = next(iter(names.values()))
        try:
            return load_decisions(source, fmt)
        except DataValidationError as exc:
            raise ImportProblems([str(dataclasses.replace(p, file=names.get(p.file or "", only)))
                                  for p in exc.problems]) from exc
        except AmorceError as exc:
            raise ImportProblems([f"fichier {only} : {exc.message.replace(str(source), only)}"]) from exc


class ImportProblems(DecisionsError):
    """Every problem of an uploaded import, one French line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@reviewer_required
def import_view(request):
    from .tasks import decision_to_param

    form = f.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["file"]
        name = uploads[0].name if len(uploads) == 1 else f"{len(uploads)} fichiers texte"
        try:
            decisions = _read_upload(uploads, form.cleaned_data["format"])
        except ImportProblems as exc:
            problems = exc.problems
        except AmorceError as exc:
            problems = [exc.message]
        else:
            with transaction.atomic():
                job = jobs.enqueue("decisions.pseudonymise",
                                   {"decisions": [decision_to_param(d) for d in decisions]},
                                   user=request.user, label=f"Pseudonymisation de {name}")
                record("decisions_import_started", request=request, obj=job, fichier=name[:200],
                       decisions=len(decisions))
            messages.success(request, f"{len(decisions)} décision(s) lue(s) : pseudonymisation lancée.")
            return redirect("jobs:detail", pk=job.pk)
    return _render(request, "decisions/import.html", {
        "title": "Importer des décisions", "form": form, "problems": problems,
        "limit_mb": f.import_limit() // 1_048_576},
        status=400 if request.method == "POST" else 200)


# ----------------------------------------------------------------------------------------- review
def _review_context(decision: Decision, add_form=None) -> dict:
    masked, computed = pseudonymised(decision)
    replacement = {(e.start, e.end): e.replacement for e in computed}
    rows = list(decision.entities.all())
    for row in rows:
        row.current_replacement = replacement.get((row.start, row.end))
        row.category_label = _category_label(row.category)
        row.detector_label = detector_label(row.detector or row.source)
    present = sorted({r.category for r in rows}, key=lambda c: CATEGORIES[c].order)
    return {
        "title": f"Relecture — {decision.external_id}", "decision": decision,
        "segments": segments(decision.text, rows),
        "entities": sorted(rows, key=lambda r: (-r.doubt, r.start)),
        "legend": [CATEGORIES[c] for c in present], "masked": masked,
        "add_form": add_form or f.AddEntityForm(decision_text=decision.text),
        "category_choices": f.RecategoriseForm().fields["category"].choices,
        "corrections": [{"c": c, "before": _category_label((c.before or {}).get("category")),
                         "after": _category_label((c.after or {}).get("category"))}
                        for c in decision.corrections.select_related("created_by").order_by("-created_at", "-pk")[:50]],
        "text_length": len(decision.text),
        "editable": decision.status == Decision.Status.TO_REVIEW,
    }


@reviewer_required
def review(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    return _render(request, "decisions/review.html", _review_context(decision))


def _editable_or_redirect(request, decision: Decision):
    if decision.status != Decision.Status.TO_REVIEW:
        messages.error(request, "Cette décision est déjà validée : rouvrez la relecture avant de la corriger.")
        return redirect("decisions:review", pk=decision.pk)
    return None


def _correct(request, decision: Decision, action: str, before, after, audit_action: str) -> None:
    Correction.objects.create(decision=decision, created_by=request.user, action=action, before=before, after=after)
    decision.refresh_max_doubt()
    record(audit_action, request=request, obj=decision, avant=before, apres=after)


@require_POST
@reviewer_required
def entity_remove(request, pk, entity_pk):
    decision = get_object_or_404(Decision, pk=pk)
    if (response := _editable_or_redirect(request, decision)) is not None:
        return response
    entity = get_object_or_404(Entity, pk=entity_pk, decision=decision)
    with transaction.atomic():
        before = entity.as_dict()
        entity.delete()
        _correct(request, decision, Correction.Action.REMOVE, before, None, "decisions_entity_removed")
    messages.success(request, f"« {before['text']} » n'est plus occulté.")
    return redirect("decisions:review", pk=decision.pk)


@require_POST
@reviewer_required
def entity_recategorise(request, pk, entity_pk):
    decision = get_object_or_404(Decision, pk=pk)
    if (response := _editable_or_redirect(request, decision)) is not None:
        return response
    entity = get_object_or_404(Entity, pk=entity_pk, decision=decision)
    form = f.RecategoriseForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, form)
        return redirect("decisions:review", pk=decision.pk)
    category = form.cleaned_data["category"]
    if category != entity.category:
        with transaction.atomic():
            before = entity.as_dict()
            entity.category, entity.doubt = category, 0.0
            entity.save(update_fields=["category", "doubt"])
            _correct(request, decision, Correction.Action.RECATEGORISE, before, entity.as_dict(),
                     "decisions_entity_recategorised")
        messages.success(request, f"« {entity.text} » : catégorie « {CATEGORIES[category].label_fr} ».")
    return redirect("decisions:review", pk=decision.pk)


@require_POST
@reviewer_required
def entity_add(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    if (response := _editable_or_redirect(request, decision)) is not None:
        return response
    form = f.AddEntityForm(request.POST, decision_text=decision.text)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        clash = decision.entities.filter(start__lt=end, end__gt=start).first()
        if clash is not None:
            form.add_error(None, f"Ce passage chevauche l'entité « {clash.text} » ({clash.start}–{clash.end}) : "
                                 "supprimez-la d'abord ou choisissez d'autres positions.")
        else:
            with transaction.atomic():
                entity = Entity.objects.create(
                    decision=decision, start=start, end=end, category=form.cleaned_data["category"],
                    text=decision.text[start:end], doubt=0.0, source=Entity.Source.AGENT, detector="agent")
                _correct(request, decision, Correction.Action.ADD, None, entity.as_dict(), "decisions_entity_added")
            messages.success(request, f"« {entity.text} » est désormais occulté.")
            return redirect("decisions:review", pk=decision.pk)
    return _render(request, "decisions/review.html", _review_context(decision, add_form=form), status=400)


@require_POST
@reviewer_required
def validate(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    if (response := _editable_or_redirect(request, decision)) is not None:
        return response
    with transaction.atomic():
        decision.status = Decision.Status.VALIDATED
        decision.validated_at, decision.validated_by = timezone.now(), request.user
        decision.save(update_fields=["status", "validated_at", "validated_by"])
        record("decisions_validated", request=request, obj=decision, entites=decision.entities.count())
    messages.success(request, f"Décision {decision.external_id} validée.")
    following = (Decision.objects.filter(status=Decision.Status.TO_REVIEW)
                 .order_by("-max_doubt", "external_id").first())
    return redirect("decisions:review", pk=following.pk) if following else redirect("decisions:index")


@require_POST
@reviewer_required
def reopen(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    with transaction.atomic():
        decision.status = Decision.Status.TO_REVIEW
        decision.validated_at = decision.validated_by = None
        decision.save(update_fields=["status", "validated_at", "validated_by"])
        record("decisions_review_reopened", request=request, obj=decision)
    messages.success(request, "Relecture rouverte.")
    return redirect("decisions:review", pk=decision.pk)


@require_POST
@reviewer_required
def publish(request):
    """Mark every validated decision as published (after its export was sent for open data)."""
    with transaction.atomic():
        ids = list(Decision.objects.filter(status=Decision.Status.VALIDATED).values_list("external_id", flat=True))
        Decision.objects.filter(external_id__in=ids).update(status=Decision.Status.PUBLISHED)
        record("decisions_published", request=request, object_type="decisions.decision", decisions=ids[:500],
               nombre=len(ids))
    messages.success(request, f"{len(ids)} décision(s) marquée(s) comme publiée(s).")
    return redirect("decisions:index")


# ----------------------------------------------------------------------------------------- export
def export_rows(decisions) -> list[dict]:
    rows = []
    for decision in decisions:
        masked, entities = pseudonymised(decision)
        rows.append({"decision": decision, "text_pseudonymised": masked, "entities": entities})
    return rows


@reviewer_required
def export(request, fmt):
    from .importers import to_judilibre

    if fmt not in ("jsonl", "json", "annotations.jsonl"):
        raise Http404("Format d'export inconnu.")
    decisions = Decision.objects.filter(status__in=EXPORTABLE).prefetch_related("entities").order_by("external_id")
    rows = export_rows(decisions)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "annotations.jsonl":
        # original text + validated entities: --gold and --decisions of `amorce decisions train`
        body = "".join(json.dumps({"id": r["decision"].external_id, "text": r["decision"].text,
                                   "entities": [e.to_dict(with_doubt=False) for e in r["entities"]]},
                                  ensure_ascii=False) + "\n" for r in rows)
        content_type, name = "application/x-ndjson; charset=utf-8", f"annotations-validees-{stamp}.jsonl"
    elif fmt == "jsonl":
        body = "".join(json.dumps({"id": r["decision"].external_id, "text_pseudonymised": r["text_pseudonymised"],
                                   "entities": [e.to_dict(with_doubt=False) for e in r["entities"]]},
                                  ensure_ascii=False) + "\n" for r in rows)
        content_type, name = "application/x-ndjson; charset=utf-8", f"decisions-validees-{stamp}.jsonl"
    else:
        items = []
        for r in rows:
            d = r["decision"]
            meta = {**d.metadata, "jurisdiction": d.jurisdiction or d.metadata.get("jurisdiction"),
                    "chamber": d.chamber or d.metadata.get("chamber"), "solution": d.solution or d.metadata.get("solution"),
                    "decision_date": d.date.isoformat() if d.date else d.metadata.get("decision_date")}
            items.append(to_judilibre(PureDecision(d.external_id, d.text, {k: v for k, v in meta.items() if v}),
                                      r["text_pseudonymised"]))
        body = json.dumps(items, ensure_ascii=False, indent=2)
        content_type, name = "application/json; charset=utf-8", f"decisions-validees-{stamp}.json"
    record("decisions_export", request=request, object_type="decisions.decision", format=fmt, decisions=len(rows))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------------------------------- search
SEARCH_MAX_HITS = 100
SEARCH_PAGE_SIZE = 10


def highlighted(passage: str, highlights) -> list[dict]:
    """A passage cut into plain and highlighted pieces (the template escapes both, ``<mark>`` the latter)."""
    out, pos = [], 0
    for start, end in sorted(highlights):
        if start < pos:
            continue
        if start > pos:
            out.append({"text": passage[pos:start]})
        out.append({"text": passage[start:end], "mark": True})
        pos = end
    out.append({"text": passage[pos:]})
    return out


def _iso_date(value):
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@reviewer_required
def search(request):
    """Similar decisions, with the API's search (:func:`amorce.decisions.api.search_stored`)."""
    from .api import search_stored

    form = f.SearchForm(request.GET or None)
    page, query = None, ""
    if form.is_valid():
        hits, pks = search_stored(form.cleaned_data["q"].strip(), SEARCH_MAX_HITS, form.filters(),
                                  form.search_mode())
        results = [{"hit": h, "pk": pks[h.id], "pieces": highlighted(h.passage, h.highlights),
                    "date": _iso_date(h.metadata.get("decision_date"))} for h in hits]
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        query = params.urlencode()
    return _render(request, "decisions/search.html", {
        "title": "Rechercher des décisions similaires", "form": form, "page": page, "query": query},
        status=400 if request.GET and not form.is_valid() else 200)


# ---------------------------------------------------------------------------------- objectivation
CHART = {"width": 640, "height": 200, "left": 20, "right": 20, "box_top": 40, "box_height": 50, "dots": 130}


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2 or 5 times a power of ten apart)."""
    span = max(high - low, 1.0)
    raw = span / (count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    return [first + i * step for i in range(int(math.ceil((high - first) / step)) + 1)]


def box_plot(stats: dict, values: list[float]) -> dict:
    """Coordinates of a box plot (quartiles, median, whiskers from minimum to maximum) over the
    individual values (one dot per decision), for the hand-built SVG of the objectivation page."""
    ticks = _ticks(stats["min"], stats["max"])
    low, high = ticks[0], ticks[-1]
    inner = CHART["width"] - CHART["left"] - CHART["right"]

    def x(v: float) -> float:
        return round(CHART["left"] + (v - low) / ((high - low) or 1.0) * inner, 1)

    def svg(v: float) -> str:  # SVG lengths take a dot, whatever the template's locale
        return f"{v:.1f}"

    return {**CHART, "mid": svg(CHART["box_top"] + CHART["box_height"] / 2),
            "box_bottom": CHART["box_top"] + CHART["box_height"],
            "axis_y": CHART["height"] - 30, "label_y": CHART["height"] - 10,
            **{name: svg(x(stats[name])) for name in ("min", "q1", "median", "q3", "max")},
            "box_width": svg(x(stats["q3"]) - x(stats["q1"])),
            "ticks": [{"x": svg(x(t)), "label": formats.amount(t)} for t in ticks],
            "dots": [{"x": svg(x(v)), "y": CHART["dots"] + (i % 5 - 2) * 6} for i, v in enumerate(sorted(values))]}


@reviewer_required
def objectivation(request):
    """Distribution of awarded amounts over comparable decisions, with the API's service
    (:func:`amorce.decisions.api.objectivate`): never a single figure."""
    from .api import ObjectivationError, objectivate

    form = f.ObjectivationForm(request.GET or None)
    found = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = objectivate(data["decision_id"].strip() or None, data["description"], data["kind"], data["k"],
                                data["awarded_only"], form.filters(), form.search_mode())
        except ObjectivationError as exc:
            form.add_error(None, exc.message)
    context = {"title": "Objectivation des montants", "form": form, "found": found}
    if found:
        kind = form.cleaned_data["kind"]
        result, label = found["result"], f.KIND_LABELS[kind]
        stats = result["stats"]
        context.update({
            "kind_label": label, "stats": stats, "comparable": len(found["facts"]), "this": found["this"],
            "limits": [line.replace(f"« {kind} »", f"« {label.lower()} »") for line in result["limits"]],
            "rows": [{**d, "pk": found["pks"][d["id"]]} for d in sorted(result["decisions"], key=lambda d: d["value"])],
            "spread": stats["q3"] - stats["q1"] if stats["count"] else None,
            "chart": box_plot(stats, [d["value"] for d in result["decisions"]]) if stats["count"] else None})
    return _render(request, "decisions/objectivation.html", context,
                   status=400 if request.GET and not form.is_valid() else 200)
