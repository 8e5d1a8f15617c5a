"""Shell pages: home, legal pages, profile and API tokens, jobs, audit log, use-case landings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import jobs, services
from .context import navigation
from .errors import JobFinished
from .models import ApiToken, AuditEvent, Job
from .roles import USECASES, USECASES_BY_SLUG, Role, has_role, role_required


@login_not_required
def home(request):
    menu = {entry["slug"]: entry["entries"] for entry in navigation(request.user)}
    cards = []
    for usecase in USECASES:
        entries = menu.get(usecase.slug, [])
        cards.append({
            "usecase": usecase,
            "url": entries[0]["url"] if entries else None,
            "capabilities": usecase.capabilities_for(request.user),
        })
    return render(request, "web/home.html", {"title": "Accueil", "cards": cards})


@login_not_required
def accessibility(request):
    return render(request, "web/accessibility.html", {"title": "Déclaration d'accessibilité"})


@login_not_required
def legal(request):
    return render(request, "web/legal.html", {"title": "Mentions légales"})


@login_not_required
def privacy(request):
    return render(request, "web/privacy.html", {"title": "Données personnelles"})


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def usecase_landing(request, slug: str):
    """Page of a use case announced but not built yet: says so plainly, offers nothing it cannot do."""
    usecase = USECASES_BY_SLUG.get(slug)
    if usecase is None or not usecase.planned:
        raise Http404
    return render(request, "web/usecase.html", {"title": usecase.title, "usecase": usecase})


def profile(request):
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    new_key = request.session.pop("new_api_token", None)
    return render(request, "web/profile.html", {"title": "Mon compte", "tokens": tokens, "new_key": new_key})


@require_POST
def token_create(request):
    name = (request.POST.get("name") or "").strip()[:100]
    if not name:
        messages.error(request, "Donnez un nom au jeton (par exemple : « script d'import »).")
        return redirect("accounts:profile")
    _token, key = services.issue_token(request.user, name, request=request)
    request.session["new_api_token"] = key
    messages.success(request, "Jeton créé. Copiez-le maintenant : il ne sera plus affiché.")
    return redirect("accounts:profile")


@require_POST
def token_revoke(request, pk: int):
    try:
        services.revoke_token(request.user, pk, request=request)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, "Jeton révoqué.")
    return redirect("accounts:profile")


def _visible_jobs(user):
    qs = Job.objects.select_related("created_by")
    return qs if has_role(user, Role.ADMINISTRATEUR) else qs.filter(created_by=user)


def job_list(request):
    page = Paginator(_visible_jobs(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "web/jobs/list.html", {"title": "Tâches", "page": page,
                                                   "can_load_demo": has_role(request.user, Role.ADMINISTRATEUR)})


def job_detail(request, pk):
    job = get_object_or_404(_visible_jobs(request.user), pk=pk)
    template = "web/jobs/_status.html" if request.htmx else "web/jobs/detail.html"
    return render(request, template, {"title": job.label, "job": job})


@require_POST
def job_cancel(request, pk):
    job = get_object_or_404(_visible_jobs(request.user), pk=pk)
    try:
        services.cancel_job(job, request=request)
    except JobFinished as exc:
        messages.warning(request, str(exc))
    else:
        messages.info(request, "Annulation demandée.")
    return redirect("jobs:detail", pk=job.pk)


@require_POST
def job_retry(request, pk):
    job = get_object_or_404(_visible_jobs(request.user), pk=pk)
    if job.is_active:
        messages.warning(request, "Cette tâche est encore en cours : annulez-la avant de la relancer.")
        return redirect("jobs:detail", pk=job.pk)
    new = services.retry_job(job, request.user, request=request)
    messages.success(request, "Tâche relancée.")
    return redirect("jobs:detail", pk=new.pk)


@require_POST
@role_required(Role.ADMINISTRATEUR)
def load_demo_data(request):
    job = services.load_demo_data(request.user, request=request)
    messages.success(request, "Chargement des données de démonstration lancé.")
    return redirect("jobs:detail", pk=job.pk)


#: Names of the audit events' detail keys (others are shown as « Nom de la clé »).
AUDIT_DETAIL_LABELS = {"files": "Fichiers", "roles": "Rôles", "username": "Identifiant", "format": "Format",
                       "name": "Nom", "reason": "Motif", "status": "Statut", "count": "Nombre"}


@role_required(Role.ADMINISTRATEUR)
def audit_log(request):
    events = AuditEvent.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    who = request.GET.get("auteur", "").strip()
    if action:
        events = events.filter(action=action)
    if who:
        events = events.filter(actor_repr__icontains=who)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:  # details as labelled French items, never a Python dict
        event.details_text = jobs.describe_result(event.details, AUDIT_DETAIL_LABELS) if event.details else ""
    actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    query = urlencode({k: v for k, v in (("action", action), ("auteur", who)) if v})
    return render(request, "web/audit.html", {"title": "Journal d'audit", "page": page, "query": query,
                                              "actions": sorted(actions), "action": action, "who": who})

