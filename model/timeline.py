"""Dated changes of policy at run time: what is in force on each day, and the rows fleets need.

A scenario's ``timeline`` (validated with the scenario: :func:`model.params.timeline_states`) lists
changes to dotted keys, each applied at 00:00 of its date. Both engines call :func:`schedule` once
and, on each change day, switch to the scenario in force from that day; both size their fleets
with :func:`vessel_rows`, so a fleet that grows later has rows waiting in port and one that shrinks
withdraws rows (:func:`active_rows`) that finish their task and go home.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from model.params import Scenario, TimelineEntry, fleet_size, timeline_states

#: The row group of merchant ships in :func:`vessel_rows` (fleets have their own names).
MERCHANTS = "merchant ships"


@dataclass(frozen=True)
class Change:
    """What happens at 00:00 of one day: the scenario in force from then on, and the entries applied."""

    day: int
    scenario: Scenario
    entries: tuple[TimelineEntry, ...]


def schedule(scenario: Scenario) -> tuple[Scenario, dict[int, Change]]:
    """The scenario in force at the start (no timeline) and the changes by day index."""
    states = timeline_states(scenario)
    start = dt.date.fromisoformat(scenario.world.start_date)
    enabled = [e for e in scenario.timeline if e.enabled]
    changes = {}
    for date, state in states[1:]:
        day = (dt.date.fromisoformat(date) - start).days
        changes[day] = Change(day, state, tuple(e for e in enabled if e.date == date))
    return states[0][1], changes


def active_rows(scenario: Scenario) -> dict[str, int]:
    """Vessels in service in ``scenario``: each fleet's size (state assets scaled), and merchants."""
    sar = scenario.policy.sar
    out = {name: fleet_size(f, sar.state_assets_scale) for name, f in sar.fleets.items()}
    out[MERCHANTS] = sar.merchant.ships_in_area
    return out


def vessel_rows(start: Scenario, changes: dict[int, Change]) -> dict[str, int]:
    """Rows each fleet (and the merchants) needs over the whole run.

    Its largest size in any period (``schedule``'s output).
    """
    rows: dict[str, int] = {}
    for state in (start, *(ch.scenario for ch in changes.values())):
        for name, n in active_rows(state).items():
            rows[name] = max(rows.get(name, 0), n)
    return rows
