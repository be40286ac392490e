"""Burden by state in a sweep (issue 24): a table, a chart kind (``by_state``) and the report's section.

Reads the per-state outcomes a run reports (``model/outcomes.py``, ``Ledger._burden_summary``),
stored flattened in ``runs.parquet`` as ``<measure>.<state>`` columns (``burden_by_state.Italy``),
never an engine. The measures, in the order the table shows them:

- ``arrivals_by_state``: people landed in the state (rescued, evacuated or arriving on their own);
- ``framework_landed_by_state``: of them, groups the standing framework named the state for;
- ``relocated_in_by_state`` / ``relocated_out_by_state``: relocated to and from it;
- ``burden_by_state``: people it took in (landed + relocated in - relocated out);
- ``fair_share_by_state``: its share of the participants' total by the relocation key;
- ``reception_days_by_state``: person-days in its reception (people there at the start included);
- ``reception_cost_eur_by_state``, ``contribution_eur_by_state`` (paid > 0, received < 0) and
  ``net_cost_eur_by_state`` (the two summed);
- ``standoff_people_days_by_state``: people-days that ships with rescues its RCC coordinated spent
  waiting for a port; ``member_days_by_state``: days it was a member of the framework (who joins,
  under ``membership_rule = "cost"``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from experiments.present import sweep_charts as sc
from experiments.present.style import figure
from model.errors import ConfigError

#: The per-state measures: column prefix -> (table heading, unit).
MEASURES: dict[str, tuple[str, str]] = {
    "arrivals_by_state": ("Landed", "persons"),
    "framework_landed_by_state": ("Landed under the framework", "persons"),
    "relocated_in_by_state": ("Relocated in", "persons"),
    "relocated_out_by_state": ("Relocated out", "persons"),
    "burden_by_state": ("Taken in", "persons"),
    "fair_share_by_state": ("Fair share by the key", "persons"),
    "reception_days_by_state": ("Reception", "person-days"),
    "reception_cost_eur_by_state": ("Reception cost", "EUR"),
    "contribution_eur_by_state": ("Contribution paid (+) or received (-)", "EUR"),
    "net_cost_eur_by_state": ("Net cost", "EUR"),
    "standoff_people_days_by_state": ("Waiting at sea, its RCC's cases", "person-days"),
    "member_days_by_state": ("Days a member", "days"),
}


def states_of(runs: pd.DataFrame, measure: str = "burden_by_state") -> list[str]:
    """The states with a ``measure`` column, in the order the runs hold them."""
    return [c.split(".", 1)[1] for c in runs.columns if c.startswith(measure + ".")]


def burden_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean of each per-state measure over replicates.

    One row per scenario and state (states that never took anyone left out).

    Columns: ``scenario_index``, ``scenario``, ``state``, then one per measure of :data:`MEASURES`
    present in the runs, and ``replicates``.
    """
    states = states_of(runs)
    if not states:
        raise ConfigError(
            "runs", "runs.parquet", "per-state outcomes (burden_by_state.<state>): a sweep run with this version"
        )
    rows = []
    for (idx, label), g in runs.groupby(["scenario_index", "scenario"], sort=True):
        for s in states:
            row = {"scenario_index": int(idx), "scenario": label, "state": s}
            row.update({m: float(g[f"{m}.{s}"].mean()) for m in MEASURES if f"{m}.{s}" in g.columns})
            row["replicates"] = len(g)
            rows.append(row)
    table = pd.DataFrame(rows)
    active = table.groupby("state")[["arrivals_by_state", "burden_by_state"]].apply(
        lambda t: bool((t.abs().to_numpy() > 0).any())
    )
    return table[table["state"].map(active)].reset_index(drop=True)


def plot_by_state(runs: pd.DataFrame, *, outcome: str = "burden_by_state", ax: Axes | None = None) -> Axes:
    """One group of bars per state, one bar per scenario: the mean of ``outcome.<state>`` with its 95% interval.

    Args:
        runs: ``runs.parquet`` rows (one per scenario and replicate), already restricted to the
            scenarios to draw.
        outcome: a per-state measure, e.g. ``burden_by_state`` or ``net_cost_eur_by_state``.
        ax: the Axes to draw on; a new house-style figure if None.

    Returns:
        The Axes; states where every scenario's mean is 0 are left out.
    """
    from experiments.run.analysis import bootstrap_ci

    states = states_of(runs, outcome)
    if not states:
        raise ConfigError("outcome", outcome, "a per-state outcome: " + ", ".join(MEASURES))
    if ax is None:
        _, ax = figure(size=(12, 7))
    first = runs.drop_duplicates("scenario_index").sort_values("scenario_index")
    by = (
        "package"
        if "package" in runs.columns and first["package"].notna().all() and first["package"].is_unique
        else "scenario"
    )  # a package's name, without the factor levels all bars share
    scen = first[by].astype(str).tolist()
    stats = {}
    for s in states:
        for label, g in runs.groupby(runs[by].astype(str)):
            v = g[f"{outcome}.{s}"].to_numpy(float)
            lo, hi = bootstrap_ci(v, 0.95, 2000, 0)
            stats[s, label] = (float(np.nanmean(v)), lo, hi)
    states = [s for s in states if any(abs(stats[s, lab][0]) > 0 for lab in scen)]
    width = 0.8 / max(1, len(scen))
    scale, unit = (1e6, "EUR million") if "_eur_" in outcome else (1.0, MEASURES.get(outcome, ("", "persons"))[1])
    for j, lab in enumerate(scen):
        pos = np.arange(len(states)) + (j - (len(scen) - 1) / 2) * width
        m, lo, hi = (np.array([stats[s, lab][k] for s in states]) / scale for k in range(3))
        ax.bar(
            pos,
            m,
            width=width * 0.95,
            color=sc.policy_colour(lab, scen),
            edgecolor="#333333",
            lw=0.8,
            label=sc.label_text(lab),
        )
        ax.errorbar(
            pos, m, yerr=[np.maximum(m - lo, 0), np.maximum(hi - m, 0)], fmt="none", ecolor="#222222", capsize=4, lw=1.5
        )
    ax.axhline(0, color="#333333", lw=1)
    ax.set_xticks(np.arange(len(states)), states)
    heading = MEASURES.get(outcome, (outcome, ""))[0]
    ax.set_ylabel(f"{heading} ({unit})")
    ax.set_title(f"{heading} by state")
    ax.yaxis.set_major_formatter(sc._ticks())
    ax.legend(fontsize=11, ncols=min(3, len(scen)), loc="upper center", bbox_to_anchor=(0.5, -0.07), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def _num(v: float, eur: bool) -> str:
    if not np.isfinite(v):
        return "n/a"
    return f"{v / 1e6:,.1f}".replace("-", "\N{MINUS SIGN}") if eur else f"{v:,.0f}".replace("-", "\N{MINUS SIGN}")


def burden_text(runs: pd.DataFrame) -> str:
    """The burden table as plain text (one block per scenario), for the terminal; EUR in millions."""
    table = burden_table(runs)
    cols = [m for m in MEASURES if m in table.columns]
    heads = [MEASURES[m][0] + (" (EUR m)" if "_eur_" in m else "") for m in cols]
    out = []
    for label, g in table.groupby("scenario", sort=False):
        out.append(f"{label} (mean of {int(g['replicates'].iloc[0])} runs)")
        out.append("  " + " | ".join(["state", *heads]))
        for r in g.itertuples(index=False):
            out.append("  " + " | ".join([r.state, *(_num(getattr(r, m), "_eur_" in m) for m in cols)]))
    return "\n".join(out)


def burden_html(runs: pd.DataFrame) -> str:
    """The report's section: the burden table, one table per scenario, states as rows (EUR in millions)."""
    table = burden_table(runs)
    cols = [m for m in MEASURES if m in table.columns]
    out = ['<section id="burden">', "<h2>Burden by state</h2>"]
    out.append(
        "<p>Means over the runs of each scenario. <em>Taken in</em> is landed plus relocated "
        "in, less relocated out; the <em>fair share</em> divides what the "
        "framework's participants took in by the relocation key; a participant below its "
        "fair share pays a contribution for each person short, one above it "
        "receives one, and payments balance. Reception counts the person-days of everyone "
        "in reception, those there at the start included. EUR in millions.</p>"
    )
    for label, g in table.groupby("scenario", sort=False):
        out.append(f"<h3>{sc.label_text(label)}</h3>")
        head = "".join(f"<th>{MEASURES[m][0]}{' (EUR m)' if '_eur_' in m else ''}</th>" for m in cols)
        out.append(f'<table class="burden"><thead><tr><th>State</th>{head}</tr></thead><tbody>')
        for r in g.itertuples(index=False):
            cells = "".join(f'<td class="num">{_num(getattr(r, m), "_eur_" in m)}</td>' for m in cols)
            out.append(f"<tr><th>{r.state}</th>{cells}</tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)
