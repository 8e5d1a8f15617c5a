from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from amorce.web.ratelimit import hit, parse_rate, ratelimit


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


def test_a_burst_straddling_a_window_boundary_is_still_one_burst():
    """A fixed window would let 2 × the limit through around a boundary (and made a test flaky)."""
    start = 1_000_020.0 - 0.2  # 0.2 s before a minute boundary
    assert [hit("a", "2/m", start + 0.1 * i)[0] for i in range(4)] == [True, True, False, False]
    assert [hit("b", "2/m", start - 0.05 + 0.1 * i)[0] for i in range(3)] == [True, True, False]


def test_the_previous_window_fades_out_and_retry_after_says_when():
    base = 6_000_000.0  # a window boundary for 1-minute windows
    for i in range(4):
        hit("c", "4/m", base + 10 + i)  # 4 hits early in a window: the limit
    allowed, retry = hit("c", "4/m", base + 60 + 5)  # next window: the 4 previous still weigh 4 × 55/60
    assert not allowed
    # counting that refused hit too (1 in this window), one more fits once 4 × (1 - t/60) + 2 <= 4: t = 30 s
    assert retry == 25
    assert hit("c", "4/m", base + 60 + 5 + retry)[0]
    allowed, retry = hit("d", "1/m", base + 15)[0], hit("d", "1/m", base + 20)[1]
    assert allowed and retry == 100  # the next window, once this one's 2 hits weigh at most 0: 40 + 60 s


def test_client_ip_believes_x_forwarded_for_only_from_trusted_proxies(settings):
    import ipaddress

    from amorce.web.audit import client_ip

    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    settings.AMORCE_TRUSTED_PROXIES = ()
    assert client_ip(spoofed) == "203.0.113.9"  # no proxy configured: the header is ignored
    settings.AMORCE_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    assert client_ip(spoofed) == "203.0.113.9"  # the header does not come from a trusted proxy
    # behind two trusted proxies: the right-most untrusted address; what the client wrote further left is ignored
    proxied = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.1")
    assert client_ip(proxied) == "198.51.100.7"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="n'importe quoi")) == "10.0.0.2"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_rate_limit_counts_each_citizen_behind_a_trusted_proxy(settings):
    import ipaddress

    settings.AMORCE_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.2/32"),)

    @ratelimit("2/m", scope="proxy")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()

    def call(citizen):
        return view(factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=citizen)).status_code

    assert [call("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert call("198.51.100.2") == 200


def test_trusted_proxies_configuration_is_validated():
    from amorce.core.config import ConfigurationError, env_networks

    assert [str(n) for n in env_networks("X", {"X": "10.0.0.0/8, 192.0.2.7"})] == ["10.0.0.0/8", "192.0.2.7/32"]
    with pytest.raises(ConfigurationError, match="X : « proxy.local »"):
        env_networks("X", {"X": "proxy.local"})


def _count_hits(directory: str, hits: int, backend: str) -> None:
    from django.utils.module_loading import import_string

    counter = import_string(backend)(directory, {})
    for _ in range(hits):
        counter.add("window", 0)
        counter.incr("window")


def test_file_cache_counts_every_hit_from_concurrent_processes(tmp_path):
    """Web processes share the file cache: no increment of a rate-limit window may be lost."""
    import multiprocessing

    from amorce.web.cache import LockedFileBasedCache

    backend = "amorce.web.cache.LockedFileBasedCache"
    workers = [multiprocessing.get_context("fork").Process(target=_count_hits, args=(str(tmp_path), 150, backend))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert LockedFileBasedCache(str(tmp_path), {}).get("window") == 600
