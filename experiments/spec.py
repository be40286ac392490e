"""Experiment files, validated in full before anything runs.

An experiment names a base scenario, a design (factors, packages or sampled ranges), replicates, a
root seed, the engine, the outcomes and the charts.

An experiment file is TOML::

    name = "sar_capacity"
    question = "What do more state and NGO rescue ships do to deaths at sea?"
    base = "central_med_2016"        # a built-in scenario or a scenario file (relative to this file)
    engine = "mesa"
    replicates = 10
    seed = 20160101                   # root seed
    design = "grid"                   # grid | lhs | sobol | morris
    baseline = "..."                  # label of the scenario differences are taken against
    outcomes = ["dead_and_missing", "arrivals"]
    [fixed]                           # dotted-key overrides applied to every scenario
    [factors]                         # grid: dotted key -> list of levels (a full factorial)
    [packages.status_quo]             # named policy packages (dotted-key overrides), crossed with factors
    [ranges]                          # lhs/sobol/morris: dotted key -> [low, high]
                                      # (lhs with packages: every package in every sampled future)
    [charts.deaths]                   # one table per chart: kind and options
    kind = "dose_response"

Common random numbers: replicate ``r`` of every scenario runs with the same seed,
``SeedSequence(root, spawn_key=(r,))``, so differences between scenarios are not sampling noise.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from model.engines import engine_names
from model.errors import ConfigError
from model.fields import coerce, declared_type, flatten
from model.geography import Geography
from model.outcomes import Ledger
from model.params import Scenario
from model.scenarios import load as load_scenario

HERE = Path(__file__).resolve().parent
DESIGNS = ("grid", "lhs", "sobol", "morris")
CHART_KINDS = {
    "dose_response": ("outcome", "x"),
    "bars": ("outcome",),
    "differences": ("outcome",),
    "heatmap": ("outcome", "x", "y"),
    "map": (),
}
TOP_KEYS = ("name", "question", "base", "engine", "days", "replicates", "seed", "design", "baseline", "outcomes", "fixed", "factors", "packages", "ranges", "samples", "charts")


def outcome_names() -> list[str]:
    """Every numeric outcome a run reports, flattened to dotted names (``arrivals_by_state.Italy``)."""
    flat = flatten(Ledger(Scenario()).summary())
    return [k for k, v in flat.items() if isinstance(v, (int, float))]


def replicate_seed(root: int, replicate: int) -> int:
    """The seed of replicate ``replicate``: the same for every scenario (common random numbers)."""
    return int(np.random.SeedSequence(root, spawn_key=(replicate,)).generate_state(1, dtype=np.uint32)[0])


@dataclass(frozen=True)
class DesignPoint:
    """One scenario of an experiment: its label, the overrides that make it, and the scenario."""

    index: int
    label: str
    overrides: dict[str, Any]
    factors: dict[str, Any]
    scenario: Scenario = field(repr=False)


@dataclass(frozen=True)
class Experiment:
    """A validated experiment (see the module docstring for the file format)."""

    name: str
    question: str
    base: str
    engine: str = "mesa"
    days: int | None = None
    replicates: int = 5
    seed: int = 0
    design: str = "grid"
    baseline: str = ""
    outcomes: tuple[str, ...] = ("dead_and_missing", "arrivals")
    fixed: dict[str, Any] = field(default_factory=dict)
    factors: dict[str, list] = field(default_factory=dict)
    packages: dict[str, dict[str, Any]] = field(default_factory=dict)
    ranges: dict[str, list] = field(default_factory=dict)
    samples: int = 16
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = ""
    folder: str = ""

    # --- construction ---------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], folder: Path | None = None, source: str = "") -> Experiment:
        """Build and validate an experiment from parsed TOML."""
        for key in data:
            if key not in TOP_KEYS:
                raise ConfigError(key, key, "one of " + ", ".join(TOP_KEYS), problem="unknown key")
        for key in ("name", "question", "base"):
            if not isinstance(data.get(key), str) or not data.get(key):
                raise ConfigError(key, data.get(key), "a non-empty string", problem="missing or invalid")
        exp = cls(
            name=data["name"],
            question=data["question"],
            base=data["base"],
            engine=data.get("engine", "mesa"),
            days=data.get("days"),
            replicates=data.get("replicates", 5),
            seed=data.get("seed", 0),
            design=data.get("design", "grid"),
            baseline=data.get("baseline", ""),
            outcomes=tuple(data.get("outcomes", ("dead_and_missing", "arrivals"))),
            fixed=_typed(dict(data.get("fixed", {}))),
            factors={k: [_typed_value(k, v) for v in levels] if isinstance(levels, list) else levels for k, levels in dict(data.get("factors", {})).items()},
            packages={k: _typed(pkg) if isinstance(pkg, dict) else pkg for k, pkg in dict(data.get("packages", {})).items()},
            ranges=dict(data.get("ranges", {})),
            samples=data.get("samples", 16),
            charts=dict(data.get("charts", {})),
            source=source,
            folder=str(folder or ""),
        )
        exp.validate()
        return exp

    def with_changes(self, **changes: Any) -> Experiment:
        """A copy with top-level fields changed (for example fewer replicates), validated."""
        exp = replace(self, **changes)
        exp.validate()
        return exp

    # --- validation -----------------------------------------------------------------------------

    def validate(self) -> None:
        """Check everything, including every design point's scenario; raise ConfigError naming the key."""

        def integer(key: str, value: Any, lo: int, hi: int | None = None) -> None:
            if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
                raise ConfigError(key, value, f"an integer >= {lo}" + (f" and <= {hi}" if hi else ""))

        if self.engine not in engine_names():
            raise ConfigError("engine", self.engine, "one of " + ", ".join(engine_names()))
        if self.days is not None:
            integer("days", self.days, 1, 3650)
        integer("replicates", self.replicates, 1, 100_000)
        integer("seed", self.seed, 0, 2**63 - 1)
        integer("samples", self.samples, 2, 1_000_000)
        if self.design not in DESIGNS:
            raise ConfigError("design", self.design, "one of " + ", ".join(DESIGNS))
        known = set(outcome_names())
        for o in self.outcomes:
            if o not in known:
                raise ConfigError("outcomes", o, "outcomes such as " + ", ".join(sorted(k for k in known if "." not in k)))
        for key, levels in self.factors.items():
            if not isinstance(levels, list) or not levels:
                raise ConfigError(f"factors.{key}", levels, "a non-empty list of levels")
        for name, pkg in self.packages.items():
            if not isinstance(pkg, dict):
                raise ConfigError(f"packages.{name}", pkg, "a table of dotted-key overrides")
        if self.design != "grid":
            if not self.ranges:
                raise ConfigError("ranges", {}, f"at least one [ranges] entry for design '{self.design}'")
            for key, rng in self.ranges.items():
                if not (isinstance(rng, list) and len(rng) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in rng) and rng[0] < rng[1]):
                    raise ConfigError(f"ranges.{key}", rng, "[low, high] with low < high")
        points = self.points()
        labels = [p.label for p in points]
        if self.baseline and self.baseline not in labels and self.baseline not in self.packages:
            raise ConfigError("baseline", self.baseline, "a package name or a scenario label: " + ", ".join(list(self.packages) + labels[:12]))
        factor_keys = set(points[0].factors)
        for cname, chart in self.charts.items():
            kind = chart.get("kind") if isinstance(chart, dict) else None
            if kind not in CHART_KINDS:
                raise ConfigError(f"charts.{cname}.kind", kind, "one of " + ", ".join(CHART_KINDS))
            for opt in CHART_KINDS[kind]:
                if opt not in chart:
                    raise ConfigError(f"charts.{cname}.{opt}", None, f"required for a {kind} chart")
            if "outcome" in chart and chart["outcome"] not in known:
                raise ConfigError(f"charts.{cname}.outcome", chart["outcome"], "a run outcome, e.g. dead_and_missing")
            for opt in ("x", "y", "hue", "group"):
                if opt in chart and chart[opt] not in factor_keys | {"scenario"}:
                    raise ConfigError(f"charts.{cname}.{opt}", chart[opt], "a factor of this experiment: " + ", ".join(sorted(factor_keys)))
            for key, value in dict(chart.get("where", {})).items():
                if key not in factor_keys or value not in {p.factors[key] for p in points}:
                    raise ConfigError(f"charts.{cname}.where.{key}", value, "a factor of this experiment and one of its levels")
            if "scenario" in chart and chart["scenario"] not in set(labels) | set(self.packages):
                raise ConfigError(f"charts.{cname}.scenario", chart["scenario"], "a scenario label or package")
            if kind == "differences" and not self.baseline:
                raise ConfigError(f"charts.{cname}", kind, "an experiment with a baseline")

    # --- the design -----------------------------------------------------------------------------

    def base_scenario(self) -> Scenario:
        """The base scenario with ``fixed`` and ``days`` applied."""
        from model.scenarios import builtin_names

        path = self.base if self.base in builtin_names() else Path(self.folder or ".") / self.base
        try:
            scenario = load_scenario(path)
        except ConfigError as err:
            raise err.under("base") if err.key == "scenario" else err from None
        fixed = dict(self.fixed)
        if self.days is not None:
            fixed["world.days"] = self.days
        try:
            return scenario.with_overrides(fixed) if fixed else scenario
        except ConfigError as err:
            raise err.under("fixed") from None

    def _unit_samples(self, method: str | None = None) -> np.ndarray:
        """Design points in the unit cube for sampled designs (rows = points)."""
        method = method or self.design
        d = len(self.ranges)
        if method == "lhs":
            from scipy.stats import qmc

            return qmc.LatinHypercube(d=d, seed=np.random.default_rng(self.seed)).random(self.samples)
        problem = {"num_vars": d, "names": list(self.ranges), "bounds": [[0.0, 1.0]] * d}
        if method == "sobol":
            from SALib.sample import sobol

            return sobol.sample(problem, self.samples, calc_second_order=False, seed=self.seed)
        from SALib.sample import morris

        return morris.sample(problem, self.samples, num_levels=4, seed=self.seed)

    def points(self, method: str | None = None) -> list[DesignPoint]:
        """Every scenario of the experiment, built and validated (labels are unique)."""
        base = self.base_scenario()
        flat = base.flat()
        method = method or self.design
        rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        if method == "grid":
            packages = self.packages or {"": {}}
            keys = list(self.factors)
            for pname, pkg in packages.items():
                for levels in itertools.product(*(self.factors[k] for k in keys)):
                    fac = dict(zip(keys, levels, strict=True))
                    parts = ([pname] if pname else []) + [f"{_short(k)}={v}" for k, v in fac.items()]
                    label = ", ".join(parts) or "base"
                    over = {**pkg, **fac}
                    rows.append((label, over, {**({"package": pname} if self.packages else {}), **fac}))
        else:
            unit = self._unit_samples(method)
            keys = list(self.ranges)
            # a Latin hypercube of futures crossed with the packages: every package in every future (seamig robustness)
            packages = self.packages if method == "lhs" and self.packages else {"": {}}
            for pname, pkg in packages.items():
                for k in pkg:
                    if k in self.ranges:
                        raise ConfigError(f"packages.{pname}.{k}", pkg[k], "keys not among [ranges] (packages set levers; ranges sample the futures they are tried in)")
                for i, u in enumerate(unit):
                    fac = {}
                    for k, x in zip(keys, u, strict=True):
                        lo, hi = self.ranges[k]
                        v = lo + float(x) * (hi - lo)
                        fac[k] = int(round(v)) if declared_type(Scenario, k) is int else v
                    label = f"{method}-{i:05d}" + (f", {pname}" if pname else "")
                    rows.append((label, {**fac, **pkg}, {**({"package": pname} if pname else {}), **fac}))
        out = []
        for i, (label, over, fac) in enumerate(rows):
            for k in over:
                if k not in flat and not _is_new_entry(k, flat):
                    where = "packages" if k not in fac else ("factors" if method == "grid" else "ranges")
                    raise ConfigError(f"{where}.{k}", k, "a dotted parameter key of the base scenario (see seamig scenario show)", problem="unknown key")
            try:
                scenario = base.with_overrides(over).replace(name=f"{self.name}:{label}")
                Geography.from_scenario(scenario)  # place names (ports, departure points) resolve before any run
            except ConfigError as err:
                raise ConfigError(f"{label}: {err.key}", err.value, err.allowed, err.problem) from None
            out.append(DesignPoint(index=i, label=label, overrides=over, factors=fac, scenario=scenario))
        if len({p.label for p in out}) != len(out):
            raise ConfigError("factors", self.name, "levels that give distinct scenario labels")
        return out

    # --- provenance -----------------------------------------------------------------------------

    def resolved(self) -> dict[str, Any]:
        """The full resolved content: settings, and every design point's overrides."""
        return {
            "name": self.name,
            "question": self.question,
            "base": self.base,
            "engine": self.engine,
            "days": self.days,
            "replicates": self.replicates,
            "seed": self.seed,
            "design": self.design,
            "baseline": self.baseline,
            "outcomes": list(self.outcomes),
            "fixed": self.fixed,
            "factors": self.factors,
            "packages": self.packages,
            "ranges": self.ranges,
            "samples": self.samples,
            "charts": self.charts,
            "base_scenario": self.base_scenario().to_dict(),
            "points": [{"index": p.index, "label": p.label, "overrides": p.overrides, "factors": p.factors} for p in self.points()],
        }

    def digest(self, resolved: dict[str, Any] | None = None) -> str:
        """A hash of the resolved content (pass it if already built): a changed experiment gets a different digest."""
        text = json.dumps(resolved if resolved is not None else self.resolved(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _typed_value(key: str, value: Any) -> Any:
    """``value`` in the declared type of parameter ``key`` (``[0, 1]`` for a float becomes ``[0.0, 1.0]``)."""
    tp = declared_type(Scenario, key) if isinstance(key, str) else None
    return value if tp is None else coerce(tp, value)


def _typed(overrides: dict[str, Any]) -> dict[str, Any]:
    """Dotted-key overrides with each value in its parameter's declared type (unknown keys untouched)."""
    return {k: _typed_value(k, v) for k, v in overrides.items()}


def _short(key: str) -> str:
    parts = key.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 else key


def _is_new_entry(key: str, flat: dict[str, Any]) -> bool:
    """Whether ``key`` is a field of a new entry in a named table (e.g. a new fleet's ``count``).

    A misspelt field of an existing entry (``...fleets.ngo.cuont``) is not.
    """
    entry, _, _leaf = key.rpartition(".")
    if any(k.startswith(entry + ".") for k in flat):
        return False
    table = entry.rpartition(".")[0]
    return bool(table) and any(k.startswith(table + ".") for k in flat)


def builtin_experiments() -> list[str]:
    """Names of the experiment files shipped in ``experiments/``."""
    return sorted(p.stem for p in HERE.glob("*.toml"))


def load_experiment(name_or_path: str | Path) -> Experiment:
    """Load a named experiment or an experiment file; ConfigError (exit 2) if it is invalid."""
    text = str(name_or_path)
    path = HERE / f"{text}.toml" if text in builtin_experiments() else Path(text)
    try:
        raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except FileNotFoundError:
        raise ConfigError("experiment", text, "a file or a named experiment: " + ", ".join(builtin_experiments()), problem="not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError("", text, f"valid TOML ({err})", problem="malformed file") from None
    if "extends" in data:
        parent = data.pop("extends")
        if not isinstance(parent, str) or parent not in builtin_experiments() or parent == path.stem:
            raise ConfigError("extends", parent, "a named experiment: " + ", ".join(builtin_experiments()))
        base = tomllib.loads((HERE / f"{parent}.toml").read_text(encoding="utf-8"))
        base.pop("extends", None)
        data = {**base, **data}
    return Experiment.from_dict(data, folder=path.parent, source=raw)
