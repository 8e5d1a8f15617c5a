"""Background job of the institution's vocabulary: « Entraîner et proposer » (one-vs-rest on the
accepted terms, proposals stored as suggestions). Thin: ``services.train_and_propose`` does the work."""

from __future__ import annotations

from amorce.web.jobs import JobContext, job_handler
from amorce.web.roles import Role

from .models import Collection


@job_handler("archives.train", "Fonds photographiques : entraîner et proposer des termes",
             roles=[Role.DOCUMENTALISTE, Role.RESPONSABLE_COLLECTIONS],
             result_labels={"version": "Version du modèle", "terms_trained": "Termes appris",
                            "proposals": "Propositions à valider", "skipped": "Termes sans assez d'images"})
def train_job(ctx: JobContext, collection_id: int, user_id: int | None = None) -> dict:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from .services import train_and_propose

    collection = Collection.objects.get(pk=collection_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    result = train_and_propose(collection, user=user, progress=ctx.progress)
    return {**result, "url": reverse("archives:terms", args=[collection.name])}
