"""Experiments: validation, common random numbers, executors, resume after a kill, schemas, analysis."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.present.figures import draw_all
from experiments.run.analysis import bootstrap_ci, differences, load_results, summarize
from experiments.run.spec import Experiment, builtin_experiments, load_experiment, replicate_seed
from experiments.run.sweep import sweep
from model.errors import ConfigError
from model.outcomes import DAILY_COLUMNS

TINY = """
name = "tiny"
question = "A tiny experiment for tests."
base = "central_med_small"
days = {days}
replicates = {reps}
seed = 7
baseline = "status_quo"
outcomes = ["dead_and_missing", "arrivals", "departures"]
[packages.status_quo]
[packages.same_as_status_quo]
[packages.no_ngo]
"policy.sar.ngo_blocked" = true
[charts.deaths]
kind = "bars"
outcome = "dead_and_missing"
[charts.map]
kind = "map"
"""


def tiny(tmp_path: Path, days: int = 3, reps: int = 2) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY.format(days=days, reps=reps))
    return path


def tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    _, runs, daily, events = load_results(folder)
    return runs, daily, events


@pytest.mark.parametrize(
    ("patch", "key"),
    [
        ({"replicats": 3}, "replicats"),
        ({"replicates": 0}, "replicates"),
        ({"engine": "warp"}, "engine"),
        ({"design": "magic"}, "design"),
        ({"outcomes": ["deaths_of_unicorns"]}, "outcomes"),
        ({"factors": {"policy.sar.fleets.ngo.cuont": [1, 2]}}, "factors.policy.sar.fleets.ngo.cuont"),
        ({"factors": {"world.survival.body_recovery_share": [0.5, 1.7]}}, "world.survival.body_recovery_share"),
        ({"factors": {"policy.sar.fleets.ngo.count": []}}, "factors.policy.sar.fleets.ngo.count"),
        ({"baseline": "nothing"}, "baseline"),
        ({"charts": {"c": {"kind": "pie"}}}, "charts.c.kind"),
        ({"charts": {"c": {"kind": "dose_response", "outcome": "arrivals", "x": "world.days"}}}, "charts.c.x"),
        (
            {"design": "lhs", "ranges": {"policy.sar.merchant.compliance": [0.9, 0.1]}},
            "ranges.policy.sar.merchant.compliance",
        ),
        ({"base": "atlantis_2016"}, "base"),
    ],
)
def test_invalid_experiments_name_the_key(patch, key):
    data = {
        "name": "x",
        "question": "q",
        "base": "central_med_small",
        "days": 2,
        "replicates": 1,
        "factors": {"policy.sar.fleets.ngo.count": [0, 1]},
    }
    data.update(patch)
    with pytest.raises(ConfigError) as err:
        Experiment.from_dict(data)
    assert key in str(err.value)


def test_cli_rejects_bad_experiment_before_running(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        TINY.format(days=2, reps=1).replace('"policy.sar.ngo_blocked" = true', '"policy.sar.ngo_blocked" = "yes"')
    )
    out = tmp_path / "out"
    assert main(["sweep", str(bad), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    assert "policy.sar.ngo_blocked" in capsys.readouterr().err
    assert not out.exists()
    (tmp_path / "broken.toml").write_text("name = [")
    assert main(["sweep", str(tmp_path / "broken.toml"), "--out", str(out), "--quiet"]) == 2
    assert main(["sweep", "no_such_experiment", "--out", str(out), "--quiet"]) == 2


def test_common_random_numbers(tmp_path):
    folder = sweep(load_experiment(tiny(tmp_path)), tmp_path / "crn", executor="serial", progress=False)
    runs, _, _ = tables(folder)
    seeds = runs.groupby("replicate")["seed"].nunique()
    assert (seeds == 1).all()  # the same seed for every scenario within a replicate
    assert runs.groupby("replicate")["seed"].first().nunique() == 2
    assert replicate_seed(7, 0) == runs.loc[runs["replicate"] == 0, "seed"].iloc[0]
    a = runs[runs["package"] == "status_quo"].set_index("replicate")
    b = runs[runs["package"] == "same_as_status_quo"].set_index("replicate")
    for col in ("dead_and_missing", "arrivals", "departures", "rescued", "intercepted"):
        assert (a[col] == b[col]).all()  # identical scenarios, identical draws


@pytest.mark.slow
def test_identical_results_for_serial_processes_and_dask(tmp_path):
    exp = load_experiment(tiny(tmp_path, days=2, reps=2))
    folders = {
        "serial": sweep(exp, tmp_path / "serial", executor="serial", progress=False),
        "processes": sweep(exp, tmp_path / "processes", executor="processes", workers=2, progress=False),
        "dask": sweep(exp, tmp_path / "dask", executor="dask", workers=2, progress=False),
    }
    ref = tables(folders["serial"])
    for name in ("processes", "dask"):
        other = tables(folders[name])
        for x, y in zip(ref, other, strict=True):
            pd.testing.assert_frame_equal(x, y)


def test_resume_after_kill_9(tmp_path):
    exp_path = tiny(tmp_path, days=6, reps=4)
    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "experiments.cli",
            "sweep",
            str(exp_path),
            "--out",
            str(killed),
            "--executor",
            "serial",
            "--quiet",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while time.time() < deadline and len(list((killed / "runs").glob("*.row.json"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    n_before = len(list((killed / "runs").glob("*.row.json")))
    assert 3 <= n_before < 12, "the sweep should have been killed part-way"
    assert not (killed / "runs.parquet").exists()
    exp = load_experiment(exp_path)
    with pytest.raises(ConfigError):  # an existing sweep folder needs --resume
        sweep(exp, killed, executor="serial", progress=False)
    sweep(exp, killed, executor="serial", resume=True, progress=False)
    full = sweep(exp, tmp_path / "full", executor="serial", progress=False)
    resumed, uninterrupted = tables(killed), tables(full)
    assert len(resumed[0]) == 12 and not resumed[0].duplicated(["scenario_index", "replicate"]).any()
    for x, y in zip(resumed, uninterrupted, strict=True):
        pd.testing.assert_frame_equal(x, y)


def test_changed_experiment_is_refused_in_an_old_folder(tmp_path):
    folder = sweep(
        load_experiment(tiny(tmp_path, days=2, reps=1)),
        tmp_path / "old",
        executor="serial",
        progress=False,
    )
    changed = load_experiment(tiny(tmp_path, days=3, reps=1))
    with pytest.raises(ConfigError) as err:
        sweep(changed, folder, executor="serial", resume=True, progress=False)
    assert "different experiment" in str(err.value)


def test_table_schemas_and_manifest(tmp_path):
    exp = load_experiment(tiny(tmp_path, days=3, reps=1))
    folder = sweep(exp, tmp_path / "s", executor="serial", progress=False, then=draw_all)
    runs, daily, events = tables(folder)
    for col in (
        "scenario_index",
        "scenario",
        "replicate",
        "seed",
        "package",
        "engine",
        "policy.sar.fleets.ngo.count",
        "world.demand.people_per_year",
        "departures",
        "arrivals",
        "dead_and_missing",
        "arrivals_by_state.Italy",
        "rescued_by_actor.ngo",
        "by_profile.refugee.departures",
    ):
        assert col in runs.columns, col
    assert len(runs) == 3
    assert list(daily.columns) == ["scenario_index", "scenario", "replicate", "day", "date", "variable", "value"]
    assert set(daily["variable"]) >= {"departures", "arrivals", "dead", "stock_at_sea"}
    assert len(daily) == 3 * 3 * daily["variable"].nunique()
    assert list(events.columns) == [
        "scenario_index",
        "scenario",
        "replicate",
        "hour",
        "event",
        "persons",
        "x_km",
        "y_km",
    ]
    m = json.loads((folder / "manifest.json").read_text())
    for key in (
        "experiment",
        "engine",
        "root_seed",
        "replicates",
        "git",
        "versions",
        "created_utc",
        "schema_version",
        "digest",
    ):
        assert key in m, key
    assert {"commit", "dirty"} <= set(m["git"])
    assert m["experiment"]["points"][2]["overrides"] == {"policy.sar.ngo_blocked": True}
    for name in ("deaths", "map"):
        assert (folder / "figures" / f"{name}.png").stat().st_size > 0
        assert (folder / "figures" / f"{name}.svg").stat().st_size > 0
    assert main(["summarize", str(folder)]) == 0
    assert (folder / "summary.csv").exists() and (folder / "differences.csv").exists()
    assert main(["charts", str(folder)]) == 0


def test_consolidated_tables_equal_the_run_files_in_order(tmp_path, monkeypatch):
    """runs.parquet and daily.parquet (streamed through pyarrow, in row groups) hold every run file, in.

    (scenario, replicate) order.
    """
    import experiments.run.store as store

    folder = sweep(load_experiment(tiny(tmp_path, days=3, reps=2)), tmp_path / "s", executor="serial", progress=False)
    keys = sorted(store.ResultStore(folder).done())
    files = folder / "runs"
    expected_runs = pd.DataFrame.from_records(
        [json.loads((files / f"s{s:05d}_r{r:05d}.row.json").read_text()) for s, r in keys]
    )
    expected_daily = pd.concat(
        [pd.read_parquet(files / f"s{s:05d}_r{r:05d}.daily.parquet") for s, r in keys], ignore_index=True
    )
    per_run = 3 * (
        len(DAILY_COLUMNS) - 2
    )  # rows of one run's long daily table: 3 days x the daily values (not day, date)
    real = store._concat_parquet
    monkeypatch.setattr(
        store, "_concat_parquet", lambda paths, path: real(paths, path, rows_per_group=5 * per_run - 1)
    )  # a group of 5 runs, then the last run alone
    store.ResultStore(folder).consolidate()
    _, runs, daily, _ = load_results(folder)
    assert len(keys) == 6 and len(daily) == 6 * per_run
    pd.testing.assert_frame_equal(runs, expected_runs)
    pd.testing.assert_frame_equal(daily, expected_daily)
    assert load_results(folder, daily=False)[2].empty


def test_workers_send_the_daily_series_wide_and_the_store_gets_it_long(tmp_path):
    from experiments.run.sweep import run_task, tasks_for

    exp = load_experiment(tiny(tmp_path, days=4, reps=1))
    res = run_task(tasks_for(exp, exp.points(), set())[2])
    assert len(res.daily) == 4  # a row per day: small to pickle
    long = res.daily_long()
    assert list(long.columns) == ["scenario_index", "scenario", "replicate", "day", "date", "variable", "value"]
    variables = [c for c in res.daily.columns if c not in ("day", "date")]
    assert (
        len(long) == 4 * len(variables)
        and (long.scenario_index == 2).all()
        and (long.scenario == res.row["scenario"]).all()
    )
    wide = long.pivot(index="day", columns="variable", values="value")
    for v in variables:
        assert np.allclose(wide[v].to_numpy(), res.daily[v].to_numpy(dtype=float)), v


def test_bootstrap_interval_on_a_known_case():
    rng = np.random.default_rng(0)
    x = rng.normal(10.0, 2.0, size=400)
    low, high = bootstrap_ci(x, 0.95, 4000, seed=1)
    half = 1.96 * 2.0 / np.sqrt(400)
    assert low == pytest.approx(x.mean() - half, abs=0.05) and high == pytest.approx(x.mean() + half, abs=0.05)
    assert bootstrap_ci(np.full(5, 3.0)) == (3.0, 3.0)
    assert all(np.isnan(bootstrap_ci(np.array([4.0]))))


def test_summaries_and_paired_differences():
    runs = pd.DataFrame(
        {
            "scenario_index": [0, 0, 0, 1, 1, 1],
            "scenario": ["a", "a", "a", "b", "b", "b"],
            "replicate": [0, 1, 2, 0, 1, 2],
            "deaths": [10.0, 20.0, 30.0, 12.0, 22.0, 32.0],
        }
    )
    s = summarize(runs, ["deaths"])
    assert s.set_index("scenario").loc["a", "mean"] == 20.0
    d = differences(runs, "a", ["deaths"]).set_index("scenario")
    assert d.loc["b", "diff_mean"] == 2.0 and d.loc["b", "ci_low"] == d.loc["b", "ci_high"] == 2.0  # paired: no noise
    assert d.loc["a", "diff_mean"] == 0.0


@pytest.mark.parametrize("name", builtin_experiments())
def test_every_named_experiment_runs_at_tiny_size(tmp_path, name):
    exp = load_experiment(name)
    assert exp.question and len(exp.points()) >= 2
    replay = bool(exp.base_scenario().timeline)  # a replay's packages edit its dated changes: keep its base, shortened
    small = (
        exp.with_changes(days=1, replicates=1)
        if replay
        else exp.with_changes(days=1, replicates=1, base="central_med_small")
    )
    folder = sweep(small, tmp_path / name, executor="serial", progress=False, then=draw_all)
    runs, _, _ = tables(folder)
    assert len(runs) == len(exp.points())
    assert len(list((folder / "figures").glob("*.png"))) == len(exp.charts or exp.outcomes)


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_sensitivity_runs_and_writes_indices(tmp_path, method):
    exp = load_experiment("pull_factor")
    args = [
        "sensitivity",
        "pull_factor",
        "--method",
        method,
        "--days",
        "1",
        "--replicates",
        "1",
        "--samples",
        "2",
        "--out",
        str(tmp_path / "sens"),
        "--executor",
        "serial",
        "--quiet",
    ]
    assert main(args) == 0
    runs = pd.read_parquet(tmp_path / "sens" / "runs.parquet")
    d = len(exp.ranges)
    assert len(runs) == (2 * (d + 2) if method == "sobol" else 2 * (d + 1))
    idx = pd.read_csv(tmp_path / "sens" / f"sensitivity_{method}.csv")
    assert set(idx["parameter"]) == set(exp.ranges)
    assert set(idx["index"]) == ({"S1", "ST"} if method == "sobol" else {"mu_star", "sigma"})
    assert len(list((tmp_path / "sens" / "figures").glob("sensitivity_*.png"))) == len(exp.outcomes)
