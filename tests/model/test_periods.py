"""Monthly and yearly outcome tables (model.outcomes.monthly / yearly) and the files a run writes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.outcomes import (
    CASE_METRICS,
    DAILY_COLUMNS,
    MONTHLY_COLUMNS,
    PERIOD_STOCKS,
    PERSON_METRICS,
    YEARLY_COLUMNS,
    monthly,
    yearly,
)
from model.scenarios import load

FLOWS = [*PERSON_METRICS, *CASE_METRICS]


@pytest.fixture(scope="module")
def long_run():
    """500 days of central_med_small on the vector engine, from 20 Nov 2015 to 2 Apr 2017 (about 2 s once compiled)."""
    from model.vector_engine import VectorEngine

    scenario = load("central_med_small").with_overrides({"world.days": 500, "world.start_date": "2015-11-20"})
    return VectorEngine().run(scenario, seed=1, record_events=False)


def synthetic_daily(start: str, days: int, seed: int = 0) -> pd.DataFrame:
    """A daily table with random flows and stocks (no model), for exact checks over long spans."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=days, freq="D")
    df = pd.DataFrame(
        {"day": np.arange(days), "date": dates.strftime("%Y-%m-%d"), "sea_state": rng.random(days).round(4)}
    )
    for c in DAILY_COLUMNS[3:]:
        df[c] = rng.integers(0, 50, days)
    return df[list(DAILY_COLUMNS)]


def test_flows_sum_the_same_by_day_month_and_year(long_run):
    daily, m, y = long_run.daily, monthly(long_run.daily), yearly(long_run.daily)
    assert list(m.columns) == list(MONTHLY_COLUMNS) and list(y.columns) == list(YEARLY_COLUMNS)
    assert m["month"].tolist()[:2] == ["2015-11", "2015-12"] and m["month"].iloc[-1] == "2017-04"
    assert y["year"].tolist() == [2015, 2016, 2017]
    daily_by_year = daily.groupby(daily["date"].str.slice(0, 4).astype(int))[FLOWS].sum()
    for c in FLOWS:
        assert daily[c].sum() > 0 or c in (
            "boats_stopped",
            "medevacs",
            "relocations",
            "deals",
            "people_days_waiting",
            "children_missing",
            "injured_in_interception",
            "died_waiting",
        ), c  # (children go missing only while officers are short; injuries and deaths aboard are off by default)
        assert m[c].sum() == pytest.approx(daily[c].sum()), c
        assert y[c].sum() == pytest.approx(daily[c].sum()), c
        assert m.groupby("year")[c].sum().to_numpy() == pytest.approx(y[c].to_numpy()), c
        assert y[c].to_numpy() == pytest.approx(daily_by_year[c].to_numpy()), c
    for k in ("departures", "arrivals", "dead", "missing", "intercepted", "dead_and_missing"):
        assert y[k].sum() == long_run.summary[k], k
    assert (m["dead_and_missing"] == m["dead"] + m["missing"]).all()


def test_period_end_stocks_are_the_last_days(long_run):
    daily, m, y = long_run.daily, monthly(long_run.daily), yearly(long_run.daily)
    last_of_month = daily.groupby(daily["date"].str.slice(0, 7))["date"].max()
    last_of_year = daily.groupby(daily["date"].str.slice(0, 4).astype(int))["date"].max()
    by_date = daily.set_index("date")
    assert last_of_month["2015-12"] == "2015-12-31" and last_of_month["2017-04"] == "2017-04-02"
    for col, src in PERIOD_STOCKS:
        assert m[col].tolist() == by_date.loc[last_of_month.to_numpy(), src].tolist(), col
        assert y[col].tolist() == by_date.loc[last_of_year.to_numpy(), src].tolist(), col
    # the run's last month ends with the run's own end-of-run stocks
    assert m["at_sea_end"].iloc[-1] == long_run.summary["at_sea_end"]
    assert m["waiting_at_origin_end"].iloc[-1] == long_run.summary["waiting_at_origin_end"]


def test_partial_first_and_last_periods_count_their_days(long_run):
    m, y = monthly(long_run.daily), yearly(long_run.daily)
    days = dict(zip(m["month"], m["days"], strict=True))
    assert days["2015-11"] == 11 and days["2017-04"] == 2  # 20-30 Nov; 1-2 Apr
    assert days["2015-12"] == 31 and days["2016-02"] == 29 and days["2017-02"] == 28
    assert m["days"].sum() == 500 and len(m) == 18
    assert y["days"].tolist() == [42, 366, 92]


def test_mortality_and_sea_state_per_period():
    d = synthetic_daily("2016-01-30", 4)  # 30, 31 Jan; 1, 2 Feb
    d["departures"] = [10, 0, 0, 0]
    d["dead"], d["missing"] = [1, 0, 0, 2], [0, 1, 0, 0]
    d["sea_state"] = [0.2, 0.4, 0.1, 0.3]
    m = monthly(d)
    assert m["month"].tolist() == ["2016-01", "2016-02"] and m["days"].tolist() == [2, 2]
    assert m["mortality_per_departure"].tolist() == [pytest.approx(0.2), 0.0]  # no departures in Feb: 0
    assert m["mean_sea_state"].tolist() == [pytest.approx(0.3), pytest.approx(0.2)]
    assert yearly(d)["mortality_per_departure"].tolist() == [pytest.approx(0.4)]


def test_ten_years_and_any_row_order():
    d = synthetic_daily("2014-03-15", 3653, seed=3)
    m, y = monthly(d.sample(frac=1, random_state=1)), yearly(d)
    assert len(m) == 121 and len(y) == 11 and y["days"].sum() == 3653
    assert m["month"].is_monotonic_increasing
    assert m.equals(monthly(d))
    for c in FLOWS:
        assert m[c].sum() == d[c].sum() == y[c].sum(), c


def test_empty_daily_table_gives_empty_tables():
    empty = pd.DataFrame(columns=list(DAILY_COLUMNS))
    assert monthly(empty).empty and list(monthly(empty).columns) == list(MONTHLY_COLUMNS)
    assert yearly(empty).empty and list(yearly(empty).columns) == list(YEARLY_COLUMNS)


def test_run_writes_monthly_and_yearly_csv(long_run, tmp_path):
    long_run.write(tmp_path)
    m = pd.read_csv(tmp_path / "monthly.csv", dtype={"month": str})
    y = pd.read_csv(tmp_path / "yearly.csv")
    assert list(m.columns) == list(MONTHLY_COLUMNS) and list(y.columns) == list(YEARLY_COLUMNS)
    pd.testing.assert_frame_equal(m, monthly(long_run.daily), check_dtype=False)
    pd.testing.assert_frame_equal(y, yearly(long_run.daily), check_dtype=False)


def test_results_readme_documents_every_period_column():
    text = (Path(__file__).resolve().parents[2] / "results" / "README.md").read_text(encoding="utf-8")
    section = text.split("## `monthly.csv` and `yearly.csv`")[1].split("\n## ")[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    missing = [c for c in (*MONTHLY_COLUMNS, *YEARLY_COLUMNS) if c not in documented]
    assert not missing, missing
