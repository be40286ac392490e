"""The house style for charts: readable when projected, colour-blind safe, captioned.

Colours are the Okabe-Ito palette (Okabe & Ito 2008, https://jfly.uni-koeln.de/color/), safe for
the common forms of colour blindness. ``save_figure`` writes PNG and SVG and closes the figure.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
#: Fixed colours for outcomes and actors, the same in every chart.
COLOURS = {
    "arrivals": OKABE_ITO["blue"],
    "dead_and_missing": OKABE_ITO["vermillion"],
    "intercepted": OKABE_ITO["orange"],
    "departures": OKABE_ITO["grey"],
    "waiting": OKABE_ITO["purple"],
    "coast_guard": OKABE_ITO["blue"],
    "navy": OKABE_ITO["sky"],
    "ngo": OKABE_ITO["green"],
    "merchant": OKABE_ITO["orange"],
}

RC = {
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.titleweight": "bold",
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
}


def figure(nrows: int = 1, ncols: int = 1, size: tuple[float, float] = (12, 7)) -> tuple[plt.Figure, object]:
    """A new figure in the house style."""
    with plt.rc_context(RC):
        return plt.subplots(nrows, ncols, figsize=size, constrained_layout=True)


def caption(fig: plt.Figure, text: str) -> None:
    """Put the provenance caption (experiment or scenario, replicates, seed) under the figure."""
    fig.text(0.01, -0.01, text, ha="left", va="top", fontsize=11, color="#444444")


def save_figure(fig: plt.Figure, path: str | Path) -> list[Path]:
    """Write ``path`` as .png and .svg (via temp files, so no half-written chart), close the figure."""
    base = Path(path).with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for ext in (".png", ".svg"):
        final = base.with_suffix(ext)
        tmp = final.with_name(f".{final.name}.tmp")
        with plt.rc_context(RC):
            fig.savefig(tmp, format=ext[1:], bbox_inches="tight")
        tmp.replace(final)
        written.append(final)
    plt.close(fig)
    return written
