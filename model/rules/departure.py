"""Departure choice: who reaches the coast, and who waits, takes a legal channel or pays a smuggler."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from model.numerics.quantiles import poisson

WAIT, LEGAL, SMUGGLER = 0, 1, 2


def month_people(
    people_per_year: float, monthly_share_pct: Sequence[float], series: Mapping[str, float], months: Sequence[str]
) -> np.ndarray:
    """People reaching the departure coast in each of ``months`` ("YYYY-MM").

    Demand is an input: the monthly series where the scenario gives one (people counted on the
    route, e.g. arrivals + dead and missing + returns), otherwise ``people_per_year`` spread over the
    months by the seasonal shares.
    """
    if series:
        return np.array([series[m] for m in months], dtype=float)
    share = np.array(monthly_share_pct, dtype=float) / sum(monthly_share_pct)
    return people_per_year * share[[int(m[5:7]) - 1 for m in months]]


def daily_arrivals(
    people_in_month: np.ndarray | float, days_in_month: np.ndarray | int, u: np.ndarray | float
) -> np.ndarray:
    """Poisson number of people reaching the departure coast today, by inverse CDF from the uniform ``u``."""
    return poisson(daily_mean(people_in_month, days_in_month), u)


def daily_mean(people_in_month: np.ndarray | float, days_in_month: np.ndarray | int) -> np.ndarray:
    """Expected people reaching the departure coast per day of a month."""
    return np.asarray(people_in_month) / np.asarray(days_in_month)


def wait_probability(
    base: float, campaign: float, campaign_effect: float, shift: np.ndarray | float, departure_response: float
) -> np.ndarray:
    """Daily chance of waiting rather than paying a smuggler.

    An information campaign raises it; rescuers waiting close to the coast lower it when smugglers
    adapt (``shift`` > 0, see :func:`model.rules.smuggling.adaptation_shift`).
    """
    p = base + campaign * campaign_effect * (1.0 - base)
    return np.clip(p * (1.0 - departure_response * np.asarray(shift)), 0.0, 0.99)


#: The running counts behind perceived risk: deaths (dead and missing), returns, departures.
PERCEIVED = ("deaths", "returns", "departures")


def perceived_update(
    memory: np.ndarray,
    deaths: np.ndarray | int,
    returns: np.ndarray | int,
    departures: np.ndarray | int,
    perception_days: np.ndarray | float,
) -> np.ndarray:
    """The day's deaths, returns and departures added to fading running counts (last axis: :data:`PERCEIVED`).

    What people on the coast hear of: a count fades as ``exp(-days / perception_days)``.
    """
    fade = np.exp(-1.0 / np.asarray(perception_days, dtype=float))[..., None]
    return np.asarray(memory) * fade + np.stack(
        [np.asarray(deaths), np.asarray(returns), np.asarray(departures)], axis=-1
    )


def responsive_wait(
    p_wait: np.ndarray | float,
    memory: np.ndarray,
    risk_response: np.ndarray | float,
    risk_reference: np.ndarray | float,
    interception_response: np.ndarray | float,
    interception_reference: np.ndarray | float,
    campaign_risk: np.ndarray | float,
) -> np.ndarray:
    """The daily chance of waiting once people weigh what they hear (demand that responds).

    Perceived risk is deaths per departure in the running counts plus a campaign's ``campaign_risk``
    (a share); perceived interception is returns per departure. Each shifts the log-odds of waiting
    by its signed response per percentage point above its reference (the 2016 level). With both
    responses 0 the chance is ``p_wait`` itself, exactly.
    """
    memory = np.asarray(memory, dtype=float)
    dep = np.maximum(memory[..., 2], 1.0)
    risk, returned = memory[..., 0] / dep + np.asarray(campaign_risk), memory[..., 1] / dep
    shift = 100.0 * (
        np.asarray(risk_response) * (risk - risk_reference)
        + np.asarray(interception_response) * (returned - interception_reference)
    )
    p = np.asarray(p_wait, dtype=float)
    off = (np.asarray(risk_response) == 0) & (np.asarray(interception_response) == 0)
    with np.errstate(divide="ignore"):
        z = np.log(p) - np.log1p(-p) + (shift[..., None] if p.ndim > np.ndim(shift) else shift)
    on = np.clip(1.0 / (1.0 + np.exp(-z)), 0.0, 0.99)
    return np.where(off[..., None] if p.ndim > np.ndim(off) else off, p, on)


def choose(has_legal_slot: np.ndarray, p_wait: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """WAIT, LEGAL or SMUGGLER per person, from a uniform draw ``u``.

    A person holding a legal-channel slot takes it; the others wait with ``p_wait`` or pay.
    """
    has = np.asarray(has_legal_slot, dtype=bool)
    return np.where(has, LEGAL, np.where(np.asarray(u) < p_wait, WAIT, SMUGGLER))
