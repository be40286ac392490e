"""The EMA Workbench adapter (model/ema.py).

Runs where EMA is installed (``pip install "seamig[ema]"``, Python 3.12+).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from model.errors import ConfigError

HAVE_EMA = importlib.util.find_spec("ema_workbench") is not None


@pytest.mark.skipif(HAVE_EMA, reason="EMA Workbench is installed: the adapter itself is tested below")
def test_without_ema_the_adapter_says_how_to_install_it():
    from model.ema import ema_model

    with pytest.raises(ConfigError, match=r"seamig\[ema\]"):
        ema_model(["world.adaptation.strength"])


@pytest.mark.skipif(
    not HAVE_EMA, reason='EMA Workbench not installed (pip install "seamig[ema]"; it needs Python 3.12+)'
)
def test_ema_experiments_run_as_one_batch_and_match_evaluate():
    import ema_workbench as ema

    from model.api import evaluate
    from model.ema import BatchEvaluator, dotted, ema_model

    model = ema_model(
        uncertainties={"world.adaptation.strength": None, "world.boats.rubber.distress_per_hour": (0.0, 0.1)},
        levers={"policy.sar.fleets.ngo.count": (0, 8), "policy.cooperation.framework": ["ad_hoc", "standing"]},
        outcomes=["dead_and_missing", "arrivals", "rescued_by_actor.ngo"],
        scenario="central_med_small",
        days=10,
        seeds=2,
    )
    kinds = {dotted(p.name): type(p).__name__ for p in [*model.uncertainties, *model.levers]}
    assert (
        kinds["world.adaptation.strength"] == "RealParameter"
        and kinds["policy.sar.fleets.ngo.count"] == "IntegerParameter"
    )
    assert kinds["policy.cooperation.framework"] == "CategoricalParameter"
    strength = model.uncertainties["world__adaptation__strength"]
    assert (strength.lower_bound, strength.upper_bound) == (0, 1)  # the declared bounds
    with BatchEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=3, policies=2)
    assert len(experiments) == 6 and all(len(v) == 6 for v in outcomes.values())
    keys = [
        "world.adaptation.strength",
        "world.boats.rubber.distress_per_hour",
        "policy.sar.fleets.ngo.count",
        "policy.cooperation.framework",
    ]
    points = [
        {k: row[k.replace(".", "__")] for k in keys} for _, row in experiments.iterrows()
    ]  # numpy and pandas scalars, as EMA hands them out
    direct = (
        evaluate(points, seeds=2, scenario="central_med_small", days=10)
        .groupby("point")[["dead_and_missing", "arrivals"]]
        .mean()
    )
    assert set(outcomes) == {"dead_and_missing", "arrivals", "rescued_by_actor__ngo"}
    np.testing.assert_allclose(outcomes["dead_and_missing"], direct["dead_and_missing"].to_numpy())
    np.testing.assert_allclose(outcomes["arrivals"], direct["arrivals"].to_numpy())
    assert ema.SequentialEvaluator  # EMA's own evaluators take the same model (one experiment at a time)


@pytest.mark.skipif(
    not HAVE_EMA, reason='EMA Workbench not installed (pip install "seamig[ema]"; it needs Python 3.12+)'
)
def test_ema_model_refuses_unknown_keys_and_outcomes():
    from model.ema import ema_model

    with pytest.raises(ConfigError, match="world.no_such_key"):
        ema_model({"world.no_such_key": (0, 1)})
    with pytest.raises(ConfigError, match="outcomes"):
        ema_model(["world.adaptation.strength"], outcomes=["happiness"])
    with pytest.raises(ConfigError, match="bound"):
        ema_model(["world.boats.rubber.speed_kn"])  # no declared upper bound: give (low, high)
