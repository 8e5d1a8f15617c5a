"""Archives: indexing throughput on 2 cores, decode included, local engine against Ray -> docs/benchmarks.md.

Test images: the 400 real photos of ../shared/data/heritage_architecture_elements (64 × 64 px),
enlarged to 1024 × 768 (bicubic) with a film grain added (Gaussian, σ = 8 grey levels, the same on
the three channels) so that the JPEGs (quality 90) weigh what a scanned photo of that size weighs
(a plain enlargement compresses to a few kilobytes and decodes unrealistically fast). They are
written to a temporary folder (deleted afterwards, never committed; ``--dossier`` keeps them).

Each measure runs the product's own indexing (``amorce.archives.index.build_index``: listing,
reading the header and its EXIF / IPTC / XMP, reduced JPEG decoding at 512 px, pHash + dHash in
eight orientations, 256-px thumbnail written, Parquet parts written, and the EfficientNet-Lite0
features with ``features=True``) into a fresh store, with the local engine (process pool) and with
Ray (local runtime started before the clock: its start-up time is given apart), in the same run.
The hashes and features of the two engines are compared (they must be identical).

    .venv/bin/python benchmarks/archives_throughput.py [--images 800] [--images-caracteristiques 400]
        [--moteurs local,ray] [--no-report]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import HERITAGE, ROOT, heritage_rows, markdown_table, write_section  # noqa: E402

SIZE = (1024, 768)
GRAIN = 8.0
HASH_GOAL = 200
FEATURE_GOAL = 20


def make_images(folder: Path, count: int) -> list[Path]:
    """``count`` grainy 1024 × 768 JPEGs made from the heritage photos (reused when already there)."""
    import numpy as np
    from PIL import Image

    rows = heritage_rows() or []
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    out = []
    for i in range(count):
        path = folder / f"{i:05d}.jpg"
        if not path.exists():
            with Image.open(HERITAGE / rows[i % len(rows)]["file"]) as source:
                big = source.convert("RGB").resize(SIZE, Image.Resampling.BICUBIC)
            grain = rng.normal(0.0, GRAIN, (SIZE[1], SIZE[0], 1)).astype(np.float32)
            pixels = np.clip(np.asarray(big, dtype=np.float32) + grain, 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(path, quality=90)
        out.append(path)
    return out


def _identity(value):
    return value


def run_once(folder: Path, count: int, *, features: bool, engine: str) -> tuple[float, Path, float]:
    """Seconds to index the first ``count`` images of ``folder`` into a fresh store, the store, and the
    CPU seconds of this process (all its threads: the whole work with the serial engine)."""
    from amorce.archives.index import build_index, list_items

    items = list_items(folder)[:count]
    store = Path(tempfile.mkdtemp(prefix=f"amorce-debit-{engine}-"))
    start, cpu = time.perf_counter(), time.process_time()
    summary = build_index(items, store, features=features, engine=engine, hosts=frozenset())
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if summary.errors or summary.indexed != count:
        raise SystemExit(f"Indexation incomplète : {summary.as_dict()}")
    return seconds, store, cpu


def same_results(a: Path, b: Path, features: bool) -> bool:
    import numpy as np

    from amorce.archives.index import read_features, read_rows

    columns = ("key", "width", "height", "phash", "dhash", "phash_mirror", "dhash_mirror", "phash_turns",
               "dhash_turns")
    rows_a, rows_b = read_rows(a), read_rows(b)
    if [[r[c] for c in columns] for r in rows_a] != [[r[c] for c in columns] for r in rows_b]:
        return False
    if not features:
        return True
    (keys_a, fa), (keys_b, fb) = read_features(a), read_features(b)
    return keys_a == keys_b and np.array_equal(fa, fb)


def fr(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=800, help="images pour le hachage seul")
    parser.add_argument("--images-caracteristiques", type=int, default=400, help="images pour hachage + caractéristiques")
    parser.add_argument("--moteurs", default="local,ray")
    parser.add_argument("--dossier", help="garder les JPEG générés dans ce dossier (réutilisés ensuite)")
    parser.add_argument("--no-report", action="store_true", help="ne pas écrire docs/benchmarks.md")
    args = parser.parse_args()
    if heritage_rows() is None:
        return
    os.environ.setdefault("AMORCE_MODELS_DIR", str(ROOT / "var" / "models"))
    engines = [e.strip() for e in args.moteurs.split(",") if e.strip()]
    folder = Path(args.dossier) if args.dossier else Path(tempfile.mkdtemp(prefix="amorce-debit-jpeg-"))
    stores: list[Path] = []
    try:
        count = max(args.images, args.images_caracteristiques)
        start = time.perf_counter()
        paths = make_images(folder, count)
        made = time.perf_counter() - start
        mean_kb = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        ray_start = None
        if "ray" in engines:
            from amorce.core.engine import run_partitions

            start = time.perf_counter()
            run_partitions(_identity, [1, 2], engine="ray")  # starts the local Ray runtime
            ray_start = time.perf_counter() - start
        results: dict[tuple[str, bool], tuple[float, float, float]] = {}
        stored: dict[tuple[str, bool], Path] = {}
        for features, n in ((False, args.images), (True, args.images_caracteristiques)):
            for engine in engines:
                load_before = os.getloadavg()[0]
                seconds, store, _cpu = run_once(folder, n, features=features, engine=engine)
                stores.append(store)
                stored[(engine, features)] = store
                results[(engine, features)] = (n / seconds, seconds, load_before, os.getloadavg()[0])
                print(f"{engine:6} caractéristiques={features!s:5} {n} images en {seconds:.1f} s : "
                      f"{n / seconds:.1f} images/s (charge {load_before:.1f} → {os.getloadavg()[0]:.1f})", flush=True)
        identical = {f: same_results(stored[(engines[0], f)], stored[(e, f)], f)
                     for f in (False, True) for e in engines[1:]}
        # CPU time per image in one process, one onnxruntime thread (after the pools: their workers
        # must not inherit this setting), on the first images, after a warm-up (imports, model session)
        os.environ["AMORCE_VISION_THREADS"] = "1"
        cpu_rates = {}
        for features, n in ((False, min(args.images, 256)), (True, min(args.images_caracteristiques, 96))):
            stores.append(run_once(folder, 4, features=features, engine="serial")[1])  # warm-up
            _seconds, store, cpu = run_once(folder, n, features=features, engine="serial")
            stores.append(store)
            cpu_rates[features] = n / cpu
            print(f"serial caractéristiques={features!s:5} {n} images : {1000 * cpu / n:.1f} ms de CPU par image", flush=True)
    finally:
        for store in stores:
            shutil.rmtree(store, ignore_errors=True)
        if not args.dossier:
            shutil.rmtree(folder, ignore_errors=True)
        if "ray" in engines:
            from amorce.core.engine import shutdown_ray

            shutdown_ray()
    rows = []
    for features, label, goal in ((False, "hachage (pHash + dHash, 8 orientations) + vignette", HASH_GOAL),
                                  (True, "hachage + vignette + caractéristiques EfficientNet-Lite0", FEATURE_GOAL)):
        local = results.get(("local", features))
        for engine in engines:
            rate, seconds, before, after = results[(engine, features)]
            ratio = fr(rate / local[0], 2) if local and engine != "local" else "—"
            verdict = "atteint" if rate >= goal else "**non atteint**"
            rows.append([label, engine, args.images if not features else args.images_caracteristiques,
                         fr(seconds), f"**{fr(rate)}**", ratio, f"≥ {goal} : {verdict}", f"{fr(before)} → {fr(after)}"])
        capacity = 2 * cpu_rates[features]
        rows.append([label, "temps CPU, 1 processus (capacité de 2 cœurs libres = 2 × images par seconde de CPU)",
                     f"{fr(1000 / cpu_rates[features])} ms CPU / image", "—", f"{fr(capacity)} (estimé)", "—",
                     f"≥ {goal} : {'atteint' if capacity >= goal else '**non atteint**'} (estimé)", "—"])
    same = "identiques" if all(identical.values()) else "**différents**"
    body = (
        f"Images : les 400 photographies du jeu patrimonial agrandies en JPEG 1024 × 768 (qualité 90, grain "
        f"gaussien σ = {GRAIN:.0f} pour qu'elles pèsent ce que pèse un scan : {fr(mean_kb, 0)} Ko en moyenne ; "
        f"générées en {fr(made)} s dans un dossier temporaire, lues depuis le cache du système). Chaque mesure "
        "lance l'indexation du produit (`build_index` : en-tête et EXIF / IPTC / XMP, décodage JPEG réduit à "
        "512 px, pHash + dHash dans les 8 orientations, vignette de 256 px écrite, lots Parquet écrits ; avec "
        "les caractéristiques, EfficientNet-Lite0 par onnxruntime) dans un index neuf, démarrage des processus "
        "compris. "
        + (f"Ray : environnement local démarré avant la mesure ({fr(ray_start)} s, non compté). " if ray_start else "")
        + f"Empreintes et caractéristiques des deux moteurs : {same}. La charge moyenne de la machine (2 cœurs "
        "partagés avec d'autres calculs) est donnée avant → après chaque mesure : au-dessus de 2, les débits "
        "mesurés sont minorés d'autant. La dernière ligne de chaque mesure donne donc aussi le temps CPU par "
        "image dans un seul processus (moteur `serial`, un fil onnxruntime, `time.process_time`), peu sensible "
        "à la charge, et la capacité qu'il donne sur deux cœurs libres (2 ÷ temps CPU ; une borne haute : elle "
        "suppose les deux processus parfaitement parallèles).\n\n"
        + markdown_table(["Mesure", "moteur", "images", "durée (s)", "images/s", "rapport à local", "objectif",
                          "charge"], rows)
        + "\n\nCommande : `.venv/bin/python benchmarks/archives_throughput.py` (options `--images`, "
        "`--images-caracteristiques`, `--moteurs local,ray`)."
    )
    print(body)
    if not args.no_report:
        write_section("archives_throughput", "Archives : débit de l'indexation (2 cœurs, local et Ray)", body)


if __name__ == "__main__":
    main()
