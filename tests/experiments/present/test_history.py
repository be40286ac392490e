"""The history chart (experiments/present/history.py) and ``seamig history``."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from experiments.cli import main
from experiments.present.history import (
    MAX_SCENARIOS,
    OBSERVED_CSV,
    Regime,
    _chosen_scenarios,
    complete_months,
    load_observed,
    plot_history,
    read_timeline,
    short_label,
)
from experiments.present.style import figure, plt
from model.errors import ConfigError

MONTHS_2016 = [f"2016-{m:02d}" for m in range(1, 13)]


def model_table(replicates: int, months=MONTHS_2016, scenario: str | None = None, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [
        {
            "month": m,
            "replicate": r,
            "days": 28,
            "arrivals": float(rng.integers(1000, 9000)),
            "dead_and_missing": float(rng.integers(0, 500)),
        }
        for r in range(replicates)
        for m in months
    ]
    table = pd.DataFrame(rows)
    if scenario is not None:
        table.insert(0, "scenario", scenario)
    return table


def observed_table() -> pd.DataFrame:
    months = [f"{y}-{m:02d}" for y in (2015, 2016, 2017) for m in range(1, 13)]
    return pd.DataFrame({"month": months, "arrivals": np.arange(36) * 100.0, "dead_and_missing": np.arange(36) * 10.0})


def regime_lines(ax):
    """The vertical lines drawn by axvline (x constant, spanning the axes)."""
    return [
        ln
        for ln in ax.lines
        if len(ln.get_xdata()) == 2 and ln.get_xdata()[0] == ln.get_xdata()[1] and list(ln.get_ydata()) == [0, 1]
    ]


REGIMES = [
    Regime(pd.Timestamp("2015-06-01"), "before the model"),  # outside: not drawn
    Regime(pd.Timestamp("2016-02-10"), "first"),
    Regime(pd.Timestamp("2016-07-01"), "second"),
    Regime(pd.Timestamp("2016-11-20"), "third"),
    Regime(pd.Timestamp("2017-03-01"), "after the model"),  # outside: not drawn
]


def test_points_band_median_and_regime_lines():
    table = model_table(6)
    ax = plot_history(table, observed_table(), outcome="arrivals", regimes=REGIMES)
    scatters = [c for c in ax.collections if not isinstance(c, PolyCollection)]
    assert len(scatters) == 1 and len(scatters[0].get_offsets()) == 12  # only the recorded months the model covers
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    lines = regime_lines(ax)
    assert len(lines) == 3
    assert sorted(t.get_text() for t in ax.texts) == ["first", "second", "third"]
    median = [ln for ln in ax.lines if ln not in lines]
    assert len(median) == 1
    expected = table.groupby("month")["arrivals"].median().to_numpy()
    assert np.allclose(median[0].get_ydata(), expected)
    # the band holds 90% of the replicates: its top lies between the median and the maximum
    top = bands[0].get_paths()[0].vertices[:, 1].max()
    assert expected.max() <= top <= table["arrivals"].max()
    plt.close(ax.figure)


def test_band_is_the_range_below_five_replicates_and_absent_for_one():
    few = model_table(3)
    ax = plot_history(few, observed_table(), outcome="dead_and_missing")
    verts = [c for c in ax.collections if isinstance(c, PolyCollection)][0].get_paths()[0].vertices
    assert verts[:, 1].max() == few["dead_and_missing"].max()
    assert any("range of 3 runs" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close(ax.figure)
    ax = plot_history(model_table(1), observed_table(), outcome="dead_and_missing")
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    plt.close(ax.figure)


def test_one_band_per_scenario():
    table = pd.concat([model_table(5, scenario="a"), model_table(5, scenario="b", seed=1)], ignore_index=True)
    _, ax = figure()
    plot_history(table, observed_table(), outcome="arrivals", ax=ax)
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2
    assert len(ax.lines) == 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("a\n") and labels[1].startswith("b\n")
    plt.close(ax.figure)


def test_many_regime_labels_do_not_overlap():
    months = [f"{y}-{m:02d}" for y in range(2014, 2018) for m in range(1, 13)]
    dates = [
        "2014-08-01",
        "2014-11-01",
        "2015-04-27",
        "2015-06-22",
        "2015-10-07",
        "2016-01-01",
        "2016-10-01",
        "2017-02-02",
        "2017-02-03",
        "2017-07-15",
        "2017-07-31",
        "2017-12-14",
    ]
    regimes = [Regime(pd.Timestamp(d), f"change number {i}") for i, d in enumerate(dates)]
    ax = plot_history(model_table(5, months=months), observed_table(), outcome="arrivals", regimes=regimes)
    fig = ax.figure
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts]
    assert len(boxes) == 12
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    data_top = max(c.get_offsets()[:, 1].max() for c in ax.collections if not isinstance(c, PolyCollection))
    lowest_label = min(b.y0 for b in boxes)
    assert ax.transData.transform((0, data_top))[1] < lowest_label  # labels sit above the data
    plt.close(fig)


def test_read_timeline_labels_and_dates(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        """base = "central_med_small"
[[timeline]]
date = "2016-07-01"
note = "Italy and Libya sign a memorandum on border control"
"policy.sar.fleets.ngo.count" = 0
[[timeline]]
date = 2016-03-01
name = "Triton"
note = "long words here"
"""
    )
    regimes = read_timeline(path)
    assert [r.date for r in regimes] == [pd.Timestamp("2016-03-01"), pd.Timestamp("2016-07-01")]
    assert [r.label for r in regimes] == ["Triton", "Italy and Libya sign…"]
    path.write_text('[[timeline]]\ndate = "July 2016"\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"timeline\[0\]\.date"):
        read_timeline(path)
    path.write_text("name = 'no timeline'\n")
    assert read_timeline(path) == []


def test_short_label():
    assert short_label("Mare Nostrum ends") == "Mare Nostrum ends"
    assert short_label("Operation Sophia phase two on the high seas") == "Operation Sophia phase two…"
    assert short_label("Operation Sophia: phase two on the high seas", words=2) == "Operation Sophia…"
    assert short_label("Supercalifragilisticexpialidocious-operation, then more") == "Supercalifragilisticexpial…"


def test_observed_data_shipped_with_the_package():
    obs = load_observed()
    assert OBSERVED_CSV.is_file() and len(obs) == 48
    by_year = obs.groupby(obs["month"].str.slice(0, 4))[["arrivals", "dead_and_missing"]].sum()
    assert by_year.loc["2016", "dead_and_missing"] == 4582 and by_year.loc["2016", "arrivals"] == 181436


def test_complete_months_and_scenario_choice():
    table = pd.DataFrame({"month": ["2016-02", "2016-03", "2016-04"], "days": [29, 31, 4]})
    assert complete_months(table)["month"].tolist() == ["2016-02", "2016-03"]
    runs = pd.DataFrame({"scenario_index": range(6), "scenario": list("abcdef"), "replicate": 0})
    assert _chosen_scenarios(runs.head(MAX_SCENARIOS), {})[0] == list(range(MAX_SCENARIOS))
    chosen, note = _chosen_scenarios(runs, {"baseline": "c"})
    assert chosen == [2] and "baseline scenario 'c' of 6" in note
    chosen, note = _chosen_scenarios(runs, {})
    assert chosen == [0] and "first scenario 'a' of 6" in note


# --- the command line -----------------------------------------------------------------------------

TIMELINE = (
    '[[timeline]]\ndate = "2016-06-10"\nname = "NGO ships blocked"\n\n[[timeline]]\ndate '
    '= "2016-06-20"\nnote = "Coast guard redeploys two cutters towards Libya"\n'
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A 40-day vector run of central_med_small (1 Jun - 10 Jul 2016: one complete month) with a timeline."""
    out = tmp_path_factory.mktemp("history") / "run"
    assert (
        main(
            [
                "run",
                "--scenario",
                "central_med_small",
                "--engine",
                "vector",
                "--days",
                "40",
                "--seed",
                "1",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    (out / "scenario.toml").write_text('base = "central_med_small"\n' + TIMELINE)
    return out


def test_history_of_a_run_folder(run_dir, capsys):
    assert main(["history", str(run_dir)]) == 0
    for ext in ("png", "svg"):
        assert (run_dir / "figures" / f"history.{ext}").stat().st_size > 10_000
    assert "history.png" in capsys.readouterr().out


def test_history_of_a_sweep_folder(tmp_path, capsys):
    exp = tmp_path / "exp.toml"
    exp.write_text(
        """name = "tiny_history"
question = "How do the months compare?"
base = "central_med_small"
engine = "vector"
replicates = 2
seed = 5
days = 40
outcomes = ["arrivals"]
[factors]
"policy.sar.fleets.ngo.count" = [0, 3]
"""
    )
    out = tmp_path / "sweep"
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    timeline = tmp_path / "timeline.toml"
    timeline.write_text(TIMELINE)
    figures = tmp_path / "figs"
    assert main(["history", str(out), "--scenario", str(timeline), "--out", str(figures)]) == 0
    assert (figures / "history.png").stat().st_size > 10_000 and (figures / "history.svg").exists()


@pytest.mark.parametrize(
    "case",
    [
        "missing_dir",
        "no_daily_table",
        "observed_missing_column",
        "observed_not_found",
        "no_overlap",
        "bad_timeline_date",
        "scenario_not_found",
        "no_complete_month",
    ],
)
def test_bad_input_exits_2_with_one_line(run_dir, tmp_path, capsys, case):
    args = ["history", str(run_dir), "--out", str(tmp_path / "figs")]
    if case == "missing_dir":
        args[1] = str(tmp_path / "nowhere")
    elif case == "no_daily_table":
        (tmp_path / "empty").mkdir()
        args[1] = str(tmp_path / "empty")
    elif case == "observed_missing_column":
        bad = tmp_path / "obs.csv"
        bad.write_text("year,month,arrivals\n2016,6,100\n")
        args += ["--observed", str(bad)]
    elif case == "observed_not_found":
        args += ["--observed", str(tmp_path / "nope.csv")]
    elif case == "no_overlap":
        old = tmp_path / "old.csv"
        old.write_text("year,month,sea_arrivals_italy_malta,dead_missing\n2010,1,5,1\n")
        args += ["--observed", str(old)]
    elif case == "bad_timeline_date":
        bad = tmp_path / "bad.toml"
        bad.write_text('[[timeline]]\ndate = "soon"\nname = "x"\n')
        args += ["--scenario", str(bad)]
    elif case == "scenario_not_found":
        args += ["--scenario", "central_med_1999"]
    elif case == "no_complete_month":
        short = tmp_path / "short"
        assert (
            main(
                [
                    "run",
                    "--scenario",
                    "central_med_small",
                    "--engine",
                    "vector",
                    "--days",
                    "20",
                    "--out",
                    str(short),
                    "--quiet",
                ]
            )
            == 0
        )
        args[1] = str(short)
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("seamig: error:")
    assert not (tmp_path / "figs").exists()  # nothing written


def test_timeline_dates_accept_toml_dates(tmp_path):
    path = tmp_path / "d.toml"
    path.write_text('[[timeline]]\ndate = 2017-02-02\nname = "MoU"\n')
    assert read_timeline(path)[0].date == pd.Timestamp(dt.date(2017, 2, 2))
