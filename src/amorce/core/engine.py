"""Run a function over partitions of a dataset, locally or on Ray, with the same results.

    from amorce.core.engine import run_partitions, chunks
    results = run_partitions(score_chunk, chunks(rows, 10_000), progress=callback)

* ``engine="local"`` (default): a process pool on this machine (``forkserver`` start method, so
  it is safe from threaded servers and workers).
* ``engine="serial"``: in the calling process (tests, debugging, tiny inputs).
* ``engine="ray"``: a local Ray runtime started on demand (``pip install amorce[ray]``).
* ``engine="ray://host:port"``: an existing Ray cluster through Ray Client; the cluster's nodes
  need ``amorce`` installed in the same version.

The engine is chosen by the ``engine`` argument, else the ``AMORCE_ENGINE`` environment variable,
else ``local``. ``func`` must be a module-level function (it is pickled by reference) and its
partitions and results picklable. Results come back in the order of the partitions, whatever the
order of completion. ``progress(done, total)`` is called in the calling process after each
finished partition. ``on_result(index, result)``, when given, receives each result in the calling
process as soon as its partition finishes (in order of completion), and the results are not kept
(the call returns an empty list): for outputs written as they come (an interrupted run keeps every
finished partition) or too large to hold all at once, with one pool for all the partitions.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from .config import env_int, env_str
from .errors import AmorceError
from .progress import Progress

T = TypeVar("T")
R = TypeVar("R")


class EngineError(AmorceError):
    """The batch engine could not run (bad configuration, missing Ray, failed partition)."""


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """Cut ``items`` into consecutive partitions of at most ``size`` items."""
    if size <= 0:
        raise ValueError("size must be positive")
    return [items[i:i + size] for i in range(0, len(items), size)]


def split(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """Cut ``items`` into ``parts`` consecutive partitions of near-equal size (none empty)."""
    parts = max(1, min(parts, len(items)))
    base, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def resolve_engine(engine: str | None = None) -> str:
    name = (engine or "").strip() or env_str("AMORCE_ENGINE", "local")
    if name in ("local", "serial", "ray") or name.startswith("ray://"):
        return name
    raise EngineError(
        f"Moteur de calcul inconnu : « {name} ». Valeurs possibles : local, serial, ray, ray://hôte:port.",
        engine=name,
    )


def default_workers() -> int:
    configured = env_int("AMORCE_WORKERS", 0, minimum=1)
    if configured:
        return configured
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def run_partitions(func: Callable[[Any], R], partitions: Iterable[Any], *, engine: str | None = None,
                   progress: Progress | None = None, max_workers: int | None = None,
                   on_result: Callable[[int, R], None] | None = None) -> list[R]:
    """Apply ``func`` to every partition and return the results in partition order (see ``on_result``)."""
    parts = list(partitions)
    name = resolve_engine(engine)
    total = len(parts)
    if total == 0:
        return []
    keep = _Collector(total, on_result)
    if name == "serial":
        _run_serial(func, parts, progress, keep)
    elif name == "local":
        workers = min(max_workers or default_workers(), total)
        if workers <= 1:
            _run_serial(func, parts, progress, keep)
        else:
            _run_pool(func, parts, progress, workers, keep)
    else:
        _run_ray(func, parts, progress, name, max_workers, keep)
    return keep.results


class _Collector:
    """Results in partition order, or handed to ``on_result`` as they come (then not kept)."""

    def __init__(self, total: int, on_result) -> None:
        self.on_result = on_result
        self.results: list[Any] = [] if on_result else [None] * total

    def __call__(self, index: int, result) -> None:
        if self.on_result is None:
            self.results[index] = result
        else:
            self.on_result(index, result)


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _run_serial(func, parts, progress, keep):
    _report(progress, 0, len(parts))
    for i, part in enumerate(parts):
        keep(i, func(part))
        _report(progress, i + 1, len(parts))


def _run_pool(func, parts, progress, workers, keep):
    ctx = multiprocessing.get_context("forkserver")
    _report(progress, 0, len(parts))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending = {pool.submit(func, part): i for i, part in enumerate(parts)}
        done_count = 0
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                index = pending.pop(fut)
                keep(index, fut.result())
                done_count += 1
                _report(progress, done_count, len(parts))


def _run_ray(func, parts, progress, name, max_workers, keep):
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise EngineError(
            "Le moteur Ray est demandé mais Ray n'est pas installé : pip install 'amorce[ray]'."
        ) from exc
    if not ray.is_initialized():
        if name == "ray":
            num_cpus = max_workers or default_workers()
            ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True)
        else:
            ray.init(address=name, ignore_reinit_error=True)
    remote = ray.remote(func)
    index = {remote.remote(part): i for i, part in enumerate(parts)}  # popped when fetched: the store frees it
    remaining = list(index)
    done_count = 0
    _report(progress, 0, len(parts))
    while remaining:
        ready, remaining = ray.wait(remaining, num_returns=1)
        for ref in ready:
            keep(index.pop(ref), ray.get(ref))
            done_count += 1
            _report(progress, done_count, len(parts))


def shutdown_ray() -> None:
    """Stop a local Ray runtime started by :func:`run_partitions` (no-op otherwise)."""
    try:
        import ray
    except ImportError:  # pragma: no cover
        return
    if ray.is_initialized():
        ray.shutdown()
