"""The sweep's printed table.

Labelled outcomes with units, one row per package in the experiment's order, at most 100 characters wide; waits over the
ships that waited.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from experiments.present.table import WIDTH, outcome_header, readable_table
from experiments.run.analysis import summarize
from model.outcomes import Ledger
from model.scenarios import load

PACKAGES = ["status_quo", "more_sar", "standing_framework", "legal_channels", "all_three", "enforcement_only"]
OUTCOMES = [
    "dead_and_missing",
    "mortality_per_departure",
    "departures",
    "arrivals",
    "intercepted",
    "legal_arrivals",
    "disembarkation_refusals",
    "ships_waited",
    "mean_wait_days",
]


@pytest.fixture
def runs() -> pd.DataFrame:
    """Ten replicates of six packages with flagship-sized numbers; under the standing framework no ship ever waits."""
    rng = np.random.default_rng(7)
    rows = []
    for i, p in enumerate(PACKAGES):
        for r in range(10):
            waited = 0 if p == "standing_framework" else int(rng.integers(0, 3))
            rows.append(
                {
                    "scenario_index": i,
                    "scenario": p,
                    "package": p,
                    "replicate": r,
                    "dead_and_missing": int(rng.integers(1500, 6000)),
                    "mortality_per_departure": float(rng.uniform(0.012, 0.027)),
                    "departures": int(rng.integers(130_000, 225_000)),
                    "arrivals": int(rng.integers(119_000, 185_000)),
                    "intercepted": int(rng.integers(9_000, 63_000)),
                    "legal_arrivals": 46_856 if p in ("legal_channels", "all_three") else 334,
                    "disembarkation_refusals": int(rng.integers(0, 600)),
                    "ships_waited": waited,
                    "mean_wait_days": float(rng.uniform(0.5, 3.0)) if waited else math.nan,
                }
            )
    return pd.DataFrame(rows)


def _heading(table: pd.DataFrame, outcome: str) -> str:
    """The heading of a one-outcome table, its wrapped lines joined."""
    lines = readable_table(table, [outcome]).splitlines()
    head = lines[: next(i for i, line in enumerate(lines) if line.startswith("Package"))]
    return " ".join([*(h.strip() for h in head), lines[len(head)].removeprefix("Package").strip()])


def test_the_table_fits_100_columns_with_labels_units_and_the_packages_in_order(runs):
    text = readable_table(summarize(runs, OUTCOMES, ["package"], n_resamples=200), OUTCOMES)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    headings = {
        "dead_and_missing": "Dead and missing (persons)",
        "mortality_per_departure": "Dead or missing per departure (%)",
        "arrivals": "Landed in Europe (persons)",
        "ships_waited": "Ships kept waiting for a port (ships)",
        "mean_wait_days": "Mean wait for a port (days per ship kept waiting)",
    }
    for o, heading in headings.items():
        assert outcome_header(o) == heading
        assert _heading(summarize(runs, [o], ["package"], n_resamples=50), o) == heading
        assert all(word in text for word in heading.split())
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "no snake_case names"
    names = ["Status quo", "More SAR", "Standing framework", "Legal channels", "All three", "Enforcement only"]
    first_block = lines[: lines.index("")]
    assert [
        next(n for n in names if line.startswith(n)) for line in first_block if any(line.startswith(n) for n in names)
    ] == names  # the experiment's order, not alphabetical
    headings = [
        h
        for h in ("Dead and missing", "Set out by boat", "Landed in Europe", "Refusals to let", "Mean wait for a port")
        if h in text
    ]
    assert sorted(headings, key=text.index) == headings  # outcomes in the experiment's order
    assert re.search(r"\d{3},\d{3} \[\d{3},\d{3}, \d{3},\d{3}\]", text)  # thousands separators and an interval
    assert "334 (all runs)" in text and "46,856 (all runs)" in text  # a constant is written once
    assert "[334, 334]" not in text


def test_the_wait_is_a_mean_over_runs_whose_ships_waited_and_a_dash_where_none_did(runs):
    table = summarize(runs, ["mean_wait_days", "ships_waited"], ["package"], n_resamples=200)
    wait = table[table["outcome"] == "mean_wait_days"].set_index("scenario")
    sq = runs[(runs["scenario"] == "status_quo") & (runs["ships_waited"] > 0)]
    assert wait.loc["status_quo", "mean"] == pytest.approx(sq["mean_wait_days"].mean())
    assert wait.loc["status_quo", "n"] == len(sq)
    assert math.isnan(wait.loc["standing_framework", "mean"]) and wait.loc["standing_framework", "n"] == 0
    row = next(
        line
        for line in readable_table(table, ["ships_waited", "mean_wait_days"]).splitlines()
        if line.startswith("Standing framework")
    )
    assert row.split()[-1] == "-" and "0 (all runs)" in row


def test_differences_are_signed(runs):
    from experiments.run.analysis import differences

    d = differences(runs, "status_quo", ["dead_and_missing"], ["package"], n_resamples=200)
    text = readable_table(d, ["dead_and_missing"], mean="diff_mean", signed=True)
    assert "0 (all runs)" in text.splitlines()[2]  # the baseline against itself
    assert re.search(r"[+-]\d[\d,]* \[[+-]", text)


def test_a_run_averages_the_wait_over_the_ships_that_waited_only(tmp_path):
    led = Ledger(load("central_med_small"))
    led.waits = [0.0, 0.0, 0.0, 2.0, 1.0]
    s = led.summary()
    assert s["ships_waited"] == 2 and s["mean_wait_days"] == pytest.approx(1.5) and s["max_wait_days"] == 2.0
    led.waits = [0.0, 0.0]
    s = led.summary()
    assert s["ships_waited"] == 0 and math.isnan(s["mean_wait_days"])
    result = led.result(load("central_med_small"), seed=1, engine="mesa")
    result.write(tmp_path)
    assert json.loads((tmp_path / "summary.json").read_text())["mean_wait_days"] is None  # strict JSON: null, not NaN


def test_the_table_the_charts_and_the_report_use_the_same_words():
    """One vocabulary: an outcome's heading in the table, its axis label and its noun in the report agree."""
    from experiments.present import report, sweep_charts, vocabulary

    for name, o in vocabulary.OUTCOMES.items():
        assert outcome_header(name).startswith(o.label)
        assert sweep_charts.readable(name).startswith(o.label)
        assert report.noun(name) == o.noun
        assert report.subject(name) == o.label
    assert (
        vocabulary.kind("x_share") == "share"
        and vocabulary.kind("x_days") == "days"
        and vocabulary.kind("x") == "count"
    )
    # the report writes each outcome's numbers as its kind says (days in days, shares in %)
    assert report.fmt_value("children_referral_days_mean", 2.25) == "2.2 days"
    assert report.fmt_value("victims_identification_days_mean", 12.0) == "12.0 days"
    assert report.fmt_value("mortality_per_departure", 0.023) == "2.3%"
    assert report.fmt_value("arrivals_share.Italy", 0.5) == "50.0%"
    assert report.fmt_value("smuggler_revenue_usd", 1200.0) == "USD 1,200"


def test_the_vocabulary_says_which_direction_is_better():
    from experiments.present import vocabulary

    assert vocabulary.better("dead_and_missing") == "lower" and vocabulary.better("legal_arrivals") == "higher"
    assert vocabulary.better("arrivals") == "" and vocabulary.better("arrivals_by_state.Italy") == ""
    assert {o.better for o in vocabulary.OUTCOMES.values()} == {"lower", "higher", ""}


def test_grid_points_and_states_are_named_plainly():
    from experiments.present.vocabulary import heading, label

    assert (
        label("none, world.demand.people_per_year=100000") == "None, demand people per year=100000"
    )  # a factor's key: its last two parts
    assert label("policy.sar.fleets.ngo.count=8") == "NGO count=8"
    assert heading("burden_by_state.Malta") == "Burden by state: Malta"  # a state keeps its capital
    assert heading("rescued_by_actor.coast_guard") == "Rescued by actor: coast guard"
    rows = [
        {
            "scenario_index": i,
            "scenario": f"standing_three, world.demand.people_per_year={n}",
            "outcome": "dead_and_missing",
            "mean": 1.0,
            "ci_low": 1.0,
            "ci_high": 1.0,
        }
        for i, n in enumerate((100000, 300000))
    ]
    text = readable_table(pd.DataFrame(rows), ["dead_and_missing"])
    assert (
        "Standing three, demand people per year=100000" in text
        and "Standing three, demand people per year=300000" in text
    )  # not cut short


def test_results_readme_documents_every_outcome_with_words_and_every_summary_key():
    """results/README.md is hand-written: it must name each outcome of the vocabulary and each summary key."""
    from pathlib import Path

    from experiments.present.vocabulary import OUTCOMES
    from model.outcomes import SUMMARY_KEYS

    text = (Path(__file__).resolve().parents[3] / "results" / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_][a-z0-9_]*)`", text))
    assert [k for k in [*OUTCOMES, *SUMMARY_KEYS] if k not in documented] == []
