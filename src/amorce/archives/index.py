"""Index a photo collection: list its images, read their metadata, hash them, make thumbnails and
(optionally) image features, in resumable batches through the batch engine.

The index lives in a *store* folder (next to the database, not in it)::

    <store>/images/part-NNNNN.parquet    one row per image (key, path, size, hashes, metadata, error)
    <store>/features/part-NNNNN.parquet  key + 1280-d float32 features (when computed)
    <store>/clip/part-NNNNN.parquet      key + text-image embeddings (when a backbone is configured)
    <store>/thumbs/<sha1(key)>.jpg       256-px thumbnails

Each batch is written to its own part file (temporary name, then renamed): an interrupted run keeps
what it finished, and the next run skips images already indexed with the same size and date. A
corrupt image is reported in its row (``error``) and skipped by the duplicate search.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from amorce.core import config
from amorce.core.progress import Progress, ignore

from .errors import CollectionNotFound, SourceError

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif")
THUMB_SIDE = 256
LOAD_SIDE = 512  # images are decoded at most this size (JPEG draft mode): hashes, thumbnails, features
PARTITION_SIZE = 128
COLUMNS = ("key", "location", "kind", "width", "height", "bytes", "mtime_ns", "phash", "dhash", "phash_mirror",
           "dhash_mirror", "phash_turns", "dhash_turns", "metadata", "error")


@dataclass(frozen=True)
class Item:
    """One image to index: its key (path relative to the source, or IIIF canvas id) and where it is."""

    key: str
    location: str  # local path or IIIF Image API URL
    kind: str = "file"  # "file" or "iiif"
    metadata: dict[str, str] = field(default_factory=dict)
    iiif: object | None = None  # an iiif.IIIFImage for kind == "iiif"


def list_items(source: str | Path, *, metadata_csv: str | Path | None = None) -> list[Item]:
    """The images of a source: a folder (recursively), or a local IIIF manifest or collection (JSON)."""
    source = Path(source)
    if not source.exists():
        raise SourceError(f"Source introuvable : {source}", source=str(source))
    table = {}
    if metadata_csv is not None:
        from .metadata import read_metadata_csv

        table = read_metadata_csv(metadata_csv)
    if source.is_dir():
        from .metadata import match_metadata

        files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
        items = []
        for path in files:
            key = path.relative_to(source).as_posix()
            items.append(Item(key=key, location=str(path), metadata=dict(match_metadata(key, table))))
        return items
    if source.suffix.lower() == ".json":
        from .iiif import image_request_url, load_local

        return [Item(key=im.key, location=image_request_url(im), kind="iiif",
                     metadata={**im.metadata, **table.get(im.key, {})}, iiif=im) for im in load_local(source)]
    raise SourceError(f"Source non reconnue : {source.name} (attendu un dossier d'images ou un manifeste IIIF .json).",
                      source=str(source))


def thumb_path(store: Path, key: str) -> Path:
    return store / "thumbs" / f"{hashlib.sha1(key.encode('utf-8')).hexdigest()}.jpg"


def _open(item: Item, hosts: frozenset[str]):
    """``(RGB image at most LOAD_SIDE px, full width, full height, bytes, mtime_ns, embedded metadata)``."""
    import warnings

    from PIL import Image

    from amorce.core.images import open_image

    from .metadata import embedded_metadata

    if item.kind == "iiif":
        from .iiif import fetch_image

        data = fetch_image(item.iiif, hosts)
        image = open_image(io.BytesIO(data), name=item.key)
        meta = embedded_metadata(image)
        width, height = (item.iiif.width or image.width), (item.iiif.height or image.height)
        image = image.convert("RGB")
        image.thumbnail((LOAD_SIDE, LOAD_SIDE))
        return image, width, height, len(data), 0, meta
    from amorce.core.vision import load_image

    stat = os.stat(item.location)
    with warnings.catch_warnings():  # the header only; load_image enforces the pixel limit
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(item.location) as header:
            width, height = header.size
            meta = embedded_metadata(header)
    image = Image.fromarray(load_image(item.location, max_side=LOAD_SIDE))
    return image, width, height, stat.st_size, stat.st_mtime_ns, meta


def index_partition(payload: tuple) -> tuple[list[dict], list, list]:
    """Index one partition (module level: the engine pickles it by reference): its rows, its features
    (when asked) and its text-image embeddings (when a backbone is given)."""
    items, store, hosts, with_features, *rest = payload
    threads = rest[0] if rest else None
    backbone = rest[1] if len(rest) > 1 else None
    from .hashing import hash_image

    rows, rgb_for_features = [], []
    for item in items:
        row = {"key": item.key, "location": item.location, "kind": item.kind, "width": None, "height": None,
               "bytes": None, "mtime_ns": None, "phash": None, "dhash": None, "phash_mirror": None,
               "dhash_mirror": None, "phash_turns": None, "dhash_turns": None, "metadata": dict(item.metadata),
               "error": None}
        try:
            rgb, width, height, size, mtime, embedded = _open(item, hosts)
            row.update(width=width, height=height, bytes=size, mtime_ns=mtime)
            row["metadata"] = {**embedded, **item.metadata}  # the catalogue wins over EXIF / IPTC / XMP
            hashes = hash_image(rgb)
            row.update(phash=hashes.phash, dhash=hashes.dhash, phash_mirror=hashes.phash_mirror,
                       dhash_mirror=hashes.dhash_mirror, phash_turns=list(hashes.phash_turns),
                       dhash_turns=list(hashes.dhash_turns))
            thumb = rgb.copy()
            thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
            target = thumb_path(Path(store), item.key)
            target.parent.mkdir(parents=True, exist_ok=True)
            thumb.save(target, "JPEG", quality=85)
            if with_features or backbone is not None:
                rgb_for_features.append((item.key, rgb))
        except Exception as exc:  # noqa: BLE001 - one bad image is reported, the others go on
            row["error"] = f"{type(exc).__name__} : {getattr(exc, 'message', None) or exc}"
        rows.append(row)
    features, embeddings = [], []
    if rgb_for_features and with_features:
        features = _features(rgb_for_features, threads)
    if rgb_for_features and backbone is not None:
        from .textimage import image_encoder

        embeddings = _features(rgb_for_features, extractor=image_encoder(backbone))
    return rows, features, embeddings


_EXTRACTORS: dict[tuple, object] = {}


def _extractor(threads: int | None):
    """The embedded feature extractor of this process, loaded once per models folder and thread count
    (an onnxruntime session costs a few hundred milliseconds; a worker indexes many partitions)."""
    from amorce.core.vision import embedded_features, models_dir

    key = (str(models_dir()), threads)
    if key not in _EXTRACTORS:
        _EXTRACTORS.clear()
        _EXTRACTORS[key] = embedded_features(threads=threads)
    return _EXTRACTORS[key]


def _features(keyed_images, threads: int | None = None, extractor=None) -> list[tuple[str, list[float]]]:
    import numpy as np

    arrays = [np.asarray(image, dtype=np.uint8) for _key, image in keyed_images]
    vectors = (extractor or _extractor(threads)).features(arrays)
    return [(key, vectors[i]) for i, (key, _image) in enumerate(keyed_images)]


def worker_threads(engine: str | None, partitions: int) -> int | None:
    """onnxruntime threads per worker: the cores shared among the workers that run at once (one each when
    there are as many workers as cores: several sessions of two threads on two cores slow each other down);
    ``None`` (onnxruntime's default, or ``AMORCE_VISION_THREADS``) in a single process."""
    from amorce.core.engine import default_workers, resolve_engine

    if config.env_str("AMORCE_VISION_THREADS"):
        return None
    name = resolve_engine(engine)
    cores = default_workers()
    if name == "serial" or name.startswith("ray://"):  # a remote cluster sizes its own nodes
        return None
    workers = min(cores, partitions)
    return None if workers <= 1 else max(1, cores // workers)


# ------------------------------------------------------------------------------ store
def _parts(store: Path, kind: str) -> list[Path]:
    return sorted((store / kind).glob("part-*.parquet"))


def _write_part(store: Path, kind: str, table) -> Path:
    import pyarrow.parquet as pq

    folder = store / kind
    folder.mkdir(parents=True, exist_ok=True)
    existing = _parts(store, kind)
    number = int(existing[-1].stem.split("-")[1]) + 1 if existing else 0
    target = folder / f"part-{number:05d}.parquet"
    temporary = folder / f".part-{number:05d}.parquet.tmp"
    pq.write_table(table, temporary)
    os.replace(temporary, target)
    return target


def _rows_table(rows: list[dict]):
    import pyarrow as pa

    schema = pa.schema([("key", pa.string()), ("location", pa.string()), ("kind", pa.string()),
                        ("width", pa.int32()), ("height", pa.int32()), ("bytes", pa.int64()),
                        ("mtime_ns", pa.int64()), ("phash", pa.uint64()), ("dhash", pa.uint64()),
                        ("phash_mirror", pa.uint64()), ("dhash_mirror", pa.uint64()),
                        ("phash_turns", pa.list_(pa.uint64())), ("dhash_turns", pa.list_(pa.uint64())),
                        ("metadata", pa.string()), ("error", pa.string())])
    data = {name: [r[name] for r in rows] for name in COLUMNS}
    data["metadata"] = [json.dumps(m, ensure_ascii=False, sort_keys=True) for m in data["metadata"]]
    return pa.table(data, schema=schema)


def _features_table(features):
    import numpy as np
    import pyarrow as pa

    matrix = np.asarray([v for _k, v in features], dtype=np.float32)
    flat = pa.array(matrix.reshape(-1))
    return pa.table({"key": [k for k, _v in features],
                     "features": pa.FixedSizeListArray.from_arrays(flat, matrix.shape[1])})


def read_rows(store: str | Path) -> list[dict]:
    """The indexed rows of a store, one per key (the latest part wins), in key order."""
    import pyarrow.parquet as pq

    store = Path(store)
    latest: dict[str, dict] = {}
    for part in _parts(store, "images"):
        for row in pq.read_table(part).to_pylist():
            row["metadata"] = json.loads(row["metadata"] or "{}")
            row.setdefault("phash_turns", None)  # stores indexed before the quarter-turn hashes
            row.setdefault("dhash_turns", None)
            latest[row["key"]] = row
    return [latest[k] for k in sorted(latest)]


def read_features(store: str | Path, kind: str = "features"):
    """``(keys, matrix)`` of the stored features (latest part wins), keys in order; ``([], None)`` when none.
    ``kind="clip"``: the text-image embeddings.

    Streamed into one float32 matrix: the keys of every part first, then each part's vectors copied
    into their rows, so that memory holds the result and one part (a million 1280-d vectors: 5.1 GB,
    not twice that).
    """
    import numpy as np
    import pyarrow.parquet as pq

    parts = _parts(Path(store), kind)
    latest: dict[str, tuple[int, int]] = {}
    for number, part in enumerate(parts):
        for row, key in enumerate(pq.read_table(part, columns=["key"]).column("key").to_pylist()):
            latest[key] = (number, row)
    if not latest:
        return [], None
    keys = sorted(latest)
    wanted: dict[int, tuple[list[int], list[int]]] = {}
    for position, key in enumerate(keys):
        number, row = latest[key]
        rows, positions = wanted.setdefault(number, ([], []))
        rows.append(row)
        positions.append(position)
    matrix = None
    for number, (rows, positions) in sorted(wanted.items()):
        column = pq.read_table(parts[number], columns=["features"]).column("features")
        width = column.type.list_size
        vectors = column.combine_chunks().flatten().to_numpy().reshape(-1, width)
        if matrix is None:
            matrix = np.empty((len(keys), width), dtype=np.float32)
        matrix[positions] = vectors[rows]
    return keys, matrix


@dataclass
class IndexSummary:
    total: int
    indexed: int
    skipped: int
    errors: list[tuple[str, str]]

    def as_dict(self) -> dict:
        return {"total": self.total, "indexed": self.indexed, "skipped": self.skipped,
                "errors": [{"file": k, "error": e} for k, e in self.errors]}


def build_index(items: Sequence[Item], store: str | Path, *, features: bool = False, engine: str | None = None,
                progress: Progress | None = None, partition_size: int = PARTITION_SIZE,
                hosts: frozenset[str] | None = None, backbone=None) -> IndexSummary:
    """Index ``items`` into ``store``, skipping those already indexed unchanged; resumable. With a
    text-image ``backbone`` (``config.Backbone``), each image's embedding is stored too.

    One pool of workers for all the partitions (the engine's ``on_result``): each partition is written
    to its own part as soon as it is done, in order of completion.
    """
    from amorce.core.engine import run_partitions

    from .iiif import allowed_hosts

    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    hosts = allowed_hosts() if hosts is None else hosts
    progress = progress or ignore
    done_before = {r["key"]: r for r in read_rows(store)} if (store / "images").exists() else {}
    feature_keys = set(read_features(store)[0]) if features else set()
    embedded_keys = set(read_features(store, kind="clip")[0]) if backbone is not None else None
    todo = [item for item in items if not _unchanged(item, done_before.get(item.key), features, feature_keys)
            or (embedded_keys is not None and item.key not in embedded_keys)]
    skipped = len(items) - len(todo)
    partitions = [todo[i:i + partition_size] for i in range(0, len(todo), partition_size)]
    errors: list[tuple[str, str]] = []
    finished = 0
    progress(skipped, len(items), "Indexation des images")

    def write(_index: int, result) -> None:  # each partition is stored as soon as it is done
        nonlocal finished
        rows, vectors, embeddings = result
        if vectors:  # features first: a row without its features would be skipped next time
            _write_part(store, "features", _features_table(vectors))
        if embeddings:
            _write_part(store, "clip", _features_table(embeddings))
        _write_part(store, "images", _rows_table(rows))
        errors.extend((r["key"], r["error"]) for r in rows if r["error"])
        finished += len(rows)
        progress(skipped + finished, len(items), "Indexation des images")

    threads = worker_threads(engine, len(partitions)) if features else None
    run_partitions(index_partition, [(p, str(store), hosts, features, threads, backbone) for p in partitions],
                   engine=engine, on_result=write)
    progress(len(items), len(items), "Indexation terminée")
    order = {item.key: n for n, item in enumerate(items)}
    errors.sort(key=lambda error: order.get(error[0], 0))  # in the order of the source, whatever the completion
    return IndexSummary(total=len(items), indexed=finished, skipped=skipped, errors=errors)


def _unchanged(item: Item, previous: dict | None, features: bool, feature_keys: set) -> bool:
    if previous is None or previous["error"]:
        return False
    if features and item.key not in feature_keys:
        return False
    if item.kind == "file":
        stat = os.stat(item.location)
        return previous["bytes"] == stat.st_size and previous["mtime_ns"] == stat.st_mtime_ns
    return True


def store_for(collection: str, data_dir: str | Path | None = None) -> Path:
    """The store folder of a named collection under ``AMORCE_DATA_DIR`` (default ``./var``)."""
    import re

    if not collection or not re.fullmatch(r"[\w.-]{1,100}", collection) or collection.startswith("."):
        raise SourceError(f"Nom de collection invalide : « {collection} » (lettres, chiffres, « . », « _ », « - »).")
    base = Path(data_dir) if data_dir else config.data_dir()
    return base / "archives" / collection


def existing_store(collection: str, data_dir: str | Path | None = None) -> Path:
    store = store_for(collection, data_dir)
    if not _parts(store, "images"):
        raise CollectionNotFound(f"La collection « {collection} » n'est pas indexée "
                                 f"(lancez d'abord : amorce archives index SOURCE --collection {collection}).",
                                 collection=collection)
    return store
