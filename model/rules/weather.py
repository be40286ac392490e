"""A seasonal stochastic sea state, and what the sea does to hazards and survival.

The sea state is an index from 0 (calm) to 1 (very rough): a monthly mean plus an AR(1) anomaly.
Survival in the water follows Hayward et al. (1975), t(min) = 15 + 7.2 / (0.0785 - 0.0034 T),
capped, as listed in ../shared/data/PARAMETERS.md section 3.
"""

from __future__ import annotations

import numpy as np


def anomaly_step(
    previous: np.ndarray | float, persistence: float, noise_sd: float, z: np.ndarray | float
) -> np.ndarray:
    """One AR(1) step of the anomaly from a standard normal draw ``z`` (stationary sd ``noise_sd``)."""
    return persistence * np.asarray(previous) + noise_sd * np.sqrt(1 - persistence**2) * np.asarray(z)


def sea_state(month_mean: np.ndarray | float, anomaly: np.ndarray | float) -> np.ndarray:
    """Sea state index in [0, 1] from the month's mean and today's anomaly."""
    return np.clip(np.asarray(month_mean) + anomaly, 0.0, 1.0)


def hazard_multiplier(state: np.ndarray | float, per_unit: float) -> np.ndarray:
    """Factor by which rough seas multiply distress and capsize hazards."""
    return 1.0 + per_unit * np.asarray(state)


def survival_hours(temp_c: np.ndarray | float, cap_hours: float) -> np.ndarray:
    """Expected survival time in water (h) at ``temp_c`` (Hayward 1975), capped at ``cap_hours``."""
    t = np.asarray(temp_c, dtype=float)
    denom = 0.0785 - 0.0034 * t
    with np.errstate(divide="ignore"):
        minutes = np.where(denom > 0, 15.0 + 7.2 / np.where(denom > 0, denom, 1.0), np.inf)
    return np.minimum(minutes / 60.0, cap_hours)
