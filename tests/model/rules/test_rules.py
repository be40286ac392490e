"""Exact answers for the rules shared by the engines."""

import platform

import numba
import numpy as np
import pytest

from model.numerics import hypot
from model.rules import crossing, departure, disembarkation, legal, reception, rescue, smuggling, weather
from tests.conftest import accept_p


def test_move_toward():
    x, y, arrived = crossing.move_toward(
        np.array([0.0, 0.0]), np.array([0.0, 0.0]), np.array([3.0, 30.0]), np.array([4.0, 40.0]), np.array([10.0, 10.0])
    )
    assert arrived.tolist() == [True, False]
    assert (x[0], y[0]) == (3.0, 4.0)
    assert np.hypot(x[1], y[1]) == pytest.approx(10.0)


@numba.njit
def _hypot_into(x, y, out):
    for i in range(x.size):
        out[i] = hypot.hypot(x[i], y[i])


def _hypot_loop(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """hypot.hypot of each pair, as the compiled loops call it (compiled once per session)."""
    out = np.empty(x.size)
    _hypot_into(np.ascontiguousarray(x, dtype=float), np.ascontiguousarray(y, dtype=float), out)
    return out


def _hard_cases(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs at sea (km), pairs of very different sizes, pairs near the kernel's switch.

    (b = a / 2), pairs of any size, and special values.
    """
    k = n // 4
    with np.errstate(over="ignore"):  # (the largest draws overflow to infinity: special values too)
        x, y = _draws(rng, k)
    special = np.array(
        [0.0, -0.0, 5e-324, 2.0**-1022, 2.0**-459, 3.0, 2.0**511, 2.0**512, 1.7e308, np.inf, -np.inf, np.nan]
    )
    sx, sy = np.meshgrid(special, special)
    return np.r_[x, sx.ravel()], np.r_[y, sy.ravel()]


def _draws(rng: np.random.Generator, k: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.r_[
        rng.normal(0, 500, k),
        rng.normal(0, 500, k),
        rng.uniform(0, 1e3, k),
        rng.normal(0, 1, k) * 10.0 ** rng.uniform(-320, 308, k),
    ]
    y = np.r_[
        rng.normal(0, 500, k),
        rng.normal(0, 500, k) * 10.0 ** rng.uniform(-25, 0, k),
        np.zeros(k),
        rng.normal(0, 1, k) * 10.0 ** rng.uniform(-320, 308, k),
    ]
    y[2 * k : 3 * k] = x[2 * k : 3 * k] * rng.uniform(0.49, 0.51, k)
    return x, y


def test_hypot_is_within_an_ulp_and_handles_every_size():
    """hypot.hypot against the exact value (50-digit decimals).

    Within one unit in the last place, no overflow or underflow on the way.
    """
    from decimal import Decimal, getcontext

    getcontext().prec = 50
    x, y = _hard_cases(np.random.default_rng(11), 4000)
    got = _hypot_loop(x, y)
    for a, b, h in zip(x.tolist(), y.tolist(), got.tolist(), strict=True):
        if np.isinf(a) or np.isinf(b):
            assert h == np.inf
        elif np.isnan(a) or np.isnan(b):
            assert np.isnan(h)
        else:
            exact = (Decimal(a) ** 2 + Decimal(b) ** 2).sqrt()
            if exact > Decimal(np.finfo(float).max):
                assert h == np.inf  # (only the largest pairs)
            else:
                assert abs(Decimal(h) - exact) <= Decimal(np.spacing(float(exact))), (a, b, h)


def _glibc_hypot() -> bool:
    """Whether the C library's hypot is glibc's algorithm of 2.35 and later without fused multiply-add.

    (glibc >= 2.35 on x86-64).
    """
    libc, version = platform.libc_ver()
    return (
        libc == "glibc" and tuple(int(v) for v in version.split(".")[:2]) >= (2, 35) and platform.machine() == "x86_64"
    )


@pytest.mark.skipif(not _glibc_hypot(), reason="the C library's hypot is another algorithm here")
def test_hypot_gives_the_c_librarys_bits():
    """Where the C library is glibc >= 2.35 on x86-64.

    (this project's machine), hypot.hypot is the same algorithm: the same bits as np.hypot.
    """
    x, y = _hard_cases(np.random.default_rng(12), 2_000_000)
    with np.errstate(over="ignore"):
        got, ref = _hypot_loop(x, y), np.hypot(x, y)
    assert np.array_equal(got, ref, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(ref))


def test_distance_is_hypot_to_the_bit():
    """crossing.distance skips the computation along an axis; it must still give hypot's bits everywhere."""
    rng = np.random.default_rng(8)
    dx, dy = rng.normal(0, 300, 100_000), rng.normal(0, 300, 100_000)
    dx[:30_000] = 0.0  # along the y axis, the x axis, and with signed zeros
    dy[30_000:60_000] = -0.0 if rng.uniform() < 0.5 else 0.0
    for a, b in [(dx, dy), (dy, dx), (-dx, dy)]:
        assert np.array_equal(crossing.distance(a, b), _hypot_loop(a, b))
    assert crossing.distance(-0.0, -0.0) == 0.0 and crossing.distance(-7.5, 0.0) == 7.5


def test_move_toward_is_the_same_on_scalars_arrays_and_compiled(recwarn):
    from model.rules import scalar as kernels

    rng = np.random.default_rng(3)
    pts = rng.normal(0, 50, (4, 200))
    step = np.r_[rng.uniform(0, 80, 196), 0.0, 0.0, 5.0, 0.0]
    pts[2:, -4:] = pts[:2, -4:]  # already at the target, with and without a step; and one point that cannot move
    pts[2, -1] += 1.0
    x, y, arrived = crossing.move_toward(*pts, step)
    for i in range(200):
        one = crossing.move_toward(*pts[:, i], step[i])
        assert one == kernels.move_toward(*pts[:, i], step[i]) == (x[i], y[i], arrived[i])
    assert arrived[-4:].tolist() == [True, True, True, False] and (x[-1], y[-1]) == (pts[0, -1], pts[1, -1])
    assert not recwarn.list  # no division by zero, even where the compiled loop computes both branches


def test_distress_and_capsize_probabilities():
    assert crossing.distress_probability(0.0, 2.0, 1.0, 1.5, False, 0.3) == 0.0
    assert crossing.distress_probability(0.0, 2.0, 1.0, 1.0, True, 0.3) == pytest.approx(0.3)
    assert crossing.distress_probability(0.1, 2.0, 1.0, 1.0, False, 0.3) == pytest.approx(0.2)
    assert crossing.capsize_probability(np.inf, 1.0, 0.0, 0.0) == 0.0
    assert crossing.capsize_probability(10.0, 1.0, 5.0, 0.0) == pytest.approx(
        1 - np.exp(-0.1)
    )  # no deterioration: constant
    assert crossing.capsize_probability(10.0, 1.0, 5.0, 0.2) == pytest.approx(
        1 - np.exp(-0.2)
    )  # 5 hours at +20%/h: twice the hazard
    assert crossing.interception_probability(np.array([5.0, 50.0]), 22.2, 0.1).tolist() == [0.1, 0.0]


def test_deaths_split_conserves():
    dead, missing = crossing.deaths_split(np.array([0, 10, 100]), 0.08, np.array([0.5, 0.5, 0.999]))
    assert (dead + missing).tolist() == [0, 10, 100]
    assert dead.tolist() == [0, 1, 17]  # binomial quantiles (scipy.stats.binom.ppf: 0, 1, 17)


def test_acceptance_extremes_and_guarantee():
    kw = dict(
        own_srr=True,
        vulnerable_share=1.0,
        own_flag=True,
        occupancy_ratio=0.0,
        recent_per_1000=0.0,
        w_srr=3.0,
        w_vulnerable=3.0,
        w_flag=3.0,
        w_occupancy=1.0,
        w_recent=1.0,
    )
    assert accept_p(0.0, **kw) == 0.0
    assert accept_p(1.0, **{**kw, "occupancy_ratio": 5.0}) == 1.0
    assert accept_p(0.0, **kw, guaranteed=True) == 1.0
    mid = accept_p(0.5, **{**kw, "own_srr": False, "vulnerable_share": 0.0, "own_flag": False})
    assert mid == pytest.approx(0.5)
    full = accept_p(0.5, **{**kw, "own_srr": False, "vulnerable_share": 0.0, "own_flag": False, "occupancy_ratio": 2.0})
    assert full < 0.5
    assert accept_p(0.9, guaranteed=True, closed=True) == 0.0  # a closed port refuses even under the framework


def test_request_order():
    dist = np.array([100.0, 50.0, 30.0, np.inf])  # the 4th state has no safe port
    steps = ("coordinating_state", "srr_state", "nearest_safe_port", "flag_state", "others_by_distance")
    assert disembarkation.request_order(steps, 0, 3, dist, -1, np.zeros(4, bool), disembarkation.NONE) == [0, 2, 1]
    parts = np.array([True, True, False, False])
    assert disembarkation.request_order(steps, 0, 3, dist, -1, parts, disembarkation.STANDING)[0] == 1


def test_deal_probability_and_relocation():
    assert disembarkation.deal_probability(0, 0.1, 0.1) == pytest.approx(0.1)
    assert disembarkation.deal_probability(100, 0.1, 0.1) == 1.0
    u = np.random.default_rng(1).random((2, 3))
    counts = disembarkation.relocation_counts(np.array([50, 7]), np.array([[0.0, 1.0, 1.0], [0.0, 0.0, 0.0]]), u)
    assert counts[0].sum() == 50 and counts[0, 0] == 0
    assert counts[1].tolist() == [0, 0, 0]  # no state to relocate to: nobody goes


def test_legal_allocation_first_come_first_served():
    elig = legal.eligibility(
        np.array([0, 1, 0, 4]),
        np.array([False, True, False, False]),
        np.array([[True, False, False, False, True], [True, True, True, True, True]]),
        np.array([False, True]),
    )
    assert elig.tolist() == [[True, False], [False, True], [True, False], [True, False]]
    chosen, slots = legal.allocate(elig, np.ones(4, bool), np.array([2.0, 5.0]))
    assert chosen.tolist() == [0, 1, 0, -1]
    assert slots.tolist() == [0.0, 4.0]


def test_departure_choice():
    c = departure.choose(np.array([True, False, False]), 0.5, np.array([0.9, 0.1, 0.9]))
    assert c.tolist() == [departure.LEGAL, departure.WAIT, departure.SMUGGLER]
    assert departure.wait_probability(0.3, 0.0, 0.5, 0.0, 0.3) == pytest.approx(0.3)
    assert departure.wait_probability(0.3, 1.0, 0.5, 0.0, 0.3) == pytest.approx(0.65)


def test_smuggler_adaptation_off_and_on():
    mix = np.array([0.6, 0.3, 0.1])
    assert smuggling.adaptation_shift(0.0, 10.0, 55.0, 100.0) == 0.0
    assert smuggling.adaptation_shift(1.0, 55.0, 55.0, 100.0) == pytest.approx(0.0)
    near = smuggling.adaptation_shift(1.0, 10.0, 55.0, 100.0)
    far = smuggling.adaptation_shift(1.0, 200.0, 55.0, 100.0)
    assert near > 0 > far
    for shift in (near, far, 0.0):
        out = smuggling.adapted_mix(mix, shift, 1.0)
        assert out.sum() == pytest.approx(1.0) and (out >= 0).all()
    assert smuggling.adapted_mix(mix, near, 1.0)[0] > 0.6 > smuggling.adapted_mix(mix, far, 1.0)[0]
    np.testing.assert_allclose(smuggling.adapted_mix(mix, 0.0, 1.0), mix)


def test_plan_boats_never_exceeds_queue():
    rng = np.random.default_rng(3)
    for queue in (0, 5, 100, 1000, 10000):
        types, loads = smuggling.plan_boats(
            queue, 20, np.array([0.8, 0.2, 0.0]), np.array([120.0, 350.0, 500.0]), 1.0, rng.random(20), rng.random(20)
        )
        assert (types != 2).all()  # a type with no share in the mix is never drawn
        assert loads.sum() <= queue and len(types) == len(loads)
    assert smuggling.boats_allowed(10, 0.0, 0.9, 0.75) == 0
    assert smuggling.boats_allowed(10, 0.5, 0.1, 0.75) == 5


def test_planned_loads_take_typical_loads_shared_or_per_row():
    types = np.array([[0, 1, 2], [2, 2, 0]])
    noise = np.ones((2, 3))
    shared = smuggling.planned_loads(types, np.array([120.0, 350.0, 500.0]), 1.0, noise)
    assert shared.tolist() == [[120, 350, 500], [500, 500, 120]]
    per_row = smuggling.planned_loads(
        types, np.array([[120.0, 350.0, 500.0], [60.0, 70.0, 5.0]]), np.array([[1.0], [2.0]]), noise
    )
    assert per_row.tolist() == [[120, 350, 500], [10, 10, 120]]  # row 2: its own loads, doubled, at least 10


def test_fill_boats_ignores_padding_for_boats_a_network_may_not_launch():
    huge = np.iinfo(np.int64).max // 4  # the vector engine pads boats beyond a network's allowance with huge loads
    planned = np.array([[100, 100, 100] + [huge] * 9] * 3)
    loads = smuggling.fill_boats(np.array([40, 150, 1000]), planned)
    assert (
        loads[:, 3:].sum() == 0
    )  # never a boat beyond the allowance (a cumulative sum of the padding once wrapped round)
    assert loads[:, :3].tolist() == [
        [0, 0, 0],
        [100, 50, 0],
        [100, 100, 100],
    ]  # 40 < half a load: no boat; 50 left fill a second


def test_coordination_and_assets():
    assert rescue.coordinating_state(np.array([2, 2, -1]), np.array([True, False, True]), 0).tolist() == [2, 0, 0]
    eta = rescue.eta_hours(np.array([0.0, 10.0]), np.array([0.0, 0.0]), np.array([10.0, 40.0]), 20.0, 0.0)
    assert eta.tolist() == [2.0, 0.25]
    assert rescue.earliest(eta, np.array([True, False])) == 0
    assert rescue.earliest(eta, np.array([False, False])) == -1
    assert rescue.merchant_accept_probability(0.8, 100, 400) == pytest.approx(0.2)
    assert rescue.wants_port(0, 100, 0.6, 0, 36) and not rescue.wants_port(90, 100, 0.6, 5, 36)


def test_weather_and_reception():
    assert weather.survival_hours(30.0, 48.0) == 48.0
    assert weather.survival_hours(10.0, 48.0) < weather.survival_hours(20.0, 48.0)
    assert weather.sea_state(0.9, 0.5) == 1.0
    assert reception.daily_outflow(0.0, 100) == 0.0
    assert reception.occupancy_ratio(50, 100) == 0.5
    assert reception.occupancy_ratio(5, 0) == np.inf


def test_acceptance_never_nan_for_a_state_without_places():
    kw = dict(
        own_srr=False,
        vulnerable_share=0.0,
        own_flag=False,
        occupancy_ratio=np.inf,
        recent_per_1000=0.0,
        w_srr=1.0,
        w_vulnerable=1.0,
        w_flag=1.0,
        w_recent=0.0,
    )
    assert accept_p(1.0, w_occupancy=2.0, **kw) == 1.0
    assert accept_p(0.5, w_occupancy=0.0, **kw) == pytest.approx(0.5)
    assert accept_p(0.5, w_occupancy=2.0, **kw) == pytest.approx(0.0)


def test_deal_weights_follow_free_places():
    np.testing.assert_allclose(disembarkation.deal_weights(np.array([0.0, 300.0, 100.0])), [0.0, 0.75, 0.25])
    np.testing.assert_allclose(disembarkation.deal_weights(np.array([0.0, 0.0])), [0.5, 0.5])


def test_request_orders_match_a_plain_reading_of_the_rule():
    """The array form gives, row by row, the order a plain loop over the steps gives."""
    from model.rules import disembarkation as d

    def plain(steps, coord, srr, dist, flag, part, fw):
        n = len(dist)
        has = np.isfinite(dist)
        byd = [int(i) for i in np.argsort(dist, kind="stable") if has[i]]
        order = [i for i in byd if part[i]][:1] if fw == d.STANDING else []
        for st in steps:
            if st == "coordinating_state" and 0 <= coord < n:
                order.append(coord)
            elif st == "srr_state" and 0 <= srr < n:
                order.append(srr)
            elif st == "nearest_safe_port" and byd:
                order.append(byd[0])
            elif st == "flag_state" and 0 <= flag < n:
                order.append(flag)
            elif st == "others_by_distance":
                order += byd
        seen: set[int] = set()
        return [s for s in order if has[s] and not (s in seen or seen.add(s))]

    rng = np.random.default_rng(0)
    steps_all = ("coordinating_state", "srr_state", "nearest_safe_port", "flag_state", "others_by_distance")
    for _ in range(300):
        n, m = int(rng.integers(1, 6)), int(rng.integers(1, 8))
        dist = rng.random((m, n)) * 100
        dist[rng.random((m, n)) < 0.3] = np.inf
        steps = tuple(rng.permutation(steps_all)[: rng.integers(0, 6)])
        coord, srr, flag = (rng.integers(-1, n, m) for _ in range(3))
        part, fw = rng.random(n) < 0.5, int(rng.integers(0, 3))
        got = d.request_orders(steps, coord, srr, dist, flag, part, fw)
        for i in range(m):
            want = plain(steps, int(coord[i]), int(srr[i]), dist[i], int(flag[i]), part, fw)
            assert [int(s) for s in got[i] if s >= 0] == want
            assert (got[i, len(want) :] == -1).all()


def test_shared_case_rules():
    from model.rules import disembarkation as d
    from model.rules import rescue as r

    assert np.allclose(
        d.deal_weights(
            np.array([[30.0, 10.0, 99.0], [0.0, 0.0, 5.0]]), np.array([[True, True, False], [True, True, False]])
        ),
        [[0.75, 0.25, 0.0], [0.5, 0.5, 0.0]],
    )
    assert np.allclose(d.deal_weights(np.array([0.0, 0.0])), [0.5, 0.5])
    states, part = ("A", "B", "C"), np.array([True, False, True])
    assert d.relocation_weights({"B": 1.0}, states, part, d.AD_HOC, np.ones(3), np.ones(3, bool)).tolist() == [
        0.0,
        1.0,
        0.0,
    ]
    assert d.relocation_weights({}, states, part, d.STANDING, np.ones(3), np.ones(3, bool)).tolist() == [1.0, 0.0, 1.0]
    assert d.relocation_weights(
        {}, states, np.zeros(3, bool), d.AD_HOC, np.array([5.0, 7.0, 9.0]), np.array([True, False, True])
    ).tolist() == [5.0, 0.0, 9.0]
    assert d.deal_landing_states(("C", "B"), states, np.array([True, False, True])) == [2]
    assert r.can_task(
        np.array([True, False, False, False]),
        np.array([False, True, False, False]),
        True,
        True,
        np.array([False, False, True, False]),
    ).tolist() == [True, True, True, False]
    assert not r.can_task(False, False, False, True, True)
    assert r.hands_over(np.array([1, 1, 2]), np.array([2, 2, 2]), np.array([False, True, False])).tolist() == [
        True,
        False,
        False,
    ]
    assert (
        abs(r.sighting_probability(0.1, 0.5, 0.0) - 0.1) < 1e-12
        and abs(r.sighting_probability(0.1, 0.5, 1.0) - 0.55) < 1e-12
    )


def test_a_stop_on_the_beach_ends_the_networks_day_only_when_stops_displace():
    from model.rules import smuggling as s

    assert s.stop_on_beach(0.1, 0.3, 0, False) == s.STOPPED
    assert s.stop_on_beach(0.1, 0.3, 0, True) == s.STOPPED_FOR_THE_DAY
    assert s.stop_on_beach(0.5, 0.3, 0, True) == s.LAUNCH  # the draw spares it
    assert s.stop_on_beach(0.1, 0.3, 1, True) == s.LAUNCH  # displacing stops take only rubber boats
    assert s.stop_on_beach(0.1, 0.3, 1, False) == s.STOPPED


def test_an_ad_hoc_deal_lands_in_proportion_to_free_places_and_a_pledge_makes_it():
    from model.rules import disembarkation as d

    u = (np.arange(1000) + 0.5) / 1000
    picks = d.deal_state(np.array([100.0, 300.0]), u)
    assert (picks == 1).mean() == pytest.approx(0.75)
    rows = d.deal_state(np.array([[100.0, 300.0, 50.0]] * 2), np.array([0.9, 0.9]), np.array([[1, 1, 0], [1, 0, 1]]))
    assert rows.tolist() == [1, 2]  # masked: the second ship may land only in states 0 and 2
    assert d.deal_probability(0, 0.1, 0.0) == pytest.approx(0.1)
    assert d.deal_probability(0, 0.1, 0.0, pledged=True) == 1.0


def test_medevacs_are_a_binomial_quantile_of_the_medical_cases_aboard():
    from scipy.stats import binom

    from model.rules import disembarkation as d

    u = np.array([0.01, 0.3, 0.5, 0.9, 0.999])
    assert d.medevacs(np.full(5, 12), 0.3, u).tolist() == binom.ppf(u, 12, 0.3).astype(int).tolist()
    assert int(d.medevacs(7, 0.0, 0.9)) == 0 and int(d.medevacs(7, 1.0, 0.1)) == 7


def test_a_vessel_is_out_of_service_when_withdrawn_or_an_ngo_ship_kept_in_port():
    assert rescue.out_of_service(True, False, False) and rescue.out_of_service(False, True, True)
    assert not rescue.out_of_service(False, True, False) and not rescue.out_of_service(False, False, True)


def test_a_deal_lands_in_the_configured_states_or_else_in_those_asked():
    d = disembarkation
    asked = np.array([[True, True, False], [False, True, False]])
    configured = np.array([[False, False, True], [False, False, False]])  # run 2 configures none
    cands = d.deal_candidates(configured, asked)
    assert cands.tolist() == [[False, False, True], [False, True, False]]
    assert d.deal_candidates(np.zeros(3, bool), np.array([True, False, True])).tolist() == [True, False, True]
    # the state drawn is always a candidate, whatever the free places elsewhere
    free = np.array([[1000.0, 1000.0, 1.0], [1000.0, 0.0, 1000.0]])
    for u in (0.01, 0.5, 0.99):
        assert d.deal_state(free, np.array([u, u]), cands).tolist() == [2, 1]
