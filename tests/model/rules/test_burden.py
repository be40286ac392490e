"""Burden sharing (issue 24): landing rules and caps, relocation keys, contributions, waits still running."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.errors import ConfigError
from model.mesa_engine import MesaEngine, MigrationModel
from model.rules import burden, landing
from model.scenarios import load
from model.vector_engine import VectorEngine

INF = np.inf


# --- relocation keys -----------------------------------------------------------------------------


def test_population_gdp_key_matches_the_formula_on_a_known_input():
    """Three states, figures chosen so each term's shares are simple fractions; the key is computed by hand."""
    pop, gdp = np.array([1.0, 2.0, 5.0]), np.array([6.0, 3.0, 1.0])
    unemp, asylum = np.array([10.0, 5.0, 10.0]), np.array([100.0, 100.0, 50.0])
    key = burden.population_gdp_key(pop, gdp, unemp, asylum, np.array([True, True, True]))
    # population 1/8, 2/8, 5/8; GDP 6/10, 3/10, 1/10; 1/unemployment 1/4, 2/4, 1/4; 1/asylum 1/4, 1/4, 2/4
    by_hand = [
        0.4 / 8 + 0.4 * 0.6 + 0.1 / 4 + 0.1 / 4,
        0.4 * 2 / 8 + 0.4 * 0.3 + 0.1 * 2 / 4 + 0.1 / 4,
        0.4 * 5 / 8 + 0.4 * 0.1 + 0.1 / 4 + 0.1 * 2 / 4,
    ]
    np.testing.assert_allclose(key, by_hand, rtol=1e-12)
    assert key.sum() == pytest.approx(1.0)
    outside = burden.population_gdp_key(pop, gdp, unemp, asylum, np.array([True, True, False]))
    assert outside[2] == 0.0 and outside.sum() == pytest.approx(1.0)


def test_a_scenario_with_the_population_gdp_key_relocates_by_its_figures():
    """Italy and Malta under COM(2015) 450's key: the shares follow the figures in world.burden (Malta's is small)."""
    s = load("central_med_small").with_overrides(
        {
            "policy.cooperation.framework": "standing",
            "policy.cooperation.participants": ["Italy", "Malta"],
            "policy.cooperation.relocation_key_rule": "population_gdp",
        }
    )
    states = tuple(s.world.states)
    f = [s.world.burden.figures(n) for n in ("Italy", "Malta")]
    want = burden.population_gdp_key(
        *(
            np.array([getattr(x, a) for x in f])
            for a in ("population_millions", "gdp_eur_bn", "unemployment_pct", "asylum_per_million")
        ),
        np.array([True, True]),
    )
    key = burden.key_shares(s, states)
    np.testing.assert_allclose(key[[states.index("Italy"), states.index("Malta")]], want)
    assert key[states.index("Malta")] < 0.1 and key[states.index("Tunisia")] == 0.0


def test_keys_refuse_what_they_cannot_use():
    base = load("central_med_small")
    with pytest.raises(ConfigError, match="relocation_key"):
        base.with_overrides(
            {
                "policy.cooperation.participants": ["Italy", "Malta"],
                "policy.cooperation.relocation_key": {"Italy": 0.5, "Malta": 0.5},
                "policy.cooperation.relocation_key_rule": "population_gdp",
            }
        )
    with pytest.raises(ConfigError, match="population_millions"):
        base.with_overrides(
            {
                "policy.cooperation.participants": ["Italy", "Malta"],
                "world.burden.states.Malta.population_millions": 0.0,
                "policy.cooperation.relocation_key_rule": "population_gdp",
            }
        )
    with pytest.raises(ConfigError, match="landing_hub"):
        base.with_overrides(
            {
                "policy.cooperation.framework": "standing",
                "policy.cooperation.participants": ["Italy"],
                "policy.cooperation.landing_rule": "hub",
                "policy.cooperation.landing_hub": "Malta",
            }
        )
    with pytest.raises(ConfigError, match="contributes_instead"):
        base.with_overrides(
            {"policy.cooperation.participants": ["Italy"], "policy.cooperation.contributes_instead": ["Italy"]}
        )


def test_states_that_contribute_instead_get_no_relocated_people():
    s = load("central_med_small").with_overrides(
        {
            "policy.cooperation.participants": ["Italy", "Malta", "Tunisia"],
            "policy.cooperation.relocation_key_rule": "reception_capacity",
            "policy.cooperation.contributes_instead": ["Tunisia"],
        }
    )
    states = tuple(s.world.states)
    w = burden.relocation_weights(s, states, np.zeros(len(states)))
    assert w[states.index("Tunisia")] == 0.0 and w[states.index("Italy")] > w[states.index("Malta")] > 0


def test_under_a_key_rule_the_landing_state_keeps_its_share():
    """Italy lands a group; its key share is 0.9.

    A key rule relocates half of the other 10%, the negotiated rule half of everyone (as before).
    """
    w = np.array([0.9, 0.1, 0.0])
    assert burden.relocated_share(0.5, w, 0, True) == pytest.approx(0.05)
    assert burden.relocated_share(0.5, w, 0, False) == 0.5
    np.testing.assert_allclose(
        burden.relocated_share(np.array([0.5, 1.0]), np.stack([w, w]), np.array([1, 2]), np.array([True, True])),
        [0.45, 1.0],
    )


# --- contributions -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.01, 1.0), st.integers(0, 10**6), st.booleans()), min_size=1, max_size=8),
    st.floats(0, 1e5),
)
def test_contributions_balance(rows, price):
    """What members below their fair share pay equals what members above it receive.

    (to rounding), whatever the key and burden.
    """
    w, taken, members = (np.array(x) for x in zip(*rows, strict=True))
    members[0] = True
    key = np.where(members, w, 0.0) / np.where(members, w, 0.0).sum()
    fair, paid = burden.contributions(key, taken, members, price)
    scale = max(1.0, price * taken.sum())
    assert abs(paid.sum()) <= 1e-9 * scale
    assert (paid[~members] == 0).all()
    assert fair.sum() == pytest.approx(taken[members].sum())


def test_a_state_that_takes_no_one_pays_its_whole_fair_share():
    fair, paid = burden.contributions(
        np.array([0.5, 0.3, 0.2]), np.array([900, 100, 0]), np.array([True, True, True]), 20_000
    )
    np.testing.assert_allclose(fair, [500, 300, 200])
    np.testing.assert_allclose(paid, [-400 * 20_000, 200 * 20_000, 200 * 20_000])


# --- landing rules -------------------------------------------------------------------------------

D = np.array([50.0, 100.0, 10.0, INF])  # Italy, Malta, Tunisia, Libya (no safe port)
PART = np.array([True, True, True, False])
RANK = np.array([0, 1, 2, -1])


def _named(rule, n=100, free=(10_000, 500, 0, 0), srr=1, hub=-1, turn=0, landed=(0, 0, 0, 0), cap=(INF, INF, INF, INF)):
    ok = np.zeros(4, dtype=bool)
    landing.eligible_states(D, PART, float(n), np.array(landed, dtype=float), np.array(cap, dtype=float), ok)
    return int(
        landing.framework_landing_state(
            landing.LANDING_RULES[rule], D, ok, srr, hub, RANK, turn, float(n), np.array(free, dtype=float)
        )
    )


def test_each_landing_rule_names_the_state_it_says():
    assert _named("nearest") == 2  # Tunisia is nearest, full or not
    assert _named("nearest_with_places") == 0  # Tunisia has no free place; Italy is the nearest that has
    assert _named("nearest_with_places", free=(10_000, 500, 100, 0)) == 2
    assert _named("nearest_with_places", free=(-5, -1, -9, 0)) == 1  # nobody has room: the most free places
    assert _named("srr_state") == 1  # the rescue was in Malta's SRR and Malta has room
    assert _named("srr_state", n=600) == 0  # ... but not for 600
    assert _named("hub", hub=1) == 1
    assert [_named("rotation", turn=t, free=(10_000, 500, 500, 0)) for t in (0, 1, 2)] == [0, 1, 2]
    assert _named("rotation", turn=2) == 0  # Tunisia's turn, but it has no room: the next in turn
    assert int(landing.next_turn(RANK, 2)) == 0


def test_a_state_at_its_cap_is_not_named_nor_bound():
    assert _named("nearest", landed=(0, 0, 950, 0), cap=(INF, INF, 1000, INF)) == 0  # 950 + 100 > 1,000
    assert _named("nearest", landed=(0, 0, 900, 0), cap=(INF, INF, 1000, INF)) == 2
    assert _named("nearest", landed=(1, 1, 1, 0), cap=(0, 0, 0, INF)) == -1  # every participant at its cap


CAPPED = load("central_med_small").with_overrides(
    {
        "world.days": 20,
        "policy.cooperation.framework": "standing",
        "policy.cooperation.participants": ["Italy", "Malta", "Tunisia"],
        "policy.cooperation.landing_rule": "nearest",
        "policy.cooperation.landing_caps": {"Tunisia": 100, "Malta": 50},
        "policy.states.Italy.accept_probability": 0.3,
    }
)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_a_cap_is_never_exceeded(engine):
    """Tunisia is the nearest participant for some rescues.

    Uncapped it lands about 280 people in these 20 days; capped at 100, it stops there, and Italy takes the rest.
    """
    seeds = range(2) if isinstance(engine, MesaEngine) else range(6)
    for r in (engine.run(CAPPED, s, record_events=False).summary for s in seeds):
        fw = r["framework_landed_by_state"]
        assert fw["Tunisia"] <= 100 and fw["Malta"] <= 50
        assert fw["Tunisia"] > 40  # the cap binds: it is approached, not avoided
        assert fw["Italy"] > 0
        assert r["contributions_balance_eur"] == pytest.approx(0.0, abs=1e-3)


# --- waits still running at the end --------------------------------------------------------------


def test_a_wait_that_never_ends_is_counted():
    """Every state refuses and no deal is ever struck.

    The ship that rescued the people waits to the end, and the summary says so.
    """
    s = load("central_med_small").with_overrides(
        {
            "world.days": 6,
            "world.demand.people_per_year": 0,
            "policy.cooperation.framework": "none",
            "policy.sar.medevac_daily_probability": 0.0,
            "world.detection.report_probability": 1.0,  # the boat's call reaches an RCC at once
            **{f"policy.states.{n}.accept_probability": 0.0 for n in ("Italy", "Malta", "Tunisia", "Libya")},
            **{f"world.boats.{b}.capsize_mean_hours": 100_000.0 for b in ("rubber", "wooden", "fishing")},
        }
    )
    m = MigrationModel(s, rng=3)
    m.add_boat(12.6, 33.5, "wooden", {"refugee": 40, "economic_migrant": 20})
    for _ in range(s.world.days * 24):
        m.step()
    r = m.result(3).summary
    assert r["rescued"] == 60 and r["arrivals"] == 0
    assert r["ships_waiting_end"] == 1
    assert 4.0 < r["max_wait_days"] <= 6.0
    assert r["mean_wait_days"] == r["max_wait_days"]
    m.release()


# --- burden in sweeps: table, chart, report ------------------------------------------------------


def _fake_runs():
    """Two packages x 2 replicates with per-state columns, as runs.parquet stores them."""
    import pandas as pd

    rows = []
    for i, (pkg, it, mt) in enumerate((("ad_hoc", 100, 10), ("standing", 80, 30))):
        for rep in range(2):
            row = {"scenario_index": i, "scenario": f"{pkg}, x=1", "package": pkg, "replicate": rep}
            for m in ("arrivals_by_state", "burden_by_state", "net_cost_eur_by_state"):
                row.update({f"{m}.Italy": it + rep, f"{m}.Malta": mt, f"{m}.Libya": 0})
            rows.append(row)
    return pd.DataFrame(rows)


def test_burden_table_chart_and_report_section():
    from experiments.present import burden as eb
    from experiments.present.style import figure

    runs = _fake_runs()
    table = eb.burden_table(runs)
    assert set(table["state"]) == {"Italy", "Malta"}  # Libya took no one: left out
    assert table.loc[(table["scenario_index"] == 1) & (table["state"] == "Italy"), "burden_by_state"].item() == 80.5
    _, ax = figure(size=(8, 5))
    eb.plot_by_state(runs, outcome="burden_by_state", ax=ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Italy", "Malta"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Ad hoc", "Standing"]
    html = eb.burden_html(runs)
    assert "<h2>Burden by state</h2>" in html and "80" in html
    with pytest.raises(ConfigError):
        eb.plot_by_state(runs, outcome="deaths")


def test_the_cooperation_experiment_charts_burden_by_state():
    from experiments.run.spec import load_experiment

    exp = load_experiment("cooperation")
    kinds = {c["kind"]: c["outcome"] for c in exp.charts.values() if c["kind"] == "by_state"}
    assert kinds and all(o.endswith("_by_state") for o in kinds.values())


def test_a_by_state_chart_needs_a_per_state_outcome(tmp_path):
    from experiments.run.spec import load_experiment

    text = (Path(__file__).resolve().parents[3] / "experiments" / "cooperation.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('outcome = "relocated_in_by_state"', 'outcome = "dead_and_missing"'), encoding="utf-8")
    with pytest.raises(ConfigError, match="per-state"):
        load_experiment(bad)


# --- joining and leaving (burden.membership) ---------------------------------------------------------


def _membership_scenario(**over):
    base = {
        "policy.cooperation.framework": "standing",
        "policy.cooperation.membership_rule": "cost",
        "policy.cooperation.relocation_key_rule": "population_gdp",
    }
    return load("central_med_small").with_overrides({**base, **over})


def test_a_state_with_huge_standoff_costs_joins_and_one_far_above_its_share_leaves():
    sc = _membership_scenario(
        **{"policy.cooperation.participants": ["Italy", "Malta"], "policy.cooperation.leave_excess_people": 1000}
    )
    states = tuple(sc.world.states)  # Italy, Malta, Tunisia, Libya
    members = np.array([True, True, False, False])
    never_left = np.zeros(4, dtype=bool)
    taken = np.array([10_000, 5_000, 0, 0])  # Malta's key share is under 1%: it has taken ~4,900 beyond it
    standoff = np.array([0, 0, 10**6, 10**6])  # Tunisia's and Libya's RCCs' rescued waited a million person-days
    new = burden.membership(sc, states, members, never_left, taken, standoff)
    assert new.tolist() == [
        True,
        False,
        True,
        False,
    ]  # Tunisia joins; Malta leaves; Libya (no place of safety) cannot join
    assert burden.membership(sc, states, members, never_left, taken, np.zeros(4)).tolist() == [
        True,
        False,
        False,
        False,
    ]  # no standoffs: no one joins
    assert not burden.membership(sc, states, members, np.array([False, False, True, False]), taken, standoff)[
        2
    ]  # a state that left does not rejoin
    fixed = sc.with_overrides({"policy.cooperation.membership_rule": "fixed"})
    assert (
        burden.membership(fixed, states, members, never_left, taken, standoff).tolist() == members.tolist()
    )  # the rule off: unchanged


def _joining_scenario():
    """Malta alone, capped at 300 people.

    Past its cap Italy (accepting 30%) lets ships wait, its RCC's cases pile up people-days, and at 1 July it joins.
    """
    return _membership_scenario(
        **{
            "world.days": 32,
            "policy.cooperation.participants": ["Malta"],
            "policy.cooperation.landing_caps": {"Malta": 300},
            "policy.states.Italy.accept_probability": 0.3,
            "policy.cooperation.standoff_eur_per_person_day": 100_000,
        }
    )


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_joining_is_an_outcome_of_a_run(engine):
    s = engine.run(_joining_scenario(), 1).summary
    assert s["joined_day_by_state"]["Italy"] == 30  # 1 July, the first month's start
    assert s["member_days_by_state"] == {"Italy": 2, "Malta": 32, "Tunisia": 0, "Libya": 0}
    assert s["standoff_people_days_by_state"]["Italy"] > 0 and s["left_day_by_state"]["Malta"] == -1


def test_under_a_fixed_membership_no_state_joins():
    off = (
        VectorEngine()
        .run(_joining_scenario().with_overrides({"policy.cooperation.membership_rule": "fixed"}), 1)
        .summary
    )
    assert off["joined_day_by_state"]["Italy"] == -1 and off["member_days_by_state"]["Italy"] == 0


# --- relocations within free reception places ------------------------------------------------------


def test_relocations_stay_within_free_places():
    assert burden.relocation_within_places(
        np.array([5, 3, 0]), np.array([8.0, 0.0, 0.0]), np.array([10.0, 10.0, 0.0])
    ).tolist() == [2, 3, 0]
    assert burden.relocation_within_places(np.array([4]), np.array([12.5]), np.array([10.0])).tolist() == [
        0
    ]  # over capacity: no room
    assert burden.trim_profiles(np.array([3, 2, 4]), 5).tolist() == [3, 2, 0]
    assert burden.trim_profiles(np.array([3, 2, 4]), 9).tolist() == [3, 2, 4]


def _relocation_to_a_full_malta():
    """Everyone landed in Italy is owed to Malta, which has 20 free places.

    Relocations to Malta stop there; off, they pass them.
    """
    over = {
        "world.days": 20,
        "policy.cooperation.framework": "standing",
        "policy.cooperation.participants": ["Italy", "Malta"],
        "policy.cooperation.relocation_key": {
            "Malta": 1.0
        },  # negotiated: everyone landed in Italy is relocated to Malta
        "policy.cooperation.relocation_days": 1,
        "policy.cooperation.relocation_share": 1.0,
        "policy.cooperation.landing_caps": {"Malta": 0},
        "world.states.Malta.reception_capacity_people": 2000,
        "world.states.Malta.initial_occupancy_people": 1980,
        "world.states.Malta.processing_days": 3650,  # (its reception barely drains: about 20 free places throughout)
    }
    return load("central_med_small").with_overrides(over)


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_relocations_within_places(engine):
    on = engine.run(
        _relocation_to_a_full_malta().with_overrides({"policy.cooperation.relocation_within_places": True}), 1
    ).summary
    assert 0 < on["relocated_in_by_state"]["Malta"] <= 31  # 20 free places, plus at most 11 that drain in 20 days
    assert on["relocations"] == sum(on["relocated_in_by_state"].values())  # the profiles follow the trimmed counts


def test_relocations_not_held_to_free_places_pass_them():
    off = VectorEngine().run(_relocation_to_a_full_malta(), 1).summary
    assert off["relocated_in_by_state"]["Malta"] > 100
