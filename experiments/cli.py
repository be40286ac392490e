"""The ``seamig`` command line.

Every user mistake (bad file, unknown key or name, value out of range) ends in one line on stderr
and exit code 2, before anything is written.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from model.errors import ConfigError, ConservationError, SeamigError

SUMMARY_ROWS = (
    ("departures", "People who left on a boat"),
    ("arrivals", "Landed in Europe (sea arrivals)"),
    ("legal_arrivals", "Arrived by a legal channel"),
    ("dead", "Dead (bodies recovered)"),
    ("missing", "Missing at sea"),
    ("mortality_per_departure", "Dead or missing per departure"),
    ("intercepted", "Intercepted and returned"),
    ("rescued", "Rescued at sea"),
    ("distress_cases", "Boats in distress"),
    ("disembarkation_requests", "Requests for a place of safety"),
    ("disembarkation_refusals", "Refusals"),
    ("ships_waited", "Ships that waited at sea for a port"),
    ("mean_wait_days", "Their mean wait (days)"),
    ("max_wait_days", "Longest wait at sea (days)"),
    ("medevacs", "Medical evacuations"),
    ("relocations", "Relocated after landing"),
)


def _fmt(v: object) -> str:
    if isinstance(v, float) and v != v:  # NaN: a mean over nothing (no ship waited)
        return "-"
    if isinstance(v, float):
        return f"{v:.4f}" if abs(v) < 1 else f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def summary_table(summary: dict) -> str:
    """A short plain-text table of the main outcomes."""
    width = max(len(label) for _, label in SUMMARY_ROWS)
    lines = [f"{label:<{width}}  {_fmt(summary[key]):>12}" for key, label in SUMMARY_ROWS]
    by_actor = ", ".join(f"{k} {v:,}" for k, v in summary["rescued_by_actor"].items())
    by_state = ", ".join(f"{k} {v:,}" for k, v in summary["arrivals_by_state"].items() if v)
    return "\n".join([*lines, f"{'Rescued by':<{width}}  {by_actor}", f"{'Landed in':<{width}}  {by_state}"])


def cmd_scenario_list(_args: argparse.Namespace) -> int:
    """``seamig scenario list``: names and descriptions of the built-in scenarios."""
    from model.scenarios import builtin_names, load

    for name in builtin_names():
        print(f"{name:<22} {load(name).description}")
    return 0


def cmd_scenario_show(args: argparse.Namespace) -> int:
    """``seamig scenario show NAME``: the complete scenario as TOML on stdout."""
    from model.scenarios import load, to_toml

    sys.stdout.write(to_toml(load(args.name)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """``seamig validate FILE``: exit 0 if the scenario file is valid (errors exit 2 in main)."""
    from model.scenarios import load

    s = load(args.file)
    print(f"{args.file}: valid scenario '{s.name}' ({s.world.days} days)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """``seamig run``: one run; validate everything first, then write outputs and the overview chart."""
    from experiments.charts import overview_figure
    from experiments.style import save_figure
    from model.engines import get_engine
    from model.scenarios import load

    scenario = load(args.scenario)
    if args.days is not None:
        if args.days < 1:
            raise ConfigError("--days", args.days, "an integer >= 1")
        scenario = scenario.with_overrides({"world.days": args.days})
    if args.seed < 0:
        raise ConfigError("--seed", args.seed, "an integer >= 0")
    engine = get_engine(args.engine)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ConfigError("--out", str(out), "a directory (or a path that does not exist yet)")
    t0 = time.perf_counter()
    result = engine.run(scenario, args.seed, progress=not args.quiet)
    wall = time.perf_counter() - t0
    with _publishing(out) as tmp:  # every file is written aside, then moved into --out together
        result.write(tmp)
        fig = overview_figure(result.daily, result.summary, f"Scenario {scenario.name}, {scenario.world.days} days from {scenario.world.start_date}; engine {args.engine}; one run, seed {args.seed}. seamig run")
        save_figure(fig, tmp / "overview")
    if not args.quiet:
        print(summary_table(result.summary))
        print(f"\n{scenario.world.days} days simulated in {wall:.1f} s; wrote {out}/summary.json, daily.csv, monthly.csv, yearly.csv, events.csv, overview.png/.svg")
    return 0


@contextlib.contextmanager
def _publishing(out: Path) -> Iterator[Path]:
    """A temporary folder beside ``out`` whose files are moved into ``out`` only if the block succeeds.

    A run's outputs land together or not at all: a failure while writing them (a chart, a full
    disk) leaves ``out`` as it was.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        if not out.exists():
            os.replace(tmp, out)
        else:
            for f in sorted(tmp.iterdir()):
                os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _experiment(args: argparse.Namespace):
    from experiments.spec import load_experiment

    exp = load_experiment(args.experiment)
    changes = {}
    if getattr(args, "replicates", None) is not None:
        changes["replicates"] = args.replicates
    if getattr(args, "days", None) is not None:
        changes["days"] = args.days
    if getattr(args, "samples", None) is not None:
        changes["samples"] = args.samples
    if getattr(args, "engine", None) is not None:
        changes["engine"] = args.engine
    return exp.with_changes(**changes) if changes else exp


def cmd_sweep(args: argparse.Namespace) -> int:
    """``seamig sweep``: run every scenario x replicate of an experiment into a resumable folder."""
    from experiments.sweep import sweep

    exp = _experiment(args)
    out = Path(args.out or f"results/{exp.name}")
    t0 = time.perf_counter()
    sweep(exp, out, executor=args.executor, workers=args.workers, scheduler=args.scheduler, resume=args.resume, progress=not args.quiet)
    if not args.quiet:
        print(f"{exp.name}: {len(exp.points())} scenarios x {exp.replicates} replicates on the {exp.engine} engine in {time.perf_counter() - t0:.0f} s; results and figures in {out}/")
        _print_summary(out)
        print(_next_steps(out))
    return 0


def _print_summary(folder: Path) -> None:
    """The means with intervals, one row per scenario (:func:`experiments.table.readable_table`)."""
    from experiments.analysis import factor_columns, load_results, summarize
    from experiments.table import readable_table

    manifest, runs, _, _ = load_results(folder, daily=False)
    exp = manifest["experiment"]
    table = summarize(runs, list(exp["outcomes"]), factor_columns(manifest), seed=exp["seed"])
    days = int(exp.get("days") or exp["base_scenario"]["world"]["days"]) if isinstance(exp.get("base_scenario"), dict) else None
    span = f" of {days:,} simulated days each" if days else ""
    print(f"\nMeans over {exp['replicates']} replicates{span}, with 95% bootstrap intervals [low, high]:\n")
    print(readable_table(table, list(exp["outcomes"]), row_label="Package" if "package" in runs.columns else "Scenario"))
    if "mean_wait_days" in exp["outcomes"]:
        print("Ships kept waiting: not let land in the hour they first asked. Their wait is the mean over them")
        print("only; a dash where no ship waited in any run.\n")


def _next_steps(folder: Path) -> str:
    """What to run next, after a sweep into ``folder``."""
    return f"Next:  seamig report {folder}      the findings, charts and assumptions as one HTML page\n       seamig summarize {folder}   this table and the differences from the baseline"


def cmd_summarize(args: argparse.Namespace) -> int:
    """``seamig summarize DIR``: means with intervals per scenario, and differences from the baseline."""
    from experiments.analysis import differences, factor_columns, load_results, summarize
    from experiments.table import label, readable_table

    folder = Path(args.dir)
    manifest, runs, _, _ = load_results(folder, daily=False)
    exp = manifest["experiment"]
    outcomes = args.outcomes.split(",") if args.outcomes else list(exp["outcomes"])
    summary = summarize(runs, outcomes, factor_columns(manifest), seed=exp["seed"])
    summary.to_csv(folder / "summary.csv", index=False)
    _print_summary(folder)
    if exp.get("baseline"):
        d = differences(runs, exp["baseline"], outcomes, factor_columns(manifest), seed=exp["seed"])
        d.to_csv(folder / "differences.csv", index=False)
        print(f"\nDifference from {label(exp['baseline'])} (paired by replicate), with 95% bootstrap intervals:\n")
        print(readable_table(d, outcomes, mean="diff_mean", signed=True, row_label="Package" if "package" in runs.columns else "Scenario"))
    print(f"\nwrote {folder}/summary.csv" + (f" and {folder}/differences.csv" if exp.get("baseline") else ""))
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """``seamig sensitivity EXPERIMENT --method sobol|morris``: SALib indices with intervals and a chart."""
    from experiments.sweep import sweep

    exp = _experiment(args)
    out = Path(args.out or f"results/{exp.name}_{args.method}")
    sweep(exp, out, executor=args.executor, workers=args.workers, scheduler=args.scheduler, resume=args.resume, progress=not args.quiet, method=args.method)
    if not args.quiet:
        import pandas as pd

        print(pd.read_csv(out / f"sensitivity_{args.method}.csv").to_string(index=False))
        print(f"\nwrote {out}/sensitivity_{args.method}.csv and figures/")
    return 0


def cmd_charts(args: argparse.Namespace) -> int:
    """``seamig charts DIR``: redraw a sweep's charts from its result files."""
    from experiments.figures import draw_all

    files = draw_all(args.dir)
    print(f"wrote {len(files)} files under {Path(args.dir) / 'figures'}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``seamig report DIR``: one self-contained HTML report of a sweep."""
    from experiments.report import write_report

    path = write_report(args.dir)
    print(f"wrote {path}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """``seamig dashboard``: the live solara dashboard on 127.0.0.1 (``--host`` to widen)."""
    from experiments.dashboard import serve

    serve(args.host, args.port)
    return 0


def cmd_case(args: argparse.Namespace) -> int:
    """``seamig case NAME``: replay one of the seed paper's rescue cases."""
    from experiments.cases import narrative, run_case, write_case

    case = run_case(args.name, args.framework, args.seed)
    out = Path(args.out or f"results/case_{args.name}" + (f"_{args.framework}" if args.framework else ""))
    write_case(case, out)
    if not args.quiet:
        print(narrative(case))
        print(f"wrote {out}/events.csv, narrative.md, summary.json, timeline.png/.svg")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """``seamig history DIR``: the model's months against the recorded months, with regime changes."""
    from experiments.history import draw_history

    files = draw_history(args.dir, observed=args.observed, out=args.out, scenario=args.scenario)
    print("wrote " + " and ".join(str(f) for f in files))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``seamig``."""
    p = argparse.ArgumentParser(prog="seamig", description="Agent-based policy simulation of mixed maritime migration (Central Mediterranean).")
    sub = p.add_subparsers(dest="command", required=True)
    sc = sub.add_parser("scenario", help="list or show scenarios")
    scs = sc.add_subparsers(dest="scenario_command", required=True)
    scs.add_parser("list", help="list built-in scenarios").set_defaults(func=cmd_scenario_list)
    show = scs.add_parser("show", help="print a scenario as complete TOML")
    show.add_argument("name", help="built-in scenario name or a TOML file")
    show.set_defaults(func=cmd_scenario_show)
    v = sub.add_parser("validate", help="check a scenario file (exit 0 if valid, 2 otherwise)")
    v.add_argument("file")
    v.set_defaults(func=cmd_validate)
    r = sub.add_parser("run", help="run one scenario once and write its outputs")
    r.add_argument("--scenario", default="central_med_2016", help="built-in name or TOML file (default central_med_2016)")
    r.add_argument("--engine", default="mesa", help="engine: mesa (default; the readable reference) or vector (arrays; for large populations)")
    r.add_argument("--seed", type=int, default=0, help="seed of the run (default 0)")
    r.add_argument("--days", type=int, default=None, help="override the scenario's number of days")
    r.add_argument("--out", default="results/run", help="output folder (default results/run)")
    r.add_argument("--quiet", action="store_true", help="no progress bar or table")
    r.set_defaults(func=cmd_run)

    def sweep_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("experiment", help="a named experiment (see experiments/*.toml) or an experiment file")
        sp.add_argument("--out", default=None, help="result folder (default results/<experiment>)")
        sp.add_argument("--executor", default="processes", choices=["serial", "processes", "dask"], help="where runs execute (default: processes on all local cores)")
        sp.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
        sp.add_argument("--scheduler", default=None, help="tcp://HOST:PORT of a running dask scheduler (with --executor dask); it must answer within 10 s")
        sp.add_argument("--replicates", type=int, default=None, help="override the experiment's replicates")
        sp.add_argument("--days", type=int, default=None, help="override the number of days simulated")
        sp.add_argument("--engine", default=None, help="override the experiment's engine: mesa or vector (replicates batched)")
        sp.add_argument("--resume", action="store_true", help="complete an interrupted sweep in --out")
        sp.add_argument("--quiet", action="store_true", help="no progress bar or tables")

    sw = sub.add_parser("sweep", help="run an experiment: every scenario x replicate, resumable")
    sweep_options(sw)
    sw.set_defaults(func=cmd_sweep)
    se = sub.add_parser("sensitivity", help="Sobol or Morris sensitivity indices (SALib) over the experiment's [ranges]")
    sweep_options(se)
    se.add_argument("--method", required=True, choices=["sobol", "morris"])
    se.add_argument("--samples", type=int, default=None, help="base sample size N (Sobol: N x (parameters + 2) runs; Morris: N trajectories)")
    se.set_defaults(func=cmd_sensitivity)
    sm = sub.add_parser("summarize", help="means with bootstrap intervals, and differences from the baseline")
    sm.add_argument("dir")
    sm.add_argument("--outcomes", default=None, help="comma-separated outcomes (default: the experiment's)")
    sm.set_defaults(func=cmd_summarize)
    rp = sub.add_parser("report", help="write DIR/report.html: findings, charts, scenarios, assumptions, provenance")
    rp.add_argument("dir")
    rp.set_defaults(func=cmd_report)
    db = sub.add_parser("dashboard", help="live dashboard in the browser at http://127.0.0.1:8765/")
    db.add_argument("--port", type=int, default=8765)
    db.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: loopback only)")
    db.set_defaults(func=cmd_dashboard)
    ca = sub.add_parser("case", help="replay a rescue case from the seed paper: elizabeth or francisco")
    ca.add_argument("name", help="elizabeth | francisco")
    ca.add_argument("--out", default=None, help="output folder (default results/case_<name>)")
    ca.add_argument("--framework", default=None, help="replay under none | ad_hoc | standing instead of the case's own arrangement")
    ca.add_argument("--seed", type=int, default=0)
    ca.add_argument("--quiet", action="store_true")
    ca.set_defaults(func=cmd_case)
    ch = sub.add_parser("charts", help="redraw a sweep's charts from its files")
    ch.add_argument("dir")
    ch.set_defaults(func=cmd_charts)
    hi = sub.add_parser("history", help="chart monthly landings and dead and missing, model against recorded months, with regime changes")
    hi.add_argument("dir", help="a `seamig run` folder or a sweep folder")
    hi.add_argument("--observed", default=None, help="recorded monthly CSV (default: UNHCR arrivals and IOM dead and missing, 2014-2017, shipped with seamig)")
    hi.add_argument("--out", default=None, help="output folder (default DIR/figures)")
    hi.add_argument("--scenario", default=None, help="scenario file or built-in name whose [[timeline]] marks the regime changes (default DIR/scenario.toml if present)")
    hi.set_defaults(func=cmd_history)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``seamig`` console command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConservationError:
        raise  # a bug in the model, not a user's mistake: keep the traceback
    except SeamigError as err:
        print(f"seamig: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
