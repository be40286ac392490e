import pandas as pd

from tests.conftest import run


def test_same_seed_identical_outputs(small, small_run):
    again = run(small, 1)
    assert again.summary == small_run.summary
    pd.testing.assert_frame_equal(again.daily, small_run.daily)
    pd.testing.assert_frame_equal(again.events, small_run.events)


def test_different_seeds_differ(small, small_run):
    other = run(small, 2)
    assert other.summary != small_run.summary
    assert not other.daily.equals(small_run.daily)


def test_schema(small_run):
    from model.outcomes import DAILY_COLUMNS, EVENT_COLUMNS, EVENTS, SUMMARY_KEYS

    assert list(small_run.daily.columns) == list(DAILY_COLUMNS)
    assert len(small_run.daily) == 60
    assert list(small_run.events.columns) == list(EVENT_COLUMNS)
    assert set(small_run.events["event"]) <= set(EVENTS)
    assert set(SUMMARY_KEYS) <= set(small_run.summary)
    s = small_run.summary
    assert s["departures"] == s["arrivals"] + s["dead"] + s["missing"] + s["intercepted"] + s["at_sea_end"] + s["aboard_vessels_end"]
    assert s["departures"] > 0 and s["arrivals"] > 0 and s["rescued"] > 0
    assert sum(s["arrivals_by_state"].values()) == s["arrivals"]
    assert sum(s["rescued_by_actor"].values()) == s["rescued"]
    for metric in ("departures", "arrivals", "dead", "missing", "intercepted"):
        assert sum(p[metric] for p in s["by_profile"].values()) == s[metric]
        assert small_run.daily[metric].sum() == s[metric]
