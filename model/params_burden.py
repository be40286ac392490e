"""Facts behind burden sharing (issue 24): each state's figures for a relocation key, and the cost of reception.

Kept apart from :mod:`model.params` so burden sharing reads as one unit; composed into
``world.burden``. The levers (landing rule, caps, relocation key rule, who pays instead of taking
people, the price of a contribution) are fields of ``policy.cooperation``. The rules that use them
are :mod:`model.rules.landing` and :mod:`model.rules.burden`.

Sources: the distribution key of the European Commission's proposal for a crisis relocation
mechanism, COM(2015) 450 (and the annex of the European Agenda on Migration, COM(2015) 240):
population 40%, total GDP 40%, unemployment rate 10%, average asylum applications and resettled
refugees per million inhabitants 2010-2014 10%. The state figures are Eurostat's as used for that
key (population on 1 January 2014, ``demo_pjan``; GDP 2013 at current prices, ``nama_10_gdp``;
unemployment rate 2014, ``une_rt_a``; asylum applications 2010-2014, ``migr_asyappctza``), rounded;
they were entered without access to the tables and should be checked against them before a
figure is quoted. Tunisia is not an EU state and was not in the key; its figures (INS census 2014,
World Bank) are there so that a key can include it, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.fields import Validated, param

_frozen = dataclass(frozen=True, slots=True, kw_only=True)
_EUROSTAT = "Eurostat as used for the COM(2015) 450 key (rounded; see model/params_burden.py)"


@_frozen
class StateFigures(Validated):
    """One state's figures for a relocation key and its reception cost (``world.burden.states.<state>``)."""

    population_millions: float = param(
        0.0, lo=0, hi=2000, why="more than the most populous state", unit="million persons", src="see source"
    )
    gdp_eur_bn: float = param(
        0.0, lo=0, hi=100_000, why="more than the world's GDP", unit="EUR bn/year", src="see source"
    )
    unemployment_pct: float = param(0.0, lo=0, hi=100, why="a percentage", unit="%", src="see source")
    asylum_per_million: float = param(
        0.0, lo=0, hi=1_000_000, why="more applications than inhabitants", unit="1/million/year", src="see source"
    )
    reception_cost_eur_per_day: float = param(
        35.0,
        lo=0,
        hi=10_000,
        why="far above any reception cost per person and day",
        unit="EUR/person/day",
        src="assumption: Italy's daily rate for reception of an asylum seeker (Ministry of the "
        "Interior, 2016: EUR 35), for every state without its own figure",
    )
    source: str = param("", src="text")


def _states() -> dict[str, StateFigures]:
    return {
        "Italy": StateFigures(
            population_millions=60.78,
            gdp_eur_bn=1609.0,
            unemployment_pct=12.7,
            asylum_per_million=520.0,
            source=_EUROSTAT,
        ),
        "Malta": StateFigures(
            population_millions=0.425, gdp_eur_bn=7.6, unemployment_pct=5.8, asylum_per_million=3640.0, source=_EUROSTAT
        ),
        "Tunisia": StateFigures(
            population_millions=10.98,
            gdp_eur_bn=35.0,
            unemployment_pct=15.0,
            asylum_per_million=10.0,
            source="not an EU state, outside the 2015 key: population INS census 2014; GDP World Bank "
            "2013 (USD 47 bn) in EUR, rounded; unemployment INS 2014; asylum per million assumption "
            "(UNHCR registered few)",
        ),
    }


@_frozen
class BurdenFacts(Validated):
    """Figures per state for relocation keys and costs (``world.burden``).

    A state not listed has none (zeros, and the default cost).
    """

    states: dict[str, StateFigures] = param(factory=_states, src="see entries")

    def figures(self, state: str) -> StateFigures:
        """The figures of ``state`` (the defaults for a state not listed)."""
        return self.states.get(state, StateFigures())
