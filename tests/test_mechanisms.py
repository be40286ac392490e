"""Mechanisms of survival and rescue: known answers and the sign of each lever's effect, in both engines."""

from __future__ import annotations

import pytest

from model.mesa_engine import MesaEngine
from model.scenarios import load
from model.vector_engine import VectorEngine

BASE = load("central_med_small").with_overrides({"world.days": 24})


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_boats_that_deteriorate_in_distress_cost_more_lives(engine):
    """Paired seeds: the same runs with the capsize hazard rising 50% an hour in distress have more capsizes and deaths."""
    fast = BASE.with_overrides({f"world.boats.{b}.deterioration_per_hour": 0.5 for b in ("rubber", "wooden", "fishing")})
    base = [engine.run(BASE, s, record_events=False).summary for s in range(6)]
    worse = [engine.run(fast, s, record_events=False).summary for s in range(6)]
    assert sum(r["capsizes"] for r in worse) > sum(r["capsizes"] for r in base)
    assert sum(r["dead_and_missing"] for r in worse) > sum(r["dead_and_missing"] for r in base)
