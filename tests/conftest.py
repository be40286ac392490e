"""Shared fixtures: the small scenario and quick runs of it."""

from __future__ import annotations

import pytest

from model.mesa_engine import MesaEngine
from model.scenarios import load


@pytest.fixture(scope="session")
def small():
    """The built-in central_med_small scenario."""
    return load("central_med_small")


@pytest.fixture(scope="session")
def small_run(small):
    """One 60-day run of central_med_small, seed 1."""
    return MesaEngine().run(small, 1)


def run(scenario, seed=1, days=None, engine="mesa"):
    """Run an engine (default Mesa; helper for tests)."""
    from model.engines import get_engine

    return (MesaEngine() if engine == "mesa" else get_engine(engine)).run(scenario, seed, days=days)
