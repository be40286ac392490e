"""The columns and event rows the compiled code of the vectorised engine shares.

The handlers (:mod:`.boats`, :mod:`.coordination`, :mod:`.vessels`, :mod:`.ports`) take the
batch's columns as named tuples (:class:`RunConstants`, :class:`Boats`, :class:`Vessels`,
:class:`Ledger`; the boats' hazards as :class:`model.rules.boat_hour.Hazards`), count into the
ledgers by the indices below, and write events into a buffer of rows (:class:`EventRows`,
:func:`event_row`) that :class:`.step.Batch` appends to its log.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from model.outcomes import CASE_METRICS, EVENTS, PERSON_METRICS, STATUSES
from model.params import VESSEL_KINDS
from model.rules.boat_hour import Hazards  # noqa: F401  (the boats' hazard columns are the rule's table)

KIND_NGO = VESSEL_KINDS.index("ngo")


KIND_MERCHANT = VESSEL_KINDS.index("merchant")


ST_AT_SEA, ST_ABOARD, ST_INTERCEPTED, ST_DEAD, ST_MISSING, ST_LANDED = (
    STATUSES.index(s) for s in ("at_sea", "aboard_vessel", "intercepted", "dead", "missing", "landed")
)


PM_DEAD, PM_MISSING, PM_RESCUED, PM_INTERCEPTED, PM_ARRIVALS = (
    PERSON_METRICS.index(s) for s in ("dead", "missing", "rescued", "intercepted", "arrivals")
)


CM_CAPSIZES, CM_REQUESTS, CM_REFUSALS, CM_DISTRESS = (
    CASE_METRICS.index(s) for s in ("capsizes", "disembarkation_requests", "disembarkation_refusals", "distress_cases")
)


EV_CAPSIZE, EV_INTERCEPTION, EV_RESCUE, EV_REQUEST, EV_ACCEPTANCE, EV_REFUSAL = (
    EVENTS.index(s) for s in ("capsize", "interception", "rescue", "request", "acceptance", "refusal")
)


EV_DISTRESS, EV_ALERT, EV_COORDINATION = (EVENTS.index(s) for s in ("distress", "alert", "coordination"))


FAILED = -1  # returned when an inverse-CDF search does not converge (invalid parameters)


STILL_SAILING = -2  # returned if a tasked boat is not in distress (cases open only for boats in distress)


class EventRows:
    """A buffer of event rows that compiled loops fill.

    Integer columns (hour, code, run, case, vessel, state, persons) and float ones (x, y, aux).
    """

    def __init__(self, rows: int) -> None:
        self.ints = np.empty((rows, 7), dtype=np.int64)
        self.floats = np.empty((rows, 3))

    @classmethod
    def of(cls, ints: np.ndarray, floats: np.ndarray) -> EventRows:
        """A buffer over arrays a compiled function allocated."""
        ev = cls.__new__(cls)
        ev.ints, ev.floats = ints, floats
        return ev

    def rows(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the first ``n`` rows: (integer columns, float columns), as the event log keeps them."""
        return self.ints[:n].copy(), self.floats[:n].copy()


# One explicit signature: called with literal event codes, it would otherwise be compiled once per
# combination of literals (21 versions, 4 s of a fresh checkout's first run).
@numba.njit(
    "int64(int64[:, ::1], float64[:, ::1], int64, int64, int64, int64, int64, int64, "
    "int64, int64, float64, float64, float64)",
    cache=True,
)
def event_row(ev_i, ev_f, k, hour, code, run, case, vessel, state, persons, x, y, aux):
    """Write event row ``k`` (the columns of :meth:`.step.Batch.event`); returns ``k`` + 1."""
    ev_i[k, 0], ev_i[k, 1], ev_i[k, 2], ev_i[k, 3], ev_i[k, 4], ev_i[k, 5], ev_i[k, 6] = (
        hour,
        code,
        run,
        case,
        vessel,
        state,
        persons,
    )
    ev_f[k, 0], ev_f[k, 1], ev_f[k, 2] = x, y, aux
    return k + 1


@numba.njit(cache=True)
def add_counts(row, counts, sign):
    """``row += sign * counts``, element by element (an array expression here would allocate)."""
    for t in range(counts.size):
        row[t] += sign * counts[t]


class RunConstants(NamedTuple):
    """Each run's random keys and the constants the handlers at sea read (arrays over runs)."""

    keys: np.ndarray  # the runs' stream keys (streams.uniform)
    approach_p: np.ndarray
    capsize_share: np.ndarray
    body_share: np.ndarray
    retry_p: np.ndarray
    detention_h: np.ndarray
    unseen_body: np.ndarray
    merchant_approach: np.ndarray
    harm: np.ndarray  # (runs x states) interception deaths share
    harm_injury: np.ndarray  # (runs x states) interception injuries share


class Boats(NamedTuple):
    """The boats' columns (one row per boat of every run; rebuilt when the day's boats are renewed)."""

    brun: np.ndarray
    bid: np.ndarray
    bnet: np.ndarray
    btype: np.ndarray
    bstatus: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    bsrr: np.ndarray
    bcoord: np.ndarray
    bn: np.ndarray
    bpeople: np.ndarray
    btasked: np.ndarray
    bdetected: np.ndarray


class LaunchTables(NamedTuple):
    """What a launched boat's row is filled from (:func:`.launches.fill_boats`).

    The run's constants by network (runs x networks), boat type (runs x types) and departure state (runs x states).
    """

    net_x: np.ndarray
    net_y: np.ndarray
    net_fuel: np.ndarray  # (runs x networks x types)
    rated: np.ndarray
    boat_speed: np.ndarray
    net_tx: np.ndarray
    net_ty: np.ndarray
    net_state: np.ndarray
    int_zone: np.ndarray
    int_per_hour: np.ndarray
    distress_base: np.ndarray
    overload_exp: np.ndarray
    no_fuel: np.ndarray
    capsize_mean: np.ndarray
    deterioration: np.ndarray
    aboard_death: np.ndarray


class NewBoats(NamedTuple):
    """The rows of the day's launched boats that :func:`.launches.fill_boats` writes.

    Every boat column (:data:`.step.BOAT_COLS`) but the hazard ones (:class:`Hazards`, filled by
    :func:`model.rules.boat_hour.start`), then the people aboard by type, their number and the masters' declines.
    """

    brun: np.ndarray
    bnet: np.ndarray
    btype: np.ndarray
    bid: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    bstatus: np.ndarray
    bdetect_at: np.ndarray
    bdetected: np.ndarray
    bsrr: np.ndarray
    btasked: np.ndarray
    bopen: np.ndarray
    bseq: np.ndarray
    bfirst: np.ndarray
    bcoord: np.ndarray
    banswer: np.ndarray
    bpend_v: np.ndarray
    bpend_x: np.ndarray
    bpend_y: np.ndarray
    bpend_h: np.ndarray
    bspeed: np.ndarray
    btx: np.ndarray
    bty: np.ndarray
    bpeople: np.ndarray  # (boats x types)
    bn: np.ndarray
    bdeclined: np.ndarray  # (boats x vessels of a run): masters who declined this boat


class Vessels(NamedTuple):
    """The vessels' columns (one row per vessel of every run, run-major; never replaced, changed in place)."""

    vrun: np.ndarray  # the run
    vidx: np.ndarray  # the vessel's index within its run (fleet order)
    vstatus: np.ndarray  # model.rules.vessel_hour's statuses
    vtarget: np.ndarray  # the boat row it is tasked to (-1: none)
    vcap: np.ndarray
    vn: np.ndarray  # people aboard (the row sums of ``aboard``)
    vx: np.ndarray
    vy: np.ndarray
    vspeed: np.ndarray
    vmerchant: np.ndarray
    vtaskable: np.ndarray  # (rows, states): which RCCs may task it
    vpart_flag: np.ndarray  # flagged by a participant of a standing framework
    vblocked: np.ndarray  # out of service (rescue.out_of_service)
    vhunt: np.ndarray  # km within which it hunts boats on patrol (0: it does not)
    vkind: np.ndarray
    vflag: np.ndarray
    vhome: np.ndarray
    vreturns: np.ndarray
    vport: np.ndarray  # the port it is bound for or lands at
    vport_days: np.ndarray
    vendurance: np.ndarray
    vbatch: np.ndarray
    vmax_hours: np.ndarray
    vcase: np.ndarray
    aboard: np.ndarray  # (rows, types): people aboard by type
    hours_with_people: np.ndarray
    at_station: np.ndarray
    sx: np.ndarray  # its station
    sy: np.ndarray
    rest_until: np.ndarray
    days_at_sea: np.ndarray
    vscene: np.ndarray  # the hour its work on scene ends (-1: not on scene)
    vapproach: np.ndarray
    vper100: np.ndarray
    lane_k: np.ndarray  # its merchant lane (-1: none)
    rescue_srr: np.ndarray
    rescue_coord: np.ndarray
    rescue_heading: np.ndarray
    refused_days: np.ndarray
    asked: np.ndarray  # (rows, states): states asked during this wait
    relocate: np.ndarray


class Ledger(NamedTuple):
    """The ledgers the handlers at sea count into (first axis: runs)."""

    status: np.ndarray
    person: np.ndarray
    day_person: np.ndarray
    case: np.ndarray
    day_case: np.ndarray
    intercepted_by_state: np.ndarray
    rescued_by_actor: np.ndarray
    detained_due: np.ndarray


def plain(cols: tuple) -> tuple:
    """The same columns as a plain tuple, with every named tuple in it plain too.

    Numba's dispatcher takes plain tuples faster than named ones (a no-op compiled function given
    the boats' phase arguments: 10.0 against 16.4 us a call), so the hour's three compiled phases
    (:mod:`.phases`) take their columns plain and name them again inside.
    """
    return tuple(plain(c) if isinstance(c, tuple) else c for c in cols)
