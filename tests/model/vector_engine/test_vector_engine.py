"""The vectorised engine: the Mesa engine's types, batch independence, sweeps and the CLI.

The shared schema, determinism and conservation are checked for both engines in
``tests/model/test_determinism.py`` and ``test_conservation.py``, the known answers in
``test_exact_scenarios.py``, the distributional agreement with the Mesa engine in
``test_engine_equivalence.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from experiments.run.spec import load_experiment
from experiments.run.sweep import jobs_for, run_job, run_task, sweep, tasks_for
from model.engines import get_engine
from model.outcomes import STATUSES
from model.scenarios import load
from model.vector_engine import Batch, VectorEngine

SMALL = load("central_med_small")


def _same(a, b) -> None:
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.events, b.events)


def test_results_have_the_mesa_engines_types_and_keys(small_vector_run, small_run):
    """Daily and event columns of the Mesa engine's types, and the same outcomes.

    (the schema both share: ``tests/model/test_determinism.py``).
    """
    r = small_vector_run
    assert r.engine == "vector" and get_engine("vector").name == "vector"
    assert r.daily.dtypes.to_dict() == small_run.daily.dtypes.to_dict()
    assert r.events.dtypes.to_dict() == small_run.events.dtypes.to_dict()
    assert set(r.summary) == set(small_run.summary)


def test_event_log_tells_each_case_in_order(small_vector_run):
    ev = small_vector_run.events
    rescued = ev[ev["event"] == "rescue"]["case_id"].unique()
    for case in rescued[:20]:
        seq = ev[ev["case_id"] == case]["event"].tolist()
        assert seq.index("launch") < seq.index("distress") < seq.index("tasking") < seq.index("rescue"), seq
    assert (ev["hour"].diff().dropna() >= 0).all()


def test_a_run_is_the_same_alone_or_in_any_batch(small_vector_run):
    """Run k with seed s is the same alone or among others, at any position and batch size."""
    batch = VectorEngine(batch_size=7).run_batch(
        SMALL, [11, 1, 5, 8, 13, 21, 34, 55, 89]
    )  # seed 1 second, batches of 7 then 2
    _same(batch[1], small_vector_run)
    alone = VectorEngine().run(SMALL, 89)
    _same(batch[-1], alone)
    assert len({json.dumps(r.summary["arrivals_by_state"]) for r in batch}) > 1


def test_people_due_back_later_are_counted_once_when_the_day_rings_wrap():
    """Returns after detention and legal arrivals are held in rings of days; runs longer than the rings still add up."""
    scenario = SMALL.with_overrides(
        {
            "world.days": 16,
            "world.demand.detention_days": 1.0,
            "world.demand.retry_probability": 1.0,
            "policy.states.Libya.interception_per_hour": 0.3,
            "policy.legal.channels.humanitarian_visa.quota_per_year": 20_000,
            **{f"policy.legal.channels.{ch}.processing_days": 2.0 for ch in SMALL.policy.legal.channels},
        }
    )
    b, wide = Batch(scenario, [3, 4]), Batch(scenario, [3, 4])
    assert b.detained_due.shape[1] < 8 and b.legal_due.shape[1] < 8
    wide.detained_due = np.zeros(
        (2, 17, *b.detained_due.shape[2:]), dtype=np.int64
    )  # rings as long as the run: never wrap
    wide.legal_due = np.zeros((2, 17, b.legal_due.shape[2]), dtype=np.int64)
    intercepted, returned = STATUSES.index("intercepted"), np.zeros(2, dtype=np.int64)
    for _ in range(16 * 24):
        before = b.L.status[:, intercepted].copy()
        b.step()
        wide.step()
        assert np.array_equal(b.count_statuses(), b.L.status)
        assert np.array_equal(b.L.status, wide.L.status) and np.array_equal(
            b.waiting, wide.waiting
        )  # people come back on the same day
        returned += np.maximum(0, before - b.L.status[:, intercepted])
    assert (returned > 100).all() and (b.L.status[:, STATUSES.index("legal_arrived")] > 100).all()


def test_engine_argument_and_cli(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.cli",
            "run",
            "--scenario",
            "central_med_small",
            "--engine",
            "vector",
            "--seed",
            "2",
            "--days",
            "10",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    s = json.loads((out / "summary.json").read_text())
    assert s["engine"] == "vector" and s["departures"] > 0
    for f in ("daily.csv", "events.csv", "overview.png"):
        assert (out / f).stat().st_size > 0
    assert s["arrivals"] == VectorEngine().run(SMALL, 2, days=10).summary["arrivals"]
    bad = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "run", "--engine", "warp", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "engine" in bad.stderr and "vector" in bad.stderr and "Traceback" not in bad.stderr


RELUCTANT = {f"policy.states.{n}.accept_probability": 0.1 for n in ("Italy", "Malta", "Tunisia")}
# scenario variants that differ in fleet size, framework, alert shares, merchant answers, uptake, call delay, sighting
VARIANTS = [
    {},
    RELUCTANT
    | {
        "policy.cooperation.deal_landing_states": ["Tunisia", "Malta"],
        "policy.sar.merchant.response_hours": 12,
        "policy.sar.merchant.ships_in_area": 4,
    },
    {
        "policy.cooperation.framework": "standing",
        "policy.cooperation.participants": ["Italy", "Malta"],
        "policy.sar.state_assets_scale": 3.0,
    },
    {
        "policy.cooperation.framework": "standing",
        "policy.cooperation.participants": ["Italy", "Malta", "Tunisia"],
        "policy.cooperation.relocation_key": {"Malta": 1.0},
        "world.detection.first_alert_share": {"Italy": 0.8, "Malta": 0.1, "Tunisia": 0.1},
    },
    RELUCTANT
    | {
        "policy.cooperation.framework": "none",
        "policy.legal.uptake_probability": 0.5,
        "world.detection.call_delay_mean_hours": 0.0,
        "policy.sar.aerial_surveillance": 0.0,
    },
    {
        "policy.sar.ngo_blocked": True,
        "world.demand.people_per_year": 30000,
        "policy.sar.max_hours_with_people": 10,
        "world.boats.rubber.distress_per_hour": 0.05,
    },
    RELUCTANT
    | {
        "policy.cooperation.request_order": ["flag_state", "nearest_safe_port"]
    },  # another request order in the same batch
]


def test_scenario_variants_share_a_batch_without_changing_results():
    """Runs of different scenarios (fleets of different sizes included) stepped together equal the same runs alone."""
    scenarios = [SMALL.with_overrides({"world.days": 40, **o}) for o in VARIANTS]
    assert len({Batch([s], [0]).c.V for s in scenarios}) >= 3  # fleets of different sizes are padded
    runs = [(s, seed) for seed in (5, 6) for s in scenarios]
    mixed = VectorEngine(batch_size=5).run_many([s for s, _ in runs], [seed for _, seed in runs])
    for (s, seed), m in zip(runs, mixed, strict=True):
        _same(m, VectorEngine().run(s, seed))
    assert len({m.summary["dead"] for m in mixed}) > 1


def test_scenarios_that_cannot_share_a_batch_run_apart():
    short = SMALL.with_overrides({"world.days": 5})
    longer = SMALL.with_overrides({"world.days": 6})
    with pytest.raises(ValueError, match="cannot share a batch"):
        Batch([short, longer], [1, 2])
    a, b, c = VectorEngine().run_many([short, longer, short], [1, 2, 3])
    _same(a, VectorEngine().run(short, 1))
    assert len(b.daily) == 6 and len(c.daily) == 5
    with pytest.raises(ValueError, match="one scenario per seed"):
        VectorEngine().run_many([short], [1, 2])


def test_sweep_batches_replicates_without_changing_results(tmp_path):
    exp_path = tmp_path / "v.toml"
    exp_path.write_text(
        'name = "v"\nquestion = "Does batching change results?"\nbase = "central_med_small"\nengine '
        '= "vector"\ndays = 4\nreplicates = 3\nseed = 5\n[factors]\n"policy.sar.fleets.ngo.count" '
        "= [0, 2]\n"
    )
    exp = load_experiment(exp_path)
    tasks = tasks_for(exp, exp.points(), set())
    assert [len(j) for j in jobs_for(tasks)] == [
        6
    ]  # both scenarios (0 and 2 NGO ships), replicate 0 (with events) and the others, share a batch
    jobs = jobs_for(tasks, workers=2)
    assert [len(j) for j in jobs] == [3, 3]  # cut so that both workers have work
    batched = {(r.scenario_index, r.replicate): r for j in jobs for r in run_job(j)}
    single = {(t.scenario_index, t.replicate): run_task(t) for t in tasks}
    assert {k: r.row for k, r in batched.items()} == {k: r.row for k, r in single.items()}
    for key, r in batched.items():  # the event log is kept for replicate 0 only, as when run alone
        assert (r.events is None) == (key[1] != 0) == (single[key].events is None)
        if r.events is not None:
            assert len(r.events) > 0
            pd.testing.assert_frame_equal(r.events, single[key].events)
        for mine, theirs in zip(r.stored(), single[key].stored(), strict=True):
            assert (mine is None and theirs is None) or mine.equals(theirs, check_metadata=True)
    a = sweep(exp, tmp_path / "serial", executor="serial", progress=False)
    b = sweep(exp, tmp_path / "procs", executor="processes", workers=2, progress=False)
    for name in ("runs.parquet", "daily.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name))


def test_launches_keep_to_each_networks_allowance():
    """Networks with different daily allowances.

    (12 and 3 boats in 2016) launch no boat beyond their own, and none empty.
    """
    scenario = load("central_med_2016").with_overrides({"world.days": 20})
    ev = VectorEngine().run(scenario, 1).events
    launches = ev[ev.event == "launch"]
    assert len(launches) > 20 and (launches.persons > 0).all()
    allowance = {name: int(n.max_boats_per_day) for name, n in scenario.world.smugglers.items()}
    per_day = launches.assign(net=launches.detail.str.split(":").str[0]).groupby(["day", "net"]).size()
    assert all(k <= allowance[net] for (_, net), k in per_day.items())


def test_ten_million_scenario_is_valid_and_scaled():
    big = load("central_med_x50")
    base = load("central_med_2016")
    assert big.world.demand.people_per_year == 10_000_000
    assert big.policy.sar.fleets["ngo"].count == 50 * base.policy.sar.fleets["ngo"].count
    assert big.world.smugglers["zuwara"].max_boats_per_day == 50 * base.world.smugglers["zuwara"].max_boats_per_day


def test_sweep_engine_option(tmp_path, capsys):
    from experiments.cli import main

    exp_path = tmp_path / "e.toml"
    exp_path.write_text(
        'name = "e"\nquestion = "Does --engine reach the sweep?"\nbase = "central_med_small"\ndays '
        '= 3\nreplicates = 2\nseed = 1\n[factors]\n"policy.sar.ngo_blocked" = [false, true]\n'
    )
    out = tmp_path / "out"
    assert (
        main(["sweep", str(exp_path), "--engine", "vector", "--executor", "serial", "--out", str(out), "--quiet"]) == 0
    )
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs["engine"]) == {"vector"} and len(runs) == 4
    assert json.loads((out / "manifest.json").read_text())["engine"] == "vector"
    assert main(["sweep", str(exp_path), "--engine", "warp", "--out", str(tmp_path / "bad"), "--quiet"]) == 2
    assert "engine" in capsys.readouterr().err
