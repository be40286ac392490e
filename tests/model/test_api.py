"""Access from other tools: numpy scalars, a framework without participants, batch evaluation, batch_run."""

from __future__ import annotations

import inspect

import mesa
import numpy as np
import pandas as pd
import pytest

from model.api import evaluate
from model.errors import ConfigError
from model.mesa_engine import MigrationModel
from model.params import Fleet, Scenario
from model.scenarios import load, to_toml
from model.vector_engine import VectorEngine

SMALL = load("central_med_small")


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("policy.sar.fleets.ngo.count", np.int64(9), 9),
        ("world.days", np.int32(30), 30),
        ("policy.sar.aerial_surveillance", np.float32(0.5), 0.5),
        ("policy.sar.ngo_blocked", np.bool_(True), True),
        ("policy.legal.channels.humanitarian_visa.quota_per_year", np.int64(800), 800.0),
        ("world.demand.monthly_share_pct", np.arange(1.0, 13.0), tuple(float(v) for v in range(1, 13))),
    ],
)
def test_numpy_values_are_taken_as_python_numbers(key, value, expected):
    s = Scenario().with_overrides({key: value})
    got = s.flat()[key]
    assert got == expected
    assert type(got) is type(expected)  # stored as Python values, so TOML and the compiled loops see one type
    to_toml(s)  # tomli_w refuses numpy scalars


def test_numpy_values_in_direct_construction_and_model_keywords():
    f = Fleet(count=np.int64(3), speed_kn=np.int64(12), taskable_by=(np.str_("Italy"),))
    assert (f.count, f.speed_kn) == (3, 12.0) and type(f.count) is int and type(f.speed_kn) is float
    m = MigrationModel("central_med_small", rng=np.int64(1), ngo_ships=np.int64(0), days=np.int64(1))
    assert m.params.policy.sar.fleets["ngo"].count == 0 and type(m.params.world.days) is int
    with pytest.raises(ConfigError, match="policy.sar.fleets.ngo.count"):
        Scenario().with_overrides({"policy.sar.fleets.ngo.count": np.float64(2.5)})  # still refused when not an integer


def test_standing_framework_without_participants_in_the_mesa_model():
    m = MigrationModel("central_med_small", framework="standing", days=1)
    assert m.params.policy.cooperation.participants == ("Italy", "Malta", "Tunisia")
    assert m.participants.tolist() == [s in ("Italy", "Malta", "Tunisia") for s in m.geo.states]


def test_batch_run_is_reproducible_without_seeds_and_seeds_are_given_as_rng():
    params = {
        "scenario": "central_med_small",
        "days": 2,
        "world.start_date": "2016-07-01",
        "world.demand.people_per_year": 400_000,
    }

    def table(seeds: list[int] | None = None) -> pd.DataFrame:
        if seeds is None:
            rows = mesa.batch_run(
                MigrationModel, params, max_steps=47, data_collection_period=1, display_progress=False
            )
        elif "rng" in inspect.signature(mesa.batch_run).parameters:  # Mesa 3.5: seeds go to batch_run
            rows = mesa.batch_run(
                MigrationModel, params, max_steps=47, data_collection_period=1, display_progress=False, rng=seeds
            )
        else:  # Mesa 3.3: seeds are a model parameter like any other
            rows = mesa.batch_run(
                MigrationModel, {**params, "rng": seeds}, max_steps=47, data_collection_period=1, display_progress=False
            )
        return pd.DataFrame(rows).drop(columns=["RunId"])

    first, second = table(), table()
    assert first["arrivals"].iloc[-1] > 0
    pd.testing.assert_frame_equal(first, second)
    seeded = table([1, 2])
    by_seed = [
        g.drop(columns=["rng", "iteration"], errors="ignore").reset_index(drop=True) for _, g in seeded.groupby("rng")
    ]
    assert len(by_seed) == 2
    assert not by_seed[0][["arrivals", "dead_and_missing"]].equals(
        by_seed[1][["arrivals", "dead_and_missing"]]
    )  # the seed matters


def test_evaluate_batches_points_and_seeds_like_single_runs():
    points = [
        {"ngo_ships": np.int64(0)},
        {"policy.sar.fleets.ngo.count": 8, "policy.sar.aerial_surveillance": np.float64(0.9)},
    ]
    table = evaluate(points, seeds=[1, 2], scenario=SMALL, days=12)
    assert list(table.columns[:5]) == [
        "point",
        "seed",
        "ngo_ships",
        "policy.sar.fleets.ngo.count",
        "policy.sar.aerial_surveillance",
    ]
    assert table[["point", "seed"]].values.tolist() == [[0, 1], [0, 2], [1, 1], [1, 2]]
    assert (table.loc[table.point == 0, "rescued_by_actor.ngo"] == 0).all()
    alone = (
        VectorEngine()
        .run(
            SMALL.with_overrides(
                {"world.days": 12, "policy.sar.fleets.ngo.count": 8, "policy.sar.aerial_surveillance": 0.9}
            ),
            2,
            record_events=False,
        )
        .summary
    )
    row = table.iloc[3]
    for k in ("departures", "arrivals", "rescued", "dead_and_missing", "people_days_waiting"):
        assert row[k] == alone[k], k
    assert alone["departures"] > 0


def test_evaluate_refuses_bad_input_before_running():
    with pytest.raises(ConfigError, match=r"points\[1\]\.policy.sar.fleets.ngo.count"):
        evaluate([{}, {"policy.sar.fleets.ngo.count": -1}], seeds=1, scenario=SMALL)
    with pytest.raises(ConfigError, match=r"points\[0\]\.ngo_shps"):
        evaluate([{"ngo_shps": 1}], scenario=SMALL)
    with pytest.raises(ConfigError, match="seeds"):
        evaluate([{}], seeds=[-1], scenario=SMALL)
    with pytest.raises(ConfigError, match="engine"):
        evaluate([{}], engine="fast", scenario=SMALL)
