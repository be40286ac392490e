"""What a run or a sweep will cost, estimated before it starts; too much is refused or needs ``--yes``.

A run's memory and time grow with the people who reach the coast during it (the Mesa engine keeps
an agent for each) and with its days; a sweep's with its scenarios times replicates. The rates
below are upper ends of what was measured on this project's 2-core machine, so the estimates are
rough and err high:

- Mesa engine: 7.1 s per run-year of ``central_med_2016`` (198,000 people a year; README,
  "Performance": 4.1 to 7.1 s), scaled by people; memory 750 bytes per person who reaches the
  coast (a 120-day ``central_med_2016`` run grew by 724 bytes per person);
- vector engine: 16 ms per run-year at 198,000 people a year in a batch, 2.9 s per run-year of
  ``central_med_x50`` (ten million people a year), 300 MB for that run (README, "Performance").

A run whose memory estimate exceeds this machine's memory is refused; a run or sweep estimated to
take more than :data:`CONFIRM_SECONDS` of one core's time, or a design of more than
:data:`experiments.run.spec.CHECK_SCENARIOS` scenarios, runs only with ``--yes``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from model.errors import ConfigError
from model.params import Scenario

#: One core's time above which a run or sweep needs ``--yes`` (an hour).
CONFIRM_SECONDS = 3600.0
_REF_PEOPLE = 198_000.0  # central_med_2016's people per year
_MESA_S_PER_RUN_YEAR = 7.1
_MESA_BYTES_PER_PERSON = 750.0
_VECTOR_S_PER_RUN_YEAR = 0.016
_VECTOR_S_PER_PERSON_YEAR = 2.9 / 1e7
_VECTOR_BYTES_PER_PERSON_PER_YEAR = 300e6 / 1e7
_BASE_BYTES = 400e6  # the interpreter, numba's compiled code and the tables of one run


@dataclass(frozen=True)
class Estimate:
    """The estimated cost of some runs: one core's seconds, and the peak memory of one run (bytes)."""

    runs: int
    seconds: float
    run_bytes: float

    def text(self) -> str:
        """Plain words: '1,200 runs, about 3.1 hours of one core, 0.6 GB per run'."""
        return (
            f"{self.runs:,} run{'s' if self.runs != 1 else ''}, about {_duration(self.seconds)} "
            f"of one core, {self.run_bytes / 1e9:.1f} GB per run"
        )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:,.0f} days"


def people_per_year(scenario: Scenario) -> float:
    """People reaching the departure coast per year (from the busiest month if demand is a series: errs high)."""
    d = scenario.world.demand
    return max(d.monthly_people.values()) * 12.0 if d.monthly_people else d.people_per_year


def run_estimate(scenario: Scenario, engine: str, runs: int = 1) -> Estimate:
    """The cost of ``runs`` runs of ``scenario`` on ``engine``."""
    years = scenario.world.days / 365.0
    rate = people_per_year(scenario)
    if engine == "mesa":
        seconds = _MESA_S_PER_RUN_YEAR * years * max(1.0, rate / _REF_PEOPLE)
        mem = _BASE_BYTES + _MESA_BYTES_PER_PERSON * rate * years  # an agent for everyone who came
    else:
        seconds = _VECTOR_S_PER_RUN_YEAR * years + _VECTOR_S_PER_PERSON_YEAR * rate * years
        mem = _BASE_BYTES + _VECTOR_BYTES_PER_PERSON_PER_YEAR * rate  # arrays sized by the flow, not the run's total
    return Estimate(runs, seconds * runs, mem)


#: Parameters that make a run larger; a design's largest value of each is used for its estimate.
SIZE_KEYS = ("world.days", "world.demand.people_per_year")


def sweep_estimate(experiment, method: str | None = None) -> Estimate:
    """The cost of every run of ``experiment`` (its largest scenario's, times scenarios and replicates)."""
    base = experiment.base_scenario()
    largest = {}
    for key in SIZE_KEYS:
        values = [v for v in experiment.factors.get(key, [])]
        values += [experiment.ranges[key][1]] if key in experiment.ranges else []
        values += [pkg[key] for pkg in experiment.packages.values() if key in pkg]
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if numbers:
            largest[key] = int(max(numbers)) if key == "world.days" else float(max(numbers))
    scenario = base.with_overrides(largest) if largest else base
    return run_estimate(scenario, experiment.engine, experiment.scenario_count(method) * experiment.replicates)


def machine_bytes() -> int:
    """This machine's physical memory."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 8 << 30


def check(estimate: Estimate, yes: bool, what: str, scenarios: int = 0) -> None:
    """Refuse what cannot fit in memory; ask for ``--yes`` above the thresholds (ConfigError, one line)."""
    from experiments.run.spec import CHECK_SCENARIOS

    total = machine_bytes()
    if estimate.run_bytes > 0.8 * total:
        raise ConfigError(
            what,
            estimate.text(),
            f"runs that fit in this machine's memory ({total / 1e9:.0f} GB): fewer people or days, or --engine vector",
            problem="too large:",
        )
    if yes:
        return
    if estimate.seconds > CONFIRM_SECONDS:
        raise ConfigError(
            what,
            estimate.text(),
            f"at most {_duration(CONFIRM_SECONDS)} of one core without --yes; add --yes to run it anyway",
            problem="large run:",
        )
    if scenarios > CHECK_SCENARIOS:
        raise ConfigError(
            what,
            f"{scenarios:,} scenarios",
            f"at most {CHECK_SCENARIOS:,} scenarios without --yes (each is built and checked first); "
            "add --yes to run it anyway",
            problem="large design:",
        )
