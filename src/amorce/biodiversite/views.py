"""Pages of the camera-trap use case: deployments, seasons (analysis as a job), events and viewer.

Views only parse, check roles and render; the pure modules and ``tasks`` do the work. Events with a
person or a vehicle show blurred thumbnails to every role but the scientific lead, whose access to
the raw thumbnail is written to the audit log.
"""

from __future__ import annotations

import io
import zipfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from amorce.core.errors import AmorceError, DataValidationError
from amorce.web.audit import record_access
from amorce.web.roles import Role, has_role, role_required, usecase_required
from amorce.web.uploads import checked_copies

from . import forms as f
from . import services
from .models import Deployment, Event, Season, sources_root
from .tasks import thumbs_dir
from .usecase import SCIENTIST

SECTION = {"current_section": "biodiversite"}
member_required = usecase_required("biodiversite")
scientist_required = role_required(Role(SCIENTIST))
TYPE_LABELS = dict(Event.TYPES)


def _render(request, template: str, context: dict, **kwargs):
    return render(request, template, {**SECTION, **context}, **kwargs)


def may_see_raw(user) -> bool:
    return has_role(user, Role(SCIENTIST))


@member_required
def index(request):
    return _render(request, "biodiversite/index.html", {
        "deployments": Deployment.objects.all(), "seasons": Season.objects.all()[:50],
        "is_scientist": may_see_raw(request.user)})


@scientist_required
def upload(request):
    from .ingest import read_deployments

    problems = []
    form = f.DeploymentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            with checked_copies([upload_file], default_name="deploiements.csv") as (path,):
                parsed = read_deployments(path)
        except DataValidationError as exc:
            problems = [str(p) for p in exc.problems]
        except AmorceError as exc:
            problems = [exc.message]
        if not problems:
            services.save_deployments(parsed.values(), user=request.user, request=request)
            messages.success(request, f"{len(parsed)} déploiement(s) enregistré(s).")
            return redirect("biodiversite:index")
    return _render(request, "biodiversite/upload.html", {"form": form, "problems": problems})


@scientist_required
def season_new(request):
    from . import season_service
    from .forms_season import ClassifiedSeasonForm

    form = ClassifiedSeasonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params: dict = {}
        try:
            if data["classifier_card"]:
                stored = services.upload_classifier(data["classifier_card"], data["classifier_arrays"],
                                                    user=request.user, request=request)
                params["classifier"] = str(season_service.stored_card(stored))
            elif data["classifier"]:
                params["classifier"] = str(season_service.stored_card(data["classifier"]))
            if data["species_list"]:
                params["species_list"] = str(season_service.check_species_list(data["species_list"]))
        except AmorceError as exc:
            for problem in _problems(exc):
                form.add_error(None, problem)
        if form.is_valid():
            job = services.start_analysis(data["name"], sources_root() / data["source"], data["detector"], params,
                                          user=request.user, request=request)
            return redirect("jobs:detail", pk=job.pk)
    return _render(request, "biodiversite/season_new.html", {"form": form, "root": sources_root()})


def _problems(exc: AmorceError) -> list[str]:
    return [str(p) for p in exc.problems] if isinstance(exc, DataValidationError) else [exc.message]


@member_required
def season_detail(request, pk: int):
    season = get_object_or_404(Season, pk=pk)
    events = season.events.all()
    kind = request.GET.get("type", "")
    if kind in TYPE_LABELS:
        events = events.filter(observation_type=kind)
    page = Paginator(events, 40).get_page(request.GET.get("page"))
    types = [(code, label, season.summary.get("types", {}).get(code, 0)) for code, label in Event.TYPES]
    archived = sorted(set(services.archived_reviews(season).values_list("archived_event_id", flat=True)))
    rows = [(e, services.proposal(e)) for e in page]
    priority = services.priority_ids(season)
    training = None
    if may_see_raw(request.user):  # the scientific lead trains the park's classifier from the reviews
        from .classifier import MIN_LABELS
        from .training_service import label_counts, labelled_events

        training = {"counts": sorted(label_counts(labelled_events(season)).items(), key=lambda t: (-t[1], t[0])),
                    "minimum": MIN_LABELS}
    return _render(request, "biodiversite/season.html", {
        "season": season, "page": page, "rows": rows, "types": types, "kind": kind, "labels": TYPE_LABELS,
        "archived": archived, "priority": priority, "priority_source": services.priority_source(season),
        "training": training, "is_scientist": may_see_raw(request.user)})


@member_required
def event_detail(request, pk: int, event_id: str):
    season = get_object_or_404(Season, pk=pk)
    event = get_object_or_404(Event, season=season, event_id=event_id)
    ordered = list(season.events.values_list("event_id", "observation_type"))
    ids = [e for e, _ in ordered]
    index = ids.index(event.event_id)
    next_empty = next((e for e, t in ordered[index + 1:] if t == "blank"), None)
    return _render(request, "biodiversite/event.html", {
        "season": season, "event": event, "label": TYPE_LABELS[event.observation_type],
        "previous": ids[index - 1] if index > 0 else None, "next": ids[index + 1] if index + 1 < len(ids) else None,
        "next_empty": next_empty, "position": index + 1, "total": len(ids), "proposal": services.proposal(event),
        "raw": request.GET.get("brut") == "1"
        and event.sensitive and may_see_raw(request.user), "may_see_raw": may_see_raw(request.user)})


@member_required
def thumb(request, pk: int, media_id: str):
    season = get_object_or_404(Season, pk=pk)
    event = Event.objects.filter(season=season, media__icontains=media_id).first()
    if event is None or not any(m["media_id"] == media_id for m in event.media):
        raise Http404
    path = thumbs_dir(season) / f"{media_id}.jpg"
    if request.GET.get("brut") == "1" and services.is_sensitive(event):
        if not may_see_raw(request.user):
            raise Http404
        path = thumbs_dir(season) / f"{media_id}.raw.jpg"
        record_access("biodiversite.raw_media_view", request=request, obj=season, media_id=media_id,
                      event_id=event.event_id, observation_type=event.observation_type)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/jpeg")


@scientist_required
def season_export(request, pk: int):
    season = get_object_or_404(Season, pk=pk)
    try:
        files = services.export_files(season)  # the human answers where there are some
    except FileNotFoundError:
        raise Http404 from None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    record_access("biodiversite.camtrapdp_export", request=request, obj=season)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="camtrapdp-saison-{season.pk}.zip"'
    return response
