"""Simulation-based calibration check: ABC-SMC recovers parameters from data the model itself made.

Five times: draw true values from the prior, simulate two months (June and July) of central_med_2016 at those
values, calibrate against it, and ask whether each true value lies inside its 90% posterior
interval. Over 5 x 2 intervals about 9 should; the test accepts 7 or more (the intervals of ABC
are approximate), and asks that the well-informed parameter (Libya's interception rate, which
returns measure) is learned: its intervals narrower than three quarters of the prior's width.
(With one month, June, the calibrated defaults of 5 December left it at 0.78 of the prior's
width, against the 0.75 asked: two months give the check the data it needs.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.calibrate.config import from_dict
from experiments.calibrate.smc import calibrate, prior_rvs
from tests.experiments.calibrate.test_calibrate import small_config, synthetic

REPEATS = 5


@pytest.mark.slow
def test_true_values_fall_inside_the_90_percent_intervals(tmp_path):
    scenario = tmp_path / "june_2016.toml"
    scenario.write_text('base = "central_med_2016"\n[world]\nstart_date = "2016-06-01"\ndays = 61\n')
    data = small_config(population_size=20, rounds=3, batch_size=32)
    data["scenario"] = str(scenario)
    data["parameters"] = {
        "policy.states.Libya.interception_per_hour": {"prior": "uniform", "lo": 0.002, "hi": 0.03},
        "policy.sar.merchant.compliance": {"prior": "uniform", "lo": 0.3, "hi": 1.0},
    }
    data["summaries"] = {"returns": {"period": "month", "error": 0.1}, "arrivals": {"period": "month", "error": 0.05}}
    cfg = from_dict(data)
    truths = prior_rvs(cfg, REPEATS, np.random.default_rng(7))
    inside, widths = [], []
    for i, truth in enumerate(truths):
        out = tmp_path / f"c{i}"
        calibrate(
            cfg,
            out,
            executor="serial",
            progress=False,
            predictive_runs=0,
            observed=synthetic(cfg, tuple(truth), seed=1000 + i),
        )
        table = pd.read_csv(out / "parameters.csv")
        for j, p in enumerate(cfg.parameters):
            inside.append(table.q05[j] <= truth[j] <= table.q95[j])
            widths.append((p.key, (table.q95[j] - table.q05[j]) / (p.hi - p.lo)))
    assert sum(inside) >= 7, inside
    interception = [w for k, w in widths if k.endswith("interception_per_hour")]
    assert np.mean(interception) < 0.75, widths
