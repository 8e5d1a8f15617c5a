"""Per-photo analyses of an indexed collection (text in images, faces and people), stored next to the
index and resumable.

Each analysis has its own folder in the collection's store::

    <store>/ocr/part-NNNNN.parquet      key + result (JSON) + error
    <store>/rights/part-NNNNN.parquet

A batch of images is analysed through the batch engine and written as one part (temporary name,
then renamed, like the index): an interrupted run keeps what it finished, and the next run skips the
photos already analysed. Images are read again from their source (files, or IIIF images from the
allowed hosts) at ``max_side`` pixels at most: the index's 512-px copies are too small to read a
caption.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from amorce.core.progress import Progress, ignore

from .index import _parts, _write_part, read_rows

KINDS = ("ocr", "rights")


def load_row_image(row: dict, max_side: int):
    """The RGB ``uint8`` array of an indexed row, read again from its source."""
    import numpy as np

    if row["kind"] == "iiif":
        import io

        from amorce.core.images import open_image

        from .iiif import _https_get, allowed_hosts, check_url

        check_url(row["location"], allowed_hosts())
        image = open_image(io.BytesIO(_https_get(row["location"])), name=row["key"]).convert("RGB")
        image.thumbnail((max_side, max_side))
        return np.asarray(image, dtype=np.uint8)
    from amorce.core.vision import load_image

    return load_image(row["location"], max_side=max_side)


def analyse_partition(payload: tuple) -> list[dict]:
    """Run ``func(rgb, **options)`` on each row of a partition (module level: pickled by reference)."""
    rows, func, max_side, options = payload
    out = []
    for row in rows:
        try:
            result = func(load_row_image(row, max_side), **options)
            out.append({"key": row["key"], "result": json.dumps(result, ensure_ascii=False), "error": None})
        except Exception as exc:  # noqa: BLE001 - one bad image is reported, the others go on
            out.append({"key": row["key"], "result": None,
                        "error": f"{type(exc).__name__} : {getattr(exc, 'message', None) or exc}"})
    return out


@dataclass
class AnalysisSummary:
    total: int
    analysed: int
    skipped: int
    errors: list[tuple[str, str]]

    def as_dict(self) -> dict:
        return {"total": self.total, "analysed": self.analysed, "skipped": self.skipped,
                "errors": [{"file": k, "error": e} for k, e in self.errors]}


def _table(records: list[dict]):
    import pyarrow as pa

    schema = pa.schema([("key", pa.string()), ("result", pa.string()), ("error", pa.string())])
    return pa.table({name: [r[name] for r in records] for name in schema.names}, schema=schema)


def read_analysis(store: str | Path, kind: str) -> dict[str, dict]:
    """``{key: {"result": dict | None, "error": str | None}}`` (the latest part wins)."""
    import pyarrow.parquet as pq

    out: dict[str, dict] = {}
    for part in _parts(Path(store), kind):
        for record in pq.read_table(part).to_pylist():
            out[record["key"]] = {"result": json.loads(record["result"]) if record["result"] else None,
                                  "error": record["error"]}
    return out


def run_analysis(store: str | Path, kind: str, func: Callable, *, max_side: int, options: dict | None = None,
                 engine: str | None = None, progress: Progress | None = None, partition_size: int = 8,
                 message: str = "Analyse des images", retry_errors: bool = False) -> AnalysisSummary:
    """Analyse every readable photo of ``store`` not analysed yet; one part written per batch."""
    from amorce.core.engine import default_workers, run_partitions

    if kind not in KINDS:
        raise ValueError(kind)
    store = Path(store)
    progress = progress or ignore
    done = read_analysis(store, kind)
    rows = [r for r in read_rows(store) if not r["error"]]
    todo = [r for r in rows if r["key"] not in done or (retry_errors and done[r["key"]]["error"])]
    skipped = len(rows) - len(todo)
    partitions = [todo[i:i + partition_size] for i in range(0, len(todo), partition_size)]
    per_batch = max(2, 2 * default_workers())
    errors: list[tuple[str, str]] = []
    finished = 0
    progress(skipped, len(rows), message)
    for start in range(0, len(partitions), per_batch):
        batch = partitions[start:start + per_batch]
        base = finished

        def report(count, total=None, _message=None, _base=base, _batch=batch):
            progress(skipped + _base + sum(len(p) for p in _batch[:int(count)]), len(rows), message)

        results = run_partitions(analyse_partition, [(p, func, max_side, options or {}) for p in batch],
                                 engine=engine, progress=report)
        records = [r for part in results for r in part]
        _write_part(store, kind, _table(records))
        errors += [(r["key"], r["error"]) for r in records if r["error"]]
        finished += len(records)
    progress(len(rows), len(rows), message)
    return AnalysisSummary(total=len(rows), analysed=finished, skipped=skipped, errors=errors)
