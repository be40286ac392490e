"""Parameters of screening and referral after landing (issue 23): the facts of the process and each state's staff.

Kept apart from :mod:`model.params` so the protection mechanism reads as one unit; composed into
``world.protection`` (what governments do not choose: how screening works and errs) and
``policy.protection`` (the levers: identification staff, child-protection officers and guardians per
state). The rule that uses them is :mod:`model.rules.protection`.

Sources: the seed paper's section on unaccompanied and separated children (age assessment, the
appointment of a guardian, identification and referral; Mexico's child-protection officers, 68 in
2007 and 327 later), UNHCR's 25,846 unaccompanied children landed in Italy in 2016
(``../shared/data/flow_composition_2016.csv``). No staffing figure for Italian or Maltese landing
points was found: those defaults say "assumption".
"""

from __future__ import annotations

from dataclasses import dataclass

from model.fields import Validated, param

_frozen = dataclass(frozen=True, slots=True, kw_only=True)


@_frozen
class ScreeningFacts(Validated):
    """How screening at landing works and errs (``world.protection``)."""

    staff_hours_per_day: float = param(
        7.0,
        lo=0.5,
        hi=24,
        why="a day has 24 hours",
        unit="h",
        src="assumption: one identification officer's working hours at a landing point per day",
    )
    min_interview_hours: float = param(
        0.25,
        lo=0.01,
        hi=24,
        why="a day of one officer's time for one person",
        unit="h",
        src="assumption: the shortest pre-identification interview (a form at the quay); sets "
        "how many one officer can screen a day",
    )
    full_interview_hours: float = param(
        1.0,
        lo=0.01,
        hi=24,
        why="a day of one officer's time for one person",
        unit="h",
        src="assumption: interview time at which a trafficking victim is spotted with the full "
        "chance victim_detection_max",
    )
    victim_detection_max: float = param(
        0.5,
        lo=0,
        hi=1,
        src="assumption: chance that a full interview identifies a trafficking victim (victims "
        "rarely disclose at landing; seed paper, trafficking section)",
    )
    child_as_adult_share: float = param(
        0.1,
        lo=0,
        hi=1,
        src="assumption: share of unaccompanied children that age assessment takes for adults "
        "(errors both ways: seed paper calls for child-sensitive age assessment)",
    )
    adult_as_child_share: float = param(
        0.01, lo=0, hi=1, src="assumption: share of adults that age assessment takes for unaccompanied children"
    )
    referrals_per_officer_day: float = param(
        1.0,
        lo=0,
        hi=100,
        why="a hundred referrals a day is already a form, not a referral",
        unit="1/day",
        src="assumption: children a child-protection officer refers to protection per working day",
    )
    missing_per_day: float = param(
        0.005,
        lo=0,
        hi=1,
        unit="1/day",
        src="assumption: daily chance that a child awaiting referral leaves reception unaccounted for",
    )
    children_per_guardian: float = param(
        10.0,
        lo=0,
        hi=1000,
        why="guardians of a thousand children guard none",
        src="assumption: children one guardian can follow",
    )
    guardian_missing_cut: float = param(
        0.5, lo=0, hi=1, src="assumption: relative cut in the daily chance of going missing for a child with a guardian"
    )
    reexploitation_share: float = param(
        0.7,
        lo=0,
        hi=1,
        src="assumption: share of unidentified trafficking victims exploited after landing to "
        "pay their debt (seed paper, trafficking section: victims bound by debts)",
    )
    trafficking_debt_usd: float = param(
        25_000,
        lo=0,
        unit="USD/person",
        src="seed paper, case study 'Maria and Anna': a debt of more than USD 25,000 to the smugglers "
        "(one case, illustrative)",
    )
    max_wait_days: int = param(
        30,
        lo=1,
        hi=365,
        why="a year: the queues are kept this many days long",
        unit="days",
        src="assumption: days after landing beyond which a person not yet screened (or a child "
        "not yet referred) has moved on: missed",
    )


@_frozen
class StateProtection(Validated):
    """One state's staff for screening and referral at landing (levers; a timeline may change them)."""

    identification_staff: float = param(
        0.0, lo=0, hi=100_000, why="more staff than any state employs at its borders", unit="persons", src="see source"
    )
    child_protection_officers: float = param(
        0.0, lo=0, hi=100_000, why="more staff than any state employs at its borders", unit="persons", src="see source"
    )
    guardians: float = param(
        0.0, lo=0, hi=1_000_000, why="more guardians than children landed in any year", unit="persons", src="see source"
    )
    source: str = param("", src="text")


def _states() -> dict[str, StateProtection]:
    return {
        "Italy": StateProtection(
            identification_staff=60,
            child_protection_officers=68,
            guardians=500,
            source="assumption: no count of Italy's 2016 landing-point staff found; 68 child-protection "
            "officers is the seed paper's Mexican corps of 2007, used as a scale",
        ),
        "Malta": StateProtection(
            identification_staff=5,
            child_protection_officers=2,
            guardians=10,
            source="assumption: a small service for a state that landed few sea arrivals in 2016",
        ),
    }


@_frozen
class ProtectionPolicy(Validated):
    """Screening and referral capacity per state (``policy.protection``); a state not listed has none."""

    states: dict[str, StateProtection] = param(factory=_states, src="see entries")
