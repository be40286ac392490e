"""Legal channels: who is eligible, and first-come first-served allocation of yearly quotas."""

from __future__ import annotations

import numpy as np


def eligibility(
    profile: np.ndarray, family_ties: np.ndarray, channel_profiles: np.ndarray, requires_family: np.ndarray
) -> np.ndarray:
    """Boolean matrix (person x channel): is each person eligible for each channel.

    Args:
        profile: profile index per person.
        family_ties: whether each person has family in a destination state.
        channel_profiles: boolean (channel x profile) eligibility table.
        requires_family: per channel, whether family ties are also required.
    """
    prof = np.atleast_1d(profile)
    fam = np.atleast_1d(family_ties)
    ok = channel_profiles[:, prof].T
    return ok & (fam[:, None] | ~requires_family[None, :])


def daily_slots(quota_per_year: np.ndarray, days_in_year: int) -> np.ndarray:
    """Slots opening today: a yearly quota spread evenly over the year's days."""
    return np.asarray(quota_per_year, dtype=float) / days_in_year


def allocate(eligible: np.ndarray, wants: np.ndarray, slots_left: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Give slots in channel order to eligible people who want one, first come first served.

    Args:
        eligible: boolean (person x channel).
        wants: boolean per person: would take a legal channel if offered (uptake draw).
        slots_left: remaining slots per channel this year.

    Returns:
        The channel index per person (-1 for none) and the updated slots.
    """
    n, n_ch = eligible.shape
    chosen = np.full(n, -1, dtype=np.int64)
    slots = np.asarray(slots_left, dtype=float).copy()
    for c in range(n_ch):
        free = np.flatnonzero((chosen == -1) & wants & eligible[:, c])
        take = free[: int(max(0.0, np.floor(slots[c])))]
        chosen[take] = c
        slots[c] -= take.size
    return chosen, slots
