"""The words for outcomes, in one place: the printed table, the charts and the report all take them from here.

Each outcome has a label (a column heading or an axis), a unit, a kind (how its numbers are
written), a noun for sentences ("1,654 fewer dead or missing") and which direction is better.
Before, each output kept its own list and they drifted ("Departures" in the charts, "Set out by
boat" in the table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Outcome:
    """The words for one outcome.

    Attributes:
        label: a short heading, capitalised ("Dead and missing").
        unit: what it counts, for brackets after the label ("persons"), or "".
        kind: how its numbers are written: ``count``, ``share`` (a fraction, printed in per cent),
            ``days`` or ``usd``.
        noun: the outcome in a sentence, lower case ("dead or missing").
        better: which direction is better: ``lower`` (a harm: deaths, waits), ``higher`` (a good:
            arrivals by legal channels, victims identified), or ``""`` where the outcome is not good
            or bad in itself (departures, arrivals, rescues: more rescues may mean more distress).
    """

    label: str
    unit: str
    kind: str
    noun: str
    better: str = ""


#: Every outcome with words of its own; others get words made from their names.
OUTCOMES: dict[str, Outcome] = {
    "dead_and_missing": Outcome("Dead and missing", "persons", "count", "dead or missing", "lower"),
    "dead": Outcome("Dead, bodies recovered", "persons", "count", "dead (bodies recovered)", "lower"),
    "missing": Outcome("Missing at sea", "persons", "count", "missing at sea", "lower"),
    "mortality_per_departure": Outcome("Dead or missing per departure", "%", "share", "deaths per departure", "lower"),
    "departures": Outcome("Set out by boat", "persons", "count", "departures"),
    "arrivals": Outcome("Landed in Europe", "persons", "count", "arrivals"),
    "legal_arrivals": Outcome("Arrived by legal channels", "persons", "count", "arrivals by legal channels", "higher"),
    "intercepted": Outcome("Intercepted and returned", "persons", "count", "people intercepted and returned"),
    "rescued": Outcome("Rescued at sea", "persons", "count", "people rescued"),
    "distress_cases": Outcome("Boats in distress", "boats", "count", "boats in distress"),
    "capsizes": Outcome("Capsizes", "boats", "count", "capsizes", "lower"),
    "boats_launched": Outcome("Boats launched", "boats", "count", "boats launched"),
    "boats_stopped": Outcome("Boats stopped before launch", "boats", "count", "boats stopped before launch"),
    "disembarkation_requests": Outcome("Requests for a port", "", "count", "requests for a port"),
    "disembarkation_refusals": Outcome(
        "Refusals to let people land", "", "count", "refusals to let people land", "lower"
    ),
    "ships_waited": Outcome(
        "Ships kept waiting for a port", "ships", "count", "ships kept waiting for a port", "lower"
    ),
    "mean_wait_days": Outcome(
        "Mean wait for a port",
        "days per ship kept waiting",
        "days",
        "mean wait at sea of the ships kept waiting for a port",
        "lower",
    ),
    "max_wait_days": Outcome("Longest wait at sea", "days", "days", "longest wait at sea for a port", "lower"),
    "people_days_waiting": Outcome("Time held at sea", "person-days", "count", "person-days held at sea", "lower"),
    "medevacs": Outcome("Medical evacuations", "persons", "count", "medical evacuations"),
    "relocations": Outcome("Relocated after landing", "persons", "count", "people relocated after landing"),
    "children_referred": Outcome(
        "Children referred to protection", "persons", "count", "children referred to protection", "higher"
    ),
    # screening and referral at landing, trafficking (issue 23)
    "screened": Outcome("Screened at landing", "persons", "count", "people screened at landing"),
    "children_as_adults": Outcome(
        "Children taken for adults", "persons", "count", "children taken for adults", "lower"
    ),
    "adults_referred_as_children": Outcome(
        "Adults referred as children", "persons", "count", "adults referred as children", "lower"
    ),
    "children_missing": Outcome(
        "Children missing from reception", "persons", "count", "children missing from reception", "lower"
    ),
    "children_not_reached": Outcome("Children never referred", "persons", "count", "children never referred", "lower"),
    "children_referral_days_mean": Outcome(
        "Days to a child's referral", "days", "days", "mean days from landing to a child's referral", "lower"
    ),
    "victims_identified": Outcome(
        "Trafficking victims identified", "persons", "count", "trafficking victims identified", "higher"
    ),
    "victims_unidentified": Outcome(
        "Trafficking victims not identified", "persons", "count", "trafficking victims not identified", "lower"
    ),
    "victims_reexploited": Outcome(
        "Victims exploited after landing", "persons", "count", "victims exploited after landing", "lower"
    ),
    "victims_identification_days_mean": Outcome(
        "Days to a victim's identification",
        "days",
        "days",
        "mean days from landing to a victim's identification",
        "lower",
    ),
    "trafficking_debt_enforced_usd": Outcome(
        "Trafficking debt enforced", "USD", "usd", "trafficking debt enforced", "lower"
    ),
    "trafficking_debt_voided_usd": Outcome(
        "Trafficking debt voided", "USD", "usd", "trafficking debt voided by identification", "higher"
    ),
    # a crisis and evacuation (issue 23)
    "crisis_reached_coast": Outcome(
        "Workers reaching the coast", "persons", "count", "migrant workers reaching the coast"
    ),
    "crisis_evacuated": Outcome("Workers evacuated", "persons", "count", "migrant workers evacuated", "higher"),
    "crisis_gave_up": Outcome(
        "Workers who turned to smugglers", "persons", "count", "migrant workers who turned to smugglers", "lower"
    ),
    "smuggler_revenue_usd": Outcome("Smugglers' revenue", "USD", "usd", "smugglers' revenue", "lower"),
    "rubber_boat_share": Outcome("Rubber boats among boats launched", "%", "share", "share of rubber boats"),
    "injured_in_interception": Outcome(
        "Injured in interceptions", "persons", "count", "people injured in interceptions", "lower"
    ),
    "died_waiting": Outcome(
        "Died aboard ships kept waiting", "persons", "count", "medical cases who died aboard waiting ships", "lower"
    ),
}

#: Words written in capitals wherever a name becomes a label (the charts use them too).
ACRONYMS = {
    "ngo": "NGO",
    "ngos": "NGOs",
    "eu": "EU",
    "sar": "SAR",
    "srr": "SRR",
    "rcc": "RCC",
    "usd": "USD",
    "unhcr": "UNHCR",
    "iom": "IOM",
}


def label(name: str) -> str:
    """A plain label for a scenario, package or field name: ``more_sar`` -> "More SAR", ``status_quo`` -> "Status quo".

    A factor's dotted key keeps its last two parts: ``none, world.demand.people_per_year=100000``
    -> "None, demand people per year=100000", ``policy.sar.fleets.ngo.count=8`` -> "NGO count=8"
    (the full key is in the tables' columns).
    """
    name = re.sub(r"\b(?:\w+\.)*(\w+)\.(\w+)=", r"\1 \2=", str(name))
    words = [ACRONYMS.get(w.lower(), w) for w in name.replace("_", " ").split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def heading(outcome: str) -> str:
    """An outcome's heading with its unit, for tables.

    "Dead and missing (persons)", "Dead or missing per departure (%)".

    Others are made from the name: ``arrivals_by_state.Italy`` -> "Arrivals by state: Italy"
    (a name stored with a capital, such as a state's, keeps it), ``rescued_by_actor.coast_guard`` ->
    "Rescued by actor: coast guard".
    """
    if outcome in OUTCOMES:
        o = OUTCOMES[outcome]
        return f"{o.label} ({o.unit})" if o.unit else o.label
    head, _, last = outcome.rpartition(".")
    if not head:
        return label(last)
    return f"{label(head.rsplit('.', 1)[-1])}: {label(last) if last[:1].isupper() else label(last).lower()}"


def axis_label(outcome: str) -> str | None:
    """An outcome's label for a chart axis, whose values are as stored (a share as a fraction, so no "%").

    None if unknown.
    """
    if outcome not in OUTCOMES:
        return None
    o = OUTCOMES[outcome]
    return f"{o.label} ({o.unit})" if o.unit and o.kind != "share" else o.label


def kind(outcome: str) -> str:
    """How an outcome's numbers are written: ``count``, ``share`` (a fraction, shown in %), ``days`` or ``usd``.

    Outcomes without words of their own by their names: a share (``rubber_boat_share``, a breakdown
    of one such as ``..._share.Italy``, or anything ``per_departure``), days (``..._days``,
    ``..._days_mean``), dollars (``..._usd``); anything else is a count.
    """
    if outcome in OUTCOMES:
        return OUTCOMES[outcome].kind
    head, last = outcome.split(".", 1)[0], outcome.rsplit(".", 1)[-1]
    if head.endswith("_share") or last.endswith("_share") or "per_departure" in outcome:
        return "share"
    if outcome.endswith(("_days", "_days_mean")):
        return "days"
    if outcome.endswith("_usd"):
        return "usd"
    return "count"


def better(outcome: str) -> str:
    """Which direction of ``outcome`` is better: ``lower``, ``higher``, or ``""`` (neither, or unknown).

    A breakdown (``arrivals_by_state.Italy``) is neither.
    """
    return OUTCOMES[outcome].better if outcome in OUTCOMES else ""


def noun(outcome: str) -> str | None:
    """The outcome in a sentence ("dead or missing"), or None if it has no words of its own."""
    return OUTCOMES[outcome].noun if outcome in OUTCOMES else None
