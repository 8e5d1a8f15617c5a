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


class _SilentContext:
    """A job context that records nothing (load_demo outside the job machinery)."""

    def progress(self, done, total=None, message=None):
        pass

    def log(self, message):
        pass


@pytest.fixture
def ciblage_demo(settings, tmp_path):
    """The ciblage demo (dataset, trained model, ranked list) on a small generated history; its summary."""
    from amorce.ciblage.tasks import load_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AMORCE_DATA_DIR = tmp_path / "data"
    return load_demo(_SilentContext(), establishments=600, inspections=4000)
