"""Likelihood-free calibration with ELFI's ABC-SMC, checkpointed after every round.

Why ELFI: its simulators take a whole batch of parameter sets at once, which is what the vectorised
engine does best (hundreds of runs stepped together); ABC-SMC needs no likelihood, which a model of
shipwrecks does not have; and ELFI continues an SMC from populations already drawn, which is how a
killed calibration resumes. pyabc runs one simulation per call, too slow here; history matching
would need an emulator we would have to build.

The round structure (ELFI's ``SMC`` with quantiles): round 0 draws ``population_size /
first_quantile`` parameter sets from the prior and keeps the closest ``population_size``; each
later round proposes around the last population, with a threshold at its ``quantile`` of distances,
until ``population_size`` are accepted. Batches are run one at a time, in order (ELFI's native
client), each spread over the workers by :class:`~experiments.calibrate.simulator.BatchSimulator`,
so a calibration is the same for any executor or worker count.

After each round the populations are written to ``DIR/checkpoint.pkl`` (plain arrays, replaced
atomically); ``--resume`` rebuilds them and lets ELFI go on from the next round with the same
sub-seeds, so a resumed calibration gives the posterior an uninterrupted one gives.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibrate.config import CalibrationConfig
from experiments.calibrate.simulator import BatchSimulator
from experiments.calibrate.summaries import layout, observed_raw, scaled
from model.errors import ConfigError

log = logging.getLogger(__name__)
CHECKPOINT = "checkpoint.pkl"
MANIFEST = "manifest.json"


class Stopped(Exception):
    """Raised (by tests) to stop a calibration after a checkpoint, as a kill would."""


def _elfi() -> Any:
    try:
        import elfi
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "calibrate", "elfi", "ELFI installed: pip install -e '.[calibrate]'", problem="missing package"
        ) from None
    return elfi


def prior_rvs(cfg: CalibrationConfig, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws from the priors (rows x parameters)."""
    cols = []
    for p in cfg.parameters:
        u = rng.random(n)
        if p.prior == "uniform":
            cols.append(p.lo + u * (p.hi - p.lo))
        else:
            cols.append(np.exp(np.log(p.lo) + u * np.log(p.hi / p.lo)))
    return np.column_stack(cols)


def run_seeds(seed: int, rows: np.ndarray) -> np.ndarray:
    """Each run's seed, from the calibration's seed and the run's parameter values.

    Not from ELFI's batch numbers, which restart when a calibration resumes: a parameter set gets
    the same run whether the calibration was interrupted or not.
    """
    rows = np.ascontiguousarray(rows, dtype=np.float64)
    return np.array(
        [
            np.random.SeedSequence([seed, *r.view(np.uint64).tolist()]).generate_state(1, dtype=np.uint32)[0]
            for r in rows
        ],
        dtype=np.int64,
    )


def build_model(cfg: CalibrationConfig, sim: Callable[[np.ndarray, Any], np.ndarray], observed: np.ndarray) -> Any:
    """The ELFI graph: priors p0..pk, the batched simulator of scaled summaries, and their Euclidean distance."""
    elfi = _elfi()
    m = elfi.new_model()
    priors = []
    for i, p in enumerate(cfg.parameters):
        if p.prior == "uniform":
            priors.append(elfi.Prior("uniform", p.lo, p.hi - p.lo, model=m, name=f"p{i}"))
        else:
            priors.append(elfi.Prior("loguniform", p.lo, p.hi, model=m, name=f"p{i}"))

    def simulator(*params: np.ndarray, batch_size: int = 1, random_state: Any = None) -> np.ndarray:
        rows = np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), (batch_size,)) for v in params])
        return sim(rows, run_seeds(cfg.seed, rows))

    s = elfi.Simulator(simulator, *priors, observed=observed[None, :], model=m, name="summaries")
    elfi.Distance("euclidean", s, model=m, name="d")
    return m


def _plain(pop: Any) -> dict[str, Any]:
    """An ELFI population as plain arrays and numbers (picklable, rebuilt by :func:`_sample`)."""
    return {
        "method_name": pop.method_name,
        "outputs": {k: np.asarray(v) for k, v in pop.outputs.items()},
        "parameter_names": list(pop.parameter_names),
        "discrepancy_name": pop.discrepancy_name,
        "weights": np.asarray(pop.weights),
        "means": np.asarray(pop.means),
        "meta": {k: (np.asarray(v) if isinstance(v, np.ndarray) else v) for k, v in pop.meta.items()},
    }


def _sample(d: dict[str, Any]) -> Any:
    from elfi.methods.results import Sample

    s = Sample(d["method_name"], d["outputs"], d["parameter_names"], d["discrepancy_name"], d["weights"], **d["meta"])
    s.means = d["means"]
    return s


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def versions() -> dict[str, str]:
    """Versions of Python and the libraries that shape the result."""
    import platform
    from importlib import metadata

    out = {"python": platform.python_version()}
    for pkg in ("seamig", "numpy", "numba", "scipy", "pandas", "elfi", "mesa"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


@functools.cache
def commit() -> str:
    """The git commit of the code, with ``+dirty`` if it has uncommitted changes ("" outside a checkout).

    Read once, when this module is loaded: a long calibration (or four, leaving years out) keeps the
    code it started with even if the checkout moves meanwhile.
    """
    import subprocess

    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+dirty" if dirty else "")


commit()  # (at load time: see its docstring)


def _prepare(out: Path, cfg: CalibrationConfig, resume: bool) -> list[dict[str, Any]]:
    """The folder ready to write into; the populations of a calibration to resume (empty for a new one)."""
    manifest = out / MANIFEST
    if out.exists() and any(out.iterdir()):
        if not resume:
            raise ConfigError(
                "--out", str(out), "an empty or new folder (or --resume to continue the calibration in it)"
            )
        if not manifest.exists():
            raise ConfigError(
                "--out", str(out), "a calibration folder (it has no manifest.json)", problem="cannot resume"
            )
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if old.get("digest") != cfg.digest():
            raise ConfigError(
                "--resume", str(out), "the same calibration file it was started with", problem="different settings in"
            )
        ck = out / CHECKPOINT
        return pickle.loads(ck.read_bytes()) if ck.exists() else []
    out.mkdir(parents=True, exist_ok=True)
    return []


def calibrate(
    cfg: CalibrationConfig,
    out: str | Path,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    predictive_runs: int = 100,
    stop_after_round: int | None = None,
    observed: np.ndarray | None = None,
) -> Path:
    """Calibrate ``cfg`` into folder ``out``; returns the folder.

    ``observed``: raw summaries to fit instead of the record (a simulation-based check fits data
    the model made). ``predictive_runs``: posterior draws run month by month for the predictive
    check (0: none). ``stop_after_round``: stop (raise :class:`Stopped`) once that round is
    checkpointed, as a kill would (for tests).
    """
    elfi = _elfi()
    out = Path(out)
    if executor == "dask" and scheduler:
        from experiments.run.sweep import connect

        connect(scheduler).close()  # a wrong address fails before the folder is touched
    base = cfg.base_scenario()
    lay = layout(cfg, base.world.start_date, base.world.days, observed=observed is None)
    obs_raw = observed_raw(lay) if observed is None else np.asarray(observed, dtype=float)
    if obs_raw.shape != (len(lay),):
        raise ValueError(f"observed: {obs_raw.shape} values for {len(lay)} summaries")
    saved = _prepare(out, cfg, resume)
    m = cfg.method
    quantiles = [m.first_quantile] + [m.quantile] * (m.rounds - 1)
    started = time.time()
    before = sum(float(x.get("seconds", 0.0)) for x in saved)  # (a resumed calibration: the rounds' time so far)
    manifest = {
        "name": cfg.name,
        "digest": cfg.digest(),
        "config": cfg.resolved(),
        "config_text": cfg.source,
        "seed": cfg.seed,
        "commit": commit(),
        "versions": versions(),
        "engine": "vector",
        "summaries": lay.labels,
        "summary_errors": list(lay.scale),
        "observed": obs_raw.tolist(),
        "observed_from": "record" if observed is None else "given (simulated)",
        "status": "running",
    }
    _write_atomic(out / MANIFEST, json.dumps(manifest, indent=2, default=str).encode())
    elfi.set_client("native")
    with BatchSimulator(base, cfg.keys, lay, executor, workers, scheduler) as sim:
        sim.run_years = sum(float(x.get("run_years", 0.0)) for x in saved)

        def simulate(rows: np.ndarray, seeds: np.ndarray) -> np.ndarray:
            return scaled(sim(rows, seeds), lay)

        model = build_model(cfg, simulate, scaled(obs_raw, lay))
        smc = elfi.SMC(model["d"], batch_size=m.batch_size, seed=cfg.seed, max_parallel_batches=1)
        smc.bar = False  # (our own bar counts rounds)
        smc._populations = [_sample(d) for d in saved]
        # the batches and simulations of the rounds done count towards the objective, as if never interrupted
        smc.state["n_batches"] = sum(int(d["meta"]["n_batches"]) for d in saved)
        smc.state["n_sim"] = sum(int(d["meta"]["n_sim"]) for d in saved)
        todo = quantiles[len(saved) :]
        status = "complete"
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=m.rounds, initial=len(saved), unit="round", desc=f"calibrate {cfg.name}")
        if todo:
            smc.set_objective(m.population_size, quantiles=todo)
            while not smc.finished:
                smc.iterate()
                if len(smc._populations) > len(saved):
                    saved = _checkpoint(out, smc, saved, sim.run_years, before + time.time() - started)
                    if bar is not None:
                        bar.update(1)
                    if stop_after_round is not None and len(saved) >= stop_after_round + 1:
                        raise Stopped(f"stopped after round {stop_after_round}")
                if sim.run_years >= m.max_run_years and not smc.finished:
                    status = f"stopped at the budget ({m.max_run_years:,} run-years) in round {len(saved)}"
                    log.warning("calibration %s: %s; the last complete population is the posterior", cfg.name, status)
                    break
            if status == "complete":
                smc.extract_result()
                saved = _checkpoint(out, smc, saved, sim.run_years, before + time.time() - started)
                if bar is not None:
                    bar.update(1)
        if bar is not None:
            bar.close()
        if not saved:
            raise ConfigError(
                "method.max_run_years", m.max_run_years, "a budget that completes the first round", problem="too small"
            )
        post = posterior_table(cfg, saved[-1])
        _write_parquet(out / "posterior.parquet", post)
        _write_parquet(out / "populations.parquet", populations_table(cfg, saved))
        diag = diagnostics(saved, m.population_size)
        _write_parquet(out / "diagnostics.parquet", diag)
        table = parameter_table(cfg, post)
        table.to_csv(out / "parameters.csv", index=False)
        (out / "parameters.md").write_text(parameter_markdown(table), encoding="utf-8")
        if predictive_runs > 0:
            pred = predictive(cfg, post, sim, predictive_runs)
            pred.to_parquet(out / "predictive_monthly.parquet", index=False)
            if observed is None:  # the fit of each year fitted, against the record
                from experiments.calibrate.checks import markdown, prediction_rows

                fit = pd.DataFrame([row for year in cfg.years for row in prediction_rows(pred, year)])
                fit.to_csv(out / "fit_by_year.csv", index=False)
                (out / "fit_by_year.md").write_text(markdown(fit, "year fitted"), encoding="utf-8")
    manifest.update(
        status=status,
        rounds=len(saved),
        run_years=round(sim.run_years, 1),
        seconds=round(before + time.time() - started, 1),
        parameters={f"p{i}": k for i, k in enumerate(cfg.keys)},
    )
    _write_atomic(out / MANIFEST, json.dumps(manifest, indent=2, default=str).encode())
    return out


def _checkpoint(
    out: Path, smc: Any, saved: list[dict[str, Any]], run_years: float, seconds: float
) -> list[dict[str, Any]]:
    """Write every population so far (plain arrays), each with the run-years and seconds its round took."""
    pops = list(saved)
    for pop in smc._populations[len(saved) :]:
        d = _plain(pop)
        d["run_years"] = run_years - sum(float(x["run_years"]) for x in pops)
        d["seconds"] = seconds - sum(float(x.get("seconds", 0.0)) for x in pops)
        pops.append(d)
    _write_atomic(out / CHECKPOINT, pickle.dumps(pops))
    return pops


def _write_parquet(path: Path, table: pd.DataFrame) -> None:
    tmp = path.with_name(path.name + ".tmp")
    table.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def posterior_table(cfg: CalibrationConfig, pop: dict[str, Any]) -> pd.DataFrame:
    """The last population: one row per sample, a column per parameter (dotted key), its weight and distance."""
    w = np.asarray(pop["weights"], dtype=float)
    table = pd.DataFrame({k: np.asarray(pop["outputs"][f"p{i}"], dtype=float) for i, k in enumerate(cfg.keys)})
    table["weight"] = w / w.sum()
    table["distance"] = np.asarray(pop["outputs"]["d"], dtype=float)
    return table


def populations_table(cfg: CalibrationConfig, pops: list[dict[str, Any]]) -> pd.DataFrame:
    """Every round's population, with its round and threshold."""
    parts = []
    for r, pop in enumerate(pops):
        t = posterior_table(cfg, pop)
        t.insert(0, "round", r)
        t["threshold"] = float(pop["meta"].get("threshold", np.nan))
        parts.append(t)
    return pd.concat(parts, ignore_index=True)


def diagnostics(pops: list[dict[str, Any]], population_size: int) -> pd.DataFrame:
    """Per round: threshold, simulations, acceptance, effective sample size, run-years, seconds, median distance.

    (Rounds checkpointed before the rounds' seconds were kept have NaN there.)
    """
    rows = []
    for r, pop in enumerate(pops):
        w = np.asarray(pop["weights"], dtype=float)
        n_sim = int(pop["meta"].get("n_sim", 0))
        rows.append(
            {
                "round": r,
                "threshold": float(pop["meta"].get("threshold", np.nan)),
                "simulations": n_sim,
                "acceptance_rate": population_size / n_sim if n_sim else np.nan,
                "effective_sample_size": float(w.sum() ** 2 / (w**2).sum()),
                "run_years": float(pop["run_years"]),
                "seconds": float(pop.get("seconds", np.nan)),
                "median_distance": float(np.median(pop["outputs"]["d"])),
            }
        )
    return pd.DataFrame(rows)


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``x`` weighted by ``w`` (interpolated on the weights' cumulative midpoints)."""
    order = np.argsort(x)
    x, w = np.asarray(x, dtype=float)[order], np.asarray(w, dtype=float)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cum, x))


def parameter_table(cfg: CalibrationConfig, post: pd.DataFrame) -> pd.DataFrame:
    """Each parameter: its prior, its default in the scenario, the posterior median and 90% interval."""
    from model.fields import flatten

    base = flatten(cfg.base_scenario().to_dict())
    rows = []
    for p in cfg.parameters:
        x, w = post[p.key].to_numpy(), post["weight"].to_numpy()
        rows.append(
            {
                "parameter": p.key,
                "prior": f"{p.prior} [{p.lo:g}, {p.hi:g}]",
                "default": base.get(p.key, np.nan),
                "median": weighted_quantile(x, w, 0.5),
                "q05": weighted_quantile(x, w, 0.05),
                "q95": weighted_quantile(x, w, 0.95),
            }
        )
    return pd.DataFrame(rows)


def parameter_markdown(table: pd.DataFrame) -> str:
    """The parameter table in Markdown."""
    out = ["| parameter | prior | scenario default | posterior median | 90% interval |", "|---|---|---|---|---|"]
    for r in table.itertuples():
        out.append(f"| `{r.parameter}` | {r.prior} | {r.default:.4g} | {r.median:.4g} | {r.q05:.4g} - {r.q95:.4g} |")
    return "\n".join(out) + "\n"


def resample(post: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` posterior draws, resampled by weight with a generator seeded from ``seed`` (row order kept stable)."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(post), size=n, replace=True, p=post["weight"].to_numpy())
    return post.iloc[idx].reset_index(drop=True)


def predictive(cfg: CalibrationConfig, post: pd.DataFrame, sim: BatchSimulator, n: int) -> pd.DataFrame:
    """Posterior predictive months: ``n`` draws, each run once; one row per draw and month."""
    draws = resample(post, n, cfg.seed)
    seeds = np.random.default_rng([cfg.seed, 1]).integers(0, 2**31 - 1, size=n)
    return sim.monthly(draws[list(cfg.keys)].to_numpy(), seeds)


def read_posterior(folder: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A calibration folder's posterior samples and manifest; ConfigError if it is not a finished calibration."""
    folder = Path(folder)
    manifest, post = folder / MANIFEST, folder / "posterior.parquet"
    if not manifest.exists() or not post.exists():
        raise ConfigError(
            "posterior", str(folder), "a folder written by `seamig calibrate` (manifest.json and posterior.parquet)"
        )
    return pd.read_parquet(post), json.loads(manifest.read_text(encoding="utf-8"))
