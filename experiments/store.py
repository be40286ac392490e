"""A sweep's result folder that survives a crash.

Layout of ``DIR/``:

- ``manifest.json``: the experiment (resolved), engine, root seed, replicates, git commit and
  dirty flag, package versions, time, schema version, and the experiment's digest.
- ``runs/s{scenario:05d}_r{replicate:05d}.*.parquet``: each finished run, stored as soon as it
  finishes; every file is written to a temporary name and renamed, and the run's ``row`` file is
  renamed last, so its presence means the run is complete.
- ``runs.parquet``, ``daily.parquet``, ``events.parquet``: the consolidated tables, rebuilt from the
  run files in (scenario, replicate) order, so they are identical whatever the executor, worker
  count or interruptions.
- ``figures/``: the charts.

After ``kill -9`` at any moment, ``--resume`` finds the complete runs, recomputes the rest, and
rebuilds the tables. A folder made by a different experiment is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.spec import Experiment
from model.errors import ConfigError
from model.outcomes import SCHEMA_VERSION

PACKAGES = ("seamig", "mesa", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "SALib", "dask", "distributed")


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _concat_parquet(paths: list[Path], path: Path, rows_per_group: int = 1_000_000) -> None:
    """Write the tables in ``paths`` one after another into ``path`` (atomically), a few at a time.

    A sweep's daily series run to tens of millions of rows: concatenated in pandas they took
    several GB and most of a minute (4 GB and 72 s for 1,200 runs); streamed through pyarrow, the
    memory is that of one row group.
    """
    if not paths:
        _atomic_parquet(pd.DataFrame(), path)
        return
    tmp = path.with_name(f".{path.name}.tmp")
    schema = pq.read_schema(paths[0])
    with pq.ParquetWriter(tmp, schema) as writer:
        group: list[pa.Table] = []
        rows = 0
        for p in paths:
            group.append(pq.read_table(p, schema=schema))
            rows += group[-1].num_rows
            if rows >= rows_per_group:
                writer.write_table(pa.concat_tables(group))
                group, rows = [], 0
        if group:
            writer.write_table(pa.concat_tables(group))
    os.replace(tmp, path)


def git_state() -> dict[str, Any]:
    """The commit and dirty flag of the checkout the code runs from (None outside a git checkout)."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, check=True, timeout=10).stdout.strip())
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def versions() -> dict[str, str | None]:
    """Versions of Python and the packages results depend on."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


class ResultStore:
    """The result folder of one sweep."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.runs_dir = self.root / "runs"
        self.manifest_path = self.root / "manifest.json"

    # --- opening --------------------------------------------------------------------------------

    def open(self, experiment: Experiment, resume: bool) -> dict[str, Any]:
        """Create the folder and manifest, or check an existing one for ``--resume``."""
        resolved = experiment.resolved()  # builds every scenario once; the digest hashes the same content
        digest = experiment.digest(resolved)
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError("--out", str(self.root), "a folder")
        if self.manifest_path.exists():
            old = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            if old.get("digest") != digest:
                raise ConfigError("--out", str(self.root), f"a new folder: it holds results of a different experiment or version ('{old.get('experiment', {}).get('name')}', digest {old.get('digest')}, now {digest})")
            if not resume:
                raise ConfigError("--out", str(self.root), "a new folder, or --resume to complete the sweep already in it")
            return old
        if self.root.exists() and any(self.root.iterdir()):
            raise ConfigError("--out", str(self.root), "an empty or new folder (it has files but no manifest.json)")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "experiment": resolved,
            "experiment_file": experiment.source,
            "digest": digest,
            "engine": experiment.engine,
            "root_seed": experiment.seed,
            "replicates": experiment.replicates,
            "git": git_state(),
            "versions": versions(),
            "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        _atomic_write_text(self.manifest_path, json.dumps(manifest, indent=2, default=str))
        return manifest

    # --- runs -----------------------------------------------------------------------------------

    def _stem(self, scenario: int, replicate: int) -> str:
        return f"s{scenario:05d}_r{replicate:05d}"

    def done(self) -> set[tuple[int, int]]:
        """(scenario, replicate) pairs whose run is complete."""
        out = set()
        for p in self.runs_dir.glob("s*_r*.row.parquet"):
            s, r = p.name.split(".")[0].split("_")
            out.add((int(s[1:]), int(r[1:])))
        return out

    def save(self, scenario: int, replicate: int, row: dict[str, Any], daily: pd.DataFrame, events: pd.DataFrame | None) -> None:
        """Store one finished run (daily and events first, the row last)."""
        stem = self._stem(scenario, replicate)
        _atomic_parquet(daily, self.runs_dir / f"{stem}.daily.parquet")
        if events is not None:
            _atomic_parquet(events, self.runs_dir / f"{stem}.events.parquet")
        _atomic_parquet(pd.DataFrame([row]), self.runs_dir / f"{stem}.row.parquet")

    def consolidate(self) -> None:
        """Rebuild runs.parquet, daily.parquet and events.parquet from the run files, in order."""
        keys = sorted(self.done())
        rows = [pq.read_table(self.runs_dir / f"{self._stem(s, r)}.row.parquet") for s, r in keys]  # pyarrow: half the time of pandas per file
        _atomic_parquet(pa.concat_tables(rows, promote_options="default").to_pandas() if rows else pd.DataFrame(), self.root / "runs.parquet")
        _concat_parquet([self.runs_dir / f"{self._stem(s, r)}.daily.parquet" for s, r in keys], self.root / "daily.parquet")
        ev_paths = [self.runs_dir / f"{self._stem(s, r)}.events.parquet" for s, r in keys]
        events = [pd.read_parquet(p) for p in ev_paths if p.exists()]
        _atomic_parquet(pd.concat(events, ignore_index=True) if events else pd.DataFrame(), self.root / "events.parquet")
