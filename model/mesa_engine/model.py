"""The Mesa model: one step is one hour, decisions that people and states take daily run at hour 0.

Order within an hour (fixed, so a seed reproduces a run exactly): boats at sea (movement,
interception, distress, capsizing, deaths, detection) in launch order; RCC coordination of open
cases in detection order; rescue vessels in fleet order. Agents are visited in creation order, and
every random draw comes from the model's numpy Generator (``self.rng``).

Built like Mesa's own examples: keyword arguments (a scenario, an ``rng`` seed, lever overrides),
``model.step()``, and a ``DataCollector`` of model-level series collected every step (hour), so
``mesa.batch_run`` can drive it. (The live dashboard, ``experiments/present/dashboard.py``, is a custom
solara page: the model has no Mesa space for SolaraViz to draw; positions are km on the agents.)
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import mesa
import numpy as np
import pandas as pd

from model import setup
from model.geography import Geography, places, project
from model.mesa_engine.agents import CoastalState, Migrant, MigrantBoat, RescueVessel, SmugglerNetwork
from model.outcomes import (
    AWAITING_ANSWER,
    COORDINATION,
    PROTECTION_PERSONS,
    Ledger,
    RunResult,
    decline_detail,
    relocation_detail,
    tasking_detail,
)
from model.outcomes import S as STATUS_INDEX
from model.params import BOAT_TYPES, PROFILES, Scenario
from model.rules import (
    burden,
    crisis,
    crossing,
    departure,
    disembarkation,
    landing,
    legal,
    protection,
    rescue,
    smuggling,
    tasking,
    weather,
)
from model.timeline import schedule, vessel_rows

#: Keyword overrides of the main levers accepted by :class:`MigrationModel` (name -> dotted key).
LEVERS: dict[str, str] = {
    "ngo_ships": "policy.sar.fleets.ngo.count",
    "ngo_blocked": "policy.sar.ngo_blocked",
    "merchant_compliance": "policy.sar.merchant.compliance",
    "aerial_surveillance": "policy.sar.aerial_surveillance",
    "framework": "policy.cooperation.framework",
    "humanitarian_visa_quota": "policy.legal.channels.humanitarian_visa.quota_per_year",
    "smuggler_adaptation": "world.adaptation.strength",
    "state_assets_scale": "policy.sar.state_assets_scale",
    "days": "world.days",
}


class MigrationModel(mesa.Model):
    """Mixed maritime migration across the Central Mediterranean, one agent per person.

    Args:
        scenario: a :class:`~model.params.Scenario` or the name of a built-in scenario.
        rng: the run's seed (an int, a ``SeedSequence``) or a numpy Generator; every draw comes
            from it. None means seed 0, so a run is reproducible by default, also under
            ``mesa.batch_run`` (which passes no seed unless given some): give replicates distinct
            seeds: ``batch_run(MigrationModel, params, rng=range(10))`` where batch_run takes
            ``rng`` (Mesa 3.5), ``batch_run(MigrationModel, {**params, "rng": range(10)})`` where
            it does not (Mesa 3.3). ``iterations`` alone repeats seed 0.
        record_events: keep the case event log.
        **levers: overrides of the main levers by short name (see :data:`LEVERS`) or dotted key.
    """

    def __init__(
        self,
        scenario: Scenario | str = "central_med_small",
        *,
        rng: Any = None,
        record_events: bool = True,
        **levers: Any,
    ) -> None:
        super().__init__(rng=np.random.default_rng(0 if rng is None else rng))
        if isinstance(scenario, str):
            from model.scenarios import load

            scenario = load(scenario)
        if levers:
            scenario = scenario.with_overrides({LEVERS.get(k, k): v for k, v in levers.items()})
        self.base_params = scenario  # as given, with its timeline (what results report)
        start, self.changes = schedule(scenario)  # the scenario in force at the start, and the dated changes
        self.params = start  # not `scenario`: Mesa >= 3.5 reserves that attribute; switches on each change day
        self.arrests_since_day = 0  # the day the arrests' cut in force took effect
        self.geo = Geography.from_scenario(scenario)
        self.places = places()
        w = scenario.world
        self.state_index = {name: i for i, name in enumerate(self.geo.states)}
        self.ledger = Ledger(scenario, record_events)
        self.hour = 0
        self.start = pd.Timestamp(w.start_date)
        self.boat_names = BOAT_TYPES
        # agents
        self.states = [CoastalState(self, i, name) for i, name in enumerate(self.geo.states)]
        self.vessels: list[RescueVessel] = []
        # screening after landing (model/rules/protection.py): its own stream, spawned from the run's seed, so the
        # rest of the run draws exactly what it drew before screening existed
        self.protection_rng, self.crisis_rng = self.rng.spawn(2)  # (a crisis's draws likewise: model/rules/crisis.py)
        self.crisis_waiting = np.zeros(
            (1, 2), dtype=np.int64
        )  # workers awaiting evacuation: without, with travel documents
        self.screening = protection.Queues.empty(1, len(self.states), int(w.protection.max_wait_days), len(PROFILES))
        self.landed_today = np.zeros((len(self.states), len(PROFILES)), dtype=np.int64)
        # burden sharing (model/rules/landing.py): people landed under the framework this calendar year, whose turn it
        # is
        self.framework_year = np.zeros(len(self.states), dtype=float)
        self.framework_turn = 0
        self.rows = vessel_rows(start, self.changes)  # every vessel any period needs
        self._derive()
        tables = self.setup
        self.typical_load = tables.boats.typical_load
        self.channel_names = list(tables.channels.names)
        self.slots = np.zeros(len(self.channel_names))
        self.alert_states, self.alert_p = tables.alert_states, tables.alert_p
        self._make_fleets()
        self.networks = [SmugglerNetwork(self, i, name, p) for i, (name, p) in enumerate(start.world.smugglers.items())]
        self.network_p = np.array([n.p.demand_share for n in self.networks])
        self.network_shift = np.array([n.shift for n in self.networks])
        self.boats: list[MigrantBoat] = []
        self.cases: list[MigrantBoat] = []
        self.waiting: list[Migrant] = []
        self.in_legal: deque[tuple[int, Migrant]] = deque()
        self.detained: list[tuple[int, Migrant]] = []
        self.relocations: list[tuple[int, int, np.ndarray, np.ndarray, int]] = []
        self.anomaly = 0.0
        self.perceived = np.zeros(
            len(departure.PERCEIVED)
        )  # fading counts of deaths, returns, departures (departure.perceived_update)
        self.sea_state = 0.0
        self.weather_mult = 1.0
        self.in_water_death_p = 0.0
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "dead_and_missing": lambda m: m.ledger.total("dead") + m.ledger.total("missing"),
                "arrivals": lambda m: m.ledger.total("arrivals"),
                "intercepted": lambda m: m.ledger.total("intercepted"),
                "people_waiting_at_sea": lambda m: m.people_waiting_at_sea(),
                "refusals": lambda m: m.ledger.total("disembarkation_refusals"),
            }
        )

    # --- construction ---------------------------------------------------------------------------

    def _derive(self) -> None:
        """The values the schedule reads from the scenario in force (again on each change day).

        Its tables (``model/setup.py``).
        """
        pol = self.params.policy
        tables = self.setup = setup.build(self.params, self.geo, self.rows)
        st, ch, coop = tables.states, tables.channels, tables.cooperation
        self.framework = coop.framework
        self.participants = st.participants
        self.max_hours_with_people = pol.sar.max_hours_with_people
        self.channel_profiles, self.channel_family, self.channel_days = ch.profiles, ch.family, ch.processing_days
        self.quotas = ch.quotas  # slots accrue daily: a change counts pro rata
        for state in self.states:
            state.stance = pol.states[state.name]
        self.stance = st.stance  # what states' answers to requests turn on
        self.willing = st.willing
        self.evacuates = st.evacuates
        self.screening_staff = tables.protection_staff[None]
        self.screening_facts = tables.protection_facts[None]
        self.crisis_c = tables.crisis[None]
        self.crisis_state = np.array([tables.crisis_state])
        # where a standing framework lands people (model/rules/landing.py)
        self.landing_rule, self.landing_hub, self.landing_rank, self.landing_caps = (
            coop.landing_rule,
            coop.landing_hub,
            coop.landing_rank,
            coop.landing_caps,
        )
        self.day_people = tables.day_people  # per day of the run: people in its month
        self.sighting_p = tables.sighting_p
        self.lane = tables.vessels.lane

    def _make_fleets(self) -> None:
        """One vessel per row of the vessel table; rows beyond a fleet's size at the start wait in port, withdrawn.

        The draws are the agents' own, in row order: a fleet vessel's place in its station disc
        (and where in its rotation it starts), a merchant ship's place on its lane and direction.
        """
        fleets = self.params.policy.sar.fleets
        t = self.setup.vessels
        x0, x1, y0 = self.lane
        for i in range(len(t)):
            if not t.merchant[i]:
                draw = (math.sqrt(self.rng.random()), 2 * math.pi * self.rng.random())
                v = RescueVessel(self, t, i, fleets[t.fleet[i]])
                v.station_draw = draw
                v.refit(t, i, fleets[t.fleet[i]])
                v.x, v.y = v.sx, v.sy
                if t.endurance[i]:
                    v.days_at_sea = float(self.rng.uniform(0, t.endurance[i]))
                home = v.home_port
            else:
                x = float(self.rng.uniform(x0, x1))
                home = self.geo.nearest_port(x, y0)
                v = RescueVessel(self, t, i, None, (x, y0), home)
                v.lane_dir = 1 if self.rng.random() < 0.5 else -1
            if t.blocked[i]:
                v.status, v.x, v.y = "in_port", float(self.geo.port_x[home]), float(self.geo.port_y[home])
            self.vessels.append(v)

    def _apply_changes(self, hour: int) -> None:
        """At 00:00 of a change day: the scenario in force switches, and every agent takes it up."""
        change = self.changes.get(hour // 24)
        if change is None:
            return
        if (
            change.scenario.policy.enforcement.arrests_capacity_cut
            != self.params.policy.enforcement.arrests_capacity_cut
        ):
            self.arrests_since_day = hour // 24  # (a new cut: its recovery counts from today)
        self.params = change.scenario
        self._derive()
        fleets = self.params.policy.sar.fleets
        t = self.setup.vessels
        for i, v in enumerate(self.vessels):
            v.refit(t, i, fleets.get(t.fleet[i]) if not t.merchant[i] else None)
        for net in self.networks:
            net.refit(self.params.world.smugglers[net.name])
        self.network_p = np.array([n.p.demand_share for n in self.networks])
        self.network_shift = np.array([n.shift for n in self.networks])
        for e in change.entries:
            self.ledger.event(hour, "policy_change", detail=e.name)

    def _adapt_to_presence(self) -> None:
        """Smugglers adapt to the share of rescue capacity at sea today.

        (``world.adaptation.follows_presence``; :func:`model.rules.smuggling.presence_share`).
        """
        fleet = [v for v in self.vessels if v.fleet is not None]
        rescuing = np.array([not (v.returns_people or self.blocked(v)) for v in fleet], dtype=bool)
        at_sea = np.array([v.status not in ("in_port", "to_home") for v in fleet], dtype=bool)
        share = float(smuggling.presence_share(np.array([v.capacity for v in fleet], dtype=float), rescuing, at_sea)[0])
        for net in self.networks:
            net.refit(net.p, share)
        self.network_shift = np.array([n.shift for n in self.networks])

    def blocked(self, vessel: RescueVessel) -> bool:
        """Whether ``vessel`` is out of service.

        Withdrawn (its fleet shrank) or kept in port by policy (NGO ships blocked).
        """
        return rescue.out_of_service(vessel.withdrawn, vessel.kind == "ngo", self.params.policy.sar.ngo_blocked)

    def rescue_distance(self, x: float, y: float) -> float:
        """Distance (km) from (x, y) to the nearest station centre of a rescuing fleet at sea.

        Fleets that return people (Libya) or are kept in port do not count; merchant ships are
        not stationed. Station centres, not each vessel's drawn position, so that the smugglers'
        adaptation depends on policy, not on the seed.
        """
        fleets = [v.fleet for v in self.vessels if v.fleet is not None]
        sx, sy = project([f.station_lon for f in fleets], [f.station_lat for f in fleets])
        rescuing = [not (v.returns_people or self.blocked(v)) for v in self.vessels if v.fleet is not None]
        return smuggling.nearest_station_km(sx, sy, np.array(rescuing, dtype=bool), x, y)

    def state_name(self, index: int) -> str:
        """Name of state ``index`` ('' for -1)."""
        return self.geo.states[index] if index >= 0 else ""

    # --- people ---------------------------------------------------------------------------------

    def set_status(self, people: list[Migrant], dst: str, metric: str | None = None) -> None:
        """Move people to status ``dst`` (and count them for ``metric``), through the ledger."""
        if not people:
            return
        src: dict[str, int] = {}
        for p in people:
            src[p.status] = src.get(p.status, 0) + 1
            p.status = dst
        for s, n in src.items():
            self.ledger.move(s, dst, n)
        if metric:
            self.ledger.persons(metric, np.fromiter((p.profile for p in people), dtype=np.int64, count=len(people)))

    def land(
        self,
        people: list[Migrant],
        port: int,
        hour: int,
        case_id: int = -1,
        vessel: str = "",
        unassisted: bool = False,
        relocate: bool = False,
    ) -> None:
        """Land people at ``port``: arrivals, reception, the day's landings for screening.

        (at the day's close), and any relocation.
        """
        if not people:
            return
        s = int(self.geo.port_state[port])
        st = self.states[s]
        n = len(people)
        self.set_status(people, "landed", "arrivals")
        self.ledger.arrivals_by_state[s] += n
        st.occupancy += n
        st.today_arrivals += n
        self.landed_today[s] += np.bincount(
            [p.profile for p in people], minlength=len(PROFILES)
        )  # screened at the day's end
        ev = "unassisted_arrival" if unassisted else "landing"
        self.ledger.event(
            hour,
            ev,
            case_id,
            vessel=vessel,
            state=st.name,
            persons=n,
            x=self.geo.port_x[port],
            y=self.geo.port_y[port],
            detail=self.geo.port_names[port],
        )
        if relocate:
            self._schedule_relocation(people, s, hour, case_id)

    def _schedule_relocation(self, people: list[Migrant], s: int, hour: int, case_id: int) -> None:
        coop = self.params.policy.cooperation
        facts = [st.facts for st in self.states]
        capacity = np.array([f.reception_capacity_people for f in facts], dtype=float)
        safe = np.array([f.place_of_safety for f in facts], dtype=bool)
        members = self.participants if coop.membership_rule == burden.COST else None  # (states join and leave)
        weights = burden.relocation_weights(
            self.params,
            self.geo.states,
            disembarkation.relocation_weights(
                coop.relocation_key, self.geo.states, self.participants, self.framework, capacity, safe
            ),
            members,
        )
        share = float(
            burden.relocated_share(coop.relocation_share, weights, s, coop.relocation_key_rule != burden.NEGOTIATED)
        )  # (a key rule: the landing state keeps its share)
        weights[s] = 0.0
        k = int(self.rng.binomial(len(people), share))
        if k == 0 or weights.sum() == 0:
            return
        chosen = self.rng.choice(len(people), size=k, replace=False)
        profiles = np.array([people[i].profile for i in chosen], dtype=np.int64)
        u = self.rng.random((1, weights.size))  # one group: one uniform per state
        counts = disembarkation.relocation_counts(np.array([k]), weights[None, :], u)[0]
        self.relocations.append((hour + int(coop.relocation_days * 24), s, counts, profiles, case_id))

    def intercept(self, people: list[Migrant], state: int) -> None:
        """Return people to ``state``; some will try again after detention."""
        self.set_status(people, "intercepted", "intercepted")
        self.ledger.intercepted_by_state[state] += len(people)
        dem = self.params.world.demand
        retry = self.rng.random(len(people)) < dem.retry_probability
        due = self.hour + int(dem.detention_days * 24)
        self.detained += [(due, p) for p, r in zip(people, retry.tolist(), strict=True) if r]

    def harm(self, boat: MigrantBoat, state: int) -> None:
        """Deaths as ``state``'s patrol stops ``boat``.

        (``interception_death_share`` of those aboard, drawn), then injuries among the survivors
        (``interception_injury_share``, counted).
        """
        stance = self.states[state].stance
        share = stance.interception_death_share
        if share > 0 and boat.people:
            k = int(self.rng.binomial(len(boat.people), share))
            if k:
                self.kill(boat, k)
        if stance.interception_injury_share > 0 and boat.people:
            self.ledger.count(
                "injured_in_interception", int(self.rng.binomial(len(boat.people), stance.interception_injury_share))
            )

    def kill(self, boat: MigrantBoat, k: int) -> None:
        """``k`` people aboard ``boat`` die; split into dead (body recovered) and missing."""
        idx = self.rng.choice(len(boat.people), size=k, replace=False)
        dying = [boat.people[i] for i in idx]
        gone = set(idx.tolist())
        boat.people = [p for i, p in enumerate(boat.people) if i not in gone]
        sv = self.params.world.survival
        dead, _missing = crossing.deaths_split(
            k,
            crossing.body_recovery_share(sv.body_recovery_share, boat.detected, sv.unseen_body_recovery_factor),
            self.rng.random(),
        )
        self.set_status(dying[: int(dead)], "dead", "dead")
        self.set_status(dying[int(dead) :], "missing", "missing")

    def free_places(self) -> np.ndarray:
        """Free reception places in each state (never negative)."""
        return np.array([max(0.0, s.facts.reception_capacity_people - s.occupancy) for s in self.states])

    def framework_landing(self, dist: np.ndarray, srr: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The participants bound to land a group of ``n``.

        (under their caps) and, as a mask, the one the landing rule names first.
        """
        eligible = np.zeros(len(self.states), dtype=bool)
        landing.eligible_states(dist, self.participants, float(n), self.framework_year, self.landing_caps, eligible)
        free = np.array([st.facts.reception_capacity_people - st.occupancy for st in self.states])
        s = landing.framework_landing_state(
            self.landing_rule,
            dist,
            eligible,
            srr,
            self.landing_hub,
            self.landing_rank,
            self.framework_turn,
            float(n),
            free,
        )
        return eligible, np.arange(len(self.states)) == s

    def framework_landed(self, s: int, n: int) -> None:
        """State ``s`` accepted a group of ``n`` under the framework.

        Its count this year, and the turn of a rotation.
        """
        self.framework_year[s] += n
        self.ledger.framework_landed[s] += n
        if self.landing_rule == landing.ROTATION:
            self.framework_turn = int(landing.next_turn(self.landing_rank, s))

    def people_waiting_at_sea(self) -> int:
        """People aboard ships that are waiting for a place of safety."""
        return sum(len(v.aboard) for v in self.vessels if v.status == "waiting")

    # --- coordination ---------------------------------------------------------------------------

    def open_case(self, boat: MigrantBoat) -> None:
        """A distress case reaches an RCC: draw who is alerted first and who coordinates."""
        first = int(self.rng.choice(self.alert_states, p=self.alert_p))
        willing = boat.srr >= 0 and self.rng.random() < self.willing[boat.srr]
        coord = int(rescue.coordinating_state(boat.srr, willing, first))
        boat.case_draws = (willing, coord)
        boat.first_alerted = first
        st = self.states[coord].stance
        silent = st.rcc_no_response_probability
        boat.answer_due = rescue.first_tasking_hour(
            self.hour, st.rcc_response_hours, self.rng.random() if silent > 0 else 1.0, silent
        )
        self.ledger.event(
            self.hour,
            "alert",
            boat.unique_id,
            state=self.state_name(first),
            persons=len(boat.people),
            x=boat.x,
            y=boat.y,
        )
        self.ledger.event(
            self.hour,
            "coordination",
            boat.unique_id,
            state=self.state_name(coord),
            x=boat.x,
            y=boat.y,
            detail=COORDINATION[0] if willing else COORDINATION[1],
        )
        self.cases.append(boat)

    def coordinate(self) -> None:
        """Each RCC tasks vessels to its open, unattended cases (:func:`model.rules.tasking.task_case`)."""
        self.cases = [b for b in self.cases if b.people]
        vs = self.vessels
        if not vs:
            return
        vx, vy = np.array([v.x for v in vs]), np.array([v.y for v in vs])
        speed = np.array([v.speed_kmh for v in vs])
        merchant = np.array([v.kind == "merchant" for v in vs])
        n = len(vs) + 1
        kind, pick, eta = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n)
        work = np.empty((2, len(vs)))
        sar = self.params.policy.sar
        standing = self.framework == disembarkation.STANDING
        for boat in self.cases:
            if boat.tasked is not None or self.hour < boat.answer_due:
                continue
            if boat.pending_decline:
                name, x, y, asked = boat.pending_decline
                boat.pending_decline = None
                self.ledger.event(
                    self.hour,
                    "decline",
                    boat.unique_id,
                    vessel=name,
                    persons=len(boat.people),
                    x=x,
                    y=y,
                    detail=decline_detail(asked),
                )
            coord = boat.case_draws[1]
            here = self.geo.states[coord]
            free = np.array([v.free for v in vs], dtype=float)
            own = [bool(v.fleet) and here in v.fleet.taskable_by for v in vs]
            avail = [v.available for v in vs]
            candidate = np.array(
                [
                    tasking.may_send(
                        v.status == "patrol",
                        free[j],
                        bool(self.blocked(v)),
                        v.unique_id in boat.declined,
                        bool(merchant[j]),
                        own[j],
                        standing,
                        bool(self.participants[coord]),
                        bool(v.flag_index >= 0 and self.participants[v.flag_index]),
                        bool(self.states[coord].stance.others_stand_by),
                    )
                    for j, v in enumerate(vs)
                ]
            )
            candidates = np.flatnonzero(candidate)
            u = np.full(len(vs), np.nan)
            while True:
                k = tasking.task_case(
                    boat.x,
                    boat.y,
                    len(boat.people),
                    int(coord),
                    int(boat.first_alerted),
                    any(a and o for a, o in zip(avail, own, strict=True)),
                    vx,
                    vy,
                    speed,
                    free,
                    merchant,
                    candidates,
                    candidates.size,
                    u,
                    float(self.compliance_today),
                    float(sar.merchant.diversion_aversion_per_100km),
                    self.geo.port_x,
                    self.geo.port_y,
                    self.geo.port_safe,
                    float(int(sar.merchant.response_hours)),
                    kind,
                    pick,
                    eta,
                    work[0],
                    work[1],
                )
                j = tasking.needs_draw(kind, pick, k)
                if j < 0:
                    break
                u[j] = self.rng.random()
            for i in range(k):
                self._coordination_action(boat, coord, int(kind[i]), vs[pick[i]] if pick[i] >= 0 else None, eta[i])

    def _coordination_action(
        self, boat: MigrantBoat, coord: int, kind: int, v: RescueVessel | None, eta: float
    ) -> None:
        """Apply one action of :func:`model.rules.tasking.task_case` to the agents and the event log."""
        if kind == tasking.HAND_OVER:
            boat.case_draws = (boat.case_draws[0], boat.first_alerted)
            self.ledger.event(
                self.hour,
                "coordination",
                boat.unique_id,
                state=self.state_name(boat.first_alerted),
                x=boat.x,
                y=boat.y,
                detail=COORDINATION[2],
            )
            return
        tasked = dict(vessel=v.unique_name, state=self.state_name(coord), persons=len(boat.people), x=v.x, y=v.y)
        if kind == tasking.TASK:
            v.task(boat)
            self.ledger.event(self.hour, "tasking", boat.unique_id, **tasked, detail=tasking_detail(eta))
            return
        boat.declined.add(v.unique_id)
        self.ledger.count("merchant_declines")
        if kind == tasking.TASK_LATER:  # the master answers later; nobody else is sent meanwhile
            self.ledger.event(self.hour, "tasking", boat.unique_id, **tasked, detail=AWAITING_ANSWER)
            boat.answer_due = self.hour + int(self.params.policy.sar.merchant.response_hours)
            boat.pending_decline = (v.unique_name, v.x, v.y, self.hour)
            return
        self.ledger.event(
            self.hour, "decline", boat.unique_id, vessel=v.unique_name, persons=len(boat.people), x=v.x, y=v.y
        )

    def patrol(self) -> None:
        """Vessels that patrol for boats.

        (``intercepts_within_km``) go after the nearest afloat boat no one is tasked to, in fleet order.
        """
        hunters = [
            v for v in self.vessels if v.fleet and v.fleet.intercepts_within_km > 0 and v.available and not v.aboard
        ]
        if not hunters or not self.boats:
            return
        boats = self.boats
        ids = np.array([b.unique_id for b in boats])
        bx, by = np.array([b.x for b in boats]), np.array([b.y for b in boats])
        for v in hunters:
            free = np.array([bool(b.people) and b.status != "capsized" and b.tasked is None for b in boats])
            i = rescue.patrol_target(crossing.distance(bx - v.x, by - v.y), free, ids, v.fleet.intercepts_within_km)
            if i >= 0:
                v.task(boats[i])

    # --- the schedule ---------------------------------------------------------------------------

    def step(self) -> None:
        """Advance one hour."""
        h = self.hour
        if h % 24 == 0:
            self._daily(h)
        for b in self.boats:
            b.step()
        done = [b for b in self.boats if not b.people]
        if done:
            self.boats = [b for b in self.boats if b.people]
            for b in done:
                b.remove()
        self.coordinate()
        self.patrol()
        for v in self.vessels:
            v.step()
        self.ledger.check(h)
        self.datacollector.collect(self)
        if h % 24 == 23:
            self._close_day(h // 24)
        self.hour += 1
        if self.hour >= self.params.world.days * 24:
            self.running = False

    def _daily(self, h: int) -> None:
        self._apply_changes(h)
        if self.params.world.adaptation.follows_presence:
            self._adapt_to_presence()
        waiting = [v for v in self.vessels if v.status == "waiting"]
        delay = rescue.expected_delay_days(
            np.array([h - v.first_request_hour for v in waiting], dtype=float),
            np.zeros(len(waiting), dtype=np.int64),
            1,
        )[0]
        mer = self.params.policy.sar.merchant
        self.compliance_today = float(rescue.merchant_compliance(mer.compliance, delay, mer.delay_aversion_per_day))
        day = h // 24
        w = self.params.world
        date = self.start + pd.Timedelta(days=day)
        month = date.month - 1
        if day > 0 and date.month == 1 and date.day == 1:
            self.slots[:] = 0.0  # a year's unused slots lapse
            self.framework_year[:] = 0.0  # and a framework's caps start again
        self._membership(day, date)
        self.slots += legal.daily_slots(self.quotas, 366 if date.is_leap_year else 365)
        # weather
        self.anomaly = float(
            weather.anomaly_step(self.anomaly, w.weather.persistence, w.weather.noise_sd, self.rng.standard_normal())
        )
        self.sea_state = float(weather.sea_state(w.weather.monthly_sea_state[month], self.anomaly))
        self.weather_mult = float(weather.hazard_multiplier(self.sea_state, w.weather.hazard_per_unit))
        surv = weather.survival_hours(w.weather.sea_temp_c[month], w.survival.max_survival_hours)
        self.in_water_death_p = float(crossing.in_water_death_probability(w.survival.drowning_per_hour, surv))
        # states, relocations, legal arrivals, returns
        for st in self.states:
            st.daily()
        self._relocate_due(h)
        while self.in_legal and self.in_legal[0][0] <= h:
            _, p = self.in_legal.popleft()
            self.set_status([p], "legal_arrived", "legal_arrivals")
        if self.detained:
            back = [p for due, p in self.detained if due <= h]
            self.detained = [(due, p) for due, p in self.detained if due > h]
            self.set_status(back, "waiting_at_origin")
            self.waiting += back
        # new people on the coast
        n = int(departure.daily_arrivals(self.day_people[day], date.days_in_month, self.rng.random()))
        if n:
            prof = self.rng.choice(len(PROFILES), size=n, p=np.array(w.demand.profile_share.as_tuple()))
            fam = self.rng.random(n) < w.demand.family_ties_share
            net = self.rng.choice(len(self.networks), size=n, p=self.network_p)
            elig = legal.eligibility(prof, fam, self.channel_profiles, self.channel_family)
            self.ledger.create(n)
            self.waiting += [
                Migrant(self, int(a), bool(b), int(c), e) for a, b, c, e in zip(prof, fam, net, elig, strict=True)
            ]
        self._crisis_day(day)
        self._decide(h)
        for net_agent in self.networks:
            net_agent.launch(h)
        for v in self.vessels:
            v.daily()

    def _decide(self, h: int) -> None:
        """Everyone waiting at origin chooses: wait, a legal channel (if offered), or a smuggler."""
        if not self.waiting:
            return
        pol = self.params.policy
        k = len(self.waiting)
        prof = np.fromiter((p.profile for p in self.waiting), dtype=np.int64, count=k)
        fam = np.fromiter((p.family_ties for p in self.waiting), dtype=bool, count=k)
        elig = legal.eligibility(prof, fam, self.channel_profiles, self.channel_family).reshape(
            k, len(self.channel_names)
        )  # under the channels in force today
        wants = self.rng.random(k) < pol.legal.uptake_probability
        chosen, self.slots = legal.allocate(elig, wants, self.slots)
        nets = np.fromiter((p.network for p in self.waiting), dtype=np.int64, count=k)
        ad = self.params.world.adaptation
        dem, enf = self.params.world.demand, pol.enforcement
        p_wait = departure.wait_probability(
            dem.wait_daily_probability,
            enf.information_campaign,
            enf.campaign_wait_effect,
            self.network_shift[nets],
            ad.departure_response,
        )
        p_wait = departure.responsive_wait(
            p_wait,
            self.perceived,
            dem.risk_response_per_pp,
            dem.risk_reference,
            dem.interception_response_per_pp,
            dem.interception_reference,
            enf.information_campaign * enf.campaign_risk_pp / 100.0,
        )
        choice = departure.choose(chosen >= 0, p_wait, self.rng.random(k))
        stay: list[Migrant] = []
        for p, c, ch in zip(self.waiting, choice.tolist(), chosen.tolist(), strict=True):
            if c == departure.LEGAL:
                self.set_status([p], "legal_process")
                self.in_legal.append((h + int(self.channel_days[ch] * 24), p))
            elif c == departure.SMUGGLER:
                self.networks[p.network].queue.append(p)
            else:
                stay.append(p)
        self.in_legal = deque(sorted(self.in_legal, key=lambda t: t[0]))
        self.waiting = stay

    def _relocate_due(self, h: int) -> None:
        due = [r for r in self.relocations if r[0] <= h]
        if not due:
            return
        self.relocations = [r for r in self.relocations if r[0] > h]
        within = self.params.policy.cooperation.relocation_within_places
        for _, src, counts, profiles, case_id in due:
            if (
                within
            ):  # at most each state's free reception places now (burden.relocation_within_places); the rest stay
                occ = np.array([st.occupancy for st in self.states])
                counts = burden.relocation_within_places(
                    counts, occ, np.array([st.facts.reception_capacity_people for st in self.states], dtype=float)
                )
                kept = burden.trim_profiles(np.bincount(profiles, minlength=len(PROFILES)), int(counts.sum()))
                profiles = np.repeat(np.arange(len(PROFILES)), kept)
            k = int(counts.sum())
            self.states[src].occupancy = max(0.0, self.states[src].occupancy - k)
            self.ledger.relocated_out[src] += k
            for s, c in enumerate(counts.tolist()):
                if c:
                    self.states[s].occupancy += c
                    self.ledger.relocated_in[s] += c
                    self.ledger.event(
                        h,
                        "relocation",
                        case_id,
                        state=self.geo.states[s],
                        persons=c,
                        detail=relocation_detail(self.geo.states[src]),
                    )
            self.ledger.persons("relocations", profiles)

    def _crisis_day(self, day: int) -> None:
        """A crisis's day (:func:`model.rules.crisis.crisis_day`).

        Workers reach the coast, are evacuated, or join those waiting for a smuggler.
        """
        if not crisis.active(self.crisis_c, self.crisis_waiting, day):
            return
        out = crisis.crisis_day(
            day, self.crisis_waiting, self.crisis_c, self.crisis_rng.random((1, crisis.N_UNIFORMS))
        )[0]
        lg, fl = self.ledger, crisis.FL
        lg.crisis += out
        lg.create(int(out[fl["reached_coast"]]), "awaiting_evacuation")
        lg.move("awaiting_evacuation", "evacuated", int(out[fl["evacuated"]]))
        k = int(out[fl["gave_up"]])
        if not k:
            return
        lg.move("awaiting_evacuation", "waiting_at_origin", k)
        weights = crisis.network_weights(
            self.network_p[None], np.array([[n.state_index for n in self.networks]]), self.crisis_state
        )
        per_net = crisis.to_networks(np.array([k]), weights, self.crisis_rng.random((1, len(self.networks))))[0]
        prof = PROFILES.index("economic_migrant")
        elig = legal.eligibility(np.array([prof]), np.array([False]), self.channel_profiles, self.channel_family)[0]
        self.waiting += [Migrant(self, prof, False, j, elig) for j, n in enumerate(per_net.tolist()) for _ in range(n)]

    def _screen_day(self) -> None:
        """The day's screening and referral after landing.

        (:func:`model.rules.protection.screen_day`), into the ledger.
        """
        u = self.protection_rng.random((1, len(self.states), protection.N_UNIFORMS))
        out = protection.screen_day(
            self.screening, self.landed_today[None], self.screening_staff, self.screening_facts, u
        )[0]
        self.landed_today[:] = 0
        lg = self.ledger
        lg.protection += out
        lg.protection_queued = protection.queued(self.screening)[0]
        lg.screening_queue_max = max(lg.screening_queue_max, int(self.screening.screen.sum()))
        for metric, prof in PROTECTION_PERSONS:
            k = int(out[:, protection.OUT[metric]].sum())
            if k:
                lg.persons(metric, np.full(k, PROFILES.index(prof)))

    def _close_day(self, day: int) -> None:
        self._screen_day()
        lg = self.ledger
        self.perceived = departure.perceived_update(
            self.perceived,
            lg.today("dead", "missing"),
            lg.today("intercepted"),
            lg.today("departures"),
            self.params.world.demand.perception_days,
        )
        waiting = [v for v in self.vessels if v.status == "waiting"]
        occ = sum(st.occupancy for st in self.states if st.facts.place_of_safety)
        self.ledger.reception_days += [st.occupancy for st in self.states]  # burden: person-days in reception, by state
        self.ledger.close_day(day, self.sea_state, len(waiting), sum(len(v.aboard) for v in waiting), occ)

    # --- running --------------------------------------------------------------------------------

    def result(self, seed: int) -> RunResult:
        """The run's outcomes in the shared schema (waits at sea still running count to the run's end)."""
        self.ledger.waits_open = [
            (self.hour - v.first_request_hour) / 24.0 for v in self.vessels if v.status == "waiting"
        ]
        self.ledger.members_end = self.participants.copy()
        return self.ledger.result(self.base_params, seed, "mesa")

    def _membership(self, day: int, date: pd.Timestamp) -> None:
        """At each month's start, states join or leave the framework by their costs (``burden.membership``).

        Days as a member.
        """
        led = self.ledger
        if self.params.policy.cooperation.membership_rule == burden.COST and day > 0 and date.day == 1:
            taken = led.arrivals_by_state + led.relocated_in - led.relocated_out
            new = burden.membership(
                self.params, self.geo.states, self.participants, led.left_day >= 0, taken, led.standoff_days
            )
            led.joined_day[new & ~self.participants & (led.joined_day < 0)] = day
            led.left_day[self.participants & ~new] = day
            self.participants = new
        led.member_days += self.participants

    def add_boat(
        self,
        lon: float,
        lat: float,
        boat_type: str,
        people: dict[str, int],
        network: str | None = None,
        in_distress: bool = True,
    ) -> MigrantBoat:
        """Put a scripted boat at sea now (for case replays): its people, type and position.

        The boat belongs to ``network`` (default: the first) only for bookkeeping; it starts
        without fuel, and in distress if ``in_distress``.
        """
        net = self.networks[list(self.params.world.smugglers).index(network)] if network else self.networks[0]
        prof = np.array([PROFILES.index(p) for p, n in people.items() for _ in range(n)], dtype=np.int64)
        fam = np.zeros(prof.size, dtype=bool)
        elig = legal.eligibility(prof, fam, self.channel_profiles, self.channel_family)
        self.ledger.create(prof.size)
        migrants = [Migrant(self, int(a), False, net.index, e) for a, e in zip(prof, elig, strict=True)]
        boat = MigrantBoat(self, net, BOAT_TYPES.index(boat_type), migrants)
        x, y = project(lon, lat)
        boat.x, boat.y, boat.fuel_km = float(x), float(y), 0.0
        self.boats.append(boat)
        self.ledger.event(
            self.hour, "launch", boat.unique_id, persons=prof.size, x=boat.x, y=boat.y, detail=f"scripted:{boat_type}"
        )
        if in_distress:
            boat.distress(self.hour)
        return boat

    def release(self) -> None:
        """Free the model's memory after a run.

        Mesa 3.3 keeps a class-level id counter keyed by model (``Agent._ids``), which holds every
        finished model, and with it every agent, alive; repeated runs in one process (sweeps) would
        grow without bound. Mesa 3.5 keeps the counter on the model instead.
        """
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)
        self.remove_all_agents()
        self.boats, self.cases, self.waiting, self.vessels, self.networks = [], [], [], [], []
        self.detained, self.relocations = [], []
        self.in_legal.clear()

    def count_statuses(self) -> dict[str, int]:
        """Recount every person's status from the agents themselves (for conservation tests)."""
        out: dict[str, int] = {}
        for a in self.agents_by_type.get(Migrant, []):
            out[a.status] = out.get(a.status, 0) + 1
        for status, n in (
            ("awaiting_evacuation", int(self.crisis_waiting.sum())),
            ("evacuated", int(self.ledger.status[STATUS_INDEX["evacuated"]])),
        ):
            if n:  # a crisis's workers are counts until they give up on evacuation
                out[status] = n
        return out
