"""Reception after landing: occupancy rises with landings and drains with processing time."""

from __future__ import annotations

import numba
import numpy as np


def daily_outflow(occupancy: np.ndarray | float, processing_days: np.ndarray | float) -> np.ndarray:
    """People leaving reception today (exponential stay with mean ``processing_days``)."""
    return np.asarray(occupancy, dtype=float) * (1.0 - np.exp(-1.0 / np.asarray(processing_days, dtype=float)))


@numba.vectorize(cache=True)
def occupancy_ratio(occupancy: float, capacity: float) -> float:
    """Occupancy over capacity (inf for a state with no places but people in reception); a compiled ufunc."""
    if capacity > 0:
        return occupancy / capacity
    return np.inf if occupancy > 0 else 0.0
