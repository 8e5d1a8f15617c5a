"""Sliding-window rate limiting on the shared cache, for public endpoints (views and API)."""

from __future__ import annotations

import math
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


def hit(key: str, rate: str, now: float | None = None) -> tuple[bool, int]:
    """Count one hit for ``key``; return (allowed, seconds until a new hit would be allowed).

    Sliding-window counter: the previous window's count, weighted by the part of it that still
    lies within the last ``period`` seconds, plus the current window's count. Unlike a fixed
    window, a client cannot pass twice the limit by straddling a window boundary, and a burst
    that crosses the boundary is still counted as one burst.
    """
    limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window, elapsed = divmod(now, period)
    window = int(window)
    cache_key = f"rl:{key}:{window}"
    cache.add(cache_key, 0, timeout=2 * period + 1)  # read as "previous" during the next window
    try:
        current = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=2 * period + 1)
        current = 1
    previous = cache.get(f"rl:{key}:{window - 1}", 0)
    weight = 1 - elapsed / period
    if previous * weight + current <= limit:
        return True, 0
    return False, _retry_after(limit, period, elapsed, previous, current)


def _retry_after(limit: int, period: int, elapsed: float, previous: int, current: int) -> int:
    """Seconds to wait, without further hits, until one more hit fits under ``limit``."""
    if current + 1 <= limit and previous:  # within this window, once the previous one has faded enough
        fraction = 1 - (limit - current - 1) / previous
    else:  # in the next window, once this one has faded enough
        fraction = 1 + max(0.0, 1 - (limit - 1) / current)
    return max(1, math.ceil(fraction * period - elapsed))


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
