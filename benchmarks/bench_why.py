"""The measurements behind the mechanisms issue's "Why", redone on this tree (vector engine, paired seeds).

``python -m benchmarks.bench_why [--seeds 20]`` runs one year of ``central_med_2016`` (and its
January-April) under each policy contrast of the issue, twice: with today's defaults, and with the
rescue-at-sea mechanisms that are off by default switched on at illustrative values
(:data:`MECHANISMS_ON`: every value an assumption, none fitted). Each line gives the outcome under
the base and the contrast, means over the same seeds, and the paired change with a 90% interval
over seeds. It prints; it asserts nothing (the lever-response tests check the signs).

The January-April 2014 against 2015 death rates are measured by ``benchmarks.bench_history``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from model.scenarios import load
from model.vector_engine import VectorEngine

#: Today's capsize_mean_hours of each boat type (the defaults, read from the scenario).
BOATS = {
    t: b.capsize_mean_hours
    for t, b in zip(("rubber", "wooden", "fishing"), load("central_med_2016").world.boats.as_tuple(), strict=True)
}

#: The mechanisms of the issue that are off by default, on at illustrative values (assumptions).
MECHANISMS_ON: dict[str, object] = {
    # survival depends on time to rescue: a capsize hazard that starts at half today's and grows by
    # 20% of it per hour in distress (equal to today's after 5 hours), deaths aboard boats afloat
    **{f"world.boats.{t}.deterioration_per_hour": 0.2 for t in BOATS},
    **{f"world.boats.{t}.capsize_mean_hours": 2 * m for t, m in BOATS.items()},
    "world.boats.rubber.aboard_death_per_hour": 0.002,
    "world.survival.unseen_body_recovery_factor": 0.5,
    # a merchant ship's rescue is slower and riskier, and masters fear long diversions
    "policy.sar.on_scene.merchant.approach_hours": 2.0,
    "policy.sar.on_scene.merchant.hours_per_100_people": 3.0,
    "policy.sar.merchant.approach_capsize_factor": 5.0,
    "policy.sar.merchant.diversion_aversion_per_100km": 0.5,
    # stops displace smugglers; arrests wear off; adaptation follows rescue presence
    "policy.enforcement.stop_displaces": True,
    "policy.enforcement.arrests_half_life_days": 60.0,
    "world.adaptation.follows_presence": True,
}

#: Demand that responds to perceived risk (deterrence), for the enforcement contrasts.
DEMAND_ON = {"world.demand.risk_response_per_pp": 0.3, "policy.enforcement.campaign_risk_pp": 2.0}

FAR_SOUTH_NAVY = {
    "policy.sar.fleets.italy_navy.count": 20,
    "policy.sar.fleets.italy_navy.station_lat": 33.3,
    "policy.sar.aerial_surveillance": 1.0,
}
JAN_APR = {"world.days": 120}  # central_med_2016 starts on 1 January


def _rate(s: dict) -> float:
    return s["dead_and_missing"] / max(1, s["arrivals"])


OUTCOMES: dict[str, Callable[[dict], float]] = {
    "deaths": lambda s: s["dead_and_missing"],
    "deaths/departure %": lambda s: 100 * s["mortality_per_departure"],
    "deaths/arrival %": lambda s: 100 * _rate(s),
    "departures": lambda s: s["departures"],
    "rescued": lambda s: s["rescued"],
    "by merchants": lambda s: s["rescued_by_actor"]["merchant"],
    "refusals": lambda s: s["disembarkation_refusals"],
    "returns": lambda s: s["intercepted"],
    "capsizes": lambda s: s["capsizes"],
}

#: (what is compared, base overrides, contrast overrides, outcomes shown)
CONTRASTS: list[tuple[str, dict, dict, list[str]]] = [
    ("no NGO ships -> 15", {"policy.sar.fleets.ngo.count": 0}, {"policy.sar.fleets.ngo.count": 15},
     ["deaths", "rescued", "by merchants"]),
    ("no NGOs, half the state ships -> defaults", {"policy.sar.fleets.ngo.count": 0,
     "policy.sar.state_assets_scale": 0.5}, {}, ["deaths", "by merchants"]),
    ("defaults -> 20 navy ships far south, full aerial surveillance", {}, FAR_SOUTH_NAVY,
     ["deaths/departure %", "deaths"]),
    ("January-April: defaults -> 20 navy ships far south, full aerial", JAN_APR, {**JAN_APR, **FAR_SOUTH_NAVY},
     ["deaths/arrival %"]),
    ("Italy and Malta land everyone -> refuse every landing", {}, {"policy.states.Italy.accept_probability": 0.0,
     "policy.states.Malta.accept_probability": 0.0}, ["deaths", "refusals"]),
    ("defaults -> Italy closed to NGO ships only", {}, {"policy.states.Italy.closed_to_kinds": ["ngo"]},
     ["deaths", "refusals"]),
    ("Libya's RCC never coordinates -> always", {"policy.states.Libya.rcc_willing_probability": 0.0},
     {"policy.states.Libya.rcc_willing_probability": 1.0}, ["deaths", "returns"]),
    ("Libyan patrols: fixed-zone hazard -> boats must be reached (60 km), 2% killed",
     {}, {"policy.sar.fleets.libya_coast_guard.intercepts_within_km": 60.0,
          "policy.states.Libya.interception_per_hour": 0.0, "policy.states.Libya.interception_death_share": 0.02},
     ["deaths", "returns"]),
    ("no campaign -> full information campaign", {}, {"policy.enforcement.information_campaign": 1.0},
     ["departures", "deaths"]),
    ("no campaign -> full campaign, demand responds to risk", DEMAND_ON,
     {**DEMAND_ON, "policy.enforcement.information_campaign": 1.0}, ["departures", "deaths"]),
    ("no stops -> 30% of unseaworthy boats stopped", {}, {"policy.enforcement.stop_unseaworthy_share": 0.3},
     ["departures", "deaths"]),
    ("no arrests -> arrests cut capacity by 30%", {}, {"policy.enforcement.arrests_capacity_cut": 0.3},
     ["departures", "deaths"]),
]  # fmt: skip


def measure(seeds: list[int], extra: dict) -> list[str]:
    """One line per contrast and outcome: base mean, contrast mean, paired change [90% interval]."""
    base = load("central_med_2016")
    engine = VectorEngine()
    lines = []
    for name, a, b, outcomes in CONTRASTS:
        ra = engine.run_batch(base.with_overrides({**extra, **a}), seeds, record_events=False)
        rb = engine.run_batch(base.with_overrides({**extra, **b}), seeds, record_events=False)
        lines.append(f"  {name}")
        for o in outcomes:
            xa = np.array([OUTCOMES[o](r.summary) for r in ra])
            xb = np.array([OUTCOMES[o](r.summary) for r in rb])
            d = xb - xa
            lo, hi = np.quantile(d, [0.05, 0.95])
            rel = f" ({d.mean() / xa.mean():+.1%})" if xa.mean() else ""
            lines.append(
                f"    {o:>20}: {xa.mean():>10,.2f} -> {xb.mean():>10,.2f}   change {d.mean():+,.2f}{rel}"
                f" [90% of seeds: {lo:+,.2f} to {hi:+,.2f}]"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print every contrast with the defaults, then with the mechanisms switched on."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20, help="paired seeds per contrast (default 20)")
    args = ap.parse_args(argv)
    seeds = list(range(1000, 1000 + args.seeds))
    t0 = time.perf_counter()
    for title, extra in (("defaults", {}), ("mechanisms on (MECHANISMS_ON)", MECHANISMS_ON)):
        print(f"\n{title}, central_med_2016, vector engine, {args.seeds} paired seeds:")
        print("\n".join(measure(seeds, extra)))
    print(f"\n{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
