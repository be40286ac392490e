"""Scenario discovery (PRIM) and robustness of policy packages across sampled futures.

:func:`prim` finds boxes (limits on a few inputs) in which a case of interest, e.g. "more than
3,000 dead and missing", is concentrated: the Patient Rule Induction Method of Friedman and Fisher
(1999), as used for scenario discovery by Bryant and Lempert (2010). From the whole input space it
*peels* repeatedly the slice (a share ``alpha`` of the points in the box, at the low or high end of
one input) whose removal raises the share of cases of interest in the box most, recording each box
on the *peeling trajectory*; the chosen box is then *pasted* (a limit widened again wherever that
raises the density). Each box is judged by

- coverage: the share of all cases of interest that lie in the box (how much it explains);
- density: the share of points in the box that are cases of interest (how sure it is);
- mass: the share of all points in the box.

Further boxes are found the same way among the points outside the earlier ones (covering).

:func:`robustness` compares policy packages across sampled futures (each future a point of a
Latin hypercube over the uncertainties, each package run in every future with the same seeds):
a package's regret in a future is how much worse it does there than the best package in that
future; the summary gives each package's mean outcome, mean and largest regret, and the share of
futures in which it is best.

Why not a library: the ``prim`` package on PyPI is GPL-3 (this project is MIT) and draws with
interactive matplotlib widgets; EMA Workbench's PRIM needs Python 3.12. This module is small,
deterministic and tested against synthetic cases whose box is known.

References:
    Friedman, J. H., Fisher, N. I. (1999). Bump hunting in high-dimensional data. Statistics and
    Computing 9, 123-143. doi:10.1023/A:1008894516817
    Bryant, B. P., Lempert, R. J. (2010). Thinking inside the box: a participatory,
    computer-assisted approach to scenario discovery. Technological Forecasting and Social Change
    77(1), 34-49. doi:10.1016/j.techfore.2009.08.002
    Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. Environmental Modelling & Software
    96, 239-250. doi:10.1016/j.envsoft.2017.06.054
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import ConfigError


@dataclass(frozen=True)
class Box:
    """One box: limits on the inputs and how well it captures the cases of interest.

    Attributes:
        limits: input name -> (low, high), inclusive, for every input (unrestricted ones span the data).
        restricted: the inputs whose limits are narrower than the range of the points the box was
            peeled from (all points for the first box; those outside earlier boxes for the others).
        coverage: share of all cases of interest inside the box.
        density: share of the points inside the box that are cases of interest.
        mass: share of all points inside the box.
        n: points inside the box.
    """

    limits: dict[str, tuple[float, float]]
    restricted: tuple[str, ...]
    coverage: float
    density: float
    mass: float
    n: int


@dataclass(frozen=True)
class PrimResult:
    """What :func:`prim` found.

    Attributes:
        boxes: the chosen boxes, first (most important) first; each later box was found among the
            points outside the earlier ones, its coverage counted against all cases of interest.
        trajectories: per box, its peeling trajectory (a table with ``step``, ``coverage``,
            ``density``, ``mass``, ``n``, ``restricted``), and ``chosen`` marking the step kept.
        cases: the number of cases of interest, and ``points`` the number of points.
    """

    boxes: list[Box]
    trajectories: list[pd.DataFrame] = field(repr=False)
    cases: int = 0
    points: int = 0


def _in_box(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.all((x >= lo) & (x <= hi), axis=1)


def _stats(y: np.ndarray, inside: np.ndarray, total_cases: int) -> tuple[float, float, float, int]:
    n = int(inside.sum())
    hits = int(y[inside].sum())
    return (hits / total_cases if total_cases else 0.0, hits / n if n else 0.0, n / y.size, n)


def _peel_candidates(x: np.ndarray, inside: np.ndarray, lo: np.ndarray, hi: np.ndarray, alpha: float):
    """Every (dimension, new low, new high) that peels about ``alpha`` of the box's points off one end."""
    xb = x[inside]
    k = max(1, math.floor(alpha * len(xb)))
    for j in range(x.shape[1]):
        v = np.sort(xb[:, j])
        if v[0] == v[-1]:
            continue
        low = v[k] if v[k] > v[0] else v[v > v[0]][0]  # ties: peel the whole lowest value
        yield j, low, hi[j]
        high = v[-1 - k] if v[-1 - k] < v[-1] else v[v < v[-1]][-1]
        yield j, lo[j], high


def _peel(x, y, inside0, alpha, min_mass):
    """The peeling trajectory from the box around ``inside0``: [(lo, hi), ...] with the first the whole box."""
    lo, hi = x[inside0].min(axis=0), x[inside0].max(axis=0)
    steps = [(lo.copy(), hi.copy())]
    n_all = y.size
    while True:
        inside = inside0 & _in_box(x, lo, hi)
        best = None
        for j, new_lo, new_hi in _peel_candidates(x, inside, lo, hi, alpha):
            cand_lo, cand_hi = lo.copy(), hi.copy()
            cand_lo[j], cand_hi[j] = new_lo, new_hi
            keep = inside & (x[:, j] >= new_lo) & (x[:, j] <= new_hi)
            n = int(keep.sum())
            if n == 0 or n / n_all < min_mass or n == inside.sum():
                continue
            score = (y[keep].mean(), n)  # highest density, then the larger box
            if best is None or score > best[0]:
                best = (score, cand_lo, cand_hi)
        if best is None:
            return steps
        lo, hi = best[1], best[2]
        steps.append((lo.copy(), hi.copy()))


def _paste(x, y, inside0, lo, hi, alpha):
    """Widen the box's limits one at a time while that raises its density."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        inside = inside0 & _in_box(x, lo, hi)
        density = y[inside].mean() if inside.any() else 0.0
        k = max(1, math.floor(alpha * inside.sum()))
        best = None
        for j in range(x.shape[1]):
            others = inside0 & np.all(np.delete((x >= lo) & (x <= hi), j, axis=1), axis=1)
            below = np.sort(x[others & (x[:, j] < lo[j]), j])[::-1]
            above = np.sort(x[others & (x[:, j] > hi[j]), j])
            for side, vals in (("lo", below), ("hi", above)):
                if not vals.size:
                    continue
                edge = vals[min(k, vals.size) - 1]
                cand_lo, cand_hi = lo.copy(), hi.copy()
                if side == "lo":
                    cand_lo[j] = edge
                else:
                    cand_hi[j] = edge
                keep = inside0 & _in_box(x, cand_lo, cand_hi)
                d = y[keep].mean()
                if d > density + 1e-12 and (best is None or d > best[0]):
                    best = (d, cand_lo, cand_hi)
        if best is None:
            return lo, hi
        lo, hi = best[1], best[2]


def prim(
    x: pd.DataFrame,
    y: np.ndarray | pd.Series,
    *,
    threshold: float = 0.8,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    max_boxes: int = 1,
    paste: bool = True,
) -> PrimResult:
    """Find boxes of the inputs ``x`` in which the cases of interest ``y`` are concentrated.

    Args:
        x: one row per point, one numeric column per input (booleans count as 0/1).
        y: per point, whether it is a case of interest.
        threshold: on each trajectory the box kept is the one with the largest coverage among
            those with at least this density (if none reaches it, the densest box).
        alpha: share of a box's points peeled (or pasted) in one step; 0.05 as in Friedman and Fisher.
        min_mass: peeling stops before a box would hold less than this share of all points.
        max_boxes: most boxes to find (covering); stops early when a box's density falls below
            ``threshold`` or no case of interest is left outside the boxes.
        paste: widen the kept box where that raises its density.

    Returns:
        A :class:`PrimResult`.

    Raises:
        ConfigError: for non-numeric inputs, no points, no case of interest or bad settings.
    """
    if not 0 < alpha < 0.5:
        raise ConfigError("alpha", alpha, "a share between 0 and 0.5")
    if not 0 <= min_mass < 1:
        raise ConfigError("min_mass", min_mass, "a share from 0 to below 1")
    if not 0 < threshold <= 1:
        raise ConfigError("threshold", threshold, "a density above 0 and up to 1")
    names = list(x.columns)
    bad = [c for c in names if not (pd.api.types.is_numeric_dtype(x[c]) or pd.api.types.is_bool_dtype(x[c]))]
    if bad:
        raise ConfigError("inputs", bad, "numeric inputs (give --inputs to choose them)")
    xa = x.to_numpy(dtype=float)
    ya = np.asarray(y, dtype=bool)
    if len(xa) == 0 or len(xa) != len(ya):
        raise ConfigError("points", len(xa), "one outcome per point, at least one point")
    total = int(ya.sum())
    if total == 0:
        raise ConfigError("outcome", "no case of interest", "a threshold that some points pass (--above or --below)")
    remaining = np.ones(len(ya), dtype=bool)
    boxes, trajectories = [], []
    for _ in range(max_boxes):
        if not ya[remaining].any():
            break
        steps = _peel(xa, ya, remaining, alpha, min_mass)
        data_lo, data_hi = steps[
            0
        ]  # restricted: narrower than the points this box was peeled from (not those of earlier boxes)
        rows = []
        for i, (lo, hi) in enumerate(steps):
            cov, dens, mass, n = _stats(ya, remaining & _in_box(xa, lo, hi), total)
            restricted = [names[j] for j in range(len(names)) if lo[j] > data_lo[j] or hi[j] < data_hi[j]]
            rows.append(
                {"step": i, "coverage": cov, "density": dens, "mass": mass, "n": n, "restricted": len(restricted)}
            )
        traj = pd.DataFrame(rows)
        good = traj[traj["density"] >= threshold]
        pick = (
            int(good.sort_values(["coverage", "density"], ascending=False).index[0])
            if len(good)
            else int(traj["density"].idxmax())
        )
        lo, hi = steps[pick]
        if paste:
            lo, hi = _paste(xa, ya, remaining, lo, hi, alpha)
        inside = remaining & _in_box(xa, lo, hi)
        cov, dens, mass, n = _stats(ya, inside, total)
        traj["chosen"] = traj["step"] == pick
        restricted = tuple(names[j] for j in range(len(names)) if lo[j] > data_lo[j] or hi[j] < data_hi[j])
        limits = {names[j]: (float(lo[j]), float(hi[j])) for j in range(len(names))}
        if boxes and dens < threshold:
            break
        boxes.append(Box(limits=limits, restricted=restricted, coverage=cov, density=dens, mass=mass, n=n))
        trajectories.append(traj)
        remaining &= ~inside
    return PrimResult(boxes=boxes, trajectories=trajectories, cases=total, points=len(ya))


def box_table(result: PrimResult, x: pd.DataFrame) -> pd.DataFrame:
    """One row per box and restricted input.

    The box's coverage, density, mass and the input's limits and range in the data.
    """
    rows = []
    for b, box in enumerate(result.boxes, start=1):
        for name in box.restricted or ("(none)",):
            lo, hi = box.limits.get(name, (np.nan, np.nan))
            dmin, dmax = (float(x[name].min()), float(x[name].max())) if name in x else (np.nan, np.nan)
            rows.append(
                {
                    "box": b,
                    "coverage": box.coverage,
                    "density": box.density,
                    "mass": box.mass,
                    "n": box.n,
                    "input": name,
                    "low": lo,
                    "high": hi,
                    "data_min": dmin,
                    "data_max": dmax,
                }
            )
    return pd.DataFrame(rows)


def threshold_value(values: pd.Series, text: str) -> float:
    """A threshold given as a number (``3000``) or as a percentile of ``values`` (``90%``)."""
    t = str(text).strip()
    try:
        if t.endswith("%"):
            q = float(t[:-1])
            if not 0 <= q <= 100:
                raise ValueError
            return float(np.percentile(values.to_numpy(dtype=float), q))
        v = float(t)
        if not math.isfinite(v):
            raise ValueError
        return v
    except ValueError:
        raise ConfigError("--above/--below", text, "a number (3000) or a percentile of the outcome (90%)") from None


# ------------------------------------------------------------------------------------ robustness


def robustness(
    table: pd.DataFrame, outcome: str, *, future: str = "future", package: str = "package", lower_is_better: bool = True
) -> pd.DataFrame:
    """Each package's performance across futures: mean, regret, and the share of futures in which it is best.

    Args:
        table: one row per (future, package) (replicates already averaged, or one row per run:
            rows of one future and package are averaged here).
        outcome: the column compared.
        future: the column naming the future.
        package: the column naming the package.
        lower_is_better: True for harms (dead and missing), False for goods (arrivals by legal channels).

    Returns:
        One row per package, best first (by mean regret): ``package``, ``futures`` (count),
        ``mean``, ``mean_regret``, ``max_regret``, ``p90_regret`` and ``share_best`` (ties share
        the future equally, so the shares sum to 1).

    Raises:
        ConfigError: for a missing column, or a package not run in every future.
    """
    for c in (future, package, outcome):
        if c not in table.columns:
            raise ConfigError("column", c, "a column of the results: " + ", ".join(map(str, table.columns[:12])))
    wide = table.groupby([future, package])[outcome].mean().unstack(package)
    if wide.isna().any().any():
        raise ConfigError(
            "packages",
            [p for p in wide.columns if wide[p].isna().any()],
            "packages run in every future (a design that crosses packages with sampled futures)",
        )
    v = wide.to_numpy(dtype=float)
    best = v.min(axis=1, keepdims=True) if lower_is_better else v.max(axis=1, keepdims=True)
    regret = (v - best) if lower_is_better else (best - v)
    is_best = np.isclose(regret, 0.0, rtol=0, atol=1e-12 * max(1.0, float(np.abs(v).max())))
    share = (is_best / is_best.sum(axis=1, keepdims=True)).mean(axis=0)
    out = pd.DataFrame(
        {
            "package": list(wide.columns),
            "futures": len(wide),
            "mean": v.mean(axis=0),
            "mean_regret": regret.mean(axis=0),
            "max_regret": regret.max(axis=0),
            "p90_regret": np.percentile(regret, 90, axis=0),
            "share_best": share,
        }
    )
    return out.sort_values(["mean_regret", "max_regret"]).reset_index(drop=True)


# ------------------------------------------------------------------------------- from a sweep


def _sampled_inputs(manifest: dict, runs: pd.DataFrame) -> list[str]:
    exp = manifest["experiment"]
    keys = list(exp.get("ranges") or {}) if exp.get("design") != "grid" else []
    if not keys:
        points = exp.get("points") or [{}]
        keys = [
            k
            for k in points[0].get("factors", {})
            if k != "package" and k in runs and pd.api.types.is_numeric_dtype(runs[k])
        ]
    return keys


def discovery_data(
    folder: str | Path, outcome: str, inputs: list[str] | None = None, package: str | None = None, per_run: bool = False
) -> tuple[dict, pd.DataFrame, pd.Series]:
    """(manifest, inputs, outcome) of a sweep.

    One row per design point (the outcome averaged over replicates), or per run.

    Inputs default to the experiment's sampled ``[ranges]`` (or its numeric factors).
    """
    from experiments.run.analysis import load_results

    manifest, runs, _, _ = load_results(folder, daily=False)
    if outcome not in runs.columns or not pd.api.types.is_numeric_dtype(runs[outcome]):
        known = sorted(
            c
            for c in runs.columns
            if "." not in c
            and pd.api.types.is_numeric_dtype(runs[c])
            and c not in ("scenario_index", "replicate", "seed")
        )
        raise ConfigError("--outcome", outcome, "an outcome of the sweep: " + ", ".join(known[:20]))
    keys = list(inputs) if inputs else _sampled_inputs(manifest, runs)
    if not keys:
        raise ConfigError(
            "--inputs", "", "comma-separated dotted keys (the experiment has no sampled [ranges] or numeric factors)"
        )
    for k in keys:
        if k not in runs.columns:
            raise ConfigError("--inputs", k, "dotted keys that are columns of the sweep's runs.parquet")
    if package is not None:
        if "package" not in runs.columns or package not in set(runs["package"]):
            raise ConfigError(
                "--package",
                package,
                "a package of the experiment: "
                + ", ".join(sorted(set(runs.get("package", pd.Series(dtype=str))) - {""})),
            )
        runs = runs[runs["package"] == package]
    if not per_run:
        runs = (
            runs.groupby("scenario_index", sort=True).agg({**{k: "first" for k in keys}, outcome: "mean"}).reset_index()
        )
    return manifest, runs[keys].reset_index(drop=True), runs[outcome].reset_index(drop=True)


def futures_table(folder: str | Path, outcome: str) -> tuple[dict, pd.DataFrame]:
    """A sweep's runs as (future, package, outcome) rows.

    Futures are the distinct points of its sampled ``[ranges]``.
    """
    from experiments.run.analysis import load_results

    manifest, runs, _, _ = load_results(folder, daily=False)
    exp = manifest["experiment"]
    if "package" not in runs.columns or runs["package"].nunique() < 2:
        raise ConfigError(
            "DIR",
            str(folder),
            "a sweep of two or more [packages] (design = 'lhs' with [ranges] tries each package "
            "in every sampled future)",
        )
    if outcome not in runs.columns or not pd.api.types.is_numeric_dtype(runs[outcome]):
        raise ConfigError("--outcome", outcome, "a numeric outcome column of the sweep's runs.parquet")
    keys = (
        list(exp.get("ranges") or {})
        if exp.get("design") == "lhs"
        else [k for k in (exp.get("points") or [{}])[0].get("factors", {}) if k != "package"]
    )
    if not keys:
        raise ConfigError(
            "DIR",
            str(folder),
            "a sweep whose packages are tried in several futures (design = 'lhs' with [ranges], or grid factors)",
        )
    table = runs[[*keys, "package", outcome]].copy()
    table["future"] = table.groupby(keys, sort=True).ngroup()
    return manifest, table


def plot_prim(result: PrimResult, x: pd.DataFrame, outcome_label: str, *, axes=None):
    """Left: the first box's peeling trajectory (coverage against density, kept box ringed). Right.

    Each box's limits.
    """
    from experiments.present.style import OKABE_ITO, figure

    if axes is None:
        _fig, axes = figure(1, 2, size=(14, 6.5))
    ax, bx = axes
    traj = result.trajectories[0]
    pts = ax.scatter(traj["coverage"], traj["density"], c=traj["restricted"], cmap="viridis", s=28, zorder=2)
    kept = result.boxes[0]
    ax.scatter(
        [kept.coverage],
        [kept.density],
        s=220,
        facecolors="none",
        edgecolors=OKABE_ITO["vermillion"],
        linewidths=2.5,
        zorder=3,
        label="box 1 (pasted)",
    )
    ax.set_xlabel("coverage (share of all cases of interest in the box)")
    ax.set_ylabel("density (share of the box that are cases)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title("Peeling trajectory")
    ax.legend(loc="lower left")
    ax.figure.colorbar(pts, ax=ax, label="inputs restricted")
    rows = [(b, name) for b, box in enumerate(result.boxes) for name in box.restricted]
    colours = [OKABE_ITO[c] for c in ("blue", "orange", "green", "purple", "sky")]
    for i, (b, name) in enumerate(rows):
        lo, hi = result.boxes[b].limits[name]
        dmin, dmax = float(x[name].min()), float(x[name].max())
        span = (dmax - dmin) or 1.0
        y = len(rows) - 1 - i
        bx.barh(y, 1.0, left=0, color="#eeeeee", height=0.6)
        bx.barh(
            y,
            (hi - lo) / span,
            left=(lo - dmin) / span,
            color=colours[b % len(colours)],
            height=0.6,
            label=f"box {b + 1}" if name == result.boxes[b].restricted[0] else None,
        )
        bx.text(-0.02, y, f"{lo:.3g}", ha="right", va="center", fontsize=11)
        bx.text(1.02, y, f"{hi:.3g}", ha="left", va="center", fontsize=11)
    bx.set_yticks(range(len(rows)), [f"{n}" for _, n in rows][::-1] if rows else [])
    bx.set_xlim(-0.15, 1.15)
    bx.set_xticks([0, 1], ["data min", "data max"])
    bx.set_title("Box limits (box: coloured; range sampled: grey)")
    if rows:
        bx.legend(loc="lower right")
    return axes


def plot_robustness(summary: pd.DataFrame, outcome_label: str, *, axes=None):
    """Left: share of futures in which each package is best. Right: its mean and largest regret."""
    from experiments.present.style import OKABE_ITO, figure

    if axes is None:
        _fig, axes = figure(1, 2, size=(14, 6))
    ax, bx = axes
    y = np.arange(len(summary))[::-1]
    ax.barh(y, summary["share_best"], color=OKABE_ITO["green"])
    ax.set_yticks(y, summary["package"])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of futures in which the package is best")
    ax.set_title("Best in how many futures")
    bx.barh(y + 0.2, summary["mean_regret"], height=0.4, color=OKABE_ITO["blue"], label="mean regret")
    bx.barh(y - 0.2, summary["max_regret"], height=0.4, color=OKABE_ITO["vermillion"], label="largest regret")
    bx.set_yticks(y, [""] * len(y))
    bx.set_xlabel(f"regret: {outcome_label} beyond the best package in the same future")
    bx.set_title("Regret")
    bx.legend(loc="lower right")
    return axes
