"""Writer of the append-only audit log, and the authentication events it records."""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import is_trusted
from .models import AuditEvent

logger = logging.getLogger("amorce.audit")


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or — when the request comes from a trusted reverse proxy
    (AMORCE_TRUSTED_PROXIES) — the right-most address of X-Forwarded-For that is not itself a
    trusted proxy. Addresses a client writes further left are never believed."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = getattr(settings, "AMORCE_TRUSTED_PROXIES", ())
    if not remote or not networks or not is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed header is not an address: keep the proxy's
    return remote


def record(action: str, *, request=None, user=None, obj=None, object_type: str = "", object_id: str = "",
           object_repr: str = "", **details) -> AuditEvent:
    """Append one event. ``user`` defaults to the request's user; ``obj`` may be any model."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    actor = user if getattr(user, "is_authenticated", False) else None
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    event = AuditEvent.objects.create(
        actor=actor,
        actor_repr=(actor.get_username() if actor else str(details.pop("actor_repr", "") or "anonyme"))[:200],
        action=action, object_type=object_type, object_id=str(object_id), object_repr=object_repr[:300],
        details=details, ip=client_ip(request),
    )
    target = " ".join(str(part) for part in (object_type, object_id) if part)
    target = f" sur {target}" if target else ""
    logger.info("Journal d'audit : %s par %s%s", action, event.actor_repr, target)
    return event


def record_access(action: str, *, request, **fields) -> AuditEvent:
    """Log a consultation or a download of sensitive data where the request is served (a view or an API
    endpoint). Changes of state are recorded by the services that make them, with :func:`record`."""
    return record(action, request=request, **fields)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("connexion", request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("deconnexion", request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record("connexion_echouee", request=request, actor_repr="anonyme",
           username=str(credentials.get("username", ""))[:150])
