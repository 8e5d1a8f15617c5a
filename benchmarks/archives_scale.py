"""Archives: a simulated collection of a million images — duplicate index and nearest neighbours -> docs/benchmarks.md.

Nothing here is a real photo: the hashes and features are generated, and the planted duplicates are
known, so that the product's own search code can be timed and its recall checked at a size the
shared data cannot reach.

**Hashes.** Every image gets eight random 64-bit pHashes and dHashes (one per orientation, as the
index stores them: plain, mirror, three quarter turns, three mirrored turns), drawn uniformly.
``n / 100`` planted groups of 2 to 4 images: a base image and copies whose eight hashes are the base's
with ``d`` bits flipped in each pHash (``d`` drawn from 0 to 12, the product's radius) and ``e`` bits in
each dHash (0 to 16); one copy in four is a mirror (its plain and mirror hashes swapped with the
base's) and one in four a quarter turn (its plain hash is the base's quarter-turn hash). Rows are
shuffled. The search is the product's: ``duplicates.hash_pairs`` on arrays
(``hashindex.oriented_pairs``: multi-index hashing, 5 blocks), radius 12 on the pHash and 16 on the
dHash, every orientation of every image probed. Recall: planted (base, copy) pairs found, and
planted groups found whole in one group. The former BK-tree is timed beside it on a smaller set.

**Features.** ``n`` vectors of 1280 dimensions (EfficientNet-Lite0's), non-negative like the real
ones (a ReLU of 1,000 random cluster centres plus Gaussian noise, unit length); 1 % of them have a
planted neighbour (a copy of another vector with noise, cosine ≈ 0.95). Exact search as
``search.similar`` does it (numpy matrix product with all vectors, by blocks of 65,536 rows, top 10).
When faiss-cpu is installed (not an amorce dependency), an IVF-PQ index on the first ``--n-approche``
vectors, its 100 candidates re-ranked exactly, with its recall@10 against the exact search.

    .venv/bin/python benchmarks/archives_scale.py [--n 1000000] [--n-groupes 200000] [--n-bktree 20000]
        [--n-caracteristiques 1000000] [--n-approche 200000] [--requetes 500] [--no-report]

About 5 minutes on 2 free cores with the defaults (5 GB of memory for the features); all the groups of
the full million (``--n-groupes 1000000``) take about 25 times as long as the default 200,000.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import markdown_table, write_section  # noqa: E402

PHASH_RADIUS, DHASH_RADIUS = 12, 16
DIM = 1280
BLOCK_ROWS = 65_536
HASH_HEADERS = ["Index", "construction (s)", "taille (Mio)", "pic de mémoire (Mio)", "requête p50 (ms)", "p95 (ms)",
                "CPU par requête (ms)", "charge"]
FEATURE_HEADERS = ["Recherche", "p50 (ms)", "p95 (ms)", "CPU par requête (ms)", "par requête en lot de 100 (ms)",
                   "voisin planté dans les 10", "charge"]


def flip(rng, values: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Each value with ``bits[i]`` distinct random bits flipped."""
    out = values.copy()
    order = np.argsort(rng.random((len(values), 64)), axis=1).astype(np.uint64)  # distinct positions per value
    for k in range(int(bits.max(initial=0))):
        chosen = bits > k
        out[chosen] ^= np.left_shift(np.uint64(1), order[chosen, k])
    return out


def synthetic_hashes(n: int, seed: int = 0):
    """``(phash (n, 8), dhash (n, 8), planted pairs (m, 2), group of each planted row or -1, distances)``."""
    rng = np.random.default_rng(seed)
    phash = rng.integers(0, 2**64, (n, 8), dtype=np.uint64, endpoint=False)
    dhash = rng.integers(0, 2**64, (n, 8), dtype=np.uint64, endpoint=False)
    groups = n // 100
    sizes = rng.integers(2, 5, groups)
    while sizes.sum() > n:
        sizes = sizes[:-1]
    group = np.repeat(np.arange(len(sizes)), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    base = first[group]
    copies = np.flatnonzero(np.arange(len(group)) != base)
    bases = base[copies]
    dp = rng.integers(0, PHASH_RADIUS + 1, len(copies))
    dd = rng.integers(0, DHASH_RADIUS + 1, len(copies))
    kind = rng.integers(0, 4, len(copies))  # 0, 1: near copy; 2: mirror; 3: quarter turn
    source_p, source_d = phash[bases].copy(), dhash[bases].copy()
    mirror = kind == 2
    source_p[mirror] = source_p[mirror][:, [1, 0, 5, 6, 7, 2, 3, 4]]  # plain <-> mirror, turns <-> mirrored turns
    source_d[mirror] = source_d[mirror][:, [1, 0, 5, 6, 7, 2, 3, 4]]
    turn = kind == 3
    source_p[turn] = source_p[turn][:, [2, 5, 3, 4, 0, 6, 7, 1]]  # its plain hash is the base's quarter turn
    source_d[turn] = source_d[turn][:, [2, 5, 3, 4, 0, 6, 7, 1]]
    for o in range(8):
        phash[copies, o] = flip(rng, source_p[:, o], dp)
        dhash[copies, o] = flip(rng, source_d[:, o], dd)
    order = rng.permutation(n)  # row r of the collection is generated row order[r]
    where = np.empty(n, dtype=np.int64)
    where[order] = np.arange(n)
    planted = np.stack([where[bases], where[copies]], axis=1)
    group_of = np.full(n, -1)
    group_of[where[np.arange(len(group))]] = group
    return phash[order], dhash[order], planted, group_of, dp


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def percentile_ms(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def fr(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def measure_hashes(n: int, n_groups: int, n_bktree: int, queries: int) -> tuple[list[list], dict]:
    from amorce.archives.duplicates import BKTree
    from amorce.archives.hashindex import HashIndex, oriented_pairs, set_threads

    facts: dict = {"load": [os.getloadavg()[0]]}
    start = time.perf_counter()
    phash, dhash, planted, group_of, _dp = synthetic_hashes(n)
    facts["generation_s"] = time.perf_counter() - start
    HashIndex(phash[:64, 0], dhash[:64, 0]).search(phash[:4, 0], 12, dhash[:4, 0], 16)  # compile (numba cache)
    rows = []

    tracemalloc.start()
    start = time.perf_counter()
    index = HashIndex(phash[:, 0], dhash[:, 0])
    build = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    facts["load"].append(os.getloadavg()[0])

    set_threads(1)
    rng = np.random.default_rng(1)
    times, cpu = [], time.process_time()
    for row in rng.choice(n, queries, replace=False):
        start = time.perf_counter()
        index.search(phash[row], PHASH_RADIUS, dhash[row], DHASH_RADIUS)  # one image: its 8 orientations
        times.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu) / queries
    facts["load"].append(os.getloadavg()[0])
    rows.append([f"index multi-blocs (5 × 13 bits), {fr(n, 0)} images", fr(build, 1), fr(index.nbytes / 2**20, 0),
                 fr(peak / 2**20, 0), fr(percentile_ms(times, 50), 2), fr(percentile_ms(times, 95), 2),
                 fr(cpu * 1000, 2), fr(facts['load'][-2]) + " → " + fr(facts['load'][-1])])

    size = min(n_bktree, n)
    if size:
        tracemalloc.start()
        start = time.perf_counter()
        tree = BKTree()
        for i, value in enumerate(phash[:size, 0].tolist()):
            tree.add(value, i)
        tree_build = time.perf_counter() - start
        tree_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        tree_times, tree_cpu = [], time.process_time()
        for row in rng.choice(size, min(queries, 50), replace=False):
            start = time.perf_counter()
            for probe in phash[row].tolist():
                tree.query(probe, PHASH_RADIUS)
            tree_times.append(time.perf_counter() - start)
        tree_cpu = (time.process_time() - tree_cpu) / len(tree_times)
        del tree
        facts["load"].append(os.getloadavg()[0])
        small = HashIndex(phash[:size, 0], dhash[:size, 0])
        small_times, small_cpu = [], time.process_time()
        for row in rng.choice(size, queries, replace=False):
            start = time.perf_counter()
            small.search(phash[row], PHASH_RADIUS, dhash[row], DHASH_RADIUS)
            small_times.append(time.perf_counter() - start)
        small_cpu = (time.process_time() - small_cpu) / queries
        rows.append([f"arbre BK (ancienne recherche, Python), {fr(size, 0)} images", fr(tree_build, 1), "—",
                     fr(tree_peak / 2**20, 0), fr(percentile_ms(tree_times, 50), 1),
                     fr(percentile_ms(tree_times, 95), 1), fr(tree_cpu * 1000, 1),
                     fr(facts['load'][-2]) + " → " + fr(facts['load'][-1])])
        rows.append([f"index multi-blocs, mêmes {fr(size, 0)} images", "—", fr(small.nbytes / 2**20, 0), "—",
                     fr(percentile_ms(small_times, 50), 2), fr(percentile_ms(small_times, 95), 2),
                     fr(small_cpu * 1000, 2), fr(facts['load'][-1]) + " → " + fr(os.getloadavg()[0])])

    # every group of a collection of n_groups images (generated apart when smaller: its groups are whole)
    m = min(n_groups, n)
    if m < n:
        del index
        phash, dhash, planted, group_of, _dp = synthetic_hashes(m, seed=3)
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
    set_threads(threads)
    load_before = os.getloadavg()[0]
    probe_row = np.repeat(np.arange(m), 8)
    probe_turn = np.tile(np.arange(8), m)
    start, cpu = time.perf_counter(), time.process_time()
    a, b, _turn, _dist = oriented_pairs(phash[:m, 0], dhash[:m, 0], probe_row, probe_turn, phash[:m].reshape(-1),
                                        dhash[:m].reshape(-1), radius=PHASH_RADIUS, second_radius=DHASH_RADIUS)
    labels = components(m, a, b)
    all_groups, all_cpu = time.perf_counter() - start, time.process_time() - cpu
    inside = planted[(planted[:, 0] < m) & (planted[:, 1] < m)]
    found = set(zip(a.tolist(), b.tolist(), strict=True))
    truth = {(min(x, y), max(x, y)) for x, y in inside.tolist()}
    pair_recall = len(truth & found) / max(1, len(truth))
    wanted = group_of[:m]
    complete = 0
    members: dict[int, list[int]] = {}
    for row, g in enumerate(wanted.tolist()):
        if g >= 0:
            members.setdefault(g, []).append(row)
    whole = [rows_ for rows_ in members.values() if len(rows_) > 1]
    complete = sum(len({labels[r] for r in rows_}) == 1 for rows_ in whole)
    extra = found - truth
    siblings = sum(wanted[x] >= 0 and wanted[x] == wanted[y] for x, y in extra)
    facts.update(all_groups_n=m, all_groups_s=all_groups, all_groups_cpu=all_cpu, threads=threads, pairs_found=len(found),
                 pairs_planted=len(truth), pair_recall=pair_recall, groups_planted=len(whole),
                 groups_whole=complete, extra_pairs=len(extra), sibling_pairs=siblings, all_load=(load_before, os.getloadavg()[0]),
                 per_probe_us=all_cpu / (8 * m) * 1e6)
    return rows, facts


def synthetic_features(n: int, dim: int = DIM, seed: int = 0):
    """Unit-length non-negative vectors (float32, built block by block in place) and the planted pairs."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((1000, dim), dtype=np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        block = centres[rng.integers(0, len(centres), stop - start)]
        block += rng.standard_normal(block.shape, dtype=np.float32)
        np.maximum(block, 0, out=block)
        block /= np.maximum(np.linalg.norm(block, axis=1, keepdims=True), 1e-12)
        out[start:stop] = block
    count = n // 100
    sources = rng.choice(n, count, replace=False)
    targets = rng.choice(np.setdiff1d(np.arange(n), sources), count, replace=False)
    copy = out[sources] + 0.02 * np.abs(rng.standard_normal((count, dim), dtype=np.float32))
    out[targets] = copy / np.linalg.norm(copy, axis=1, keepdims=True)
    return out, np.stack([sources, targets], axis=1)


def exact_top(unit: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """Indices of the ``k`` best cosine scores of each query, best first, by blocks of rows."""
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(unit), BLOCK_ROWS):
        scores = queries @ unit[start:start + BLOCK_ROWS].T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        merged_scores = np.concatenate([best_scores, np.take_along_axis(scores, top, axis=1)], axis=1)
        merged_ids = np.concatenate([best_ids, top + start], axis=1)
        keep = np.argsort(-merged_scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(merged_scores, keep, axis=1)
        best_ids = np.take_along_axis(merged_ids, keep, axis=1)
    return best_ids


def measure_features(n: int, queries: int, n_ann: int) -> tuple[list[list], dict]:
    facts = {"load": [os.getloadavg()[0]]}
    start = time.perf_counter()
    unit, planted = synthetic_features(n)
    facts["generation_s"] = time.perf_counter() - start
    facts["gb"] = unit.nbytes / 1e9
    rng = np.random.default_rng(2)
    chosen = rng.choice(len(planted), queries, replace=False)
    times, hits, cpu = [], 0, time.process_time()
    for source, target in planted[chosen]:
        start = time.perf_counter()
        top = exact_top(unit, unit[source:source + 1], k=11)[0]
        times.append(time.perf_counter() - start)
        hits += int(target in top[top != source][:10])
    cpu = (time.process_time() - cpu) / len(chosen)
    facts["load"].append(os.getloadavg()[0])
    start = time.perf_counter()
    exact_top(unit, unit[planted[chosen[:100], 0]], k=11)
    batch = time.perf_counter() - start
    facts["load"].append(os.getloadavg()[0])
    m = min(n, n_ann)  # the approximate index on the first m vectors (its build is the long part)
    inside = planted[(planted[:, 0] < m) & (planted[:, 1] < m)][:queries]
    ann = approximate(unit[:m], inside, facts) if m and len(inside) else []
    rows = [[f"recherche exacte (numpy, blocs de {fr(BLOCK_ROWS, 0)} lignes), {fr(n, 0)} vecteurs × {DIM}",
             fr(percentile_ms(times, 50), 0), fr(percentile_ms(times, 95), 0), fr(cpu * 1000, 0),
             fr(batch / min(100, len(chosen)) * 1000, 0), f"{hits}/{len(chosen)}",
             fr(facts['load'][0]) + " → " + fr(facts['load'][-1])]]
    facts["queries"] = len(chosen)
    return rows + ann, facts


def approximate(unit: np.ndarray, pairs: np.ndarray, facts: dict) -> list[list]:
    """faiss IVF-PQ (when installed): 100 candidates re-ranked exactly on the stored vectors; recall@10
    against the exact top 10 of the same queries."""
    try:
        import faiss
    except ImportError:
        facts["ann"] = None
        return []
    faiss.omp_set_num_threads(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)
    n = len(unit)
    nlist, subquantizers = max(16, min(1024, n // 256)), 80
    rng = np.random.default_rng(4)
    start, cpu = time.perf_counter(), time.process_time()
    index = faiss.IndexIVFPQ(faiss.IndexFlatIP(DIM), DIM, nlist, subquantizers, 8, faiss.METRIC_INNER_PRODUCT)
    index.train(unit[rng.choice(n, min(n, 40 * nlist), replace=False)])
    for begin in range(0, n, BLOCK_ROWS):
        index.add(unit[begin:begin + BLOCK_ROWS])
    build, build_cpu = time.perf_counter() - start, time.process_time() - cpu
    index.nprobe = 16
    queries = unit[pairs[:, 0]]
    exact = exact_top(unit, queries, k=10)
    faiss.omp_set_num_threads(1)
    times, found, cpu = [], [], time.process_time()
    for q in queries:
        start = time.perf_counter()
        _scores, candidates = index.search(q[None, :], 100)
        candidates = candidates[0][candidates[0] >= 0]
        scores = unit[candidates] @ q
        found.append(candidates[np.argsort(-scores, kind="stable")[:10]])
        times.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu) / len(queries)
    recall = np.mean([len(set(f.tolist()) & set(e.tolist())) / 10 for f, e in zip(found, exact, strict=True)])
    planted_hit = sum(int(t in f) for f, t in zip(found, pairs[:, 1], strict=True))
    facts["ann"] = {"version": faiss.__version__, "build_s": build, "build_cpu": build_cpu, "mb": index.sa_code_size() * n / 2**20 if hasattr(
        index, "sa_code_size") else subquantizers * n / 2**20, "nlist": nlist, "recall": recall}
    return [[f"faiss IVF-PQ sur les {fr(n, 0)} premiers vecteurs ({nlist} listes, {subquantizers} × 8 bits, "
             "nprobe 16) + 100 candidats reclassés "
             f"exactement ; rappel@10 contre l'exacte : **{fr(recall, 3)}**", fr(percentile_ms(times, 50), 1),
             fr(percentile_ms(times, 95), 1), fr(cpu * 1000, 1), "—", f"{planted_hit}/{len(pairs)}",
             fr(facts['load'][-1]) + " → " + fr(os.getloadavg()[0])]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="images simulées (empreintes)")
    parser.add_argument("--n-groupes", type=int, default=200_000,
                        help="images sur lesquelles tous les groupes sont cherchés (les premières)")
    parser.add_argument("--n-bktree", type=int, default=20_000, help="images pour l'arbre BK comparé (0 : sans)")
    parser.add_argument("--n-caracteristiques", type=int, default=1_000_000, help="vecteurs simulés (0 : sans)")
    parser.add_argument("--n-approche", type=int, default=200_000,
                        help="vecteurs de l'index approché faiss, s'il est installé (0 : sans)")
    parser.add_argument("--requetes", type=int, default=500)
    parser.add_argument("--no-report", action="store_true", help="ne pas écrire docs/benchmarks.md")
    args = parser.parse_args()

    hash_rows, h = measure_hashes(args.n, args.n_groupes, args.n_bktree, args.requetes)
    print(markdown_table(HASH_HEADERS, hash_rows), flush=True)
    print(h, flush=True)
    feature_rows, f = measure_features(args.n_caracteristiques, min(args.requetes, 50), args.n_approche) \
        if args.n_caracteristiques else ([], {})
    if feature_rows:
        print(markdown_table(FEATURE_HEADERS, feature_rows), flush=True)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    body = (
        f"Collection simulée de {fr(args.n, 0)} images (aucune photographie : empreintes et caractéristiques "
        "générées, doublons plantés connus ; fabrication décrite en tête de `benchmarks/archives_scale.py`). "
        f"Empreintes générées en {fr(h['generation_s'])} s. La charge moyenne de la machine (2 cœurs partagés "
        "avec d'autres calculs) est donnée à côté de chaque mesure ; au-dessus de 2, les temps mesurés sont "
        "majorés d'autant : la colonne « CPU » donne aussi le temps de calcul du processus (`time.process_time`), "
        "peu sensible à la charge.\n\n"
        "**Index des doublons** (celui du produit : `hashindex.HashIndex`, hachage multi-index, 5 blocs de 13 bits, "
        "rayons 12 bits sur le pHash et 16 sur le dHash ; une requête = une image dans ses 8 orientations, "
        "1 fil) :\n\n"
        + markdown_table(HASH_HEADERS, hash_rows)
        + f"\n\n**Tous les groupes** sur {fr(h['all_groups_n'], 0)} images ({fr(8 * h['all_groups_n'], 0)} requêtes, "
        f"{h['threads']} fils, puis composantes connexes) : **{fr(h['all_groups_s'], 0)} s** "
        f"(charge {fr(h['all_load'][0])} → {fr(h['all_load'][1])}) pour {fr(h['all_groups_cpu'], 1)} s de CPU, "
        f"soit {fr(h['per_probe_us'], 0)} µs de CPU par requête d'une orientation ; sur 2 cœurs libres, ≈ "
        f"{fr(h['all_groups_cpu'] / 2, 1)} s"
        + (f" ; extrapolé à {fr(args.n, 0)} images (temps en n², le coût d'une requête croissant comme n) : "
           f"≈ {fr(h['all_groups_cpu'] * (args.n / h['all_groups_n']) ** 2 / 60, 0)} min de CPU, "
           f"≈ {fr(h['all_groups_cpu'] * (args.n / h['all_groups_n']) ** 2 / 120, 0)} min sur 2 cœurs libres (non "
           "mesuré)" if h["all_groups_n"] < args.n else "")
        + ". Paires plantées retrouvées : "
        f"{fr(h['pair_recall'] * 100, 2)} % ({h['pairs_planted']} paires) ; groupes plantés retrouvés entiers : "
        f"{h['groups_whole']}/{h['groups_planted']} ; paires trouvées en plus des paires (original, copie) plantées : "
        f"{h['extra_pairs']}, dont {h['sibling_pairs']} entre deux copies d'un même original (assez proches "
        f"entre elles) et {h['extra_pairs'] - h['sibling_pairs']} rencontres fortuites entre empreintes "
        "aléatoires de groupes différents. La recherche est exacte : le rappel doit être "
        "de 100 % (vérifié aussi contre la force brute et contre l'arbre BK dans `tests/archives/test_hashindex.py`). "
        "Le coût d'une requête croît avec le nombre d'images (≈ n × 460 / 8 192 candidats vérifiés sur 64 bits "
        "pour des empreintes uniformes) : le temps de tous les groupes croît en n².\n\n"
    )
    if feature_rows:
        body += (
            f"**Plus proches voisins** sur {fr(args.n_caracteristiques, 0)} vecteurs de {DIM} dimensions "
            f"({fr(f['gb'], 2)} Go en float32, générés en {fr(f['generation_s'])} s), recherche exacte comme "
            "`search.similar` (produit matriciel avec tous les vecteurs, 10 meilleurs), "
            f"{f['queries']} requêtes :\n\n"
            + markdown_table(FEATURE_HEADERS, feature_rows)
            + ("\n\nAucun index approché n'est mesuré : faiss-cpu n'est pas installé (il est sur l'index des "
               "paquets, pas dans les dépendances d'amorce ; `pip install faiss-cpu` pour cette ligne).\n\n"
               if not f.get("ann") else
               f"\n\nIndex approché (faiss-cpu {f['ann']['version']}, installé pour la mesure, pas une "
               f"dépendance d'amorce) : construit en {fr(f['ann']['build_s'], 0)} s ({fr(f['ann']['build_cpu'], 0)} s "
               f"de CPU ; apprentissage sur {fr(40 * f['ann']['nlist'], 0)} vecteurs), codes de "
               f"{fr(f['ann']['mb'], 0)} Mio ; le reclassement relit les vecteurs complets, gardés en mémoire "
               "ici.\n\n")
        )
    body += (
        f"Pic de mémoire du processus (RSS) : {fr(peak_rss, 1)} Gio. Commande : "
        f"`.venv/bin/python benchmarks/archives_scale.py --n {args.n} --n-groupes {args.n_groupes} "
        f"--n-bktree {args.n_bktree} --n-caracteristiques {args.n_caracteristiques} --n-approche {args.n_approche} "
        f"--requetes {args.requetes}`."
    )
    print(body)
    if not args.no_report:
        write_section("archives_scale", "Archives : collection simulée d'un million d'images", body)


if __name__ == "__main__":
    main()
