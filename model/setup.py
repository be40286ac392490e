"""The facts a scenario fixes, as typed tables both engines start from.

A scenario (``model/params.py``) says what each fleet, state, network and legal channel is; the
engines need the same facts as arrays in a fixed order: one row per vessel in fleet order (merchant
ships last), per state in the geography's order, per network and per channel in the scenario's
order. :func:`build` resolves a scenario into those tables once; the Mesa engine creates one agent
per vessel row and reads the state and channel arrays, the vectorised engine copies the columns
into its :class:`~model.vector_engine.state.Constants` (plain numpy arrays, as its compiled kernels
take them). On a change day of a timeline (``model/timeline.py``) both engines call :func:`build`
again on the scenario in force, with the same vessel rows.

The tables hold no engine state: nothing here draws a random number (a vessel's place in its
station disc, a merchant ship's place on its lane are each engine's own draws). Their arrays are
built once and never written.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.geography import KN_TO_KMH, Geography, places, project
from model.params import PROFILES, VESSEL_KINDS, Scenario
from model.rules import crisis, departure, disembarkation, landing, protection, rescue
from model.timeline import MERCHANTS, active_rows

#: The fleet name of merchant ships' rows (their row group in ``vessel_rows`` is :data:`MERCHANTS`).
MERCHANT = "merchant"


@dataclass(frozen=True, slots=True)
class Vessels:
    """One row per vessel: every fleet's rows in the scenario's fleet order, then the merchant ships.

    Rows beyond a fleet's size in the scenario in force (kept for a later period of a timeline,
    :func:`model.timeline.vessel_rows`) are ``withdrawn``. Merchant ships have no station (``cx``,
    ``cy`` NaN) and no home port (-1): they sail ``lane``.
    """

    fleet: tuple[str, ...]  # fleet name ("merchant" for merchant ships)
    kind: np.ndarray  # index into VESSEL_KINDS
    flag: np.ndarray  # flag state's index (-1: not a modelled state)
    speed: np.ndarray  # km/h
    capacity: np.ndarray  # persons
    cx: np.ndarray  # station centre, km (projected)
    cy: np.ndarray
    radius: np.ndarray  # station disc's radius, km
    home: np.ndarray  # home port's index (-1: merchant ships)
    batch: np.ndarray  # share full before asking for a port (rescue.batch_share)
    endurance: np.ndarray  # days at sea before going home (0: never)
    port_days: np.ndarray  # days in port after a rotation
    taskable: np.ndarray  # (vessels, states): whose RCC can task it
    withdrawn: np.ndarray  # out of service: beyond its fleet's size in force
    blocked: np.ndarray  # withdrawn, or kept in port by policy (NGO ships blocked)
    merchant: np.ndarray
    returns: np.ndarray  # its flag state is no place of safety: it returns people (interception)
    hunt: np.ndarray  # intercepts boats within this many km on patrol (0: does not)
    approach: np.ndarray  # on-scene hours by its kind (rescue.on_scene_hours)
    per100: np.ndarray
    lane: tuple[float, float, float]  # merchant lane: x from, x to, y (km)

    def __len__(self) -> int:
        return len(self.fleet)


@dataclass(frozen=True, slots=True)
class States:
    """One row per state, in the geography's order: its facts and its stance."""

    names: tuple[str, ...]
    index: dict[str, int]
    safe: np.ndarray  # a place of safety
    capacity: np.ndarray  # reception places
    processing_days: np.ndarray
    initial_occupancy: np.ndarray
    stance: disembarkation.Stance  # what its answer to a request turns on (accept, logits, closed ports)
    willing: np.ndarray  # its RCC coordinates a case
    evacuates: np.ndarray  # evacuates medical cases from ships waiting at sea
    interception_zone_km: np.ndarray
    interception_per_hour: np.ndarray
    rcc_delay: np.ndarray  # hours
    rcc_silent: np.ndarray  # probability its RCC does not respond
    harm: np.ndarray  # share killed in an interception
    harm_injury: np.ndarray
    stand_by: np.ndarray  # others stand by in its zone
    precedent_half_life: np.ndarray  # days
    participants: np.ndarray  # in the cooperation framework at the start


@dataclass(frozen=True, slots=True)
class Networks:
    """One row per smuggling network, in the scenario's order: where it launches and what it sends."""

    names: tuple[str, ...]
    x: np.ndarray  # departure point, km
    y: np.ndarray
    tx: np.ndarray  # destination port, km
    ty: np.ndarray
    dest: np.ndarray  # destination port's index
    heading: np.ndarray  # the state its boats head for
    state: np.ndarray  # the state of its departure point (-1: none modelled)
    mix: np.ndarray  # (networks, boat types): boat mix before adaptation
    load_factor: np.ndarray  # before adaptation
    max_boats: np.ndarray  # per day
    price: np.ndarray  # USD
    demand_share: np.ndarray


@dataclass(frozen=True, slots=True)
class Channels:
    """One row per legal channel, in the scenario's order."""

    names: tuple[str, ...]
    profiles: np.ndarray  # (channels, profiles): eligible profiles
    family: np.ndarray  # requires family ties
    processing_days: np.ndarray
    quotas: np.ndarray  # per year


@dataclass(frozen=True, slots=True)
class BoatTypes:
    """One row per boat type (``model.params.BOAT_TYPES``)."""

    typical_load: np.ndarray  # persons
    speed: np.ndarray  # km/h
    fuel_range: np.ndarray  # km
    rated: np.ndarray  # rated capacity, persons
    distress: np.ndarray  # per hour
    overload_exponent: np.ndarray
    no_fuel: np.ndarray  # distress per hour once out of fuel
    capsize_mean: np.ndarray  # hours
    capsize_share: np.ndarray  # share dying when it capsizes
    deterioration: np.ndarray  # per hour
    aboard_death: np.ndarray  # per hour


@dataclass(frozen=True, slots=True)
class Cooperation:
    """The cooperation framework in force: where a standing framework lands people (``model/rules/landing.py``)."""

    framework: int  # disembarkation.FRAMEWORK_CODES
    landing_rule: int  # landing.LANDING_RULES
    landing_hub: int  # state index (-1: none)
    landing_rank: np.ndarray  # each state's place among participants (-1: none)
    landing_caps: np.ndarray  # per state and year (inf: none)
    deal_states: np.ndarray  # the configured landing states of ad hoc deals that have a safe port (mask)


@dataclass(frozen=True, slots=True)
class Setup:
    """Every table of one scenario (see the module's docstring)."""

    vessels: Vessels
    states: States
    networks: Networks
    channels: Channels
    boats: BoatTypes
    cooperation: Cooperation
    alert_states: np.ndarray  # the states alerted first
    alert_p: np.ndarray  # and their shares
    sighting_p: float  # per hour (rescue.sighting_probability)
    day_people: np.ndarray  # per day of the run: people in its month (departure.month_people)
    protection_staff: np.ndarray  # (states, levers): screening after landing
    protection_facts: np.ndarray
    crisis: np.ndarray  # crisis.constants
    crisis_state: int


@functools.lru_cache(maxsize=64)
def day_months(start_date: str, days: int) -> tuple[str, ...]:
    """The month ("YYYY-MM") of each day of a run (cached: every variant and dated change of a batch asks)."""
    return tuple(pd.date_range(start_date, periods=days, freq="D").strftime("%Y-%m"))


def build(scenario: Scenario, geo: Geography, rows: dict[str, int] | None = None) -> Setup:
    """Resolve ``scenario`` into the tables both engines start from.

    ``rows``: vessel rows per fleet (and merchants, :data:`model.timeline.MERCHANTS`) over the
    whole run (:func:`model.timeline.vessel_rows`; default: the fleets' sizes in ``scenario``).
    """
    w, pol = scenario.world, scenario.policy
    states = build_states(scenario, geo)
    det = w.detection
    alert = det.first_alert_share
    months = day_months(w.start_date, w.days)
    dem = w.demand
    return Setup(
        vessels=build_vessels(scenario, geo, states, rows),
        states=states,
        networks=build_networks(scenario, geo, states),
        channels=build_channels(scenario),
        boats=build_boats(scenario),
        cooperation=build_cooperation(scenario, geo),
        alert_states=np.array([states.index[s] for s in alert], dtype=np.int64),
        alert_p=np.array(list(alert.values()), dtype=float),
        sighting_p=rescue.sighting_probability(
            det.sighting_per_hour, det.aerial_sighting_per_hour, pol.sar.aerial_surveillance
        ),
        day_people=departure.month_people(dem.people_per_year, dem.monthly_share_pct, dem.monthly_people, months),
        protection_staff=protection.capacities(scenario, geo.states),
        protection_facts=protection.facts(scenario),
        crisis=crisis.constants(scenario),
        crisis_state=states.index.get(w.crisis.state, -1),
    )


def build_states(scenario: Scenario, geo: Geography) -> States:
    """The states' facts and stance, in the geography's order."""
    w, pol = scenario.world, scenario.policy
    facts = [w.states[n] for n in geo.states]
    stance = [pol.states[n] for n in geo.states]
    arr = lambda name, dt=float: np.array([getattr(s, name) for s in stance], dtype=dt)  # noqa: E731
    return States(
        names=tuple(geo.states),
        index={n: i for i, n in enumerate(geo.states)},
        safe=np.array([f.place_of_safety for f in facts], dtype=bool),
        capacity=np.array([f.reception_capacity_people for f in facts], dtype=float),
        processing_days=np.array([f.processing_days for f in facts], dtype=float),
        initial_occupancy=np.array([f.initial_occupancy_people for f in facts], dtype=float),
        stance=disembarkation.stance(stance, VESSEL_KINDS),
        willing=arr("rcc_willing_probability"),
        evacuates=arr("evacuates_medical_cases", bool),
        interception_zone_km=arr("interception_zone_km"),
        interception_per_hour=arr("interception_per_hour"),
        rcc_delay=arr("rcc_response_hours"),
        rcc_silent=arr("rcc_no_response_probability"),
        harm=arr("interception_death_share"),
        harm_injury=arr("interception_injury_share"),
        stand_by=arr("others_stand_by", bool),
        precedent_half_life=arr("precedent_half_life_days"),
        participants=np.array([s in pol.cooperation.participants for s in geo.states], dtype=bool),
    )


def build_vessels(scenario: Scenario, geo: Geography, states: States, rows: dict[str, int] | None = None) -> Vessels:
    """One row per vessel (see :class:`Vessels`); ``rows`` as in :func:`build`."""
    sar = scenario.policy.sar
    size = active_rows(scenario)
    rows = rows if rows is not None else size
    scene = sar.on_scene.as_tuple()  # on-scene times by vessel kind (rescue.on_scene_hours)
    table: list[dict] = []
    for name, f in sar.fleets.items():
        kind = VESSEL_KINDS.index(f.kind)
        cx, cy = project(f.station_lon, f.station_lat)
        fleet = dict(
            fleet=name,
            kind=kind,
            flag=states.index.get(f.flag_state, -1),
            speed=f.speed_kn * KN_TO_KMH,
            capacity=f.capacity_people,
            cx=float(cx),
            cy=float(cy),
            radius=f.station_radius_km,
        )
        fleet.update(
            home=geo.port_names.index(f.home_port),
            endurance=f.endurance_days,
            port_days=f.port_days,
            taskable=[n in f.taskable_by for n in geo.states],
            merchant=False,
            hunt=f.intercepts_within_km,
        )
        for i in range(rows[name]):
            withdrawn = i >= size[name]
            blocked = rescue.out_of_service(withdrawn, f.kind == "ngo", sar.ngo_blocked)
            batch = rescue.batch_share(f.batch_until_full_share, blocked, f.kind == "ngo", sar.ngo_code_of_conduct)
            table.append(
                dict(
                    fleet,
                    withdrawn=withdrawn,
                    blocked=blocked,
                    batch=batch,
                    approach=scene[kind].approach_hours,
                    per100=scene[kind].hours_per_100_people,
                )
            )
    mer = sar.merchant
    kind = VESSEL_KINDS.index(MERCHANT)
    ship = dict(
        fleet=MERCHANT,
        kind=kind,
        flag=states.index.get(mer.flag_state, -1),
        speed=mer.speed_kn * KN_TO_KMH,
        capacity=mer.capacity_people,
        cx=math.nan,
        cy=math.nan,
        radius=0.0,
    )
    ship.update(
        home=-1,
        endurance=0.0,
        port_days=1.0,
        taskable=[True] * len(geo.states),
        merchant=True,
        hunt=0.0,
        batch=0.0,
        approach=scene[kind].approach_hours,
        per100=scene[kind].hours_per_100_people,
    )
    for i in range(rows[MERCHANTS]):
        table.append(dict(ship, withdrawn=i >= size[MERCHANTS], blocked=i >= size[MERCHANTS]))
    x0, y0 = project(mer.lane_lon_min, mer.lane_lat)
    x1, _ = project(mer.lane_lon_max, mer.lane_lat)
    col = lambda k, dt=float: np.array([r[k] for r in table], dtype=dt)  # noqa: E731
    flag = col("flag", np.int64)
    return Vessels(
        fleet=tuple(r["fleet"] for r in table),
        kind=col("kind", np.int64),
        flag=flag,
        speed=col("speed"),
        capacity=col("capacity"),
        cx=col("cx"),
        cy=col("cy"),
        radius=col("radius"),
        home=col("home", np.int64),
        batch=col("batch"),
        endurance=col("endurance"),
        port_days=col("port_days"),
        taskable=col("taskable", bool).reshape(len(table), len(geo.states)),
        withdrawn=col("withdrawn", bool),
        blocked=col("blocked", bool),
        merchant=col("merchant", bool),
        returns=(flag >= 0) & ~states.safe[np.maximum(flag, 0)],
        hunt=col("hunt"),
        approach=col("approach"),
        per100=col("per100"),
        lane=(float(x0), float(x1), float(y0)),
    )


def build_networks(scenario: Scenario, geo: Geography, states: States) -> Networks:
    """The smuggling networks, in the scenario's order."""
    known = places()
    nets = list(scenario.world.smugglers.values())
    dest = np.array([geo.port_names.index(n.destination_port) for n in nets], dtype=np.int64)
    return Networks(
        names=tuple(scenario.world.smugglers),
        x=np.array([geo.xy(n.departure_point)[0] for n in nets], dtype=float),
        y=np.array([geo.xy(n.departure_point)[1] for n in nets], dtype=float),
        tx=np.array([geo.xy(n.destination_port)[0] for n in nets], dtype=float),
        ty=np.array([geo.xy(n.destination_port)[1] for n in nets], dtype=float),
        dest=dest,
        heading=disembarkation.heading_state(dest, geo.port_state).astype(np.int64),
        state=np.array([states.index.get(known[n.departure_point]["state"], -1) for n in nets], dtype=np.int64),
        mix=np.array([n.boat_mix.as_tuple() for n in nets], dtype=float),
        load_factor=np.array([n.load_factor for n in nets], dtype=float),
        max_boats=np.array([n.max_boats_per_day for n in nets], dtype=float),
        price=np.array([n.price_usd for n in nets], dtype=float),
        demand_share=np.array([n.demand_share for n in nets], dtype=float),
    )


def build_channels(scenario: Scenario) -> Channels:
    """The legal channels, in the scenario's order."""
    chans = list(scenario.policy.legal.channels.values())
    return Channels(
        names=tuple(scenario.policy.legal.channels),
        profiles=np.array([[p in c.eligible_profiles for p in PROFILES] for c in chans], dtype=bool).reshape(
            len(chans), len(PROFILES)
        ),
        family=np.array([c.requires_family_ties for c in chans], dtype=bool),
        processing_days=np.array([c.processing_days for c in chans], dtype=float),
        quotas=np.array([c.quota_per_year for c in chans], dtype=float),
    )


def build_boats(scenario: Scenario) -> BoatTypes:
    """The boat types, in ``BOAT_TYPES`` order."""
    bts = scenario.world.boats.as_tuple()
    arr = lambda name: np.array([getattr(b, name) for b in bts], dtype=float)  # noqa: E731
    return BoatTypes(
        typical_load=arr("typical_load_people"),
        speed=np.array([b.speed_kn * KN_TO_KMH for b in bts], dtype=float),
        fuel_range=arr("fuel_range_km"),
        rated=arr("rated_capacity_people"),
        distress=arr("distress_per_hour"),
        overload_exponent=arr("overload_exponent"),
        no_fuel=arr("no_fuel_distress_per_hour"),
        capsize_mean=arr("capsize_mean_hours"),
        capsize_share=arr("capsize_death_share"),
        deterioration=arr("deterioration_per_hour"),
        aboard_death=arr("aboard_death_per_hour"),
    )


def build_cooperation(scenario: Scenario, geo: Geography) -> Cooperation:
    """The framework in force and where it lands people."""
    coop = scenario.policy.cooperation
    has_port = np.array([geo.port_safe[geo.port_state == i].any() for i in range(len(geo.states))])
    deal_states = np.zeros(len(geo.states), dtype=bool)
    deal_states[disembarkation.deal_landing_states(coop.deal_landing_states, geo.states, has_port)] = True
    return Cooperation(
        framework=disembarkation.FRAMEWORK_CODES[coop.framework],
        landing_rule=landing.LANDING_RULES[coop.landing_rule],
        landing_hub=geo.states.index(coop.landing_hub) if coop.landing_hub in geo.states else -1,
        landing_rank=landing.ranks(coop.participants, geo.states),
        landing_caps=landing.caps(coop.landing_caps, geo.states),
        deal_states=deal_states,
    )
