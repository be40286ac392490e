"""The hourly step over whole arrays: many runs at once, the rules of ``model/rules`` on columns.

:class:`Batch` holds R runs, of one scenario or of compatible variants (every scenario value has a
run axis in :class:`Constants`). One call of :meth:`Batch.step` advances every run by an hour in
the Mesa engine's order (daily decisions at hour 0; boats; RCC coordination; rescue vessels; the
conservation check; the day's row at hour 23; the once-a-day phases are in :mod:`.day`), each
phase one pass over the arrays of all runs. Python work per hour is therefore paid once per batch,
not once per run. Where array code would pay per row for many small steps (every event handler:
RCC tasking, the vessels' and boats' hours, rescues, port requests, landings, launches), the pass
is a compiled loop over the rows (:mod:`.coordination`, :mod:`.vessels`, :mod:`.boats`,
:mod:`.ports`, :mod:`.launches`), and the boats', the coordination and the vessels' phases are one
compiled call each (:mod:`.phases`), so that the Python between the handlers is paid once an
hour. The boats' columns are views of three blocks (float, int, bool)
with room to grow: empty boats are dropped in place once a day and the day's launches fill the
rows after them.

Every random number is drawn from the run's own counter-based stream (:mod:`.streams`), addressed
by (purpose, hour, entity, sub-index), so a run's draws, and so its result, are the same alone or
in a batch of any size. Where the Mesa engine acts on one agent after another (RCC tasking, boats
loaded from a queue), the compiled loops do too. Differences from the Mesa engine, all by design,
are listed in ``docs/ODD.md`` ("The two engines").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from model.errors import ConservationError
from model.outcomes import STATUSES
from model.params import Scenario
from model.rules import (
    burden,
    departure,
    disembarkation,
    protection,
)
from model.vector_engine import columns, coordination, kernels, launches, phases, ports
from model.vector_engine.columns import EventRows
from model.vector_engine.day import Day
from model.vector_engine.purposes import (
    CM,
    EV,
    PM,
    ST,
    U_ABOARD_K,
    U_ACCEPT,
    U_ALERT,
    U_APPROACH,
    U_CAPSIZE,
    U_CAPSIZE_K,
    U_DELAY,
    U_DETAIN,
    U_ENDURANCE,
    U_FLEET_A,
    U_FLEET_R,
    U_KILL,
    U_LANE_DIR,
    U_LANE_X,
    U_MERCHANT,
    U_RELOC_K,
    U_RELOC_PROF,
    U_RELOC_STATE,
    U_REPORT,
    U_RETRY,
    U_SEIZE,
    U_SIGHT,
    U_SILENT,
    U_TAKE,
    U_WATER_K,
    U_WILLING,
)
from model.vector_engine.state import (
    IN_PORT,
    N_PROFILES,
    N_TYPES,
    PATROL,
    STANCE_ATTRS,
    TO_PORT,
    VESSEL_COLUMNS,
    VULNERABLE_TYPE,
    Constants,
    Ledgers,
    to_profiles,
)
from model.vector_engine.streams import Streams, binomial, take

# 63 (U_HARM_INJURED): injuries among the survivors of an interception (.boats.harm)


# The boats' columns (attributes of Batch), one row per boat.
BOAT_COLS = (
    *(
        "brun",
        "bnet",
        "btype",
        "bid",
        "bx",
        "by",
        "bfuel",
        "bover",
        "bstatus",
        "bdetect_at",
        "bdetected",
        "bsrr",
        "btasked",
        "bopen",
    ),
    *(
        "bseq",
        "bfirst",
        "bcoord",
        "banswer",
        "bpend_v",
        "bpend_x",
        "bpend_y",
        "bpend_h",
        "bhaz",
        "bthr",
        "bhaz_int",
        "bthr_int",
        "bhaz_cap",
        "bthr_cap",
    ),
    # the run's constants each boat reads every hour, copied at launch (a 1-D gather is cheaper than a (run, index)
    # one);
    # bzone becomes -inf once the boat has left its departure state's interception zone for good
    *(
        "bspeed",
        "btx",
        "bty",
        "bstate",
        "box",
        "boy",
        "bzone",
        "bint_p",
        "bdist_base",
        "bover_exp",
        "bno_fuel",
        "bcap_mean",
    ),
    # each hazard's hourly step, kept while what it depends on (the day's weather, fuel left) is unchanged (nan: none
    # yet)
    *("bstep_int", "bstep_dis", "bstep_dis_w", "bstep_dis_fuel", "bstep_cap", "bstep_cap_w"),
    # capsize checks passed in distress, and the boat type's deterioration per hour
    # (world.boats.*.deterioration_per_hour)
    *("bdis_hours", "bdeter"),
    # hours afloat, and the boat type's deaths aboard per hour (world.boats.*.aboard_death_per_hour)
    *("bafloat", "baboard"),
)
FLOAT_COLS = frozenset(
    (
        "bx",
        "by",
        "bfuel",
        "bover",
        "bdetect_at",
        "bpend_x",
        "bpend_y",
        "bhaz",
        "bthr",
        "bhaz_int",
        "bthr_int",
        "bhaz_cap",
        "bthr_cap",
    )
    + ("bspeed", "btx", "bty", "box", "boy", "bzone", "bint_p", "bdist_base", "bover_exp", "bno_fuel", "bcap_mean")
    + ("bstep_int", "bstep_dis", "bstep_dis_w", "bstep_dis_fuel", "bstep_cap", "bstep_cap_w")
    + ("bdis_hours", "bdeter", "bafloat", "baboard")
)

BOOL_COLS = ("bdetected", "bopen")
# the boats' columns live as rows of three blocks, one per dtype, with room to grow (``Batch._blocks``)
FLOAT_BLOCK = tuple(name for name in BOAT_COLS if name in FLOAT_COLS)
INT_BLOCK = (
    *(name for name in BOAT_COLS if name not in FLOAT_COLS and name not in BOOL_COLS),
    "bn",
)  # bn: people aboard (row sums of bpeople)


class Batch(Day):
    """R runs stepped together (see module docstring).

    Args:
        scenario: the scenario every run uses, or one scenario per run (variants that share
            places, networks, channels and calendar: :func:`~model.vector_engine.state.batch_key`).
        seeds: one seed per run; run k's result depends only on ``seeds[k]`` and its scenario.
        record_events: keep the case event log: for every run, or one flag per run (a sweep keeps
            the log of its first replicates only, and they share a batch with the others).
    """

    def __init__(
        self, scenario: Scenario | Sequence[Scenario], seeds: Sequence[int], record_events: bool | Sequence[bool] = True
    ) -> None:
        self.seeds = [int(s) for s in seeds]
        self.R = R = len(self.seeds)
        self.scenarios = [scenario] * R if isinstance(scenario, Scenario) else list(scenario)
        if len(self.scenarios) != R:
            raise ValueError(f"{len(self.scenarios)} scenarios for {R} seeds: give one scenario, or one per seed")
        self.c = c = Constants.for_runs(self.scenarios)
        self.rs = Streams(self.seeds)
        self.days = len(c.dates)
        self.L = Ledgers(R, c.S, self.days)
        self.keep_events = np.broadcast_to(np.asarray(record_events, dtype=bool), (R,)).copy()  # per run
        self.record_events = bool(self.keep_events.any())
        self._keep_all = bool(self.keep_events.all())
        self.events: list[tuple[np.ndarray, np.ndarray]] = []  # blocks of rows: (ints (n, 7), floats (n, 3))
        self.hour = 0
        self.runs = np.arange(R)
        S, N, V, T = c.S, c.N, c.V, N_TYPES
        # states
        self.occ = c.initial_occupancy.copy()
        self.recent = np.zeros((R, S, 7), dtype=np.int64)  # arrivals on each of the last 7 days (a ring)
        self.recent_sum = np.zeros((R, S), dtype=np.int64)
        self.precedent = np.zeros(
            (R, S)
        )  # groups let land on request lately, each halved every precedent_half_life_days
        self.today = np.zeros((R, S), dtype=np.int64)
        # burden sharing (model/rules/landing.py): people landed under a framework this calendar year, whose turn it is
        self.fw_year = np.zeros((R, S), dtype=float)
        self.fw_turn = np.zeros(R, dtype=np.int64)
        # screening after landing (model/rules/protection.py): the day's landings by state and type, and the queues
        self.landed = np.zeros((R, S, T), dtype=np.int64)
        wait = int(c.protection_facts[:, protection.F["max_wait_days"]].max())
        self.screening = protection.Queues.empty(R, S, wait, N_PROFILES)
        self.screening_queued = np.zeros((R, S, 2), dtype=np.int64)
        self.screening_queue_max = np.zeros(R, dtype=np.int64)
        self.crisis_waiting = np.zeros(
            (R, 2), dtype=np.int64
        )  # a crisis's workers awaiting evacuation: without, with travel documents
        # people before the sea
        self.waiting = np.zeros((R, N, T), dtype=np.int64)
        self.queue = np.zeros((R, N, T), dtype=np.int64)
        self.slots = np.zeros((R, c.C))
        self.p_go = 1.0 - c.p_wait  # each day's chance that someone still waiting leaves with a smuggler
        self.perceived = np.zeros(
            (self.R, len(departure.PERCEIVED))
        )  # fading counts of deaths, returns, departures (departure.perceived_update)
        # people due back on a later day, in rings of days (a slot is emptied on its day, then reused)
        later = [ch.scenario for v in c.variants for ch in v.changes.values()]  # scenarios dated changes bring in
        self.change_names = sorted(
            {e.name for v in c.variants for ch in v.changes.values() for e in ch.entries}
        )  # (policy_change events' aux)
        delay_h = max(
            [int(c.channel_delay_h.max(initial=0))]
            + [int(ch.processing_days * 24) for s in later for ch in s.policy.legal.channels.values()]
        )
        detention_h = max([int(c.detention_h.max())] + [int(s.world.demand.detention_days * 24) for s in later])
        self.legal_due = np.zeros((R, max(0, delay_h) // 24 + 3, N_PROFILES), dtype=np.int64)
        self.detained_due = np.zeros((R, detention_h // 24 + 3, N, T), dtype=np.int64)
        self.reloc: list[
            tuple[np.ndarray, ...]
        ] = []  # (due hour, run, source state, counts by state, by profile, case id)
        self.arrests_since_day = np.zeros(R, dtype=np.int64)  # the day each run's arrests' cut in force took effect
        self._landed_to_relocate: list[
            tuple[np.ndarray, ...]
        ] = []  # (hour, run, state, people by type, case id, vessel key) since the day began
        # weather
        self.anomaly = np.zeros(R)
        self.sea = np.zeros(R)
        self.wmult = np.ones(R)
        self.water_p = np.zeros(R)
        # vessels: R x V rows, run-major
        RV = R * V
        self.vrun = np.repeat(self.runs, V)
        self.vidx = np.tile(np.arange(V), R)
        vi, vr = self.vidx, self.vrun
        for row, col in VESSEL_COLUMNS.items():  # vspeed, vcap, ..., vtaskable (rows, states): who may task each vessel
            setattr(self, row, getattr(c, col)[vr, vi])
        self.vmax_hours = c.max_hours[vr]
        r = c.v_radius[vr, vi] * np.sqrt(self.rs.uniform(U_FLEET_R, self.vrun, 0, vi))
        a = 2 * np.pi * self.rs.uniform(U_FLEET_A, self.vrun, 0, vi)
        self.sx, self.sy = c.v_cx[vr, vi] + r * np.cos(a), c.v_cy[vr, vi] + r * np.sin(a)
        m = self.vmerchant
        self._vessel_out = (
            *(np.empty(RV, dtype=np.int64) for _ in range(4)),
            np.empty(RV, dtype=bool),
        )  # rows the hour's loop hands back, and its scratch
        self._coordination_events = (EV["decline"], EV["tasking"], EV["coordination"])
        self._rescue_purposes = (U_APPROACH, U_KILL["approach"], U_CAPSIZE_K, U_TAKE, U_RETRY)
        self._distress_args = ((U_REPORT, U_DELAY, U_SIGHT, U_CAPSIZE), c.report_p, c.call_delay_h, c.sighting_p)
        self._srr = (
            c.geo.srr_x,
            c.geo.srr_y,
            c.geo.srr_start,
            c.geo.srr_state,
        )  # the SRR polygons, packed for compiled code
        self._work: dict[
            str, np.ndarray | EventRows
        ] = {}  # the handlers' reusable work arrays (:meth:`_scratch`, :meth:`_event_rows`)
        self._columns: dict[str, tuple[np.ndarray, ...]] | None = (
            None  # the columns the compiled handlers take, until the boats' rows change
        )
        self._hunters: np.ndarray | None = None  # vessel rows that hunt boats on patrol, until a dated change
        # merchants' lanes in compact columns, one entry per merchant row, found through lane_k (-1: no lane)
        self.lane_k = np.full(RV, -1, dtype=np.int64)
        self.lane_k[m] = np.arange(int(m.sum()))
        self.lane_row = np.flatnonzero(m)  # each lane's vessel row
        x0, x1, self.lane_y = c.lane[vr[m], 0], c.lane[vr[m], 1], c.lane[vr[m], 2]
        self.lane_to = np.where(self.rs.uniform(U_LANE_DIR, self.vrun[m], 0, vi[m]) < 0.5, x1, x0)  # the lane end ahead
        self.lane_back = np.where(self.lane_to == x1, x0, x1)
        self.sx[m] = x0 + (x1 - x0) * self.rs.uniform(U_LANE_X, self.vrun[m], 0, vi[m])
        self.sy[m] = self.lane_y
        self.vhome = c.v_home[vr, vi].copy()
        if m.any():
            self.vhome[m] = c.geo.nearest_ports(self.sx[m], self.sy[m])
        self.vx, self.vy = self.sx.copy(), self.sy.copy()
        self.vstatus = np.full(RV, PATROL, dtype=np.int8)  # narrow: scanned several times an hour
        self.days_at_sea = np.where(
            self.vendurance > 0, self.vendurance * self.rs.uniform(U_ENDURANCE, self.vrun, 0, vi), 0.0
        )
        b = self.vblocked
        self.vstatus[b] = IN_PORT
        self.vx[b], self.vy[b] = c.geo.port_x[self.vhome[b]], c.geo.port_y[self.vhome[b]]
        self.aboard = np.zeros((RV, T), dtype=np.int64)
        self.vn = np.zeros(RV, dtype=np.int64)  # people aboard (the row sums of `aboard`)
        self.at_station = ~self.vblocked & ~self.vmerchant  # non-merchant vessels on patrol at their station stay put
        self.vtarget = np.full(RV, -1, dtype=np.int64)
        self.vscene = np.full(
            RV, -1, dtype=np.int64
        )  # on scene of its boat: the hour it takes the people aboard (rescue.scene_done_hour); -1: not on scene
        self.vport = np.full(RV, -1, dtype=np.int64)
        self.hours_with_people = np.zeros(RV, dtype=np.int64)
        self.vcase = np.full(RV, -1, dtype=np.int64)
        self.rescue_srr = np.full(RV, -1, dtype=np.int64)
        self.rescue_coord = np.full(RV, -1, dtype=np.int64)
        self.rescue_heading = np.full(RV, -1, dtype=np.int64)  # the state the first boat rescued was heading for
        self.pledged = np.zeros(RV, dtype=bool)  # a flag state without a port pledged to take the people (this wait)
        self.first_request = np.full(RV, -1, dtype=np.int64)
        self.compliance_today = np.array(
            self.c.compliance, dtype=float
        )  # masters' compliance, lowered by today's waits (rescue.merchant_compliance)
        self.refused_days = np.zeros(RV, dtype=np.int64)
        self.asked = np.zeros((RV, S), dtype=bool)
        self.relocate = np.zeros(RV, dtype=bool)
        self.rest_until = np.full(RV, -1, dtype=np.int64)
        # each scenario's request order, as step codes (a row per variant, -1 padded) for the compiled requests
        orders = [[disembarkation.STEP_CODES[step] for step in vc.request_order] for vc in c.variants]
        self.request_n_steps = np.array([len(o) for o in orders], dtype=np.int64)
        self.request_steps = np.full((len(orders), max(1, int(self.request_n_steps.max()))), -1, dtype=np.int64)
        for j, o in enumerate(orders):
            self.request_steps[j, : len(o)] = o
        # boats: rows added at launch, removed once a day when empty
        self.next_bid = np.zeros(R, dtype=np.int64)
        self.case_counter = 0
        self._empty_boats()

    # --- boats' columns ---------------------------------------------------------------------------

    def _new_blocks(self, rows: int) -> tuple[np.ndarray, ...]:
        """Storage for ``rows`` boats.

        Blocks of float, int and bool columns (a column per row), people by type and masters' declines (a boat per row).
        """
        return (
            np.empty((len(FLOAT_BLOCK), rows)),
            np.empty((len(INT_BLOCK), rows), dtype=np.int64),
            np.empty((len(BOOL_COLS), rows), dtype=bool),
            np.empty((rows, N_TYPES), dtype=np.int64),
            np.empty((rows, self.c.V), dtype=bool),
        )

    def _bind_boats(self, n: int) -> None:
        """Point the boats' column attributes at the first ``n`` rows of the blocks (views: writes go to the blocks)."""
        floats, ints, bools, people, declined = self._blocks
        for block, names in ((floats, FLOAT_BLOCK), (ints, INT_BLOCK), (bools, BOOL_COLS)):
            for j, name in enumerate(names):
                setattr(self, name, block[j, :n])
        self.bpeople, self.bdeclined = people[:n], declined[:n]
        self._columns = None

    def _empty_boats(self) -> None:
        self._blocks = self._new_blocks(0)
        self._bind_boats(0)

    def _renew_boats(self, launched: tuple[np.ndarray, ...] = ()) -> None:
        """Once a day: drop the boats with no one aboard.

        (in place, compiled: :func:`.launches.compact`) and append the day's launches (:meth:`_launch`'s output;
        compiled: :func:`.launches.fill_boats`).
        """
        keep = self.bn > 0
        n_new = launched[0].size if launched else 0
        if keep.all() and not n_new:
            return
        nk = launches.compact(keep, *self._blocks)
        rows = self._blocks[0].shape[1]
        if nk + n_new > rows:  # room for twice as many, so that growing is rare
            grown = self._new_blocks(max(2 * rows, nk + n_new, 64))
            for old, new in zip(self._blocks[:3], grown[:3], strict=True):
                new[:, :nk] = old[:, :nk]
            for old, new in zip(self._blocks[3:], grown[3:], strict=True):
                new[:nk] = old[:nk]
            self._blocks = grown
        if n_new:
            c = self.c
            floats, ints, bools, people, declined = self._blocks
            where = {
                name: (block, j)
                for block, names in ((floats, FLOAT_BLOCK), (ints, INT_BLOCK), (bools, BOOL_COLS))
                for j, name in enumerate(names)
            }
            rows = {name: where[name][0][where[name][1], nk : nk + n_new] for name in (*BOAT_COLS, "bn")}
            rows["bpeople"], rows["bdeclined"] = people[nk : nk + n_new], declined[nk : nk + n_new]
            new = columns.NewBoats(**{name: rows[name] for name in columns.NewBoats._fields})
            hz = columns.Hazards(**{name: rows[name] for name in columns.Hazards._fields})
            tables = columns.LaunchTables(**{name: getattr(c, name) for name in columns.LaunchTables._fields})
            launches.fill_boats(*launched, tables, new, hz)
        self._bind_boats(nk + n_new)
        if nk < keep.size:
            new_index = np.cumsum(keep) - 1
            t = self.vtarget >= 0
            old = self.vtarget[t]
            self.vtarget[t] = np.where(keep[old], new_index[old], -1)

    # --- the ledger, vectorised over runs ---------------------------------------------------------

    def _bc(self, run: np.ndarray, n: np.ndarray | float) -> np.ndarray:
        return np.bincount(run, np.broadcast_to(np.asarray(n, dtype=float), run.shape), minlength=self.R)

    def move(self, run: np.ndarray, src: str, dst: str, n: np.ndarray) -> None:
        """People change status (n per row of ``run``)."""
        k = np.rint(self._bc(run, n)).astype(np.int64)
        self.L.status[:, ST[src]] -= k
        self.L.status[:, ST[dst]] += k

    def persons(self, metric: str, run: np.ndarray, by_type: np.ndarray) -> None:
        """Count people for a person metric, by profile, from counts per type (rows of ``run``)."""
        kernels.add_people(
            self.L.person, self.L.day_person, PM[metric], run, np.ascontiguousarray(by_type), 2
        )  # (one compiled version)

    def persons_by_profile(self, metric: str, run: np.ndarray, prof: np.ndarray) -> None:
        """Count people for a person metric from counts per profile (rows of ``run``)."""
        kernels.add_people(self.L.person, self.L.day_person, PM[metric], run, np.ascontiguousarray(prof), 1)

    def count(self, metric: str, run: np.ndarray, n: np.ndarray | float = 1.0) -> None:
        """Add to a case metric."""
        k = self._bc(run, n)
        self.L.case[:, CM[metric]] += k
        self.L.day_case[:, CM[metric]] += k

    def tally(self, table: np.ndarray, run: np.ndarray, col: np.ndarray, n: np.ndarray) -> None:
        """Add ``n`` to ``table[run, col]`` (repeats add up)."""
        np.add.at(table, (run, col), np.asarray(n, dtype=table.dtype))

    def event(
        self,
        name: str | np.ndarray,
        run: np.ndarray,
        case: ArrayLike = -1,
        vessel: ArrayLike = -1,
        state: ArrayLike = -1,
        persons: ArrayLike = 0,
        x: ArrayLike = np.nan,
        y: ArrayLike = np.nan,
        aux: ArrayLike = np.nan,
    ) -> None:
        """Record events (one per row of ``run``) if the log is kept.

        ``name`` may be an array of event codes; ``vessel`` is a vessel row (-2: a patrol).
        """
        if not self.record_events or not len(run):
            return
        ev = EventRows(len(run))
        code = EV[name] if isinstance(name, str) else name
        ev.ints[:] = np.column_stack(np.broadcast_arrays(self.hour, code, run, case, vessel, state, persons))
        ev.floats[:] = np.column_stack(np.broadcast_arrays(x, y, aux, run)[:3])
        self._log(ev.ints, ev.floats)

    def _log(self, ints: np.ndarray, floats: np.ndarray) -> None:
        """Keep event rows (:class:`.columns.EventRows`' integer and float columns) of the runs whose log is kept."""
        if not self._keep_all:
            kept = self.keep_events[ints[:, 2]]
            if not kept.any():
                return
            ints, floats = ints[kept], floats[kept]
        self.events.append((ints, floats))

    def check(self) -> None:
        """Raise ConservationError unless every created person is in exactly one status, in every run."""
        st = self.L.status
        r = kernels.first_unbalanced(st, self.L.created)
        if r >= 0:
            counts = dict(zip(STATUSES, st[r].tolist(), strict=True))
            raise ConservationError(
                f"hour {self.hour}, seed {self.seeds[r]}: {int(self.L.created[r])} people created "
                f"but statuses hold {counts}"
            )

    def count_statuses(self) -> np.ndarray:
        """Recount people per status from the arrays themselves (runs x statuses; for conservation tests).

        Statuses that no array holds (landed, arrived, dead, missing, intercepted) are taken from the
        ledger; the others are counted where the people are.
        """
        out = self.L.status.copy()
        out[:, ST["at_sea"]] = np.rint(self._bc(self.brun, self.bn)).astype(np.int64)
        out[:, ST["aboard_vessel"]] = self.vn.reshape(self.R, self.c.V).sum(axis=1)
        out[:, ST["waiting_at_origin"]] = self.waiting.sum(axis=(1, 2)) + self.queue.sum(axis=(1, 2))
        out[:, ST["legal_process"]] = self.legal_due.sum(axis=(1, 2))
        out[:, ST["awaiting_evacuation"]] = self.crisis_waiting.sum(axis=1)
        return out

    # --- the schedule -----------------------------------------------------------------------------

    def step(self) -> None:
        """Advance every run by one hour."""
        h = self.hour
        if h % 24 == 0:
            self._daily(h)
        self._boats(h)
        self._coordinate(h)
        self._patrol()
        self._vessels(h)
        self.check()
        if h % 24 == 23:
            self._close_day(h // 24)
        self.hour += 1

    # --- people landing, dying, returned ----------------------------------------------------------

    def land(
        self,
        run: np.ndarray,
        port: np.ndarray,
        people: np.ndarray,
        src: str,
        case: np.ndarray,
        vessel: np.ndarray,
        unassisted: bool = False,
        relocate: np.ndarray | None = None,
    ) -> None:
        """Land groups of people at ports.

        Arrivals, reception, the day's landings for screening (compiled: :func:`.ports.land`), relocation.
        """
        ev = self._event_rows("land", run.size)
        code = EV["unassisted_arrival" if unassisted else "landing"]
        k = ports.land(
            self.hour, run, port, people, ST[src], code, case, vessel, *self._cols()["land"], ev.ints, ev.floats
        )
        self._events_from(ev, k)
        if relocate is not None:
            self._relocations(run, port, people, case, vessel, relocate)

    def _relocations(
        self,
        run: np.ndarray,
        port: np.ndarray,
        people: np.ndarray,
        case: np.ndarray,
        vessel: np.ndarray,
        relocate: np.ndarray,
    ) -> None:
        """Note the groups just landed under a standing framework (``relocate``).

        Their relocations are drawn at the next day's start.

        Drawing them once a day for all the day's landings, rather than at each landing, gives the
        same draws (each is keyed by its run, landing hour and vessel) at a fraction of the cost.
        """
        if relocate.any():
            s = self.c.geo.port_state[port]
            self._landed_to_relocate.append(
                (
                    np.full(int(relocate.sum()), self.hour),
                    run[relocate],
                    s[relocate],
                    people[relocate],
                    case[relocate],
                    self.vidx[vessel[relocate]],
                )
            )

    def _schedule_relocations(self) -> None:
        """Draw the relocations owed for the groups landed since the last call.

        (:meth:`_relocations`), in landing order.
        """
        if self._landed_to_relocate:
            groups, self._landed_to_relocate = self._landed_to_relocate, []
            self._schedule_relocation(*(np.concatenate(x) for x in zip(*groups, strict=True)))

    def _schedule_relocation(
        self, h: np.ndarray, run: np.ndarray, s: np.ndarray, people: np.ndarray, case: np.ndarray, key: np.ndarray
    ) -> None:
        c = self.c
        weights = c.reloc_weights[run]
        share = burden.relocated_share(
            c.reloc_share[run], weights, s, c.reloc_keeps_own[run]
        )  # (a key rule: the landing state keeps its share)
        k = binomial(people.sum(axis=1), share, self.rs.uniform(U_RELOC_K, run, h, key))
        weights[np.arange(run.size), s] = 0.0
        ok = (k > 0) & (weights.sum(axis=1) > 0)
        if not ok.any():
            return
        h, run, s, people, case, k, weights, key = (
            h[ok],
            run[ok],
            s[ok],
            people[ok],
            case[ok],
            k[ok],
            weights[ok],
            key[ok],
        )
        prof = to_profiles(take(people, k, lambda i: self.rs.uniform(U_RELOC_PROF, run[i], h[i], key[i])))
        counts = disembarkation.relocation_counts(
            k,
            weights,
            self.rs.uniform(U_RELOC_STATE, run[:, None], h[:, None], key[:, None], np.arange(c.S)[None, :]),
        )
        self.reloc.append((h + c.reloc_h[run], run, s, counts, prof, case))

    def _relocate_due(self, h: int) -> None:
        if not self.reloc:
            return
        c = self.c
        due_h, run, src, counts, prof, case = (np.concatenate(x) for x in zip(*self.reloc, strict=True))
        due = due_h <= h
        if not due.any():
            return
        self.reloc = [tuple(x[~due] for x in (due_h, run, src, counts, prof, case))]
        run, src, counts, prof, case = run[due], src[due], counts[due], prof[due], case[due]
        seq = c.reloc_within[
            run
        ]  # runs whose relocations stay within free reception places: one at a time, in landing order
        for i in np.flatnonzero(seq):
            r = run[i]
            counts[i] = burden.relocation_within_places(counts[i], self.occ[r], c.capacity[r])
            prof[i] = burden.trim_profiles(prof[i], int(counts[i].sum()))
            self.occ[r, src[i]] = max(0.0, self.occ[r, src[i]] - counts[i].sum())
            self.occ[r] += counts[i]
        k = counts.sum(axis=1)
        for i in np.flatnonzero(~seq):  # one relocation at a time, as each is clipped at an empty reception
            self.occ[run[i], src[i]] = max(0.0, self.occ[run[i], src[i]] - k[i])
        self.tally(self.L.relocated_out, run, src, k)
        np.add.at(self.occ, run[~seq], counts[~seq].astype(float))
        np.add.at(self.L.relocated_in, run, counts)
        ri, si = np.nonzero(counts)
        self.event("relocation", run[ri], case=case[ri], state=si, persons=counts[ri, si], aux=src[ri])
        self.persons_by_profile("relocations", run, prof)

    def _at_sea(self) -> tuple[tuple[np.ndarray, ...], ...]:
        """The columns the compiled handlers take as named tuples: streams and constants, boats, ledgers."""
        cols = self._cols()
        return cols["streams"], cols["boats"], cols["ledger"]

    def _cols(self) -> dict[str, tuple[np.ndarray, ...]]:
        """The columns the compiled handlers take, in tuples (in the order of their arguments; see :mod:`.phases`).

        Built once, until :meth:`_renew_boats` replaces the boats' columns (no other column is ever replaced).
        """
        if self._columns is None:
            c, L, geo = self.c, self.L, self.c.geo
            streams = columns.RunConstants(
                self.rs.keys,
                c.approach_p,
                c.capsize_share,
                c.body_share,
                c.retry_p,
                c.detention_h,
                c.unseen_body,
                c.merchant_approach,
                c.harm,
                c.harm_injury,
            )
            boats = columns.Boats(
                self.brun,
                self.bid,
                self.bnet,
                self.btype,
                self.bstatus,
                self.bx,
                self.by,
                self.bsrr,
                self.bcoord,
                self.bn,
                self.bpeople,
                self.btasked,
                self.bdetected,
            )
            vessels = columns.Vessels(*(getattr(self, name) for name in columns.Vessels._fields))
            self._columns = dict(
                streams=streams,
                boats=boats,
                vessels=vessels,
                ledger=columns.Ledger(
                    L.status,
                    L.person,
                    L.day_person,
                    L.case,
                    L.day_case,
                    L.intercepted_by_state,
                    L.rescued_by_actor,
                    self.detained_due,
                ),
                hazards=columns.Hazards(*(getattr(self, name) for name in columns.Hazards._fields)),
                move=(self.bspeed, self.bfuel, self.bx, self.by, self.btx, self.bty),
                open_cases=(self.bopen, self.btasked, self.banswer, self.bn, self.brun, self.bseq),
                coordinate=(
                    U_MERCHANT,
                    self.rs.keys,
                    c.framework == disembarkation.STANDING,
                    c.participants,
                    self.compliance_today,
                    c.response_h,
                    self.brun,
                    self.bx,
                    self.by,
                    self.bn,
                    self.bid,
                    self.bfirst,
                    self.bcoord,
                    self.btasked,
                    self.bdeclined,
                    self.banswer,
                    self.bpend_v,
                    self.bpend_x,
                    self.bpend_y,
                    self.bpend_h,
                    # masters' fear of diversion (rescue.diversion_compliance)
                    c.div_aversion,
                    geo.port_x,
                    geo.port_y,
                    geo.port_safe,
                    c.stand_by,  # merchants told to stand by (rescue.stands_by)
                ),
                open=(
                    U_ALERT,
                    U_WILLING,
                    c.alert_states,
                    c.alert_p,
                    c.willing,  # (open_cases takes the streams and the boats before these)
                    self.bdetected,
                    self.bopen,
                    self.bfirst,
                    self.bseq,
                    self.banswer,
                    c.rcc_delay,
                    U_SILENT,
                    c.rcc_silent,
                ),
                hour=(
                    self.lane_row,
                    self.lane_to,
                    self.lane_back,
                    self.lane_y,
                    self.bn,
                    self.bx,
                    self.by,
                    self.bstatus,
                    geo.port_x,
                    geo.port_y,
                ),
                rescue=(c.net_heading,),
                request=(
                    c.variant,
                    self.request_steps,
                    self.request_n_steps,
                    c.participants,
                    c.framework,
                    (
                        c.landing_rule,
                        c.landing_hub,
                        c.landing_rank,
                        c.landing_caps,
                        self.fw_year,
                        self.fw_turn,
                        L.framework_landed,
                    ),
                    geo.port_x,
                    geo.port_y,
                    geo.port_state,
                    geo.port_safe,
                    VULNERABLE_TYPE,
                    self.occ,
                    c.capacity,
                    self.recent_sum,
                    disembarkation.Stance(*(getattr(c, attr) for attr in STANCE_ATTRS)),
                    # the paper's refusal reasons, the flag state asked
                    (self.rescue_heading, self.pledged, self.precedent, c.asks_coord, c.safe_state),
                    L.case,
                    L.day_case,
                    L.refusals_by_state,
                ),
                unload=(
                    self.rs.keys,
                    U_DETAIN,
                    c.detain_p,
                    c.detain_days,
                    U_SEIZE,
                    c.seize_p,
                    self.days * 24,
                ),
                land=(
                    geo.port_state,
                    geo.port_x,
                    geo.port_y,
                    self.landed,
                    L.status,
                    L.person,
                    L.day_person,
                    L.arrivals_by_state,
                    self.occ,
                    self.today,
                ),
            )
            named = ("streams", "boats", "hazards", "ledger", "vessels")  # the hour's phases take them plain
            self._columns.update({f"{k}_t": columns.plain(self._columns[k]) for k in named})
        return self._columns

    def _scratch(self, key: str, rows: int, dtype: type = np.int64, width: int = 0) -> np.ndarray:
        """A work array of ``rows`` rows.

        (``width`` columns if > 0) for a handler's outputs, reused hour after hour (its buffer grows by doubling).

        Its contents are overwritten by the next call with the same key: a handler copies what it keeps.
        """
        buf = self._work.get(key)
        if buf is None or buf.shape[0] < rows:
            buf = np.empty(
                (max(rows, 64, 2 * (0 if buf is None else buf.shape[0])), *((width,) if width else ())), dtype=dtype
            )
            self._work[key] = buf
        return buf[:rows]

    def _event_rows(self, key: str, rows: int) -> EventRows:
        """A buffer of at least ``rows`` event rows, reused as :meth:`_scratch` is."""
        ev = self._work.get(key)
        if ev is None or ev.ints.shape[0] < rows:
            ev = EventRows(max(rows, 64, 2 * (0 if ev is None else ev.ints.shape[0])))
            self._work[key] = ev
        return ev

    def _events_from(self, ev: EventRows, n: int) -> None:
        """Log the first ``n`` event rows a compiled handler wrote (``n`` < 0: its inverse-CDF search failed)."""
        if n < 0:
            raise RuntimeError("inverse-CDF search does not converge: invalid parameters?")
        if self.record_events and n:
            self._log(*ev.rows(n))

    # --- boats ------------------------------------------------------------------------------------

    def _boats(self, h: int) -> None:
        """The boats' hour in one compiled call (:func:`.phases.boats`).

        Moving, landing, interceptions, distress, capsizes, drowning, detection.
        """
        c, cols = self.c, self._cols()
        code, ev_i, ev_f, k, n_open = phases.boats(
            h,
            cols["move"],
            (
                U_WATER_K,
                U_KILL["water"],
                U_KILL["capsize"],
                U_CAPSIZE_K,
                U_RETRY,
                self.wmult,
                self.water_p,
                U_ABOARD_K,
                U_KILL["aboard"],
            ),
            cols["streams_t"],
            cols["boats_t"],
            cols["hazards_t"],
            cols["ledger_t"],
            c.net_dest,
            ST["at_sea"],
            EV["unassisted_arrival"],
            cols["land"],
            self._distress_args,
            self._srr,
            self.bdetected,
            self.bdetect_at,
            self.bthr_cap,
            cols["open"],
            self.case_counter,
        )
        self._events_from(EventRows.of(ev_i, ev_f), k if code == 0 else -1)
        self.case_counter += n_open

    # --- coordination -----------------------------------------------------------------------------

    def _coordinate(self, h: int) -> None:
        """Each RCC tasks the asset with the earliest arrival to each open case, cases in the order they opened.

        (compiled: :func:`.phases.coordinate`).
        """
        cols = self._cols()
        ev_i, ev_f, k = phases.coordinate(
            h,
            cols["open_cases"],
            cols["coordinate"],
            self.c.V,
            cols["vessels_t"],
            self.L.case,
            self.L.day_case,
            CM["merchant_declines"],
            self._coordination_events,
        )
        self._events_from(EventRows.of(ev_i, ev_f), k)

    def _patrol(self) -> None:
        """Vessels that patrol for boats go after the nearest afloat, untasked boat in range.

        (compiled: :func:`.coordination.patrol`).
        """
        if self._hunters is None:  # (their range is a column a dated change may rewrite: _refit_vessels)
            self._hunters = np.flatnonzero(self.vhunt > 0)
        if self._hunters.size:
            cols = self._cols()
            coordination.patrol(self._hunters, self.R, cols["vessels"], cols["boats"])

    # --- vessels ----------------------------------------------------------------------------------

    def _vessels(self, h: int) -> None:
        """Every vessel's hour, then rescues, requests for a port and landings, in one compiled call.

        (:func:`.phases.vessels`).
        """
        cols = self._cols()
        code, k, ev_i, ev_f, accepted, people, run, port, case, reloc, landed = phases.vessels(
            h,
            cols["vessels_t"],
            cols["hour"],
            self._vessel_out,
            self._rescue_purposes,
            cols["streams_t"],
            cols["boats_t"],
            cols["ledger_t"],
            cols["rescue"],
            self.first_request,
            U_ACCEPT,
            cols["request"],
            cols["unload"],
            ST["aboard_vessel"],
            EV["landing"],
            cols["land"],
            self.c.S,
            N_TYPES,
        )
        self._rescue_outcome(code)
        self._events_from(EventRows.of(ev_i, ev_f), k)
        self._wait_ends(accepted)
        if landed.size:
            self._relocations(run, port, people, case, landed, reloc)

    def _rescue_outcome(self, code: int) -> None:
        if code == columns.STILL_SAILING:
            raise RuntimeError(f"hour {self.hour}: a vessel reached a boat that is not in distress")
        if code < 0:
            raise RuntimeError("inverse-CDF search does not converge: invalid parameters?")

    def request(self, v: np.ndarray) -> None:
        """Ask states for a place of safety in the configured order.

        Wait at sea if all refuse (compiled: :func:`.ports.request`).
        """
        ev = self._event_rows("request", 2 * self.c.S * v.size)  # a request and its answer per state asked
        accepted = self._scratch("accepted", v.size)
        cols = self._cols()
        n_acc, k = ports.request(
            self.hour, v, self.rs.keys, U_ACCEPT, cols["vessels"], *cols["request"], ev.ints, ev.floats, accepted
        )
        self._events_from(ev, k)
        self._wait_ends(accepted[:n_acc])

    def accept(self, v: np.ndarray, s: np.ndarray) -> None:
        """Sail to the nearest port of the accepting state; the wait at sea ends here."""
        self.vport[v] = self.c.geo.nearest_ports(self.vx[v], self.vy[v], s)
        self.vstatus[v] = TO_PORT
        self._wait_ends(v)

    def _wait_ends(self, v: np.ndarray) -> None:
        """The waits at sea of ships ``v`` end now (for the mean waiting days)."""
        if not v.size:
            return
        self.L.waits_run.append(self.vrun[v].copy())
        self.L.waits_days.append((self.hour - self.first_request[v]) / 24.0)
