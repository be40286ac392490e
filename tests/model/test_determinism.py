"""Both engines: the same seed gives identical outputs, another seed different ones, in the shared schema."""

import pandas as pd
import pytest

from model.outcomes import DAILY_COLUMNS, EVENT_COLUMNS, EVENTS, SUMMARY_KEYS
from tests.conftest import run


@pytest.fixture(params=["mesa", "vector"])
def engine(request):
    return request.param


@pytest.fixture
def first(engine, request):
    """The 60-day run of central_med_small, seed 1, by ``engine``.

    (the session's ``small_run`` or ``small_vector_run``).
    """
    return request.getfixturevalue("small_run" if engine == "mesa" else "small_vector_run")


def test_same_seed_identical_outputs(small, engine, first):
    again = run(small, 1, engine=engine)
    assert again.summary == first.summary
    pd.testing.assert_frame_equal(again.daily, first.daily)
    pd.testing.assert_frame_equal(again.events, first.events)


def test_different_seeds_differ(small, engine, first):
    other = run(small, 2, engine=engine)
    assert other.summary != first.summary
    assert not other.daily.equals(first.daily)


def test_schema(small, engine, first):
    r = first
    assert r.engine == engine
    assert list(r.daily.columns) == list(DAILY_COLUMNS)
    assert len(r.daily) == small.world.days == 60
    assert list(r.events.columns) == list(EVENT_COLUMNS)
    assert set(r.events["event"]) <= set(EVENTS)
    assert set(SUMMARY_KEYS) <= set(r.summary)
    s = r.summary
    assert (
        s["departures"]
        == s["arrivals"] + s["dead"] + s["missing"] + s["intercepted"] + s["at_sea_end"] + s["aboard_vessels_end"]
    )
    assert s["departures"] > 0 and s["arrivals"] > 0 and s["rescued"] > 0 and s["distress_cases"] > 0
    assert sum(s["arrivals_by_state"].values()) == s["arrivals"]
    assert sum(s["rescued_by_actor"].values()) == s["rescued"]
    for metric in ("departures", "arrivals", "dead", "missing", "intercepted", "rescued"):
        assert sum(p[metric] for p in s["by_profile"].values()) == s[metric]
        assert r.daily[metric].sum() == s[metric]
    # every kind of case event the Mesa engine writes for this scenario appears
    assert {
        "launch",
        "distress",
        "alert",
        "coordination",
        "tasking",
        "rescue",
        "request",
        "acceptance",
        "landing",
    } <= set(r.events["event"])
