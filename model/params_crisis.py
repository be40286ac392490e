"""Parameters of a crisis that sends migrant workers to the coast, and of their evacuation (issue 23).

Kept apart from :mod:`model.params` so the mechanism reads as one unit; composed into
``world.crisis`` (the shock: when, where, how many, with what documents, how patient) and
``policy.evacuation`` (the levers: daily evacuation capacity of their states and IOM, when it
starts, how fast consular staff issue travel documents). The rule is :mod:`model.rules.crisis`.
Off by default (no crisis date).

Sources: the seed paper's section on migrants caught in crises (over 800,000 migrant workers fled
Libya in less than two months in 2011; evacuation by their states and IOM, consular presence and
travel documents confiscated or lost) and IOM's reports on its 2011 Libya response (cited per
field).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from model.errors import ConfigError
from model.fields import Validated, param

_frozen = dataclass(frozen=True, slots=True, kw_only=True)


@_frozen
class CrisisFacts(Validated):
    """A dated crisis in a departure state (``world.crisis``); none if ``date`` is empty."""

    date: str = param("", src="lever of the scenario: the day the crisis begins, YYYY-MM-DD ('' = no crisis)")
    state: str = param(
        "Libya",
        src="the crisis state: people who give up on evacuation join the demand of smuggler networks departing from it",
    )
    migrant_workers: float = param(
        0.0, lo=0, unit="persons", src="see scenario (libya_2011): migrant workers who reach the coast wanting to leave"
    )
    outflow_days: float = param(
        60.0,
        lo=1,
        unit="days",
        src="seed paper: over 800,000 migrant workers fled Libya 'over the span of less than two months' (2011)",
    )
    documented_share: float = param(
        0.5,
        lo=0,
        hi=1,
        src="assumption: share holding travel documents (seed paper: documents confiscated by employers may be lost)",
    )
    give_up_per_day: float = param(
        0.05,
        lo=0,
        hi=1,
        unit="1/day",
        src="assumption: daily chance that a worker not yet evacuated turns to smugglers",
    )

    def check(self) -> None:
        """Refuse a crisis date that is not YYYY-MM-DD."""
        if self.date:
            try:
                dt.date.fromisoformat(self.date)
            except ValueError:
                raise ConfigError("world.crisis.date", self.date, "a date YYYY-MM-DD, or '' for no crisis") from None


@_frozen
class Evacuation(Validated):
    """Evacuation of migrant workers by their states and IOM (``policy.evacuation``; levers)."""

    capacity_per_day: float = param(
        0.0,
        lo=0,
        unit="persons",
        src="lever: people evacuated per day by chartered ships and aircraft (IOM's chartered "
        "ships in 2011 carried up to 1,000 a rotation: IOM press release, 12 April 2011)",
    )
    start_delay_days: float = param(0.0, lo=0, unit="days", src="lever: days from the crisis to the first evacuation")
    consular_documents_per_day: float = param(
        0.0,
        lo=0,
        hi=1,
        unit="1/day",
        src="lever: daily chance that consular staff issue travel documents to a worker without "
        "them (consular presence)",
    )
