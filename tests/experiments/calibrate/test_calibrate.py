"""``seamig calibrate``: the calibration file, the summaries, resuming, and experiments that carry the posterior."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from experiments.calibrate.config import from_dict, load_config
from experiments.calibrate.simulator import run_job
from experiments.calibrate.smc import Stopped, calibrate, weighted_quantile
from experiments.calibrate.summaries import layout, observed_raw, observed_table, scaled
from experiments.cli import main

TRUTH = (0.04, 0.012)


def small_config(**method) -> dict:
    """Two parameters of the 60-day small scenario, fitted to monthly deaths, arrivals and returns."""
    return {
        "name": "small",
        "scenario": "central_med_small",
        "seed": 5,
        "years": [2016],
        "discrepancy": 0.05,
        "method": {"population_size": 10, "rounds": 2, "first_quantile": 0.2, "batch_size": 16, **method},
        "parameters": {
            "world.boats.rubber.distress_per_hour": {"prior": "uniform", "lo": 0.01, "hi": 0.09},
            "policy.states.Libya.interception_per_hour": {"prior": "uniform", "lo": 0.002, "hi": 0.03},
        },
        "summaries": {
            "dead_and_missing": {"period": "month", "error": 0.3},
            "arrivals": {"period": "month", "error": 0.1},
            "returns": {"period": "month", "error": 0.1},
        },
    }


def synthetic(cfg, truth=TRUTH, seed=99):
    """One run of the model at ``truth``: the data a simulation-based check fits."""
    base = cfg.base_scenario()
    lay = layout(cfg, base.world.start_date, base.world.days, observed=False)
    return run_job(base, cfg.keys, np.array([truth]), [seed], lay)[0]


def test_built_in_calibration_is_valid_and_compares_39_summaries():
    cfg = load_config("central_med_2014_2017")
    base = cfg.base_scenario()
    lay = layout(cfg, base.world.start_date, base.world.days)
    assert len(cfg.parameters) == 8
    # 16 quarters of arrivals and of deaths, 4 years of incidents, returns for 2016-2017, the NGO share
    assert len(lay) == 16 + 16 + 4 + 2 + 1
    obs = dict(zip(lay.labels, observed_raw(lay), strict=True))
    assert obs["returns 2016"] == 14332
    assert obs["ngo_share all"] == pytest.approx(0.1879)
    assert sum(v for k, v in obs.items() if k.startswith("dead_and_missing 2016")) == 4582
    # leaving a year out drops its summaries and the whole-run share
    held = layout(cfg.holding_out(2015), base.world.start_date, base.world.days)
    assert not any("2015" in lab for lab in held.labels) and "ngo_share all" not in held.labels


def test_a_calibration_extends_a_named_one():
    cfg = load_config("central_med_2014_2017_loyo")
    full = load_config("central_med_2014_2017")
    assert cfg.parameters == full.parameters and cfg.summaries == full.summaries
    assert cfg.method.population_size == 250 and cfg.method.quantile == full.method.quantile


def test_observed_table_sums_months_to_quarters_and_years():
    t = observed_table()
    assert t[("dead_and_missing", "2015")] == 3150
    assert t[("arrivals", "2014Q1")] == 2171 + 3335 + 5550


def test_counts_compare_on_a_log_scale_over_their_error():
    cfg = from_dict(small_config())
    lay = layout(cfg, "2016-06-01", 61, observed=False)
    v = scaled(np.array([np.e - 1] * len(lay)), lay)
    assert v == pytest.approx(1 / np.asarray(lay.scale))  # log(1 + (e - 1)) = 1


BAD = {
    "misspelt key": ({"methd": {}}, "methd"),
    "misspelt method key": ({"method": {"population": 5}}, "method.population"),
    "unknown parameter": (
        {"parameters": {"world.boats.rubber.distres": {"prior": "uniform", "lo": 0, "hi": 1}}},
        "parameters",
    ),
    "prior outside the bounds": (
        {"parameters": {"policy.sar.merchant.compliance": {"prior": "uniform", "lo": 0.2, "hi": 1.7}}},
        "parameters.policy.sar.merchant.compliance.hi",
    ),
    "lo above hi": (
        {"parameters": {"policy.sar.merchant.compliance": {"prior": "uniform", "lo": 0.9, "hi": 0.1}}},
        "parameters.policy.sar.merchant.compliance.hi",
    ),
    "unknown prior": (
        {"parameters": {"policy.sar.merchant.compliance": {"prior": "beta", "lo": 0.1, "hi": 0.9}}},
        "parameters.policy.sar.merchant.compliance.prior",
    ),
    "unknown series": ({"summaries": {"deaths": {"error": 0.3}}}, "summaries"),
    "no error stated": ({"summaries": {"arrivals": {"period": "month"}}}, "summaries.arrivals.error"),
    "bad period": ({"summaries": {"returns": {"period": "week", "error": 0.2}}}, "summaries.returns.period"),
    "negative population": ({"method": {"population_size": -5}}, "method.population_size"),
    "unknown parent": ({"extends": "central_med_1999"}, "extends"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_configs_exit_2_naming_the_key_and_write_nothing(tmp_path, capsys, case):
    import tomli_w

    change, key = BAD[case]
    data = small_config()
    for k, v in change.items():
        if isinstance(v, dict) and k in data and k != "parameters" and k != "summaries":
            data[k] = {**data[k], **v}
        else:
            data[k] = v
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(data))
    out = tmp_path / "out"
    assert main(["calibrate", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and key in err
    assert not out.exists()


def test_malformed_file_exits_2(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("[method\n")
    assert main(["calibrate", str(path), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "malformed" in capsys.readouterr().err


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A small calibration run to the end, and the data it fitted."""
    cfg = from_dict(small_config())
    obs = synthetic(cfg)
    out = tmp_path_factory.mktemp("cal") / "a"
    calibrate(cfg, out, executor="serial", progress=False, predictive_runs=4, observed=obs)
    return cfg, obs, out


def test_a_killed_calibration_resumes_to_the_same_posterior(tmp_path, finished):
    cfg, obs, done = finished
    out = tmp_path / "b"
    with pytest.raises(Stopped):
        calibrate(cfg, out, executor="serial", progress=False, predictive_runs=4, observed=obs, stop_after_round=0)
    assert (out / "checkpoint.pkl").exists() and not (out / "posterior.parquet").exists()
    with pytest.raises(Exception, match="--resume"):
        calibrate(cfg, out, executor="serial", progress=False, observed=obs)
    calibrate(cfg, out, executor="serial", progress=False, predictive_runs=4, observed=obs, resume=True)
    diag = pd.read_parquet(out / "diagnostics.parquet")  # the round before the kill keeps its time
    assert (diag["seconds"] > 0).all() and json.loads((out / "manifest.json").read_text())["seconds"] >= diag[
        "seconds"
    ].sum() - 0.1
    a, b = pd.read_parquet(done / "posterior.parquet"), pd.read_parquet(out / "posterior.parquet")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(
        pd.read_parquet(done / "predictive_monthly.parquet"), pd.read_parquet(out / "predictive_monthly.parquet")
    )


def test_resume_refuses_a_changed_file(tmp_path, finished):
    cfg, obs, _ = finished
    out = tmp_path / "c"
    with pytest.raises(Stopped):
        calibrate(cfg, out, executor="serial", progress=False, observed=obs, stop_after_round=0)
    changed = from_dict({**small_config(), "seed": 6})
    with pytest.raises(Exception, match="same calibration file"):
        calibrate(changed, out, executor="serial", progress=False, observed=obs, resume=True)


def test_outputs_posterior_table_manifest_and_charts(finished):
    from experiments.present.calibration_charts import draw_calibration

    cfg, _, out = finished
    post = pd.read_parquet(out / "posterior.parquet")
    assert list(post.columns) == [*cfg.keys, "weight", "distance"]
    assert len(post) == 10 and post["weight"].sum() == pytest.approx(1.0)
    for p in cfg.parameters:
        assert post[p.key].between(p.lo, p.hi).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["rounds"] == 2 and manifest["seed"] == 5
    assert {"numpy", "elfi", "python"} <= set(manifest["versions"]) and "commit" in manifest
    table = pd.read_csv(out / "parameters.csv")
    assert (table["q05"] <= table["median"]).all() and (table["median"] <= table["q95"]).all()
    diag = pd.read_parquet(out / "diagnostics.parquet")
    assert list(diag["round"]) == [0, 1] and diag["threshold"].is_monotonic_decreasing
    files = {p.name for p in draw_calibration(out)}
    assert {"pairs.png", "diagnostics.png", "predictive.png"} <= files


def test_weighted_quantile():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_quantile(x, np.ones(4), 0.5) == pytest.approx(2.5)
    assert weighted_quantile(x, np.array([0.0, 0.0, 0.0, 1.0]), 0.5) == pytest.approx(4.0)


def test_experiments_draw_replicate_parameters_from_a_posterior(tmp_path, finished):
    """Replicate r takes draw r in every scenario (paired); a package's own value wins."""
    from experiments.run.spec import Experiment
    from experiments.run.sweep import tasks_for

    cfg, _, out = finished
    key, lever = cfg.keys
    exp = Experiment.from_dict(
        {
            "name": "with_doubt",
            "question": "Does the finding hold with the parameters' doubt?",
            "base": "central_med_small",
            "engine": "vector",
            "replicates": 4,
            "seed": 3,
            "posterior": str(out),
            "packages": {"status_quo": {}, "libya_stops_more": {lever: 0.05}},
        }
    )
    tasks = tasks_for(exp, exp.points(), set())
    by = {(t.package, t.replicate): t.scenario.flat() for t in tasks}
    post = pd.read_parquet(out / "posterior.parquet")
    for r in range(4):
        a, b = by[("status_quo", r)], by[("libya_stops_more", r)]
        assert a[key] == b[key] and a[key] in set(post[key])  # paired, and from the posterior
        assert b[lever] == 0.05 and a[lever] in set(post[lever])
    assert len({by[("status_quo", r)][key] for r in range(4)}) > 1
    assert exp.resolved()["posterior_digest"]
    with pytest.raises(Exception, match="posterior"):
        Experiment.from_dict(
            {"name": "x", "question": "q?", "base": "central_med_small", "posterior": str(tmp_path / "none")}
        )


def test_the_simulator_gives_the_same_summaries_on_every_executor():
    from experiments.calibrate.simulator import BatchSimulator
    from experiments.calibrate.smc import prior_rvs, run_seeds

    cfg = from_dict(small_config())
    base = cfg.base_scenario()
    lay = layout(cfg, base.world.start_date, base.world.days, observed=False)
    rows = prior_rvs(cfg, 5, np.random.default_rng(1))
    seeds = run_seeds(cfg.seed, rows)
    out = {}
    for executor, workers in (("serial", None), ("processes", 2), ("dask", 2)):
        with BatchSimulator(base, cfg.keys, lay, executor, workers) as sim:
            out[executor] = sim(rows, seeds)
            assert sim.run_years == pytest.approx(5 * 60 / 365.25)
    np.testing.assert_array_equal(out["serial"], out["processes"])
    np.testing.assert_array_equal(out["serial"], out["dask"])
    # the seeds come from the parameter values: the same set, the same run, wherever it sits in a batch
    np.testing.assert_array_equal(run_seeds(cfg.seed, rows[::-1]), seeds[::-1])


def test_prediction_rows_compare_draws_with_the_record():
    from experiments.calibrate.checks import prediction_rows, record_months

    rec = record_months()
    rec = rec[rec["month"].str.startswith("2015")]
    draws = pd.concat([rec.assign(draw=d) for d in range(3)], ignore_index=True)
    rows = {r["measure"]: r for r in prediction_rows(draws, 2015)}
    assert rows["dead and missing"]["recorded"] == 3150 and rows["dead and missing"]["median"] == 3150
    jan_apr = rec[rec["month"] <= "2015-04"]
    rate = 100 * jan_apr["dead_and_missing"].sum() / jan_apr["arrivals"].sum()
    assert rows["deaths per 100 arrivals, Jan-Apr"]["recorded"] == pytest.approx(rate)
    assert all(r["inside"] for r in rows.values())
    first_half = draws[draws["month"] <= "2015-06"].assign(days=30)  # (only April and June whole)
    jan_to_apr_whole = first_half.assign(days=[31, 28, 31, 30, 30, 29] * 3)
    assert [r["measure"] for r in prediction_rows(jan_to_apr_whole, 2015)] == ["deaths per 100 arrivals, Jan-Apr"]
    assert prediction_rows(first_half, 2015) == []  # no whole January: nothing to compare
    tripled = draws.assign(dead_and_missing=draws["dead_and_missing"] * 3)
    assert not any(
        r["inside"] for r in prediction_rows(tripled, 2015) if "dead" in r["measure"] or "per" in r["measure"]
    )


def test_leave_one_year_out_fits_without_each_year_and_predicts_it(tmp_path):
    """Two years of the record, a tiny budget: two fits, each blind to one year, and the table."""
    from experiments.calibrate.holdout import leave_one_year_out
    from model.scenarios import load, to_toml

    scenario = tmp_path / "two_years.toml"
    scenario.write_text(to_toml(load("central_med_2014_2017").with_overrides({"world.days": 730})))
    data = small_config(population_size=10, rounds=1, first_quantile=0.5, batch_size=20)
    data.update(scenario=str(scenario), years=[2014, 2015])
    data["summaries"] = {
        "arrivals": {"period": "year", "error": 0.1},
        "dead_and_missing": {"period": "year", "error": 0.5},
    }
    table = leave_one_year_out(from_dict(data), tmp_path / "loyo", executor="serial", progress=False, predictive_runs=3)
    assert sorted(set(table["year"])) == [2014, 2015] and len(table) == 8
    for year in (2014, 2015):
        manifest = json.loads((tmp_path / "loyo" / f"without_{year}" / "manifest.json").read_text())
        assert manifest["config"]["years"] == [y for y in (2014, 2015) if y != year]
        assert not any(str(year) in s for s in manifest["summaries"])
    assert "year left out" in (tmp_path / "loyo" / "leave_one_year_out.md").read_text()


def test_the_report_says_which_intervals_hold_the_parameters_doubt():
    from experiments.present.report import intervals_words

    assert "doubt about the calibrated parameters" in intervals_words({"posterior": "results/calibration"})
    assert "randomness of the simulation only" in intervals_words({"name": "x"})
