"""The tables a scenario resolves into (``model/setup.py``), and both engines reading them."""

from __future__ import annotations

import numpy as np

from model import setup
from model.geography import KN_TO_KMH, Geography
from model.mesa_engine import MigrationModel
from model.params import PROFILES, VESSEL_KINDS
from model.scenarios import load
from model.timeline import MERCHANTS, active_rows, schedule, vessel_rows
from model.vector_engine import Batch
from model.vector_engine.state import Constants

BASE = load("central_med_small").with_overrides({"world.days": 4})  # 2016-06-01 to 2016-06-04
GROWS = {
    "date": "2016-06-02",
    "name": "grows",
    "note": "more NGO ships, Malta accepts",
    "policy.sar.fleets.ngo.count": 5,
    "policy.sar.fleets.ngo.speed_kn": 20.0,
    "policy.states.Malta.accept_probability": 0.9,
}


def tables(scenario):
    start, changes = schedule(scenario)
    rows = vessel_rows(start, changes)
    return setup.build(start, Geography.from_scenario(scenario), rows), rows, changes


def test_one_row_per_vessel_any_period_needs_in_fleet_order_merchants_last():
    s = BASE.with_overrides({"timeline": [GROWS]})
    t, rows, _ = tables(s)
    v = t.vessels
    size = active_rows(schedule(s)[0])
    assert rows["ngo"] == 5 and size["ngo"] == 2
    assert len(v) == sum(rows.values())
    fleets = list(s.policy.sar.fleets)
    assert list(dict.fromkeys(v.fleet)) == [f for f in fleets if rows[f]] + ["merchant"] * (rows[MERCHANTS] > 0)
    ngo = np.flatnonzero(np.array(v.fleet) == "ngo")
    assert ngo.size == 5 and v.withdrawn[ngo].tolist() == [
        False,
        False,
        True,
        True,
        True,
    ]  # kept for the later period, in port until then
    assert v.blocked[ngo].tolist() == v.withdrawn[ngo].tolist()
    assert v.merchant.sum() == rows[MERCHANTS] and np.isnan(v.cx[v.merchant]).all() and (v.home[v.merchant] == -1).all()
    assert (v.kind[v.merchant] == VESSEL_KINDS.index("merchant")).all()
    for col in (
        "kind",
        "flag",
        "speed",
        "capacity",
        "cx",
        "radius",
        "home",
        "batch",
        "endurance",
        "port_days",
        "withdrawn",
        "blocked",
        "returns",
        "hunt",
        "approach",
        "per100",
    ):
        assert getattr(v, col).shape == (len(v),), col
    assert v.taskable.shape == (len(v), len(t.states.names))


def test_a_fleet_override_shows_in_the_table_and_in_both_engines_vessels():
    s = BASE.with_overrides(
        {
            "policy.sar.fleets.ngo.speed_kn": 21.0,
            "policy.sar.fleets.ngo.capacity_people": 123.0,
            "policy.sar.ngo_blocked": True,
        }
    )
    t, _, _ = tables(s)
    ngo = np.array(t.vessels.fleet) == "ngo"
    assert (
        np.all(t.vessels.speed[ngo] == 21.0 * KN_TO_KMH)
        and np.all(t.vessels.capacity[ngo] == 123.0)
        and t.vessels.blocked[ngo].all()
    )
    c = Constants.build(s)
    assert (
        np.array_equal(c.v_speed, t.vessels.speed)
        and np.array_equal(c.v_cap, t.vessels.capacity)
        and np.array_equal(c.v_blocked, t.vessels.blocked)
    )
    m = MigrationModel(s, rng=1)
    assert len(m.vessels) == len(t.vessels)
    assert [v.fleet_name for v in m.vessels] == list(t.vessels.fleet)
    assert [v.speed_kmh for v in m.vessels] == t.vessels.speed.tolist()
    assert [v.capacity for v in m.vessels] == t.vessels.capacity.tolist()
    assert [v.status for v in m.vessels if v.fleet_name == "ngo"] == ["in_port"] * int(
        ngo.sum()
    )  # blocked: in port from the start


def test_a_states_stance_follows_overrides_in_the_table_and_both_engines():
    s = BASE.with_overrides(
        {
            "policy.states.Italy.accept_probability": 0.3,
            "policy.states.Malta.closed_to_kinds": ["ngo"],
            "policy.states.Libya.rcc_willing_probability": 0.25,
        }
    )
    t, _, _ = tables(s)
    st = t.states
    italy, malta, libya = (st.index[n] for n in ("Italy", "Malta", "Libya"))
    assert st.stance.accept[italy] == 0.3 and st.willing[libya] == 0.25
    assert st.stance.closed_kind[malta].tolist() == [k == "ngo" for k in VESSEL_KINDS]
    c = Constants.build(s)
    assert (
        np.array_equal(c.accept_base, st.stance.accept)
        and np.array_equal(c.closed_kind, st.stance.closed_kind)
        and np.array_equal(c.willing, st.willing)
    )
    m = MigrationModel(s, rng=1)
    assert np.array_equal(m.stance.accept, st.stance.accept) and np.array_equal(m.willing, st.willing)


def test_channels_and_networks_are_rows_in_the_scenarios_order():
    s = BASE.with_overrides({"policy.legal.channels.humanitarian_visa.quota_per_year": 777.0})
    t, _, _ = tables(s)
    ch = t.channels
    assert ch.names == tuple(s.policy.legal.channels) and ch.profiles.shape == (len(ch.names), len(PROFILES))
    assert ch.quotas[ch.names.index("humanitarian_visa")] == 777.0
    assert t.networks.names == tuple(s.world.smugglers) and t.networks.mix.shape[0] == len(t.networks.names)
    m = MigrationModel(s, rng=1)
    assert [(n.x, n.y, n.dest_port) for n in m.networks] == list(
        zip(t.networks.x.tolist(), t.networks.y.tolist(), t.networks.dest.tolist(), strict=True)
    )


def test_on_a_change_day_both_engines_take_up_the_rebuilt_tables():
    s = BASE.with_overrides({"timeline": [GROWS]})
    _, rows, changes = tables(s)
    before = setup.build(schedule(s)[0], Geography.from_scenario(s), rows)
    after = setup.build(changes[1].scenario, Geography.from_scenario(s), rows)
    assert not np.array_equal(before.vessels.speed, after.vessels.speed) and not np.array_equal(
        before.vessels.withdrawn, after.vessels.withdrawn
    )
    m, batch = MigrationModel(s, rng=1), Batch(s, [1])
    for _ in range(25):  # to 01:00 of day 1
        m.step()
        batch.step()
    assert [v.withdrawn for v in m.vessels] == after.vessels.withdrawn.tolist()
    assert [v.speed_kmh for v in m.vessels] == after.vessels.speed.tolist()
    assert np.array_equal(m.stance.accept, after.states.stance.accept)
    c = batch.c
    assert (
        np.array_equal(c.v_blocked[0], after.vessels.blocked)
        and np.array_equal(c.v_speed[0], after.vessels.speed)
        and np.array_equal(c.accept_base[0], after.states.stance.accept)
    )
