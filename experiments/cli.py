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

from experiments.run import budget
from experiments.run.paths import input_file, output_folder, result_folder
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
    """``seamig validate FILE``: exit 0 if the scenario or experiment file is valid (errors exit 2 in main)."""
    from experiments.run.spec import is_experiment_file, load_experiment
    from model.scenarios import load

    if is_experiment_file(args.file):
        exp = load_experiment(args.file)
        from experiments.run.budget import sweep_estimate

        print(
            f"{args.file}: valid experiment '{exp.name}' ({exp.scenario_count():,} scenarios x "
            f"{exp.replicates} replicates: {sweep_estimate(exp).text()})"
        )
        return 0
    s = load(args.file)
    print(f"{args.file}: valid scenario '{s.name}' ({s.world.days} days)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """``seamig run``: one run; validate everything first, then write outputs and the overview chart."""
    from experiments.present.charts import overview_figure
    from experiments.present.style import save_figure
    from model.engines import get_engine
    from model.scenarios import load

    scenario = load(args.scenario)
    if args.days is not None:
        if args.days < 1:
            raise ConfigError("--days", args.days, "an integer >= 1")
        scenario = scenario.with_overrides({"world.days": args.days})
    _seed(args.seed)
    engine = get_engine(args.engine)
    out = output_folder("--out", args.out)
    budget.check(budget.run_estimate(scenario, args.engine), args.yes, "--scenario")
    t0 = time.perf_counter()
    result = engine.run(scenario, args.seed, progress=not args.quiet)
    wall = time.perf_counter() - t0
    with _publishing(out) as tmp:  # every file is written aside, then moved into --out together
        result.write(tmp)
        fig = overview_figure(
            result.daily,
            result.summary,
            f"Scenario {scenario.name}, {scenario.world.days} days from {scenario.world.start_date}; "
            f"engine {args.engine}; one run, seed {args.seed}. seamig run",
        )
        save_figure(fig, tmp / "overview")
    if not args.quiet:
        print(summary_table(result.summary))
        print(
            f"\n{scenario.world.days} days simulated in {wall:.1f} s; wrote {out}/summary.json, "
            "daily.csv, monthly.csv, yearly.csv, events.csv, overview.png/.svg"
        )
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


def _seed(seed: int) -> None:
    """Seeds are what numpy's SeedSequence takes and the result tables hold: 0 to 2**63 - 1."""
    if not 0 <= seed < 2**63:
        raise ConfigError("--seed", seed, "an integer from 0 to 2**63 - 1")


def _experiment(args: argparse.Namespace):
    from experiments.run.spec import load_experiment

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


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``seamig calibrate``: ABC-SMC calibration against the 2014-2017 record, resumable; then its charts."""
    from experiments.calibrate.config import load_config
    from experiments.calibrate.holdout import leave_one_year_out
    from experiments.calibrate.smc import calibrate
    from experiments.present.calibration_charts import draw_calibration

    cfg = load_config(args.config)
    if args.predictive_runs < 0:
        raise ConfigError("--predictive-runs", args.predictive_runs, "an integer >= 0")
    if args.hold_out is not None and args.leave_one_year_out:
        raise ConfigError("--hold-out", args.hold_out, "either --hold-out YEAR or --leave-one-year-out, not both")
    if args.hold_out is not None:
        cfg = cfg.holding_out(args.hold_out)
    out = output_folder("--out", args.out or f"results/calibration_{cfg.name}")
    t0 = time.perf_counter()
    opts = dict(
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        progress=not args.quiet,
        predictive_runs=args.predictive_runs,
    )
    if args.leave_one_year_out:
        table = leave_one_year_out(cfg, out, **opts)
        for year in cfg.years:
            draw_calibration(out / f"without_{year}")
        if not args.quiet:
            from experiments.calibrate.checks import markdown

            print(markdown(table, "year left out"))
    else:
        calibrate(cfg, out, resume=args.resume, **opts)
        draw_calibration(out)
        if not args.quiet:
            print((out / "parameters.md").read_text(encoding="utf-8"))
    if not args.quiet:
        print(f"{cfg.name}: calibrated in {time.perf_counter() - t0:.0f} s; results and figures in {out}/")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """``seamig sweep``: run every scenario x replicate of an experiment into a resumable folder."""
    from experiments.present.figures import draw_all
    from experiments.run.sweep import sweep

    exp = _experiment(args)
    out = output_folder("--out", args.out or f"results/{exp.name}")
    t0 = time.perf_counter()
    sweep(
        exp,
        out,
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=not args.quiet,
        yes=args.yes,
        then=draw_all,
    )
    if not args.quiet:
        print(
            f"{exp.name}: {len(exp.points())} scenarios x {exp.replicates} replicates on the {exp.engine} "
            f"engine in {time.perf_counter() - t0:.0f} s; results and figures in {out}/"
        )
        _print_summary(out)
        print(_next_steps(out))
    return 0


def _print_summary(folder: Path) -> None:
    """The means with intervals, one row per scenario (:func:`experiments.present.table.readable_table`)."""
    from experiments.present.table import readable_table
    from experiments.run.analysis import factor_columns, load_results, summarize

    manifest, runs, _, _ = load_results(folder, daily=False)
    exp = manifest["experiment"]
    table = summarize(runs, list(exp["outcomes"]), factor_columns(manifest), seed=exp["seed"])
    days = (
        int(exp.get("days") or exp["base_scenario"]["world"]["days"])
        if isinstance(exp.get("base_scenario"), dict)
        else None
    )
    span = f" of {days:,} simulated days each" if days else ""
    print(f"\nMeans over {exp['replicates']} replicates{span}, with 95% bootstrap intervals [low, high]:\n")
    print(
        readable_table(table, list(exp["outcomes"]), row_label="Package" if "package" in runs.columns else "Scenario")
    )
    if "mean_wait_days" in exp["outcomes"]:
        print("Ships kept waiting: not let land in the hour they first asked. Their mean wait is over them")
        print("only; a dash where no ship waited in any run.\n")
    if any(
        dict(c).get("kind") == "by_state" for c in (exp.get("charts") or {}).values()
    ):  # burden by state (experiments/present/burden.py)
        from experiments.present.burden import burden_text

        print("Burden by state (means; EUR in millions; contributions paid +, received -):\n")
        print(burden_text(runs) + "\n")


def _next_steps(folder: Path) -> str:
    """What to run next, after a sweep into ``folder``."""
    return (
        f"Next:  seamig report {folder}      the findings, charts and assumptions as one HTML "
        f"page\n       seamig summarize {folder}   this table and the differences from the "
        "baseline"
    )


def cmd_summarize(args: argparse.Namespace) -> int:
    """``seamig summarize DIR``: means with intervals per scenario, and differences from the baseline."""
    from experiments.present.table import label, readable_table
    from experiments.run.analysis import differences, factor_columns, load_results, summarize

    folder = result_folder("DIR", args.dir)
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
        print(
            readable_table(
                d,
                outcomes,
                mean="diff_mean",
                signed=True,
                row_label="Package" if "package" in runs.columns else "Scenario",
            )
        )
    print(f"\nwrote {folder}/summary.csv" + (f" and {folder}/differences.csv" if exp.get("baseline") else ""))
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """``seamig sensitivity EXPERIMENT --method sobol|morris``: SALib indices with intervals and a chart."""
    from experiments.present.figures import draw_all
    from experiments.run.sweep import sweep

    exp = _experiment(args)
    out = output_folder("--out", args.out or f"results/{exp.name}_{args.method}")
    sweep(
        exp,
        out,
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=not args.quiet,
        method=args.method,
        yes=args.yes,
        then=draw_all,
    )
    if not args.quiet:
        import pandas as pd

        print(pd.read_csv(out / f"sensitivity_{args.method}.csv").to_string(index=False))
        print(f"\nwrote {out}/sensitivity_{args.method}.csv and figures/")
    return 0


def cmd_charts(args: argparse.Namespace) -> int:
    """``seamig charts DIR``: redraw a sweep's charts from its result files."""
    from experiments.present.figures import draw_all

    files = draw_all(result_folder("DIR", args.dir))
    print(f"wrote {len(files)} files under {Path(args.dir) / 'figures'}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``seamig report DIR``: one self-contained HTML report of a sweep."""
    from experiments.present.report import write_report

    path = write_report(result_folder("DIR", args.dir))
    print(f"wrote {path}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """``seamig dashboard``: the live solara dashboard on 127.0.0.1 (``--host`` to widen)."""
    from experiments.present.dashboard import serve

    serve(args.host, args.port)
    return 0


def cmd_case(args: argparse.Namespace) -> int:
    """``seamig case NAME``: replay one of the seed paper's rescue cases."""
    from experiments.present.cases import narrative, run_case, write_case

    _seed(args.seed)
    out = output_folder(
        "--out", args.out or f"results/case_{args.name}" + (f"_{args.framework}" if args.framework else "")
    )
    case = run_case(args.name, args.framework, args.seed, tow=not args.no_tow)
    write_case(case, out)
    if not args.quiet:
        print(narrative(case))
        print(f"wrote {out}/events.csv, narrative.md, summary.json, timeline.png/.svg")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """``seamig history DIR``: the model's months against the recorded months, with regime changes."""
    from experiments.present.history import draw_history

    observed = input_file("--observed", args.observed) if args.observed is not None else None
    out = output_folder("--out", args.out) if args.out is not None else None
    files = draw_history(result_folder("DIR", args.dir), observed=observed, out=out, scenario=args.scenario)
    print("wrote " + " and ".join(str(f) for f in files))
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """``seamig params [WORD ...]``: levers and uncertainties with unit, bounds, default and source."""
    from experiments.params_cli import main as params_main
    from model.scenarios import load

    return params_main(args.words, load(args.scenario), as_json=args.json)


def _num(v: float, signed: bool = False) -> str:
    """A readable number: thousands separators for counts, three significant digits for rates."""
    if v != v:  # NaN: no interval from one run
        return "n/a"
    sign = "+" if signed else ""
    return f"{v:{sign},.0f}" if abs(v) >= 100 else f"{v:{sign}.3g}"


def _pct(v: float) -> str:
    return f"{100 * v:.0f}%"


def cmd_discover(args: argparse.Namespace) -> int:
    """``seamig discover DIR --outcome X --above Q``: PRIM boxes of the inputs where the outcome passes Q."""
    import pandas as pd

    from experiments.present.discovery import box_table, discovery_data, plot_prim, prim, threshold_value
    from experiments.present.style import caption, save_figure

    folder = Path(args.dir)
    inputs = [k.strip() for k in args.inputs.split(",") if k.strip()] if args.inputs else None
    manifest, x, y = discovery_data(folder, args.outcome, inputs, args.package, args.per_run)
    side, text = ("above", args.above) if args.above is not None else ("below", args.below)
    q = threshold_value(y, text)
    cases = (y > q) if side == "above" else (y < q)
    result = prim(x, cases, threshold=args.threshold, alpha=args.alpha, min_mass=args.min_mass, max_boxes=args.boxes)
    exp = manifest["experiment"]
    unit = "runs" if args.per_run else "design points"
    what = f"{args.outcome} {side} {_num(q)}" + (f" ({text} of {unit})" if str(text).strip().endswith("%") else "")
    name = f"prim_{args.outcome}_{side}"
    traj = pd.concat([t.assign(box=i + 1) for i, t in enumerate(result.trajectories)], ignore_index=True)
    with _publishing(folder / "discover") as tmp:
        box_table(result, x).to_csv(tmp / f"{name}_boxes.csv", index=False)
        traj.to_csv(tmp / f"{name}_trajectory.csv", index=False)
        axes = plot_prim(result, x, args.outcome)
        caption(
            axes[0].figure,
            f"Experiment {exp['name']}: PRIM on {len(x)} {unit}, cases {what}; alpha {args.alpha}, "
            f"density threshold {args.threshold}. seamig discover",
        )
        save_figure(axes[0].figure, tmp / name)
    print(
        f"Cases of interest: {what}: {result.cases:,} of {result.points:,} {unit} ({_pct(result.cases / result.points)}"
        ")."
    )
    for b, box in enumerate(result.boxes, start=1):
        print(
            f"\nBox {b}: coverage {_pct(box.coverage)}, density {_pct(box.density)}, {box.n:,} "
            f"{unit} ({_pct(box.mass)} of all)"
        )
        for k in box.restricted or ():
            lo, hi = box.limits[k]
            print(
                f"  {k}\n      {_num(lo)} to {_num(hi)}   (sampled {_num(float(x[k].min()))}"
                f" to {_num(float(x[k].max()))}"
                ")"
            )
        if not box.restricted:
            print("  (no input restricted: the cases are spread over the whole space)")
    print(f"\nwrote into {folder}/discover/:\n  {name}_boxes.csv\n  {name}_trajectory.csv\n  {name}.png and .svg")
    return 0


def cmd_robustness(args: argparse.Namespace) -> int:
    """``seamig robustness DIR --outcome X``: each package's regret and share of futures in which it is best."""
    from experiments.present.discovery import futures_table, plot_robustness, robustness
    from experiments.present.style import caption, save_figure
    from experiments.present.vocabulary import better as better_direction

    folder = Path(args.dir)
    manifest, table = futures_table(folder, args.outcome)
    if args.higher_is_better is None:
        args.higher_is_better = better_direction(args.outcome) == "higher"
    summary = robustness(table, args.outcome, lower_is_better=not args.higher_is_better)
    exp = manifest["experiment"]
    name = f"robustness_{args.outcome}"
    with _publishing(folder / "discover") as tmp:
        summary.to_csv(tmp / f"{name}.csv", index=False)
        axes = plot_robustness(summary, args.outcome)
        better = "higher" if args.higher_is_better else "lower"
        caption(
            axes[0].figure,
            f"Experiment {exp['name']}: {len(summary)} packages in {int(summary['futures'].iloc[0])} "
            f"futures, {exp['replicates']} replicates each (means); {args.outcome}, {better} is "
            "better. seamig robustness",
        )
        save_figure(axes[0].figure, tmp / name)
    futures = int(summary["futures"].iloc[0])
    print(f"{args.outcome} ({'higher' if args.higher_is_better else 'lower'} is better) across {futures:,} futures.")
    print("Regret: how much worse than the best package in the same future (means over replicates).\n")
    width = max(7, *(len(p) for p in summary["package"]))
    print(
        f"{'package':<{width}}  {'mean':>10}  {'mean regret':>11}  {'max regret':>10}  {'p90 regret':>10} "
        f" {'best in':>7}"
    )
    for r in summary.itertuples():
        print(
            f"{r.package:<{width}}  {_num(r.mean):>10}  {_num(r.mean_regret):>11}  {_num(r.max_regret):>10} "
            f" {_num(r.p90_regret):>10}  {_pct(r.share_best):>7}"
        )
    print(f"\nwrote into {folder}/discover/:\n  {name}.csv\n  {name}.png and .svg")
    return 0


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Shows an option's default after its help, unless the help already says it or there is none to show.

    An option whose default is None or false (a flag, "the experiment's own value") explains in its
    help what happens when it is not given, instead of a bare "(default: None)".
    """

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        empty = (
            action.default is None
            or action.default is False
            or action.default == []
            or action.default is argparse.SUPPRESS
        )
        if empty or "default" in text:
            return text
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """An argument parser (and every sub-parser it makes) that shows defaults in the help."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``seamig``: every argument has a help text, and every default is shown."""
    p = _Parser(
        prog="seamig", description="Agent-based policy simulation of mixed maritime migration (Central Mediterranean)."
    )
    sub = p.add_subparsers(dest="command", required=True)
    sc = sub.add_parser("scenario", help="list or show scenarios")
    scs = sc.add_subparsers(dest="scenario_command", required=True)
    scs.add_parser("list", help="list built-in scenarios").set_defaults(func=cmd_scenario_list)
    show = scs.add_parser("show", help="print a scenario as complete TOML")
    show.add_argument("name", help="built-in scenario name or a TOML file")
    show.set_defaults(func=cmd_scenario_show)
    v = sub.add_parser("validate", help="check a scenario file (exit 0 if valid, 2 otherwise)")
    v.add_argument("file", help="a scenario TOML file (or a built-in scenario name)")
    v.set_defaults(func=cmd_validate)
    r = sub.add_parser("run", help="run one scenario once and write its outputs")
    r.add_argument("--scenario", default="central_med_2016", help="built-in scenario name or TOML file")
    r.add_argument(
        "--engine",
        default="mesa",
        help="engine: mesa (the readable reference) or vector (arrays; for large populations)",
    )
    r.add_argument("--seed", type=int, default=0, help="seed of the run")
    r.add_argument("--days", type=int, default=None, help="run this many days (default: the scenario's)")
    r.add_argument("--out", default="results/run", help="output folder")
    r.add_argument("--quiet", action="store_true", help="no progress bar or table")
    r.add_argument("--yes", action="store_true", help="run even if estimated to take more than an hour")
    r.set_defaults(func=cmd_run)

    def executor_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--executor",
            default="processes",
            choices=["serial", "processes", "dask"],
            help="where runs execute: serial (this process), processes (all local cores), dask (a cluster)",
        )
        sp.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
        sp.add_argument(
            "--scheduler",
            default=None,
            help="tcp://HOST:PORT of a running dask scheduler (with --executor dask); it must answer within 10 s",
        )

    def sweep_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("experiment", help="a named experiment (see experiments/*.toml) or an experiment file")
        sp.add_argument("--out", default=None, help="result folder (default results/<experiment>)")
        executor_options(sp)
        sp.add_argument(
            "--replicates", type=int, default=None, help="replicates per scenario (default: the experiment's)"
        )
        sp.add_argument(
            "--days", type=int, default=None, help="days simulated (default: the experiment's or its scenario's)"
        )
        sp.add_argument(
            "--engine", default=None, help="mesa or vector (replicates batched) (default: the experiment's engine)"
        )
        sp.add_argument("--resume", action="store_true", help="complete an interrupted sweep in --out")
        sp.add_argument("--quiet", action="store_true", help="no progress bar or tables")
        sp.add_argument(
            "--yes",
            action="store_true",
            help="run even if estimated to take more than an hour of one core, or more than 2,000 scenarios",
        )

    sw = sub.add_parser("sweep", help="run an experiment: every scenario x replicate, resumable")
    sweep_options(sw)
    sw.set_defaults(func=cmd_sweep)
    se = sub.add_parser(
        "sensitivity", help="Sobol or Morris sensitivity indices (SALib) over the experiment's [ranges]"
    )
    sweep_options(se)
    se.add_argument(
        "--method",
        required=True,
        choices=["sobol", "morris"],
        help="Sobol indices (variance shares, with intervals) or Morris elementary effects (screening)",
    )
    se.add_argument(
        "--samples",
        type=int,
        default=None,
        help="base sample size N (Sobol: N x (parameters + 2) runs; Morris: N trajectories) (default: "
        "the experiment's samples)",
    )
    se.set_defaults(func=cmd_sensitivity)
    ca_ = sub.add_parser(
        "calibrate",
        help="ABC-SMC calibration (ELFI) of uncertain parameters against the 2014-2017 record, resumable",
    )
    ca_.add_argument("config", help="a named calibration (experiments/calibrations/*.toml) or a calibration file")
    ca_.add_argument("--out", default=None, help="result folder (default results/calibration_<name>)")
    executor_options(ca_)
    ca_.add_argument("--resume", action="store_true", help="continue an interrupted calibration in --out")
    ca_.add_argument("--hold-out", type=int, default=None, metavar="YEAR", help="fit every year but YEAR")
    ca_.add_argument(
        "--leave-one-year-out",
        action="store_true",
        help="fit once per year left out (OUT/without_YYYY) and tabulate the predictions of each year left out",
    )
    ca_.add_argument(
        "--predictive-runs",
        type=int,
        default=100,
        help="posterior draws run month by month for the predictive check (default 100)",
    )
    ca_.add_argument("--quiet", action="store_true", help="no progress bar or tables")
    ca_.set_defaults(func=cmd_calibrate)
    sm = sub.add_parser("summarize", help="means with bootstrap intervals, and differences from the baseline")
    sm.add_argument("dir", help="a sweep's result folder (written by seamig sweep)")
    sm.add_argument("--outcomes", default=None, help="comma-separated outcomes (default: the experiment's)")
    sm.set_defaults(func=cmd_summarize)
    rp = sub.add_parser("report", help="write DIR/report.html: findings, charts, scenarios, assumptions, provenance")
    rp.add_argument("dir", help="a sweep's result folder (written by seamig sweep)")
    rp.set_defaults(func=cmd_report)
    db = sub.add_parser("dashboard", help="live dashboard in the browser at http://127.0.0.1:8765/")
    db.add_argument("--port", type=int, default=8765, help="TCP port to serve on")
    db.add_argument("--host", default="127.0.0.1", help="interface to listen on (127.0.0.1: this machine only)")
    db.set_defaults(func=cmd_dashboard)
    ca = sub.add_parser("case", help="replay a rescue case from the seed paper: elizabeth or francisco")
    ca.add_argument("name", help="elizabeth | francisco")
    ca.add_argument("--out", default=None, help="output folder (default results/case_<name>)")
    ca.add_argument(
        "--framework", default=None, help="replay under none | ad_hoc | standing (default: the case's own arrangement)"
    )
    ca.add_argument("--seed", type=int, default=0, help="seed of the replay")
    ca.add_argument("--no-tow", action="store_true", help="replay without the case's scripted tow (if it has one)")
    ca.add_argument("--quiet", action="store_true", help="no narrative on the terminal (files are still written)")
    ca.set_defaults(func=cmd_case)
    ch = sub.add_parser("charts", help="redraw a sweep's charts from its files")
    ch.add_argument("dir", help="a sweep's result folder (written by seamig sweep)")
    ch.set_defaults(func=cmd_charts)
    hi = sub.add_parser(
        "history",
        help="chart monthly landings and dead and missing, model against recorded months, with regime changes",
    )
    hi.add_argument("dir", help="a `seamig run` folder or a sweep folder")
    hi.add_argument(
        "--observed",
        default=None,
        help="recorded monthly CSV (default: UNHCR arrivals and IOM dead and missing, 2014-2017, shipped with seamig)",
    )
    hi.add_argument("--out", default=None, help="output folder (default DIR/figures)")
    hi.add_argument(
        "--scenario",
        default=None,
        help="scenario file or built-in name whose [[timeline]] marks the regime changes (default "
        "DIR/scenario.toml if present)",
    )
    hi.set_defaults(func=cmd_history)
    pa = sub.add_parser(
        "params", help="list levers and uncertainties (every dotted key) with unit, bounds, default and source"
    )
    pa.add_argument(
        "words",
        nargs="*",
        metavar="WORD",
        help="show only keys whose name contains every word (if none does, whose unit or source "
        "does); case-insensitive",
    )
    pa.add_argument(
        "--scenario",
        default="central_med_2016",
        help="built-in scenario name or TOML file whose values are shown as defaults",
    )
    pa.add_argument(
        "--json",
        action="store_true",
        help="print the records as JSON (key, kind, type, default, unit, allowed, lo, hi, choices, length, source)",
    )
    pa.set_defaults(func=cmd_params)
    di = sub.add_parser(
        "discover",
        help="scenario discovery: PRIM boxes of the sampled inputs where an outcome is above or below a threshold",
    )
    di.add_argument(
        "dir", help="a sweep's result folder, ideally of a design = 'lhs' experiment (written by seamig sweep)"
    )
    di.add_argument(
        "--outcome", required=True, help="the outcome column, e.g. dead_and_missing (see results/README.md)"
    )
    side = di.add_mutually_exclusive_group(required=True)
    side.add_argument(
        "--above",
        metavar="Q",
        help="cases of interest: outcome above Q, a number (3000) or a percentile of the points (90%%)",
    )
    side.add_argument(
        "--below", metavar="Q", help="cases of interest: outcome below Q, a number or a percentile (10%%)"
    )
    di.add_argument(
        "--inputs", default=None, help="comma-separated dotted keys to search over (default: the experiment's [ranges])"
    )
    di.add_argument("--package", default=None, help="only the runs of this package (default: all runs)")
    di.add_argument(
        "--per-run", action="store_true", help="one point per run instead of the mean over replicates per design point"
    )
    di.add_argument(
        "--threshold",
        type=float,
        default=0.8,
        help="the box kept has the largest coverage among those at least this dense",
    )
    di.add_argument("--alpha", type=float, default=0.05, help="share of the box's points peeled per step")
    di.add_argument("--min-mass", type=float, default=0.05, help="smallest box, as a share of all points")
    di.add_argument(
        "--boxes", type=int, default=1, help="most boxes to find (each further one among the points outside the others)"
    )
    di.set_defaults(func=cmd_discover)
    ro = sub.add_parser(
        "robustness",
        help="regret of each policy package across sampled futures, and the share of futures in which it is best",
    )
    ro.add_argument(
        "dir", help="a sweep whose packages are each run in every future (design = 'lhs' with [packages] and [ranges])"
    )
    ro.add_argument("--outcome", required=True, help="the outcome compared, e.g. dead_and_missing")
    ro.add_argument(
        "--higher-is-better",
        action="store_true",
        default=None,
        help="the outcome is a good; default: as the outcomes' vocabulary says (higher for legal_arrivals, "
        "victims_identified, ...; lower for dead_and_missing and other harms, and for outcomes it does not rate)",
    )
    ro.add_argument(
        "--lower-is-better",
        dest="higher_is_better",
        action="store_false",
        help="the outcome is a harm (overrides the vocabulary)",
    )
    ro.set_defaults(func=cmd_robustness)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``seamig`` console command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader went away (`seamig params | head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ConservationError:
        raise  # a bug in the model, not a user's mistake: keep the traceback
    except SeamigError as err:
        print(f"seamig: error: {err}", file=sys.stderr)
        return 2
    except (
        OSError
    ) as err:  # the file system refused (full disk, permissions, a file where a folder was): one line, not a traceback
        where = f"{err.filename}: " if err.filename else ""
        print(f"seamig: error: {where}{err.strerror or err or type(err).__name__}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
