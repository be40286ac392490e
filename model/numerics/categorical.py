"""The inverse CDF of a categorical law: one uniform gives one category.

Both engines draw categories through it (where an ad hoc deal lands, in
:func:`model.rules.disembarkation.deal_state`; the vectorised engine's other categorical draws).
"""

from __future__ import annotations

import numpy as np


def categorical(p: np.ndarray, u: np.ndarray | float) -> np.ndarray:
    """Return category indices by inverse CDF over cumulative sums of ``p``.

    The index is the smallest i with ``cumsum(p)[i] >= u`` (so a zero-probability category is never chosen
    for u in (0, 1)), clipped to k - 1 in case rounding leaves the total just below u. ``p`` is not
    renormalised.

    Args:
        p: Probabilities, (k,) shared by all draws, or (..., k) one row per draw.
        u: Uniforms in (0, 1): any shape for (k,) p; broadcastable to ``p.shape[:-1]`` for (..., k) p.

    Returns:
        int64 array: the shape of u for (k,) p, else the broadcast of u and ``p.shape[:-1]``.
    """
    p = np.asarray(p, dtype=np.float64)
    cum = np.cumsum(p, axis=-1)
    if p.ndim == 1:
        idx = np.searchsorted(cum, u, side="left")
    else:
        idx = np.count_nonzero(cum < np.asarray(u, dtype=np.float64)[..., None], axis=-1)
    return np.minimum(idx, p.shape[-1] - 1).astype(np.int64, copy=False)
