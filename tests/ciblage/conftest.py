"""Shared fixtures of the targeting tests: a small generated history and a model trained on it."""

from __future__ import annotations

import pytest

from amorce.ciblage import generate_history, train


@pytest.fixture(scope="session")
def small_history():
    return generate_history(1500, 12000, seed=3)


@pytest.fixture(scope="session")
def small_model(small_history):
    return train(small_history, end="2023-01-01", seed=0)
