"""Review interface of pseudonymised decisions (in the manner of the Cour de cassation's Label):
import, queue (most doubtful first), review with highlighted entities, corrections, validation,
export of validated decisions."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from amorce.core import charts, formats
from amorce.core.errors import AmorceError
from amorce.web.forms import errors_to_messages
from amorce.web.roles import usecase_required

from . import forms as f
from . import services
from .errors import DecisionLocked, EntityClash, ImportProblems, ObjectivationError
from .models import Decision, Entity
from .taxonomy import CATEGORIES

SECTION = {"current_section": "decisions"}
reviewer_required = usecase_required("decisions")


def _render(request, template: str, context: dict, **kwargs):
    return render(request, template, {**SECTION, **context}, **kwargs)


# ------------------------------------------------------------------------------ pseudonymised text
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
    "phone-by-email": "téléphone à côté d'une adresse électronique", "pk-address": "adresse au point kilométrique d'une route",
    "post-box": "boîte postale à l'étranger", "quoted-place": "lieu nommé entre guillemets",
    "register-number": "numéro d'inscription à un tableau ou un registre",
    "nir-bad-key": "numéro de sécurité sociale (clé de contrôle fausse)", "iban-bad-key": "IBAN (clé de contrôle fausse)", "plate": "plaque d'immatriculation",
    "plate-fni": "plaque d'immatriculation (ancien format)", "trade-registry-seat": "siège au registre du commerce (RCS)",
    "siren-siret": "SIREN/SIRET", "website": "site web (adresse avec ou sans « http »)", "phone": "téléphone",
    "address-no-street": "adresse sans type de voie (propriété, lieu-dit)",
    "street-in-prose": "rue nommée dans le récit des faits, sans numéro", "born-apposition": "date de naissance en apposition",
    "civil-date-after-place": "date d'état civil après son lieu", "died-in": "lieu de décès", "married-in": "lieu de mariage",
    "law-firm-cue": "cabinet d'avocats (formule de représentation)",
    "siren-siret-cue": "SIREN/SIRET après son intitulé (clé de contrôle fausse)",
    "siret-layout": "SIRET reconnu à sa présentation (3 + 3 + 3 + 5 chiffres), sans intitulé",
    "phone-international": "téléphone (indicatif étranger ou d'outre-mer)",
    "camp-shelter": "abri numéroté d'un camp (secteur, bloc, abri)",
    "named-lodging": "centre d'hébergement ou foyer nommé avant sa voie",
    "property-before-street": "propriété nommée avant sa voie numérotée",
    "foreign-calendar-date": "date d'état civil d'un autre calendrier et son équivalent grégorien",
    "crypto-wallet": "adresse de portefeuille de cryptomonnaie", "gps-coordinates": "coordonnées GPS après leur mention", "quoted-handle": "pseudonyme de messagerie entre guillemets après « compte »",
    "document-number": "numéro de pièce d'identité ou d'allocataire", "address-line": "ligne d'adresse complète",
    "address-part": "bâtiment, appartement, étage, boîte postale", "event-place": "lieu d'un fait daté",
    "officer-seat": "commune d'un notaire ou commissaire de justice", "street-town": "commune après la voie",
    "death-date-later": "date de décès (« décès … survenu le »)",
    "marriage-date-later": "date de mariage (« a épousé … le »)", "cadastre-number": "parcelle cadastrale numérotée",
    "civil-date-again": "autre mention d'une date d'état civil", "east-asian-date": "date à l'asiatique (acte étranger)", "fatal-event-date": "date d'un fait mortel",
    "foreign-address": "adresse à l'étranger", "iban-shape": "numéro de compte de forme IBAN (contrôle national faux)",
    "named-place-again": "autre mention d'un lieu nommé", "officer-firm": "associé d'une société d'officiers publics",
    "personal-number": "numéro personnel après son intitulé", "place-noun-town": "commune après un nom de lieu",
    "plate-cue": "plaque d'immatriculation (après « plaque »)",
    "any-document-number": "numéro après le nom de son document ou de son registre (tout pays)",
    "ip-address": "adresse IP (v4 ou v6)",
    "online-account": "compte de réseau social ou de messagerie (« @pseudo », « pseudo#1234 »)",
    "numbered-noun": "numéro après « numéro de … » ou le nom d'un document ou d'un compte",
    "record-date": "date d'une ligne d'acte d'état civil (« Date de naissance : … »)",
    "plate-any-format": "plaque de tout format après « plaque »", "plate-after-vehicle": "plaque après un nom de véhicule",
    "domicile-clause": "adresse d'une clause de domicile (tout pays)", "place-of-kind": "lieu nommé après le nom de son espèce",
    "civil-date-list": "date d'état civil d'une énumération", "event-date-later": "date d'un mariage ou d'une mort violente",
    "name-date-town": "date de naissance entre un nom et une commune", "town-at": "commune après « à »",
    "road-toward": "commune où mène une route numérotée (« en direction de »)",
    "town-country": "commune suivie de son pays", "birth-of": "date de naissance après « naissance de »",
    "foreign-postcode": "code postal étranger et commune", "gazetteer": "commune ou ville connue (GeoNames) après un repère de lieu",
    "gazetteer-postcode": "ville connue (GeoNames) et son code postal étranger", "estate-building": "bâtiment d'une cité ou d'une résidence",
    "plate-in-sentence": "plaque d'immatriculation (ancien format ou outre-mer, après « immatriculation »)",
    "phone-pairs-cue": "téléphone à huit chiffres (outre-mer) après « joignable », « téléphone »",
    "phone-groups-cue": "téléphone national en groupes autres que des paires après « tél. », « joignable »",
    "grouped-account": "numéro de compte ou de carte en groupes de quatre chiffres après « compte », « carte »",
    "german-street": "rue allemande, autrichienne ou suisse (« …straße », « …gasse ») avec son numéro",
    "romanian-address": "adresse roumaine (« strada …, nr. 12, bl. A3, ap. 9 »)",
    "latin-street": "rue italienne, espagnole ou portugaise (« via X 42 », « calle Y 12 ») devant son code postal",
    "plate-moroccan": "plaque marocaine (chiffres, lettre arabe, chiffres)",
    "plate-after-registered": "plaque de tout pays après « immatriculé »", "cadastre-code": "code cadastral étranger (KAEK…)",
    "gave-birth": "date de naissance (« a donné naissance à … le »)", "kilometre-point": "point kilométrique (« PK 12 côté mer »)",
    "kin-date-town": "date de naissance après le prénom d'un proche et avant sa commune",
    "named-building": "immeuble nommé sur une ligne d'adresse", "named-land": "terre nommée (Polynésie)",
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
        return "prénom coordonné à celui d'une partie" if name == "coordination" else "autre mention du même nom"
    return "détection automatique"


def _category_label(category: str | None) -> str:
    return CATEGORIES[category].label_fr if category in CATEGORIES else "catégorie inconnue"


# ------------------------------------------------------------------------------------------ queue
@reviewer_required
def index(request):
    queue = Decision.objects.filter(status=Decision.Status.TO_REVIEW).annotate(n_entities=Count("entities"))
    page = Paginator(queue.order_by("-max_doubt", "external_id"), 25).get_page(request.GET.get("page"))
    counts = dict(Decision.objects.values_list("status").annotate(n=Count("pk")))
    validated = Decision.objects.filter(status__in=services.EXPORTABLE).order_by("-validated_at")[:20]
    return _render(request, "decisions/index.html", {
        "title": "Décisions à relire", "page": page, "validated": validated,
        "counts": {label: counts.get(value, 0) for value, label in Decision.Status.choices},
        "n_exportable": sum(counts.get(s, 0) for s in services.EXPORTABLE)})


# ----------------------------------------------------------------------------------------- import
@reviewer_required
def import_view(request):
    form = f.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["file"]
        name = uploads[0].name if len(uploads) == 1 else f"{len(uploads)} fichiers texte"
        try:
            decisions = services.read_uploads(uploads, form.cleaned_data["format"])
        except ImportProblems as exc:
            problems = exc.problems
        except AmorceError as exc:
            problems = [exc.message]
        else:
            job = services.start_import(decisions, name, user=request.user, request=request)
            messages.success(request, f"{len(decisions)} décision(s) lue(s) : pseudonymisation lancée.")
            return redirect("jobs:detail", pk=job.pk)
    return _render(request, "decisions/import.html", {
        "title": "Importer des décisions", "form": form, "problems": problems,
        "limit_mb": f.import_limit() // 1_048_576},
        status=400 if request.method == "POST" else 200)


# ----------------------------------------------------------------------------------------- review
def _review_context(decision: Decision, add_form=None) -> dict:
    masked, computed = services.pseudonymised(decision)
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


def _back(decision: Decision):
    return redirect("decisions:review", pk=decision.pk)


def _locked(request, decision: Decision, exc: DecisionLocked):
    messages.error(request, exc.message)
    return _back(decision)


@require_POST
@reviewer_required
def entity_remove(request, pk, entity_pk):
    decision = get_object_or_404(Decision, pk=pk)
    entity = get_object_or_404(Entity, pk=entity_pk, decision=decision)
    try:
        before = services.remove_entity(decision, entity, user=request.user, request=request)
    except DecisionLocked as exc:
        return _locked(request, decision, exc)
    messages.success(request, f"« {before['text']} » n'est plus occulté.")
    return _back(decision)


@require_POST
@reviewer_required
def entity_recategorise(request, pk, entity_pk):
    decision = get_object_or_404(Decision, pk=pk)
    entity = get_object_or_404(Entity, pk=entity_pk, decision=decision)
    form = f.RecategoriseForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, form)
        return _back(decision)
    category = form.cleaned_data["category"]
    try:
        changed = services.recategorise_entity(decision, entity, category, user=request.user, request=request)
    except DecisionLocked as exc:
        return _locked(request, decision, exc)
    if changed:
        messages.success(request, f"« {entity.text} » : catégorie « {CATEGORIES[category].label_fr} ».")
    return _back(decision)


@require_POST
@reviewer_required
def entity_add(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    try:
        services.check_editable(decision)
    except DecisionLocked as exc:
        return _locked(request, decision, exc)
    form = f.AddEntityForm(request.POST, decision_text=decision.text)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entity = services.add_entity(decision, data["start"], data["end"], data["category"],
                                         user=request.user, request=request)
        except EntityClash as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"« {entity.text} » est désormais occulté.")
            return _back(decision)
    return _render(request, "decisions/review.html", _review_context(decision, add_form=form), status=400)


@require_POST
@reviewer_required
def validate(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    try:
        services.validate(decision, user=request.user, request=request)
    except DecisionLocked as exc:
        return _locked(request, decision, exc)
    messages.success(request, f"Décision {decision.external_id} validée.")
    following = services.next_to_review()
    return _back(following) if following else redirect("decisions:index")


@require_POST
@reviewer_required
def reopen(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    services.reopen(decision, user=request.user, request=request)
    messages.success(request, "Relecture rouverte.")
    return _back(decision)


@require_POST
@reviewer_required
def publish(request):
    """Mark every validated decision as published (after its export was sent for open data)."""
    count = services.publish(user=request.user, request=request)
    messages.success(request, f"{count} décision(s) marquée(s) comme publiée(s).")
    return redirect("decisions:index")


# ----------------------------------------------------------------------------------------- export
@reviewer_required
def export(request, fmt):
    if fmt not in services.EXPORT_FORMATS:
        raise Http404("Format d'export inconnu.")
    body, content_type, name = services.export(fmt, user=request.user, request=request)
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
    """Similar decisions, with the API's search (:func:`amorce.decisions.services.search_stored`)."""
    form = f.SearchForm(request.GET or None)
    page, query = None, ""
    if form.is_valid():
        hits, pks = services.search_stored(form.cleaned_data["q"].strip(), SEARCH_MAX_HITS, form.filters(),
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
def amounts_chart(stats: dict, values: list[float], kind_label: str):
    """The box plot of the objectivation page (the table next to it has the same numbers)."""
    return charts.box_plot(
        values, stats, fmt=formats.amount, title=f"Répartition des montants : {kind_label.lower()}",
        desc=(f"Boîte à moustaches : du minimum {formats.amount(stats['min'])} au maximum "
              f"{formats.amount(stats['max'])}, premier quartile {formats.amount(stats['q1'])}, médiane "
              f"{formats.amount(stats['median'])}, troisième quartile {formats.amount(stats['q3'])} ; "
              "un point par décision. Les valeurs sont dans le tableau qui suit."))


@reviewer_required
def objectivation(request):
    """Distribution of awarded amounts over comparable decisions, with the API's service
    (:func:`amorce.decisions.services.objectivate`): never a single figure."""
    form = f.ObjectivationForm(request.GET or None)
    found = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = services.objectivate(data["decision_id"].strip() or None, data["description"], data["kind"], data["k"],
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
            "chart": amounts_chart(stats, [d["value"] for d in result["decisions"]], label) if stats["count"] else None})
    return _render(request, "decisions/objectivation.html", context,
                   status=400 if request.GET and not form.is_valid() else 200)
