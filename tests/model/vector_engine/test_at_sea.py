"""The compiled events at sea (model/vector_engine/boats.py, vessels.py, ports.py) on a real batch.

Rescues, requests for a port, interceptions, capsizes, deaths.

Each test launches a day of ``central_med_2016`` boats, puts a vessel on scene of the first boat
(or gives it people and a position), calls the batch's handler and checks what the rule says
happens: who is taken, who dies, who is returned, what the ledgers and the event log hold.
"""

from __future__ import annotations

import numpy as np
import pytest

from model.errors import ConservationError
from model.outcomes import CASE_METRICS, EVENTS, PERSON_METRICS, STATUSES
from model.scenarios import load
from model.vector_engine import boats
from model.vector_engine.columns import EventRows
from model.vector_engine.purposes import U_CAPSIZE_K, U_KILL, U_RETRY
from model.vector_engine.state import CAPSIZED, DISTRESS, PATROL, TASKED, TO_HOME, TO_PORT, WAITING
from model.vector_engine.step import Batch
from tests.model.vector_engine.handlers import disembark, distress, go_to_port, open_case, rescue

ST = {n: i for i, n in enumerate(STATUSES)}


def _batch(**overrides: object) -> Batch:
    s = load("central_med_2016").with_overrides({"world.start_date": "2016-06-01", "world.days": 3, **overrides})
    b = Batch(s, [0, 1], record_events=True)
    b.step()  # hour 0: the day's boats are launched
    b.events.clear()
    return b


def _on_scene(b: Batch, vessel: int, boat: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Vessel row ``vessel`` of the boat's run is tasked to the boat, in distress, and has reached it."""
    v = int(b.brun[boat]) * b.c.V + vessel
    b.bstatus[boat] = DISTRESS
    b.bsrr[boat], b.bcoord[boat] = 0, 0
    b.vstatus[v], b.vtarget[v], b.btasked[boat] = TASKED, boat, v
    b.vx[v], b.vy[v] = b.bx[boat], b.by[boat]
    return np.array([v]), np.array([boat])


def _events(b: Batch) -> list[tuple[str, int]]:
    """(event, persons) of the log so far."""
    return [(EVENTS[code], int(n)) for ints, _ in b.events for code, n in zip(ints[:, 1], ints[:, 6], strict=True)]


def _conserved(b: Batch) -> None:
    b.check()
    np.testing.assert_array_equal(b.count_statuses(), b.L.status)


def test_a_ship_with_room_takes_everyone_aboard_and_asks_for_a_port():
    b = _batch()
    b.c.approach_p[:] = 0.0
    v, boat = _on_scene(b, vessel=28)  # an NGO ship (400 places)
    n = int(b.bn[0])
    before = b.bpeople[0].copy()
    rescue(b, v, boat)
    assert b.bn[0] == 0 and b.vn[v[0]] == n and b.aboard[v[0]].tolist() == before.tolist()
    assert b.btasked[0] == -1 and b.vtarget[v[0]] == -1 and b.vcase[v[0]] == b.bid[0]
    assert b.L.person[0, PERSON_METRICS.index("rescued")].sum() == n and b.L.rescued_by_actor[0, b.vkind[v[0]]] == n
    assert _events(b)[0] == ("rescue", n)
    assert b.vstatus[v[0]] in (PATROL, WAITING, TO_PORT)  # an NGO ship batches rescues (P6) unless this one filled it
    _conserved(b)


def test_a_small_ship_takes_only_its_free_places():
    b = _batch()
    b.c.approach_p[:] = 0.0
    v, boat = _on_scene(b, vessel=2)  # an Italian patrol boat: 80 places
    b.vn[v[0]], b.aboard[v[0], 0] = 30, 30  # 30 already aboard (and in the ledger)
    b.L.status[0, ST["aboard_vessel"]] += 30
    b.L.created[0] += 30
    n = int(b.bn[0])
    rescue(b, v, boat)
    assert b.vn[v[0]] == 80 and b.bn[0] == n - 50
    assert (
        b.vstatus[v[0]] in (WAITING, TO_PORT) and b.first_request[v[0]] == b.hour
    )  # full: it stops searching and asks for a place of safety
    assert [e for e, _ in _events(b)][:2] == ["rescue", "request"]
    _conserved(b)


def test_a_departure_states_vessel_returns_the_people_it_takes():
    b = _batch()
    b.c.approach_p[:] = 0.0
    b.c.retry_p[:] = 1.0  # all will try again after detention
    v, boat = _on_scene(b, vessel=22)  # a Libyan coast guard vessel
    n = int(b.bn[0])
    rescue(b, v, boat)
    assert b.L.status[0, ST["intercepted"]] == n and b.L.intercepted_by_state[0, b.vflag[v[0]]] == n
    assert b.detained_due[0].sum() == n  # due back at their network after detention
    assert b.vstatus[v[0]] == TO_HOME and b.vn[v[0]] == 0
    assert _events(b) == [("interception", n)]
    _conserved(b)


def test_a_boat_that_capsizes_on_approach_loses_people_before_the_rescue():
    b = _batch()
    b.c.approach_p[:] = 1.0
    b.c.capsize_share[:] = 0.5
    v, boat = _on_scene(b, vessel=28)
    n = int(b.bn[0])
    rescue(b, v, boat)
    dead = int(b.L.status[0, ST["dead"]] + b.L.status[0, ST["missing"]])
    assert 0 < dead < n and b.bstatus[0] == CAPSIZED
    assert _events(b) == [("capsize", dead), ("rescue", n - dead)]
    assert b.L.case[0, CASE_METRICS.index("capsizes")] == 1
    _conserved(b)


def _waiting_ship(b: Batch, vessel: int = 28) -> np.ndarray:
    v = np.array([vessel])  # run 0
    b.vn[v], b.aboard[v, 0] = 50, 50
    b.L.status[0, ST["aboard_vessel"]] += 50
    b.L.created[0] += 50
    b.rescue_srr[v], b.rescue_coord[v] = 3, 3  # rescued in Libya's SRR, Libya coordinating
    return v


def test_under_a_standing_framework_a_participant_always_accepts_and_relocates():
    b = _batch(**{"policy.cooperation.framework": "standing", "policy.cooperation.participants": ["Italy", "Malta"]})
    v = _waiting_ship(b)
    go_to_port(b, v)
    assert b.vstatus[v[0]] == TO_PORT and b.relocate[v[0]]
    port = b.vport[v[0]]
    geo = b.c.geo
    assert geo.port_state[port] in (0, 1) and port == geo.nearest_ports(b.vx[v], b.vy[v], geo.port_state[[port]])[0]
    assert _events(b)[-1][0] == "acceptance" and len(b.L.waits_days) == 1


def test_when_every_state_refuses_the_ship_waits_and_each_refusal_is_counted():
    b = _batch()
    b.c.accept_base[:] = 0.0
    v = _waiting_ship(b)
    go_to_port(b, v)
    asked = int(b.asked[v[0]].sum())
    assert asked >= 1 and b.vstatus[v[0]] == WAITING
    assert b.L.case[0, CASE_METRICS.index("disembarkation_refusals")] == asked == b.L.refusals_by_state[0].sum()
    assert b.L.case[0, CASE_METRICS.index("disembarkation_requests")] == asked
    assert [e for e, _ in _events(b)] == ["request", "refusal"] * asked
    assert not b.L.waits_days


@pytest.mark.parametrize("vessel", [2, 28])
def test_the_compiled_handlers_keep_a_run_independent_of_its_batch(vessel):
    """The same rescue in run 0 of a batch of two and of a batch of one gives the same state."""
    out = []
    for seeds in ([0], [0, 1]):
        s = load("central_med_2016").with_overrides({"world.start_date": "2016-06-01", "world.days": 3})
        b = Batch(s, seeds, record_events=True)
        b.step()
        b.c.approach_p[:] = 0.5
        v, boat = _on_scene(b, vessel)
        rescue(b, v, boat)
        out.append((b.bpeople[0].tolist(), b.aboard[v[0]].tolist(), b.L.status[0].tolist(), int(b.vstatus[v[0]])))
    assert out[0] == out[1]


def test_a_departure_states_patrol_stops_a_boat_and_returns_everyone():
    b = _batch()
    b.c.retry_p[:] = 0.0
    n = int(b.bn[0])
    ev = EventRows(1)
    k = boats.intercept_boats(b.hour, np.array([0]), np.array([3]), U_RETRY, *b._at_sea(), ev.ints, ev.floats)
    b._events_from(ev, k)
    assert b.bn[0] == 0 and not b.bpeople[0].any()
    assert b.L.status[0, ST["intercepted"]] == n and b.L.intercepted_by_state[0, 3] == n and not b.detained_due.any()
    assert _events(b) == [("interception", n)] and b.events[0][0][0, 4] == -2  # by a patrol, no vessel row
    _conserved(b)


def test_boats_capsizing_in_the_sea_and_deaths_in_the_water():
    b = _batch()
    b.bstatus[[0, 1]] = DISTRESS
    b.c.capsize_share[:] = 1.0  # everyone aboard goes into the water
    b.c.body_share[:] = 0.0  # and is missing
    ev = EventRows(2)
    n = b.bn[[0, 1]].copy()
    b._events_from(
        ev,
        boats.capsize_boats(
            b.hour, np.array([0, 1]), 0.0, U_CAPSIZE_K, U_KILL["capsize"], *b._at_sea(), ev.ints, ev.floats
        ),
    )
    assert (b.bstatus[[0, 1]] == CAPSIZED).all() and (b.bn[[0, 1]] == 0).all()
    assert _events(b) == [("capsize", int(n[0])), ("capsize", int(n[1]))]
    assert b.events[0][1][:, 2].tolist() == [0.0, 0.0]  # aux: capsized by itself, not on approach
    assert b.L.status[:, ST["missing"]].sum() == n.sum()
    _conserved(b)
    b2 = _batch()
    b2.c.body_share[:] = 1.0
    m = int(b2.bn[0])
    assert boats.kill(b2.hour, 0, 3, U_KILL["water"], *b2._at_sea()) == 0  # three people drown
    assert (
        b2.bn[0] == m - 3
        and b2.L.status[b2.brun[0], ST["dead"]] == 3
        and b2.L.person[b2.brun[0], PERSON_METRICS.index("dead")].sum() == 3
    )
    _conserved(b2)


def test_the_hourly_check_catches_a_ledger_that_does_not_add_up():
    b = _batch()
    b.check()
    b.L.status[1, ST["at_sea"]] += 1  # run 1 (seed 1) holds one person too many
    with pytest.raises(ConservationError, match="seed 1"):
        b.check()
    b.L.status[1, ST["at_sea"]] -= 1
    b.L.status[0, ST["dead"]] -= 1  # a negative count, balanced elsewhere
    b.L.status[0, ST["at_sea"]] += 1
    assert b.L.status[0, ST["dead"]] < 0
    with pytest.raises(ConservationError, match="seed 0"):
        b.check()


def test_landing_counts_arrivals_reception_and_the_days_landings_for_screening():
    from model.vector_engine.state import UAC_TYPES

    b = _batch()
    people = b.bpeople[[0]].copy()
    people[0, np.flatnonzero(UAC_TYPES)[0]] += 2  # two more children (also in the ledger)
    b.L.status[0, ST["at_sea"]] += 2
    b.L.created[0] += 2
    n, children = int(people.sum()), int(people[0, UAC_TYPES].sum())
    port = np.array([0])
    s = b.c.geo.port_state[0]
    occ, landed = b.occ[0, s], b.L.status[0, ST["landed"]]
    b.bpeople[0], b.bn[0] = 0, 0
    b.land(np.array([0]), port, people, "at_sea", np.array([b.bid[0]]), np.array([-1]), unassisted=True)
    assert (
        b.L.status[0, ST["landed"]] == landed + n
        and b.L.arrivals_by_state[0, s] == n
        and b.occ[0, s] == occ + n
        and b.today[0, s] == n
    )
    assert b.L.person[0, PERSON_METRICS.index("arrivals")].sum() == n
    assert (
        b.landed[0, s, UAC_TYPES].sum() == children and b.landed.sum() == n
    )  # screened at the day's end (model/rules/protection.py)
    assert (
        b.L.person[0, PERSON_METRICS.index("children_referred")].sum() == 0
    )  # referral takes a child-protection officer, not a landing
    assert _events(b) == [("unassisted_arrival", n)] and b.events[0][0][0, 5] == s and b.events[0][1][0, 2] == 0.0
    _conserved(b)


def test_distress_calls_and_who_coordinates_the_case():
    b = _batch()
    b.c.report_p[:], b.c.call_delay_h[:], b.c.sighting_p[:] = 1.0, 0.0, 0.0  # a call at once
    distress(b, np.array([0]))
    assert b.bstatus[0] == DISTRESS and b.bdetect_at[0] == b.hour and np.isfinite(b.bthr_cap[0])
    assert b.L.case[b.brun[0], CASE_METRICS.index("distress_cases")] == 1 and _events(b) == [("distress", int(b.bn[0]))]
    b.c.report_p[:] = 0.0  # no call and never seen: the case never reaches an RCC
    distress(b, np.array([1]))
    assert b.bdetect_at[1] == np.inf
    b.events.clear()
    b.bsrr[0] = 3
    b.c.willing[:] = 0.0  # the SRR's state will not coordinate: the first RCC alerted does
    open_case(b, np.array([0]))
    assert b.bopen[0] and b.bdetected[0] and b.bcoord[0] == b.bfirst[0]
    assert [e for e, _ in _events(b)] == ["alert", "coordination"] and b.events[0][1][1, 2] == 1.0
    b.c.willing[:] = 1.0
    b.bsrr[1] = 3
    open_case(b, np.array([1]))
    assert b.bcoord[1] == 3 and b.bseq[1] == b.bseq[0] + 1


def test_a_ship_lands_its_people_then_patrols_again_or_rests_at_the_end_of_its_endurance():
    from model.vector_engine.state import IN_PORT

    b = _batch(**{"policy.cooperation.framework": "standing", "policy.cooperation.participants": ["Italy", "Malta"]})
    v = _waiting_ship(b)
    go_to_port(b, v)  # accepted: to port, relocation owed
    w = _waiting_ship(b, vessel=29)
    go_to_port(b, w)
    ships = np.r_[v, w]
    aboard, ports = b.aboard[ships].copy(), b.vport[ships].copy()
    b.vendurance[w[0]], b.days_at_sea[w[0]], b.vport_days[w[0]] = (
        10.0,
        12.0,
        2.5,
    )  # the second ship is past its endurance
    landed = b.L.status[:, ST["landed"]].copy()
    b.events.clear()
    disembark(b, ships)
    assert (b.aboard[ships] == 0).all() and (b.vn[ships] == 0).all() and not b.relocate[ships].any()
    assert (
        (b.vcase[ships] == -1).all() and (b.rescue_srr[ships] == -1).all() and (b.hours_with_people[ships] == 0).all()
    )
    assert b.vstatus[v[0]] == PATROL and b.vstatus[w[0]] == IN_PORT and b.rest_until[w[0]] == b.hour + 60
    assert [e for e, _ in _events(b)] == ["landing", "landing"] and [n for _, n in _events(b)] == aboard.sum(
        axis=1
    ).tolist()
    assert b.L.status[:, ST["landed"]].sum() == landed.sum() + aboard.sum()
    assert b.events[0][1][:, 2].tolist() == ports.astype(float).tolist()
    assert (
        len(b._landed_to_relocate) == 1 and not b.reloc
    )  # the landing under the framework is noted, its relocation drawn at the day's start
    b._schedule_relocations()
    assert len(b.reloc) == 1 and not b._landed_to_relocate  # the relocation owed is scheduled
    _conserved(b)


def test_patrols_stop_boats_in_their_zone_and_a_boat_that_left_it_is_not_checked_again():
    b = _batch()
    b.c.retry_p[:] = 0.0
    rows = np.flatnonzero(b.bstate >= 0)[:3]
    assert rows.size == 3
    b.bstatus[rows] = DISTRESS  # (boats in distress do not move, and patrols still stop them)
    b.bdetect_at[rows] = np.inf
    b.bint_p[rows], b.bthr_int[rows] = 0.5, 1e-9  # any hazard at all stops a boat
    zone = b.bzone[rows].copy()
    assert (zone > 0).all()
    b.bx[rows] = (
        b.box[rows] + np.array([0.0, 0.5, 50.0]) + zone * np.array([0.0, 1.0, 1.0])
    )  # in the zone; 0.5 km out; 50 km out
    b.by[rows] = b.boy[rows]
    n = b.bn[rows].copy()
    b._boats(b.hour)
    assert b.bn[rows].tolist() == [0, n[1], n[2]]  # only the boat in the zone is stopped
    assert (
        b.bzone[rows[1]] == zone[1] and b.bzone[rows[2]] == -np.inf
    )  # the one far out is marked, so no distance is computed again
    b.bx[rows[2]] = b.box[rows[2]]  # (a boat never returns; if one did, it would not be checked)
    b._boats(b.hour)
    assert b.bn[rows[2]] == n[2]
