"""A calibration file (TOML): the parameters and their priors, the data series, the method and its budget.

Read by :func:`load_config`, checked like every other input: a misspelt key, a prior outside a
parameter's bounds or an unknown series is one :class:`~model.errors.ConfigError` naming the key
(exit 2 on the command line), before anything runs or is written.

An example, ``experiments/calibrations/central_med_2014_2017.toml``::

    name = "central_med_2014_2017"
    scenario = "central_med_2014_2017"
    seed = 2014
    years = [2014, 2015, 2016, 2017]
    discrepancy = 0.1

    [method]
    population_size = 500
    rounds = 5
    max_run_years = 100000

    [parameters."world.boats.rubber.distress_per_hour"]
    prior = "uniform"
    lo = 0.015
    hi = 0.09

    [summaries.dead_and_missing]
    period = "quarter"
    error = 0.5
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from model.errors import ConfigError

HERE = Path(__file__).resolve().parents[1] / "calibrations"
TOP_KEYS = (
    "name",
    "description",
    "extends",
    "scenario",
    "seed",
    "years",
    "discrepancy",
    "method",
    "parameters",
    "summaries",
)
METHOD_KEYS = ("name", "population_size", "rounds", "first_quantile", "quantile", "batch_size", "max_run_years")
METHODS = ("smc",)
PRIORS = ("uniform", "loguniform")
PARAMETER_KEYS = ("prior", "lo", "hi")
#: The data series a calibration can fit (see :mod:`experiments.calibrate.summaries`), with the periods each allows.
SERIES: dict[str, tuple[str, ...]] = {
    "arrivals": ("month", "quarter", "year"),
    "dead_and_missing": ("month", "quarter", "year"),
    "incidents": ("month", "quarter", "year"),
    "returns": ("month", "quarter", "year"),
    "ngo_share": ("all",),
}
SUMMARY_KEYS = ("period", "error")
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Parameter:
    """One calibrated parameter: its dotted scenario key and its prior (uniform or log-uniform on [lo, hi])."""

    key: str
    prior: str
    lo: float
    hi: float


@dataclass(frozen=True)
class SummarySpec:
    """One data series as the distance sees it: summed per ``period``, on a log scale (a share as it is).

    ``error``: the standard deviation assumed for the observation on that scale (0.1: about 10%).
    """

    series: str
    period: str
    error: float


@dataclass(frozen=True)
class Method:
    """ABC-SMC settings (ELFI's ``SMC``): population size, rounds, quantiles, batch size and the budget."""

    name: str = "smc"
    population_size: int = 500
    rounds: int = 5
    first_quantile: float = 0.1
    quantile: float = 0.5
    batch_size: int = 512
    max_run_years: int = 100_000


@dataclass(frozen=True)
class CalibrationConfig:
    """A checked calibration file."""

    name: str
    scenario: str
    seed: int
    years: tuple[int, ...]
    discrepancy: float
    method: Method
    parameters: tuple[Parameter, ...]
    summaries: tuple[SummarySpec, ...]
    description: str = ""
    source: str = field(default="", repr=False)
    folder: Path = field(default=Path("."), repr=False)

    @property
    def keys(self) -> tuple[str, ...]:
        """The calibrated parameters' dotted keys, in the file's order."""
        return tuple(p.key for p in self.parameters)

    def holding_out(self, year: int) -> CalibrationConfig:
        """The same calibration fitted on every year but ``year`` (leave one year out)."""
        if year not in self.years:
            raise ConfigError("--hold-out", year, "one of the calibration's years: " + ", ".join(map(str, self.years)))
        if len(self.years) < 2:
            raise ConfigError("--hold-out", year, "a calibration over at least two years")
        return replace(self, years=tuple(y for y in self.years if y != year), name=f"{self.name}_without_{year}")

    def resolved(self) -> dict[str, Any]:
        """The settings as a plain dict (for the manifest and the digest)."""
        return {
            "name": self.name,
            "scenario": self.scenario,
            "seed": self.seed,
            "years": list(self.years),
            "discrepancy": self.discrepancy,
            "method": self.method.__dict__,
            "parameters": [p.__dict__ for p in self.parameters],
            "summaries": [s.__dict__ for s in self.summaries],
        }

    def digest(self) -> str:
        """A hash of the settings: a resumed calibration must have the same."""
        return hashlib.sha256(json.dumps(self.resolved(), sort_keys=True).encode()).hexdigest()[:16]

    def base_scenario(self) -> Any:
        """The scenario every simulation starts from (the parameters' values replace its own)."""
        from model.scenarios import load

        path = Path(self.scenario)
        if not path.is_absolute() and not path.exists() and (self.folder / path).exists():
            path = self.folder / path
        return load(str(path) if path.suffix == ".toml" else self.scenario)


def builtin_calibrations() -> list[str]:
    """Names of the calibration files shipped in ``experiments/calibrations/``."""
    return sorted(p.stem for p in HERE.glob("*.toml"))


def load_config(name_or_path: str | Path) -> CalibrationConfig:
    """Load and check a named calibration or a calibration file; ConfigError (exit 2) if it is invalid.

    ``extends = "NAME"`` starts from a named calibration's settings (its ``[method]`` merged key by
    key); the file's own keys replace the rest.
    """
    text = str(name_or_path)
    path = HERE / f"{text}.toml" if text in builtin_calibrations() else Path(text)
    raw, data = _read(path, text)
    seen = [path.stem]
    while isinstance(data, dict) and "extends" in data:  # a named calibration's settings, these on top
        parent = data.pop("extends")
        if parent not in builtin_calibrations() or parent in seen:
            raise ConfigError(
                "extends",
                parent,
                "a named calibration, not one already in the chain: " + ", ".join(builtin_calibrations()),
            )
        seen.append(parent)
        _, base = _read(HERE / f"{parent}.toml", parent)
        if isinstance(base, dict):
            method = {**base.get("method", {}), **data.get("method", {})}
            data = {**base, **data, **({"method": method} if method else {})}
    return from_dict(data, source=raw, folder=path.parent)


def _read(path: Path, text: str) -> tuple[str, Any]:
    """The text and parsed TOML of a calibration file; one ConfigError for anything unreadable."""
    from experiments.run.paths import input_file

    input_file(
        "calibration",
        path,
        MAX_FILE_BYTES,
        missing="a file or a named calibration: " + ", ".join(builtin_calibrations()),
    )
    try:
        raw = path.read_text(encoding="utf-8")
        return raw, tomllib.loads(raw)
    except OSError as err:
        raise ConfigError("calibration", text, f"a readable file ({err.strerror})", problem="cannot read") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError("", text, f"valid TOML ({err})", problem="malformed file") from None


def from_dict(data: Any, source: str = "", folder: Path = Path(".")) -> CalibrationConfig:
    """A :class:`CalibrationConfig` from parsed TOML; every key and value checked."""
    if not isinstance(data, dict):
        raise ConfigError("", data, "a TOML table of calibration settings")
    for key in data:
        if key not in TOP_KEYS:
            raise ConfigError(key, key, "one of " + ", ".join(TOP_KEYS), problem="unknown key")
    for key in ("name", "scenario", "parameters", "summaries"):
        if key not in data:
            raise ConfigError(key, None, "required", problem="missing")
    name, scenario = data["name"], data["scenario"]
    for key, value in (("name", name), ("scenario", scenario), ("description", data.get("description", "x"))):
        if not isinstance(value, str) or not value or len(value) > 1000:
            raise ConfigError(key, value, "a non-empty string")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ConfigError("seed", seed, "an integer from 0 to 4,294,967,295")
    years = data.get("years", [2014, 2015, 2016, 2017])
    if (
        not isinstance(years, list)
        or not years
        or not all(isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2100 for y in years)
        or len(set(years)) != len(years)
    ):
        raise ConfigError("years", years, "a non-empty list of distinct years, e.g. [2014, 2015, 2016, 2017]")
    discrepancy = _fraction("discrepancy", data.get("discrepancy", 0.1), 0.0, 10.0)
    method = _method(data.get("method", {}))
    parameters = _parameters(data["parameters"])
    summaries = _summaries(data["summaries"])
    cfg = CalibrationConfig(
        name=name,
        scenario=scenario,
        seed=seed,
        years=tuple(sorted(years)),
        discrepancy=discrepancy,
        method=method,
        parameters=parameters,
        summaries=summaries,
        description=str(data.get("description", "")),
        source=source,
        folder=folder,
    )
    _check_against_scenario(cfg)
    return cfg


def _fraction(key: str, value: Any, lo: float, hi: float, open_lo: bool = False) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value > hi or value < lo or (open_lo and value <= lo):
        bound = f"> {lo:g}" if open_lo else f">= {lo:g}"
        raise ConfigError(key, value, f"a number {bound} and <= {hi:g}")
    return float(value)


def _integer(key: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(key, value, f"an integer from {lo:,} to {hi:,}")
    return value


def _table(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(key, value, "a table")
    return value


def _method(table: Any) -> Method:
    table = _table("method", table)
    for key in table:
        if key not in METHOD_KEYS:
            raise ConfigError(f"method.{key}", key, "one of " + ", ".join(METHOD_KEYS), problem="unknown key")
    name = table.get("name", "smc")
    if name not in METHODS:
        raise ConfigError("method.name", name, "one of " + ", ".join(METHODS))
    return Method(
        name=name,
        population_size=_integer("method.population_size", table.get("population_size", 500), 10, 1_000_000),
        rounds=_integer("method.rounds", table.get("rounds", 5), 1, 100),
        first_quantile=_fraction("method.first_quantile", table.get("first_quantile", 0.1), 0.0, 1.0, open_lo=True),
        quantile=_fraction("method.quantile", table.get("quantile", 0.5), 0.0, 1.0, open_lo=True),
        batch_size=_integer("method.batch_size", table.get("batch_size", 512), 1, 100_000),
        max_run_years=_integer("method.max_run_years", table.get("max_run_years", 100_000), 1, 100_000_000),
    )


def _parameters(table: Any) -> tuple[Parameter, ...]:
    table = _table("parameters", table)
    if not table:
        raise ConfigError("parameters", {}, 'at least one [parameters."dotted.key"] table')
    out = []
    for key, spec in table.items():
        where = f"parameters.{key}"
        spec = _table(where, spec)
        for k in spec:
            if k not in PARAMETER_KEYS:
                raise ConfigError(f"{where}.{k}", k, "one of " + ", ".join(PARAMETER_KEYS), problem="unknown key")
        prior = spec.get("prior", "uniform")
        if prior not in PRIORS:
            raise ConfigError(f"{where}.prior", prior, "one of " + ", ".join(PRIORS))
        for k in ("lo", "hi"):
            if k not in spec:
                raise ConfigError(f"{where}.{k}", None, "a number (the prior's bound)", problem="missing")
        lo = _fraction(f"{where}.lo", spec["lo"], -1e12, 1e12)
        hi = _fraction(f"{where}.hi", spec["hi"], -1e12, 1e12)
        if not lo < hi:
            raise ConfigError(f"{where}.hi", spec["hi"], f"a number above lo ({lo:g})")
        if prior == "loguniform" and lo <= 0:
            raise ConfigError(f"{where}.lo", spec["lo"], "a positive number for a log-uniform prior")
        out.append(Parameter(key, prior, lo, hi))
    return tuple(out)


def _summaries(table: Any) -> tuple[SummarySpec, ...]:
    table = _table("summaries", table)
    if not table:
        raise ConfigError("summaries", {}, "at least one series: " + ", ".join(SERIES))
    out = []
    for series, spec in table.items():
        where = f"summaries.{series}"
        if series not in SERIES:
            raise ConfigError("summaries", series, "one of " + ", ".join(SERIES), problem="unknown series")
        spec = _table(where, spec)
        for k in spec:
            if k not in SUMMARY_KEYS:
                raise ConfigError(f"{where}.{k}", k, "one of " + ", ".join(SUMMARY_KEYS), problem="unknown key")
        period = spec.get("period", SERIES[series][0])
        if period not in SERIES[series]:
            raise ConfigError(f"{where}.period", period, "one of " + ", ".join(SERIES[series]))
        if "error" not in spec:
            raise ConfigError(
                f"{where}.error", None, "the observation error assumed (a log-scale sd, e.g. 0.2)", problem="missing"
            )
        out.append(SummarySpec(series, period, _fraction(f"{where}.error", spec["error"], 0.0, 10.0, open_lo=True)))
    return tuple(out)


def _check_against_scenario(cfg: CalibrationConfig) -> None:
    """Each parameter is a numeric scenario key whose bounds hold both ends of its prior."""
    from model.fields import declared_type
    from model.params import Scenario

    base = cfg.base_scenario()
    for p in cfg.parameters:
        where = f"parameters.{p.key}"
        tp = declared_type(Scenario, p.key)
        if tp is None or tp not in (float, int):
            raise ConfigError(
                "parameters", p.key, "a numeric scenario parameter (see `seamig params`)", problem="unknown parameter"
            )
        for end, value in (("lo", p.lo), ("hi", p.hi)):
            try:
                base.with_overrides({p.key: int(round(value)) if tp is int else value})
            except ConfigError as err:
                raise ConfigError(f"{where}.{end}", value, err.allowed) from None
