"""Fixed-window rate limiting on the shared cache, for public endpoints (views and API)."""

from __future__ import annotations

import time
from functools import wraps

from django.core.cache import cache
from django.http import JsonResponse

from .audit import client_ip

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"60/m"`` → (60, 60 seconds)."""
    count, _, unit = rate.partition("/")
    return int(count), UNITS[unit.strip()[-1]] * (int(unit.strip()[:-1]) if unit.strip()[:-1] else 1)


def hit(key: str, rate: str) -> tuple[bool, int]:
    """Count one hit for ``key``; return (allowed, seconds until the window resets)."""
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    cache_key = f"rl:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    return count <= limit, period - int(time.time() % period)


def api_limited(response, key: str, rate: str) -> tuple[int, dict] | None:
    """For a django-ninja operation: count one hit; above ``rate``, set Retry-After on the
    ``response`` and return the ``(429, body)`` to return (French message), otherwise None."""
    allowed, retry = hit(key, rate)
    if allowed:
        return None
    response["Retry-After"] = str(retry)
    return 429, {"detail": f"Trop de requêtes : merci de patienter {retry} s avant de réessayer."}


def ratelimit(rate: str | None = None, scope: str = "public"):
    """Decorator: answer 429 (JSON, in French) above ``rate`` requests per client IP."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from django.conf import settings

            allowed, retry = hit(f"{scope}:{client_ip(request)}", rate or settings.AMORCE_API_RATE_LIMIT)
            if not allowed:
                response = JsonResponse(
                    {"detail": "Trop de requêtes : merci de patienter avant de réessayer.", "retry_after": retry},
                    status=429, json_dumps_params={"ensure_ascii": False})
                response["Retry-After"] = str(retry)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
