"""Clusters and a 2-D map of a collection, from its stored image features (pure: no Django).

* **Clusters**: k-means (scikit-learn's ``MiniBatchKMeans``, which reads the features in batches and
  scales to a million rows) on the L2-normalised features (so distances follow the cosine
  similarity used everywhere else). ``k`` is chosen by the user, or by the stated rule
  :func:`default_k` (√(n / 2), between 2 and 30). Each cluster keeps its size and its
  *representatives*: the images closest to its centroid.
* **2-D map**: the first two principal components (PCA) of the same normalised features.
  (UMAP is not in the registries these machines use: ``umap-learn`` is absent from the package lists.)

Both are computed together and stored next to the index, in ``<store>/explore/clusters.npz``
(written under a temporary name, then renamed): keys, cluster of each image, distance to its
centroid, 2-D coordinates, and the parameters (k, seed, rule). The same features, k and seed give
the same result (reproducible).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from amorce.core.files import atomic_write
from amorce.core.progress import ignore

from .errors import SourceError

MAX_K = 100
REPRESENTATIVES = 6
MAP_POINTS = 1500  # points drawn on the map at most (a seeded sample beyond)
FILE = Path("explore") / "clusters.npz"


def default_k(n: int) -> int:
    """The stated rule when the user gives no k: √(n / 2), rounded, between 2 and 30 (and at most n)."""
    return max(1, min(n, max(2, min(30, round(math.sqrt(n / 2))))))


@dataclass
class Clustering:
    keys: list[str]
    labels: object  # (n,) int32: cluster of each key
    distances: object  # (n,) float32: distance to its centroid (normalised features)
    xy: object  # (n, 2) float32: PCA coordinates
    k: int
    seed: int
    rule: str  # "utilisateur" or "automatique"
    explained: list[float] = field(default_factory=list)  # share of variance of the two axes
    _position: dict | None = field(default=None, repr=False, compare=False)

    def position(self) -> dict[str, int]:
        """Row of each key (built once per loaded clustering)."""
        if self._position is None:
            self._position = {k: i for i, k in enumerate(self.keys)}
        return self._position

    def sizes(self) -> list[int]:
        import numpy as np

        return np.bincount(self.labels, minlength=self.k).astype(int).tolist()

    def members(self, cluster: int) -> list[str]:
        """The keys of a cluster, closest to its centroid first."""
        import numpy as np

        rows = np.flatnonzero(self.labels == cluster)
        rows = rows[np.argsort(self.distances[rows], kind="stable")]
        return [self.keys[i] for i in rows]

    def representatives(self, cluster: int, count: int = REPRESENTATIVES) -> list[str]:
        return self.members(cluster)[:count]

    def sample(self, limit: int = MAP_POINTS) -> list[int]:
        """Row numbers of the points drawn on the map: all up to ``limit``, else a seeded sample."""
        import numpy as np

        n = len(self.keys)
        if n <= limit:
            return list(range(n))
        return sorted(np.random.default_rng(self.seed).choice(n, size=limit, replace=False).tolist())


def compute(keys: list[str], matrix, *, k: int | None = None, seed: int = 0, progress=None) -> Clustering:
    """Cluster and project ``matrix`` (one row of features per key)."""
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import PCA

    progress = progress or ignore
    n = len(keys)
    if matrix is None or n < 2:
        raise SourceError("Il faut au moins deux images avec leurs caractéristiques pour former des "
                          "regroupements (indexez la collection avec « --caracteristiques »).")
    rule = "utilisateur" if k else "automatique"
    k = int(k) if k else default_k(n)
    if not 2 <= k <= min(MAX_K, n):
        raise SourceError(f"Nombre de regroupements invalide : {k} (attendu de 2 à {min(MAX_K, n)} pour "
                          f"{n} images).")
    data = np.asarray(matrix, dtype=np.float32)
    data = data / np.maximum(np.linalg.norm(data, axis=1, keepdims=True), 1e-12)
    progress(0.1, None, f"Regroupement en {k} groupes (k-moyennes)")
    model = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=2048, n_init=3, max_iter=100)
    labels = model.fit_predict(data).astype(np.int32)
    distances = np.linalg.norm(data - model.cluster_centers_[labels], axis=1).astype(np.float32)
    progress(0.7, None, "Carte en deux dimensions (analyse en composantes principales)")
    pca = PCA(n_components=2, random_state=seed, svd_solver="randomized" if n > 5000 else "full")
    xy = pca.fit_transform(data).astype(np.float32)
    # a reproducible sign for each axis (PCA's sign is arbitrary): the mean of the first 10 points ≥ 0
    signs = np.where(xy[: min(10, n)].mean(axis=0) < 0, -1.0, 1.0).astype(np.float32)
    xy *= signs
    return Clustering(keys=list(keys), labels=labels, distances=distances, xy=xy, k=k, seed=seed, rule=rule,
                      explained=[round(float(v), 4) for v in pca.explained_variance_ratio_])


def save(store: str | Path, result: Clustering) -> Path:
    """Write the clustering next to the index (temporary name, then renamed)."""
    import numpy as np

    target = Path(store) / FILE
    meta = {"k": result.k, "seed": result.seed, "rule": result.rule, "explained": result.explained}
    with atomic_write(target, "wb", encoding=None) as handle:
        np.savez(handle, keys=np.asarray(result.keys, dtype=str), labels=result.labels, distances=result.distances,
                 xy=result.xy, meta=np.asarray(json.dumps(meta)))
    return target


def load(store: str | Path) -> Clustering | None:
    """The stored clustering of a collection, or ``None`` when none was computed."""
    path = Path(store) / FILE
    if not path.is_file():
        return None
    return _load(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load(path: str, _mtime: int) -> Clustering:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        return Clustering(keys=data["keys"].tolist(), labels=data["labels"], distances=data["distances"],
                          xy=data["xy"], k=int(meta["k"]), seed=int(meta["seed"]), rule=meta["rule"],
                          explained=list(meta.get("explained", [])))
