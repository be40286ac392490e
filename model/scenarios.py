"""Built-in scenarios and scenario files: list, load, validate, export.

A scenario file is TOML. It may name a ``base`` (a built-in scenario, default
``central_med_2016``) and override any subset of keys; ``seamig scenario show NAME`` prints every
key explicitly, and running that output gives identical results. Loading validates the whole file,
names included, before anything runs.
"""

from __future__ import annotations

import csv
import stat
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from model.errors import ConfigError
from model.geography import Geography
from model.params import Scenario

BUILTIN = Path(__file__).parent / "scenarios"


def builtin_names() -> list[str]:
    """Names of the built-in scenarios (``central_med_2016`` first)."""
    names = sorted(p.stem for p in BUILTIN.glob("*.toml"))
    return sorted(names, key=lambda n: n != "central_med_2016")


#: The largest scenario or demand file read: far above any real one (a ten-year monthly series is a few kB).
MAX_FILE_BYTES = 50_000_000


def _regular(path: Path, key: str, missing: str) -> None:
    """ConfigError unless ``path`` is a regular file of at most :data:`MAX_FILE_BYTES`.

    (a folder, a pipe or /dev/zero never reach a reader).
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ConfigError(key, str(path), missing, problem="not found") from None
    except (OSError, ValueError) as err:  # a file among the parents, a NUL in the name, no permission
        raise ConfigError(
            key,
            str(path),
            f"a readable file ({getattr(err, 'strerror', None) or type(err).__name__})",
            problem="cannot read",
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(key, str(path), "a regular file (not a folder, device or pipe)")
    if st.st_size > MAX_FILE_BYTES:
        raise ConfigError(key, str(path), f"a file of at most {MAX_FILE_BYTES:,} bytes", problem="too large")


def _read_toml(path: Path) -> dict[str, Any]:
    _regular(path, "scenario", "an existing file or a built-in scenario: " + ", ".join(builtin_names()))
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as err:
        raise ConfigError(
            "scenario", str(path), f"a readable file ({err.strerror or type(err).__name__})", problem="cannot read"
        ) from None
    except (tomllib.TOMLDecodeError, RecursionError) as err:
        raise ConfigError("", str(path), f"valid TOML ({err})", problem="malformed file") from None
    except UnicodeDecodeError:
        raise ConfigError("", str(path), "a UTF-8 TOML text file", problem="malformed file") from None


def from_dict(data: dict[str, Any], _depth: int = 0) -> Scenario:
    """Build and fully validate a scenario from parsed TOML (with an optional ``base``)."""
    data = dict(data)
    base_name = data.pop("base", "central_med_2016")
    if not isinstance(base_name, str) or base_name not in builtin_names():
        raise ConfigError("base", base_name, "a built-in scenario: " + ", ".join(builtin_names()))
    base = Scenario() if base_name == "central_med_2016" or _depth > 3 else load(base_name, _depth + 1)
    scenario = Scenario.from_dict(data, base=base)
    Geography.from_scenario(scenario)
    return scenario


def load(name_or_path: str | Path, _depth: int = 0) -> Scenario:
    """Load a built-in scenario by name, or a TOML scenario file by path."""
    text = str(name_or_path)
    path = BUILTIN / f"{text}.toml" if text in builtin_names() else Path(text)
    return from_dict(_with_demand_csv(_read_toml(path), path.parent), _depth)


def _with_demand_csv(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Read ``world.demand.monthly_people_csv`` (a path relative to the scenario file) into ``monthly_people``.

    The CSV has a header and the columns ``month`` (YYYY-MM) and ``people``; other columns are ignored.
    """
    demand = data.get("world", {}).get("demand") if isinstance(data.get("world"), dict) else None
    if not isinstance(demand, dict) or "monthly_people_csv" not in demand:
        return data
    key = "world.demand.monthly_people_csv"
    name = demand.pop("monthly_people_csv")
    if not isinstance(name, str) or not name:
        raise ConfigError(key, name, "the path of a CSV file (month, people), relative to the scenario file")
    if "monthly_people" in demand:
        raise ConfigError(key, name, "either monthly_people or monthly_people_csv, not both")
    path = folder / name
    _regular(path, key, "a CSV file (month, people), relative to the scenario file")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(
            key, str(path), f"a readable UTF-8 CSV file ({err.__class__.__name__})", problem="unreadable file"
        ) from None
    series: dict[str, float] = {}
    for i, row in enumerate(rows, start=2):
        try:
            series[str(row["month"]).strip()] = float(row["people"])
        except (KeyError, TypeError, ValueError):
            raise ConfigError(
                f"{key} line {i}", row, "columns month (YYYY-MM) and people (a number)", problem="malformed row"
            ) from None
    demand["monthly_people"] = series
    return data


def to_toml(scenario: Scenario) -> str:
    """Every parameter of ``scenario`` as TOML (loadable by :func:`load`)."""
    header = f"# Scenario {scenario.name}: every parameter explicit. Run: seamig run --scenario THIS_FILE\n"
    return header + tomli_w.dumps(scenario.to_dict())
