from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from amorce.web.ratelimit import parse_rate, ratelimit


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_parse_rate():
    assert parse_rate("60/m") == (60, 60)
    assert parse_rate("5/s") == (5, 1)
    assert parse_rate("100/10m") == (100, 600)
    assert parse_rate("1000/h") == (1000, 3600)


def test_decorator_answers_429_in_french_above_rate():
    @ratelimit("3/m", scope="essai")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    statuses = [view(factory.get("/", REMOTE_ADDR="10.1.1.1")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    blocked = view(factory.get("/", REMOTE_ADDR="10.1.1.1"))
    assert "Trop de requêtes" in __import__("json").loads(blocked.content)["detail"] and int(blocked["Retry-After"]) > 0
    # another client is not affected
    assert view(factory.get("/", REMOTE_ADDR="10.1.1.2")).status_code == 200
