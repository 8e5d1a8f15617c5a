"""Compiled evaluation of a LightGBM model: raw scores and path (Saabas) contributions in one pass.

LightGBM's own ``predict`` is generic (row conversion, one call per output kind): scoring a
register of a million establishments with reasons needed one pass for the raw score and another
for the leaves, then a large sparse product. Here the trees of the booster (``dump_model``) are
flattened into arrays and walked by a small Numba kernel, in parallel over rows, that adds the
leaf values (the raw score, in LightGBM's tree order: bit-identical to ``predict(raw_score=True)``)
and credits every change of node value along the path to the split feature (Saabas attribution:
contributions add up to the raw score; :meth:`amorce.ciblage.learner.TargetingModel.contributions`
offers it as the ``path`` method beside LightGBM's exact TreeSHAP).

The split rules reproduce LightGBM's ``NumericalDecision`` / ``CategoricalDecision`` (missing
values, zero as missing, default direction, category sets); ``tests/ciblage/test_trees.py``
checks the leaves and scores against LightGBM on data with missing and unseen values.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import CiblageError

try:  # compiled kernel; without numba the same code runs in plain Python (same numbers, very slow)
    import numba
    from numba import prange
except ImportError:  # pragma: no cover - numba is a dependency
    numba = None
    prange = range

MISSING_NONE, MISSING_ZERO, MISSING_NAN = 0, 1, 2
ZERO_THRESHOLD = 1e-35  # LightGBM's kZeroThreshold


@dataclass
class FlatTrees:
    """Internal nodes of all trees in flat arrays; a child ``c >= 0`` is an internal node,
    ``c < 0`` the leaf ``-c - 1``; ``roots`` is encoded the same way."""

    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    default_left: np.ndarray
    missing: np.ndarray
    categorical: np.ndarray
    cat_offset: np.ndarray
    cat_size: np.ndarray
    cat_table: np.ndarray
    left: np.ndarray
    right: np.ndarray
    node_value: np.ndarray
    leaf_value: np.ndarray
    leaf_index: np.ndarray
    n_features: int
    pandas_categorical: list | None

    @classmethod
    def from_booster(cls, booster) -> FlatTrees:
        """One booster, or a list of boosters (a seed ensemble) whose trees are concatenated with
        their values scaled by 1/N: the raw score and the contributions are then the mean of the
        boosters' (a single booster keeps its exact values)."""
        boosters = list(booster) if isinstance(booster, list | tuple) else [booster]
        weight = 1.0 / len(boosters)
        dumps = [b.dump_model() for b in boosters]
        dump = dumps[0]
        feature, threshold, default_left, missing, categorical = [], [], [], [], []
        cat_offset, cat_size, tables, left, right, node_value, leaf_value, roots = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        leaf_index = []
        table_len = 0

        def leaf(node) -> int:
            leaf_value.append(float(node["leaf_value"]) * weight)
            leaf_index.append(int(node.get("leaf_index", 0)))
            return -len(leaf_value)

        def visit(node) -> int:
            nonlocal table_len
            if "leaf_value" in node:
                return leaf(node)
            me = len(feature)
            feature.append(int(node["split_feature"]))
            node_value.append(float(node["internal_value"]) * weight)
            default_left.append(bool(node.get("default_left", True)))
            missing.append(
                {"None": MISSING_NONE, "Zero": MISSING_ZERO, "NaN": MISSING_NAN}[
                    node.get("missing_type", "None")
                ]
            )
            if node["decision_type"] == "==":
                cats = [int(c) for c in str(node["threshold"]).split("||") if c != ""]
                table = np.zeros(max(cats) + 1 if cats else 0, dtype=np.uint8)
                table[cats] = 1
                categorical.append(True)
                threshold.append(0.0)
                cat_offset.append(table_len)
                cat_size.append(len(table))
                tables.append(table)
                table_len += len(table)
            else:
                if node["decision_type"] != "<=":  # pragma: no cover - LightGBM only writes these two
                    raise CiblageError(f"Type de décision non pris en charge dans le modèle : {node['decision_type']}.")
                categorical.append(False)
                threshold.append(float(node["threshold"]))
                cat_offset.append(0)
                cat_size.append(0)
            left.append(0)
            right.append(0)
            left[me] = visit(node["left_child"])
            right[me] = visit(node["right_child"])
            return me

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 10_000))
        try:
            for one in dumps:
                for tree in one["tree_info"]:
                    roots.append(visit(tree["tree_structure"]))
        finally:
            sys.setrecursionlimit(limit)
        return cls(
            roots=np.asarray(roots, dtype=np.int64),
            feature=np.asarray(feature, dtype=np.int64),
            threshold=np.asarray(threshold, dtype=np.float64),
            default_left=np.asarray(default_left, dtype=np.bool_),
            missing=np.asarray(missing, dtype=np.int8),
            categorical=np.asarray(categorical, dtype=np.bool_),
            cat_offset=np.asarray(cat_offset, dtype=np.int64),
            cat_size=np.asarray(cat_size, dtype=np.int64),
            cat_table=np.concatenate(tables) if tables else np.zeros(0, dtype=np.uint8),
            left=np.asarray(left, dtype=np.int64),
            right=np.asarray(right, dtype=np.int64),
            node_value=np.asarray(node_value, dtype=np.float64),
            leaf_value=np.asarray(leaf_value, dtype=np.float64),
            leaf_index=np.asarray(leaf_index, dtype=np.int64),
            n_features=len(dump["feature_names"]),
            pandas_categorical=boosters[0].pandas_categorical,
        )

    def _arrays(self):
        return (
            self.roots,
            self.feature,
            self.threshold,
            self.default_left,
            self.missing,
            self.categorical,
            self.cat_offset,
            self.cat_size,
            self.cat_table,
            self.left,
            self.right,
            self.node_value,
            self.leaf_value,
        )

    def matrix(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """The float64 matrix LightGBM would build from ``X`` (pandas categories → training codes)."""
        if not isinstance(X, pd.DataFrame):
            return np.ascontiguousarray(X, dtype=np.float64)
        columns = []
        categories = iter(self.pandas_categorical or [])
        for name in X.columns:
            column = X[name]
            if isinstance(column.dtype, pd.CategoricalDtype):
                wanted = next(categories, None)  # None: a model trained without pandas categories
                if wanted is not None and list(column.cat.categories) != list(wanted):
                    column = column.cat.set_categories(wanted)
                codes = column.cat.codes.to_numpy().astype(np.float64)
                codes[codes < 0] = np.nan
                columns.append(codes)
            else:
                columns.append(column.to_numpy(dtype=np.float64, na_value=np.nan))
        out = np.empty((len(X), len(columns)), dtype=np.float64)
        for j, values in enumerate(columns):
            out[:, j] = values
        return out

    def raw_score(self, X) -> np.ndarray:
        """LightGBM's ``predict(raw_score=True)``."""
        data = self.matrix(X)
        margin = np.zeros(len(data))
        _walk(data, *self._arrays(), margin, np.zeros((0, 0)), False)
        return margin

    def raw_score_and_contributions(self, X) -> tuple[np.ndarray, np.ndarray]:
        """(raw score, n × (features + 1) path contributions, last column = bias)."""
        data = self.matrix(X)
        margin = np.zeros(len(data))
        contrib = np.zeros((len(data), self.n_features + 1))
        _walk(data, *self._arrays(), margin, contrib, True)
        return margin, contrib

    def leaf_paths(self) -> tuple[np.ndarray, np.ndarray]:
        """(first row of each tree, all leaves × (features + 1) table): the path contributions that
        each leaf adds to the rows reaching it, its rows in LightGBM's ``pred_leaf`` order."""
        offsets, rows = [], []
        for root in self.roots.tolist():
            offsets.append(len(rows))
            start = np.zeros(self.n_features + 1)  # the root's value is the bias (last column)
            start[-1] = self.node_value[root] if root >= 0 else self.leaf_value[-root - 1]
            found: list[tuple[int, np.ndarray]] = []
            stack = [(root, start)]
            while stack:
                node, path = stack.pop()
                if node < 0:
                    found.append((int(self.leaf_index[-node - 1]), path))
                    continue
                for child in (int(self.left[node]), int(self.right[node])):
                    after = self.node_value[child] if child >= 0 else self.leaf_value[-child - 1]
                    step = path.copy()
                    step[self.feature[node]] += after - self.node_value[node]
                    stack.append((child, step))
            rows.extend(path for _, path in sorted(found, key=lambda item: item[0]))
        return np.asarray(offsets, dtype=np.int64), np.asarray(rows).reshape(-1, self.n_features + 1)

    def contributions_from_leaves(self, leaves: np.ndarray, block: int = 200_000) -> np.ndarray:
        """Path contributions from LightGBM's ``predict(pred_leaf=True)`` (the boosters' leaves side by
        side), by a sparse product with :meth:`leaf_paths`: the baseline that the compiled walk
        replaces (same numbers, two passes over the trees and a large product)."""
        from scipy import sparse

        offsets, table = self.leaf_paths()
        leaves = np.asarray(leaves, dtype=np.int64)
        out = np.empty((len(leaves), table.shape[1]))
        for start in range(0, len(leaves), block):  # blocks: the one-hot matrix stays small
            part = leaves[start:start + block] + offsets
            onehot = sparse.csr_matrix((np.ones(part.size), part.ravel(), np.arange(0, part.size + 1, part.shape[1])),
                                       shape=(len(part), len(table)))
            out[start:start + len(part)] = onehot @ table
        return out

    def leaves(self, X) -> np.ndarray:
        """Leaf index (within each tree) of every row, like ``predict(pred_leaf=True)`` (for tests)."""
        data = self.matrix(X)
        out = np.zeros((len(data), len(self.roots)), dtype=np.int64)
        for i in range(len(data)):
            for t, root in enumerate(self.roots):
                node = int(root)
                while node >= 0:
                    node = int(
                        _child(
                            data[i],
                            node,
                            self.feature,
                            self.threshold,
                            self.default_left,
                            self.missing,
                            self.categorical,
                            self.cat_offset,
                            self.cat_size,
                            self.cat_table,
                            self.left,
                            self.right,
                        )
                    )
                out[i, t] = self.leaf_index[-node - 1]
        return out


def _child(
    row,
    node,
    feature,
    threshold,
    default_left,
    missing,
    categorical,
    cat_offset,
    cat_size,
    cat_table,
    left,
    right,
):
    value = row[feature[node]]
    if categorical[node]:
        if value != value:  # NaN: LightGBM always sends missing categories right
            return right[node]
        code = int(value)
        if code < 0 or code >= cat_size[node]:
            return right[node]
        return left[node] if cat_table[cat_offset[node] + code] else right[node]
    kind = missing[node]
    if value != value and kind != MISSING_NAN:
        value = 0.0
    if (kind == MISSING_ZERO and -ZERO_THRESHOLD <= value <= ZERO_THRESHOLD) or (
        kind == MISSING_NAN and value != value
    ):
        return left[node] if default_left[node] else right[node]
    return left[node] if value <= threshold[node] else right[node]


def _walk(
    data,
    roots,
    feature,
    threshold,
    default_left,
    missing,
    categorical,
    cat_offset,
    cat_size,
    cat_table,
    left,
    right,
    node_value,
    leaf_value,
    margin,
    contrib,
    with_contrib,
):
    n_features = data.shape[1]
    for i in prange(data.shape[0]):
        row = data[i]
        total = 0.0
        for t in range(roots.shape[0]):
            node = roots[t]
            if node < 0:  # a single-leaf tree
                total += leaf_value[-node - 1]
                if with_contrib:
                    contrib[i, n_features] += leaf_value[-node - 1]
                continue
            before = node_value[node]
            if with_contrib:
                contrib[i, n_features] += before
            while node >= 0:
                child = _child(
                    row,
                    node,
                    feature,
                    threshold,
                    default_left,
                    missing,
                    categorical,
                    cat_offset,
                    cat_size,
                    cat_table,
                    left,
                    right,
                )
                after = node_value[child] if child >= 0 else leaf_value[-child - 1]
                if with_contrib:
                    contrib[i, feature[node]] += after - before
                before = after
                node = child
            total += before
        margin[i] = total


def _top_k(values, k, index, weight):
    for i in prange(values.shape[0]):
        count = 0
        for j in range(values.shape[1]):
            v = values[i, j]
            if count == k and not v > weight[i, k - 1]:
                continue
            slot = count if count < k else k - 1
            while slot > 0 and v > weight[i, slot - 1]:  # strictly greater: ties keep column order
                if slot < k:
                    weight[i, slot] = weight[i, slot - 1]
                    index[i, slot] = index[i, slot - 1]
                slot -= 1
            weight[i, slot] = v
            index[i, slot] = j
            if count < k:
                count += 1


def top_k(values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the ``k`` largest values of each row, largest first (ties: lower
    column first) — one pass over the matrix instead of ``argpartition`` + sorts."""
    values = np.asarray(values, dtype=np.float64)
    k = min(k, values.shape[1])
    index = np.zeros((values.shape[0], k), dtype=np.int64)
    weight = np.full((values.shape[0], k), -np.inf)
    if k:
        _top_k(values, k, index, weight)
    return index, weight


if numba is not None:
    _child = numba.njit(cache=True, inline="always")(_child)
    _walk = numba.njit(cache=True, parallel=True, nogil=True)(_walk)
    _top_k = numba.njit(cache=True, parallel=True, nogil=True)(_top_k)


def set_threads(count: int) -> None:
    """Threads used by the kernel (engine workers use one per process)."""
    if numba is not None:
        numba.set_num_threads(max(1, min(count, numba.config.NUMBA_NUM_THREADS)))
