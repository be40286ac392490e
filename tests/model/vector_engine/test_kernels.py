"""The compiled loops of the vectorised engine: the same draws as the streams, the rule applied case by case."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.vector_engine import columns, coordination, kernels, launches, vessels
from model.vector_engine.state import CAPSIZED, DISTRESS, PATROL, TASKED
from model.vector_engine.streams import Streams


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    purpose=st.integers(0, 255),
    a=st.integers(0, 2**24 - 1),
    b=st.integers(0, 2**24 - 1),
    c=st.integers(0, 255),
)
def test_compiled_uniform_is_the_streams_uniform(seed, purpose, a, b, c):
    rs = Streams([seed])
    assert kernels.uniform(rs.keys[0], purpose, a, b, c) == float(rs.uniform(purpose, 0, a, b, c))


def _world(n_boats: int, V: int = 3, response_h: float = 0.0, compliance: float = 1.0):
    """One run, vessels on a line at x = 0, 10, 20 km (vessel 0 a merchant, the others state ships), boats at x = 0."""
    return dict(
        keys=Streams([7]).keys,
        standing=np.array([False]),
        participants=np.zeros((1, 2), dtype=bool),
        compliance=np.array([compliance]),
        response_h=np.array([response_h]),
        brun=np.zeros(n_boats, dtype=np.int64),
        bx=np.zeros(n_boats),
        by=np.zeros(n_boats),
        bn=np.full(n_boats, 10, dtype=np.int64),
        bid=np.arange(n_boats, dtype=np.int64),
        bfirst=np.ones(n_boats, dtype=np.int64),
        bcoord=np.zeros(n_boats, dtype=np.int64),
        btasked=np.full(n_boats, -1, dtype=np.int64),
        bdeclined=np.zeros((n_boats, V), dtype=bool),
        banswer=np.zeros(n_boats, dtype=np.int64),
        bpend_v=np.full(n_boats, -1, dtype=np.int64),
        bpend_x=np.zeros(n_boats),
        bpend_y=np.zeros(n_boats),
        bpend_h=np.zeros(n_boats, dtype=np.int64),
        V=V,
        vstatus=np.full(V, PATROL, dtype=np.int8),
        vtarget=np.full(V, -1, dtype=np.int64),
        vcap=np.full(V, 100.0),
        vn=np.zeros(V, dtype=np.int64),
        vx=np.arange(V) * 10.0,
        vy=np.zeros(V),
        vspeed=np.full(V, 20.0),
        vmerchant=np.arange(V) == 0,
        vtaskable=np.ones((V, 2), dtype=bool),
        vpart_flag=np.zeros(V, dtype=bool),
        vblocked=np.zeros(V, dtype=bool),
        div_aversion=np.zeros(1),
        port_x=np.array([100.0]),
        port_y=np.zeros(1),
        port_safe=np.ones(1, dtype=bool),
        stand_by=np.zeros((1, 2), dtype=bool),
    )


def _coordinate(w: dict, cases: np.ndarray, h: int = 5):
    n = cases.size * (w["V"] + 1)
    out = [np.empty(n, dtype=np.int64) for _ in range(4)] + [np.empty(n)]
    names = (
        "keys standing participants compliance response_h brun bx by bn bid bfirst bcoord "
        "btasked bdeclined banswer bpend_v bpend_x bpend_y bpend_h"
    )
    names += " V vessels div_aversion port_x port_y port_safe stand_by"
    w["vessels"] = columns.Vessels(*(w.get(f, np.zeros(w["V"])) for f in columns.Vessels._fields))
    args = [w[k] for k in names.split()]
    k = coordination.coordinate(h, cases, 26, *args, *out)
    return [o[:k].tolist() for o in out]


def test_cases_are_tasked_in_order_each_the_earliest_free_vessel():
    w = _world(2)
    kind, case, vessel, state, eta = _coordinate(w, np.array([0, 1]))
    assert (
        kind == [coordination.TASK, coordination.TASK] and case == [0, 1] and vessel == [0, 1]
    )  # the merchant is nearest, so the second case gets the next
    assert eta == [0.0, 0.5]
    assert (
        w["vstatus"].tolist() == [TASKED, TASKED, PATROL]
        and w["btasked"].tolist() == [0, 1]
        and w["vtarget"].tolist() == [0, 1, -1]
    )


def test_the_earliest_arrival_is_exact_where_a_cheap_bound_would_mislead():
    """Vessels far out on a diagonal arrive before one nearer on an axis.

    Of equal arrivals, the first in fleet order goes.
    """
    w = _world(1, V=4)
    w["vmerchant"][:] = False
    w["vx"][:], w["vy"][:] = [30.0, 10.0, 7.0, 7.0], [0.0, 0.0, 7.0, 7.0]  # hypot(7, 7) = 9.9 km < 10 km
    w["vspeed"][:] = 10.0
    kind, _, vessel, _, eta = _coordinate(w, np.array([0]))
    assert (kind, vessel) == ([coordination.TASK], [2]) and eta[0] == np.hypot(7.0, 7.0) / 10.0


def test_a_vessel_tasked_to_an_earlier_case_is_no_candidate_and_records_no_decline():
    """The second case would decline the merchant (no room for its 1,000 people), but the first case already took it."""
    w = _world(2)
    w["bn"][1] = 1000  # the master's chance to accept is 100/1000 of compliance
    w["vcap"][0] = 100.0
    kind, case, vessel, _, _ = _coordinate(w, np.array([0, 1]))
    assert (kind, case, vessel) == ([coordination.TASK, coordination.TASK], [0, 1], [0, 1])
    assert not w["bdeclined"].any()


def test_a_declining_master_sends_the_rcc_to_the_next_vessel_or_makes_it_wait():
    w = _world(1, compliance=0.0)  # every master declines
    kind, _, vessel, _, _ = _coordinate(w, np.array([0]))
    assert (kind, vessel) == ([coordination.DECLINE, coordination.TASK], [0, 1])
    assert w["bdeclined"][0].tolist() == [True, False, False]
    w = _world(1, compliance=0.0, response_h=3.0)  # the master answers in 3 hours: nobody is sent meanwhile
    kind, _, vessel, _, _ = _coordinate(w, np.array([0]), h=5)
    assert (kind, vessel) == ([coordination.TASK_LATER], [0])
    assert w["banswer"][0] == 8 and w["bpend_v"][0] == 0 and w["btasked"][0] == -1


def test_with_no_candidate_the_case_goes_to_the_first_rcc_alerted():
    w = _world(1)
    w["vstatus"][:] = TASKED
    kind, _, _, state, _ = _coordinate(w, np.array([0]))
    assert (kind, state) == ([coordination.HAND_OVER], [1])
    assert w["bcoord"][0] == 1
    w = _world(1)
    w["vstatus"][:] = TASKED
    w["bfirst"][0] = 0  # the coordinating RCC was also the first alerted: it keeps the case
    assert _coordinate(w, np.array([0]))[0] == []


def _fleet(status: list[int]):
    """Vessels at x = 0 with speed 10 km/h, one per status given; boat 0 at x = 5, ports 0 and 1 at x = 30 and x = 5."""
    V = len(status)
    return dict(
        vstatus=np.array(status, dtype=np.int8),
        vn=np.zeros(V, dtype=np.int64),
        vx=np.zeros(V),
        vy=np.zeros(V),
        vspeed=np.full(V, 10.0),
        vmerchant=np.zeros(V, dtype=bool),
        vblocked=np.zeros(V, dtype=bool),
        vport_days=np.full(V, 2.0),
        hours_with_people=np.zeros(V, dtype=np.int64),
        vtarget=np.full(V, -1, dtype=np.int64),
        at_station=np.ones(V, dtype=bool),
        sx=np.zeros(V),
        sy=np.zeros(V),
        vport=np.zeros(V, dtype=np.int64),
        rest_until=np.zeros(V, dtype=np.int64),
        days_at_sea=np.full(V, 3.0),
        vcap=np.full(V, 100.0),
        vbatch=np.zeros(V),
        vmax_hours=np.full(V, 36, dtype=np.int64),
        lane_k=np.full(V, -1, dtype=np.int64),
        lane_row=np.zeros(0, dtype=np.int64),
        lane_to=np.array([12.0]),
        lane_back=np.array([-50.0]),
        lane_y=np.array([0.0]),
        bn=np.array([10], dtype=np.int64),
        bx=np.array([5.0]),
        by=np.array([0.0]),
        port_x=np.array([30.0, 5.0]),
        port_y=np.array([0.0, 0.0]),
        vscene=np.full(V, -1, dtype=np.int64),
        vapproach=np.zeros(V),
        vper100=np.zeros(V),
        bstatus=np.array([DISTRESS], dtype=np.int64),
    )


def _hour(f: dict, h: int = 100):
    V = f["vstatus"].size
    out = [np.full(V, -1, dtype=np.int64) for _ in range(4)]
    fleet = columns.Vessels(*(f.get(name, np.zeros(V)) for name in columns.Vessels._fields))
    rest = [f[k] for k in "lane_row lane_to lane_back lane_y bn bx by bstatus port_x port_y".split()]
    n = vessels.vessels_hour(h, fleet, *rest, *out, np.ones(V, dtype=bool))
    return [o[:k].tolist() for o, k in zip(out[:3], n, strict=True)]


def test_vessel_hour_moves_each_vessel_by_its_status_at_the_start_of_the_hour():
    from model.vector_engine.state import IN_PORT, TO_HOME, TO_PORT

    f = _fleet([TASKED, TASKED, PATROL, PATROL, PATROL, TO_PORT, TO_HOME, IN_PORT, IN_PORT])
    f["vtarget"][:2] = [0, -1]  # vessel 1's boat is gone
    f["vn"][0] = f["vn"][4] = 5
    f["lane_k"][2], f["lane_row"], f["vmerchant"][2], f["at_station"][2], f["vspeed"][2] = (
        0,
        np.array([2]),
        True,
        False,
        15.0,
    )  # a merchant 12 km from its lane's end, at 15 km/h (merchants are never at a station)
    f["at_station"][3], f["sx"][3] = False, 25.0  # off station by 25 km
    f["vport"][5], f["vport"][6] = 1, 1  # port 1 is 5 km away
    f["rest_until"][7:] = [100, 101]
    rescue_rows, patrol_rows, landing_rows = _hour(f)
    assert rescue_rows == [0] and patrol_rows == [4] and landing_rows == [5]
    assert f["vx"].tolist() == [5.0, 0.0, 12.0, 10.0, 0.0, 5.0, 5.0, 0.0, 0.0]
    assert f["vstatus"].tolist() == [TASKED, PATROL, PATROL, PATROL, PATROL, TO_PORT, IN_PORT, PATROL, IN_PORT]
    assert f["vtarget"].tolist()[:2] == [0, -1] and f["hours_with_people"].tolist() == [1, 0, 0, 0, 1, 0, 0, 0, 0]
    assert (f["lane_to"][0], f["lane_back"][0]) == (-50.0, 12.0)  # it reached the end and turned
    assert f["at_station"].tolist() == [False, True, False, False, True, False, False, True, True]
    assert f["rest_until"][6] == 100 + 48 and f["days_at_sea"].tolist()[6:] == [3.0, 0.0, 3.0]
    f = _fleet([IN_PORT])
    f["vblocked"][0] = True  # a blocked ship never leaves port
    _hour(f)
    assert f["vstatus"][0] == IN_PORT


def test_a_patrolling_vessel_with_people_asks_for_a_port_when_full_enough_or_after_max_hours():
    f = _fleet([PATROL, PATROL, PATROL])
    f["vn"][:] = 5
    f["vbatch"][:] = [0.0, 0.6, 0.6]  # the first goes after its first rescue; the others batch until 60% full
    f["hours_with_people"][2] = 35  # ... or until 36 hours with people aboard (this hour makes 36)
    assert _hour(f)[1] == [0, 2]


def test_add_people_sums_types_into_profiles_and_the_day():
    person, day = np.zeros((3, 2, 2), dtype=np.int64), np.zeros((3, 2), dtype=np.int64)
    kernels.add_people(
        person, day, 1, np.array([2, 0, 2]), np.array([[1, 2, 3, 4], [5, 0, 0, 6], [1, 1, 1, 1]]), 2
    )  # by type: pairs per profile
    assert (
        person[:, 1].tolist() == [[5, 6], [0, 0], [5, 9]]
        and day[:, 1].tolist() == [11, 0, 14]
        and not person[:, 0].any()
    )
    kernels.add_people(person, day, 0, np.array([1]), np.array([[7, 8]]), 1)  # by profile
    assert person[1, 0].tolist() == [7, 8] and day[1, 0] == 15


def test_legal_channels_take_eligible_people_up_to_their_places_as_take_does():
    from model.vector_engine.streams import take

    rs = Streams([3, 4])
    n_types = 10
    wants = np.zeros((2, 2 * n_types), dtype=np.int64)
    wants[:, :n_types] = np.arange(1, n_types + 1)  # network 0: 1..10 people of each type
    wants[:, n_types:] = 2  # network 1: 2 of each
    eligible = np.zeros((2, n_types, 2), dtype=bool)
    eligible[:, :4, 0] = True  # channel 0: types 0-3 (profiles 0 and 1)
    eligible[:, :, 1] = True  # channel 1: everyone
    slots = np.array([[3.7, 500.0], [0.9, 2.0]])
    delay_h = np.array([[30, 0], [30, 0]], dtype=np.int64)
    legal_due = np.zeros((2, 5, 5), dtype=np.int64)
    status = np.zeros((2, 3), dtype=np.int64)
    status[:, 0] = wants.sum(axis=1)
    chosen = np.zeros_like(wants)
    day = 7
    launches.legal_choices(day, rs.keys, 21, slots, wants, chosen, eligible, delay_h, legal_due, status, 0, 1, n_types)
    # run 0: channel 0 takes 3 of the 22 eligible, as streams.take would; channel 1 takes everyone left (500 places)
    avail = np.where(np.tile(eligible[0, :, 0], 2), wants[0], 0)
    first = take(avail[None, :], np.array([3]), lambda i: rs.uniform(21, np.array([0]), day, 0))[0]
    assert first.sum() == 3 and not first[~np.tile(eligible[0, :, 0], 2)].any()
    assert (chosen[0] == wants[0]).all() and slots[0].tolist() == [3.7 - 3, 500.0 - (wants[0].sum() - 3)]
    assert (
        legal_due[0, (day + 2) % 5].sum() == 3 and legal_due[0, (day + 1) % 5].sum() == wants[0].sum() - 3
    )  # 30 h: 2 days; none: the next day
    np.testing.assert_array_equal(
        legal_due[0, (day + 2) % 5], [first[[0, 1, 10, 11]].sum(), first[[2, 3, 12, 13]].sum(), 0, 0, 0]
    )
    assert status[0].tolist() == [0, wants[0].sum(), 0]
    # run 1: no whole place in channel 0; two in channel 1
    assert chosen[1].sum() == 2 and slots[1].tolist() == [0.9, 0.0] and status[1].tolist() == [wants[1].sum() - 2, 2, 0]


def test_departures_draw_who_leaves_as_the_binomial_and_take_do():
    """The compiled daily choice to leave gives the draws of the array formulation.

    (binomial count, then systematic sampling by type).
    """
    from model.vector_engine.streams import binomial, take

    rng = np.random.default_rng(4)
    R, N, T = 6, 3, 10
    rs = Streams(list(range(20, 20 + R)))
    waiting = rng.integers(0, 40, (R, N, T))
    waiting[0, 0] = 0  # no one waiting at one network
    chosen = (rng.random((R, N * T)) < 0.3) * rng.integers(0, 5, (R, N * T))
    chosen = np.minimum(chosen, waiting.reshape(R, -1))
    p_go = rng.random((R, N))
    p_go[1, 1], p_go[2, 2] = 0.0, 1.0
    queue = rng.integers(0, 9, (R, N, T))
    day = 33
    rest = (waiting.reshape(R, -1) - chosen).reshape(R * N, T)
    runs, nets = np.repeat(np.arange(R), N), np.tile(np.arange(N), R)
    n_go = binomial(rest.sum(axis=1), p_go.ravel(), rs.uniform(5, runs, day, nets))
    go = take(rest, n_go, lambda i: rs.uniform(6, runs[i], day, nets[i])).reshape(R, N, T)
    want_waiting, want_queue = rest.reshape(R, N, T) - go, queue + go
    assert go[1, 1].sum() == 0 and go[2, 2].sum() == rest.reshape(R, N, T)[2, 2].sum() and 0 < go.sum() < rest.sum()
    assert launches.departures(day, rs.keys, 5, 6, waiting, chosen, p_go, queue) == 0
    np.testing.assert_array_equal(waiting, want_waiting)
    np.testing.assert_array_equal(queue, want_queue)


def test_the_detained_due_today_wait_again_and_their_slot_is_emptied():
    rng = np.random.default_rng(8)
    R, D, N, T = 3, 4, 2, 5
    due = rng.integers(0, 6, (R, D, N, T))
    due[1, 2] = 0  # a run with no one due today
    waiting = rng.integers(0, 9, (R, N, T))
    status = np.zeros((R, 3), dtype=np.int64)
    status[:, 1] = 100
    back = due[:, 2].sum(axis=(1, 2))
    want_due, want_waiting = due.copy(), waiting + due[:, 2]
    want_due[:, 2] = 0
    launches.release_detained(2, due, waiting, status, 1, 0)
    np.testing.assert_array_equal(waiting, want_waiting)
    np.testing.assert_array_equal(due, want_due)  # the other days' slots untouched
    assert (
        status[:, 0].tolist() == back.tolist()
        and status[:, 1].tolist() == (100 - back).tolist()
        and back[1] == 0 < back.min(initial=99, where=back > 0)
    )


def test_merchants_sail_their_lanes_unless_their_hour_is_another():
    """Merchants on patrol sail their lane (with people aboard they also count the hours).

    One whose boat is gone is back on patrol but does not move this hour.
    """
    f = _fleet([PATROL, PATROL, TASKED])
    f["vmerchant"][:] = True
    f["at_station"][:] = False  # (merchants are never at a station)
    f["lane_k"][:], f["lane_row"] = [0, 1, 2], np.array([0, 1, 2])
    f["lane_to"], f["lane_back"], f["lane_y"] = (
        np.array([40.0, -40.0, 40.0]),
        np.array([-40.0, 40.0, -40.0]),
        np.zeros(3),
    )
    f["vn"][1] = 3
    f["vtarget"][2] = -1  # its boat is gone
    rescue_rows, patrol_rows, landing_rows = _hour(f)
    assert f["vx"].tolist() == [10.0, -10.0, 0.0] and f["vstatus"].tolist() == [PATROL, PATROL, PATROL]
    assert f["hours_with_people"].tolist() == [0, 1, 0] and patrol_rows == [
        1
    ]  # (with no batch to wait for, people aboard send it to port)
    assert rescue_rows == landing_rows == []


def test_a_merchant_master_far_from_a_safe_port_declines_more_often():
    """Diversion aversion: compliance x exp(-a x km / 100).

    The only port is 100 km from the boat, so a = 50 makes acceptance all but impossible.
    """
    w = _world(1, V=1)
    kind, _, _, _, _ = _coordinate(w, np.array([0]))
    assert kind == [coordination.TASK]
    w = _world(1, V=1)
    w["div_aversion"][0] = 50.0
    kind, _, _, _, _ = _coordinate(w, np.array([0]))
    assert kind[0] == coordination.DECLINE


def test_a_vessel_on_scene_takes_the_people_after_its_on_scene_hours_or_at_once_if_the_boat_capsizes():
    """Approach 1 h + 2 h per 100 people for the boat's 10 people.

    Ceil(1.2) = 2 hours on scene; a capsized boat's people are pulled out at once.
    """
    f = _fleet([TASKED])
    f["vtarget"][0], f["vx"][0] = 0, 5.0  # at the boat
    f["vapproach"][0], f["vper100"][0] = 1.0, 2.0
    assert _hour(f, h=100)[0] == [] and f["vscene"][0] == 102
    assert _hour(f, h=101)[0] == []
    assert _hour(f, h=102)[0] == [0] and f["vscene"][0] == -1
    f = _fleet([TASKED])
    f["vtarget"][0], f["vx"][0] = 0, 5.0
    f["vapproach"][0] = 5.0
    assert _hour(f, h=100)[0] == []
    f["bstatus"][0] = CAPSIZED
    assert _hour(f, h=101)[0] == [0]
    f = _fleet([TASKED])  # no on-scene time: taken the hour it arrives, as before
    f["vtarget"][0], f["vx"][0] = 0, 5.0
    assert _hour(f, h=100)[0] == [0]


def test_plain_unnames_nested_named_tuples_and_keeps_the_same_arrays():
    """The hour's phases take plain tuples (faster through numba's dispatcher) and name them inside."""
    boats = columns.Boats(*(np.zeros(2) for _ in columns.Boats._fields))
    cols = (np.ones(3), boats, (boats, 5))
    flat = columns.plain(cols)
    assert type(flat) is tuple and type(flat[1]) is tuple and type(flat[2][0]) is tuple
    assert flat[0] is cols[0] and all(a is b for a, b in zip(flat[1], boats, strict=True)) and flat[2][1] == 5
