"""Scenario discovery (PRIM) on synthetic cases with known boxes.

Robustness on a table with a known answer; the commands.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.present.discovery import box_table, prim, robustness, threshold_value
from experiments.run.spec import Experiment
from experiments.run.sweep import sweep
from model.errors import ConfigError


def _cube(n: int = 1000, d: int = 4, seed: int = 1) -> pd.DataFrame:
    return pd.DataFrame(np.random.default_rng(seed).random((n, d)), columns=[f"x{i}" for i in range(d)])


def test_prim_recovers_a_known_box():
    x = _cube()
    y = (x.x0 > 0.6) & (x.x1 < 0.3)  # the box: x0 in [0.6, 1], x1 in [0, 0.3]; x2, x3 irrelevant
    result = prim(x, y)
    box = result.boxes[0]
    assert box.restricted == ("x0", "x1")
    assert box.limits["x0"][0] == pytest.approx(0.6, abs=0.03) and box.limits["x1"][1] == pytest.approx(0.3, abs=0.03)
    assert box.coverage > 0.95 and box.density > 0.95
    traj = result.trajectories[0]
    assert traj["coverage"].iloc[0] == 1.0 and traj["density"].iloc[0] == pytest.approx(
        y.mean()
    )  # peeling starts from everything
    assert traj["mass"].is_monotonic_decreasing and traj["chosen"].sum() == 1


def test_prim_covering_finds_a_second_box_and_integer_inputs():
    x = _cube(2000, seed=2)
    x["n"] = (x.x3 * 10).round().astype(int)  # a discrete input
    y = ((x.x0 > 0.7) & (x.x1 > 0.7)) | (x.n <= 1)
    result = prim(x.drop(columns="x3"), y, max_boxes=3)
    found = [set(b.restricted) for b in result.boxes]
    assert {"n"} in found and {"x0", "x1"} in found
    nbox = result.boxes[found.index({"n"})]
    assert nbox.limits["n"][1] == 1  # ties are peeled whole: the limit is a value the input takes
    assert sum(b.coverage for b in result.boxes) == pytest.approx(1.0, abs=0.1)
    table = box_table(result, x)
    assert set(table.columns) >= {"box", "coverage", "density", "mass", "input", "low", "high"}


def test_prim_refuses_what_it_cannot_use():
    x = _cube(100)
    with pytest.raises(ConfigError, match="no case of interest"):
        prim(x, np.zeros(100, dtype=bool))
    with pytest.raises(ConfigError, match="inputs"):
        prim(x.assign(s="a"), x.x0 > 0.5)
    assert threshold_value(pd.Series(range(101)), "90%") == 90.0
    assert threshold_value(pd.Series(range(5)), "3000") == 3000.0
    with pytest.raises(ConfigError, match="percentile"):
        threshold_value(pd.Series(range(5)), "ninety")


def test_robustness_known_answer():
    # dead and missing (lower is better) of three packages in four futures
    values = {"a": [10, 20, 30, 40], "b": [12, 18, 30, 50], "c": [20, 25, 35, 41]}
    table = pd.DataFrame([{"future": f, "package": p, "dead": v[f]} for p, v in values.items() for f in range(4)])
    s = robustness(table, "dead").set_index("package")
    # best per future: a (10), b (18), a and b tie (30), a (40)
    assert s.loc["a", "share_best"] == pytest.approx((1 + 0 + 0.5 + 1) / 4)
    assert s.loc["b", "share_best"] == pytest.approx((0 + 1 + 0.5 + 0) / 4)
    assert s.loc["c", "share_best"] == 0
    assert s["share_best"].sum() == pytest.approx(1.0)
    assert s.loc["a", "max_regret"] == 2 and s.loc["b", "max_regret"] == 10 and s.loc["c", "max_regret"] == 10
    assert s.loc["a", "mean_regret"] == pytest.approx((0 + 2 + 0 + 0) / 4)
    assert list(s.index) == ["a", "b", "c"]  # best (least mean regret) first
    up = robustness(table, "dead", lower_is_better=False).set_index("package")
    assert up.loc["c", "share_best"] == pytest.approx(0.75) and up.loc["b", "share_best"] == pytest.approx(0.25)
    with pytest.raises(ConfigError, match="every future"):
        robustness(table[~((table.package == "c") & (table.future == 3))], "dead")


def test_discover_and_robustness_commands_on_a_small_lhs_sweep(tmp_path, capsys):
    exp = Experiment.from_dict(
        {
            "name": "tiny_futures",
            "question": "Which futures are deadly, and which package is robust?",
            "base": "central_med_small",
            "engine": "vector",
            "days": 12,
            "replicates": 1,
            "seed": 3,
            "design": "lhs",
            "samples": 10,
            "outcomes": ["dead_and_missing"],
            "ranges": {"world.boats.rubber.distress_per_hour": [0.0, 0.2], "world.adaptation.strength": [0.0, 1.0]},
            "packages": {"no_ngo": {"policy.sar.fleets.ngo.count": 0}, "ngo": {"policy.sar.fleets.ngo.count": 6}},
        }
    )
    points = exp.points()
    assert len(points) == 20 and points[0].label == "lhs-00000, no_ngo" and points[10].label == "lhs-00000, ngo"
    assert (
        points[0].factors["world.adaptation.strength"] == points[10].factors["world.adaptation.strength"]
    )  # the same future
    out = tmp_path / "sweep"
    sweep(exp, out, executor="serial", progress=False)
    assert main(["discover", str(out), "--outcome", "dead_and_missing", "--above", "70%"]) == 0
    text = capsys.readouterr().out
    assert "Box 1: coverage" in text and max(len(line) for line in text.splitlines()) <= 100
    boxes = pd.read_csv(out / "discover" / "prim_dead_and_missing_above_boxes.csv")
    assert {"coverage", "density", "low", "high"} <= set(boxes.columns)
    assert (out / "discover" / "prim_dead_and_missing_above.png").exists()
    capsys.readouterr()
    assert main(["robustness", str(out), "--outcome", "dead_and_missing", "--higher-is-better"]) == 0
    assert "(higher is better)" in capsys.readouterr().out  # told: the vocabulary's direction is overridden
    assert main(["robustness", str(out), "--outcome", "dead_and_missing"]) == 0
    assert "(lower is better)" in capsys.readouterr().out  # the vocabulary's direction for a harm
    summary = pd.read_csv(out / "discover" / "robustness_dead_and_missing.csv")
    assert set(summary["package"]) == {"no_ngo", "ngo"} and (summary["futures"] == 10).all()
    assert summary["share_best"].sum() == pytest.approx(1.0)
    assert (out / "discover" / "robustness_dead_and_missing.png").exists()
    assert main(["discover", str(out), "--outcome", "no_such_outcome", "--above", "1"]) == 2
    assert main(["discover", str(out), "--outcome", "dead_and_missing", "--below", "-5"]) == 2  # nothing below: no case
