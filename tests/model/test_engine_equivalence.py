"""The vectorised engine held to the Mesa engine: same outcome distributions over many seeds.

For ``central_med_small`` and four policy variants (no NGO ships; a standing framework between
Italy and Malta; every state reluctant to accept, so that ships wait and ad hoc deals happen; a
timeline that withdraws one NGO ship, then makes states reluctant and doubles the navy, with
boats that deteriorate in distress, ports closed to NGO ships and NGO ships detained),
both engines run the same 70 seeds. For deaths, capsizes, arrivals, interceptions, refusals, ships that waited for a
port and their mean wait, people rescued, the
NGO share of rescues, medical evacuations, people-days waiting at sea, and children referred, children taken for
adults and trafficking victims identified after landing: the difference of the
means lies within 3 standard errors of that difference, and a two-sample Kolmogorov-Smirnov test
does not reject equality at the 1% level. The Mesa runs are spread over two processes.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from scipy import stats

from model.mesa_engine import MesaEngine
from model.scenarios import load
from model.vector_engine import VectorEngine

SEEDS = list(range(1000, 1070))
METRICS = (
    "dead_and_missing",
    "capsizes",
    "arrivals",
    "intercepted",
    "disembarkation_refusals",
    "ships_waited",
    "mean_wait_days",
    "rescued",
    "medevacs",
    "people_days_waiting",
    "ngo_share_of_rescued",
)
METRICS += (
    "children_referred",
    "victims_identified",
    "children_as_adults",
)  # screening after landing (model/rules/protection.py)
METRICS += (
    "injured_in_interception",
    "died_waiting",
    "departures",
    "rubber_boat_share",
)  # injuries; stops that displace and adaptation that follows presence act on launches
RELUCTANT = {f"policy.states.{s}.accept_probability": 0.1 for s in ("Italy", "Malta", "Tunisia")}
VARIANTS = {
    "default": {},
    "no_ngo": {"policy.sar.fleets.ngo.count": 0},
    "standing": {"policy.cooperation.framework": "standing", "policy.cooperation.participants": ["Italy", "Malta"]},
    "reluctant": RELUCTANT,
    # dated changes: one of the two NGO ships withdrawn on day 15, then every state reluctant and the navy doubled from
    # day 30;
    # and the newer mechanisms: boats in distress that deteriorate (the capsize hazard up 10% an hour in distress),
    # people dying aboard,
    # fewer bodies recovered from boats nobody knew of, demand that responds to deaths and returns, masters averse to
    # delays
    # and riskier merchant approaches, deals pressed by crowded decks, Italy evacuating no one, NGO ships under a code
    # of conduct,
    # Libyan patrols that go after boats within 40 km (5% of those stopped die), Italy's RCC slow by 2 hours and Malta's
    # silent on half its cases,
    # Italy's ports closed to NGO ships, NGO ships detained after half their landings for 3 days, arrests halving
    # capacity
    # from day 15 and wearing off with a half-life of 5 days; rescues that take hours on scene (longest for merchant
    # ships),
    # masters averse to long diversions, injuries in Libyan interceptions, Libya's RCC telling merchants to stand by,
    # stops on the beach that displace smugglers (20% of rubber launches), and adaptation that follows rescue presence
    "timeline_mechanisms": {
        **{f"world.boats.{b}.deterioration_per_hour": 0.1 for b in ("rubber", "wooden", "fishing")},
        **{f"world.boats.{b}.aboard_death_per_hour": 0.002 for b in ("rubber", "wooden", "fishing")},
        "world.survival.unseen_body_recovery_factor": 0.3,
        "world.demand.risk_response_per_pp": 0.5,
        "world.demand.interception_response_per_pp": 0.3,
        "policy.sar.merchant.delay_aversion_per_day": 0.5,
        "policy.sar.merchant.approach_capsize_factor": 3.0,
        "policy.cooperation.deal_per_100_aboard": 0.1,
        "policy.states.Italy.evacuates_medical_cases": False,
        "policy.sar.ngo_code_of_conduct": True,
        "policy.sar.fleets.libya_coast_guard.intercepts_within_km": 40.0,
        "policy.states.Italy.rcc_response_hours": 2.0,
        "policy.states.Malta.rcc_no_response_probability": 0.5,
        "policy.states.Libya.interception_death_share": 0.05,
        "policy.states.Italy.closed_to_kinds": ["ngo"],
        "policy.sar.ngo_detention_probability": 0.5,
        "policy.sar.ngo_detention_days": 3.0,
        "policy.enforcement.arrests_half_life_days": 5.0,
        **{f"policy.sar.on_scene.{k}.approach_hours": 0.5 for k in ("coast_guard", "navy", "ngo")},
        **{f"policy.sar.on_scene.{k}.hours_per_100_people": 1.0 for k in ("coast_guard", "navy", "ngo")},
        "policy.sar.on_scene.merchant.approach_hours": 1.0,
        "policy.sar.on_scene.merchant.hours_per_100_people": 3.0,
        "policy.sar.merchant.diversion_aversion_per_100km": 0.3,
        "policy.states.Libya.interception_injury_share": 0.2,
        "policy.states.Libya.others_stand_by": True,
        "world.survival.waiting_medical_death_per_day": 0.05,
        "policy.enforcement.stop_unseaworthy_share": 0.2,
        "policy.enforcement.stop_displaces": True,
        "world.adaptation.follows_presence": True,
        "timeline": [
            {
                "date": "2016-06-16",
                "name": "ngo_down",
                "note": "test",
                "policy.sar.fleets.ngo.count": 1,
                "policy.enforcement.arrests_capacity_cut": 0.5,
            },
            {
                "date": "2016-07-01",
                "name": "reluctant",
                "note": "test",
                "policy.sar.fleets.italy_navy.count": 2,
                **RELUCTANT,
            },
        ],
    },
}


def _metrics(s: dict) -> dict:
    """The compared outcomes of one run's summary (the NGO share of rescues derived from rescued_by_actor).

    ``mean_wait_days`` averages over the ships that waited and is NaN in a run where none did;
    compared here as 0 there, so every run counts.
    """
    derived = {
        "ngo_share_of_rescued": s["rescued_by_actor"]["ngo"] / max(1, s["rescued"]),
        "mean_wait_days": np.nan_to_num(s["mean_wait_days"]),
    }
    return {m: derived[m] if m in derived else s[m] for m in METRICS}


def _mesa(args: tuple[dict, int]) -> dict:
    overrides, seed = args
    return _metrics(
        MesaEngine().run(load("central_med_small").with_overrides(overrides), seed, record_events=False).summary
    )


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, dict[str, np.ndarray]]]:
    out: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    with ProcessPoolExecutor(max_workers=2) as pool:
        for name, over in VARIANTS.items():
            mesa = list(pool.map(_mesa, [(over, s) for s in SEEDS], chunksize=10))
            vec = [
                _metrics(r.summary)
                for r in VectorEngine(batch_size=len(SEEDS)).run_batch(
                    load("central_med_small").with_overrides(over), SEEDS, record_events=False
                )
            ]
            out[name] = {
                e: {m: np.array([r[m] for r in rows], dtype=float) for m in METRICS}
                for e, rows in (("mesa", mesa), ("vector", vec))
            }
    return out


@pytest.mark.slow
@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("metric", METRICS)
def test_engines_agree(outcomes, variant: str, metric: str) -> None:
    a, b = outcomes[variant]["mesa"][metric], outcomes[variant]["vector"][metric]
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    diff = abs(a.mean() - b.mean())
    assert diff <= 3 * se or diff == 0, (
        f"{variant} {metric}: mesa {a.mean():.3f} vs vector {b.mean():.3f}, 3 SE = {3 * se:.3f}"
    )
    if a.std() > 0 or b.std() > 0:
        p = stats.ks_2samp(a, b).pvalue
        assert p >= 0.01, f"{variant} {metric}: KS p = {p:.4f}"


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_variants_differ(outcomes, engine) -> None:
    """The comparison has power: the variants move the outcomes they should, in both engines."""
    o = outcomes
    assert o["reluctant"][engine]["mean_wait_days"].mean() > o["default"][engine]["mean_wait_days"].mean() + 0.5
    assert (
        o["reluctant"][engine]["disembarkation_refusals"].mean()
        > 2 * o["standing"][engine]["disembarkation_refusals"].mean()
    )
    # (the NGO ships' rescues, not deaths: with central_med_small's two NGO ships the deaths they spare are within the
    # noise of 70 seeds under the calibrated defaults; the Mesa engine measured 86 dead without them against 103 with)
    assert o["no_ngo"][engine]["ngo_share_of_rescued"].max() == 0.0
    assert o["default"][engine]["ngo_share_of_rescued"].mean() > 0.1


LAUNCH_METRICS = ("boats_launched", "departures")


def _launches(seed: int) -> dict:
    s = MesaEngine().run(load("central_med_2016").with_overrides({"world.days": 20}), seed, record_events=False).summary
    return {m: s[m] for m in LAUNCH_METRICS}


@pytest.mark.slow
def test_engines_agree_on_launches_in_the_default_scenario() -> None:
    """The 2016 scenario's networks have unequal daily allowances (12 and 3 boats), which central_med_small's do not."""
    seeds = list(range(40))
    with ProcessPoolExecutor(max_workers=2) as pool:
        mesa = list(pool.map(_launches, seeds, chunksize=5))
    vec = [
        r.summary
        for r in VectorEngine(batch_size=len(seeds)).run_batch(
            load("central_med_2016").with_overrides({"world.days": 20}), seeds, record_events=False
        )
    ]
    for m in LAUNCH_METRICS:
        a, b = np.array([r[m] for r in mesa], dtype=float), np.array([r[m] for r in vec], dtype=float)
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        assert abs(a.mean() - b.mean()) <= 3 * se, (
            f"{m}: mesa {a.mean():.1f} vs vector {b.mean():.1f}, 3 SE = {3 * se:.1f}"
        )
        assert stats.ks_2samp(a, b).pvalue >= 0.01, m
