"""Batch evaluation for other tools: many parameter points x seeds in, one table out.

:func:`evaluate` is the entry point for optimisers, samplers and exploratory-modelling tools
(EMA Workbench, SALib, scipy's ``qmc``, a notebook loop): it takes a list of points, each a dict of
dotted-key overrides (or the short lever names of :data:`model.mesa_engine.LEVERS`), and seeds,
and returns a pandas DataFrame with one row per point x seed. With the vector engine every run
goes through one :meth:`~model.vector_engine.VectorEngine.run_many` call, so runs of different
points share batches; a run's result is the same as when run alone (``seamig run --engine vector
--seed S``), whatever else is in the batch.

Values may be numpy scalars or arrays, as samplers give them. Every point is validated before
anything runs; a bad one raises :class:`~model.errors.ConfigError` naming ``points[i].<key>``.

Examples:
    >>> from model.api import evaluate
    >>> table = evaluate([{"ngo_ships": 0}, {"ngo_ships": 10}], seeds=[1, 2], scenario="central_med_small", days=30)
    >>> table[["point", "seed", "ngo_ships", "dead_and_missing"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from model.engines import engine_names, get_engine
from model.errors import ConfigError
from model.fields import flatten, plain
from model.params import Scenario

#: The columns that name a row of :func:`evaluate`'s table, first.
IDENT = ("point", "seed")


def _levers() -> dict[str, str]:
    from model.mesa_engine.model import LEVERS  # imported here: the vector path needs no Mesa

    return LEVERS


def _scenario(scenario: Scenario | str) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    from model.scenarios import load

    return load(scenario)


def _seeds(seeds: int | Sequence[int]) -> list[int]:
    seeds = plain(seeds)
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ConfigError("seeds", seeds, "a number of seeds >= 1, or a list of seeds")
        return list(range(seeds))
    if not isinstance(seeds, Sequence) or isinstance(seeds, str) or not seeds:
        raise ConfigError("seeds", seeds, "a number of seeds >= 1, or a non-empty list of integer seeds >= 0")
    out = [plain(s) for s in seeds]
    for s in out:
        if isinstance(s, bool) or not isinstance(s, int) or s < 0:
            raise ConfigError("seeds", s, "integer seeds >= 0")
    return out


def scenarios_for(
    points: Sequence[Mapping[str, Any]], scenario: Scenario | str = "central_med_2016", days: int | None = None
) -> list[Scenario]:
    """The scenario of each point: ``scenario`` with the point's overrides (and ``days``), validated.

    Raises:
        ConfigError: naming ``points[i].<key>`` for an unknown key or a value out of range.
    """
    if isinstance(points, Mapping) or not isinstance(points, Sequence) or not points:
        raise ConfigError("points", points, "a non-empty list of dicts of dotted-key overrides")
    base = _scenario(scenario)
    if days is not None:
        base = base.with_overrides({"world.days": days})
    levers, flat = _levers(), base.flat()
    out = []
    for i, point in enumerate(points):
        if not isinstance(point, Mapping):
            raise ConfigError(f"points[{i}]", point, "a dict of dotted-key overrides")
        over = {levers.get(k, k): v for k, v in point.items()}
        for k in over:
            if "." not in k and k not in flat and k != "timeline":  # dotted keys are checked by with_overrides
                raise ConfigError(
                    f"points[{i}].{k}",
                    point.get(k, over[k]),
                    "a dotted key (seamig params lists them) or a lever name: " + ", ".join(levers),
                    problem="unknown key",
                )
        try:
            out.append(base.with_overrides(over) if over else base)
        except ConfigError as err:
            raise err.under(f"points[{i}]") from None
    return out


def outcome_row(summary: dict[str, Any]) -> dict[str, float | int]:
    """A run summary as flat numeric columns (``arrivals``, ``rescued_by_actor.ngo``, ...)."""
    return {k: v for k, v in flatten(summary).items() if isinstance(v, int | float) and not isinstance(v, bool)}


def evaluate(
    points: Sequence[Mapping[str, Any]],
    seeds: int | Sequence[int] = 1,
    *,
    engine: str = "vector",
    scenario: Scenario | str = "central_med_2016",
    days: int | None = None,
    batch_size: int = 256,
    progress: bool = False,
) -> pd.DataFrame:
    """Run every point with every seed and return the outcomes, one row per point x seed.

    Args:
        points: dicts of overrides by dotted key (``policy.sar.fleets.ngo.count``) or lever name
            (``ngo_ships``); ``{}`` is the scenario as it is.
        seeds: a list of seeds, or a number n for seeds 0 .. n-1. Every point runs with the same
            seeds (common random numbers), so differences between points are not seed noise.
        engine: ``vector`` (default: all runs batched through ``run_many``) or ``mesa``.
        scenario: a :class:`~model.params.Scenario`, a built-in name or a scenario file.
        days: run this many days instead of the scenario's.
        batch_size: most runs the vector engine steps together (memory grows with it).
        progress: show a progress bar.

    Returns:
        A DataFrame with columns ``point`` (index into ``points``), ``seed``, each override key as
        given, then every numeric outcome of the run summary (``results/README.md`` documents
        them), in point-major order.

    Raises:
        ConfigError: for an unknown engine, a bad seed or a bad point (before anything runs).
    """
    if engine not in engine_names():
        raise ConfigError("engine", engine, "one of " + ", ".join(engine_names()))
    seed_list = _seeds(seeds)
    scenarios = scenarios_for(points, scenario, days)
    pairs = [(i, s) for i in range(len(scenarios)) for s in seed_list]
    if engine == "vector":
        from model.vector_engine import VectorEngine

        results = VectorEngine(batch_size=batch_size).run_many(
            [scenarios[i] for i, _ in pairs], [s for _, s in pairs], progress=progress, record_events=False
        )
    else:
        runner = get_engine(engine)
        results = [runner.run(scenarios[i], s, record_events=False) for i, s in pairs]
    keys = list(dict.fromkeys(k for p in points for k in p))
    rows = []
    for (i, s), r in zip(pairs, results, strict=True):
        given = {k: plain(points[i][k]) if k in points[i] else np.nan for k in keys}
        rows.append(
            {
                "point": i,
                "seed": s,
                **{k: (str(v) if isinstance(v, list | tuple | dict) else v) for k, v in given.items()},
                **outcome_row(r.summary),
            }
        )
    return pd.DataFrame(rows)
