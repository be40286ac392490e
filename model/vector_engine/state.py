"""Struct-of-arrays state of a batch of runs: scenario constants, people, boats, vessels, states.

People are held as counts, never as objects: a person's *type* is (profile, family ties), ten
types in all (``type = profile * 2 + family``), and every place a person can be (waiting at origin,
a smuggler's queue, a boat, a rescue vessel) holds a count per type. That is all the Mesa engine's
rules read about a person, so counts lose nothing the model uses, and ten million people cost a
few arrays. Boats, vessels and states are rows of arrays with a run index; boats are added at
launch and compacted once a day.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model import setup
from model.geography import Geography
from model.outcomes import CASE_METRICS, CRISIS_FLOWS, PERSON_METRICS, PROTECTION_OUTCOMES, STATUSES
from model.params import BOAT_TYPES, PROFILES, VESSEL_KINDS, Scenario
from model.rules import boat_hour, burden, crossing, departure, disembarkation, legal, smuggling, weather
from model.rules.vessel_hour import IN_PORT, PATROL, TASKED, TO_HOME, TO_PORT, WAITING  # noqa: F401  (vessel statuses: the Mesa agents' names as codes)
from model.timeline import schedule, vessel_rows

N_PROFILES = len(PROFILES)
N_TYPES = 2 * N_PROFILES
TYPE_PROFILE = np.repeat(np.arange(N_PROFILES), 2)  # profile of each type
TYPE_FAMILY = np.tile(np.array([False, True]), N_PROFILES)
VULNERABLE_TYPE = np.isin(
    TYPE_PROFILE, [PROFILES.index(p) for p in ("trafficking_victim", "unaccompanied_child", "medical_need")]
)
UAC_TYPES = TYPE_PROFILE == PROFILES.index("unaccompanied_child")
MEDICAL_TYPES = TYPE_PROFILE == PROFILES.index("medical_need")

# boat statuses (model.rules.boat_hour)
SAILING, DISTRESS, CAPSIZED = boat_hour.SAILING, boat_hour.DISTRESS, boat_hour.CAPSIZED


def to_profiles(by_type: np.ndarray) -> np.ndarray:
    """Sum counts per type (last axis) into counts per profile."""
    return by_type.reshape(*by_type.shape[:-1], N_PROFILES, 2).sum(axis=-1)


#: A constant that :meth:`Constants.build` sets (declared so that a reader sees every one, and its type in a batch).
_set = functools.partial(field, init=False, compare=False, repr=False)


@dataclass
class Constants:
    """Everything a scenario fixes, as arrays indexed by state, network, vessel, channel or type.

    :meth:`build` resolves one scenario; :meth:`for_runs` stacks them with a leading run axis, the
    form :class:`~model.vector_engine.step.Batch` reads (``c.capacity[run, state]``). The fields
    below are declared with that batch form's type (one scenario's scalars become arrays there).
    """

    scenario: Scenario
    geo: Geography
    setup: setup.Setup = _set()  # the tables both engines start from (per variant)
    # the states: names and count shared by the batch; then one column per state (``int_zone`` and
    # ``int_per_hour`` one more, index -1: no state), the stance (``STANCE_ATTRS``), RCCs and patrols
    states: tuple[str, ...] = _set()
    S: int = _set()
    state_index: dict[str, int] = _set()
    safe_state: np.ndarray = _set()
    capacity: np.ndarray = _set()
    processing_days: np.ndarray = _set()
    initial_occupancy: np.ndarray = _set()
    willing: np.ndarray = _set()
    accept_base: np.ndarray = _set()
    w_srr: np.ndarray = _set()
    w_vulnerable: np.ndarray = _set()
    w_flag: np.ndarray = _set()
    w_occupancy: np.ndarray = _set()
    w_recent: np.ndarray = _set()
    w_heading: np.ndarray = _set()
    w_precedent: np.ndarray = _set()
    w_waiting: np.ndarray = _set()
    closed_kind: np.ndarray = _set()
    closed_flags: np.ndarray = _set()
    precedent_half_life: np.ndarray = _set()
    evacuates: np.ndarray = _set()
    int_zone: np.ndarray = _set()
    rcc_delay: np.ndarray = _set()
    harm: np.ndarray = _set()
    harm_injury: np.ndarray = _set()
    stand_by: np.ndarray = _set()
    rcc_silent: np.ndarray = _set()
    int_per_hour: np.ndarray = _set()
    # the cooperation framework, screening after landing, a crisis, who is alerted first, relocation and where a
    # framework or a deal lands people
    framework: np.ndarray = _set()
    protection_staff: np.ndarray = _set()
    protection_facts: np.ndarray = _set()
    crisis: np.ndarray = _set()
    crisis_state: np.ndarray = _set()
    participants: np.ndarray = _set()
    alert_states: np.ndarray = _set()
    alert_p: np.ndarray = _set()
    sighting_p: np.ndarray = _set()
    reloc_weights: np.ndarray = _set()
    reloc_keeps_own: np.ndarray = _set()
    landing_rule: np.ndarray = _set()
    landing_hub: np.ndarray = _set()
    landing_rank: np.ndarray = _set()
    landing_caps: np.ndarray = _set()
    deal_states: np.ndarray = _set()
    # boat types (one column per type)
    typical_load: np.ndarray = _set()
    boat_speed: np.ndarray = _set()
    fuel_range: np.ndarray = _set()
    rated: np.ndarray = _set()
    distress_base: np.ndarray = _set()
    overload_exp: np.ndarray = _set()
    no_fuel: np.ndarray = _set()
    capsize_mean: np.ndarray = _set()
    capsize_share: np.ndarray = _set()
    deterioration: np.ndarray = _set()
    aboard_death: np.ndarray = _set()
    # the merchant lane; vessels (one column per vessel, padded to the batch's largest fleet: ``_VESSEL_PAD``)
    lane: tuple = _set()
    V: int = _set()
    v_fleet: list = _set()
    v_kind: np.ndarray = _set()
    v_flag: np.ndarray = _set()
    v_speed: np.ndarray = _set()
    v_cap: np.ndarray = _set()
    v_cx: np.ndarray = _set()
    v_cy: np.ndarray = _set()
    v_radius: np.ndarray = _set()
    v_home: np.ndarray = _set()
    v_batch: np.ndarray = _set()
    v_endurance: np.ndarray = _set()
    v_port_days: np.ndarray = _set()
    v_taskable: np.ndarray = _set()
    v_blocked: np.ndarray = _set()
    v_merchant: np.ndarray = _set()
    v_hunt: np.ndarray = _set()
    v_approach: np.ndarray = _set()
    v_per100: np.ndarray = _set()
    v_returns: np.ndarray = _set()
    v_participant_flag: np.ndarray = _set()
    v_names: np.ndarray = _set()
    # smuggler networks (one column per network) and smugglers' adaptation
    net_names: list[str] = _set()
    N: int = _set()
    net_x: np.ndarray = _set()
    net_y: np.ndarray = _set()
    net_tx: np.ndarray = _set()
    net_ty: np.ndarray = _set()
    net_dest: np.ndarray = _set()
    net_heading: np.ndarray = _set()
    net_state: np.ndarray = _set()
    net_shift: np.ndarray = _set()
    net_mix: np.ndarray = _set()
    stop_displaces: np.ndarray = _set()
    follows_presence: np.ndarray = _set()
    net_station_km: np.ndarray = _set()
    net_base_mix: np.ndarray = _set()
    net_base_load: np.ndarray = _set()
    ad: np.ndarray = _set()
    wait_terms: np.ndarray = _set()
    net_load_factor: np.ndarray = _set()
    net_max_boats: np.ndarray = _set()
    net_p: np.ndarray = _set()
    net_price: np.ndarray = _set()
    net_fuel: np.ndarray = _set()
    # legal channels, people's types, detention and relocation delays
    channel_names: list[str] = _set()
    C: int = _set()
    type_eligible: np.ndarray = _set()
    channel_delay_h: np.ndarray = _set()
    quotas: np.ndarray = _set()
    type_p: np.ndarray = _set()
    detention_h: np.ndarray = _set()
    reloc_h: np.ndarray = _set()
    # the calendar (shared by the batch) and people per day
    dates: pd.DatetimeIndex = _set()
    day_month: np.ndarray = _set()
    day_days_in_month: np.ndarray = _set()
    day_year_days: np.ndarray = _set()
    day_new_year: np.ndarray = _set()
    day_people: np.ndarray = _set()
    # sea state and weather, survival in the water
    persistence: np.ndarray = _set()
    noise_sd: np.ndarray = _set()
    hazard_per_unit: np.ndarray = _set()
    monthly_sea: np.ndarray = _set()
    water_p: np.ndarray = _set()
    # demand, enforcement and perceived risk
    no_launch_above: np.ndarray = _set()
    uptake: np.ndarray = _set()
    p_wait: np.ndarray = _set()
    arrest_cut: np.ndarray = _set()
    stop_share: np.ndarray = _set()
    arrest_half_life: np.ndarray = _set()
    risk_resp: np.ndarray = _set()
    risk_ref: np.ndarray = _set()
    int_resp: np.ndarray = _set()
    int_ref: np.ndarray = _set()
    perception_days: np.ndarray = _set()
    campaign_risk: np.ndarray = _set()
    # returns, bodies recovered; rescue at sea: detection, merchant masters, waiting ships, detentions, deals,
    # relocation
    retry_p: np.ndarray = _set()
    body_share: np.ndarray = _set()
    approach_p: np.ndarray = _set()
    unseen_body: np.ndarray = _set()
    wait_death_p: np.ndarray = _set()
    report_p: np.ndarray = _set()
    call_delay_h: np.ndarray = _set()
    compliance: np.ndarray = _set()
    response_h: np.ndarray = _set()
    delay_aversion: np.ndarray = _set()
    merchant_approach: np.ndarray = _set()
    div_aversion: np.ndarray = _set()
    max_hours: np.ndarray = _set()
    medevac_p: np.ndarray = _set()
    detain_p: np.ndarray = _set()
    detain_days: np.ndarray = _set()
    seize_p: np.ndarray = _set()
    deal_p: np.ndarray = _set()
    deal_growth: np.ndarray = _set()
    reloc_share: np.ndarray = _set()
    deal_aboard: np.ndarray = _set()
    deal_vulnerable: np.ndarray = _set()
    deal_position: np.ndarray = _set()
    request_order: list = _set()
    asks_coord: np.ndarray = _set()
    membership_cost: np.ndarray = _set()
    reloc_within: np.ndarray = _set()
    # a batch's own (:meth:`for_runs`)
    variants: list[Constants] = _set()  # each scenario's constants
    variant: np.ndarray = _set()  # run k's index into variants
    changes: list = _set()  # a variant's dated changes (model.timeline.schedule)
    rows: dict[str, int] = _set()  # a variant's vessel rows per fleet (model.timeline.vessel_rows)

    @classmethod
    def build(cls, scenario: Scenario, rows: dict[str, int] | None = None, geo: Geography | None = None) -> Constants:
        """Resolve ``scenario`` into arrays (same geography and names as the Mesa engine).

        ``rows``: vessel rows per fleet (and merchants, :data:`model.timeline.MERCHANTS`) over the
        whole run (:func:`model.timeline.vessel_rows`; default: the fleets' sizes); rows beyond a
        fleet's size in ``scenario`` are withdrawn (blocked: in port, or finishing their task).
        """
        c = cls(scenario, geo if geo is not None else Geography.from_scenario(scenario))
        tables = c.setup = setup.build(scenario, c.geo, rows)  # the facts both engines start from
        _states(c, scenario, tables)
        _boats(c, tables)
        _vessels(c, tables)
        _networks(c, scenario, tables)
        _people(c, scenario, tables)
        _calendar(c, scenario, tables)
        _hourly(c, scenario)
        return c

    @classmethod
    def for_runs(cls, scenarios: Sequence[Scenario]) -> Constants:
        """Constants of a batch whose run k uses ``scenarios[k]``: every scenario value gets a leading run axis.

        Runs may use different scenarios (variants) when they share :func:`batch_key`. Fleets may
        differ in size: vessel arrays are padded to the largest fleet with vessels that never leave
        port and can never be tasked. ``c.variant[k]`` is run k's index into ``c.variants``, the
        constants of each scenario (vessel names, the request order), and ``c.geo`` is shared.
        """
        variants: list[Constants] = []
        given: list[Scenario] = []  # each variant's scenario as given (with its timeline)
        index: list[int] = []
        for s in scenarios:
            j = next((i for i, g in enumerate(given) if g is s or g == s), None)
            if j is None:
                start, changes = schedule(s)
                rows = vessel_rows(start, changes)
                v = cls.build(start, rows)
                v.changes, v.rows = changes, rows
                variants.append(v)
                given.append(s)
                j = len(variants) - 1
            index.append(j)
        first = variants[0]
        key = batch_key(first.scenario)
        for v in variants[1:]:
            if batch_key(v.scenario) != key:
                raise ValueError(
                    f"scenarios {first.scenario.name!r} and {v.scenario.name!r} cannot share a batch: "
                    "their states, ports, networks, channels or calendar differ"
                )
        var = np.asarray(index, dtype=np.int64)
        out = cls(first.scenario, first.geo)
        out.variants, out.variant = variants, var
        out.V = max(v.V for v in variants)
        for name, value in vars(first).items():
            if name in _PER_VARIANT:
                continue  # set above, or per scenario only (in c.variants)
            if name in _SHARED:
                setattr(out, name, value)
            elif name in _VESSEL_PAD:
                setattr(out, name, np.stack([_pad(getattr(v, name), out.V, _VESSEL_PAD[name]) for v in variants])[var])
            elif name == "request_order":
                out.request_order = [v.request_order for v in variants]
            elif name in ("alert_p", "alert_states"):  # as many entries as states alerted first: pad
                k = max(getattr(v, name).size for v in variants)
                arrays = [getattr(v, name) for v in variants]  # a padded share is 0; its state repeats the last
                setattr(out, name, np.stack([_pad(a, k, 0.0 if name == "alert_p" else a[-1]) for a in arrays])[var])
            else:
                setattr(out, name, np.stack([np.asarray(getattr(v, name)) for v in variants])[var])
        return out


def _states(c: Constants, scenario: Scenario, tables: setup.Setup) -> None:
    """The coastal states, their cooperation and where a standing framework lands people."""
    geo, pol = c.geo, scenario.policy
    st, coop_t = tables.states, tables.cooperation
    c.states = geo.states
    c.S = len(geo.states)
    c.state_index = st.index
    c.safe_state, c.capacity, c.processing_days, c.initial_occupancy = (
        st.safe,
        st.capacity,
        st.processing_days,
        st.initial_occupancy,
    )
    c.willing = st.willing
    for attr, column in zip(STANCE_ATTRS, st.stance, strict=True):  # what a state's answer turns on
        setattr(c, attr, column)
    c.precedent_half_life = st.precedent_half_life
    c.evacuates = st.evacuates
    c.int_zone = np.append(st.interception_zone_km, 0.0)  # index -1: no state
    c.rcc_delay = st.rcc_delay
    c.harm, c.harm_injury = st.harm, st.harm_injury
    c.stand_by = st.stand_by
    c.rcc_silent = st.rcc_silent
    c.int_per_hour = np.append(st.interception_per_hour, 0.0)
    c.framework = coop_t.framework
    c.protection_staff = tables.protection_staff  # screening after landing (states x levers)
    c.protection_facts = tables.protection_facts
    c.crisis = tables.crisis  # a crisis and the evacuation (model/rules/crisis.py)
    c.crisis_state = tables.crisis_state
    c.participants = st.participants
    c.alert_states, c.alert_p = tables.alert_states, tables.alert_p
    c.sighting_p = tables.sighting_p
    coop = pol.cooperation
    c.reloc_weights = burden.relocation_weights(
        scenario,
        geo.states,
        disembarkation.relocation_weights(
            coop.relocation_key, geo.states, c.participants, c.framework, c.capacity, c.safe_state
        ),
    )
    c.reloc_keeps_own = (
        coop.relocation_key_rule != burden.NEGOTIATED
    )  # under a key rule the landing state keeps its share
    # where a standing framework lands people (model/rules/landing.py)
    c.landing_rule, c.landing_hub, c.landing_rank, c.landing_caps = (
        coop_t.landing_rule,
        coop_t.landing_hub,
        coop_t.landing_rank,
        coop_t.landing_caps,
    )
    c.deal_states = coop_t.deal_states


def _boats(c: Constants, tables: setup.Setup) -> None:
    """The boat types (rows of ``tables.boats``)."""
    bt = tables.boats
    # boats
    c.typical_load, c.boat_speed, c.fuel_range, c.rated = bt.typical_load, bt.speed, bt.fuel_range, bt.rated
    c.distress_base, c.overload_exp, c.no_fuel = bt.distress, bt.overload_exponent, bt.no_fuel
    c.capsize_mean, c.capsize_share, c.deterioration, c.aboard_death = (
        bt.capsize_mean,
        bt.capsize_share,
        bt.deterioration,
        bt.aboard_death,
    )


def _vessels(c: Constants, tables: setup.Setup) -> None:
    """The vessels: one row per vessel, in the Mesa engine's fleet order (model/setup.py)."""
    ves = tables.vessels
    # vessels: one row per vessel, in the Mesa engine's fleet order (model/setup.py)
    c.lane = ves.lane
    c.V = len(ves)
    c.v_fleet = list(ves.fleet)
    c.v_kind, c.v_flag = ves.kind, ves.flag
    c.v_speed, c.v_cap, c.v_cx, c.v_cy, c.v_radius = ves.speed, ves.capacity, ves.cx, ves.cy, ves.radius
    c.v_home, c.v_batch, c.v_endurance, c.v_port_days = ves.home, ves.batch, ves.endurance, ves.port_days
    c.v_taskable = ves.taskable
    c.v_blocked, c.v_merchant = ves.blocked, ves.merchant
    c.v_hunt = ves.hunt
    c.v_approach, c.v_per100 = ves.approach, ves.per100
    c.v_returns = ves.returns
    c.v_participant_flag = (c.v_flag >= 0) & c.participants[np.maximum(c.v_flag, 0)]
    c.v_names = np.array([f"{name}#{i}" for i, name in enumerate(ves.fleet)], dtype=object)


def _networks(c: Constants, scenario: Scenario, tables: setup.Setup) -> None:
    """The smuggler networks, adapted to the rescue presence at the start (world.adaptation) and to enforcement."""
    w, pol = scenario.world, scenario.policy
    # smuggler networks
    ad = w.adaptation
    net_t = tables.networks
    nets = list(w.smugglers.values())
    c.net_names = list(net_t.names)
    c.N = len(nets)
    c.net_x, c.net_y, c.net_tx, c.net_ty = net_t.x, net_t.y, net_t.tx, net_t.ty
    c.net_dest = net_t.dest
    c.net_heading = net_t.heading  # the state each network's boats head for
    c.net_state = net_t.state
    rescuing = ~c.v_merchant & ~c.v_returns & ~c.v_blocked
    d = [smuggling.nearest_station_km(c.v_cx, c.v_cy, rescuing, x, y) for x, y in zip(c.net_x, c.net_y, strict=True)]
    c.net_shift = np.array(
        [float(smuggling.adaptation_shift(ad.strength, di, ad.reference_distance_km, ad.reach_km)) for di in d]
    )
    enf = pol.enforcement
    c.net_mix = np.array(
        [
            smuggling.displaced_mix(
                smuggling.adapted_mix(np.array(n.boat_mix.as_tuple()), s, ad.rubber_shift),
                enf.stop_unseaworthy_share,
                enf.stop_displaces,
            )
            for n, s in zip(nets, c.net_shift, strict=True)
        ]
    )
    c.stop_displaces = enf.stop_displaces
    # what a daily adaptation to rescue presence starts from (world.adaptation.follows_presence;
    # Batch._adapt_to_presence)
    c.follows_presence = ad.follows_presence
    c.net_station_km = np.array(d, dtype=float)
    c.net_base_mix = net_t.mix
    c.net_base_load = net_t.load_factor
    c.ad = np.array(
        [
            ad.strength,
            ad.reference_distance_km,
            ad.reach_km,
            ad.rubber_shift,
            ad.load_response,
            ad.fuel_response,
            ad.departure_response,
        ]
    )
    c.wait_terms = np.array([w.demand.wait_daily_probability, enf.information_campaign, enf.campaign_wait_effect])
    c.net_load_factor = np.array(
        [
            smuggling.adapted_load_factor(n.load_factor, s, ad.load_response)
            for n, s in zip(nets, c.net_shift, strict=True)
        ]
    )
    c.net_max_boats, c.net_p = net_t.max_boats, net_t.demand_share
    c.net_price = smuggling.seat_price(
        net_t.price, enf.stop_unseaworthy_share, enf.stop_displaces, enf.stop_price_surcharge_usd
    )
    c.net_fuel = np.array(
        [[float(smuggling.adapted_fuel(fr, s, ad.fuel_response)) for fr in c.fuel_range] for s in c.net_shift]
    )  # (N, boat types)


def _people(c: Constants, scenario: Scenario, tables: setup.Setup) -> None:
    """Legal channels by person type, and who the arrivals are."""
    w, coop = scenario.world, scenario.policy.cooperation
    # legal channels, by person type
    ch = tables.channels
    c.channel_names = list(ch.names)
    c.C = len(ch.names)
    c.type_eligible = legal.eligibility(TYPE_PROFILE, TYPE_FAMILY, ch.profiles, ch.family)  # (types, channels)
    c.channel_delay_h = np.array([int(days * 24) for days in ch.processing_days.tolist()], dtype=np.int64)
    c.quotas = ch.quotas
    dem = w.demand
    prof_share = np.array(dem.profile_share.as_tuple())
    fam = np.array([1.0 - dem.family_ties_share, dem.family_ties_share])
    c.type_p = (prof_share[:, None] * fam[None, :]).reshape(-1)  # share of each person type among arrivals
    c.detention_h = int(dem.detention_days * 24)
    c.reloc_h = int(coop.relocation_days * 24)


def _calendar(c: Constants, scenario: Scenario, tables: setup.Setup) -> None:
    """The run's days."""
    w = scenario.world
    # calendar
    start = pd.Timestamp(w.start_date)
    dates = pd.date_range(start, periods=w.days, freq="D")
    c.dates = dates
    c.day_month = (dates.month - 1).to_numpy()
    c.day_days_in_month = dates.days_in_month.to_numpy()
    c.day_year_days = np.where(dates.is_leap_year, 366, 365)
    c.day_new_year = (dates.month == 1) & (dates.day == 1)
    c.day_people = tables.day_people  # people in each day's month


def _hourly(c: Constants, scenario: Scenario) -> None:
    """The scenario numbers the hourly step reads (scalars here, one per run once stacked)."""
    w, pol = scenario.world, scenario.policy
    dem, ad, coop = w.demand, w.adaptation, pol.cooperation
    # scenario numbers the hourly step reads (scalars here, one per run once stacked)
    wt, surv, sar, det = w.weather, w.survival, pol.sar, w.detection
    mer = sar.merchant
    c.persistence, c.noise_sd, c.hazard_per_unit = wt.persistence, wt.noise_sd, wt.hazard_per_unit
    c.monthly_sea = np.array(wt.monthly_sea_state, dtype=float)
    c.water_p = np.array(
        [
            float(
                crossing.in_water_death_probability(
                    surv.drowning_per_hour, weather.survival_hours(t, surv.max_survival_hours)
                )
            )
            for t in wt.sea_temp_c
        ]
    )  # by month
    c.no_launch_above = wt.no_launch_above
    c.uptake = pol.legal.uptake_probability
    enf = pol.enforcement
    c.p_wait = departure.wait_probability(
        dem.wait_daily_probability,
        enf.information_campaign,
        enf.campaign_wait_effect,
        c.net_shift,
        ad.departure_response,
    )  # by network
    c.arrest_cut, c.stop_share, c.arrest_half_life = (
        enf.arrests_capacity_cut,
        enf.stop_unseaworthy_share,
        enf.arrests_half_life_days,
    )
    c.risk_resp, c.risk_ref, c.int_resp, c.int_ref = (
        dem.risk_response_per_pp,
        dem.risk_reference,
        dem.interception_response_per_pp,
        dem.interception_reference,
    )
    c.perception_days, c.campaign_risk = (
        dem.perception_days,
        enf.information_campaign * enf.campaign_risk_pp / 100.0,
    )
    c.retry_p, c.body_share, c.approach_p = (
        dem.retry_probability,
        surv.body_recovery_share,
        surv.approach_capsize_probability,
    )
    c.unseen_body = surv.unseen_body_recovery_factor
    c.wait_death_p = surv.waiting_medical_death_per_day  # (disembarkation.deaths_waiting)
    c.report_p, c.call_delay_h = det.report_probability, det.call_delay_mean_hours
    c.compliance, c.response_h = mer.compliance, mer.response_hours
    c.delay_aversion, c.merchant_approach = mer.delay_aversion_per_day, mer.approach_capsize_factor
    c.div_aversion = mer.diversion_aversion_per_100km
    c.max_hours, c.medevac_p = sar.max_hours_with_people, sar.medevac_daily_probability
    c.detain_p, c.detain_days = sar.ngo_detention_probability, sar.ngo_detention_days
    c.seize_p = sar.ngo_seizure_probability
    c.deal_p, c.deal_growth, c.reloc_share = (
        coop.deal_daily_probability,
        coop.deal_growth_per_day,
        coop.relocation_share,
    )
    c.deal_aboard, c.deal_vulnerable, c.deal_position = (
        coop.deal_per_100_aboard,
        coop.deal_vulnerable,
        coop.deal_position,
    )
    c.request_order = coop.request_order
    c.asks_coord = coop.asks_coordinating_state
    c.membership_cost = coop.membership_rule == burden.COST  # states join and leave (burden.membership)
    c.reloc_within = (
        coop.relocation_within_places
    )  # relocations within free reception places (burden.relocation_within_places)


def batch_key(scenario: Scenario) -> tuple:
    """What runs stepped in one batch must share.

    States (with their SRRs, ports and safety), networks, legal channels and calendar: the shared
    constants (``_SHARED``, ``geo``) follow from them.
    """
    w = scenario.world
    states = tuple((n, f.srr, tuple(f.ports), f.place_of_safety) for n, f in w.states.items())
    return (states, tuple(w.smugglers), tuple(scenario.policy.legal.channels), str(w.start_date), w.days)


#: The constants that hold a state's ``disembarkation.Stance``, one per field in its order (stacked
#: per run like the others; :meth:`.step.Batch` packs them back into a ``Stance``).
STANCE_ATTRS = tuple("accept_base" if f == "accept" else f for f in disembarkation.Stance._fields)

# Values kept per scenario only (in c.variants), never stacked by run.
_PER_VARIANT = ("V", "scenario", "geo", "setup", "v_fleet", "v_names", "fuel_range", "changes", "rows")
# Values every run of a batch shares (checked by batch_key).
_SHARED = (
    "states",
    "S",
    "state_index",
    "net_names",
    "N",
    "channel_names",
    "C",
    "dates",
    "day_month",
    "day_days_in_month",
    "day_year_days",
    "day_new_year",
)
# Vessel arrays and the values of padding rows: vessels that stay in port and are never tasked.
_VESSEL_PAD = dict(
    v_kind=0,
    v_flag=-1,
    v_speed=1.0,
    v_cap=0.0,
    v_cx=0.0,
    v_cy=0.0,
    v_radius=0.0,
    v_home=0,
    v_batch=0.0,
    v_endurance=0.0,
    v_port_days=1.0,
    v_taskable=False,
    v_blocked=True,
    v_merchant=False,
    v_returns=False,
    v_participant_flag=False,
    v_hunt=0.0,
    v_approach=0.0,
    v_per100=0.0,
)


# The batch's vessel columns (one row per run and vessel) and the stacked constants they copy.
VESSEL_COLUMNS = dict(
    vspeed="v_speed",
    vcap="v_cap",
    vkind="v_kind",
    vflag="v_flag",
    vmerchant="v_merchant",
    vreturns="v_returns",
    vblocked="v_blocked",
    vbatch="v_batch",
    vendurance="v_endurance",
    vport_days="v_port_days",
    vtaskable="v_taskable",
    vpart_flag="v_participant_flag",
    vhunt="v_hunt",
    vapproach="v_approach",
    vper100="v_per100",
)


def restack(c: Constants, new: Constants, runs: np.ndarray) -> None:
    """Write the constants of one scenario.

    (``new``, built with the batch's vessel rows) over rows ``runs`` of the stacked ``c``, in place.

    In place, so that every array the batch and its compiled handlers hold sees the change.
    """
    for name, value in vars(new).items():
        if name in _PER_VARIANT or name in _SHARED or name == "request_order":
            continue
        target = getattr(c, name)
        if name in _VESSEL_PAD:
            target[runs] = _pad(value, c.V, _VESSEL_PAD[name])
        elif name in ("alert_p", "alert_states"):
            target[runs] = _pad(value, target.shape[1], 0.0 if name == "alert_p" else value[-1])
        else:
            target[runs] = value


def _pad(a: np.ndarray, n: int, fill: object) -> np.ndarray:
    """``a`` with rows appended up to ``n`` rows, filled with ``fill``."""
    extra = np.full((n - a.shape[0], *a.shape[1:]), fill, dtype=a.dtype)
    return np.concatenate([a, extra])


@dataclass
class Ledgers:
    """What the batch counts, per run (first axis): statuses, person and case metrics, tallies."""

    R: int
    S: int
    days: int
    status: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        R, S = self.R, self.S
        self.status = np.zeros((R, len(STATUSES)), dtype=np.int64)
        self.created = np.zeros(R, dtype=np.int64)
        self.person = np.zeros((R, len(PERSON_METRICS), N_PROFILES), dtype=np.int64)
        self.case = np.zeros((R, len(CASE_METRICS)), dtype=float)
        self.day_person = np.zeros((R, len(PERSON_METRICS)), dtype=np.int64)
        self.day_case = np.zeros((R, len(CASE_METRICS)), dtype=float)
        self.arrivals_by_state = np.zeros((R, S), dtype=np.int64)
        self.relocated_in = np.zeros((R, S), dtype=np.int64)
        self.relocated_out = np.zeros((R, S), dtype=np.int64)
        self.refusals_by_state = np.zeros((R, S), dtype=np.int64)
        self.intercepted_by_state = np.zeros((R, S), dtype=np.int64)
        self.rescued_by_actor = np.zeros((R, len(VESSEL_KINDS)), dtype=np.int64)
        self.boats_by_type = np.zeros((R, len(BOAT_TYPES)), dtype=np.int64)
        self.protection = np.zeros(
            (R, S, len(PROTECTION_OUTCOMES)), dtype=np.int64
        )  # screening after landing, by state
        self.crisis = np.zeros((R, len(CRISIS_FLOWS)), dtype=np.int64)  # a crisis's flows
        self.framework_landed = np.zeros(
            (R, S), dtype=np.int64
        )  # burden: people landed under a standing framework (at acceptance)
        self.reception_days = np.zeros((R, S), dtype=float)  # burden: person-days in reception
        self.standoff_days = np.zeros(
            (R, S), dtype=np.int64
        )  # joining and leaving: people-days waiting by coordinating state
        self.member_days = np.zeros((R, S), dtype=np.int64)
        self.joined_day = np.full((R, S), -1, dtype=np.int64)
        self.left_day = np.full((R, S), -1, dtype=np.int64)
        self.waits_run: list[np.ndarray] = []
        self.waits_days: list[np.ndarray] = []
        d = self.days
        self.daily_person = np.zeros((R, d, len(PERSON_METRICS)), dtype=np.int64)
        self.daily_case = np.zeros((R, d, len(CASE_METRICS)), dtype=float)
        self.daily_status = np.zeros((R, d, len(STATUSES)), dtype=np.int64)
        self.daily_sea = np.zeros((R, d), dtype=float)
        self.daily_vessels_waiting = np.zeros((R, d), dtype=np.int64)
        self.daily_people_waiting = np.zeros((R, d), dtype=np.int64)
        self.daily_occupancy = np.zeros((R, d), dtype=float)
