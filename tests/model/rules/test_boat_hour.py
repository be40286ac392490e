"""A migrant boat's hour (:mod:`model.rules.boat_hour`), the rule both engines call."""

import math

import numpy as np
import pytest

from model.rules import boat_hour as bh
from model.rules import crossing


def boats(n, *, zone=0.0, int_p=0.0, state=-1, distress=0.0, fuel=1000.0, deter=0.0, aboard_death=0.0, seed=1):
    """A table of ``n`` boats launched at (0, 0), thresholds drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    hz = bh.Hazards(*(np.zeros(n, dtype=np.int64 if f == "bstate" else np.float64) for f in bh.Hazards._fields))
    for b in range(n):
        bh.start(
            hz,
            b,
            state,
            0.0,
            0.0,
            zone,
            int_p,
            fuel,
            distress,
            1.0,
            1.0,
            0.0,
            10.0,
            deter,
            aboard_death,
            bh.threshold(1.0 - rng.random()),
            bh.threshold(1.0 - rng.random()),
        )
    return hz


def hour(hz, status, *, aboard=10, x=0.0, tasked=False, weather=1.0):
    """One hour of every boat of ``hz``, all with the same status, people and position; their events."""
    n = hz.bstate.size
    events = np.empty(n, dtype=np.int64)
    bh.hazards_hour(
        np.arange(n),
        np.full(n, status),
        np.full(n, aboard),
        np.full(n, 0 if tasked else -1),
        np.full(n, x),
        np.zeros(n),
        np.zeros(n, dtype=np.int64),
        np.array([weather]),
        hz,
        events,
    )
    return events


def first_event_hours(hz, status, event, hours, **kw):
    """The hour each boat first returns ``event`` (inf: never within ``hours``)."""
    when = np.full(hz.bstate.size, np.inf)
    for h in range(hours):
        when[np.isinf(when) & (hour(hz, status, **kw) == event)] = h + 1
    return when


def aboard_p(hz, status, aboard=10):
    p = np.empty(1)
    bh.aboard_death_hour(np.zeros(1, dtype=np.int64), np.array([status]), np.array([aboard]), hz, p)
    return p[0]


def test_a_summed_hazard_against_one_threshold_is_a_chance_each_hour():
    """The share in distress after k hours is 1 - (1 - p)^k, as with one draw per hour."""
    p, n = 0.05, 4000
    when = first_event_hours(boats(n, distress=p), bh.SAILING, bh.DISTRESSED, 40)
    for k in (5, 20, 40):
        assert np.mean(when <= k) == pytest.approx(1 - (1 - p) ** k, abs=0.025)


def test_running_dry_raises_the_distress_hazard():
    wet, dry = boats(2000, distress=0.01), boats(2000, distress=0.01, fuel=0.0)
    wet.bno_fuel[:] = dry.bno_fuel[:] = 0.05  # the boat type's distress out of fuel
    p_dry = 1 - 0.99 * 0.95
    assert np.mean(first_event_hours(dry, bh.SAILING, bh.DISTRESSED, 24) <= 24) == pytest.approx(
        1 - (1 - p_dry) ** 24, abs=0.03
    )
    assert np.mean(first_event_hours(wet, bh.SAILING, bh.DISTRESSED, 24) <= 24) == pytest.approx(1 - 0.99**24, abs=0.03)


def test_capsizing_follows_the_mean_time_and_deterioration_shortens_it():
    n = 3000
    hz = boats(n)
    for b in range(n):
        bh.start_distress(b, hz, 1.0 - (b + 0.5) / n)  # thresholds spread evenly over Exp(1)'s quantiles
    when = first_event_hours(hz, bh.DISTRESS, bh.CAPSIZES, 200)
    assert np.mean(when) == pytest.approx(1 / (1 - math.exp(-1 / 10.0)), rel=0.05)  # mean 10 h, hourly steps
    hz = boats(n, deter=0.2)
    for b in range(n):
        bh.start_distress(b, hz, 1.0 - (b + 0.5) / n)
    assert np.mean(first_event_hours(hz, bh.DISTRESS, bh.CAPSIZES, 200)) < 0.8 * np.mean(when)


def test_patrols_stop_boats_only_in_their_zone_and_not_once_a_rescuer_is_tasked():
    hz = boats(500, zone=50.0, int_p=0.2, state=0)
    assert np.isfinite(first_event_hours(hz, bh.SAILING, bh.INTERCEPTED, 30, x=10.0)).mean() > 0.99
    hz = boats(500, zone=50.0, int_p=0.2, state=0)
    assert np.isinf(first_event_hours(hz, bh.SAILING, bh.INTERCEPTED, 30, x=10.0, tasked=True)).all()
    hz = boats(1, zone=50.0, int_p=1.0, state=0)
    assert hour(hz, bh.SAILING, x=80.0)[0] == bh.NOTHING  # out of the zone
    assert hz.bzone[0] == -np.inf  # for good
    assert hour(hz, bh.SAILING, x=10.0)[0] == bh.NOTHING
    hz = boats(1, zone=50.0, int_p=1.0, state=-1)  # no departure state: no patrols
    assert hour(hz, bh.SAILING, x=10.0)[0] == bh.NOTHING


def test_an_empty_boat_has_no_hazards():
    hz = boats(1, distress=1.0)
    assert hour(hz, bh.SAILING, aboard=0)[0] == bh.NOTHING
    assert hour(hz, bh.SAILING, aboard=5)[0] == bh.DISTRESSED


def test_deaths_aboard_count_hours_afloat_and_stop_when_capsized():
    hz = boats(1, aboard_death=0.1)
    p1 = aboard_p(hz, bh.SAILING)
    p2 = aboard_p(hz, bh.DISTRESS)
    assert p1 == pytest.approx(crossing.aboard_death_probability(0.1, 1.0, 1.0))
    assert p2 == pytest.approx(crossing.aboard_death_probability(0.1, 1.0, 2.0)) and p2 > p1
    assert aboard_p(hz, bh.CAPSIZED) == -1.0
    assert aboard_p(boats(1), bh.SAILING) == -1.0  # switched off


def test_a_case_reaches_an_rcc_by_the_first_of_call_and_sighting():
    assert bh.detection_hour(7, 0.5, 1.0, 0.5, 0.9, 3.0, 0.0) == 7  # a call with no delay (u = 1)
    assert bh.detection_hour(7, 0.95, 0.5, 0.5, 0.9, 3.0, 0.0) == math.inf  # no call, nobody looks
    assert bh.detection_hour(7, 0.5, math.exp(-1.0), 0.5, 0.9, 3.0, 0.0) == 10  # delay of one mean: 3 h
    assert bh.detection_hour(7, 0.5, math.exp(-1.0), 0.5, 0.9, 2.5, 0.0) == 10  # 9.5 h: found at 10
    assert bh.detection_hour(7, 0.95, 0.5, 0.5, 0.9, 3.0, 1.0) == 7  # seen at once
    # no call; seen after a geometric wait: P(wait >= k) = (1 - s)^k
    u = (np.arange(20000) + 0.5) / 20000
    waits = np.array([bh.detection_hour(0, 0.95, 0.5, x, 0.9, 3.0, 0.1) for x in u])
    assert np.mean(waits >= 5) == pytest.approx(0.9**5, abs=0.002)
