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
    posterior = "DIR"                 # optional: a `seamig calibrate` folder; replicate r takes its calibrated
                                      # values from draw r of the posterior (the same draw in every scenario)
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
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from experiments.chart_kinds import CHART_KINDS
from model.engines import engine_names
from model.errors import ConfigError
from model.fields import check_value, coerce, declared_type, flatten
from model.geography import Geography
from model.outcomes import Ledger
from model.params import Scenario
from model.scenarios import load as load_scenario

HERE = Path(__file__).resolve().parents[1]  # experiments/: the experiment files
DESIGNS = ("grid", "lhs", "sobol", "morris")
#: Most scenarios one experiment may have: their list and the manifest stay within memory.
MAX_SCENARIOS = 100_000
# : Most scenarios built and checked when an experiment is loaded (about 10 ms each); a larger design's are checked as a
# sweep builds them.
CHECK_SCENARIOS = 2_000
#: Most levels of one factor, most ranges, and the largest experiment file read.
MAX_LEVELS, MAX_RANGES, MAX_FILE_BYTES = 10_000, 200, 1_000_000
CHART_OPTIONS = ("kind", "outcome", "x", "y", "hue", "group", "where", "scenario", "title")
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
TOP_KEYS = (
    "name",
    "question",
    "base",
    "engine",
    "days",
    "replicates",
    "seed",
    "design",
    "baseline",
    "outcomes",
    "fixed",
    "factors",
    "packages",
    "ranges",
    "samples",
    "charts",
    "posterior",
)


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
    posterior: str = ""
    source: str = ""
    folder: str = ""

    # --- construction ---------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], folder: Path | None = None, source: str = "") -> Experiment:
        """Build and validate an experiment from parsed TOML (every key's type first, then the design)."""
        check_types(data)
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
            factors={k: [_typed_value(k, v) for v in levels] for k, levels in dict(data.get("factors", {})).items()},
            packages={k: _typed(pkg) for k, pkg in dict(data.get("packages", {})).items()},
            ranges=dict(data.get("ranges", {})),
            samples=data.get("samples", 16),
            charts=dict(data.get("charts", {})),
            posterior=data.get("posterior", ""),
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
        """Check everything, including every design point's scenario; raise ConfigError naming the key.

        Types, bounds and the design's own rules are checked first, whatever the size of the
        design, in well under a second; the number of scenarios is counted, not built, and a
        design of more than :data:`MAX_SCENARIOS` is refused. Each scenario is then built and
        checked, unless there are more than :data:`CHECK_SCENARIOS` (``points()`` checks them
        when a sweep builds them, after ``--yes``).
        """
        check_types(self.resolved_settings())
        if self.engine not in engine_names():
            raise ConfigError("engine", self.engine, "one of " + ", ".join(engine_names()))
        if self.design not in DESIGNS:
            raise ConfigError("design", self.design, "one of " + ", ".join(DESIGNS))
        known = set(outcome_names())
        for o in self.outcomes:
            if o not in known:
                raise ConfigError(
                    "outcomes", o, "outcomes such as " + ", ".join(sorted(k for k in known if "." not in k))
                )
        if self.design != "grid":
            if not self.ranges:
                raise ConfigError("ranges", {}, f"at least one [ranges] entry for design '{self.design}'")
        n = self.scenario_count()
        if n > MAX_SCENARIOS:
            raise ConfigError(
                "design",
                f"{n:,} scenarios",
                f"at most {MAX_SCENARIOS:,} scenarios in one experiment (fewer levels, samples or ranges)",
                problem="too large",
            )
        _check_samples(self.design, self.samples)
        self._check_keys()
        if self.posterior:
            draws = self.posterior_draws()  # ConfigError if the folder is not a finished calibration
            try:
                self.base_scenario().with_overrides(draws[0])
            except ConfigError as err:
                raise ConfigError(f"posterior: {err.key}", err.value, err.allowed, err.problem) from None
        rows = self._rows()
        if n <= CHECK_SCENARIOS:  # more are checked by points() when a sweep builds them, after --yes
            self.points()
        labels = [label for label, _, _ in rows]
        if self.baseline and self.baseline not in labels and self.baseline not in self.packages:
            raise ConfigError(
                "baseline",
                self.baseline,
                "a package name or a scenario label: " + ", ".join(list(self.packages) + labels[:12]),
            )
        factor_keys = set(rows[0][2])
        for cname, chart in self.charts.items():
            kind = chart.get("kind") if isinstance(chart, dict) else None
            if kind not in CHART_KINDS:
                raise ConfigError(f"charts.{cname}.kind", kind, "one of " + ", ".join(CHART_KINDS))
            for opt in CHART_KINDS[kind].needs:
                if opt not in chart:
                    raise ConfigError(f"charts.{cname}.{opt}", None, f"required for a {kind} chart")
            if kind == "by_state":  # a per-state measure: the prefix of <measure>.<state> outcomes
                if not any(k.startswith(f"{chart['outcome']}.") for k in known):
                    raise ConfigError(
                        f"charts.{cname}.outcome",
                        chart["outcome"],
                        "a per-state outcome, e.g. burden_by_state or net_cost_eur_by_state",
                    )
            elif "outcome" in chart and chart["outcome"] not in known:
                raise ConfigError(f"charts.{cname}.outcome", chart["outcome"], "a run outcome, e.g. dead_and_missing")
            for opt in ("x", "y", "hue", "group"):
                if opt in chart and chart[opt] not in factor_keys | {"scenario"}:
                    raise ConfigError(
                        f"charts.{cname}.{opt}",
                        chart[opt],
                        "a factor of this experiment: " + ", ".join(sorted(factor_keys)),
                    )
            for key, value in dict(chart.get("where", {})).items():
                if key not in factor_keys or value not in {fac[key] for _, _, fac in rows}:
                    raise ConfigError(
                        f"charts.{cname}.where.{key}", value, "a factor of this experiment and one of its levels"
                    )
            if "scenario" in chart and chart["scenario"] not in set(labels) | set(self.packages):
                raise ConfigError(f"charts.{cname}.scenario", chart["scenario"], "a scenario label or package")
            if kind == "differences" and not self.baseline:
                raise ConfigError(f"charts.{cname}", kind, "an experiment with a baseline")

    def resolved_settings(self) -> dict[str, Any]:
        """The experiment's settings as the file gives them (what :func:`check_types` checks)."""
        out = {k: getattr(self, k) for k in TOP_KEYS}
        out["outcomes"] = list(self.outcomes)
        return {k: v for k, v in out.items() if not (k == "days" and v is None) and not (k == "posterior" and not v)}

    # --- parameter doubt from a calibration -----------------------------------------------------

    def posterior_folder(self) -> Path | None:
        """The calibration folder named by ``posterior`` (relative to the experiment file), or None."""
        if not self.posterior:
            return None
        path = Path(self.posterior)
        if not path.is_absolute() and self.folder and not path.exists():
            path = Path(self.folder) / path
        return path

    def posterior_draws(self) -> list[dict[str, Any]]:
        """Replicate r's calibrated parameter values (one dict per replicate; empty without ``posterior``).

        Drawn from the posterior by weight with a generator seeded from the experiment's seed, so
        replicate r of every scenario gets the same draw (paired), and the same file and seed give
        the same draws.
        """
        folder = self.posterior_folder()
        if folder is None:
            return []
        from experiments.calibrate.smc import read_posterior, resample

        post, manifest = read_posterior(folder)
        keys = [p["key"] for p in manifest["config"]["parameters"]]
        draws = resample(post, self.replicates, seed=int(self.seed))[keys].to_numpy()
        return [{k: _typed_value(k, float(v)) for k, v in zip(keys, row, strict=True)} for row in draws]

    def posterior_digest(self) -> str:
        """A hash of the posterior's samples ("" without ``posterior``): a changed posterior changes the experiment."""
        folder = self.posterior_folder()
        if folder is None:
            return ""
        return hashlib.sha256((folder / "posterior.parquet").read_bytes()).hexdigest()[:16]

    def scenario_count(self, method: str | None = None) -> int:
        """How many scenarios the design has, counted without building them."""
        method = method or self.design
        if method == "grid":
            return max(1, len(self.packages)) * math.prod(len(v) for v in self.factors.values())
        per_sample = {
            "lhs": 1,
            "sobol": len(self.ranges) + 2,
            "morris": len(self.ranges) + 1,
        }  # Saltelli without second order; Morris trajectories
        crossed = (
            max(1, len(self.packages)) if method == "lhs" else 1
        )  # an lhs design runs every package in every sampled future
        return crossed * self.samples * per_sample[method]

    def _check_keys(self) -> None:
        """Every dotted key of fixed, factors, packages and ranges is a parameter, and every value fits it.

        (one by one, no scenario built).
        """
        flat = self.base_scenario().flat()
        groups = [("factors", {k: levels for k, levels in self.factors.items()}), ("ranges", self.ranges)]
        groups += [(f"packages.{name}", {k: [v] for k, v in pkg.items()}) for name, pkg in self.packages.items()]
        for where, table in groups:
            for key, values in table.items():
                if key not in flat and not _is_new_entry(key, flat) and not key.startswith("timeline"):
                    raise ConfigError(
                        f"{where}.{key}",
                        key,
                        "a dotted parameter key of the base scenario (see seamig scenario show)",
                        problem="unknown key",
                    )
                tp = declared_type(Scenario, key)
                if where == "ranges":
                    if tp not in (int, float):
                        raise ConfigError(f"ranges.{key}", values, "ranges of numeric parameters only")
                    values = [int(round(v)) if tp is int else float(v) for v in values]
                for v in values:
                    try:
                        check_value(Scenario, key, v)
                    except ConfigError as err:
                        raise ConfigError(f"{where}.{err.key}", err.value, err.allowed, err.problem) from None

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

    def _rows(self, method: str | None = None) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """(label, overrides, factors) of every design point, without building scenarios."""
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
                        raise ConfigError(
                            f"packages.{pname}.{k}",
                            pkg[k],
                            "keys not among [ranges] (packages set levers; ranges sample the futures they are "
                            "tried in)",
                        )
                for i, u in enumerate(unit):
                    fac = {}
                    for k, x in zip(keys, u, strict=True):
                        lo, hi = self.ranges[k]
                        v = lo + float(x) * (hi - lo)
                        fac[k] = int(round(v)) if declared_type(Scenario, k) is int else v
                    label = f"{method}-{i:05d}" + (f", {pname}" if pname else "")
                    rows.append((label, {**fac, **pkg}, {**({"package": pname} if pname else {}), **fac}))
        return rows

    def points(self, method: str | None = None) -> list[DesignPoint]:
        """Every scenario of the experiment, built and validated (labels are unique)."""
        base = self.base_scenario()
        flat = base.flat()
        method = method or self.design
        rows = self._rows(method)
        out = []
        for i, (label, over, fac) in enumerate(rows):
            for k in over:
                if k not in flat and not _is_new_entry(k, flat):
                    where = "packages" if k not in fac else ("factors" if method == "grid" else "ranges")
                    raise ConfigError(
                        f"{where}.{k}",
                        k,
                        "a dotted parameter key of the base scenario (see seamig scenario show)",
                        problem="unknown key",
                    )
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
        out = {
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
            "points": [
                {"index": p.index, "label": p.label, "overrides": p.overrides, "factors": p.factors}
                for p in self.points()
            ],
        }
        if self.posterior:  # (only then: manifests written before posteriors existed stay readable)
            out["posterior"] = self.posterior
            out["posterior_digest"] = self.posterior_digest()
        return out

    def digest(self, resolved: dict[str, Any] | None = None) -> str:
        """A hash of the resolved content (pass it if already built): a changed experiment gets a different digest."""
        text = json.dumps(resolved if resolved is not None else self.resolved(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _integer(key: str, value: Any, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(key, value, f"an integer from {lo:,} to {hi:,}")


def _text(key: str, value: Any, limit: int = 2000) -> None:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ConfigError(
            key,
            value if not isinstance(value, str) else value[:80],
            f"a non-empty string of at most {limit:,} characters",
        )


def _table(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(key, value, "a table")
    return value


def _number(value: Any) -> bool:
    """A finite TOML number (an integer within 64 bits)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < 2**63
    return isinstance(value, float) and math.isfinite(value)


def check_types(data: dict[str, Any], manifest: bool = False) -> None:
    """Check every key of an experiment file and the type of its value; ConfigError naming the first wrong one.

    Only the file's own structure: the design's rules, the parameters and the outcomes are
    checked by :meth:`Experiment.validate`. Costs microseconds whatever the input. ``manifest``:
    the experiment as a result folder's manifest holds it.
    """
    if not isinstance(data, dict):
        raise ConfigError("", data, "a TOML table of experiment settings")
    for key in data:
        if key not in TOP_KEYS:
            raise ConfigError(key, key, "one of " + ", ".join(TOP_KEYS), problem="unknown key")
    for key in ("name", "question", "base"):
        if key not in data:
            raise ConfigError(key, None, "a non-empty string", problem="missing")
    _text("question", data["question"])
    _text("base", data["base"], 4096)
    if manifest:  # a resolved experiment in a result folder: any name it was written with, days null if not set
        _text("name", data["name"], 1000)
        data = {k: v for k, v in data.items() if not (k == "days" and v is None)}
    elif not isinstance(data["name"], str) or not NAME_PATTERN.fullmatch(data["name"]):
        raise ConfigError(
            "name",
            data["name"],
            "1 to 100 letters, digits, '_', '-' or '.', starting with a letter or digit (it names the result folder)",
        )
    for key in ("engine", "design"):
        if key in data:
            _text(key, data[key], 100)
    if "baseline" in data and not isinstance(data["baseline"], str):
        raise ConfigError("baseline", data["baseline"], "a package name or a scenario label (a string)")
    if "days" in data:
        _integer("days", data["days"], 1, 3650)
    if "replicates" in data:
        _integer("replicates", data["replicates"], 1, 100_000)
    if "seed" in data:
        _integer("seed", data["seed"], 0, 2**63 - 1)
    if "samples" in data:
        _integer("samples", data["samples"], 2, 1_000_000)
    if "outcomes" in data:
        outcomes = data["outcomes"]
        if not isinstance(outcomes, (list, tuple)) or not outcomes or not all(isinstance(o, str) for o in outcomes):
            raise ConfigError(
                "outcomes", outcomes, 'a non-empty list of outcome names, e.g. ["dead_and_missing", "arrivals"]'
            )
        if len(set(outcomes)) != len(outcomes):
            raise ConfigError("outcomes", list(outcomes), "each outcome once")
    _table("fixed", data.get("fixed", {}))
    for key, levels in _table("factors", data.get("factors", {})).items():
        if not isinstance(levels, list) or not levels:
            raise ConfigError(f"factors.{key}", levels, "a non-empty list of levels")
        if len(levels) > MAX_LEVELS:
            raise ConfigError(f"factors.{key}", f"{len(levels):,} levels", f"at most {MAX_LEVELS:,} levels")
        typed = [json.dumps(_typed_value(key, v), sort_keys=True, default=str) for v in levels]
        if len(set(typed)) != len(typed):
            raise ConfigError(f"factors.{key}", levels, "levels that differ from each other")
    for name, pkg in _table("packages", data.get("packages", {})).items():
        _table(f"packages.{name}", pkg)
    ranges = _table("ranges", data.get("ranges", {}))
    if len(ranges) > MAX_RANGES:
        raise ConfigError("ranges", f"{len(ranges):,} entries", f"at most {MAX_RANGES} ranges")
    for key, rng in ranges.items():
        if not (isinstance(rng, list) and len(rng) == 2 and all(_number(v) for v in rng) and rng[0] < rng[1]):
            raise ConfigError(f"ranges.{key}", rng, "[low, high]: two finite numbers with low < high")
    if "posterior" in data:
        _text("posterior", data["posterior"], 4096)
    for cname, chart in _table("charts", data.get("charts", {})).items():
        chart = _table(f"charts.{cname}", chart)
        for opt, value in chart.items():
            if opt not in CHART_OPTIONS:
                raise ConfigError(
                    f"charts.{cname}.{opt}", opt, "one of " + ", ".join(CHART_OPTIONS), problem="unknown key"
                )
            if opt == "where":
                _table(f"charts.{cname}.where", value)
            elif not isinstance(value, str):
                raise ConfigError(f"charts.{cname}.{opt}", value, "a string")


def _check_samples(design: str, samples: int) -> None:
    """The sample size rules of each sampled design."""
    if design == "sobol" and samples & (samples - 1):
        raise ConfigError(
            "samples",
            samples,
            "a power of two for a Sobol design (Saltelli's sequence keeps its properties only then), e.g. 16, 64, 1024",
        )


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
    """Load a named experiment or an experiment file; ConfigError (exit 2) if it is invalid.

    ``extends = "NAME"`` starts from the named experiment's settings (which may extend another);
    a chain that comes back to a file already read is refused.
    """
    text = str(name_or_path)
    path = HERE / f"{text}.toml" if text in builtin_experiments() else Path(text)
    raw, data = _read(path, text)
    seen = [path.stem]
    while "extends" in data:
        parent = data.pop("extends")
        if not isinstance(parent, str) or parent not in builtin_experiments():
            raise ConfigError("extends", parent, "a named experiment: " + ", ".join(builtin_experiments()))
        if parent in seen:
            raise ConfigError(
                "extends",
                parent,
                "a chain of named experiments that does not come back to itself (" + " -> ".join([*seen, parent]) + ")",
                problem="cycle at",
            )
        seen.append(parent)
        _, base = _read(HERE / f"{parent}.toml", parent)
        data = {**base, **data, **({"extends": base["extends"]} if "extends" in base else {})}
    return Experiment.from_dict(data, folder=path.parent, source=raw)


def is_experiment_file(path: str | Path) -> bool:
    """Whether ``path`` names an experiment.

    (a named one, or a readable TOML file with an experiment's keys) rather than a scenario.
    """
    if str(path) in builtin_experiments():
        return True
    try:
        _, data = _read(Path(path), str(path))
    except ConfigError:
        return False  # the scenario loader gives the error
    return any(
        k in data for k in ("question", "extends", "design", "factors", "packages", "ranges", "replicates", "outcomes")
    )


def _read(path: Path, text: str) -> tuple[str, dict[str, Any]]:
    """The text and parsed TOML of an experiment file; one ConfigError for anything that is not a readable TOML file."""
    from experiments.run.paths import input_file

    input_file(
        "experiment", path, MAX_FILE_BYTES, missing="a file or a named experiment: " + ", ".join(builtin_experiments())
    )
    try:
        raw = path.read_text(encoding="utf-8")
        return raw, tomllib.loads(raw)
    except OSError as err:
        raise ConfigError(
            "experiment", text, f"a readable file ({err.strerror or type(err).__name__})", problem="cannot read"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise ConfigError("", text, f"valid TOML ({err})", problem="malformed file") from None
