"""An adapter for the EMA Workbench (optional: ``pip install "seamig[ema]"``, Python 3.12 or newer).

:func:`ema_model` describes seamig to the EMA Workbench (Kwakkel 2017): its uncertainties and
levers as EMA parameters named by dotted key (with ``__`` for each dot, as EMA 3 wants Python
identifiers: ``world__adaptation__strength``; :func:`dotted` turns a name back), bounds taken from the parameter
declarations when
not given, and summary outcomes as scalar outcomes. :class:`BatchEvaluator` then runs all the
experiments of ``perform_experiments`` as one batch through :func:`model.api.evaluate` (the
vector engine's ``run_many``), where EMA's own evaluators would run them one at a time::

    import ema_workbench as ema
    from model.ema import BatchEvaluator, ema_model

    model = ema_model(
        uncertainties={"world.adaptation.strength": None, "world.demand.people_per_year": (100_000, 300_000)},
        levers={"policy.sar.fleets.ngo.count": (0, 12), "policy.cooperation.framework": ["ad_hoc", "standing"]},
        outcomes=["dead_and_missing", "arrivals"],
        scenario="central_med_small",
        days=90,
        seeds=2,
    )
    with BatchEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=32, policies=4)
    from ema_workbench.analysis import prim
    box = prim.Prim(experiments[list(model.uncertainties.keys())], outcomes["dead_and_missing"] > 500,
    threshold=0.8).find_box()

The model also works with EMA's own evaluators (``SequentialEvaluator``,
``MultiprocessingEvaluator``): each experiment is then a batch of its own.

Reference:
    Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. Environmental Modelling & Software
    96, 239-250. doi:10.1016/j.envsoft.2017.06.054
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from model.errors import ConfigError
from model.fields import declared_type, field_metadata

try:  # the optional extra
    import ema_workbench as ema
    from ema_workbench.em_framework.evaluators import BaseEvaluator as _Base
except ImportError:  # pragma: no cover - exercised where EMA is absent (Python < 3.12)
    ema = None
    _Base = object

ParameterSpec = tuple[float, float] | list[Any] | None
#: EMA 3 wants names that are Python identifiers: a dotted key is named with "__" for each ".".
SEP = "__"


def ema_name(key: str) -> str:
    """The EMA name of a dotted key or outcome.

    ``policy.sar.fleets.ngo.count`` -> ``policy__sar__fleets__ngo__count``.
    """
    return key.replace(".", SEP)


def dotted(name: str) -> str:
    """The dotted key of an EMA name (inverse of :func:`ema_name`)."""
    return name.replace(SEP, ".")


@dataclass(frozen=True)
class Settings:
    """How each experiment is run: the base scenario, days, seeds (outcomes averaged over them) and engine."""

    scenario: Any = "central_med_2016"
    days: int | None = None
    seeds: int | tuple[int, ...] = 1
    engine: str = "vector"
    outcomes: tuple[str, ...] = ("dead_and_missing", "arrivals")


def _require_ema() -> None:
    if ema is None:
        raise ConfigError(
            "ema_workbench",
            "not installed",
            'pip install "seamig[ema]" (EMA Workbench 3 needs Python 3.12 or newer)',
            problem="missing optional dependency",
        )


def parameter(key: str, spec: ParameterSpec) -> Any:
    """An EMA parameter for dotted key ``key``: ``(low, high)``, a list of categories, or None for the declared bounds.

    Integers become ``IntegerParameter``, numbers ``RealParameter``, true/false
    ``BooleanParameter``, a list ``CategoricalParameter`` (so does None for a key with choices).
    """
    _require_ema()
    from model.params import Scenario

    tp = declared_type(Scenario, key)
    if tp is None:
        raise ConfigError(key, spec, "a dotted key of a scenario (seamig params lists them)", problem="unknown key")
    meta = field_metadata(Scenario, key)
    name = ema_name(key)
    if tp is bool:
        return ema.BooleanParameter(name)
    if isinstance(spec, list):
        return ema.CategoricalParameter(name, spec)
    if spec is None and meta.get("choices"):
        return ema.CategoricalParameter(name, list(meta["choices"]))
    if spec is None:
        spec = (meta.get("lo"), meta.get("hi"))
        if None in spec:
            raise ConfigError(key, spec, "(low, high): this parameter has no declared upper or lower bound to take")
    if typing.get_origin(tp) is not None or tp not in (int, float) or not (isinstance(spec, tuple) and len(spec) == 2):
        raise ConfigError(key, spec, "(low, high) for a number, a list of values, or None")
    lo, hi = spec
    return ema.IntegerParameter(name, int(lo), int(hi)) if tp is int else ema.RealParameter(name, float(lo), float(hi))


def _run_point(settings: Settings, **values: Any) -> dict[str, float]:
    """One experiment (what EMA's own evaluators call): the outcomes averaged over the seeds."""
    return _outcomes(settings, [values])[0]


def _outcomes(settings: Settings, points: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Each point's outcomes (by EMA name), averaged over the seeds; points are by EMA name or dotted key."""
    from model.api import evaluate

    points = [{dotted(k): v for k, v in p.items()} for p in points]
    table = evaluate(
        points,
        settings.seeds if isinstance(settings.seeds, int) else list(settings.seeds),
        engine=settings.engine,
        scenario=settings.scenario,
        days=settings.days,
    )
    means = table.groupby("point", sort=True)[list(settings.outcomes)].mean()
    return [{ema_name(o): float(means.loc[i, o]) for o in settings.outcomes} for i in range(len(points))]


def ema_model(
    uncertainties: Mapping[str, ParameterSpec] | Iterable[str],
    levers: Mapping[str, ParameterSpec] | Iterable[str] = (),
    outcomes: Sequence[str] = ("dead_and_missing", "arrivals"),
    *,
    name: str = "seamig",
    scenario: Any = "central_med_2016",
    days: int | None = None,
    seeds: int | Sequence[int] = 1,
    engine: str = "vector",
) -> Any:
    """An EMA Workbench ``Model`` of seamig; its parameters and outcomes are named by :func:`ema_name`.

    Args:
        uncertainties: dotted keys (usually ``world.*``), each with ``(low, high)``, a list of
            values, or None for its declared bounds (a plain list of keys: all None).
        levers: dotted keys (usually ``policy.*``), given the same way.
        outcomes: summary outcomes (``seamig`` run summary names, e.g. ``dead_and_missing``,
            ``rescued_by_actor.ngo``), each an EMA ``ScalarOutcome``.
        name: the model's name in EMA's tables.
        scenario: the base scenario (a Scenario, built-in name or file).
        days: run this many days instead of the scenario's.
        seeds: seeds per experiment (a number n for 0 .. n-1, or a list); outcomes are their mean.
        engine: ``vector`` or ``mesa``.

    Raises:
        ConfigError: when EMA is not installed, or for an unknown key or unusable bounds.
    """
    _require_ema()
    from model.outcomes import Ledger
    from model.params import Scenario

    known = {k for k, v in _flat_summary(Ledger(Scenario()).summary()).items() if isinstance(v, int | float)}
    for o in outcomes:
        if o not in known:
            raise ConfigError(
                "outcomes", o, "summary outcomes such as " + ", ".join(sorted(k for k in known if "." not in k))
            )
    settings = Settings(
        scenario=scenario,
        days=days,
        seeds=seeds if isinstance(seeds, int) else tuple(seeds),
        engine=engine,
        outcomes=tuple(outcomes),
    )
    model = ema.Model(name, function=functools.partial(_run_point, settings))
    model.uncertainties = [parameter(k, v) for k, v in _specs(uncertainties).items()]
    model.levers = [parameter(k, v) for k, v in _specs(levers).items()]
    model.outcomes = [ema.ScalarOutcome(ema_name(o)) for o in outcomes]
    model.seamig_settings = settings  # read by BatchEvaluator
    return model


def _specs(given: Mapping[str, ParameterSpec] | Iterable[str]) -> dict[str, ParameterSpec]:
    return dict(given) if isinstance(given, Mapping) else {k: None for k in given}


def _flat_summary(summary: dict[str, Any]) -> dict[str, Any]:
    from model.fields import flatten

    return flatten(summary)


class BatchEvaluator(_Base):
    """An EMA evaluator that runs all experiments of a ``perform_experiments`` call as one batch.

    Use it like EMA's ``SequentialEvaluator`` (``with BatchEvaluator(model) as e:
    e.perform_experiments(...)``) with a model made by :func:`ema_model`.
    """

    def __init__(self, msis: Any) -> None:
        _require_ema()
        super().__init__(msis)
        for m in self._msis:
            if not hasattr(m, "seamig_settings"):
                raise ConfigError("model", getattr(m, "name", m), "a model made by model.ema.ema_model")

    def initialize(self) -> None:
        """Nothing to start: the batch runs in this process."""

    def finalize(self) -> None:
        """Nothing to stop."""

    def evaluate_experiments(self, experiments: Iterable[Any], callback: Any, **kwargs: Any) -> None:
        """Run every experiment in one :func:`model.api.evaluate` call per model, then report each to EMA."""
        by_model: dict[str, list[Any]] = {}
        for e in experiments:
            by_model.setdefault(e.model_name, []).append(e)
        models = {m.name: m for m in self._msis}
        for model_name, batch in by_model.items():
            model = models[model_name]
            points = [
                {**{c.name: c.value for c in model.constants}, **dict(e.scenario), **dict(e.policy)} for e in batch
            ]
            for e, outcomes in zip(batch, _outcomes(model.seamig_settings, points), strict=True):
                callback(e, outcomes)
