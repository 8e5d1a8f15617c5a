"""State changes of the platform shell that views and the API only trigger: personal API tokens, jobs.

Views parse, check roles and render; each function here changes rows in one transaction and writes its
audit event, so that an API, a command or a view that calls it behaves the same way.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import audit, jobs
from .errors import JobFinished
from .models import ApiToken, Job


@transaction.atomic
def issue_token(user, name: str, *, request=None) -> tuple[ApiToken, str]:
    """A new personal token of ``user``; returns it with its clear value (shown once, never stored)."""
    token, key = ApiToken.issue(user, name)
    audit.record("jeton_api_cree", request=request, user=user, obj=token,
                 object_repr=f"{name} ({token.prefix}…)")
    return token, key


@transaction.atomic
def revoke_token(user, pk: int, *, request=None) -> ApiToken:
    """Revoke one of ``user``'s active tokens (``ApiToken.DoesNotExist`` if it is not theirs or already revoked)."""
    token = ApiToken.objects.select_for_update().get(pk=pk, user=user, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("jeton_api_revoque", request=request, user=user, obj=token,
                 object_repr=f"{token.name} ({token.prefix}…)")
    return token


@transaction.atomic
def cancel_job(job: Job, *, request=None, via: str = "web") -> Job:
    """Cancel a queued job at once, ask a running one to stop; audited. ``JobFinished`` if it has ended."""
    if not job.is_active:
        raise JobFinished
    job = jobs.request_cancel(job)
    audit.record("tache_annulee", request=request, obj=job, via=via)
    return job


@transaction.atomic
def retry_job(job: Job, user, *, request=None) -> Job:
    """A new run of an ended job with the same parameters (``AmorceError`` while it still runs); audited."""
    new = jobs.retry(job, user=user)
    audit.record("tache_relancee", request=request, user=user, obj=new, previous=str(job.pk))
    return new


@transaction.atomic
def load_demo_data(user, *, request=None) -> Job:
    """Queue the loading of the demonstration data; audited."""
    job = jobs.enqueue("demo.load", user=user)
    audit.record("donnees_demo_chargees", request=request, user=user, obj=job)
    return job
