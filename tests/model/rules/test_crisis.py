"""A crisis that sends migrant workers to the coast, and their evacuation (model/rules/crisis.py).

Known answers, conservation, both engines.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.errors import ConfigError
from model.rules import crisis as cr
from model.scenarios import load

LIBYA = load("libya_2011")


def _c(**changes: float) -> np.ndarray:
    """The libya_2011 crisis values with ``changes`` (names of cr.FACTS), crisis on day 0, for one run."""
    c = cr.constants(LIBYA)
    c[cr.F["start_day"]] = 0
    for k, v in changes.items():
        c[cr.F[k]] = v
    return c[None]


def _run(days: int, c: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    waiting = np.zeros((c.shape[0], 2), dtype=np.int64)
    rng = np.random.default_rng(seed)
    total = np.zeros((c.shape[0], len(cr.FLOWS)), dtype=np.int64)
    for d in range(days):
        total += cr.crisis_day(d, waiting, c, rng.random((c.shape[0], cr.N_UNIFORMS)))
    return total, waiting


def test_evacuation_capacity_above_the_outflow_leaves_nobody_for_the_smugglers():
    """1,000 a day reach the coast on average; 5,000 a day evacuated from day 0, everyone documented.

    Nobody gives up.
    """
    c = _c(
        migrant_workers=60_000,
        outflow_days=60,
        documented_share=1.0,
        capacity_per_day=5_000,
        start_delay_days=0,
        give_up_per_day=0.2,
    )
    total, waiting = _run(70, c)
    fl = cr.FL
    assert total[0, fl["reached_coast"]] > 50_000 and total[0, fl["gave_up"]] == 0
    assert total[0, fl["evacuated"]] == total[0, fl["reached_coast"]] and waiting.sum() == 0


def test_no_evacuation_sends_everyone_to_the_smugglers_in_time():
    c = _c(migrant_workers=6_000, outflow_days=10, capacity_per_day=0, give_up_per_day=1.0)
    total, waiting = _run(12, c)
    assert (
        total[0, cr.FL["evacuated"]] == 0
        and total[0, cr.FL["gave_up"]] == total[0, cr.FL["reached_coast"]] > 0
        and waiting.sum() == 0
    )


def test_travel_documents_gate_evacuation_and_consular_staff_speed_it():
    base = {
        "migrant_workers": 20_000,
        "outflow_days": 10,
        "documented_share": 0.0,
        "capacity_per_day": 10_000,
        "start_delay_days": 0,
        "give_up_per_day": 0.1,
    }
    none, _ = _run(30, _c(**base, consular_documents_per_day=0.0))
    some, _ = _run(30, _c(**base, consular_documents_per_day=0.5))
    assert none[0, cr.FL["evacuated"]] == 0 and none[0, cr.FL["documents_issued"]] == 0
    assert some[0, cr.FL["evacuated"]] == some[0, cr.FL["documents_issued"]] > 0.5 * some[0, cr.FL["reached_coast"]]


def test_evacuation_starts_after_its_delay():
    c = _c(
        migrant_workers=10_000,
        outflow_days=10,
        documented_share=1.0,
        capacity_per_day=100_000,
        start_delay_days=5,
        give_up_per_day=0.0,
    )
    early, _ = _run(5, c)
    later, _ = _run(6, c)
    assert early[0, cr.FL["evacuated"]] == 0 and later[0, cr.FL["evacuated"]] == later[0, cr.FL["reached_coast"]]


@settings(max_examples=40, deadline=None)
@given(
    values=st.tuples(
        st.floats(0, 1e5),
        st.floats(1, 30),
        st.floats(0, 1),
        st.floats(0, 1),
        st.floats(0, 5e3),
        st.floats(0, 20),
        st.floats(0, 1),
    ),
    seed=st.integers(0, 2**31),
)
def test_workers_are_conserved_through_evacuation(values, seed):
    names = (
        "migrant_workers",
        "outflow_days",
        "documented_share",
        "give_up_per_day",
        "capacity_per_day",
        "start_delay_days",
        "consular_documents_per_day",
    )
    c = np.repeat(_c(**dict(zip(names, values, strict=True))), 3, axis=0)
    total, waiting = _run(40, c, seed)
    fl = cr.FL
    assert (waiting >= 0).all()
    assert (
        total[:, fl["reached_coast"]] == total[:, fl["evacuated"]] + total[:, fl["gave_up"]] + waiting.sum(axis=1)
    ).all()


def test_those_who_give_up_join_the_crisis_states_networks():
    w = cr.network_weights(np.array([[0.5, 0.3, 0.2]]), np.array([[1, 2, 1]]), np.array([1]))
    assert w.tolist() == [[0.5 / 0.7, 0.0, 0.2 / 0.7]]
    k = cr.to_networks(np.array([1000]), w, np.random.default_rng(1).random((1, 3)))
    assert k.sum() == 1000 and k[0, 1] == 0


def test_a_crisis_date_and_state_are_validated():
    with pytest.raises(ConfigError, match="world.crisis.date"):
        LIBYA.with_overrides({"world.crisis.date": "2011-02-30"})
    with pytest.raises(ConfigError, match="world.crisis.state"):
        LIBYA.with_overrides({"world.crisis.state": "Atlantis"})


@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_libya_2011_conserves_people_through_evacuation_on_both_engines(engine):
    """Ample evacuation leaves nobody to the smugglers.

    None sends the workers to sea. People are conserved either way.
    """
    from model.engines import get_engine

    short = {
        "world.days": 20,
        "world.crisis.date": "2011-02-02",
        "world.crisis.migrant_workers": 4000,
        "world.crisis.outflow_days": 10,
    }
    ample = LIBYA.with_overrides(
        {
            **short,
            "world.crisis.documented_share": 1.0,
            "policy.evacuation.capacity_per_day": 100_000,
            "policy.evacuation.start_delay_days": 0,
        }
    )
    none = LIBYA.with_overrides({**short, "policy.evacuation.capacity_per_day": 0})
    a, n = (get_engine(engine).run(s, 3).summary for s in (ample, none))
    assert (
        a["crisis_reached_coast"] > 3000
        and a["crisis_gave_up"] == 0
        and a["crisis_evacuated"] == a["crisis_reached_coast"]
    )
    assert n["crisis_evacuated"] == 0 and n["crisis_gave_up"] > 1000 and n["departures"] > a["departures"]
    for s in (a, n):
        assert s["crisis_reached_coast"] == s["crisis_evacuated"] + s["crisis_gave_up"] + s["awaiting_evacuation_end"]
        assert (
            s["departures"]
            == s["arrivals"] + s["dead"] + s["missing"] + s["intercepted"] + s["at_sea_end"] + s["aboard_vessels_end"]
        )
