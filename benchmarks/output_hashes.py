"""Hashes of both engines' outputs on a fixed set of scenarios and seeds, for refactors.

A refactor that must not change behaviour (issue 18: "outputs bit-identical before and after")
is checked by running this before and after and comparing::

    python -m benchmarks.output_hashes > /tmp/before.json
    ...edit...
    python -m benchmarks.output_hashes --check /tmp/before.json

Each case hashes the daily table, the event log and the summary separately, so a new summary key
shows as a summary-only change. The "levers" cases switch on the default-off mechanisms so that a
refactor of their code paths is checked too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

from model.scenarios import load

#: Default-off mechanisms and non-default frameworks switched on together.
LEVERS: dict[str, object] = {
    "policy.cooperation.framework": "standing",
    "policy.cooperation.membership_rule": "cost",
    "policy.cooperation.relocation_within_places": True,
    "policy.states.Italy.precedent_logit": 1.0,
    "policy.states.Malta.heading_elsewhere_logit": 1.0,
    "policy.states.Libya.others_stand_by": True,
    "policy.states.Libya.interception_injury_share": 0.1,
    "policy.enforcement.stop_displaces": True,
    "world.adaptation.follows_presence": True,
    "policy.sar.merchant.diversion_aversion_per_100km": 0.5,
    "policy.sar.medevac_daily_probability": 0.3,
    "policy.sar.on_scene.ngo.approach_hours": 2.0,
}

#: Italy refuses often and always refuses NGO ships: waits at sea, deals, medical evacuations.
REFUSALS: dict[str, object] = {
    "policy.states.Italy.accept_probability": 0.3,
    "policy.states.Italy.closed_to_kinds": ["ngo"],
    "policy.sar.medevac_daily_probability": 0.5,
}

#: Few state and NGO ships, many merchant ships, half their masters declining: RCCs task merchants.
MERCHANTS: dict[str, object] = {
    **{f"policy.sar.fleets.{f}.count": 0 for f in ("italy_navy", "eu_frontex", "eu_navfor_med", "ngo")},
    "policy.sar.merchant.ships_in_area": 30,
    "policy.sar.merchant.compliance": 0.5,
    "policy.sar.merchant.diversion_aversion_per_100km": 0.2,
}

#: Prevention stops a third of the launches on the beach (displacing, or not).
STOPS: dict[str, object] = {"policy.enforcement.stop_unseaworthy_share": 0.3}

#: Libya's and Italy's navy vessels hunt boats on patrol (coordination.patrol).
PATROLS: dict[str, object] = {
    "policy.sar.fleets.libya_coast_guard.intercepts_within_km": 40.0,
    "policy.sar.fleets.italy_navy.intercepts_within_km": 60.0,
}

#: (name, engine, scenario, days, overrides); two seeds each.
CASES: list[tuple[str, str, str, int, dict[str, object]]] = [
    ("small", "vector", "central_med_small", 30, {}),
    ("small", "mesa", "central_med_small", 20, {}),
    ("levers", "vector", "central_med_small", 30, LEVERS),
    ("levers", "mesa", "central_med_small", 20, LEVERS),
    ("refusals", "vector", "central_med_small", 30, REFUSALS),
    ("refusals", "mesa", "central_med_small", 20, REFUSALS),
    ("none", "vector", "central_med_small", 30, {**REFUSALS, "policy.cooperation.framework": "none"}),
    ("none", "mesa", "central_med_small", 15, {**REFUSALS, "policy.cooperation.framework": "none"}),
    ("history", "vector", "central_med_2014_2017", 120, {}),
    ("merchants", "vector", "central_med_small", 30, MERCHANTS),
    ("merchants", "mesa", "central_med_small", 20, MERCHANTS),
    ("stops", "vector", "central_med_small", 30, STOPS),
    ("stops", "mesa", "central_med_small", 20, STOPS),
    ("stops_displace", "vector", "central_med_small", 30, {**STOPS, "policy.enforcement.stop_displaces": True}),
    ("stops_displace", "mesa", "central_med_small", 20, {**STOPS, "policy.enforcement.stop_displaces": True}),
    ("patrols", "vector", "central_med_small", 30, PATROLS),
    ("patrols", "mesa", "central_med_small", 20, PATROLS),
    ("merchants_answer_later", "mesa", "central_med_small", 20, {**MERCHANTS, "policy.sar.merchant.response_hours": 3}),
]
SEEDS = (1, 2)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_case(engine: str, scenario: str, days: int, overrides: dict[str, object], seed: int) -> dict[str, str]:
    """Hashes of one run's daily table, event log and summary."""
    if engine == "mesa":
        from model.mesa_engine import MesaEngine as Engine
    else:
        from model.vector_engine import VectorEngine as Engine
    result = Engine().run(load(scenario).with_overrides({**overrides, "world.days": days}), seed)
    return {
        "daily": _sha(result.daily.to_csv()),
        "events": _sha(result.events.to_csv()),
        "summary": _sha(repr(sorted(result.summary.items()))),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the hashes as JSON, or compare them with a saved file (exit 1 on any difference)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", metavar="FILE", help="compare with hashes saved by an earlier run")
    parser.add_argument("--only", metavar="ENGINE", choices=("mesa", "vector"), help="run one engine's cases only")
    args = parser.parse_args(argv)
    hashes: dict[str, dict[str, str]] = {}
    for name, engine, scenario, days, overrides in CASES:
        if args.only and engine != args.only:
            continue
        for seed in SEEDS:
            key = f"{name}/{engine}/{scenario}/{days}d/seed{seed}"
            hashes[key] = run_case(engine, scenario, days, overrides, seed)
            print(key, hashes[key], file=sys.stderr)
    if not args.check:
        print(json.dumps(hashes, indent=1))
        return 0
    with open(args.check) as f:
        before = json.load(f)
    differ = [
        f"{key} {part}"
        for key, parts in hashes.items()
        for part, h in parts.items()
        if before.get(key, {}).get(part) != h
    ]
    print("identical" if not differ else "DIFFERENT:\n  " + "\n  ".join(differ))
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
