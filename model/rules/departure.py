"""Departure choice: who reaches the coast, and who waits, takes a legal channel or pays a smuggler."""

from __future__ import annotations

import numpy as np

WAIT, LEGAL, SMUGGLER = 0, 1, 2


def daily_arrivals(people_per_year: float, month_share: np.ndarray | float, days_in_month: np.ndarray | int, rng: np.random.Generator, size: int | None = None) -> np.ndarray:
    """Poisson number of people reaching the departure coast today (``month_share`` sums to 1 over a year)."""
    return rng.poisson(daily_mean(people_per_year, month_share, days_in_month), size)


def daily_mean(people_per_year: float, month_share: np.ndarray | float, days_in_month: np.ndarray | int) -> np.ndarray:
    """Expected people reaching the departure coast per day of a month."""
    return people_per_year * np.asarray(month_share) / np.asarray(days_in_month)


def wait_probability(base: float, campaign: float, campaign_effect: float, shift: np.ndarray | float, departure_response: float) -> np.ndarray:
    """Daily chance of waiting rather than paying a smuggler.

    An information campaign raises it; rescuers waiting close to the coast lower it when smugglers
    adapt (``shift`` > 0, see :func:`model.rules.smuggling.adaptation_shift`).
    """
    p = base + campaign * campaign_effect * (1.0 - base)
    return np.clip(p * (1.0 - departure_response * np.asarray(shift)), 0.0, 0.99)


def choose(has_legal_slot: np.ndarray, p_wait: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """WAIT, LEGAL or SMUGGLER per person, from a uniform draw ``u``.

    A person holding a legal-channel slot takes it; the others wait with ``p_wait`` or pay.
    """
    has = np.asarray(has_legal_slot, dtype=bool)
    return np.where(has, LEGAL, np.where(np.asarray(u) < p_wait, WAIT, SMUGGLER))
