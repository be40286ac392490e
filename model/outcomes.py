"""The outcome schema shared by every engine: statuses, counters, daily series, events, summary.

An engine reports what happens through one :class:`Ledger` (people moving between statuses, person
counts by profile, case counts, events); the ledger checks that people are conserved at every step
and turns its records into a :class:`RunResult`. No engine computes a metric itself, so both
engines produce the same columns with the same meaning (documented in ``results/README.md``).

Journeys: a person returned to Libya may try again, so ``departures`` counts boardings
(person-journeys) and the identity departures = arrivals + dead + missing + intercepted +
at_sea_end + aboard_vessels_end holds exactly in journeys.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from model.errors import ConservationError
from model.params import BOAT_TYPES, PROFILES, VESSEL_KINDS, Scenario
from model.rules import burden
from model.rules.crisis import FLOWS as CRISIS_FLOWS
from model.rules.protection import OUTCOMES as PROTECTION_OUTCOMES

SCHEMA_VERSION = 2

STATUSES: tuple[str, ...] = (
    "waiting_at_origin",
    "legal_process",
    "legal_arrived",
    "at_sea",
    "aboard_vessel",
    "landed",
    "intercepted",
    "dead",
    "missing",
    # a crisis (model/rules/crisis.py): migrant workers on the coast awaiting evacuation, and those evacuated
    "awaiting_evacuation",
    "evacuated",
)
S = {name: i for i, name in enumerate(STATUSES)}

#: Person counts kept by profile (cumulative and per day).
PERSON_METRICS: tuple[str, ...] = (
    "departures",
    "arrivals",
    "legal_arrivals",
    "dead",
    "missing",
    "intercepted",
    "rescued",
    "medevacs",
    "relocations",
    "children_referred",
    # screening and referral after landing (model/rules/protection.py; PROTECTION_PERSONS)
    "children_missing",
    "victims_identified",
    "victims_reexploited",
)
#: Person metrics that screening after landing counts: (metric, the profile it counts).
PROTECTION_PERSONS: tuple[tuple[str, str], ...] = (
    ("children_referred", "unaccompanied_child"),
    ("children_missing", "unaccompanied_child"),
    ("victims_identified", "trafficking_victim"),
    ("victims_reexploited", "trafficking_victim"),
)
#: Case counts (not by profile).
CASE_METRICS: tuple[str, ...] = (
    "boats_launched",
    "boats_stopped",
    "distress_cases",
    "capsizes",
    "merchant_declines",
    "disembarkation_requests",
    "disembarkation_refusals",
    "deals",
    "people_days_waiting",
    "smuggler_revenue_usd",
    # survivors of an interception injured by the patrol (policy.states.*.interception_injury_share)
    "injured_in_interception",
    # medical cases who died aboard a ship waiting for a port (world.survival.waiting_medical_death_per_day)
    "died_waiting",
)
#: Stocks recorded at the end of each day: people in each status (``stock_<status>``) and more.
STOCKS: tuple[str, ...] = (
    *(f"stock_{s}" for s in STATUSES),
    "vessels_waiting",
    "people_waiting_at_sea",
    "reception_occupancy",
)

DAILY_COLUMNS: tuple[str, ...] = ("day", "date", "sea_state", *PERSON_METRICS, *CASE_METRICS, *STOCKS)
EVENT_COLUMNS: tuple[str, ...] = (
    "hour",
    "day",
    "event",
    "case_id",
    "vessel",
    "state",
    "persons",
    "x_km",
    "y_km",
    "detail",
)
EVENTS: tuple[str, ...] = (
    "launch",
    "stopped",
    "distress",
    "alert",
    "coordination",
    "tasking",
    "decline",
    "rescue",
    "interception",
    "capsize",
    "unassisted_arrival",
    "request",
    "refusal",
    "acceptance",
    "deal",
    "landing",
    "medevac",
    "relocation",
    "policy_change",
)

#: How a case was coordinated (the ``detail`` of a ``coordination`` event).
COORDINATION: tuple[str, ...] = ("srr_state", "first_alerted", "handover")
#: ``detail`` of a tasking whose merchant master has not answered yet.
AWAITING_ANSWER = "awaiting the master's answer"


def launch_detail(network: str, boat_type: str) -> str:
    """``detail`` of a ``launch`` event."""
    return f"{network}:{boat_type}"


def tasking_detail(eta_hours: float) -> str:
    """``detail`` of a ``tasking`` event: the tasked vessel's expected hours to the boat."""
    return f"eta_h={eta_hours:.1f}"


def decline_detail(asked_hour: int) -> str:
    """``detail`` of a ``decline`` answered later: the hour the master was asked."""
    return f"asked at hour {asked_hour}"


def relocation_detail(source_state: str) -> str:
    """``detail`` of a ``relocation`` event: the state people are relocated from."""
    return f"from {source_state}"


SUMMARY_KEYS: tuple[str, ...] = (
    "departures",
    "arrivals",
    "legal_arrivals",
    "dead",
    "missing",
    "intercepted",
    "rescued",
    "distress_cases",
    "disembarkation_requests",
    "disembarkation_refusals",
    "ships_waited",
    "mean_wait_days",
    "max_wait_days",
    "medevacs",
    "relocations",
    "at_sea_end",
    "aboard_vessels_end",
    "arrivals_by_state",
    "rescued_by_actor",
    "by_profile",
)


class Ledger:
    """Counts and checks everything an engine reports during one run.

    Args:
        scenario: the run's scenario (for state names and the calendar).
        record_events: keep the event log (cheap; off only for very large runs).
    """

    def __init__(self, scenario: Scenario, record_events: bool = True) -> None:
        self.states = tuple(scenario.world.states)
        self.start = pd.Timestamp(scenario.world.start_date)
        self.status = np.zeros(len(STATUSES), dtype=np.int64)
        self.created = 0
        self.person = np.zeros((len(PERSON_METRICS), len(PROFILES)), dtype=np.int64)
        self.case = np.zeros(len(CASE_METRICS), dtype=float)
        self._day_person = np.zeros(len(PERSON_METRICS), dtype=np.int64)
        self._day_case = np.zeros(len(CASE_METRICS), dtype=float)
        self.arrivals_by_state = np.zeros(len(self.states), dtype=np.int64)
        self.relocated_in = np.zeros(len(self.states), dtype=np.int64)
        self.relocated_out = np.zeros(len(self.states), dtype=np.int64)
        self.refusals_by_state = np.zeros(len(self.states), dtype=np.int64)
        self.intercepted_by_state = np.zeros(len(self.states), dtype=np.int64)
        self.rescued_by_actor = np.zeros(len(VESSEL_KINDS), dtype=np.int64)
        self.boats_by_type = np.zeros(len(BOAT_TYPES), dtype=np.int64)
        self.waits: list[float] = []
        self.rows: list[dict[str, Any]] = []
        self.record_events = record_events
        self.events: list[tuple] = []
        self._pi = {m: i for i, m in enumerate(PERSON_METRICS)}
        self._ci = {m: i for i, m in enumerate(CASE_METRICS)}
        # screening and referral after landing: counts by state (PROTECTION_OUTCOMES), people still queued at the end
        self.protection = np.zeros((len(self.states), len(PROTECTION_OUTCOMES)), dtype=np.int64)
        self.protection_queued = np.zeros((len(self.states), 2), dtype=np.int64)  # children, trafficking victims
        self.screening_queue_max = 0
        self.debt_usd = float(scenario.world.protection.trafficking_debt_usd)
        self.crisis = np.zeros(len(CRISIS_FLOWS), dtype=np.int64)  # a crisis's flows (model/rules/crisis.py)
        # burden sharing (model/rules/landing.py, model/rules/burden.py): landed under a framework, person-days in
        # reception;
        # the waits at sea still running at the end (an engine sets them as it finishes)
        self.scenario = scenario
        self.framework_landed = np.zeros(len(self.states), dtype=np.int64)
        self.reception_days = np.zeros(len(self.states), dtype=float)
        # joining and leaving a framework (burden.membership): people-days waiting by coordinating state, days as a
        # member,
        # the day a state joined or left (-1: never), the members at the end (None: the participants as given)
        self.standoff_days = np.zeros(len(self.states), dtype=np.int64)
        self.member_days = np.zeros(len(self.states), dtype=np.int64)
        self.joined_day = np.full(len(self.states), -1, dtype=np.int64)
        self.left_day = np.full(len(self.states), -1, dtype=np.int64)
        self.members_end: np.ndarray | None = None
        self.waits_open: list[float] = []

    # --- people and statuses --------------------------------------------------------------------

    def create(self, n: int, status: str = "waiting_at_origin") -> None:
        """``n`` new people enter the model in ``status``."""
        self.created += int(n)
        self.status[S[status]] += int(n)

    def move(self, src: str, dst: str, n: int) -> None:
        """``n`` people change status from ``src`` to ``dst``."""
        if n:
            self.status[S[src]] -= int(n)
            self.status[S[dst]] += int(n)

    def check(self, hour: int) -> None:
        """Raise ConservationError unless every created person is in exactly one status."""
        if self.status.sum() != self.created or (self.status < 0).any():
            counts = dict(zip(STATUSES, self.status.tolist(), strict=True))
            raise ConservationError(f"hour {hour}: {self.created} people created but statuses hold {counts}")

    # --- counts ---------------------------------------------------------------------------------

    def persons(self, metric: str, profiles: np.ndarray) -> None:
        """Count people for ``metric`` from an array of their profile indices."""
        counts = np.bincount(np.asarray(profiles, dtype=np.int64), minlength=len(PROFILES))
        i = self._pi[metric]
        self.person[i] += counts
        self._day_person[i] += counts.sum()

    def count(self, metric: str, n: float = 1) -> None:
        """Add ``n`` to a case metric."""
        i = self._ci[metric]
        self.case[i] += n
        self._day_case[i] += n

    def total(self, metric: str) -> int:
        """Cumulative total of a person metric (all profiles) or a case metric so far."""
        if metric in self._pi:
            return int(self.person[self._pi[metric]].sum())
        return int(self.case[self._ci[metric]])

    def event(
        self,
        hour: int,
        event: str,
        case_id: int = -1,
        vessel: str = "",
        state: str = "",
        persons: int = 0,
        x: float = math.nan,
        y: float = math.nan,
        detail: str = "",
    ) -> None:
        """Record one event in the log (if enabled)."""
        if self.record_events:
            self.events.append(
                (
                    hour,
                    hour // 24,
                    event,
                    case_id,
                    vessel,
                    state,
                    int(persons),
                    round(float(x), 2),
                    round(float(y), 2),
                    detail,
                )
            )

    # --- days and results -----------------------------------------------------------------------

    def today(self, *metrics: str) -> int:
        """People counted today (so far) under ``metrics``, summed."""
        return int(sum(self._day_person[self._pi[m]] for m in metrics))

    def close_day(
        self, day: int, sea_state: float, vessels_waiting: int, people_waiting_at_sea: int, occupancy: float
    ) -> None:
        """Record the day's flows and end-of-day stocks as one row of the daily series."""
        row: dict[str, Any] = {
            "day": day,
            "date": (self.start + pd.Timedelta(days=day)).date().isoformat(),
            "sea_state": round(float(sea_state), 4),
        }
        row.update(zip(PERSON_METRICS, self._day_person.tolist(), strict=True))
        row.update(zip(CASE_METRICS, self._day_case.tolist(), strict=True))
        row.update(zip(STOCKS, self.status.tolist(), strict=False))
        row.update(
            vessels_waiting=int(vessels_waiting),
            people_waiting_at_sea=int(people_waiting_at_sea),
            reception_occupancy=round(float(occupancy), 1),
        )
        self.rows.append(row)
        self._day_person[:] = 0
        self._day_case[:] = 0

    def result(self, scenario: Scenario, seed: int, engine: str) -> RunResult:
        """Freeze the run's records into a :class:`RunResult`."""
        daily = pd.DataFrame(self.rows, columns=list(DAILY_COLUMNS))
        events = pd.DataFrame(self.events, columns=list(EVENT_COLUMNS))
        return RunResult(
            summary=self.summary(), daily=daily, events=events, scenario=scenario, seed=seed, engine=engine
        )

    def summary(self) -> dict[str, Any]:
        """The run summary (people counted as persons; see module docstring for journeys)."""
        tot = self.person.sum(axis=1)
        p = dict(zip(PERSON_METRICS, (int(v) for v in tot), strict=True))
        c = dict(zip(CASE_METRICS, (float(v) for v in self.case), strict=True))
        out: dict[str, Any] = {
            k: p[k] for k in ("departures", "arrivals", "legal_arrivals", "dead", "missing", "intercepted", "rescued")
        }
        out["dead_and_missing"] = p["dead"] + p["missing"]
        out["mortality_per_departure"] = out["dead_and_missing"] / p["departures"] if p["departures"] else 0.0
        for k in (
            "distress_cases",
            "disembarkation_requests",
            "disembarkation_refusals",
            "boats_launched",
            "boats_stopped",
            "capsizes",
            "merchant_declines",
            "deals",
        ):
            out[k] = int(c[k])
        waits = self.waits + self.waits_open  # ships still waiting at the end count, with their wait so far
        waited = [w for w in waits if w > 0]  # ships not accepted in the hour of their first request
        out["ships_waited"] = len(waited)
        out["mean_wait_days"] = (
            float(np.mean(waited)) if waited else math.nan
        )  # over ships that waited: no wait, no mean
        out["max_wait_days"] = float(np.max(waits)) if waits else 0.0
        out["ships_waiting_end"] = len(self.waits_open)
        out["people_days_waiting"] = c["people_days_waiting"]
        out["medevacs"] = p["medevacs"]
        out["relocations"] = p["relocations"]
        out["children_referred"] = p["children_referred"]
        out["smuggler_revenue_usd"] = c["smuggler_revenue_usd"]
        out["injured_in_interception"] = int(c["injured_in_interception"])
        out["died_waiting"] = int(c["died_waiting"])
        out["at_sea_end"] = int(self.status[S["at_sea"]])
        out["aboard_vessels_end"] = int(self.status[S["aboard_vessel"]])
        out["waiting_at_origin_end"] = int(self.status[S["waiting_at_origin"]])
        out["legal_process_end"] = int(self.status[S["legal_process"]])
        out["people_created"] = int(self.created)
        out["arrivals_by_state"] = dict(zip(self.states, self.arrivals_by_state.tolist(), strict=True))
        burden = self.arrivals_by_state + self.relocated_in - self.relocated_out
        out["burden_by_state"] = dict(zip(self.states, burden.tolist(), strict=True))
        out["intercepted_by_state"] = dict(zip(self.states, self.intercepted_by_state.tolist(), strict=True))
        out["refusals_by_state"] = dict(zip(self.states, self.refusals_by_state.tolist(), strict=True))
        out["boats_by_type"] = dict(zip(BOAT_TYPES, self.boats_by_type.tolist(), strict=True))
        out["rubber_boat_share"] = (
            float(self.boats_by_type[0] / self.boats_by_type.sum()) if self.boats_by_type.sum() else 0.0
        )
        out["rescued_by_actor"] = dict(zip(VESSEL_KINDS, self.rescued_by_actor.tolist(), strict=True))
        out["by_profile"] = {
            prof: {m: int(self.person[i, j]) for i, m in enumerate(PERSON_METRICS)} for j, prof in enumerate(PROFILES)
        }
        out.update(self._protection_summary())
        out.update(self._burden_summary())
        # a crisis that sends migrant workers to the coast (model/rules/crisis.py): reached the coast = evacuated + gave
        # up + awaiting
        out.update({f"crisis_{k}": int(v) for k, v in zip(CRISIS_FLOWS, self.crisis.tolist(), strict=True)})
        out["awaiting_evacuation_end"] = int(self.status[S["awaiting_evacuation"]])
        return out

    def _burden_summary(self) -> dict[str, Any]:
        """Burden by state (model/rules/burden.py).

        Relocations, landings under a framework, reception-days, costs and contributions.

        Contributions (paid > 0, received < 0) are settled among the framework's participants by
        the relocation key; without participants there is nothing to settle (zeros).
        """
        sc, states = self.scenario, self.states
        taken = self.arrivals_by_state + self.relocated_in - self.relocated_out
        figures = [sc.world.burden.figures(s) for s in states]
        cost = burden.reception_costs(self.reception_days, np.array([f.reception_cost_eur_per_day for f in figures]))
        coop = sc.policy.cooperation
        if coop.membership_rule == burden.COST and self.members_end is not None:  # settled among the members at the end
            m = self.members_end
            fair, paid = (
                burden.contributions(burden.key_shares(sc, states, m), taken, m, coop.contribution_eur_per_person)
                if m.any()
                else (np.zeros(len(states)), np.zeros(len(states)))
            )
        elif coop.participants:
            fair, paid = burden.contributions(
                burden.key_shares(sc, states), taken, burden.members_mask(sc, states), coop.contribution_eur_per_person
            )
        else:
            fair, paid = np.zeros(len(states)), np.zeros(len(states))

        def by(a: np.ndarray, nd: int | None = None) -> dict:
            return dict(zip(states, (round(float(x), nd) if nd is not None else int(x) for x in a), strict=True))

        return {
            "relocated_in_by_state": by(self.relocated_in),
            "relocated_out_by_state": by(self.relocated_out),
            "framework_landed_by_state": by(self.framework_landed),
            "reception_days_by_state": by(self.reception_days, 1),
            "reception_cost_eur_by_state": by(cost, 0),
            "fair_share_by_state": by(fair, 1),
            "contribution_eur_by_state": by(paid, 0),
            "net_cost_eur_by_state": by(cost + paid, 0),
            "contributions_balance_eur": round(float(paid.sum()), 6),
            # joining and leaving (burden.membership; membership_rule = fixed: the participants throughout)
            "standoff_people_days_by_state": by(self.standoff_days),
            "member_days_by_state": by(self.member_days),
            "joined_day_by_state": by(self.joined_day),
            "left_day_by_state": by(self.left_day),
        }

    def _protection_summary(self) -> dict[str, Any]:
        """Screening and referral after landing (model/rules/protection.py): totals, mean days taken, by state."""
        tot = dict(zip(PROTECTION_OUTCOMES, (int(v) for v in self.protection.sum(axis=0)), strict=True))
        out: dict[str, Any] = {k: v for k, v in tot.items() if not k.endswith("_days")}
        out["children_referral_days_mean"] = (
            tot["referral_days"] / tot["children_referred"] if tot["children_referred"] else math.nan
        )
        out["victims_identification_days_mean"] = (
            tot["identification_days"] / tot["victims_identified"] if tot["victims_identified"] else math.nan
        )
        out["victims_unidentified"] = tot["victims_missed"] + tot["victims_not_screened"]
        out["trafficking_debt_enforced_usd"] = (
            tot["victims_reexploited"] * self.debt_usd
        )  # exploited after landing to repay it
        out["trafficking_debt_voided_usd"] = (
            tot["victims_identified"] * self.debt_usd
        )  # identified: protection and a legal status instead
        out["children_queued_end"] = int(self.protection_queued[:, 0].sum())
        out["victims_queued_end"] = int(self.protection_queued[:, 1].sum())
        out["screening_queue_max"] = int(self.screening_queue_max)
        out["protection_by_state"] = {
            s: dict(zip(PROTECTION_OUTCOMES, self.protection[i].tolist(), strict=True))
            for i, s in enumerate(self.states)
        }
        return out


@dataclass(frozen=True)
class RunResult:
    """One run's outcomes, identical in form for every engine.

    Attributes:
        summary: run totals (keys in :data:`SUMMARY_KEYS` and more; see ``results/README.md``).
        daily: one row per simulated day, columns :data:`DAILY_COLUMNS`.
        events: the case event log, columns :data:`EVENT_COLUMNS` (empty if not recorded).
        scenario: the scenario that was run.
        seed: the run's seed.
        engine: "mesa" or "vector".
    """

    summary: dict[str, Any]
    daily: pd.DataFrame
    events: pd.DataFrame
    scenario: Scenario = field(repr=False)
    seed: int = 0
    engine: str = "mesa"

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write summary.json, daily.csv, monthly.csv, yearly.csv.

        Events.csv and scenario.toml into ``out_dir`` (each via a temp file).

        ``scenario.toml`` is the scenario that was run, every parameter explicit (its timeline
        included): ``seamig run --scenario DIR/scenario.toml`` with the same seed repeats the run.
        """
        from model.scenarios import to_toml

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        meta = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "engine": self.engine,
            "schema_version": SCHEMA_VERSION,
            "days": self.scenario.world.days,
        }
        files = {
            "summary.json": json.dumps(
                {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in {**meta, **self.summary}.items()},
                indent=2,
            ),  # NaN as null: strict JSON
            "daily.csv": self.daily.to_csv(index=False, lineterminator="\n"),
            "monthly.csv": monthly(self.daily).to_csv(index=False, lineterminator="\n"),
            "yearly.csv": yearly(self.daily).to_csv(index=False, lineterminator="\n"),
            "events.csv": self.events.to_csv(index=False, lineterminator="\n"),
            "scenario.toml": to_toml(self.scenario),
        }
        written = []
        for name, text in files.items():
            tmp = out / f".{name}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(out / name)
            written.append(out / name)
        return written


class Engine(Protocol):
    """What every engine offers: run a scenario with a seed, return a RunResult."""

    def run(
        self,
        scenario: Scenario,
        seed: int,
        *,
        days: int | None = None,
        progress: bool = False,
        record_events: bool = True,
    ) -> RunResult:
        """Run ``scenario`` for its days (or ``days``) from ``seed``."""
        ...


# --- monthly and yearly tables ------------------------------------------------------------------

#: End-of-period stocks of the monthly and yearly tables: (column, the daily column it is read from).
PERIOD_STOCKS: tuple[tuple[str, str], ...] = (
    ("at_sea_end", "stock_at_sea"),
    ("aboard_vessels_end", "stock_aboard_vessel"),
    ("waiting_at_origin_end", "stock_waiting_at_origin"),
    ("legal_process_end", "stock_legal_process"),
    ("vessels_waiting_end", "vessels_waiting"),
    ("people_waiting_at_sea_end", "people_waiting_at_sea"),
    ("reception_occupancy_end", "reception_occupancy"),
)
_PERIOD_VALUES: tuple[str, ...] = (
    *PERSON_METRICS,
    *CASE_METRICS,
    "dead_and_missing",
    "mortality_per_departure",
    *(c for c, _ in PERIOD_STOCKS),
    "mean_sea_state",
)
#: Columns of ``monthly.csv``: one row per calendar month (partial at either end of a run).
MONTHLY_COLUMNS: tuple[str, ...] = ("month", "year", "days", *_PERIOD_VALUES)
#: Columns of ``yearly.csv``: one row per calendar year (partial at either end of a run).
YEARLY_COLUMNS: tuple[str, ...] = ("year", "days", *_PERIOD_VALUES)


def _periods(daily: pd.DataFrame, key: np.ndarray) -> pd.DataFrame:
    """Flows summed, stocks at the last day and the mean sea state over the days sharing ``key``.

    ``daily`` is in day order with a default index; ``key`` gives each of its rows its period, and
    a period's days are consecutive (calendar months and years are). Sums by slices of the
    arrays (``np.add.reduceat``): a sweep computes this for every run, and pandas' groupby took
    30 ms a run.
    """
    n = len(key)
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    ends = np.append(starts[1:], n)
    cols: dict[str, np.ndarray] = {"days": ends - starts}
    for col in PERSON_METRICS + CASE_METRICS:
        cols[col] = np.add.reduceat(daily[col].to_numpy(), starts)
    cols["dead_and_missing"] = cols["dead"] + cols["missing"]
    dep = cols["departures"].astype(float)
    cols["mortality_per_departure"] = np.divide(
        cols["dead_and_missing"].astype(float), dep, out=np.zeros(len(starts)), where=dep > 0
    )
    for col, src in PERIOD_STOCKS:
        cols[col] = daily[src].to_numpy()[ends - 1]  # the period's last day in the run
    cols["mean_sea_state"] = np.round(
        np.add.reduceat(daily["sea_state"].to_numpy(dtype=float), starts) / (ends - starts), 4
    )
    return pd.DataFrame(cols, index=pd.Index(key[starts]))


def monthly(daily: pd.DataFrame) -> pd.DataFrame:
    """One run's outcomes per calendar month, from its daily series (columns :data:`DAILY_COLUMNS`).

    Args:
        daily: one row per simulated day, as in :attr:`RunResult.daily` or ``daily.csv``.

    Returns:
        One row per calendar month the run touches, in order, columns :data:`MONTHLY_COLUMNS`:
        ``month`` ("YYYY-MM"), ``year``, ``days`` (days of the month inside the run: fewer than the
        month's length when the run starts or ends within it), every flow of
        :data:`PERSON_METRICS` and :data:`CASE_METRICS` summed over those days, ``dead_and_missing``,
        ``mortality_per_departure`` (0 if no one departed), the stocks of :data:`PERIOD_STOCKS` at
        the month's last day in the run, and ``mean_sea_state``. Empty (with the columns) for an
        empty series.
    """
    if daily.empty:
        return pd.DataFrame(columns=list(MONTHLY_COLUMNS))
    if not daily["day"].is_monotonic_increasing:
        daily = daily.sort_values("day", kind="stable").reset_index(drop=True)
    out = _periods(daily, np.array([d[:7] for d in daily["date"].astype(str).tolist()], dtype=object))
    out.insert(0, "year", out.index.str.slice(0, 4).astype(int))
    out.insert(0, "month", out.index)
    return out.reset_index(drop=True)[list(MONTHLY_COLUMNS)]


def yearly(daily: pd.DataFrame) -> pd.DataFrame:
    """One run's outcomes per calendar year: as :func:`monthly`, with ``year`` instead of ``month``.

    Args:
        daily: one row per simulated day, as in :attr:`RunResult.daily` or ``daily.csv``.

    Returns:
        One row per calendar year the run touches, columns :data:`YEARLY_COLUMNS`; ``days`` is the
        number of the year's days inside the run.
    """
    if daily.empty:
        return pd.DataFrame(columns=list(YEARLY_COLUMNS))
    daily = daily.sort_values("day", kind="stable").reset_index(drop=True)
    out = _periods(daily, daily["date"].astype(str).str.slice(0, 4).astype(int).to_numpy())
    out.insert(0, "year", out.index.astype(int))
    return out.reset_index(drop=True)[list(YEARLY_COLUMNS)]
