"""Analysis of sweep results: means with bootstrap intervals, differences, sensitivity indices.

Per-scenario means with bootstrap confidence intervals, differences against a baseline scenario
(paired by replicate, thanks to common random numbers), and variance-based (Sobol) or
elementary-effects (Morris) sensitivity indices with SALib.

Bootstrap intervals use ``scipy.stats.bootstrap`` (BCa, falling back to percentile where BCa is
undefined, e.g. when all replicates are equal). Sobol indices: Saltelli (2002), Jansen (1999);
Morris: Campolongo et al. (2007), via SALib (Herman & Usher 2017, doi:10.21105/joss.00097).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from model.errors import ConfigError


def load_results(
    folder: str | Path, daily: bool = True
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read a sweep folder: (manifest, runs, daily, events).

    ``daily=False`` skips the daily series (empty), by far the largest table.

    Raises:
        ConfigError: one line naming the folder or the damaged file (and how to repair it).
    """
    from experiments.run.paths import result_folder
    from experiments.run.store import read_manifest, read_runs, read_table

    root = result_folder("DIR", folder)
    if not (root / "manifest.json").exists() or not (root / "runs.parquet").exists():
        raise ConfigError("DIR", str(root), "a folder written by `seamig sweep` (manifest.json and runs.parquet)")
    manifest = read_manifest(root)
    runs = read_runs(root, manifest["experiment"]["outcomes"])
    series = read_table(root, "daily.parquet") if daily and (root / "daily.parquet").exists() else pd.DataFrame()
    events = read_table(root, "events.parquet") if (root / "events.parquet").exists() else pd.DataFrame()
    return manifest, runs, series, events


def bootstrap_ci(
    values: np.ndarray, confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """Bootstrap confidence interval of the mean of ``values`` (NaN for a single value; zero width if all equal)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (np.nan, np.nan)
    if x.size < 2:
        return (np.nan, np.nan)  # one run: no interval can be estimated
    if np.all(x == x[0]):
        return (float(x[0]), float(x[0]))
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap(
            (x,), np.mean, confidence_level=confidence, n_resamples=n_resamples, method="BCa", rng=rng
        )
        low, high = res.confidence_interval
        if not (np.isfinite(low) and np.isfinite(high)):
            res = stats.bootstrap(
                (x,),
                np.mean,
                confidence_level=confidence,
                n_resamples=n_resamples,
                method="percentile",
                rng=np.random.default_rng(seed),
            )
            low, high = res.confidence_interval
    return float(low), float(high)


def factor_columns(manifest: dict[str, Any]) -> list[str]:
    """The experiment's factor names (dotted keys, and ``package`` if it has packages)."""
    points = manifest["experiment"]["points"]
    return list(points[0]["factors"]) if points else []


def summarize(
    runs: pd.DataFrame,
    outcomes: list[str],
    factors: list[str] | None = None,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per-scenario mean, bootstrap CI and n of each outcome (long format), with factor columns."""
    factors = [f for f in (factors or []) if f in runs.columns]
    rows = []
    for (idx, label), g in runs.groupby(["scenario_index", "scenario"], sort=True):
        base = {"scenario_index": int(idx), "scenario": label, **{f: g[f].iloc[0] for f in factors}}
        for o in outcomes:
            if o not in g.columns:
                raise ConfigError("outcome", o, "an outcome column of runs.parquet")
            v = g[o].to_numpy(dtype=float)
            low, high = bootstrap_ci(v, confidence, n_resamples, seed)
            finite = v[np.isfinite(v)]  # a mean over no ship (mean_wait_days where none waited) is NaN: left out
            rows.append(
                {
                    **base,
                    "outcome": o,
                    "mean": float(finite.mean()) if finite.size else np.nan,
                    "ci_low": low,
                    "ci_high": high,
                    "n": int(finite.size),
                }
            )
    return pd.DataFrame(rows)


def differences(
    runs: pd.DataFrame,
    baseline: str,
    outcomes: list[str],
    factors: list[str] | None = None,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Each scenario minus its baseline, paired by replicate, with bootstrap CIs.

    ``baseline`` is a scenario label, or a package name: then each scenario is compared with the
    baseline package at the same levels of the other factors.
    """
    factors = [f for f in (factors or []) if f in runs.columns and f != "package"]
    by_package = "package" in runs.columns and baseline in set(runs["package"])
    if not by_package and baseline not in set(runs["scenario"]):
        raise ConfigError("baseline", baseline, "a scenario label or package of this sweep")
    rows = []
    for (idx, label), g in runs.groupby(["scenario_index", "scenario"], sort=True):
        if by_package:
            mask = runs["package"] == baseline
            for f in factors:
                mask &= runs[f] == g[f].iloc[0]
            ref = runs[mask]
        else:
            ref = runs[runs["scenario"] == baseline]
        ref = ref.set_index("replicate")
        cur = g.set_index("replicate")
        common = cur.index.intersection(ref.index)
        for o in outcomes:
            d = (cur.loc[common, o].astype(float) - ref.loc[common, o].astype(float)).to_numpy()
            low, high = bootstrap_ci(d, confidence, n_resamples, seed)
            rows.append(
                {
                    "scenario_index": int(idx),
                    "scenario": label,
                    "baseline": baseline,
                    "outcome": o,
                    "diff_mean": float(np.mean(d)) if d.size else np.nan,
                    "ci_low": low,
                    "ci_high": high,
                    "n": int(d.size),
                }
            )
    return pd.DataFrame(rows)


def sensitivity_indices(
    manifest: dict[str, Any], runs: pd.DataFrame, outcomes: list[str], seed: int = 0
) -> pd.DataFrame:
    """Sobol (S1, ST) or Morris (mu_star, sigma) indices from a sweep run with design sobol/morris.

    The model output for each sample point is the mean over its replicates.
    """
    exp = manifest["experiment"]
    method = exp["design"]
    if method not in ("sobol", "morris"):
        raise ConfigError("design", method, "a sweep made with --method sobol or morris (seamig sensitivity)")
    names = list(exp["ranges"])
    problem = {"num_vars": len(names), "names": names, "bounds": [list(map(float, exp["ranges"][n])) for n in names]}
    means = runs.groupby("scenario_index", sort=True)
    X = means[names].first().to_numpy(dtype=float)
    rows = []
    for o in outcomes:
        Y = means[o].mean().to_numpy(dtype=float)
        if method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(problem, Y, calc_second_order=False, seed=seed)
            for i, n in enumerate(names):
                rows.append(
                    {"outcome": o, "parameter": n, "index": "S1", "value": res["S1"][i], "conf": res["S1_conf"][i]}
                )
                rows.append(
                    {"outcome": o, "parameter": n, "index": "ST", "value": res["ST"][i], "conf": res["ST_conf"][i]}
                )
        else:
            from SALib.analyze import morris

            res = morris.analyze(problem, X, Y, num_levels=4, seed=seed)
            for i, n in enumerate(names):
                rows.append(
                    {
                        "outcome": o,
                        "parameter": n,
                        "index": "mu_star",
                        "value": res["mu_star"][i],
                        "conf": res["mu_star_conf"][i],
                    }
                )
                rows.append({"outcome": o, "parameter": n, "index": "sigma", "value": res["sigma"][i], "conf": np.nan})
    return pd.DataFrame(rows)
