"""The Mesa agents: thin objects holding their own state and calling the shared rules.

``CoastalState``, ``SmugglerNetwork``, ``RescueVessel``, ``MigrantBoat`` and ``Migrant`` follow the
entity table in ARCHITECTURE.md. Agents change people's statuses only through the model's
``set_status`` so the ledger sees every move.
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING

import mesa
import numpy as np

from model.geography import KN_TO_KMH
from model.numerics import quantiles
from model.outcomes import launch_detail
from model.params import PROFILES, VESSEL_KINDS, Fleet
from model.params import SmugglerNetwork as NetworkParams
from model.rules import boat_hour, crossing, disembarkation, reception, rescue, smuggling, vessel_hour

if TYPE_CHECKING:
    from model.mesa_engine.model import MigrationModel
    from model.setup import Vessels

VULNERABLE = np.array([p in ("trafficking_victim", "unaccompanied_child", "medical_need") for p in PROFILES])
UAC = PROFILES.index("unaccompanied_child")
MEDICAL = PROFILES.index("medical_need")


class Migrant(mesa.Agent):
    """One person: a profile, family ties, a smuggler network they would use, and a status."""

    def __init__(
        self, model: MigrationModel, profile: int, family_ties: bool, network: int, eligible: np.ndarray
    ) -> None:
        super().__init__(model)
        self.profile = profile
        self.family_ties = family_ties
        self.network = network
        self.eligible = eligible
        self.status = "waiting_at_origin"
        self.journeys = 0


class CoastalState(mesa.Agent):
    """A coastal state: its RCC, ports, reception and stance on disembarkation requests."""

    def __init__(self, model: MigrationModel, index: int, name: str) -> None:
        super().__init__(model)
        self.index = index
        self.name = name
        self.facts = model.params.world.states[name]
        self.stance = model.params.policy.states[name]
        self.occupancy = float(self.facts.initial_occupancy_people)
        self.recent = deque([0] * 7, maxlen=7)
        self.today_arrivals = 0
        self.precedent = 0.0  # groups let land on request lately, each halved every precedent_half_life_days

    def daily(self) -> float:
        """Drain reception by processing; roll the 7-day arrivals window. Returns people released."""
        out = float(reception.daily_outflow(self.occupancy, self.facts.processing_days))
        self.occupancy -= out
        self.recent.append(self.today_arrivals)
        self.today_arrivals = 0
        self.precedent = float(disembarkation.precedent_decay(self.precedent, self.stance.precedent_half_life_days))
        return out

    def occupancy_ratio(self) -> float:
        """Reception occupancy over capacity."""
        return float(reception.occupancy_ratio(self.occupancy, self.facts.reception_capacity_people))

    def decide(self, vessel: RescueVessel, guaranteed: bool) -> bool:
        """Accept or refuse a disembarkation request from ``vessel``."""
        m = self.model
        profiles = np.array([p.profile for p in vessel.aboard], dtype=np.int64)
        vuln = float(VULNERABLE[profiles].mean()) if profiles.size else 0.0
        p = disembarkation.state_accepts(
            m.stance,
            self.index,
            self.occupancy_ratio(),
            sum(self.recent) / 1000.0,
            self.precedent,
            vessel.kind_index,
            vessel.flag_index,
            vessel.rescue_srr,
            vuln,
            vessel.rescue_heading,
            guaranteed,
            vessel.refused_days,
        )
        return bool(m.rng.random() < p)


class SmugglerNetwork(mesa.Agent):
    """A smuggling network at one departure point: a queue of paying passengers and daily launches."""

    def __init__(self, model: MigrationModel, index: int, name: str, p: NetworkParams) -> None:
        super().__init__(model)
        self.index = index
        self.name = name
        self.p = p
        self.queue: list[Migrant] = []
        t = model.setup.networks  # its row of the network table (model/setup.py)
        self.x, self.y = float(t.x[index]), float(t.y[index])
        self.tx, self.ty = float(t.tx[index]), float(t.ty[index])
        self.dest_port = int(t.dest[index])
        self.state_index = int(t.state[index])
        self.refit(p)

    def refit(self, p: NetworkParams, presence: float = 1.0) -> None:
        """Take up the network's parameters in force, and adapt to where rescuers are stationed now.

        (``presence``: the share of rescue capacity at sea, when adaptation follows it).
        """
        model = self.model
        self.p = p
        ad = model.params.world.adaptation
        enf = model.params.policy.enforcement
        self.shift = float(
            smuggling.present_shift(
                ad.strength, model.rescue_distance(self.x, self.y), ad.reference_distance_km, ad.reach_km, presence
            )
        )
        mix = smuggling.adapted_mix(np.array(p.boat_mix.as_tuple()), self.shift, ad.rubber_shift)
        self.mix = smuggling.displaced_mix(mix, enf.stop_unseaworthy_share, enf.stop_displaces)
        self.price = smuggling.seat_price(
            p.price_usd, enf.stop_unseaworthy_share, enf.stop_displaces, enf.stop_price_surcharge_usd
        )
        self.load_factor = smuggling.adapted_load_factor(p.load_factor, self.shift, ad.load_response)

    def launch(self, hour: int) -> None:
        """Launch today's boats from the queue (weather, arrests and prevention permitting)."""
        m = self.model
        pol = m.params.policy.enforcement
        cut = smuggling.arrests_cut_today(
            pol.arrests_capacity_cut, hour // 24 - m.arrests_since_day, pol.arrests_half_life_days
        )
        allowed = smuggling.boats_allowed(
            self.p.max_boats_per_day, cut, m.sea_state, m.params.world.weather.no_launch_above
        )
        n = max(int(allowed), 0)
        types, loads = smuggling.plan_boats(
            len(self.queue), n, self.mix, m.typical_load, self.load_factor, m.rng.random(n), m.rng.random(n)
        )
        u_stop = m.rng.random(len(types))
        for t, n, u in zip(types.tolist(), loads.tolist(), u_stop.tolist(), strict=True):
            stop = smuggling.stop_on_beach(u, pol.stop_unseaworthy_share, t, pol.stop_displaces)
            if stop != smuggling.LAUNCH:
                m.ledger.count("boats_stopped")
                m.ledger.event(
                    hour,
                    "stopped",
                    state=m.state_name(self.state_index),
                    persons=n,
                    x=self.x,
                    y=self.y,
                    detail=self.name,
                )
                if stop == smuggling.STOPPED_FOR_THE_DAY:
                    break
                continue
            people, self.queue = self.queue[:n], self.queue[n:]
            boat = MigrantBoat(m, self, t, people)
            m.boats.append(boat)
            m.ledger.count("boats_launched")
            m.ledger.boats_by_type[t] += 1
            m.ledger.count("smuggler_revenue_usd", self.price * n)
            m.ledger.event(
                hour,
                "launch",
                boat.unique_id,
                state=m.state_name(self.state_index),
                persons=n,
                x=self.x,
                y=self.y,
                detail=launch_detail(self.name, m.boat_names[t]),
            )


class MigrantBoat(mesa.Agent):
    """A smuggler's boat: moves toward its destination, may be stopped, fall into distress and capsize.

    Its hazards are :mod:`model.rules.boat_hour`'s, kept in a table of one row (``hz``).
    """

    def __init__(self, model: MigrationModel, network: SmugglerNetwork, boat_type: int, people: list[Migrant]) -> None:
        super().__init__(model)
        bt = model.params.world.boats.as_tuple()[boat_type]
        ad = model.params.world.adaptation
        self.network = network
        self.type = boat_type
        self.bt = bt
        self.people = people
        self.x, self.y = network.x, network.y
        self.speed_kmh = bt.speed_kn * KN_TO_KMH
        s = network.state_index
        stance = model.states[s].stance if s >= 0 else None
        rng = model.rng
        self.hz = boat_hour.one_boat(
            state=s,
            x=float(network.x),
            y=float(network.y),
            zone_km=float(stance.interception_zone_km) if stance else 0.0,
            interception_per_hour=float(stance.interception_per_hour) if stance else 0.0,
            fuel_km=float(smuggling.adapted_fuel(bt.fuel_range_km, network.shift, ad.fuel_response)),
            distress_base=float(bt.distress_per_hour),
            overload=len(people) / bt.rated_capacity_people,
            overload_exponent=float(bt.overload_exponent),
            no_fuel=float(bt.no_fuel_distress_per_hour),
            capsize_mean_hours=float(bt.capsize_mean_hours),
            deterioration=float(bt.deterioration_per_hour),
            aboard_death=float(bt.aboard_death_per_hour),
            thr_distress=float(boat_hour.threshold(1.0 - rng.random())),
            thr_interception=float(boat_hour.threshold(1.0 - rng.random())),
        )
        self._one = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)  # its row in hz; the rule's answer
        self.status = "sailing"  # sailing -> distress -> capsized (boat_hour.STATUS_NAMES); done when empty
        self.detect_at = math.inf
        self.detected = False
        self.srr = -1
        self.tasked: RescueVessel | None = None
        self.declined: set[int] = set()
        self.case_draws: tuple[bool, int] | None = None
        self.first_alerted = -1
        self.answer_due = 0
        self.pending_decline: tuple | None = None
        for p in people:
            p.journeys += 1
        model.set_status(people, "at_sea", "departures")

    @property
    def fuel_km(self) -> float:
        """Fuel left, in km of sailing."""
        return float(self.hz.bfuel[0])

    @fuel_km.setter
    def fuel_km(self, km: float) -> None:
        self.hz.bfuel[0] = km

    def step(self) -> None:
        """One hour at sea (a boat emptied by a rescue last hour is done: it neither moves nor capsizes).

        It moves (and may land on its own), then :func:`model.rules.boat_hour.hazards_hour` says
        whether patrols stop it, it falls into distress or capsizes; then people die aboard or in
        the water, and its distress becomes known at the hour drawn when it began.
        """
        if not self.people:
            return
        m = self.model
        hour = m.hour
        if self.status == "sailing":
            step_km = min(self.speed_kmh, max(self.fuel_km, 0.0))
            self.x, self.y, arrived = crossing.move_toward(self.x, self.y, self.network.tx, self.network.ty, step_km)
            self.fuel_km -= step_km
            if arrived:
                m.land(self.people, self.network.dest_port, hour, case_id=self.unique_id, vessel="", unassisted=True)
                self.people = []
                return
        one, out = self._one
        status = np.array([boat_hour.STATUS_NAMES.index(self.status)])
        aboard = np.array([len(self.people)])
        tasked = np.array([-1 if self.tasked is None else 0])
        boat_hour.hazards_hour(
            one,
            status,
            aboard,
            tasked,
            np.array([float(self.x)]),
            np.array([float(self.y)]),
            one,
            np.array([float(m.weather_mult)]),
            self.hz,
            out,
        )
        event = int(out[0])
        if event == boat_hour.INTERCEPTED:
            st = m.states[self.network.state_index]
            m.harm(self, st.index)
            m.ledger.event(
                hour,
                "interception",
                self.unique_id,
                vessel="patrol",
                state=st.name,
                persons=len(self.people),
                x=self.x,
                y=self.y,
            )
            m.intercept(self.people, st.index)
            self.people = []
            return
        if event == boat_hour.DISTRESSED:
            self.distress(hour)
        elif event == boat_hour.CAPSIZES:
            self.capsize(hour, "capsize")
        status[0] = boat_hour.STATUS_NAMES.index(self.status)
        aboard[0] = len(self.people)
        p = np.empty(1)
        boat_hour.aboard_death_hour(one, status, aboard, self.hz, p)
        if p[0] >= 0.0:
            k = int(quantiles.binomial(len(self.people), p[0], m.rng.random()))
            if k:
                m.kill(self, k)
        if self.status == "capsized" and self.people:
            k = int(quantiles.binomial(len(self.people), m.in_water_death_p, m.rng.random()))
            if k:
                m.kill(self, k)
        if self.status != "sailing" and not self.detected and self.people and hour >= self.detect_at:
            self.detected = True
            m.open_case(self)

    def distress(self, hour: int) -> None:
        """Fall into distress: draw when the case reaches an RCC, and the boat's capsize threshold."""
        m = self.model
        self.status = "distress"
        self.srr = int(m.geo.srr_state_at(self.x, self.y)[0])
        m.ledger.count("distress_cases")
        m.ledger.event(
            hour,
            "distress",
            self.unique_id,
            state=m.state_name(self.srr),
            persons=len(self.people),
            x=self.x,
            y=self.y,
            detail=m.boat_names[self.type],
        )
        det = m.params.world.detection
        u_report, u_delay, u_sight, u_capsize = 1.0 - m.rng.random(4)
        self.detect_at = float(
            boat_hour.detection_hour(
                hour,
                u_report,
                u_delay,
                u_sight,
                float(det.report_probability),
                float(det.call_delay_mean_hours),
                float(m.sighting_p),
            )
        )
        boat_hour.start_distress(0, self.hz, u_capsize)

    def capsize(self, hour: int, why: str) -> None:
        """Capsize: a share of those aboard die at once; survivors are in the water."""
        m = self.model
        if self.status == "sailing":
            self.distress(hour)
        self.status = "capsized"
        m.ledger.count("capsizes")
        k = int(quantiles.binomial(len(self.people), self.bt.capsize_death_share, m.rng.random()))
        m.ledger.event(hour, "capsize", self.unique_id, persons=k, x=self.x, y=self.y, detail=why)
        if k:
            m.kill(self, k)


class RescueVessel(mesa.Agent):
    """A coast guard, navy, NGO or merchant vessel: patrols, rescues, asks for a place of safety."""

    def __init__(
        self,
        model: MigrationModel,
        table: Vessels,
        row: int,
        fleet: Fleet | None,
        station: tuple[float, float] = (0.0, 0.0),
        home_port: int = 0,
    ) -> None:
        """Row ``row`` of the vessel ``table`` (``model/setup.py``), of ``fleet``.

        (None: a merchant ship, at ``station`` on its lane).
        """
        super().__init__(model)
        self.fleet_name = table.fleet[row]
        self.row = row  # its row in the vessel table (model/setup.py), also after a change day
        self.fleet = fleet
        self.kind_index = int(table.kind[row])
        self.kind = VESSEL_KINDS[self.kind_index]
        self.flag_index = int(table.flag[row])
        self.returns_people = bool(table.returns[row])
        self.speed_kmh = float(table.speed[row])
        self.capacity = float(table.capacity[row])
        self.sx, self.sy = station
        self.x, self.y = station
        self.home_port = home_port
        self.aboard: list[Migrant] = []
        self.status = "patrol"  # patrol, tasked, to_port, waiting, in_port, to_home
        self.target: MigrantBoat | None = None
        self.port = -1
        self.hours_with_people = 0
        self.case_id = -1
        self.rescue_srr = -1
        self.rescue_coord = -1
        self.rescue_heading = -1  # the state the first boat rescued was heading for
        self.pledged = False  # a flag state without a port pledged to take the people (this wait)
        self.first_request_hour = -1
        self.refused_days = 0
        self.asked: list[int] = []
        self.relocate = False
        self.days_at_sea = 0.0
        self.rest_until = -1
        self.lane_dir = 1
        self.withdrawn = bool(table.withdrawn[row])  # out of service: its fleet shrank below it (a dated change)
        self.station_draw = (0.0, 0.0)  # where in its fleet's station disc: (sqrt of a uniform, angle)
        self.scene_done = (
            -1
        )  # on scene of its boat: the hour it takes the people aboard (rescue.scene_done_hour); -1: not on scene

    def refit(self, table: Vessels, row: int, fleet: Fleet | None) -> None:
        """Take up row ``row`` of the vessel ``table`` in force.

        Flag, speed, capacity, service status; a fleet's vessel its station (its own place in the disc) and home port, a
        merchant ship its lane.
        """
        self.fleet = fleet
        self.kind_index = int(table.kind[row])
        self.kind = VESSEL_KINDS[self.kind_index]
        self.flag_index = int(table.flag[row])
        self.returns_people = bool(table.returns[row])
        self.speed_kmh = float(table.speed[row])
        self.capacity = float(table.capacity[row])
        if table.merchant[row]:
            self.sy = table.lane[2]
        else:
            r = float(table.radius[row]) * self.station_draw[0]
            a = self.station_draw[1]
            self.sx, self.sy = float(table.cx[row]) + r * math.cos(a), float(table.cy[row]) + r * math.sin(a)
            self.home_port = int(table.home[row])
        self.withdrawn = bool(table.withdrawn[row])

    @property
    def free(self) -> float:
        """Free places aboard."""
        return self.capacity - len(self.aboard)

    @property
    def available(self) -> bool:
        """Can be tasked now."""
        return bool(rescue.available(self.status == "patrol", self.free, self.model.blocked(self)))

    def task(self, boat: MigrantBoat) -> None:
        """Head for a boat in distress."""
        self.status = "tasked"
        self.target = boat
        self.scene_done = -1
        boat.tasked = self

    def step(self) -> None:
        """One hour (:func:`model.rules.vessel_hour.vessel_hour`); then the rescue, request or landing it calls for."""
        m = self.model
        st = vessel_hour.STATUS_NAMES.index(self.status)
        tx, ty, t_n, t_capsized = self.x, self.y, 0, False  # where it heads (by default: it stays put)
        if self.status == "tasked":
            b = self.target
            if b is not None:
                tx, ty, t_n, t_capsized = b.x, b.y, len(b.people), b.status == "capsized"
        elif self.status == "patrol":
            if self.kind == "merchant":
                tx, ty = self.model.lane[1] if self.lane_dir > 0 else self.model.lane[0], self.sy
            else:
                tx, ty = self.sx, self.sy
        elif self.status in ("to_port", "to_home"):
            tx, ty = m.geo.port_x[self.port], m.geo.port_y[self.port]
        t = m.params.policy.sar.on_scene.as_tuple()[self.kind_index]
        status, x, y, arrived, action, self.hours_with_people, self.scene_done, self.rest_until = (
            vessel_hour.vessel_hour(
                m.hour,
                st,
                float(self.x),
                float(self.y),
                float(self.speed_kmh),
                len(self.aboard),
                float(self.capacity),
                int(self.hours_with_people),
                int(self.scene_done),
                float(tx),
                float(ty),
                t_n,
                t_capsized,
                float(t.approach_hours),
                float(t.hours_per_100_people),
                float(self._batch()),
                float(m.max_hours_with_people),
                int(self.rest_until),
                float(self.fleet.port_days if self.fleet else 1),
                bool(m.blocked(self)),
            )
        )
        self.status, self.x, self.y = vessel_hour.STATUS_NAMES[status], float(x), float(y)
        if st == vessel_hour.PATROL and self.kind == "merchant" and arrived:  # the end of its lane: it turns
            self.lane_dir *= -1
        if action == vessel_hour.TARGET_GONE:
            self.target = None
        elif action == vessel_hour.RESCUE:
            self.rescue(self.target)
        elif action == vessel_hour.ASK_PORT:
            self.go_to_port()
        elif action == vessel_hour.LAND:
            self.disembark()
        elif action == vessel_hour.LEFT_PORT:
            self.days_at_sea = 0.0

    def _batch(self) -> float:
        """How full it fills before asking for a port (out of service: at once)."""
        sar = self.model.params.policy.sar
        return (
            rescue.batch_share(
                self.fleet.batch_until_full_share, self.model.blocked(self), self.kind == "ngo", sar.ngo_code_of_conduct
            )
            if self.fleet
            else 0.0
        )

    def _endurance(self) -> float:
        return self.fleet.endurance_days if self.fleet else 0.0

    def rescue(self, boat: MigrantBoat) -> None:
        """On scene: risk of capsizing on approach, then take people aboard up to capacity."""
        m = self.model
        hour = m.hour
        self.target = None
        p = rescue.approach_capsize_probability(
            m.params.world.survival.approach_capsize_probability,
            self.kind == "merchant",
            m.params.policy.sar.merchant.approach_capsize_factor,
        )
        if (
            boat.status == "distress" and m.rng.random() < p
        ):  # (a patrol may also reach a boat still sailing: no approach capsize)
            boat.capsize(hour, "approach")
        if self.returns_people:
            m.harm(boat, self.flag_index)
        n = int(min(self.free, len(boat.people)))
        taken, boat.people = boat.people[:n], boat.people[n:]
        boat.tasked = None
        if n:
            if self.returns_people:
                m.ledger.event(
                    hour,
                    "interception",
                    boat.unique_id,
                    vessel=self.unique_name,
                    state=m.state_name(self.flag_index),
                    persons=n,
                    x=boat.x,
                    y=boat.y,
                )
                m.intercept(taken, self.flag_index)
            else:
                m.set_status(taken, "aboard_vessel", "rescued")
                m.ledger.rescued_by_actor[self.kind_index] += n
                m.ledger.event(
                    hour,
                    "rescue",
                    boat.unique_id,
                    vessel=self.unique_name,
                    state=m.state_name(boat.srr),
                    persons=n,
                    x=boat.x,
                    y=boat.y,
                    detail=self.kind,
                )
                if not self.aboard:
                    self.case_id = boat.unique_id
                    self.rescue_srr = boat.srr
                    self.rescue_coord = boat.case_draws[1] if boat.case_draws else -1
                    self.rescue_heading = int(disembarkation.heading_state(boat.network.dest_port, m.geo.port_state))
                self.aboard += taken
        if self.returns_people:
            self.status, self.port = "to_home", self.home_port
            return
        self.status = "patrol"
        if self.aboard and rescue.wants_port(
            self.free, self.capacity, self._batch(), self.hours_with_people, m.max_hours_with_people
        ):
            self.go_to_port()

    @property
    def unique_name(self) -> str:
        """Fleet name and id, for the event log."""
        return f"{self.fleet_name}#{self.unique_id}"

    def go_to_port(self) -> None:
        """Stop searching and ask for a place of safety."""
        self.status = "waiting"
        self.first_request_hour = self.model.hour
        self.refused_days = 0
        self.request()

    def request(self) -> None:
        """Ask states for a place of safety in the configured order; wait at sea if all refuse."""
        m = self.model
        coop = m.params.policy.cooperation
        dist = m.geo.state_port_distance(self.x, self.y)
        bound, first = (
            m.participants,
            m.participants,
        )  # participants bound to accept; the state a standing framework names first
        if m.framework == disembarkation.STANDING:  # the landing rule names one (model/rules/landing.py)
            bound, first = m.framework_landing(dist, self.rescue_srr, len(self.aboard))
        skip = -1 if coop.asks_coordinating_state else self.rescue_coord
        order = disembarkation.request_order(
            coop.request_order, self.rescue_coord, self.rescue_srr, dist, self.flag_index, first, m.framework, skip
        )
        self.asked = order
        if self.refused_days == 0:
            self.pledged = False
        for s in order:
            st = m.states[s]
            m.ledger.count("disembarkation_requests")
            m.ledger.event(
                m.hour,
                "request",
                self.case_id,
                vessel=self.unique_name,
                state=st.name,
                persons=len(self.aboard),
                x=self.x,
                y=self.y,
            )
            guaranteed = m.framework == disembarkation.STANDING and bool(bound[s])
            if st.decide(self, guaranteed):
                m.ledger.event(
                    m.hour,
                    "acceptance",
                    self.case_id,
                    vessel=self.unique_name,
                    state=st.name,
                    persons=len(self.aboard),
                    x=self.x,
                    y=self.y,
                )
                if guaranteed:
                    m.framework_landed(s, len(self.aboard))
                self.relocate = guaranteed
                st.precedent += 1.0
                self.accept(s)
                return
            m.ledger.count("disembarkation_refusals")
            m.ledger.refusals_by_state[s] += 1
            m.ledger.event(
                m.hour,
                "refusal",
                self.case_id,
                vessel=self.unique_name,
                state=st.name,
                persons=len(self.aboard),
                x=self.x,
                y=self.y,
            )
        self.ask_flag_state(dist)

    def ask_flag_state(self, dist: np.ndarray) -> None:
        """All refused: ask a flag state that has no port in the sea, which can only pledge to take the people.

        (ODD 7.25).
        """
        m = self.model
        steps = np.array(
            [disembarkation.STEP_CODES[k] for k in m.params.policy.cooperation.request_order], dtype=np.int64
        )
        safe = np.array([st.facts.place_of_safety for st in m.states], dtype=bool)
        s = -1 if self.pledged else int(disembarkation.portless_flag_state(steps, self.flag_index, dist, safe))
        if s < 0:
            return
        st = m.states[s]
        m.ledger.count("disembarkation_requests")
        m.ledger.event(
            m.hour,
            "request",
            self.case_id,
            vessel=self.unique_name,
            state=st.name,
            persons=len(self.aboard),
            x=self.x,
            y=self.y,
            detail="flag_state",
        )
        if st.decide(self, False):
            self.pledged = True
            m.ledger.event(
                m.hour,
                "acceptance",
                self.case_id,
                vessel=self.unique_name,
                state=st.name,
                persons=len(self.aboard),
                x=self.x,
                y=self.y,
                detail="pledge",
            )
            return
        m.ledger.count("disembarkation_refusals")
        m.ledger.refusals_by_state[s] += 1
        m.ledger.event(
            m.hour,
            "refusal",
            self.case_id,
            vessel=self.unique_name,
            state=st.name,
            persons=len(self.aboard),
            x=self.x,
            y=self.y,
            detail="flag_state",
        )

    def accept(self, state: int) -> None:
        """Sail to the nearest port of ``state``; the wait at sea ends here."""
        m = self.model
        self.port = m.geo.nearest_port(self.x, self.y, state)
        self.status = "to_port"
        m.ledger.waits.append((m.hour - self.first_request_hour) / 24.0)

    def daily(self) -> None:
        """Once a day: count days at sea; a ship waiting for a port gets medevacs, deals, new requests."""
        m = self.model
        if self.status != "in_port":
            self.days_at_sea += 1
        if rescue.heads_home(
            self.status == "patrol" and not self.aboard, self._endurance(), self.days_at_sea, m.blocked(self)
        ):
            self.status, self.port = "to_home", self.home_port
        if self.status != "waiting":
            return
        m.ledger.count("people_days_waiting", len(self.aboard))
        if (
            self.rescue_coord >= 0
        ):  # a standoff's cost to the state whose RCC coordinated the rescue (burden.membership)
            m.ledger.standoff_days[self.rescue_coord] += len(self.aboard)
        medical = [p for p in self.aboard if p.profile == MEDICAL]
        s = -1
        if medical:  # the nearest state that evacuates medical cases (it may be one that refuses the ship)
            dist, ports = m.geo.state_ports(self.x, self.y)
            s = int(disembarkation.medevac_states(dist, m.evacuates)[0])
        if s >= 0:
            k = int(
                disembarkation.medevacs(len(medical), m.params.policy.sar.medevac_daily_probability, m.rng.random())
            )
            if k:
                evac = medical[:k]
                ids = {id(p) for p in evac}
                self.aboard = [p for p in self.aboard if id(p) not in ids]
                port = int(ports[0, s])
                m.ledger.persons("medevacs", np.array([p.profile for p in evac]))
                m.ledger.event(
                    m.hour,
                    "medevac",
                    self.case_id,
                    vessel=self.unique_name,
                    state=m.state_name(int(m.geo.port_state[port])),
                    persons=k,
                    x=self.x,
                    y=self.y,
                )
                m.land(evac, port, m.hour, case_id=self.case_id, vessel=self.unique_name)
        p_die = m.params.world.survival.waiting_medical_death_per_day
        if p_die > 0:  # medical cases kept at sea may die aboard (their bodies are landed: dead, not missing)
            medical = [p for p in self.aboard if p.profile == MEDICAL]
            k = int(disembarkation.deaths_waiting(len(medical), p_die, m.rng.random())) if medical else 0
            if k:
                ids = {id(p) for p in medical[:k]}
                self.aboard = [p for p in self.aboard if id(p) not in ids]
                m.set_status(medical[:k], "dead", "dead")
                m.ledger.count("died_waiting", k)
        if not self.aboard:
            self.status = "patrol"
            self.hours_with_people = 0
            self.case_id = -1
            m.ledger.waits.append((m.hour - self.first_request_hour) / 24.0)
            return
        self.refused_days += 1
        coop = m.params.policy.cooperation
        if m.framework == disembarkation.AD_HOC and self.asked:
            profiles = np.array([p.profile for p in self.aboard], dtype=np.int64)
            positions = float(np.mean([m.states[s].stance.accept_probability for s in self.asked]))
            p = disembarkation.deal_probability(
                self.refused_days - 1,
                coop.deal_daily_probability,
                coop.deal_growth_per_day,
                len(self.aboard),
                float(VULNERABLE[profiles].mean()),
                positions,
                coop.deal_per_100_aboard,
                coop.deal_vulnerable,
                coop.deal_position,
                self.pledged,
            )
            if m.rng.random() < p:
                asked = np.zeros(len(m.states), dtype=bool)
                asked[self.asked] = True
                cands = disembarkation.deal_candidates(m.setup.cooperation.deal_states, asked)
                s = int(disembarkation.deal_state(m.free_places(), m.rng.random(), cands))
                m.ledger.count("deals")
                m.ledger.event(
                    m.hour,
                    "deal",
                    self.case_id,
                    vessel=self.unique_name,
                    state=m.states[s].name,
                    persons=len(self.aboard),
                    x=self.x,
                    y=self.y,
                )
                self.relocate = True
                self.accept(s)
                return
        self.request()

    def disembark(self) -> None:
        """Land everyone aboard at the accepted port, then return to the station."""
        m = self.model
        people, self.aboard = self.aboard, []
        m.land(people, self.port, m.hour, case_id=self.case_id, vessel=self.unique_name, relocate=self.relocate)
        self.relocate = False
        self.hours_with_people = 0
        self.case_id = -1
        self.rescue_srr = -1
        self.rescue_coord = -1
        self.rescue_heading = -1
        self.status = "patrol"
        if rescue.heads_home(True, self._endurance(), self.days_at_sea, m.blocked(self)):  # in port already: it stays
            self.status = "in_port"
            self.rest_until = m.hour + int(24 * (self.fleet.port_days if self.fleet else 1))
        sar = m.params.policy.sar
        if self.kind == "ngo" and sar.ngo_detention_probability > 0:  # administrative detention where it landed
            held = rescue.detention_hours(m.rng.random(), sar.ngo_detention_probability, sar.ngo_detention_days)
            if held > 0:
                self.status = "in_port"
                self.rest_until = max(self.rest_until, m.hour + int(held))
        if (
            self.kind == "ngo"
            and sar.ngo_seizure_probability > 0
            and rescue.seized(m.rng.random(), sar.ngo_seizure_probability)
        ):
            self.status = "in_port"
            self.rest_until = m.params.world.days * 24  # held to the end of the run
