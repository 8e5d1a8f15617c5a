"""Review pages of the camera-trap use case: event review (keyboard or plain form), bulk confirmation
of empty events, quality check of the events predicted empty, agreement between reviewers, the
park's species list. Views only parse, check roles and render: the logic is in ``services``.

Naturalists and scientific leads review; only the scientific lead settles a disagreement (final
answer), imports the species list and sees the other reviewers' answers (reviews stay independent).
Thumbnails of events with a person or a vehicle stay blurred (``thumb`` view) on every page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse

from amorce.core.errors import AmorceError, DataValidationError, InputError
from amorce.web.forms import check_uploads
from amorce.web.uploads import checked_copies

from . import services
from .forms_review import ReviewForm, SpeciesListForm
from .models import Event, Season
from .views import TYPE_LABELS, _render, may_see_raw, member_required, scientist_required


def _species():
    """The park's list, or (None, French problem) when the stored file became unreadable."""
    try:
        return services.species_list(), ""
    except AmorceError as exc:
        return None, exc.message


def _review_url(season: Season, event_id: str, query: dict) -> str:
    url = reverse("biodiversite:review", args=[season.pk, event_id])
    query = {k: v for k, v in query.items() if v}
    return f"{url}?{urlencode(query)}" if query else url


def _initial(event: Event, mine, proposal) -> dict:
    if mine is not None:
        taxon = f"{mine.vernacular_name} ({mine.scientific_name})" if mine.vernacular_name else mine.scientific_name
        return {"observation_type": mine.observation_type, "taxon": taxon, "count": mine.count, "comment": mine.comment}
    kind = event.observation_type if event.observation_type in services.TYPE_LABELS else "unknown"
    initial = {"observation_type": kind, "count": services.machine_count(event) or None}
    if proposal is not None and proposal.value and kind == "animal":
        initial["taxon"] = proposal.value  # the model's proposal, prefilled: Enter accepts it
    return initial


@member_required
def review_event(request, pk: int, event_id: str):
    season = get_object_or_404(Season, pk=pk)
    event = get_object_or_404(Event, season=season, event_id=event_id)
    query = {"liste": request.GET.get("liste", ""), "type": request.GET.get("type", "")}
    if query["liste"] not in services.QUEUES:
        query["liste"] = ""
    ids = services.queue_ids(season, query["liste"], query["type"])
    if event_id not in ids:
        query = {"liste": "", "type": ""}
        ids = services.queue_ids(season, "", "")
    index = ids.index(event_id)
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    scientist = may_see_raw(request.user)
    taxa, species_problem = _species()
    mine = event.reviews.filter(reviewer=request.user, final=False).first()
    proposal = services.proposal(event)
    form = ReviewForm(initial=_initial(event, mine, proposal))
    if request.method == "POST":
        action = request.POST.get("action", "enregistrer")
        if action == "arbitrer" and not scientist:
            raise PermissionDenied("Seul le responsable scientifique arbitre une relecture.")
        data = request.POST.copy()
        if action == "vide":
            data["observation_type"] = "blank"
        elif action == "proposition":  # « accept the model's proposal »: one click, with or without JavaScript
            if proposal is None or not proposal.value:
                messages.error(request, "Cet événement n'a pas de proposition d'espèce du modèle à accepter.")
                return redirect(_review_url(season, event_id, query))
            data["observation_type"], data["taxon"] = "animal", proposal.value
        form = ReviewForm(data)
        if form.is_valid():
            values = form.cleaned_data
            try:
                _, changed = services.save_review(event, request.user, observation_type=values["observation_type"],
                                                  taxon=values["taxon"], count=values["count"],
                                                  comment=values["comment"], final=action == "arbitrer", taxa=taxa,
                                                  request=request)
            except InputError as exc:
                form.add_error(exc.details.get("field") if exc.details.get("field") in form.fields else None, exc.message)
            else:
                if action == "arbitrer":
                    messages.success(request, "Réponse finale enregistrée.")
                    return redirect(_review_url(season, event_id, query))
                messages.success(request, "Relecture enregistrée." if changed else "Relecture inchangée.")
                return redirect(_review_url(season, following or event_id, query))
    sensitive = services.is_sensitive(event)
    reviews = list(event.reviews.all()) if scientist else []
    history = services.history(event) if scientist else services.history(event).filter(user=request.user)
    return _render(request, "biodiversite/review_event.html", {
        "season": season, "event": event, "label": TYPE_LABELS[event.observation_type], "form": form,
        "position": index + 1, "total": len(ids), "queue_label": services.QUEUES[query["liste"]],
        "previous_url": _review_url(season, previous, query) if previous else "",
        "next_url": _review_url(season, following, query) if following else "",
        "choices": services.taxon_choices(taxa), "species_problem": species_problem, "has_species": taxa is not None,
        "machine_count": services.machine_count(event), "mine": mine, "is_scientist": scientist, "proposal": proposal,
        "reviews": reviews, "final": next((r for r in reviews if r.final), None),
        "history": [(c, services.change_lines(c)) for c in history],
        "sensitive": sensitive, "raw": request.GET.get("brut") == "1" and sensitive and scientist,
        "raw_url": _review_url(season, event_id, {**query, "brut": "1"})})


@scientist_required
def archived_reviews(request, pk: int):
    """Reviews archived by a re-analysis (their media gone): the scientific lead puts one back on an
    event of the season, chosen among the events near its former one or by its identifier (POST)."""
    season = get_object_or_404(Season, pk=pk)
    archived = services.archived_reviews(season)
    if request.method == "POST":
        review_pk = request.POST.get("relecture", "")
        review = archived.filter(pk=int(review_pk)).first() if review_pk.isdigit() else None
        event_id = request.POST.get("evenement", "").strip()
        event = season.events.filter(event_id=event_id).first() if event_id else None
        if review is None:
            messages.error(request, "Cette relecture n'est plus archivée sur cette saison : rien n'a été changé.")
        elif event is None:
            messages.error(request, f"Aucun événement « {event_id} » dans cette saison : choisissez un événement "
                                    "proposé ou copiez l'identifiant d'un événement de la saison." if event_id else
                           "Choisissez l'événement auquel rattacher la relecture.")
        else:
            try:
                services.reattach_review(review, event, user=request.user, request=request)
            except InputError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"Relecture de {review.reviewer_name} rattachée à l'événement {event.event_id}.")
        return redirect("biodiversite:archived", pk=season.pk)
    rows = [(review, services.nearby_events(season, review),
             [(c, services.change_lines(c)) for c in review.changes.all()]) for review in archived[:100]]
    return _render(request, "biodiversite/review_archived.html", {
        "season": season, "rows": rows, "total": archived.count()})


@scientist_required
def train_from_reviews(request, pk: int):
    """Queue the park's classifier training on the season's reviews (POST; French refusal when the
    season has too few labels)."""
    season = get_object_or_404(Season, pk=pk)
    if request.method != "POST":
        return redirect("biodiversite:season", pk=season.pk)
    try:
        job = services.start_training(season, user=request.user, request=request,
                                      method=request.POST.get("methode", "logistique"))
    except AmorceError as exc:
        messages.error(request, exc.message)
        return redirect("biodiversite:season", pk=season.pk)
    return redirect("jobs:detail", pk=job.pk)


@member_required
def review_blank(request, pk: int):
    season = get_object_or_404(Season, pk=pk)
    if request.method == "POST":
        chosen = request.POST.getlist("evenement")
        if not chosen:
            messages.error(request, "Aucun événement coché : cochez les événements que vous confirmez vides.")
        else:
            try:
                changed = services.confirm_blank(season, request.user, chosen, request=request)
            except InputError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"{len(chosen)} événement(s) confirmé(s) vide(s) ({changed} relecture(s) "
                                          "nouvelle(s) ou modifiée(s)).")
        page = request.POST.get("page", "")
        return redirect(reverse("biodiversite:review_blank", args=[season.pk]) + (f"?page={page}" if page.isdigit() else ""))
    events = season.events.filter(observation_type="blank")
    page = Paginator(events, 48).get_page(request.GET.get("page"))
    answers = services.human_answers(season)
    mine = set(season.events.filter(reviews__reviewer=request.user, reviews__final=False,
                                    reviews__observation_type="blank").values_list("event_id", flat=True))
    rows = [(e, e.event_id in answers, e.event_id in mine) for e in page]  # the others' answers stay hidden
    return _render(request, "biodiversite/review_blank.html", {"season": season, "page": page, "rows": rows})


@member_required
def review_qc(request, pk: int):
    season = get_object_or_404(Season, pk=pk)
    rows = services.qc_sample(season)
    totals = {"blank": sum(r.predicted_blank for r in rows), "sample": sum(len(r.sample) for r in rows),
              "reviewed": sum(r.reviewed for r in rows), "non_empty": sum(len(r.non_empty) for r in rows)}
    first = rows[0].sample[0] if rows and rows[0].sample else None
    return _render(request, "biodiversite/review_qc.html", {
        "season": season, "rows": rows, "totals": totals, "share": services.QC_SHARE, "minimum": services.QC_MIN,
        "start_url": _review_url(season, first, {"liste": "controle"}) if first else ""})


@member_required
def review_agreement(request, pk: int):
    season = get_object_or_404(Season, pk=pk)
    view = services.agreement_report(season)
    label = services.TYPE_LABELS
    disagreements = [(d, [(view.names.get(a.reviewer, a.reviewer), label[a.observation_type], a.taxon) for a in d.answers],
                      view.settled.get(d.event)) for d in view.report.disagreements]
    pairs = [(view.names.get(p.reviewers[0], "?"), view.names.get(p.reviewers[1], "?"), p) for p in view.report.pairs]
    return _render(request, "biodiversite/review_agreement.html", {
        "season": season, "report": view.report, "pairs": pairs, "disagreements": disagreements,
        "reviewers": sorted(services.reviewers_of(season).items()),
        "is_scientist": may_see_raw(request.user)})


@scientist_required
def species(request):
    form = SpeciesListForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        problems = check_uploads([upload], extensions=(".csv", ".txt"), kind="liste d'espèces")
        if not problems:
            try:
                with checked_copies([upload], default_name="especes.csv") as (target,):
                    count = services.save_species_list(target, name=upload.name, user=request.user,
                                                       request=request)
            except DataValidationError as exc:
                problems = [str(p) for p in exc.problems]
            except AmorceError as exc:
                problems = [exc.message]
            if not problems:
                messages.success(request, f"Liste d'espèces enregistrée : {count} taxon(s).")
                return redirect("biodiversite:species")
    taxa, problem = _species()
    return _render(request, "biodiversite/review_species.html", {
        "form": form, "problems": problems or ([problem] if problem else []), "choices": services.taxon_choices(taxa)})


urlpatterns = [
    path("saisons/<int:pk>/relecture/<str:event_id>/", review_event, name="review"),
    path("saisons/<int:pk>/vides/", review_blank, name="review_blank"),
    path("saisons/<int:pk>/entrainer/", train_from_reviews, name="train"),
    path("saisons/<int:pk>/relectures-archivees/", archived_reviews, name="archived"),
    path("saisons/<int:pk>/controle-des-vides/", review_qc, name="review_qc"),
    path("saisons/<int:pk>/accords/", review_agreement, name="review_agreement"),
    path("especes/", species, name="species"),
]
