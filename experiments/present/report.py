"""One self-contained HTML report of a sweep, for roundtable presenters (``python -m experiments.present.report DIR``).

:func:`write_report` turns a sweep's result folder (made by ``seamig sweep``) into
``DIR/report.html``: a single file that opens offline and prints cleanly on A4. Charts are inlined
as base64 PNG data; the page has no script, no link to another file and no web address.

The report, in order:

1. the experiment's question and a line saying what was compared;
2. key findings computed from the results: the baseline's mean of each outcome with its 95%
   bootstrap interval, and every other scenario's paired difference from the baseline with its
   interval ("no clear difference" when the interval includes zero); without a baseline, the
   highest and lowest scenario on each outcome and their paired difference;
3. every chart in ``figures/``, with a caption generated from the chart's kind and the
   experiment's ``[charts]`` table;
4. a table of scenarios: what was changed, and the mean and interval of each outcome;
5. assumptions and limits: run length, replicates, illustrative package sizes, the mechanisms
   that rest on weak evidence (generated from the parameter sources,
   :func:`model.fields.field_docs`), and the denominator of death rates;
6. provenance: experiment, digest, engine, root seed, git commit, versions, time, and the command
   that reproduces the sweep.

Means, intervals and differences come from ``summary.csv`` and ``differences.csv`` when they are
present and match ``runs.parquet``, otherwise they are recomputed with
:func:`experiments.run.analysis.summarize` and :func:`experiments.run.analysis.differences` (BCa bootstrap,
Efron 1987, doi:10.1080/01621459.1987.10478410). Accent colours are the Okabe-Ito palette (Okabe &
Ito 2008) from :mod:`experiments.present.style`.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import json
import logging
import math
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.present import sweep_charts as sc
from experiments.present import vocabulary
from experiments.present.style import COLOURS, OKABE_ITO
from experiments.run.analysis import differences, factor_columns, summarize
from model.errors import ConfigError

log = logging.getLogger(__name__)

#: The first eight bytes of every PNG file.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Outcomes the key findings always cover when runs.parquet has them.
ALWAYS = ("dead_and_missing", "departures", "arrivals")
#: More scenarios than this per outcome: the findings list only the largest clear changes.
MAX_FINDINGS = 12
#: Outcome tables hold at most this many outcome columns, so they fit an A4 page.
OUTCOMES_PER_TABLE = 4
#: Rows of the scenario table before it is cut (sampled designs have hundreds of scenarios).
MAX_TABLE_ROWS = 60

_EXPECTED = "a folder written by `seamig sweep` (manifest.json and runs.parquet)"
_URL = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]*:)?//\S+|\bwww\.\S+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|int|eu|gov|edu|info|io)\b(?:/\S*)?"
)

#: Mechanisms whose parameters rest on weak evidence, matched by dotted key (in this order).
MECHANISMS: tuple[tuple[str, str], ...] = (
    (
        r"world\.adaptation\.",
        "Smuggler adaptation to rescue ships nearby (the \N{LEFT DOUBLE QUOTATION MARK}pull "
        "factor\N{RIGHT DOUBLE QUOTATION MARK})",
    ),
    (
        r"policy\.enforcement\.campaign_wait_effect$",
        "How much information campaigns make people wait rather than pay a smuggler",
    ),
    (r"policy\.states\.[^.]+\.[^.]*_logit", "How states weigh whether to let rescued people land"),
    (r"policy\.cooperation\.deal_", "Ad hoc deals between states to land people from ships kept waiting"),
    (r"world\.detection\.", "How boats in distress are reported or sighted"),
)

CSS = """
:root { --blue: %(blue)s; --accent: %(blue)s; --ink: #1a1a1a; --muted: #4a4a4a; --rule: #d4d4d4; }
html { font-size: 19px; }
body {
  margin: 0; background: #ffffff; color: var(--ink);
  font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; line-height: 1.5;
}
main { max-width: 62rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 {
  font-size: 2rem; line-height: 1.2; margin: 0 0 0.6rem; padding-bottom: 0.4rem;
  border-bottom: 6px solid var(--blue);
}
h2 {
  font-size: 1.5rem; line-height: 1.25; margin: 2.6rem 0 0.8rem; padding-left: 0.6rem;
  border-left: 8px solid var(--blue); break-after: avoid; page-break-after: avoid;
}
h3 {
  font-size: 1.2rem; margin: 1.6rem 0 0.4rem; padding-bottom: 0.15rem;
  border-bottom: 3px solid var(--accent); break-after: avoid; page-break-after: avoid;
}
p, li { max-width: 58rem; }
.question { font-size: 1.3rem; margin: 0.6rem 0; }
.compared { font-size: 1.05rem; color: var(--muted); margin: 0.4rem 0 1rem; }
.note { color: var(--muted); font-size: 0.95rem; }
nav { font-size: 0.95rem; color: var(--muted); margin: 1rem 0; }
nav a { color: var(--blue); margin-right: 1rem; }
.finding { break-inside: avoid; page-break-inside: avoid; }
.finding ul { padding-left: 1.3rem; margin: 0.3rem 0 0.6rem; }
.finding li { margin: 0.35rem 0; }
.finding li.baseline { list-style: square; }
.finding li.clear::marker { color: var(--accent); }
.unclear { color: var(--muted); }
figure { margin: 2rem 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%%; height: auto; border: 1px solid var(--rule); }
figcaption { font-size: 0.92rem; color: #2b2b2b; margin-top: 0.5rem; }
table {
  border-collapse: collapse; width: 100%%; margin: 1rem 0 1.6rem; font-size: 0.85rem; break-inside: avoid;
  page-break-inside: avoid;
}
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.55rem; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid #555555; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.ci { display: block; font-size: 0.85em; color: var(--muted); }
.swatch {
  display: inline-block; width: 0; height: 0; border: 0.42em solid; margin-right: 0.45em;
  vertical-align: baseline;
}
ul.changes { margin: 0.25rem 0 0; padding-left: 1.1rem; font-size: 0.92em; font-weight: normal; color: #333333; }
pre.command {
  white-space: pre-wrap; font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.95rem;
  background: #f2f2f2; border-left: 4px solid var(--blue); padding: 0.5rem 0.8rem;
}
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1.2rem; font-size: 0.92rem; }
dl.provenance dt { font-weight: 600; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.92em; background: #f2f2f2; padding: 0 0.2em; }
.warning { border-left: 6px solid %(orange)s; padding: 0.3rem 0.8rem; background: #fff8e6; }
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { margin-top: 1.6rem; }
  figure img { width: auto; max-width: 100%%; max-height: 225mm; margin: 0 auto; }
  .finding { break-inside: auto; page-break-inside: auto; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class SweepResults:
    """What the report is made from.

    Attributes:
        root: the sweep folder.
        manifest: ``manifest.json``, parsed.
        runs: ``runs.parquet``, one row per scenario x replicate.
        outcomes: the outcomes reported, in order (the experiment's, then any of :data:`ALWAYS`).
        summary: per scenario and outcome: ``mean``, ``ci_low``, ``ci_high``, ``n``.
        diffs: paired differences from the baseline (None without a baseline).
        figures: the PNG charts, in the order of the experiment's ``[charts]`` table.
        chart_error: why the charts could not be drawn, or "".
    """

    root: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    outcomes: list[str]
    summary: pd.DataFrame
    diffs: pd.DataFrame | None
    figures: list[Path]
    chart_error: str = ""

    @property
    def experiment(self) -> dict[str, Any]:
        """The resolved experiment from the manifest."""
        return self.manifest["experiment"]


def _bad(root: Path, why: str) -> ConfigError:
    return ConfigError("DIR", str(root), _EXPECTED, problem=f"not a sweep result folder ({why}):")


def _read_manifest(root: Path) -> dict[str, Any]:
    from experiments.run.store import read_manifest

    if not (root / "manifest.json").exists():
        raise _bad(root, "no manifest.json")
    return read_manifest(root)


def _read_runs(root: Path, outcomes: list[str]) -> pd.DataFrame:
    from experiments.run.store import read_runs

    if not (root / "runs.parquet").exists():
        raise _bad(root, "no runs.parquet")
    runs = read_runs(root, outcomes)
    if runs.empty:
        raise _bad(root, "runs.parquet is empty")
    return runs


def _cached(
    path: Path, need: set[tuple[int, str]], n_runs: dict[int, int], extra: dict[str, Any] | None = None
) -> pd.DataFrame | None:
    """A table from summary.csv/differences.csv if it covers ``need`` and matches the runs, else None."""
    if not path.is_file():
        return None
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    if not {"scenario_index", "scenario", "outcome", "ci_low", "ci_high", "n"} <= set(table.columns):
        return None
    for key, value in (extra or {}).items():
        if key not in table.columns or not (table[key].astype(str) == str(value)).all():
            return None
    have = {(int(i), str(o)) for i, o in zip(table["scenario_index"], table["outcome"], strict=True)}
    if not need <= have:
        return None
    table = table[[(int(i), str(o)) in need for i, o in zip(table["scenario_index"], table["outcome"], strict=True)]]
    if "diff_mean" not in table.columns and any(
        int(n) != n_runs.get(int(i), -1) for i, n in zip(table["scenario_index"], table["n"], strict=True)
    ):
        return None  # stale: the runs changed since the table was written
    return table.reset_index(drop=True)


def _expected_charts(exp: dict[str, Any], outcomes: list[str]) -> list[str]:
    """The chart names ``figures.draw_all`` writes for this experiment."""
    if exp.get("design") in ("sobol", "morris"):
        return [f"sensitivity_{exp['design']}_{o}" for o in exp["outcomes"]]
    charts = exp.get("charts") or {}
    return list(charts) if charts else [f"bars_{o}" for o in exp["outcomes"]] + ["map"]


def load_sweep(folder: str | Path) -> SweepResults:
    """Read and check a sweep folder; recompute summaries and redraw charts that are missing.

    Args:
        folder: a folder written by ``seamig sweep``.

    Returns:
        The results the report is made from.

    Raises:
        ConfigError: ``folder`` is not a sweep result folder (no or unreadable manifest.json or
            runs.parquet, or the runs lack an outcome the experiment names).
    """
    root = Path(folder)
    if not root.is_dir():
        raise _bad(root, "no such folder")
    manifest = _read_manifest(root)
    exp = manifest["experiment"]
    runs = _read_runs(root, list(exp["outcomes"]))
    outcomes = list(dict.fromkeys(list(exp["outcomes"]) + [o for o in ALWAYS if o in runs.columns]))
    missing = [o for o in outcomes if o not in runs.columns]
    if missing:
        raise _bad(root, "runs.parquet lacks the outcome(s) " + ", ".join(missing))
    factors = factor_columns(manifest)
    seed = int(exp.get("seed", 0))
    n_runs = {int(k): int(v) for k, v in runs.groupby("scenario_index")["replicate"].nunique().items()}
    need = {(i, o) for i in n_runs for o in outcomes}

    summary = _cached(root / "summary.csv", need, n_runs)
    if summary is None:
        log.info("report: recomputing the summary of %s", root)
        summary = summarize(runs, outcomes, factors, seed=seed)
    means = runs.groupby("scenario_index")[outcomes].mean()  # exact means (no CSV round trip)
    summary = summary.assign(
        mean=[float(means.at[int(i), o]) for i, o in zip(summary["scenario_index"], summary["outcome"], strict=True)]
    )

    diffs = None
    baseline = exp.get("baseline") or ""
    if baseline:
        diffs = _cached(root / "differences.csv", need, n_runs, {"baseline": baseline})
        if diffs is None or "diff_mean" not in diffs.columns:
            log.info("report: recomputing the differences of %s", root)
            diffs = differences(runs, baseline, outcomes, factors, seed=seed)

    figures, error = _figures(root, exp, outcomes)
    return SweepResults(root, manifest, runs, outcomes, summary, diffs, figures, error)


def _figures(root: Path, exp: dict[str, Any], outcomes: list[str]) -> tuple[list[Path], str]:
    """The PNG charts (redrawn with ``draw_all`` if any is missing), charts-table order first."""
    expected = _expected_charts(exp, outcomes)
    pngs = sorted((root / "figures").glob("*.png"))
    error = ""
    if not pngs or any(not (root / "figures" / f"{name}.png").exists() for name in expected):
        from experiments.present.figures import draw_all

        log.info("report: drawing the charts of %s", root)
        try:
            draw_all(root)
        except ConfigError as err:
            error = str(err)
            log.warning("report: charts could not be drawn: %s", err)
        pngs = sorted((root / "figures").glob("*.png"))
    rank = {name: i for i, name in enumerate(expected)}
    return sorted(pngs, key=lambda p: (rank.get(p.stem, len(rank)), p.stem)), error


# --------------------------------------------------------------------------- formatting


def _text(value: Any) -> str:
    """Escaped text for HTML, with anything that looks like a web address left out."""
    return html.escape(_URL.sub("(web address omitted)", str(value)))


def _minus(s: str) -> str:
    return s.replace("-", "\N{MINUS SIGN}")


def fmt_count(v: float) -> str:
    """A count or mean count: 4,666 / 12.5 / 3 (thousands separators; one decimal below 100)."""
    if v is None or not math.isfinite(v):
        return "\N{EN DASH}"
    if float(v).is_integer() or abs(v) >= 100:
        return _minus(f"{v:,.0f}")
    return _minus(f"{v:,.1f}")


def _pct_number(x: float) -> str:
    """A number of percent or percentage points: 12.3 / 2.3 / 0.41 / 0."""
    if x == 0:
        return "0"
    return _minus(f"{x:.1f}" if abs(x) >= 1 else f"{x:.2g}")


def fmt_value(outcome: str, v: float) -> str:
    """An outcome's value in its unit: "4,666", "2.3%", "1.5 days", "USD 1,200,000"."""
    if v is None or not math.isfinite(v):
        return "\N{EN DASH}"
    kind = vocabulary.kind(outcome)
    if kind == "share":
        return _pct_number(100 * v) + "%"
    if kind == "days":
        return _days_number(v) + " days"
    if kind == "usd":
        return "USD " + fmt_count(v)
    return fmt_count(v)


def _days_number(v: float) -> str:
    """Days: 12.5 / 1.5 / 0.0031 (small waits keep two significant digits)."""
    return _minus(f"{v:,.1f}" if abs(v) >= 1 or v == 0 else f"{v:.2g}")


def fmt_range(outcome: str, lo: float, hi: float) -> str:
    """An interval in the outcome's unit, the unit written once: "4,481 to 4,937", "0.5 to 1.5 days"."""
    kind = vocabulary.kind(outcome)
    if kind == "days":
        return f"{_days_number(lo)} to {_days_number(hi)} days"
    if kind == "usd":
        return f"USD {fmt_count(lo)} to {fmt_count(hi)}"
    return f"{fmt_value(outcome, lo)} to {fmt_value(outcome, hi)}"


def _magnitude(outcome: str, v: float, unit: bool = True) -> str:
    """The size of a change, without sign or direction: "1,654", "0.41 percentage points"."""
    kind, a = vocabulary.kind(outcome), abs(v)
    if kind == "share":
        return _pct_number(100 * a) + (" percentage points" if unit else "")
    if kind == "days":
        return _days_number(a) + (" days" if unit else "")
    if kind == "usd":
        return ("USD " if unit else "") + fmt_count(a)
    return fmt_count(a)


def _directions(outcome: str) -> tuple[str, str]:
    """Words for a fall and a rise of ``outcome``."""
    kind = vocabulary.kind(outcome)
    if kind == "count":
        return ("fewer", "more")
    if kind == "days":
        return ("shorter", "longer")
    if kind == "usd":
        return ("less", "more")
    return ("lower", "higher")


def noun(outcome: str) -> str:
    """The outcome in a sentence: "dead or missing", "deaths per departure", "arrivals (Italy)"."""
    if vocabulary.noun(outcome) is not None:
        return vocabulary.noun(outcome)
    head, _, tail = outcome.partition(".")
    if tail:
        return f"{noun(head)} ({tail.replace('.', ', ').replace('_', ' ')})"
    return _lower_first(subject(outcome))


def subject(outcome: str) -> str:
    """The outcome's plain label without its unit, for headings ("Dead and missing")."""
    label = sc.readable(outcome)
    return label.split(" (", 1)[0] if label.endswith(")") else label


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def scenario_name(label: Any) -> str:
    """A scenario label for display ("more_sar" -> "More SAR")."""
    return sc.label_text(label)


def _reference(label: str) -> str:
    """A scenario named inside a sentence: "the status quo", "the scenario “ngo.count=0”"."""
    text = scenario_name(label)
    if sc.is_baseline(label) and re.fullmatch(r"[A-Za-z][A-Za-z ]*", text):
        return "the " + _lower_first(text)
    return f"the scenario \N{LEFT DOUBLE QUOTATION MARK}{text}\N{RIGHT DOUBLE QUOTATION MARK}"


def _setting_value(key: str, v: Any) -> str:
    """A parameter value for display: 30% for shares, lists joined, yes/no, thousands separators."""
    if isinstance(v, str) and v[:1] in "[{":
        try:
            v = json.loads(v)
        except ValueError:
            pass
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, list | tuple):
        return ", ".join(_setting_value("", x) for x in v) if v else "none"
    if isinstance(v, dict):
        return ", ".join(f"{k} {_setting_value('', x)}" for k, x in v.items()) if v else "none"
    if isinstance(v, int | np.integer):
        return f"{int(v):,}"
    if isinstance(v, float | np.floating):
        if key.endswith("_share") and 0 <= v <= 1:
            return f"{100 * float(v):g}%"
        return f"{int(v):,}" if float(v).is_integer() and abs(v) >= 1000 else f"{float(v):g}"
    return sc.label_text(v) if key else str(v)


def setting_label(key: str) -> str:
    """A plain name for a dotted parameter key, with its section when the name alone is vague."""
    label = _acronyms(sc.readable(key))
    parts = key.split(".")
    specific = (
        key in sc.LABELS
        or vocabulary.axis_label(key) is not None
        or (len(parts) == 5 and parts[:3] == ["policy", "sar", "fleets"])
        or (len(parts) == 4 and parts[:2] == ["policy", "states"])
    )
    if specific or len(parts) < 2:
        return label
    return f"{sc.label_text(parts[-2])}: {_lower_first(label)}"


# --------------------------------------------------------------------------- the parts


@dataclass(frozen=True)
class Point:
    """One scenario as the report shows it."""

    index: int
    label: str
    overrides: dict[str, Any]
    factors: dict[str, Any]
    is_baseline: bool
    reference: str  # label of the scenario it is compared with ("" without a baseline)


def _points(res: SweepResults) -> list[Point]:
    exp = res.experiment
    baseline = exp.get("baseline") or ""
    by_package = baseline in (exp.get("packages") or {})
    ran = set(res.runs["scenario_index"].astype(int))
    raw = [p for p in exp["points"] if int(p["index"]) in ran]
    out = []
    for p in raw:
        factors = dict(p.get("factors", {}))
        if not baseline:
            ref = ""
        elif by_package:
            others = {k: v for k, v in factors.items() if k != "package"}
            ref = next(
                (
                    q["label"]
                    for q in raw
                    if q.get("factors", {}).get("package") == baseline
                    and all(q["factors"].get(k) == v for k, v in others.items())
                ),
                "",
            )
        else:
            ref = baseline
        out.append(
            Point(
                int(p["index"]),
                str(p["label"]),
                dict(p.get("overrides", {})),
                factors,
                bool(ref) and ref == p["label"],
                ref,
            )
        )
    return out


def _undefined(res: SweepResults, index: int, outcome: str) -> bool:
    """Whether a per-departure rate is undefined for a scenario: no departures in any of its runs."""
    if "per_departure" not in outcome or "departures" not in res.runs.columns:
        return False
    return bool((res.runs.loc[res.runs["scenario_index"] == index, "departures"] == 0).all())


def _stat(table: pd.DataFrame, index: int, outcome: str) -> pd.Series | None:
    rows = table[(table["scenario_index"] == index) & (table["outcome"] == outcome)]
    return None if rows.empty else rows.iloc[0]


def _days(res: SweepResults) -> list[int]:
    if "world.days" in res.runs.columns:
        return sorted(int(d) for d in res.runs["world.days"].dropna().unique())
    exp = res.experiment
    days = exp.get("days") or exp.get("base_scenario", {}).get("world", {}).get("days")
    return [int(days)] if days else []


def _days_text(days: list[int]) -> str:
    if not days:
        return "an unrecorded number of days"
    if len(days) == 1:
        return "one year (365 days)" if days[0] == 365 else f"{days[0]:,} days"
    return f"{days[0]:,} to {days[-1]:,} days"


def _replicates(res: SweepResults) -> int:
    return int(res.runs.groupby("scenario_index")["replicate"].nunique().max())


def compared_line(res: SweepResults, points: list[Point]) -> str:
    """One line saying what was compared, over how many runs of how many days, against what."""
    exp = res.experiment
    packages = list(exp.get("packages") or {})
    factors = dict(exp.get("factors") or {})
    parts = []
    if exp.get("design", "grid") == "grid":
        if packages:
            parts.append(f"{len(packages)} policy packages ({', '.join(scenario_name(p) for p in packages)})")
        if factors:
            levels = [
                f"{setting_label(k)} ({', '.join(_setting_value(k, v) for v in vals)})" for k, vals in factors.items()
            ]
            parts.append(("crossed with " if packages else "") + " \N{MULTIPLICATION SIGN} ".join(levels))
        what = " ".join(parts) if parts else "the base scenario alone"
    else:
        names = ", ".join(setting_label(k) for k in exp.get("ranges", {}))
        what = f"{len(points)} scenarios sampled ({exp['design']}) over {len(exp.get('ranges', {}))} inputs: {names}"
    reps = _replicates(res)
    line = (
        f"Compared: {what}; {len(points)} scenario{'s' if len(points) != 1 else ''}, {reps} "
        f"run{'s' if reps != 1 else ''} each of {_days_text(_days(res))}"
    )
    if exp.get("baseline"):
        line += f", against {_reference(exp['baseline'])}"
    return line + "."


def _interval_words(outcome: str, lo: float, hi: float) -> str:
    """An interval of a change in words: "1,204 to 2,142 fewer", "120 fewer to 80 more"."""
    fall, rise = _directions(outcome)
    if hi < 0:
        return f"{_magnitude(outcome, hi, unit=vocabulary.kind(outcome) == 'usd')} to {_magnitude(outcome, lo)} {fall}"
    if lo > 0:
        return f"{_magnitude(outcome, lo, unit=vocabulary.kind(outcome) == 'usd')} to {_magnitude(outcome, hi)} {rise}"

    def end(v: float) -> str:
        return "0" if v == 0 else f"{_magnitude(outcome, v)} {fall if v < 0 else rise}"

    return f"{end(lo)} to {end(hi)}"


def _mean_sentence(outcome: str, label: str, row: pd.Series, role: str, undefined: bool = False) -> str:
    """A scenario's mean: "Status quo: 4,666 dead or missing on average (95% interval 4,481 to 4,937), over 6 runs."."""
    n = int(row["n"])
    if undefined:
        return (
            f'<li class="baseline" data-outcome="{_text(outcome)}" data-role="{role}" data-scenario="{_text(label)}'
            f'"><strong>{_text(scenario_name(label))}</strong>: '
            f"{_text(f'no one set out on a boat in its {n} runs, so there are no {noun(outcome)}')}.</li>"
        )
    value = fmt_value(outcome, row["mean"])
    what = f"{value} {noun(outcome)}" if vocabulary.kind(outcome) == "count" else f"{noun(outcome)} {value}"
    if n < 2:
        tail = "in a single run (no interval with one run)"
    else:
        tail = f"on average (95% interval {fmt_range(outcome, row['ci_low'], row['ci_high'])}), over {n} runs"
    return (
        f'<li class="baseline" data-outcome="{_text(outcome)}" data-role="{role}" data-scenario="{_text(label)}'
        f'"><strong>{_text(scenario_name(label))}</strong>: '
        f"{_text(what)} {_text(tail)}.</li>"
    )


def _diff_sentence(outcome: str, label: str, ref: str, row: pd.Series, undefined: str = "") -> str:
    """A paired difference: "More SAR.

    1,654 fewer dead or missing than the status quo (95% interval ...), over 6 paired runs.".
    """
    m, lo, hi, n = float(row["diff_mean"]), float(row["ci_low"]), float(row["ci_high"]), int(row["n"])
    fall, rise = _directions(outcome)
    count = vocabulary.kind(outcome) == "count"
    name = _text(scenario_name(label))
    if undefined:
        whose = "its runs" if undefined == "scenario" else f"the runs of {_reference(ref)}"
        why = f"no one set out on a boat in {whose}, so {noun(outcome)} cannot be compared"
        return (
            f'<li class="unclear" data-outcome="{_text(outcome)}" data-role="difference" data-scenario="{_text(label)}'
            f'"><strong>{name}</strong>: '
            f"{_text(why)}.</li>"
        )
    if n < 1 or not math.isfinite(m):
        return (
            f'<li class="unclear" data-outcome="{_text(outcome)}" data-role="difference" data-scenario="{_text(label)}'
            f'"><strong>{name}</strong>: '
            f"no paired runs with {_text(_reference(ref))}.</li>"
        )
    direction = fall if m < 0 else rise
    change = (
        f"{_magnitude(outcome, m)} {direction} {noun(outcome)}"
        if count
        else f"{noun(outcome)} {_magnitude(outcome, m)} {direction}"
    )
    if m == 0 and lo == 0 and hi == 0:
        text = f"no difference in {noun(outcome)} from {_reference(ref)} in any of {n} paired runs"
        css = "unclear"
    elif n < 2:
        text = f"{change} than {_reference(ref)} in a single paired run (no interval with one run)"
        css = "unclear"
    elif lo <= 0 <= hi:
        average = (
            "about the same"
            if _magnitude(outcome, m, unit=False) in ("0", "0.0")
            else f"{_magnitude(outcome, m)} {direction}"
        )
        text = (
            f"no clear difference in {noun(outcome)} from {_reference(ref)} (on average {average}; "
            f"95% interval {_interval_words(outcome, lo, hi)}), over {n} paired runs"
        )
        css = "unclear"
    else:
        text = (
            f"{change} than {_reference(ref)} (95% interval {_interval_words(outcome, lo, hi)}), over {n} paired runs"
        )
        css = "clear"
    return (
        f'<li class="{css}" data-outcome="{_text(outcome)}" data-role="difference" data-scenario="{_text(label)}'
        f'"><strong>{name}</strong>: '
        f"{_text(text)}.</li>"
    )


def _accent(outcome: str) -> str:
    return COLOURS.get(outcome.split(".", 1)[0], OKABE_ITO["blue"])


def intervals_words(exp: dict) -> str:
    """What the intervals hold: the simulation's randomness, and the parameters' doubt with a posterior."""
    if exp.get("posterior"):
        return (
            "The intervals hold both the randomness of the simulation and the doubt about the calibrated "
            f"parameters: run <em>r</em> of every scenario takes draw <em>r</em> of the posterior in "
            f"{_text(str(exp['posterior']))} (the same draw for every scenario). Doubts about the other "
            "assumptions are not in them (see Assumptions and limits)."
        )
    return (
        "The intervals reflect the randomness of the simulation only, not doubts about its "
        "assumptions (see Assumptions and limits)."
    )


def findings_html(res: SweepResults, points: list[Point]) -> str:
    """The key findings, one block per outcome, computed from the summary and differences."""
    exp = res.experiment
    out = ['<section id="findings">', "<h2>Key findings</h2>"]
    if res.diffs is not None:
        out.append(
            f'<p class="note">Each scenario is compared with {_text(_reference(exp["baseline"]))} '
            "run by run: run <em>r</em> of every scenario uses the same random seed, so a difference "
            "is the effect of the policy, not of chance. "
            "A 95% interval that includes zero is reported as \N{LEFT DOUBLE QUOTATION MARK}no "
            "clear difference\N{RIGHT DOUBLE QUOTATION MARK}. " + intervals_words(exp) + "</p>"
        )
    else:
        out.append(
            '<p class="note">This experiment names no baseline, so for each outcome the scenarios '
            "with the highest and lowest average are shown, "
            "and their difference run by run (every scenario uses the same random seeds). "
            + intervals_words(exp)
            + "</p>"
        )
    for o in res.outcomes:
        out.append(f'<div class="finding" data-outcome="{_text(o)}" style="--accent: {_accent(o)}">')
        out.append(f"<h3>{_text(subject(o))}</h3><ul>")
        out += _baseline_findings(res, points, o) if res.diffs is not None else _extreme_findings(res, points, o)
        out.append("</ul></div>")
    out += _sensitivity_findings(res)
    out.append("</section>")
    return "\n".join(out)


def _baseline_findings(res: SweepResults, points: list[Point], o: str) -> list[str]:
    lines = []
    for p in points:
        if p.is_baseline:
            row = _stat(res.summary, p.index, o)
            if row is not None:
                lines.append(_mean_sentence(o, p.label, row, "baseline", _undefined(res, p.index, o)))
    others = [(p, _stat(res.diffs, p.index, o)) for p in points if not p.is_baseline and p.reference]
    others = [(p, r) for p, r in others if r is not None]
    if len(others) > MAX_FINDINGS:
        clear = [(p, r) for p, r in others if r["n"] >= 2 and not (r["ci_low"] <= 0 <= r["ci_high"])]
        falls = sorted((x for x in clear if x[1]["diff_mean"] < 0), key=lambda x: x[1]["diff_mean"])[
            : MAX_FINDINGS // 2
        ]
        rises = sorted((x for x in clear if x[1]["diff_mean"] > 0), key=lambda x: -x[1]["diff_mean"])[
            : MAX_FINDINGS // 2
        ]
        shown = sorted(falls + rises, key=lambda x: x[0].index)
        lines += [_diff_sentence(o, p.label, p.reference, r, _undefined_pair(res, points, p, o)) for p, r in shown]
        lines.append(
            f'<li class="unclear">{len(others) - len(shown)} other scenarios not listed here: '
            f"{len(others) - len(clear)} of them show no clear difference; every scenario is in "
            "the table below.</li>"
        )
    else:
        lines += [_diff_sentence(o, p.label, p.reference, r, _undefined_pair(res, points, p, o)) for p, r in others]
    return lines


def _undefined_pair(res: SweepResults, points: list[Point], p: Point, outcome: str) -> str:
    """Which side of a comparison has an undefined per-departure rate: "scenario", "reference" or ""."""
    ref = next((q.index for q in points if q.label == p.reference), None)
    if _undefined(res, p.index, outcome):
        return "scenario"
    return "reference" if ref is not None and _undefined(res, ref, outcome) else ""


def _extreme_findings(res: SweepResults, points: list[Point], o: str) -> list[str]:
    rows = res.summary[res.summary["outcome"] == o].sort_values("scenario_index")
    labels = {p.index: p.label for p in points}
    rows = rows[rows["scenario_index"].isin({i for i in labels if not _undefined(res, i, o)})]
    if rows.empty:
        return []
    low, high = rows.loc[rows["mean"].idxmin()], rows.loc[rows["mean"].idxmax()]  # ties: the first scenario
    if len(rows) == 1 or low["mean"] == high["mean"]:
        return [_mean_sentence(o, labels[int(high["scenario_index"])], high, "baseline")]
    lines = [
        _mean_sentence(o, labels[int(high["scenario_index"])], high, "highest").replace(
            "</strong>:", "</strong> (highest):", 1
        ),
        _mean_sentence(o, labels[int(low["scenario_index"])], low, "lowest").replace(
            "</strong>:", "</strong> (lowest):", 1
        ),
    ]
    pair = res.runs[res.runs["scenario_index"].isin([int(low["scenario_index"]), int(high["scenario_index"])])]
    d = differences(pair, labels[int(low["scenario_index"])], [o], seed=int(res.experiment.get("seed", 0)))
    row = d[d["scenario_index"] == int(high["scenario_index"])]
    if not row.empty:
        lines.append(
            _diff_sentence(
                o, labels[int(high["scenario_index"])], labels[int(low["scenario_index"])], row.iloc[0]
            ).replace('data-role="difference"', 'data-role="range"')
        )
    return lines


def _sensitivity_findings(res: SweepResults) -> list[str]:
    design = res.experiment.get("design")
    path = res.root / f"sensitivity_{design}.csv"
    if design not in ("sobol", "morris") or not path.is_file():
        return []
    idx = pd.read_csv(path)
    main_index = "ST" if design == "sobol" else "mu_star"
    what = (
        "total Sobol index (share of the outcome's variance due to the input, with its interactions)"
        if design == "sobol"
        else "Morris mean size of effect (\N{GREEK SMALL LETTER MU}*)"
    )
    out = ['<div class="finding"><h3>Which inputs matter most</h3><ul>']
    for o in res.outcomes:
        rows = idx[(idx["outcome"] == o) & (idx["index"] == main_index)].sort_values("value", ascending=False)
        if rows.empty:
            continue
        top = rows.iloc[0]
        number = (lambda v: f"{v:.2f}") if design == "sobol" else fmt_count
        conf = f" \N{PLUS-MINUS SIGN} {number(float(top['conf']))}" if pd.notna(top["conf"]) else ""
        out.append(
            f"<li><strong>{_text(subject(o))}</strong>: {_text(setting_label(str(top['parameter'])))} "
            f"({_text(number(float(top['value'])) + conf)}), then "
            f"{_text(', '.join(setting_label(str(p)) for p in rows['parameter'].iloc[1:3]))}"
            ".</li>"
        )
    out.append(
        f'</ul><p class="note">Ranked by the {_text(what)}; \N{PLUS-MINUS SIGN}: half-width '
        "of the 95% interval.</p></div>"
    )
    return out


# --------------------------------------------------------------------------- charts


def chart_caption(name: str, res: SweepResults) -> tuple[str, str]:
    """A title and a plain-language caption for the chart ``name`` (a PNG stem in ``figures/``)."""
    exp = res.experiment
    charts = exp.get("charts") or {}
    spec = dict(charts.get(name) or {})
    reps = _replicates(res)
    if not spec:
        if name.startswith("bars_") and name[5:] in res.runs.columns:
            spec = {"kind": "bars", "outcome": name[5:]}
        elif name == "map":
            spec = {"kind": "map"}
        elif name.startswith("sensitivity_"):
            method, _, outcome = name[len("sensitivity_") :].partition("_")
            spec = {"kind": "sensitivity", "method": method, "outcome": outcome}
    kind = spec.get("kind", "")
    o = spec.get("outcome", "")
    what = _lower_first(subject(o)) if o else ""
    baseline = exp.get("baseline") or ""
    if kind == "bars":
        title = f"{subject(o)} in each scenario"
        text = (
            f"Each bar is the average {what} of a scenario over its {reps} runs, written above "
            "the bar; the black lines show the 95% interval of that average."
        )
    elif kind == "differences":
        title = f"Change in {what} against {_reference(baseline)}"
        text = (
            f"Each dot is the average change in {what} against {_reference(baseline)} when both "
            f"are run with the same random seeds ({reps} pairs of runs); the line through it is "
            "the 95% interval. "
            "A filled dot means the interval excludes zero (a clear change); a hollow dot means "
            "no clear change. The numbers on the right are the change and its interval."
        )
    elif kind == "dose_response":
        title = f"{subject(o)} against {_lower_first(setting_label(spec['x']))}"
        hue = f", one line per value of {_lower_first(setting_label(spec['hue']))}" if spec.get("hue") else ""
        text = (
            f"The average {what} over {reps} runs at each level of {_lower_first(setting_label(spec['x']))}{hue}; "
            "shaded bands or whiskers show the 95% intervals."
        )
    elif kind == "heatmap":
        title = f"{subject(o)} by {_lower_first(setting_label(spec['x']))} and {_lower_first(setting_label(spec['y']))}"
        text = (
            f"Each cell is the average {what} over {reps} runs for one combination, with its 95% "
            "interval in brackets; darker blue is lower, yellow is higher."
        )
    elif kind == "by_state":  # per-state burden (experiments/present/burden.py)
        from experiments.present.burden import MEASURES

        heading = MEASURES.get(o, (o, ""))[0]
        title = f"{heading} by state in each scenario"
        text = (
            f"For each state, one bar per scenario: the average over its {reps} runs of {_lower_first(heading)}; "
            "the black lines show the 95% interval of that average. States with nothing to show "
            "are left out."
        )
    elif kind == "map":
        where = spec.get("scenario") or ""
        title = "Where people died, were rescued and were returned" + (
            f": {_lower_first(scenario_name(where))}" if where else ""
        )
        text = (
            f"One run (replicate 0){' of ' + _reference(where) if where else ''}: red-orange circles "
            "mark people who died or went missing at a capsize, blue circles rescues, orange "
            "circles interceptions and returns, "
            "green diamonds boats that reached land without help. Circle area is proportional "
            "to the number of people; dashed lines are the search-and-rescue regions. A single "
            "run shows a typical pattern, not an average."
        )
    elif kind == "sensitivity":
        method = spec.get("method", "")
        title = f"Which inputs matter most for {_lower_first(subject(o))}"
        if method == "sobol":
            text = (
                "For each input, the share of the variation in the outcome that it explains alone "
                "(S1) and together with its interactions with other inputs (ST); black lines are "
                "95% intervals."
            )
        else:
            text = (
                "For each input, the average size of its effect on the outcome (\N{GREEK SMALL LETTER MU}*) "
                "and how much that effect varies with the other inputs "
                "(\N{GREEK SMALL LETTER SIGMA}, a sign of non-linearity or interactions); black lines "
                "are 95% intervals."
            )
    else:
        title = sc.label_text(name)
        text = "A chart drawn from this sweep's results."
    if spec.get("title"):
        title = str(spec["title"])
    where = dict(spec.get("where") or {})
    if where:
        text += (
            " Only scenarios with "
            + "; ".join(f"{_lower_first(setting_label(k))} = {_setting_value(k, v)}" for k, v in where.items())
            + "."
        )
    text += (
        f" Experiment {exp['name']}: {reps} run{'s' if reps != 1 else ''} of {_days_text(_days(res))} "
        f"per scenario, root seed {exp.get('seed', res.manifest.get('root_seed'))}, engine "
        f"{exp.get('engine', res.manifest.get('engine'))}."
    )
    return title, text


def _without_text_chunks(data: bytes) -> bytes:
    """The PNG without its text chunks (tEXt, zTXt, iTXt): they carry the drawing software's web address."""
    out, pos = [data[:8]], 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        end = pos + 12 + length
        if data[pos + 4 : pos + 8] not in (b"tEXt", b"zTXt", b"iTXt"):
            out.append(data[pos:end])
        pos = end
    return b"".join(out)


def _data_uri(path: Path) -> str:
    data = path.read_bytes()
    if not data.startswith(PNG_SIGNATURE):
        raise ConfigError("figures", str(path), "PNG images drawn by `seamig charts`", problem="not a PNG file")
    return "data:image/png;base64," + base64.b64encode(_without_text_chunks(data)).decode("ascii")


def charts_html(res: SweepResults) -> str:
    """Every PNG chart of ``figures/``, inlined, each with a numbered caption."""
    out = ['<section id="charts">', "<h2>Charts</h2>"]
    if res.chart_error:
        out.append(f'<p class="warning">Some charts could not be drawn: {_text(res.chart_error)}</p>')
    if not res.figures:
        out.append('<p class="note">This sweep has no charts.</p>')
    for i, path in enumerate(res.figures, start=1):
        title, text = chart_caption(path.stem, res)
        out.append(
            f'<figure id="figure-{i}"><img src="{_data_uri(path)}" alt="{_text(title)}"><figcaption><strong>Figure '
            f"{i}. {_text(title)}.</strong> {_text(text)}</figcaption></figure>"
        )
    out.append("</section>")
    return "\n".join(out)


# --------------------------------------------------------------------------- table


def _burden_section(res: SweepResults) -> str:
    """The burden table by state.

    (experiments/present/burden.py), for experiments that chart burden by state; else nothing.
    """
    if not any(dict(c).get("kind") == "by_state" for c in (res.experiment.get("charts") or {}).values()):
        return ""
    from experiments.present.burden import burden_html

    try:
        return burden_html(res.runs)
    except ConfigError as err:
        return f'<section id="burden"><h2>Burden by state</h2><p class="warning">{_text(str(err))}</p></section>'


def _changes(p: Point, exp: dict[str, Any]) -> str:
    if not p.overrides:
        return f'<ul class="changes"><li>nothing: the base scenario ({_text(exp.get("base", ""))})</li></ul>'
    items = "".join(
        f"<li>{_text(setting_label(k))} = {_text(_setting_value(k, v))}</li>" for k, v in p.overrides.items()
    )
    return f'<ul class="changes">{items}</ul>'


def table_html(res: SweepResults, points: list[Point]) -> str:
    """The scenarios: what was changed, and the mean and 95% interval of each outcome."""
    exp = res.experiment
    labels = [p.label for p in points]
    shown = points[:MAX_TABLE_ROWS]
    out = ['<section id="scenarios">', "<h2>The scenarios</h2>"]
    fixed = dict(exp.get("fixed") or {})
    intro = f"Every scenario starts from the base scenario {exp.get('base', '')}"
    intro += (
        (
            " with these settings for all: "
            + "; ".join(f"{setting_label(k)} = {_setting_value(k, v)}" for k, v in fixed.items())
        )
        if fixed
        else ""
    )
    out.append(
        f'<p class="note">{_text(intro)}. Each cell: the average over the runs, and below it the 95% interval.</p>'
    )
    chunks = [res.outcomes[i : i + OUTCOMES_PER_TABLE] for i in range(0, len(res.outcomes), OUTCOMES_PER_TABLE)]
    for c, chunk in enumerate(chunks):
        cap = "Scenarios and results" + (f" ({c + 1} of {len(chunks)})" if len(chunks) > 1 else "")
        head = "".join(f'<th scope="col" class="num">{_text(sc.readable(o))}</th>' for o in chunk)
        first = "Scenario and what was changed" if c == 0 else "Scenario"
        out.append(
            f'<table class="results"><caption>{_text(cap)}</caption><thead><tr><th scope="col">{first}</th>{head}'
            "</tr></thead><tbody>"
        )
        for p in shown:
            colour = sc.policy_colour(p.label, labels)
            cell = (
                f'<span class="swatch" style="border-color: {colour}"></span><strong>{_text(scenario_name(p.label))}'
                "</strong>"
            )
            if c == 0:
                cell += _changes(p, exp)
            nums = []
            for o in chunk:
                row = _stat(res.summary, p.index, o)
                if row is None:
                    nums.append('<td class="num">\N{EN DASH}</td>')
                    continue
                if _undefined(res, p.index, o):
                    nums.append('<td class="num">\N{EN DASH}<span class="ci">no departures</span></td>')
                    continue
                ci = fmt_range(o, row["ci_low"], row["ci_high"]) if int(row["n"]) >= 2 else "one run"
                nums.append(
                    f'<td class="num">{_text(fmt_value(o, row["mean"]))}<span class="ci">{_text(ci)}</span></td>'
                )
            out.append(f'<tr><th scope="row">{cell}</th>{"".join(nums)}</tr>')
        out.append("</tbody></table>")
    if len(points) > len(shown):
        out.append(
            f'<p class="note">The first {len(shown)} of {len(points)} scenarios; all are in summary.csv '
            "in the result folder.</p>"
        )
    out.append("</section>")
    return "\n".join(out)


# --------------------------------------------------------------------------- assumptions


def _base_scenario(exp: dict[str, Any]) -> Any:
    """The experiment's base scenario from the manifest (the defaults if it no longer builds)."""
    from model.params import Scenario

    data = exp.get("base_scenario")
    if isinstance(data, dict):
        try:
            return Scenario.from_dict({k: v for k, v in data.items()})
        except (ConfigError, TypeError, KeyError) as err:
            log.info("report: base scenario of the manifest does not build (%s); using the defaults", err)
    return Scenario()


def _mechanism(key: str, src: str) -> str | None:
    """The mechanism a parameter belongs to for the weak-evidence list, or None."""
    low = src.lower()
    if low.startswith("lever") or low == "text":
        return None
    for pattern, title in MECHANISMS:
        if re.match(pattern, key):
            return title
    if low.startswith("assumption") and "weak" in low:
        parts = key.split(".")
        if len(parts) >= 4 and parts[1] in ("states", "sar"):  # one line for all states or fleets
            return f"{sc.label_text(parts[1])}: {_lower_first(sc.readable(parts[-1]))}"
        return setting_label(key)
    return None


def _bare(label: str) -> str:
    """A label without its unit in brackets ("Reach (km)" -> "Reach"): the value carries the unit."""
    return re.sub(r" \([^()]*\)$", "", label)


def _acronyms(text: str) -> str:
    """Upper-case the acronyms a plain label may hold ("rcc willing" -> "RCC willing")."""
    return re.sub(
        r"(?i)\b(ngos?|sar|srr|rcc|eu|unhcr|iom)\b", lambda m: m.group(0).upper().replace("NGOS", "NGOs"), text
    )


def _evidence_note(sources: list[str]) -> str:
    """What the sources say about the strength of evidence, in a few words."""
    for src in sources:
        low = src.lower()
        if "weak" not in low:
            continue
        if low.startswith("assumption (weak evidence)"):
            return "weak evidence"
        rest = re.sub(r"(?i)^assumption\s*[;:,]?\s*", "", src).strip()
        return rest or "weak evidence"
    return ""


def _param_value(value: Any, unit: str) -> str:
    text = _setting_value("", value)
    return (
        f"{text} {unit}"
        if unit and unit not in ("persons", "") and not isinstance(value, dict | tuple | list)
        else text
    )


def weak_evidence(exp: dict[str, Any]) -> list[dict[str, Any]]:
    """The mechanisms resting on weak evidence or assumption alone, from the parameter sources.

    Reads :func:`model.fields.field_docs` of the experiment's base scenario and groups the
    parameters named in :data:`MECHANISMS`, and any other whose source is an assumption marked
    weak, into one entry per mechanism.

    Returns:
        One dict per mechanism: ``title``, ``keys`` (dotted), ``settings`` (plain text),
        ``assumptions`` (how many of the keys are assumptions), ``note`` (what the source says
        about the evidence) and ``varied`` (keys the experiment changes).
    """
    from model.fields import field_docs

    groups: dict[str, list[tuple[str, Any, str, str]]] = {}
    for key, value, unit, src in field_docs(_base_scenario(exp)):
        title = _mechanism(key, str(src))
        if title:
            groups.setdefault(title, []).append((key, value, unit, str(src)))
    changed = {k for p in exp.get("points", []) for k in p.get("overrides", {})} | set(exp.get("fixed") or {})
    order = {title: i for i, (_, title) in enumerate(MECHANISMS)}
    out = []
    for title, rows in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order))):
        entities = list(dict.fromkeys(r[0].split(".")[2] for r in rows if r[0].startswith("policy.states.")))
        if entities:
            leaves = list(
                dict.fromkeys(
                    r[0].split(".")[-1].replace("_logit", "").replace("_per_1000", " per 1,000") for r in rows
                )
            )
            settings = (
                "weights for "
                + ", ".join(_lower_first(_acronyms(sc.label_text(leaf))) for leaf in leaves)
                + " (for "
                + ", ".join(entities)
                + ")"
            )
        else:
            settings = "; ".join(
                f"{_lower_first(_acronyms(_bare(sc.readable(k))))} {_param_value(v, u)}" for k, v, u, _ in rows
            )
        out.append(
            {
                "title": title,
                "keys": [r[0] for r in rows],
                "settings": settings,
                "assumptions": sum(r[3].lower().startswith("assumption") for r in rows),
                "note": _evidence_note([r[3] for r in rows]),
                "varied": sorted(k for k in changed if k in {r[0] for r in rows}),
            }
        )
    return out


def assumptions_html(res: SweepResults, points: list[Point]) -> str:
    """Run length, replicates, illustrative sizes, weak-evidence mechanisms, death-rate denominator."""
    exp = res.experiment
    days = _days(res)
    reps = _replicates(res)
    items = [
        f"Each scenario was run {reps} time{'s' if reps != 1 else ''}, each run covering {_days_text(days)} "
        f"of simulated time, starting from the conditions of the base scenario ({exp.get('base', '')})."
    ]
    if days and max(days) < 365:
        items.append(
            f"The runs are shorter than a year, so totals cover {_days_text(days)} only and cannot "
            "be set beside yearly published figures."
        )
    if reps < 5:
        items.append(
            f"With only {reps} runs per scenario the intervals are wide and themselves uncertain; "
            "use more replicates before quoting numbers."
        )
    if exp.get("packages"):
        items.append(
            "The sizes of the policy packages (numbers of ships, visas, shares stopped) are illustrative "
            "assumptions chosen to show a direction of change, not proposals or costed plans."
        )
    else:
        items.append(
            "The levels of the factors are illustrative assumptions chosen to show a direction "
            "of change, not proposals or costed plans."
        )
    items.append(
        "Intervals show the randomness of the simulation only. They do not include uncertainty "
        "in the model's assumptions, which may be larger."
    )
    items.append(
        "Death rates here are deaths per departure: dead and missing divided by people who "
        "set out on a boat, counting a person who was returned and set out again once per "
        "journey. "
        "Published rates use other denominators (per arrival, per arrival plus deaths, with "
        "or without people returned to Libya or Tunisia), so compare rates only with the "
        "same denominator."
    )
    out = ['<section id="assumptions">', "<h2>Assumptions and limits</h2>", "<ul>"]
    out += [f"<li>{_text(t)}</li>" for t in items]
    out.append("</ul>")
    mechanisms = weak_evidence(exp)
    if mechanisms:
        out.append("<h3>Mechanisms that rest on weak evidence or on assumption alone</h3>")
        out.append(
            '<p class="note">Results that hinge on these mechanisms '
            "are best read as \N{LEFT DOUBLE QUOTATION MARK}what "
            "if\N{RIGHT DOUBLE QUOTATION MARK} rather than as estimates. "
            "Generated from the sources recorded beside each parameter (docs/ODD.md, section "
            "11, lists them all).</p><ul>"
        )
        for m in mechanisms:
            n = len(m["keys"])
            if n == 1:
                share = "an assumption" if m["assumptions"] else "from a published source"
            else:
                share = (
                    f"all {n} settings are assumptions"
                    if m["assumptions"] == n
                    else f"{m['assumptions']} of {n} settings are assumptions"
                )
            note = f"; {m['note']}" if m["note"] else ""
            varied = (
                f" This experiment changes {', '.join(_lower_first(setting_label(k)) for k in m['varied'])}."
                if m["varied"]
                else ""
            )
            out.append(
                f"<li><strong>{_text(m['title'])}</strong>: {_text(m['settings'])}. "
                f"{_text(share[:1].upper() + share[1:] + note)}"
                f".{_text(varied)}</li>"
            )
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


# --------------------------------------------------------------------------- provenance


def reproduce_command(manifest: dict[str, Any]) -> str:
    """The command that reruns this sweep into a new folder ``DIR``."""
    from experiments.run.spec import HERE, builtin_experiments

    exp = manifest["experiment"]
    name = str(exp["name"])
    builtin = name in builtin_experiments() and (HERE / f"{name}.toml").read_text(encoding="utf-8") == manifest.get(
        "experiment_file", ""
    )
    target = name if builtin else f"{name}.toml"
    parts = [
        "seamig",
        "sweep",
        target,
        "--out",
        "DIR",
        "--replicates",
        str(exp.get("replicates", manifest.get("replicates"))),
    ]
    if exp.get("days") is not None:
        parts += ["--days", str(exp["days"])]
    if exp.get("design") in ("sobol", "morris"):
        parts[1] = "sensitivity"
        parts += ["--method", str(exp["design"]), "--samples", str(exp.get("samples"))]
    return " ".join(parts)


def provenance_html(res: SweepResults) -> str:
    """Experiment, digest, engine, seed, replicates, git state, versions, time, and how to rerun."""
    m, exp = res.manifest, res.experiment
    git = m.get("git") or {}
    dirty = git.get("dirty")
    commit = git.get("commit") or "unknown (not run from a git checkout)"
    git_text = f"{commit}" + (" with uncommitted changes (dirty)" if dirty else " (clean)" if dirty is False else "")
    versions = ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items() if v)
    rows = [
        ("Experiment", exp.get("name")),
        ("Digest", m.get("digest")),
        ("Design", exp.get("design", "grid")),
        ("Base scenario", exp.get("base")),
        ("Engine", m.get("engine", exp.get("engine"))),
        ("Root seed", m.get("root_seed", exp.get("seed"))),
        ("Replicates", m.get("replicates", exp.get("replicates"))),
        ("Scenarios and runs", f"{res.runs['scenario_index'].nunique()} scenarios, {len(res.runs)} runs"),
        ("Simulated time", _days_text(_days(res))),
        ("Git commit", git_text),
        ("Versions", versions),
        ("Sweep created (UTC)", m.get("created_utc")),
        ("Report written (UTC)", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        ("Result folder", res.root.name),
    ]
    out = ['<section id="provenance">', "<h2>Provenance</h2>", '<dl class="provenance">']
    out += [f"<dt>{_text(k)}</dt><dd>{_text(v)}</dd>" for k, v in rows]
    out.append("</dl>")
    cmd = reproduce_command(m)
    how = f"To reproduce, check out commit {_text(commit)} and run (DIR: a new folder)"
    if cmd.split()[2] != exp.get("name"):
        how += (
            f", after saving the experiment file stored in manifest.json (experiment_file) as {_text(cmd.split()[2])}"
        )
    out.append(f'<p>{how}:</p><pre class="command">{_text(cmd)}</pre>')
    out.append(
        '<p class="note">The same experiment, root seed and replicates give identical tables '
        "on any executor and number of workers.</p>"
    )
    if dirty:
        out.append(
            '<p class="warning">The code had uncommitted changes when the sweep ran, so the commit '
            "alone may not reproduce these numbers exactly.</p>"
        )
    out.append("</section>")
    return "\n".join(out)


# --------------------------------------------------------------------------- the document


def render(res: SweepResults) -> str:
    """The complete report as one HTML document."""
    exp = res.experiment
    points = _points(res)
    title = f"{sc.label_text(exp['name'])}: results of the policy simulation"
    css = CSS % {"blue": OKABE_ITO["blue"], "orange": OKABE_ITO["orange"]}
    nav = " ".join(
        f'<a href="#{i}">{t}</a>'
        for i, t in (
            ("findings", "Key findings"),
            ("charts", "Charts"),
            ("scenarios", "Scenarios"),
            ("assumptions", "Assumptions and limits"),
            ("provenance", "Provenance"),
        )
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header id="top">',
        f"<h1>{_text(title)}</h1>",
        f'<p class="question">{_text(exp.get("question", ""))}</p>',
        f'<p class="compared">{_text(compared_line(res, points))}</p>',
        f"<nav>{nav}</nav>",
        "</header>",
        findings_html(res, points),
        charts_html(res),
        _burden_section(res),
        table_html(res, points),
        assumptions_html(res, points),
        provenance_html(res),
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def write_report(folder: str | Path) -> Path:
    """Write ``folder/report.html``, a self-contained report of the sweep in ``folder``.

    The file is written to a temporary name and renamed, so a reader never sees half a report.

    Args:
        folder: a folder written by ``seamig sweep``.

    Returns:
        The path of the report.

    Raises:
        ConfigError: ``folder`` is not a sweep result folder.

    Examples:
        >>> write_report("results/flagship")  # doctest: +SKIP
        PosixPath('results/flagship/report.html')
    """
    res = load_sweep(folder)
    text = render(res)
    final = res.root / "report.html"
    tmp = final.with_name(f".{final.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, final)
    log.info("report: wrote %s (%d bytes)", final, final.stat().st_size)
    return final


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m experiments.present.report DIR``: write DIR/report.html; exit 2 on a bad folder."""
    parser = argparse.ArgumentParser(
        prog="python -m experiments.present.report",
        description="Write a self-contained HTML report (DIR/report.html) of a sweep's results.",
    )
    parser.add_argument("dir", help="a folder written by `seamig sweep`")
    args = parser.parse_args(None if argv is None else list(argv))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        path = write_report(args.dir)
    except ConfigError as err:
        print(f"seamig: error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
