"""Every parameter of the model, as frozen validated dataclasses: ``Scenario(world=..., policy=...)``.

``World`` holds what governments do not choose (demand, weather, boats, survival, detection,
reception facts, smuggler networks and how they adapt); ``Policy`` holds the levers (SAR fleets,
cooperation framework, each state's stance, legal channels, prevention and enforcement), as in
EMA Workbench's separation of uncertainties from levers.

The defaults are the ``central_med_2016`` scenario: the Central Mediterranean route in 2016.
Each default names its source (mostly ``../shared/data/PARAMETERS.md``, cited as "P§n" for its
section n, and the CSV files beside it) or says "assumption"; "calibrated" marks the few values set
so that a one-year run lands near the 2016 figures (see ``docs/ODD.md``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from model.errors import ConfigError
from model.fields import (
    Validated,
    build,
    coerce,
    declared_type,
    flatten,
    merge,
    param,
    plain,
    replace_leaf,
    to_dict,
    unflatten,
)
from model.params_burden import BurdenFacts
from model.params_crisis import CrisisFacts, Evacuation
from model.params_protection import ProtectionPolicy, ScreeningFacts

PROFILES: tuple[str, ...] = (
    "refugee",
    "economic_migrant",
    "trafficking_victim",
    "unaccompanied_child",
    "medical_need",
)
BOAT_TYPES: tuple[str, ...] = ("rubber", "wooden", "fishing")
VESSEL_KINDS: tuple[str, ...] = ("coast_guard", "navy", "ngo", "merchant")
FRAMEWORKS: tuple[str, ...] = ("none", "ad_hoc", "standing")
REQUEST_STEPS: tuple[str, ...] = (
    "coordinating_state",
    "srr_state",
    "nearest_safe_port",
    "flag_state",
    "others_by_distance",
)
LANDING_RULES: tuple[str, ...] = (
    "nearest",
    "nearest_with_places",
    "srr_state",
    "rotation",
    "hub",
)  # model/rules/landing.py
KEY_RULES: tuple[str, ...] = ("negotiated", "population_gdp", "reception_capacity")  # model/rules/burden.py
MEMBERSHIP_RULES: tuple[str, ...] = ("fixed", "cost")  # model/rules/burden.py: membership

_frozen = dataclass(frozen=True, slots=True, kw_only=True)
#: The calendar a run may span: well inside what pandas Timestamps (1677-2262) and the charts hold.
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
#: Reasons for upper bounds shared by several fields (see model.fields.UNIT_LIMITS for the rest).
#: How the defaults fitted to the 2014-2017 record say so (the posterior's table: ODD section 10).
CALIBRATED = (
    "calibrated 2014-2017 (ABC-SMC posterior median, experiments/calibrations/central_med_2014_2017.toml; "
    "ODD section 10)"
)
_BOAT_LOAD = "five times the most people on record aboard one migrant boat (about 1,000, April 2015)"
_SHIP_LOAD = "more than the largest ships afloat carry"
_LOGIT = "a logit of 50 is a probability within 2e-22 of 0 or 1"


def _sums_to_one(name: str, values: Any, tol: float = 1e-6) -> None:
    total = float(sum(values))
    if abs(total - 1.0) > tol:
        raise ConfigError(name, round(total, 6), "shares that sum to 1")


# ----------------------------------------------------------------------------------------- world


@_frozen
class ProfileShares(Validated):
    """Shares of each migrant profile among people reaching the departure coast."""

    refugee: float = param(
        0.36,
        lo=0,
        hi=1,
        src="P§7: 40.2% positive asylum decisions, Italy 2016, applied to adults not otherwise profiled (assumption)",
    )
    economic_migrant: float = param(0.42, lo=0, hi=1, src="remainder so the shares sum to 1 (computed)")
    trafficking_victim: float = param(
        0.05, lo=0, hi=1, src="P§7: ~80% of 11,009 Nigerian women and girls (IOM 2017) / 181,436 arrivals (computed)"
    )
    unaccompanied_child: float = param(
        0.14, lo=0, hi=1, src="flow_composition_2016.csv: 14% of 2016 sea arrivals (UNHCR)"
    )
    medical_need: float = param(
        0.03, lo=0, hi=1, src="assumption (P§7: no source; 0.5-2% urgent medevac, plus pregnant women)"
    )

    def check(self) -> None:
        _sums_to_one("", self.as_tuple())

    def as_tuple(self) -> tuple[float, ...]:
        """Shares in the order of :data:`PROFILES`."""
        return tuple(getattr(self, p) for p in PROFILES)


@_frozen
class Demand(Validated):
    """People arriving on the departure coast and how they choose to leave."""

    # hi: ten times central_med_x50 (1e7); more makes the engines' daily arrays of new people tens of GB
    people_per_year: float = param(
        198_000,
        lo=0,
        hi=100_000_000,
        unit="persons/year",
        src="calibrated: 2016 arrivals 181,436 + dead/missing 4,582 + returns 14,332 (central_med_annual "
        "CSV), less retries",
    )
    # hi: percentages; the shares are normalised by their sum, which must be positive (Demand.check)
    monthly_share_pct: tuple[float, ...] = param(
        (2.2, 2.3, 3.3, 8.2, 11.1, 13.5, 14.1, 13.7, 11.7, 10.0, 5.0, 5.0),
        lo=0,
        hi=100,
        length=12,
        unit="% per month",
        src="P§1: monthly share of Italy sea arrivals, mean 2014-16 (computed from UNHCR series)",
    )
    monthly_people: dict[str, float] = param(
        factory=dict,
        lo=0,
        hi=1e8,
        unit="persons/month",
        src="data: people reaching the departure coast per month, keyed YYYY-MM (or monthly_people_csv "
        "in a scenario file); when given it replaces people_per_year and monthly_share_pct",
    )
    profile_share: ProfileShares = param(factory=ProfileShares, src="see fields")
    family_ties_share: float = param(0.2, lo=0, hi=1, src="assumption: share with family in a destination state")
    wait_daily_probability: float = param(
        0.3,
        lo=0,
        hi=0.99,
        unit="1/day",
        src="assumption: chance a person without a legal option waits another day rather than pay",
    )
    retry_probability: float = param(0.5, lo=0, hi=1, src="assumption: share of people returned to Libya who try again")
    # hi: ten years; the vector engine keeps a day-indexed queue of returns as long as this
    detention_days: float = param(
        45, lo=0, hi=3650, unit="days", src="assumption: time between a return and a new attempt"
    )
    risk_response_per_pp: float = param(
        0.0,
        lo=-5,
        hi=5,
        why="5 logits per point: a 1-point rise in risk already decides",
        unit="logit/pp",
        src="assumption (weak, contested: P§9): log-odds of waiting per point of perceived deaths "
        "per departure above risk_reference (0: none; > 0: deterrence, and a pull of safer "
        "crossings); not identified by the 2014-2017 record (posterior median 0.34, 90% interval "
        "-0.41 to 0.92, both signs), so kept at 0 rather than switch the pull factor on without evidence",
    )
    risk_reference: float = param(
        0.0229,
        lo=0,
        hi=1,
        src="2016: 4,582 dead and missing per 200,375 departures (arrivals in Italy and Malta "
        "+ dead and missing + Libyan returns; central_med_annual CSV)",
    )
    interception_response_per_pp: float = param(
        0.0,
        lo=-5,
        hi=5,
        why="5 logits per point: a 1-point rise already decides",
        unit="logit/pp",
        src="assumption (no source): change of the log-odds of waiting per percentage point of "
        "perceived returns per departure above interception_reference",
    )
    interception_reference: float = param(
        0.0715, lo=0, hi=1, src="2016: 14,332 returned to Libya per 200,375 departures (central_med_annual CSV)"
    )
    perception_days: float = param(
        30.0,
        lo=1,
        hi=3650,
        why="ten years of memory: beyond, nothing fades within a run",
        unit="days",
        src="assumption: how long news of deaths and returns shapes decisions on the coast (counts "
        "fade as exp(-days / this))",
    )

    def check(self) -> None:
        if not sum(self.monthly_share_pct) > 0:
            raise ConfigError(
                "monthly_share_pct",
                list(self.monthly_share_pct),
                "12 shares with a positive sum (at least one month with arrivals)",
            )


@_frozen
class Weather(Validated):
    """A seasonal stochastic sea state (0 calm .. 1 very rough) and sea temperature."""

    monthly_sea_state: tuple[float, ...] = param(
        (0.55, 0.55, 0.5, 0.4, 0.3, 0.2, 0.15, 0.15, 0.25, 0.35, 0.45, 0.55),
        lo=0,
        hi=1,
        length=12,
        src="assumption: winter rough, summer calm (shape only)",
    )
    persistence: float = param(
        0.7, lo=0, hi=0.99, unit="per day", src="assumption: AR(1) day-to-day persistence of the anomaly"
    )
    noise_sd: float = param(0.15, lo=0, hi=1, src="assumption")
    no_launch_above: float = param(
        0.75, lo=0, hi=1, src="assumption: smugglers do not launch in seas rougher than this"
    )
    hazard_per_unit: float = param(
        2.0,
        lo=0,
        hi=100,
        why="beyond, the weather alone decides every crossing",
        src="assumption: hazards multiply by (1 + this x sea state)",
    )
    sea_temp_c: tuple[float, ...] = param(
        (15.0, 14.5, 15.0, 16.0, 18.5, 22.0, 25.0, 26.0, 25.0, 22.5, 19.5, 16.5),
        lo=-2,
        hi=35,
        length=12,
        unit="degC",
        src="P§3: Sicily Channel winter <=15, summer 20-26 degC (UNEP/MAP 2015); monthly shape interpolated",
    )


@_frozen
class BoatType(Validated):
    """One kind of migrant boat (rubber dinghy, wooden boat, fishing vessel)."""

    rated_capacity_people: float = param(60, lo=1, hi=5000, why=_BOAT_LOAD, unit="persons", src="see source")
    typical_load_people: float = param(120, lo=1, hi=5000, why=_BOAT_LOAD, unit="persons", src="see source")
    speed_kn: float = param(5.0, lo=0.1, unit="kn", src="see source")
    fuel_range_km: float = param(22.0, lo=0, unit="km", src="see source")
    distress_per_hour: float = param(0.05, lo=0, hi=1, unit="1/h", src="see source")
    overload_exponent: float = param(
        1.0,
        lo=0,
        hi=10,
        why="the tenth power of the overload is already a wall",
        src="assumption: distress hazard grows in proportion to load / rated capacity",
    )
    no_fuel_distress_per_hour: float = param(0.3, lo=0, hi=1, unit="1/h", src="see source")
    capsize_mean_hours: float = param(
        80.0,
        lo=0.1,
        hi=1_000_000,
        why="a mean of 10^5 hours or more switches capsizing off (the scripted cases do)",
        unit="h",
        src="see source",
    )
    capsize_death_share: float = param(0.6, lo=0, hi=1, src="see source")
    deterioration_per_hour: float = param(
        0.0,
        lo=0,
        hi=1,
        unit="1/h",
        src="assumption: relative rise of the capsize hazard per hour in distress (0: constant); "
        "no rate found (P§3 gives only hours to taking water)",
    )
    aboard_death_per_hour: float = param(
        0.0,
        lo=0,
        hi=0.1,
        unit="1/h",
        src="assumption: a person's hourly chance of dying aboard (crushing, fuel burns, dehydration) "
        "after a day at sea at rated load, rising with load and hours at sea (0: none); no "
        "rate found",
    )
    source: str = param("", src="text")


def _rubber() -> BoatType:
    return BoatType(
        rated_capacity_people=60,
        typical_load_people=120,
        speed_kn=5.0,
        fuel_range_km=22.0,
        distress_per_hour=0.056,
        overload_exponent=1.0,
        no_fuel_distress_per_hour=0.3,
        capsize_mean_hours=430.0,
        capsize_death_share=0.6,
        deterioration_per_hour=0.084,
        source="P§1: rated up to 60 (Alibaba advert), 100-140 aboard (IOM), fuel for ~12 nm (TIME/CNN/IOM); "
        "speed 3-6 kn assumption; distress_per_hour, capsize_mean_hours and deterioration_per_hour "
        f"{CALIBRATED} (90% intervals 0.018-0.087, 195-745 h, 0.006-0.184; only the time to capsize "
        "is narrowed by the record, jointly with detection.report_probability); no_fuel assumption",
    )


def _wooden() -> BoatType:
    return BoatType(
        rated_capacity_people=150,
        typical_load_people=350,
        speed_kn=4.0,
        fuel_range_km=350.0,
        distress_per_hour=0.020,
        overload_exponent=1.0,
        no_fuel_distress_per_hour=0.3,
        capsize_mean_hours=150.0,
        capsize_death_share=0.7,
        source="P§1: 200-400+ aboard a 17-18 m trawler, ~4 kn (maltatoday 2016); rated capacity, "
        f"fuel and other hazards assumption; distress_per_hour {CALIBRATED} (90% interval "
        "0.005-0.034: not narrowed by the record)",
    )


def _fishing() -> BoatType:
    return BoatType(
        rated_capacity_people=250,
        typical_load_people=500,
        speed_kn=6.0,
        fuel_range_km=500.0,
        distress_per_hour=0.008,
        overload_exponent=1.0,
        no_fuel_distress_per_hour=0.3,
        capsize_mean_hours=150.0,
        capsize_death_share=0.75,
        source="P§1: 500-600 aboard in the largest capsizes (Reuters 2015, China Daily 2016); speed, "
        "fuel and hazards assumption",
    )


@_frozen
class BoatTypes(Validated):
    """The three boat types smugglers use."""

    rubber: BoatType = param(factory=_rubber, src="see source")
    wooden: BoatType = param(factory=_wooden, src="see source")
    fishing: BoatType = param(factory=_fishing, src="see source")

    def as_tuple(self) -> tuple[BoatType, ...]:
        """Boat types in the order of :data:`BOAT_TYPES`."""
        return (self.rubber, self.wooden, self.fishing)


@_frozen
class Survival(Validated):
    """What happens to people in the water, and how deaths are counted."""

    drowning_per_hour: float = param(
        0.15, lo=0, hi=1, unit="1/h", src="assumption: most victims drown before hypothermia (P§3)"
    )
    max_survival_hours: float = param(
        48.0,
        lo=0.1,
        unit="h",
        src="P§3: expected survival 3 h to indefinite at 21-27 degC (US SAR Task Force); cap assumption",
    )
    body_recovery_share: float = param(
        0.08, lo=0, hi=1, src="P§3: 390 bodies of 4,966 dead and missing, Italy 2016 (Viminale)"
    )
    approach_capsize_probability: float = param(
        0.004, lo=0, hi=1, src="assumption: P§3 names capsizes on the rescue approach as recurring, no rate found"
    )
    unseen_body_recovery_factor: float = param(
        1.0,
        lo=0,
        hi=1,
        src="assumption: bodies recovered from a boat no RCC knew of, relative to body_recovery_share "
        "(1: no difference; P§3: about 92% never found in 2016)",
    )
    waiting_medical_death_per_day: float = param(
        0.0,
        lo=0,
        hi=1,
        unit="1/day",
        src="assumption (no source): daily chance that a medical case (sick or pregnant) still aboard "
        "a ship waiting for a port dies, after the day's medical evacuations (0: none)",
    )


@_frozen
class Detection(Validated):
    """How distress cases come to an RCC's knowledge."""

    report_probability: float = param(
        0.87,
        lo=0,
        hi=1,
        src=f"{CALIBRATED}, 90% interval 0.65-0.98, prior 0.6-1 from P§5 (60-80% of cases alerted by "
        "phone or relay, 10-25% by sighting): the share reported by a call, the rest found only by sighting",
    )
    call_delay_mean_hours: float = param(
        0.8, lo=0, unit="h", src="P§5: 40-60 min to locate a Thuraya caller (qz.com 2016)"
    )
    sighting_per_hour: float = param(
        0.02,
        lo=0,
        hi=1,
        unit="1/h",
        src="assumption: chance per hour that an unreported case is sighted by passing ships",
    )
    aerial_sighting_per_hour: float = param(
        0.2,
        lo=0,
        hi=1,
        unit="1/h",
        src="assumption: the same chance under continuous aerial "
        "surveillance (scaled by policy.sar.aerial_surveillance)",
    )
    first_alert_share: dict[str, float] = param(
        factory=lambda: {"Italy": 0.9, "Malta": 0.1},
        lo=0,
        hi=1,
        src="P§5: callers ring MRCC Rome, which coordinated 90% of 2016 operations (rescues_by_actor CSV)",
    )

    def check(self) -> None:
        _sums_to_one("first_alert_share", self.first_alert_share.values())


@_frozen
class StateFacts(Validated):
    """A coastal state's geography and reception facts."""

    ports: tuple[str, ...] = param((), src="see source")
    srr: str = param("", src="see source")
    place_of_safety: bool = param(True, src="see source")
    reception_capacity_people: float = param(1000, lo=0, unit="persons", src="see source")
    initial_occupancy_people: float = param(0, lo=0, unit="persons", src="see source")
    processing_days: float = param(365, lo=1, unit="days", src="see source")
    source: str = param("", src="text")


def _states_world() -> dict[str, StateFacts]:
    return {
        "Italy": StateFacts(
            ports=("Lampedusa", "Porto Empedocle", "Pozzallo", "Augusta", "Catania", "Messina", "Palermo", "Trapani"),
            srr="Italy",
            place_of_safety=True,
            reception_capacity_people=164_107,
            initial_occupancy_people=110_000,
            processing_days=440,
            source="P§6: 164,107 places (Viminale 2016), 176,554 in reception end 2016 (ANSAmed); start "
            "occupancy assumption; processing days computed as occupancy / yearly outflow",
        ),
        "Malta": StateFacts(
            ports=("Valletta",),
            srr="Malta",
            place_of_safety=True,
            reception_capacity_people=3_200,
            initial_occupancy_people=1_000,
            processing_days=365,
            source="P§6: 1,200 closed + 2,000 open places (AMIF plan); occupancy and processing assumption",
        ),
        "Tunisia": StateFacts(
            ports=("Zarzis", "Sfax"),
            srr="Tunisia",
            place_of_safety=True,
            reception_capacity_people=1_000,
            initial_occupancy_people=0,
            processing_days=180,
            source="assumption: Tunisia as a possible but reluctant place of safety; capacities not sourced",
        ),
        "Libya": StateFacts(
            ports=("Tripoli", "Zawiya", "Khoms", "Misrata"),
            srr="Libya",
            place_of_safety=False,
            reception_capacity_people=0,
            initial_occupancy_people=0,
            processing_days=365,
            source="not a place of safety (UNHCR); returns go to detention, not reception; SRR as notified "
            "to IMO Dec 2017 (sar_timeline CSV)",
        ),
    }


@_frozen
class BoatMix(Validated):
    """Shares of boat types a network launches."""

    rubber: float = param(0.9, lo=0, hi=1, src="see source")
    wooden: float = param(0.1, lo=0, hi=1, src="see source")
    fishing: float = param(0.0, lo=0, hi=1, src="see source")

    def check(self) -> None:
        _sums_to_one("", self.as_tuple())

    def as_tuple(self) -> tuple[float, ...]:
        """Shares in the order of :data:`BOAT_TYPES`."""
        return (self.rubber, self.wooden, self.fishing)


@_frozen
class SmugglerNetwork(Validated):
    """A smuggling network working from one departure point."""

    departure_point: str = param("Zuwara", src="see source")
    destination_port: str = param("Lampedusa", src="see source")
    demand_share: float = param(0.1, lo=0, hi=1, src="see source")
    # hi: 16 times central_med_x50's busiest network (600); the engines size per-boat arrays by it
    max_boats_per_day: float = param(10, lo=0, hi=10_000, unit="boats/day", src="see source")
    price_usd: float = param(1000, lo=0, unit="USD/person", src="see source")
    boat_mix: BoatMix = param(factory=BoatMix, src="see source")
    load_factor: float = param(
        1.0, lo=0.1, hi=5, src="definition: multiplies the boat type's typical load (1 = as observed in 2016)"
    )
    source: str = param("", src="text")


def _network(
    point: str,
    share: float,
    mix: tuple[float, float, float],
    dest: str = "Lampedusa",
    boats: float = 12,
    price: float = 1000,
) -> SmugglerNetwork:
    return SmugglerNetwork(
        departure_point=point,
        destination_port=dest,
        demand_share=share,
        max_boats_per_day=boats,
        price_usd=price,
        boat_mix=BoatMix(rubber=mix[0], wooden=mix[1], fishing=mix[2]),
        load_factor=1.0,
        source="P§1: departure towns (Reuters, UNHCR 2016), shares by town assumption; ~92% rubber "
        "in 2016 (agenzianova); price USD 400-2,500 (CNN, Guardian 2016); boats/day assumption",
    )


def _smugglers() -> dict[str, SmugglerNetwork]:
    return {
        "zuwara": _network("Zuwara", 0.25, (0.9, 0.08, 0.02)),
        "sabratha": _network("Sabratha", 0.35, (0.9, 0.08, 0.02)),
        "zawiya": _network("Zawiya", 0.10, (0.9, 0.1, 0.0)),
        "tripoli": _network("Tripoli", 0.10, (0.95, 0.05, 0.0)),
        "garabulli": _network("Garabulli", 0.10, (0.95, 0.05, 0.0)),
        "khoms": _network("Khoms", 0.06, (0.85, 0.1, 0.05), dest="Pozzallo"),
        "sfax": _network("Sfax", 0.02, (0.0, 1.0, 0.0), boats=3, price=1500),
        "zarzis": _network("Zarzis", 0.02, (0.0, 1.0, 0.0), boats=3, price=1500),
    }


@_frozen
class Adaptation(Validated):
    """How smugglers respond to where rescuers wait (the contested 'pull factor')."""

    strength: float = param(
        0.5,
        lo=0,
        hi=1,
        src="assumption; evidence weak and contested (P§9: Deiana et al., CEPR DP16173; House of Lords 2016-17)",
    )
    reach_km: float = param(100.0, lo=1, unit="km", src="assumption: distance scale over which nearby rescuers matter")
    reference_distance_km: float = param(
        55.0,
        lo=0,
        unit="km",
        src="P§2: NGO ships waited 25-35 nm off Libya in 2016 (MSF); the 2016 boat mix is observed at this distance",
    )
    rubber_shift: float = param(
        1.0, lo=0, hi=1, src="assumption: share of non-rubber boats switched to rubber at full proximity"
    )
    load_response: float = param(
        0.5,
        lo=0,
        hi=10,
        why="a tenfold rise in load; load_factor itself is at most 5",
        src="assumption: relative rise in load at full proximity",
    )
    fuel_response: float = param(0.5, lo=0, hi=1, src="assumption: relative cut in fuel at full proximity")
    departure_response: float = param(
        0.3, lo=0, hi=1, src="assumption: relative fall in the daily chance of waiting at full proximity"
    )
    follows_presence: bool = param(
        False,
        src="lever (assumption, weak evidence): the shift is recomputed each day with the stations' "
        "proximity weighted by the share of rescue capacity at sea that day (ships in port, "
        "detained or seized do not count); false: fixed when the policy is set",
    )


@_frozen
class World(Validated):
    """Everything the policy levers act on but do not choose."""

    start_date: str = param("2016-01-01", src="the 2016 reference year")
    days: int = param(365, lo=1, hi=3650, unit="days", src="one year")
    demand: Demand = param(factory=Demand, src="see fields")
    weather: Weather = param(factory=Weather, src="see fields")
    boats: BoatTypes = param(factory=BoatTypes, src="see fields")
    survival: Survival = param(factory=Survival, src="see fields")
    detection: Detection = param(factory=Detection, src="see fields")
    states: dict[str, StateFacts] = param(factory=_states_world, src="see entries")
    smugglers: dict[str, SmugglerNetwork] = param(factory=_smugglers, src="see entries")
    adaptation: Adaptation = param(factory=Adaptation, src="see fields")
    protection: ScreeningFacts = param(factory=ScreeningFacts, src="see fields (model/params_protection.py)")
    crisis: CrisisFacts = param(factory=CrisisFacts, src="see fields (model/params_crisis.py)")
    burden: BurdenFacts = param(factory=BurdenFacts, src="see fields (model/params_burden.py)")

    def check(self) -> None:
        latest = LAST_DATE - dt.timedelta(days=self.days - 1)
        allowed = (
            f"a date YYYY-MM-DD from {FIRST_DATE} to {latest} (the run's {self.days} days must "
            f"lie within {FIRST_DATE} to {LAST_DATE})"
        )
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", self.start_date):
            raise ConfigError("start_date", self.start_date, allowed)
        try:
            start = dt.date.fromisoformat(self.start_date)
        except ValueError:
            raise ConfigError("start_date", self.start_date, allowed) from None
        if not FIRST_DATE <= start <= latest:
            raise ConfigError("start_date", self.start_date, allowed)
        if not self.smugglers:
            raise ConfigError("smugglers", {}, "at least one smuggler network")
        _sums_to_one("smugglers.*.demand_share", (s.demand_share for s in self.smugglers.values()))
        series = self.demand.monthly_people
        if series:
            for key in series:
                if len(key) != 7 or _iso_date(key + "-01") is None:
                    raise ConfigError(f"demand.monthly_people.{key}", series[key], "months written YYYY-MM")
            start = dt.date.fromisoformat(self.start_date)
            last = start + dt.timedelta(days=self.days - 1)
            for y in range(start.year, last.year + 1):
                for m in range(1, 13):
                    month = f"{y:04d}-{m:02d}"
                    if (start.year, start.month) <= (y, m) <= (last.year, last.month) and month not in series:
                        raise ConfigError(
                            f"demand.monthly_people.{month}",
                            None,
                            f"a value for every month of the run ({start:%Y-%m} to {last:%Y-%m})",
                            problem="missing month",
                        )
        for name, share in self.detection.first_alert_share.items():
            if name not in self.states:
                raise ConfigError(
                    f"detection.first_alert_share.{name}", share, "a state among " + ", ".join(self.states)
                )


# ---------------------------------------------------------------------------------------- policy


@_frozen
class Fleet(Validated):
    """A group of identical rescue vessels with one station."""

    kind: str = param("coast_guard", choices=VESSEL_KINDS, src="see source")
    flag_state: str = param("Italy", src="see source")
    count: int = param(1, lo=0, hi=500, unit="vessels", src="see source")
    speed_kn: float = param(15.0, lo=0.1, unit="kn", src="see source")
    capacity_people: float = param(300, lo=1, hi=10_000, why=_SHIP_LOAD, unit="persons", src="see source")
    station_lon: float = param(12.8, lo=-180, hi=180, unit="deg E", src="see source")
    station_lat: float = param(33.5, lo=-90, hi=90, unit="deg N", src="see source")
    station_radius_km: float = param(
        30.0, lo=0, unit="km", src="assumption: vessels' stations are spread uniformly over a disc of this radius"
    )
    home_port: str = param("Lampedusa", src="see source")
    taskable_by: tuple[str, ...] = param(
        (),
        src="the RCCs that can task this fleet (and, under a standing framework, any participant's "
        "RCC if the flag state participates)",
    )
    batch_until_full_share: float = param(
        0.0,
        lo=0,
        hi=1,
        src="assumption: a ship asks for a port once this full (P§6: NGO ships batch rescues); "
        "0 = after the first rescue",
    )
    endurance_days: float = param(
        0, lo=0, unit="days", src="assumption: days at sea before returning to the home port (0 = never)"
    )
    # hi: a year; rest ends are counted in int64 hours
    port_days: float = param(2, lo=0, hi=365, unit="days", src="assumption: days in port after a rotation")
    european_sar: bool = param(
        False, src="definition: counted among European state SAR assets, scaled by policy.sar.state_assets_scale"
    )
    intercepts_within_km: float = param(
        0.0,
        lo=0,
        hi=500,
        why="500 km spans the whole crossing",
        unit="km",
        src="lever: a vessel on patrol, empty, goes after the nearest boat afloat within this "
        "distance that no vessel is tasked to (0: only when tasked); for a fleet that returns "
        "people, interception",
    )
    source: str = param("", src="text")


def fleet_size(fleet: Fleet, state_assets_scale: float) -> int:
    """Vessels in a fleet: its count, scaled for European state SAR fleets."""
    return int(round(fleet.count * state_assets_scale)) if fleet.european_sar else fleet.count


def _fleets() -> dict[str, Fleet]:
    return {
        "italy_coast_guard_large": Fleet(
            kind="coast_guard",
            flag_state="Italy",
            count=2,
            speed_kn=18,
            capacity_people=600,
            station_lon=12.9,
            station_lat=33.5,
            station_radius_km=40,
            home_port="Augusta",
            taskable_by=("Italy",),
            batch_until_full_share=0.3,
            endurance_days=14,
            port_days=3,
            european_sar=True,
            source="P§4: Dattilo class, 94 m, 18 kn, '600 and more' (corriere.it 2018); station calibrated "
            "to the 2016 shares of rescues by actor; endurance assumption",
        ),
        "italy_coast_guard_patrol": Fleet(
            kind="coast_guard",
            flag_state="Italy",
            count=4,
            speed_kn=28,
            capacity_people=80,
            station_lon=12.6,
            station_lat=35.3,
            station_radius_km=20,
            home_port="Lampedusa",
            taskable_by=("Italy",),
            european_sar=True,
            source="P§4: CP 300 class, >30 kn, 18-20 seats rated (overloaded in practice: capacity assumption); "
            "count assumption",
        ),
        "italy_navy": Fleet(
            kind="navy",
            flag_state="Italy",
            count=3,
            speed_kn=16,
            capacity_people=500,
            station_lon=13.0,
            station_lat=33.5,
            station_radius_km=50,
            home_port="Augusta",
            taskable_by=("Italy",),
            batch_until_full_share=0.5,
            endurance_days=21,
            port_days=3,
            european_sar=True,
            source="P§2: Mare Nostrum had ~5 ships on average; 2016 count, speed and capacity assumption; "
            "station calibrated to the 2016 shares of rescues by actor",
        ),
        "eu_frontex": Fleet(
            kind="coast_guard",
            flag_state="EU",
            count=6,
            speed_kn=15,
            capacity_people=300,
            station_lon=12.7,
            station_lat=34.7,
            station_radius_km=60,
            home_port="Pozzallo",
            taskable_by=("Italy",),
            batch_until_full_share=0.3,
            endurance_days=14,
            port_days=3,
            european_sar=True,
            source="P§4: Triton, 6 offshore patrol vessels, area to 138 nm south of Sicily (Frontex "
            "2015); capacity assumption",
        ),
        "eu_navfor_med": Fleet(
            kind="navy",
            flag_state="EU",
            count=5,
            speed_kn=16,
            capacity_people=500,
            station_lon=12.6,
            station_lat=33.5,
            station_radius_km=50,
            home_port="Augusta",
            taskable_by=("Italy",),
            batch_until_full_share=0.5,
            endurance_days=21,
            port_days=3,
            european_sar=True,
            source="P§4: Operation Sophia, 5-6 vessels (2016, defenceweb); speed and capacity assumption",
        ),
        "malta_afm": Fleet(
            kind="coast_guard",
            flag_state="Malta",
            count=2,
            speed_kn=20,
            capacity_people=150,
            station_lon=14.2,
            station_lat=35.4,
            station_radius_km=30,
            home_port="Valletta",
            taskable_by=("Malta",),
            european_sar=True,
            source="assumption: Armed Forces of Malta patrol vessels (count, speed, capacity not sourced)",
        ),
        "libya_coast_guard": Fleet(
            kind="coast_guard",
            flag_state="Libya",
            count=4,
            speed_kn=20,
            capacity_people=150,
            station_lon=12.9,
            station_lat=33.0,
            station_radius_km=25,
            home_port="Tripoli",
            taskable_by=("Libya",),
            source="P§2: 2016 interceptions mainly at Zawiya, Tripoli, Tajura (UNHCR); count, speed, "
            "capacity assumption",
        ),
        "tunisia_coast_guard": Fleet(
            kind="coast_guard",
            flag_state="Tunisia",
            count=2,
            speed_kn=20,
            capacity_people=150,
            station_lon=11.3,
            station_lat=34.0,
            station_radius_km=40,
            home_port="Zarzis",
            taskable_by=("Tunisia",),
            source="assumption: Tunisian coast guard off Sfax and Zarzis",
        ),
        "ngo": Fleet(
            kind="ngo",
            flag_state="Other",
            count=9,
            speed_kn=10.5,
            capacity_people=400,
            station_lon=12.7,
            station_lat=33.4,
            station_radius_km=35,
            home_port="Catania",
            taskable_by=("Italy", "Malta"),
            batch_until_full_share=0.6,
            endurance_days=14,
            port_days=3,
            source="P§4: 26 NGO assets registered 2016, 12 ships May 2017; Aquarius 10-11 kn, 200-550; "
            "Open Arms 400; P§2: 25-35 nm off Libya (MSF); count calibrated to NGOs' 26% of 2016 "
            "rescues (9 ships: 24.7% over 50 seeds, vector engine; 5 gave 17.6%)",
        ),
    }


@_frozen
class Merchant(Validated):
    """Merchant ships passing through the area, bound by the duty to render assistance."""

    ships_in_area: int = param(
        6,
        lo=0,
        hi=500,
        unit="ships",
        src="assumption: ~230 ships/day pass Malta-Sicily (P§4); few cross the Libyan rescue area at once",
    )
    compliance: float = param(
        0.71,
        lo=0,
        hi=1,
        src=f"{CALIBRATED}, 90% interval 0.43-0.97 (not narrowed by the record): chance a master "
        "accepts a tasking he has room for",
    )
    delay_aversion_per_day: float = param(
        0.0,
        lo=0,
        hi=10,
        why="at 10 a day, an hour of waiting ships already halves compliance",
        unit="1/day",
        src="assumption (no source): compliance falls by exp(-this x the mean days ships now "
        "wait for a port), a master's fear of diversion costs",
    )
    diversion_aversion_per_100km: float = param(
        0.0,
        lo=0,
        hi=10,
        why="at 10 per 100 km, a boat 50 km from a safe port already cuts compliance a hundredfold",
        unit="1/(100 km)",
        src="assumption (no source): compliance falls by exp(-this x km from the boat to the "
        "nearest port of a place of safety / 100), the diversion a master expects before "
        "he can land",
    )
    approach_capsize_factor: float = param(
        1.0,
        lo=0,
        hi=50,
        why="50 times a rescue vessel's risk: any approach near certain to capsize at plausible rates",
        src="assumption: a large hull's approach capsizes boats this many times as often as a "
        "rescue vessel's (P§3: about 400 dead as a merchant ship approached, April 2015; "
        "no rate found)",
    )
    response_hours: float = param(
        0.0,
        lo=0,
        unit="h",
        src="assumption: hours before a master's answer to a tasking is known (seed paper, Elizabeth "
        "case: the next day)",
    )
    speed_kn: float = param(14.0, lo=0.1, unit="kn", src="assumption")
    capacity_people: float = param(250, lo=1, hi=10_000, why=_SHIP_LOAD, unit="persons", src="assumption")
    flag_state: str = param("Other", src="assumption: flags of convenience, not a modelled coastal state")
    lane_lat: float = param(
        33.9,
        lo=-90,
        hi=90,
        unit="deg N",
        src="assumption: traffic to and from Libyan terminals and the Gibraltar-Suez route",
    )
    lane_lon_min: float = param(11.0, lo=-180, hi=180, unit="deg E", src="assumption")
    lane_lon_max: float = param(15.5, lo=-180, hi=180, unit="deg E", src="assumption")

    def check(self) -> None:
        if self.lane_lon_max <= self.lane_lon_min:
            raise ConfigError(
                "lane_lon_max", self.lane_lon_max, f"a longitude above lane_lon_min ({self.lane_lon_min})"
            )


_ON_SCENE_SRC = (
    "assumption: P§5 has no source for on-scene times; P§4 lists fast rescue boats (RHIBs, "
    "CP 300 class) on state and NGO ships, none on merchant ships; "
    "0 by default (the rescue is done the hour the ship arrives; the 2016 hazards were "
    "calibrated so; docs/ODD.md 7.11 measures merchant times)"
)


@_frozen
class OnScene(Validated):
    """How long a vessel of one kind works on scene before the people it takes are safe aboard.

    (model/rules/rescue.py: on_scene_hours).
    """

    approach_hours: float = param(
        0.0, lo=0, hi=48, why="two days on scene: longer than any boat in distress lasts", unit="h", src="see source"
    )
    hours_per_100_people: float = param(
        0.0,
        lo=0,
        hi=48,
        why="two days per 100 people: far slower than any transfer on record",
        unit="h",
        src="see source",
    )
    source: str = param(_ON_SCENE_SRC, src="text")


@_frozen
class OnSceneTimes(Validated):
    """On-scene times by vessel kind.

    (0 everywhere by default: a rescue is done the hour the vessel arrives, as in earlier versions; docs/ODD.md 7.11
    gives what merchant times do).
    """

    coast_guard: OnScene = param(factory=OnScene, src="see fields")
    navy: OnScene = param(factory=OnScene, src="see fields")
    ngo: OnScene = param(factory=OnScene, src="see fields")
    merchant: OnScene = param(factory=OnScene, src="see fields")

    def as_tuple(self) -> tuple[OnScene, ...]:
        """On-scene times in the order of :data:`VESSEL_KINDS`."""
        return tuple(getattr(self, k) for k in VESSEL_KINDS)


@_frozen
class Sar(Validated):
    """Search-and-rescue capacity: state, EU and NGO fleets, merchant ships, aircraft."""

    fleets: dict[str, Fleet] = param(factory=_fleets, src="see entries")
    state_assets_scale: float = param(
        1.0, lo=0, hi=20, src="lever: multiplies the vessel count of every fleet marked european_sar (rounded)"
    )
    ngo_blocked: bool = param(False, src="lever: NGO ships kept in port")
    ngo_detention_probability: float = param(
        0.0,
        lo=0,
        hi=1,
        src="lever: chance an NGO ship is held in port (administrative detention) after each "
        "landing; 0 in 2014-2017 (assumption: detentions began in 2018)",
    )
    ngo_detention_days: float = param(
        0.0, lo=0, hi=365, unit="days", src="lever: days an NGO ship is held when detained"
    )
    ngo_seizure_probability: float = param(
        0.0,
        lo=0,
        hi=1,
        src="lever: chance an NGO ship is seized after a landing and held for the rest of the "
        "run; 0 in 2014-2017 (assumption: the first seizure, Iuventa, came in August 2017)",
    )
    ngo_code_of_conduct: bool = param(
        False,
        src="lever: NGO ships must land after each rescue instead of batching several (Italy's "
        "code of conduct for NGOs, July 2017; its ban on transfers between ships has no object "
        "here: the model has no transfers)",
    )
    merchant: Merchant = param(factory=Merchant, src="see fields")
    on_scene: OnSceneTimes = param(factory=OnSceneTimes, src="see fields")
    aerial_surveillance: float = param(
        0.3, lo=0, hi=1, src="assumption: 0 none .. 1 continuous; 2016 had EU and Italian patrol aircraft (P§4)"
    )
    max_hours_with_people: float = param(
        36,
        lo=1,
        unit="h",
        src="assumption: longest a ship keeps searching with rescued people aboard (P§6: NGO ships batch rescues)",
    )
    medevac_daily_probability: float = param(
        0.5,
        lo=0,
        hi=1,
        unit="1/day",
        src="assumption: chance a person with medical need aboard a waiting ship is evacuated each day",
    )


@_frozen
class Cooperation(Validated):
    """How states settle where rescued people land and who takes them after."""

    framework: str = param(
        "ad_hoc", choices=FRAMEWORKS, src="2016: case-by-case arrangements, no standing framework (seed paper)"
    )
    participants: tuple[str, ...] = param((), src="lever: states in the standing framework")
    relocation_key: dict[str, float] = param(
        factory=dict, lo=0, hi=1, src="lever: shares of relocated people per participant; empty = equal shares"
    )
    relocation_share: float = param(
        0.5, lo=0, hi=1, src="lever: share of people landed under the framework or a deal who are relocated"
    )
    relocation_days: float = param(30, lo=0, unit="days", src="seed paper, Elizabeth case: solutions within a month")
    deal_daily_probability: float = param(
        0.1, lo=0, hi=1, unit="1/day", src="assumption: chance of an ad hoc deal on the first day of refusals"
    )
    deal_growth_per_day: float = param(0.1, lo=0, hi=1, unit="1/day^2", src="assumption: daily rise of that chance")
    deal_per_100_aboard: float = param(
        0.0,
        lo=-1,
        hi=1,
        unit="1/day",
        src="assumption (no source): change of the daily deal chance per 100 people aboard (signed: "
        "crowded decks press states, or big groups are harder to share)",
    )
    deal_vulnerable: float = param(
        0.0,
        lo=-1,
        hi=1,
        unit="1/day",
        src="assumption (no source): change of the daily deal chance per unit share of vulnerable "
        "people aboard (children, sick, trafficking victims)",
    )
    deal_position: float = param(
        0.0,
        lo=-1,
        hi=1,
        unit="1/day",
        src="assumption (no source): change of the daily deal chance per unit of the asked states' "
        "mean accept_probability (their positions)",
    )
    deal_landing_states: tuple[str, ...] = param(
        (), src="lever: states willing to be the landing state of an ad hoc deal; empty = any state asked"
    )
    request_order: tuple[str, ...] = param(
        REQUEST_STEPS,
        choices=REQUEST_STEPS,
        src="IMO MSC.167(78): the coordinating RCC and the SRR state find a place of safety; "
        "order of the others assumption",
    )
    asks_coordinating_state: bool = param(
        True,
        src="lever: whether ships ask the state that coordinated their rescue for a port (false: "
        "it seeks a port elsewhere, as X in the seed paper's Elizabeth case)",
    )
    # burden sharing (issue 24; model/rules/landing.py, model/rules/burden.py)
    landing_rule: str = param(
        "nearest_with_places",
        choices=LANDING_RULES,
        src="lever: where a standing framework lands people (model/rules/landing.py); nearest_with_places: "
        "the nearest participant with free reception places for the group",
    )
    landing_hub: str = param(
        "",
        src="lever: the participant that takes every group under landing_rule = 'hub' (a disembarkation "
        "platform or regional hub)",
    )
    landing_caps: dict[str, float] = param(
        factory=dict,
        lo=0,
        unit="persons/year",
        src="lever: most people a participant lands under the framework per calendar year (none: no cap)",
    )
    relocation_key_rule: str = param(
        "negotiated",
        choices=KEY_RULES,
        src="lever: how relocation shares are set: negotiated (relocation_key, or equal shares), "
        "population_gdp (COM(2015) 450's key), reception_capacity (model/rules/burden.py)",
    )
    contributes_instead: tuple[str, ...] = param(
        (),
        src="lever: participants that take no relocated people and pay for their share instead "
        "(money or assets valued in money)",
    )
    relocation_within_places: bool = param(
        False,
        src="lever: a relocation moves no more people to a state than its free reception places "
        "when it falls due (the rest stay in the landing state); false: reception places "
        "are ignored, as before",
    )
    membership_rule: str = param(
        "fixed",
        choices=MEMBERSHIP_RULES,
        src="lever: fixed (the participants as given) or cost (states join and leave at each "
        "month's start by their costs, model/rules/burden.py: membership)",
    )
    standoff_eur_per_person_day: float = param(
        1_000,
        lo=0,
        hi=1_000_000,
        why="far above any daily cost of a person aboard a ship",
        unit="EUR/person/day",
        src="assumption (no source): what a person-day its RCC's rescued spend waiting at sea "
        "costs a state (ship time, politics)",
    )
    leave_excess_people: float = param(
        1_000,
        lo=0,
        unit="persons",
        src="assumption (no source): a member leaves when the people it took in exceed its fair "
        "share by more than this (membership_rule = cost)",
    )
    contribution_eur_per_person: float = param(
        20_000,
        lo=0,
        hi=10_000_000,
        why="fifty times the 2016 Dublin proposal's EUR 250,000: beyond any figure proposed",
        unit="EUR/person",
        src="Regulation (EU) 2024/1351: a financial contribution of EUR 20,000 per person not relocated",
    )


@_frozen
class StatePolicy(Validated):
    """A coastal state's stance: coordination, disembarkation decisions, interception."""

    rcc_willing_probability: float = param(1.0, lo=0, hi=1, src="see source")
    rcc_response_hours: float = param(
        0.0,
        lo=0,
        hi=720,
        why="a month: longer than any boat survives",
        unit="h",
        src="lever (assumption): hours before this state's RCC first tasks a vessel to a case it coordinates",
    )
    rcc_no_response_probability: float = param(
        0.0,
        lo=0,
        hi=1,
        src="lever (assumption): chance that this state's RCC, coordinating a case, never tasks "
        "anyone (the boat is left to passing ships that see it and to patrols)",
    )
    accept_probability: float = param(0.9, lo=0, hi=1, src="see source")
    own_srr_logit: float = param(
        1.0, lo=-50, hi=50, why=_LOGIT, src="assumption (weak evidence): pull toward accepting rescues in one's own SRR"
    )
    vulnerable_logit: float = param(
        1.0,
        lo=-50,
        hi=50,
        why=_LOGIT,
        src="assumption (weak evidence): pull toward accepting when children, sick or trafficked "
        "people are aboard (x share)",
    )
    own_flag_logit: float = param(
        1.0, lo=-50, hi=50, why=_LOGIT, src="assumption (weak evidence): pull toward accepting one's own flag's ships"
    )
    occupancy_logit: float = param(
        2.0,
        lo=0,
        hi=50,
        why=_LOGIT,
        src="assumption (weak evidence): push toward refusing per unit of reception occupancy "
        "above 80% (seed paper: 'overwhelmed')",
    )
    recent_arrivals_logit_per_1000: float = param(
        0.0,
        lo=0,
        hi=50,
        why=_LOGIT,
        src="assumption (weak evidence): push toward refusing per 1,000 arrivals in the last 7 days; 0 in 2016",
    )
    # the seed paper's refusal reasons (Elizabeth case) not covered above (model/rules/disembarkation.py)
    heading_elsewhere_logit: float = param(
        0.0,
        lo=0,
        hi=50,
        why=_LOGIT,
        src="assumption (no source): push toward refusing when the boat was heading for another "
        "state (seed paper, Elizabeth: 'they were on their way to X'); 0: no effect",
    )
    precedent_logit: float = param(
        0.0,
        lo=0,
        hi=50,
        why=_LOGIT,
        src="assumption (no source): push toward refusing per group this state let land on request "
        "recently (seed paper, Elizabeth: 'not to set a precedent'); 0: no effect",
    )
    waiting_logit_per_day: float = param(
        0.0,
        lo=0,
        hi=50,
        why=_LOGIT,
        unit="1/day",
        src="assumption (no source): pull toward accepting per day a ship has waited at sea for "
        "a place of safety (a standoff's pressure; seed paper, Elizabeth); 0: no effect",
    )
    precedent_half_life_days: float = param(
        30.0,
        lo=1,
        hi=3650,
        why="ten years: a precedent that never fades",
        unit="days",
        src="assumption (no source): days for the weight of a past acceptance in precedent_logit to halve",
    )
    closed_to_kinds: tuple[str, ...] = param(
        (),
        choices=VESSEL_KINDS,
        src="lever: vessel kinds whose requests for a place of safety this state refuses whatever "
        "else holds (e.g. ngo: ports closed to NGO ships while its own coast guard lands)",
    )
    closed_to_state_flags: bool = param(
        False,
        src="lever: refuses ships flagged by another modelled coastal state (not its own, nor "
        "EU, NGO or merchant flags)",
    )
    others_stand_by: bool = param(
        False,
        src="lever (assumption): when this state's RCC coordinates a case it tasks only the fleets "
        "it may task (taskable_by) and tells merchant ships to stand by, a role NGO reports "
        "give the Libyan JRCC from 2018; no source in the project's data",
    )
    evacuates_medical_cases: bool = param(
        True,
        src="lever (assumption): evacuates people with medical need from ships waiting at sea, "
        "even ships it refuses (the nearest such state with a safe port does it)",
    )
    interception_per_hour: float = param(0.0, lo=0, hi=1, unit="1/h", src="see source")
    interception_zone_km: float = param(0.0, lo=0, unit="km", src="see source")
    interception_death_share: float = param(
        0.0,
        lo=0,
        hi=1,
        src="lever (assumption): share of the people on a boat this state's patrols stop who "
        "die in the interception (boats rammed or capsized, shootings); no rate found",
    )
    interception_injury_share: float = param(
        0.0,
        lo=0,
        hi=1,
        src="lever (assumption): share of the survivors of an interception by this state's patrols "
        "who are injured (beatings, shootings, burns); counted, not otherwise modelled; no "
        "rate found",
    )
    source: str = param("", src="text")


def _states_policy() -> dict[str, StatePolicy]:
    return {
        "Italy": StatePolicy(
            rcc_willing_probability=1.0,
            accept_probability=0.995,
            occupancy_logit=1.0,
            source="MRCC Rome coordinated 90% of 2016 operations (rescues_by_actor CSV); Italy landed "
            "almost all rescued people in 2016 (assumption: refusals began 2018)",
        ),
        "Malta": StatePolicy(
            rcc_willing_probability=0.6,
            accept_probability=0.02,
            own_srr_logit=0.5,
            source="assumption: Malta landed 25 sea arrivals in 2016 (central_med_annual CSV) while "
            "its SRR covers most rescues",
        ),
        "Tunisia": StatePolicy(
            rcc_willing_probability=0.5,
            accept_probability=0.02,
            interception_per_hour=0.08,
            interception_zone_km=22.2,
            source="assumption: Tunisian coast guard intercepts in its 12 nm territorial sea (UNCLOS)",
        ),
        "Libya": StatePolicy(
            rcc_willing_probability=0.05,
            accept_probability=0.0,
            interception_per_hour=0.015,
            interception_zone_km=22.2,
            source="no functioning RCC in 2016 (sar_timeline CSV); RCC willingness calibrated to "
            "14,332 returns (central_med_annual CSV); interception rate "
            f"{CALIBRATED} (90% interval 0.005-0.028); zone = 12 nm territorial sea (UNCLOS)",
        ),
    }


@_frozen
class Channel(Validated):
    """One legal channel: a yearly quota, who is eligible and how long it takes."""

    quota_per_year: float = param(0, lo=0, unit="persons/year", src="see source")
    eligible_profiles: tuple[str, ...] = param(("refugee",), choices=PROFILES, src="see source")
    requires_family_ties: bool = param(False, src="definition: eligibility also needs family in a destination state")
    # hi: ten years; the vector engine keeps a day-indexed queue of applicants as long as this
    processing_days: float = param(120, lo=0, hi=3650, unit="days", src="see source")
    source: str = param("", src="text")


def _channels() -> dict[str, Channel]:
    return {
        "resettlement": Channel(
            quota_per_year=0,
            eligible_profiles=("refugee", "trafficking_victim", "unaccompanied_child"),
            processing_days=180,
            source="P§8: UNHCR evacuations from Libya started Nov 2017, none in 2016; processing assumption",
        ),
        "humanitarian_visa": Channel(
            quota_per_year=500,
            eligible_profiles=("refugee", "medical_need", "unaccompanied_child"),
            processing_days=120,
            source="P§8: humanitarian corridors, 540 arrivals by 30 Jan 2017 (internazionale.it); eligibility "
            "and processing assumption",
        ),
        "labour": Channel(
            quota_per_year=0,
            eligible_profiles=("economic_migrant",),
            processing_days=90,
            source="assumption: no labour route for this population in 2016",
        ),
        "family_reunification": Channel(
            quota_per_year=0,
            eligible_profiles=PROFILES,
            requires_family_ties=True,
            processing_days=240,
            source="P§8: no figures found; quota 0 (assumption)",
        ),
    }


@_frozen
class LegalChannels(Validated):
    """Legal channels that take people off the boats."""

    channels: dict[str, Channel] = param(factory=_channels, src="see entries")
    uptake_probability: float = param(1.0, lo=0, hi=1, src="assumption: an eligible person offered a slot takes it")


@_frozen
class Enforcement(Validated):
    """Prevention and enforcement against smuggling."""

    information_campaign: float = param(
        0.0, lo=0, hi=1, src="lever: 0 none .. 1 intense; effect on waiting is an assumption (weak evidence)"
    )
    campaign_wait_effect: float = param(
        0.5, lo=0, hi=1, src="assumption: rise in the daily chance of waiting under a full campaign"
    )
    campaign_risk_pp: float = param(
        0.0,
        lo=0,
        hi=100,
        why="percentage points: 100 is certain death",
        unit="pp",
        src="assumption: percentage points a full campaign adds to the perceived deaths per departure "
        "(acts only through world.demand.risk_response_per_pp)",
    )
    stop_unseaworthy_share: float = param(
        0.0, lo=0, hi=1, src="lever: share of unseaworthy launches stopped on the beach (0 in 2016: assumption)"
    )
    stop_displaces: bool = param(
        False,
        src=(
            "lever (assumption, weak evidence): stops hit rubber boats only; networks move stop_unseaworthy_share "
            "of their rubber share to wooden and fishing boats, "
            "and a stop ends the network's launches for the day (its people wait for a later "
            "day); false: any boat may be stopped and its people board the day's next boat"
        ),
    )
    stop_price_surcharge_usd: float = param(
        0.0,
        lo=0,
        hi=10_000,
        unit="USD/person",
        src="assumption (no source): what a seat costs more when stops displace smugglers to sturdier "
        "boats, at a stop share of 1 (in proportion below); it adds to smugglers' revenue only, "
        "since no one's choice depends on the price",
    )
    arrests_capacity_cut: float = param(
        0.0, lo=0, hi=1, src="lever: share of smugglers' boat capacity removed by arrests"
    )
    arrests_half_life_days: float = param(
        0.0,
        lo=0,
        hi=3650,
        unit="days",
        src="assumption: days for networks to rebuild half the capacity arrests removed, counted "
        "from the day the cut takes effect (0: the cut lasts)",
    )


@_frozen
class Policy(Validated):
    """The levers analysts sweep."""

    sar: Sar = param(factory=Sar, src="see fields")
    cooperation: Cooperation = param(factory=Cooperation, src="see fields")
    states: dict[str, StatePolicy] = param(factory=_states_policy, src="see entries")
    legal: LegalChannels = param(factory=LegalChannels, src="see fields")
    enforcement: Enforcement = param(factory=Enforcement, src="see fields")
    protection: ProtectionPolicy = param(factory=ProtectionPolicy, src="see fields (model/params_protection.py)")
    evacuation: Evacuation = param(factory=Evacuation, src="see fields (model/params_crisis.py)")


# -------------------------------------------------------------------------------------- timeline

#: Where a dated change may reach: every policy lever, and of the world the keys that describe its
#: state rather than its physics (demand, the smugglers' networks, their adaptation).
CHANGEABLE: tuple[str, ...] = ("policy.", "world.demand.", "world.smugglers.", "world.adaptation.")
#: Keys under a changeable prefix that stay fixed: where a network works is what it is.
FIXED_KEYS: tuple[str, ...] = ("departure_point", "destination_port")
_ENTRY_FIELDS: tuple[str, ...] = ("date", "name", "note", "enabled")


def _iso_date(text: Any) -> dt.date | None:
    """``text`` as a date if it is exactly YYYY-MM-DD, else None."""
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _hashable(value: Any) -> Any:
    """Lists (from TOML) as tuples, so that entries compare like the rest of a scenario."""
    return tuple(_hashable(v) for v in value) if isinstance(value, list | tuple) else value


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """One dated change of policy (or of the world's state), applied at 00:00 of ``date``.

    Attributes:
        date: the day it takes effect, YYYY-MM-DD.
        name: a short handle that partial files and experiments use to shift, edit or disable the
            entry (``timeline.<name>.date``); defaults to the date.
        note: what happened and the source.
        changes: (dotted key, new value) pairs, in file order.
        enabled: false drops the entry (e.g. a package "Mare Nostrum kept running").
    """

    date: str
    name: str
    note: str = ""
    changes: tuple[tuple[str, Any], ...] = ()
    enabled: bool = True

    @classmethod
    def from_table(cls, table: Any, where: str) -> TimelineEntry:
        """An entry from its TOML table: ``date``, ``note``, optional ``name``/``enabled``, dotted keys."""
        if not isinstance(table, dict):
            raise ConfigError(where, table, "a table with date, note and dotted keys ([[timeline]])")
        date = table.get("date")
        if _iso_date(date) is None:
            raise ConfigError(f"{where}.date", date, "a date YYYY-MM-DD")
        name = table.get("name", date)
        if not isinstance(name, str) or not name or any(ch in name for ch in ". []"):
            raise ConfigError(f"{where}.name", name, "a short name without dots, spaces or brackets")
        note = table.get("note", "")
        if not isinstance(note, str):
            raise ConfigError(f"{where}.note", note, "a string")
        enabled = table.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(f"{where}.enabled", enabled, "true or false")
        changes = flatten({k: v for k, v in table.items() if k not in _ENTRY_FIELDS})
        typed = {k: coerce(declared_type(Scenario, k), v) for k, v in changes.items()}  # one type per key, as in build
        return cls(
            date=date, name=name, note=note, changes=tuple((k, _hashable(v)) for k, v in typed.items()), enabled=enabled
        )

    def to_table(self) -> dict[str, Any]:
        """The entry as its TOML table (what ``scenario show`` prints)."""
        head: dict[str, Any] = {"date": self.date}
        if self.name != self.date:
            head["name"] = self.name
        head["note"] = self.note
        if not self.enabled:
            head["enabled"] = False
        return {**head, **{k: to_dict(_plain(v)) for k, v in self.changes}}

    def label(self) -> str:
        """How errors name the entry: its date, and its name if it has one of its own."""
        return self.date if self.name == self.date else f"{self.date} {self.name}"


def _plain(value: Any) -> Any:
    """Inverse of :func:`_hashable` for printing and applying: tuples back to lists."""
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


def merge_timeline(base: tuple[TimelineEntry, ...], data: Any) -> tuple[TimelineEntry, ...]:
    """The timeline of a file or experiment written over ``base``'s.

    ``data`` is either a list of entry tables (``[[timeline]]``: an entry whose name is already in
    ``base`` replaces it, any other is added) or a table of edits by entry name (from dotted keys
    such as ``timeline.mare_nostrum_ends.date``): ``date`` shifts the entry, ``enabled = false``
    drops it, ``note`` rewrites it, and any other dotted key sets that change's value.
    """
    entries = {e.name: e for e in base}
    if isinstance(data, list):
        names: set[str] = set()
        for i, table in enumerate(data):
            e = TimelineEntry.from_table(table, f"timeline[{i}]")
            if e.name in names:
                raise ConfigError(
                    f"timeline[{i}].name",
                    e.name,
                    "a name no other entry of the file has (give entries on one date a name each)",
                )
            names.add(e.name)
            entries[e.name] = e
        return tuple(entries.values())
    if isinstance(data, dict):
        for name, edits in data.items():
            if name not in entries:
                raise ConfigError(
                    f"timeline.{name}",
                    name,
                    "the name of a timeline entry: " + (", ".join(entries) or "(the timeline is empty)"),
                    problem="unknown entry",
                )
            if not isinstance(edits, dict):
                raise ConfigError(f"timeline.{name}", edits, "a table of the entry's fields or dotted keys")
            table = {**entries[name].to_table(), "name": name, **edits}
            entries[name] = TimelineEntry.from_table(table, f"timeline.{name}")
        return tuple(entries.values())
    raise ConfigError("timeline", data, "an array of tables ([[timeline]]) or a table of edits by entry name")


def _changeable(key: str) -> bool:
    return key.startswith(CHANGEABLE) and key.rpartition(".")[2] not in FIXED_KEYS


def _structure(s: Scenario) -> tuple:
    """The named tables a timeline may not add to or remove from."""
    w, p = s.world, s.policy
    return (tuple(w.smugglers), tuple(p.sar.fleets), tuple(p.states), tuple(p.legal.channels))


def timeline_states(scenario: Scenario) -> list[tuple[str, Scenario]]:
    """The scenario in force from each change date on: ``[(date, scenario), ...]``, in date order.

    The scenarios carry no timeline; the first item is the scenario as written (date
    ``start_date``), before any change (changes dated on the start day follow as the second item). Raises ConfigError
    naming the entry
    (date) and the key for a date outside the run, a key that may not change, a bad value, or two
    entries on one date changing one key.
    """
    start = dt.date.fromisoformat(scenario.world.start_date)
    end = start + dt.timedelta(days=scenario.world.days - 1)
    entries = sorted((e for e in scenario.timeline if e.enabled), key=lambda e: e.date)
    state = dataclasses.replace(scenario, timeline=())
    shape = _structure(state)
    seen: dict[tuple[str, str], str] = {}
    out: list[tuple[str, Scenario]] = [(scenario.world.start_date, state)]
    flat = state.flat()  # (the keys only: every state has the same, as the structure check below ensures)
    for e in entries:
        where = f"timeline[{e.label()}]"
        day = dt.date.fromisoformat(e.date)
        if not start <= day <= end:
            raise ConfigError(f"{where}.date", e.date, f"a date within the run, {start} to {end}")
        if not e.changes:
            raise ConfigError(where, e.note or e.name, "at least one dotted key to change")
        for key, value in e.changes:
            if not _changeable(key):
                raise ConfigError(
                    f"{where}.{key}",
                    to_dict(_plain(value)),
                    "keys under " + ", ".join(CHANGEABLE) + " (not " + ", ".join(FIXED_KEYS) + ")",
                    problem="unchangeable key",
                )
            if (
                key not in flat
                and not any(k.startswith(key + ".") for k in flat)
                and key.rpartition(".")[0] not in flat
            ):
                raise ConfigError(
                    f"{where}.{key}",
                    to_dict(_plain(value)),
                    "a dotted key of the scenario (see seamig scenario show)",
                    problem="unknown key",
                )
            if (e.date, key) in seen:
                raise ConfigError(
                    f"{where}.{key}",
                    to_dict(_plain(value)),
                    f"one change per key and date (also set by entry {seen[e.date, key]!r})",
                    problem="two changes on one date",
                )
            seen[e.date, key] = e.name
        try:
            state = state.with_overrides({k: to_dict(_plain(v)) for k, v in e.changes})
        except ConfigError as err:
            raise err.under(where) from None
        if _structure(state) != shape:
            raise ConfigError(
                where,
                [k for k, _ in e.changes],
                "changes to existing fleets, networks, states and channels (give a fleet count 0 to add it later)",
                problem="new or removed entry",
            )
        if len(out) > 1 and out[-1][0] == e.date:
            out[-1] = (e.date, state)
        else:
            out.append((e.date, state))
    return out


# -------------------------------------------------------------------------------- burden sharing


def _check_burden(s: Scenario) -> None:
    """Burden sharing (issue 24): the landing rule's hub and caps, the key rule's figures, who pays instead."""
    coop, states = s.policy.cooperation, s.world.states
    part = ", ".join(coop.participants) or "(none)"
    for name in s.world.burden.states:
        if name not in states:
            raise ConfigError(f"world.burden.states.{name}", name, "a state among world.states: " + ", ".join(states))
    if coop.landing_rule == "hub" and coop.landing_hub not in coop.participants:
        raise ConfigError(
            "policy.cooperation.landing_hub", coop.landing_hub, "a participant when landing_rule = 'hub': " + part
        )
    if coop.landing_hub and coop.landing_hub not in states:
        raise ConfigError(
            "policy.cooperation.landing_hub", coop.landing_hub, "a state among world.states: " + ", ".join(states)
        )
    for name in coop.landing_caps:
        if name not in coop.participants:
            raise ConfigError(f"policy.cooperation.landing_caps.{name}", name, "participants: " + part)
    for name in coop.contributes_instead:
        if name not in coop.participants:
            raise ConfigError("policy.cooperation.contributes_instead", name, "participants: " + part)
    if coop.participants and set(coop.contributes_instead) >= set(coop.participants):
        raise ConfigError(
            "policy.cooperation.contributes_instead",
            list(coop.contributes_instead),
            "fewer states than the participants (someone must take people)",
        )
    if coop.relocation_key and coop.relocation_key_rule != "negotiated":
        raise ConfigError(
            "policy.cooperation.relocation_key",
            dict(coop.relocation_key),
            f"an empty key when relocation_key_rule = {coop.relocation_key_rule!r} (the rule sets the shares)",
        )
    if coop.relocation_key_rule == "population_gdp":
        members = coop.participants or tuple(n for n, f in states.items() if f.place_of_safety)
        for name in members:
            fig = s.world.burden.figures(name)
            for field in ("population_millions", "gdp_eur_bn", "unemployment_pct", "asylum_per_million"):
                if getattr(fig, field) <= 0:
                    raise ConfigError(
                        f"world.burden.states.{name}.{field}",
                        getattr(fig, field),
                        "a positive figure for every state sharing a population_gdp key",
                    )


# -------------------------------------------------------------------------------------- scenario


def _fill_participants(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (nested dicts) with the participants of a standing framework filled in if none are given.

    ``framework = "standing"`` alone (``MigrationModel(framework="standing")``, a lever set by a
    tool that knows nothing of the states) means every state that is a place of safety and has a
    port; naming participants keeps them as given. The filled list is written out with the
    scenario, so the choice is visible in ``scenario.toml``.
    """
    coop = data.get("policy", {}).get("cooperation", {})
    states = data.get("world", {}).get("states", {})
    if (
        not isinstance(coop, dict)
        or not isinstance(states, dict)
        or coop.get("framework") != "standing"
        or coop.get("participants")
    ):
        return data
    safe = [
        n
        for n, s in states.items()
        if isinstance(s, dict) and s.get("place_of_safety", True) is True and s.get("ports")
    ]
    return merge(data, {"policy": {"cooperation": {"participants": safe}}})


@_frozen
class Scenario(Validated):
    """A complete, validated model input: ``Scenario(world=..., policy=...)``."""

    name: str = param("central_med_2016", src="text")
    description: str = param("Central Mediterranean, 2016", src="text")
    world: World = param(factory=World, src="see fields")
    policy: Policy = param(factory=Policy, src="see fields")
    timeline: tuple[TimelineEntry, ...] = param(
        (), src="dated changes of policy and of the world's state ([[timeline]] in a scenario file)"
    )

    def check(self) -> None:
        states = self.world.states
        for name in self.policy.states:
            if name not in states:
                raise ConfigError(f"policy.states.{name}", name, "a state among world.states: " + ", ".join(states))
        for name in states:
            if name not in self.policy.states:
                raise ConfigError(
                    f"policy.states.{name}", None, f"a [policy.states.{name}] table for every state in world.states"
                )
        coop = self.policy.cooperation
        for name in coop.participants:
            if name not in states:
                raise ConfigError("policy.cooperation.participants", name, "states among " + ", ".join(states))
        if coop.framework == "standing" and not coop.participants:
            raise ConfigError(
                "policy.cooperation.participants",
                [],
                "at least one state when framework = 'standing' (a scenario file or override that "
                "gives none takes every state with a safe port; this one has none)",
            )
        for name in coop.deal_landing_states:
            if name not in states:
                raise ConfigError("policy.cooperation.deal_landing_states", name, "states among " + ", ".join(states))
        for name in coop.relocation_key:
            if name not in coop.participants:
                raise ConfigError(
                    f"policy.cooperation.relocation_key.{name}", name, "participants: " + ", ".join(coop.participants)
                )
        if coop.relocation_key:
            _sums_to_one("policy.cooperation.relocation_key", coop.relocation_key.values())
        for fname, fleet in self.policy.sar.fleets.items():
            for s in fleet.taskable_by:
                if s not in states:
                    raise ConfigError(f"policy.sar.fleets.{fname}.taskable_by", s, "states among " + ", ".join(states))
        for cname, ch in self.policy.legal.channels.items():
            if not ch.eligible_profiles and ch.quota_per_year > 0:
                raise ConfigError(f"policy.legal.channels.{cname}.eligible_profiles", [], "at least one profile")
        for name in self.policy.protection.states:  # screening at landing (issue 23)
            if name not in states:
                raise ConfigError(
                    f"policy.protection.states.{name}", name, "a state among world.states: " + ", ".join(states)
                )
        if self.world.crisis.date and self.world.crisis.state not in states:  # a crisis (issue 23)
            raise ConfigError(
                "world.crisis.state", self.world.crisis.state, "a state among world.states: " + ", ".join(states)
            )
        _check_burden(self)
        if self.timeline:
            names = [e.name for e in self.timeline]
            if len(set(names)) != len(names):
                raise ConfigError("timeline", names, "entries with distinct names")
            timeline_states(self)

    # --- construction and export ---------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: Scenario | None = None) -> Scenario:
        """Build a scenario from nested dicts, merged over ``base`` (default: central_med_2016).

        A ``timeline`` in ``data`` is written over the base's (:func:`merge_timeline`). A standing
        framework given without participants takes every state with a place of safety and a port
        (:func:`_fill_participants`).
        """
        base = base if base is not None else cls()
        data = dict(data)
        edits = data.pop("timeline", None)
        start = to_dict(dataclasses.replace(base, timeline=()))
        start.pop("timeline")
        built = build(cls, _fill_participants(merge(start, data)))
        timeline = base.timeline if edits is None else merge_timeline(base.timeline, edits)
        return dataclasses.replace(built, timeline=timeline) if timeline else built

    def to_dict(self) -> dict[str, Any]:
        """Every parameter as nested plain dicts (what ``scenario show`` prints as TOML)."""
        out = to_dict(dataclasses.replace(self, timeline=()))
        out["timeline"] = [e.to_table() for e in self.timeline]
        if not out["timeline"]:
            del out["timeline"]
        return out

    def flat(self) -> dict[str, Any]:
        """Every parameter as dotted keys, e.g. ``policy.sar.fleets.ngo.count``.

        Timeline entries appear as ``timeline.<name>.date``, ``.note``, ``.enabled`` and
        ``timeline.<name>.<dotted key>`` for each change (the keys experiments may set).
        """
        out = flatten({k: v for k, v in self.to_dict().items() if k != "timeline"})
        for e in self.timeline:
            out[f"timeline.{e.name}.date"] = e.date
            out[f"timeline.{e.name}.note"] = e.note
            out[f"timeline.{e.name}.enabled"] = e.enabled
            out.update({f"timeline.{e.name}.{k}": v for k, v in e.changes})
        return out

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """Return a copy with dotted-key overrides applied and validated.

        ``timeline.<name>.<field or dotted key>`` edits an entry (``date`` shifts it, ``enabled``
        drops it); ``timeline`` itself, a list of entry tables, adds entries or replaces those of
        the same name. Overriding ``world.days`` or ``world.start_date`` (a shorter run, ``--days``)
        disables the entries that then fall outside the run, instead of refusing them. Values may
        be numpy scalars or arrays (as samplers give them): they are taken as Python numbers.
        """
        overrides = {k: plain(v) for k, v in overrides.items()}
        span = {k: overrides[k] for k in ("world.days", "world.start_date") if k in overrides}
        if span and self.timeline:
            start = _iso_date(
                span.get("world.start_date", self.world.start_date)
            )  # None if malformed: refused below as usual
            days = span.get("world.days", self.world.days)
            if start is not None and isinstance(days, int) and not isinstance(days, bool):
                end = start + dt.timedelta(days=days - 1)
                kept = tuple(
                    e if start <= dt.date.fromisoformat(e.date) <= end else dataclasses.replace(e, enabled=False)
                    for e in self.timeline
                )
                if kept != self.timeline:
                    return dataclasses.replace(self, timeline=kept).with_overrides(overrides)
        fast = self._with_numbers(overrides)
        if fast is not None:
            return fast
        timeline = {k: v for k, v in overrides.items() if k.startswith("timeline.")}
        rest = {k: v for k, v in overrides.items() if not k.startswith("timeline")}
        data = unflatten(rest)
        if "timeline" in overrides:  # a list of entry tables: added, or replacing entries of the same name
            data["timeline"] = list(overrides["timeline"])
            if timeline:
                raise ConfigError(
                    "timeline",
                    overrides["timeline"],
                    "either a list of entries or timeline.<name>.<key> edits in one set of overrides",
                )
        elif timeline:
            edits: dict[str, dict[str, Any]] = {}
            for k, v in timeline.items():
                _, name, field_key = k.split(".", 2) if k.count(".") >= 2 else (k, "", "")
                if not field_key:
                    raise ConfigError(k, v, "timeline.<entry name>.<field or dotted key>")
                edits.setdefault(name, {})[field_key] = list(v) if isinstance(v, tuple) else v
            data["timeline"] = edits
        return Scenario.from_dict(data, base=self)

    def _with_numbers(self, overrides: dict[str, Any]) -> Scenario | None:
        """The overrides applied key by key when each sets one existing scalar (None: take the full rebuild).

        Rebuilding only the tables on each key's path gives the scenario :meth:`from_dict` gives,
        in a fraction of the time (calibrations and sweeps build thousands of variants). Keys
        whose change can reach beyond their table (the timeline, the run's span, the cooperation
        framework that fills its participants) always take the full rebuild.
        """
        if not overrides or any(
            not isinstance(v, (bool, int, float, str))
            or k.startswith(("timeline", "policy.cooperation", "world.days", "world.start_date"))
            for k, v in overrides.items()
        ):
            return None
        tables: dict[str, Any] = {}  # each top-level table with its keys applied; the scenario checked once
        for k, v in overrides.items():
            head, _, rest = k.partition(".")
            table = tables.get(head, getattr(self, head, None))
            if not rest or not dataclasses.is_dataclass(table):
                return None
            tables[head] = replace_leaf(table, rest, v, head)
            if tables[head] is None:
                return None
        return dataclasses.replace(self, **tables)

    def replace(self, **changes: Any) -> Scenario:
        """``dataclasses.replace`` for top-level fields."""
        return dataclasses.replace(self, **changes)
