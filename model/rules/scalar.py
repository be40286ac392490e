"""The rules of this package compiled by numba for scalars, once, for every compiled caller.

The rules are written for numpy arrays and for scalars alike; the compiled flows (RCC tasking in
:mod:`model.rules.tasking`) and the vectorised engine's loops call these compiled versions, and the
Mesa agents call the same functions uncompiled. A rule compiled here must use only what numba
compiles for scalars (no ``np.where`` or ``np.asarray(..., dtype=...)``; ``crossing.move_toward``
shows how).
"""

from __future__ import annotations

from collections.abc import Callable

import numba

from model.rules import crossing, rescue


def rule(f: Callable) -> Callable:
    """A rule of ``model/rules`` compiled for scalar callers (it must use only what numba compiles)."""
    return numba.njit(cache=True)(f)


can_task = rule(rescue.can_task)
stands_by = rule(rescue.stands_by)
available = rule(rescue.available)
eta_hours = rule(rescue.eta_hours)
merchant_accept = rule(rescue.merchant_accept_probability)
diversion_compliance = rule(rescue.diversion_compliance)
nearest_safe_port_km = rescue.nearest_safe_port_km  # (compiled in model/rules)
scene_done_hour = rule(rescue.scene_done_hour)
transfer_ends = rule(rescue.transfer_ends)
hands_over = rule(rescue.hands_over)
move_toward = rule(crossing.move_toward)
wants_port = rule(rescue.wants_port)
heads_home = rule(rescue.heads_home)
detention_hours = rule(rescue.detention_hours)
seized = rule(rescue.seized)
first_tasking_hour = rule(rescue.first_tasking_hour)
patrol_target = rule(rescue.patrol_target)
