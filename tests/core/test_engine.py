"""The batch engine gives the same results locally (process pool), serially and on Ray."""

from __future__ import annotations

import pytest

from amorce.core.engine import EngineError, chunks, resolve_engine, run_partitions, shutdown_ray, split


def square_sum(partition):
    """Module-level so that worker processes can import it."""
    return sum(x * x for x in partition)


def fail_on_seven(partition):
    if 7 in partition:
        raise ValueError("partition with 7")
    return len(partition)


DATA = list(range(10_000))
EXPECTED = [square_sum(p) for p in chunks(DATA, 1_000)]


def test_chunks_and_split_cover_everything_in_order():
    assert [x for part in chunks(DATA, 333) for x in part] == DATA
    parts = split(DATA, 7)
    assert len(parts) == 7 and [x for part in parts for x in part] == DATA
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
    assert split([1, 2], 5) == [[1], [2]]


@pytest.mark.parametrize("engine", ["serial", "local"])
def test_local_engines_same_results_and_progress(engine):
    calls = []
    results = run_partitions(square_sum, chunks(DATA, 1_000), engine=engine, max_workers=2,
                             progress=lambda done, total: calls.append((done, total)))
    assert results == EXPECTED
    assert calls[0] == (0, 10) and calls[-1] == (10, 10)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


@pytest.mark.parametrize("engine", ["serial", "local"])
def test_on_result_receives_every_partition_once_and_nothing_is_kept(engine):
    received = {}
    returned = run_partitions(square_sum, chunks(DATA, 1_000), engine=engine, max_workers=2,
                              on_result=lambda index, result: received.setdefault(index, result))
    assert returned == [] and [received[i] for i in range(10)] == EXPECTED


def test_engine_from_environment(monkeypatch):
    monkeypatch.setenv("AMORCE_ENGINE", "serial")
    assert resolve_engine() == "serial"
    monkeypatch.setenv("AMORCE_ENGINE", "ray://10.0.0.1:10001")
    assert resolve_engine() == "ray://10.0.0.1:10001"
    monkeypatch.setenv("AMORCE_ENGINE", "spark")
    with pytest.raises(EngineError, match="Moteur de calcul inconnu"):
        resolve_engine()


@pytest.mark.parametrize(("name", "value", "message"), [
    ("AMORCE_WORKERS", "deux", "n'est pas un nombre entier"),
    ("AMORCE_WORKERS", "0", "au moins 1"),
    ("AMORCE_VISION_THREADS", "-1", "au moins 0"),
    ("AMORCE_IMAGE_MAX_PIXELS", "0", "au moins 1"),
])
def test_invalid_numbers_in_the_environment_get_a_french_error(monkeypatch, name, value, message):
    from amorce.core.config import ConfigurationError
    from amorce.core.engine import default_workers
    from amorce.core.images import configure_pillow
    from amorce.core.vision.runtime import session

    read = {"AMORCE_WORKERS": default_workers, "AMORCE_VISION_THREADS": lambda: session(b""),
            "AMORCE_IMAGE_MAX_PIXELS": configure_pillow}[name]
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=f"{name} .*{message}"):
        read()
    monkeypatch.setenv(name, "")  # blank means the default
    if name == "AMORCE_WORKERS":
        assert default_workers() >= 1


def test_partition_error_propagates():
    with pytest.raises(ValueError, match="partition with 7"):
        run_partitions(fail_on_seven, chunks(list(range(20)), 5), engine="local", max_workers=2)


def test_empty_input():
    assert run_partitions(square_sum, [], engine="local") == []


@pytest.mark.ray
def test_ray_engine_same_results_as_local():
    pytest.importorskip("ray", reason="extra amorce[ray] non installé")
    calls, received = [], {}
    try:
        results = run_partitions(square_sum, chunks(DATA, 1_000), engine="ray", max_workers=2,
                                 progress=lambda done, total: calls.append(done))
        run_partitions(square_sum, chunks(DATA, 1_000), engine="ray", max_workers=2,
                       on_result=lambda index, result: received.setdefault(index, result))
    finally:
        shutdown_ray()
    assert results == EXPECTED
    assert calls[-1] == 10
    assert [received[i] for i in range(10)] == EXPECTED
