"""A rescue vessel's hour: the rule both engines call for each vessel, each hour.

A vessel acts on its status at the start of the hour. Tasked, it heads for its boat (back on
patrol if the boat is gone) and, on scene, takes the approach and transfer hours before the rescue
(:func:`model.rules.rescue.scene_done_hour`). On patrol, it sails its lane (a merchant ship) or
back to its station, and with people aboard asks for a port once full enough or after long enough
(:func:`model.rules.rescue.wants_port`). Bound for a port it sails there: to land people, or to
rest in its home port. Rested, it leaves port unless policy keeps it there.

The rule moves the vessel and changes its status where nothing else is involved; what involves
others (a rescue, a request for a place of safety, a landing) it returns as an action, which each
engine carries out with its own bookkeeping. It draws no random numbers.
"""

from __future__ import annotations

import numba
import numpy as np

from model.rules.scalar import move_toward, scene_done_hour, transfer_ends, wants_port

#: A vessel's status (the Mesa agents keep the names, the vectorised engine the codes).
PATROL, TASKED, TO_PORT, WAITING, IN_PORT, TO_HOME = range(6)
STATUS_NAMES = ("patrol", "tasked", "to_port", "waiting", "in_port", "to_home")

#: What the engine must do after the vessel's hour: nothing; the boat it was tasked to is gone (it
#: is back on patrol); rescue its boat (on scene, transfer done); ask for a place of safety; land
#: the people at its port; it left port (days at sea start again).
NOTHING, TARGET_GONE, RESCUE, ASK_PORT, LAND, LEFT_PORT = range(6)


@numba.njit(cache=True, inline="always")
def vessel_hour(
    h: int,
    status: int,
    x: float,
    y: float,
    speed_kmh: float,
    aboard: int,
    capacity: float,
    hours_with_people: int,
    scene_done: int,
    tx: float,
    ty: float,
    target_aboard: int,
    target_capsized: bool,
    approach_hours: float,
    hours_per_100_people: float,
    batch_share: float,
    max_hours_with_people: float,
    rest_until: int,
    rest_days: float,
    kept_in_port: bool,
) -> tuple[int, float, float, bool, int, int, int, int]:
    """One hour of one vessel; returns (status, x, y, arrived, action, hours with people, scene done, rest until).

    The vessel: status, position, speed, people ``aboard`` and ``capacity``, hours with people
    aboard, the hour its work on scene ends (-1: not on scene); where it heads (``tx``, ``ty``:
    its boat if tasked; its lane's end or its station on patrol, or where it is to stay put; its
    port if bound for one); its boat's people and whether it capsized (tasked only; 0 people: the
    boat is gone); its on-scene times; its fleet's batching share and hours with people before it
    asks for a port; when its rest in port ends, how many days it rests on arriving home, and
    whether policy keeps it in port. ``arrived``: it reached where it headed this hour (on patrol:
    its lane's end or its station). The last three are the counters, as the hour leaves them.
    """
    hours, scene, rest = hours_with_people, scene_done, rest_until
    if status == TASKED:
        if aboard > 0:
            hours += 1
        if target_aboard == 0:
            return PATROL, x, y, False, TARGET_GONE, hours, -1, rest
        x, y, arrived = move_toward(x, y, tx, ty, speed_kmh)
        if arrived:
            if scene < 0:  # on scene: the approach and the transfer take hours, the boat stays at risk meanwhile
                scene = scene_done_hour(
                    h, approach_hours, hours_per_100_people, capacity - aboard, float(target_aboard)
                )
            if transfer_ends(h, scene, target_capsized):
                return status, x, y, arrived, RESCUE, hours, -1, rest
        return status, x, y, arrived, NOTHING, hours, scene, rest
    if status == PATROL:
        x, y, arrived = move_toward(x, y, tx, ty, speed_kmh)
        if aboard > 0:
            hours += 1
            if wants_port(capacity - aboard, capacity, batch_share, hours, max_hours_with_people):
                return status, x, y, arrived, ASK_PORT, hours, scene, rest
        return status, x, y, arrived, NOTHING, hours, scene, rest
    if status == TO_PORT or status == TO_HOME:
        x, y, arrived = move_toward(x, y, tx, ty, speed_kmh)
        if arrived:
            if status == TO_PORT:
                return status, x, y, arrived, LAND, hours, scene, rest
            return IN_PORT, x, y, arrived, NOTHING, hours, scene, h + np.int64(24 * rest_days)
        return status, x, y, arrived, NOTHING, hours, scene, rest
    if status == IN_PORT and h >= rest_until and not kept_in_port:
        return PATROL, x, y, False, LEFT_PORT, hours, scene, rest
    return status, x, y, False, NOTHING, hours, scene, rest
