"""Shared fixtures: the small scenario and quick runs of it."""

from __future__ import annotations

import numpy as np
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


@pytest.fixture(scope="session")
def small_vector_run(small):
    """The same run by the vectorised engine."""
    from model.vector_engine import VectorEngine

    return VectorEngine().run(small, 1)


def run(scenario, seed=1, days=None, engine="mesa"):
    """Run an engine (default Mesa; helper for tests)."""
    from model.engines import get_engine

    return (MesaEngine() if engine == "mesa" else get_engine(engine)).run(scenario, seed, days=days)


def accept_p(
    base: float,
    own_srr: bool = False,
    vulnerable_share: float = 0.0,
    own_flag: bool = False,
    occupancy_ratio: float = 0.0,
    recent_per_1000: float = 0.0,
    w_srr: float = 0.0,
    w_vulnerable: float = 0.0,
    w_flag: float = 0.0,
    w_occupancy: float = 0.0,
    w_recent: float = 0.0,
    guaranteed: bool = False,
    heading_elsewhere: bool = False,
    precedent: float = 0.0,
    w_heading: float = 0.0,
    w_precedent: float = 0.0,
    closed: bool = False,
    w_waiting: float = 0.0,
    days_waited: int = 0,
) -> float:
    """State 0's answer by the engines' rule (``disembarkation.state_accepts``), each term given by name.

    Two states: the rescue was in state 0's SRR if ``own_srr``, the ship flies state 0's flag if
    ``own_flag``, the boat was heading for state 1 if ``heading_elsewhere``.
    """
    from model.rules import disembarkation as d

    one = lambda x: np.array([x, 0.0])  # noqa: E731
    st = d.Stance(
        one(base),
        one(w_srr),
        one(w_vulnerable),
        one(w_flag),
        one(w_occupancy),
        one(w_recent),
        one(w_heading),
        one(w_precedent),
        one(w_waiting),
        np.array([[closed], [False]]),
        np.array([False, False]),
    )
    return float(
        d.state_accepts(
            st,
            0,
            occupancy_ratio,
            recent_per_1000,
            precedent,
            0,
            0 if own_flag else -1,
            0 if own_srr else 1,
            vulnerable_share,
            1 if heading_elsewhere else -1,
            guaranteed,
            days_waited,
        )
    )


#: Test files that take longest, run first: with ``--dist loadfile`` each file goes whole to one
#: worker in collection order, so a long file started last leaves the other worker idle at the end.
FIRST = ("test_engine_equivalence.py", "test_mechanisms.py")


def pytest_collection_modifyitems(items: list) -> None:
    """Put the longest test files first (a stable sort: the order within each file is kept)."""
    items.sort(key=lambda item: next((i for i, name in enumerate(FIRST) if item.path.name == name), len(FIRST)))
