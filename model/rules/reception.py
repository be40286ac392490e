"""Reception after landing: occupancy rises with landings and drains with processing time."""

from __future__ import annotations

import numpy as np


def daily_outflow(occupancy: np.ndarray | float, processing_days: np.ndarray | float) -> np.ndarray:
    """People leaving reception today (exponential stay with mean ``processing_days``)."""
    return np.asarray(occupancy, dtype=float) * (1.0 - np.exp(-1.0 / np.asarray(processing_days, dtype=float)))


def occupancy_ratio(occupancy: np.ndarray | float, capacity: np.ndarray | float) -> np.ndarray:
    """Occupancy over capacity (inf for a state with no places but people in reception)."""
    occ = np.asarray(occupancy, dtype=float)
    cap = np.asarray(capacity, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(cap > 0, occ / np.where(cap > 0, cap, 1.0), np.where(occ > 0, np.inf, 0.0))
