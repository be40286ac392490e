"""A live dashboard: the Mesa model on ``central_med_small`` in the browser, with the main levers.

``seamig dashboard [--port 8765] [--host 127.0.0.1]`` (or ``python -m experiments.present.dashboard``)
serves one page with solara (https://solara.dev) on the loopback interface only, unless ``--host``
says otherwise. The page shows a map (coastline, search-and-rescue regions, ports, boats coloured
by status, rescue vessels by kind, the last day's rescues, capsizes and interceptions), charts of
deaths, arrivals, people waiting at sea and refusals, and a summary line; the main levers are
sliders and selects, with named presets, among them the search-and-rescue regimes of 2014-2017
(the dated timeline of ``central_med_2014_2017``). Every change of a lever, preset or seed starts a
new run from day 0; "Step" advances one frame, "Play" one frame per tick until paused or the run
ends, and the speed sets a frame's length: one hour (boats are at sea for hours, so at whole days
the map shows few of them), three or six hours, or a day. "Reset" starts the same run again.

A custom solara page rather than Mesa's SolaraViz: SolaraViz's API differs between Mesa 3.3 (the
newest for Python 3.11) and 3.5, needs Mesa's visualisation extras (altair, networkx), uses
vuetify components missing from ipyvuetify 3, and applies slider changes only on Reset. The charts
and the map are matplotlib PNGs drawn here in the house style (:mod:`experiments.present.style`). Nothing
is fetched from another host: solara's own JavaScript and fonts come from ``solara-assets``
(served by this server), and solara's usage telemetry is switched off.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import itertools
import os
import sys
import threading
import time
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

# Before solara reads its settings: no usage telemetry (it would post to an outside host).
os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")

import matplotlib
import numpy as np
import pandas as pd
import solara
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from experiments.present.basemap import draw_land, draw_places, draw_srr_borders, view_km
from experiments.present.style import COLOURS, OKABE_ITO, RC
from model.errors import ConfigError
from model.geography import places, project
from model.mesa_engine.model import LEVERS, MigrationModel
from model.params import FRAMEWORKS, Scenario

SCENARIO = "central_med_small"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_SEED = 1
#: Frame lengths offered by the speed control: label -> hours per frame (one model step is an hour).
SPEEDS: dict[str, int] = {"1 hour per frame": 1, "3 hours per frame": 3, "6 hours per frame": 6, "1 day per frame": 24}
DEFAULT_SPEED = "1 hour per frame"
PLAY_PAUSE_S = 0.1  # between ticks while playing, so clicks (Pause) get their turn
PLAY_WAIT_S = 10.0  # longest wait for the page to draw a day while playing
#: States in a standing framework chosen with the framework lever (as in policy_packages.toml);
#: without participants a standing framework would change nothing.
STANDING_PARTICIPANTS = ("Italy", "Malta", "Tunisia")
#: What the page shows for each code.
CHOICE_LABELS: dict[str, str] = {
    "none": "None: each state decides alone",
    "ad_hoc": "Ad hoc deals",
    "standing": "Standing framework",
}
CUSTOM = "(custom)"


@dataclass(frozen=True)
class Lever:
    """One control: a short lever name (``model.mesa_engine.model.LEVERS``), label and range."""

    name: str
    label: str
    lo: float = 0
    hi: float = 1
    step: float = 1
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The dotted scenario key."""
        return LEVERS[self.name]


CONTROLS: tuple[Lever, ...] = (
    Lever("state_assets_scale", "State SAR assets (x European state fleets)", 0.0, 4.0, 0.25),
    Lever("ngo_ships", "NGO ships", 0, 20, 1),
    Lever("merchant_compliance", "Merchant ships' compliance with taskings", 0.0, 1.0, 0.05),
    Lever("framework", "Disembarkation framework", choices=FRAMEWORKS),
    Lever("humanitarian_visa_quota", "Humanitarian visas per year", 0, 5000, 50),
    Lever("smuggler_adaptation", "Smugglers' adaptation to rescue", 0.0, 1.0, 0.05),
)
INT_LEVERS = {"ngo_ships", "humanitarian_visa_quota"}

#: Named lever settings; levers not named keep the scenario's value. central_med_small is a tenth
#: of the 2016 flows, so quotas are a tenth of those in experiments/policy_packages.toml.
PRESETS: dict[str, dict[str, Any]] = {
    "2016 status quo": {},
    "No NGO ships": {"ngo_ships": 0},
    "More state rescue": {"state_assets_scale": 2.0},
    "Standing framework": {"framework": "standing"},
    "Legal channels": {"humanitarian_visa_quota": 4000},
    "Less rescue": {"ngo_ships": 0, "state_assets_scale": 0.5, "merchant_compliance": 0.3},
}
#: Historical regimes: preset name -> a date of ``central_med_2014_2017``; the preset sets the
#: fleets and Libyan policy in force that day (the scenario's start plus its timeline entries up to
#: then) on the dashboard's smaller scenario.
REGIMES: dict[str, str] = {
    "2014: Mare Nostrum": "2014-06-01",
    "Winter 2014-15: Triton near Italy": "2015-01-15",
    "Summer 2015: Triton extended, Sophia, NGOs": "2015-07-01",
    "2017: Italy-Libya memorandum, NGO peak": "2017-06-01",
    "Late 2017: after the NGO code of conduct": "2017-09-01",
}


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 ship``, ``2 ships``, ``0 ships``: a count with its noun."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


@cache
def regime_overrides(date: str) -> dict[str, Any]:
    """The policy of ``central_med_2014_2017`` in force on ``date``, as overrides (lever names where there is one).

    Its starting policy where it differs from ``central_med_2016`` (on which it is built), then
    every timeline entry dated up to ``date``, in order.
    """
    from model.scenarios import load

    hist = load("central_med_2014_2017")
    base, start = load("central_med_2016").flat(), hist.flat()
    out = {k: v for k, v in start.items() if k.startswith("policy.") and base.get(k) != v}
    for entry in hist.timeline:
        if entry.enabled and entry.date <= date:
            out.update((k, v) for k, v in entry.changes if k.startswith("policy."))
    by_key = {LEVERS[c.name]: c.name for c in CONTROLS}
    return {by_key.get(k, k): v for k, v in out.items()}


def all_presets() -> dict[str, dict[str, Any]]:
    """Every preset: the named lever settings, then the historical regimes."""
    return {**PRESETS, **{name: regime_overrides(date) for name, date in REGIMES.items()}}


@cache
def scenario() -> Scenario:
    """The dashboard's scenario, loaded once."""
    from model.scenarios import load

    return load(SCENARIO)


def default_levers() -> dict[str, Any]:
    """Every control's value in the scenario."""
    flat = scenario().flat()
    out = {}
    for c in CONTROLS:
        v = flat[c.key]
        out[c.name] = int(v) if c.name in INT_LEVERS else (v if c.choices else float(v))
    return out


def preset_levers(name: str) -> dict[str, Any]:
    """The controls' values under preset ``name``."""
    presets = all_presets()
    if name not in presets:
        raise ConfigError("preset", name, ", ".join(presets))
    return {**default_levers(), **presets[name]}


def matching_preset(levers: dict[str, Any]) -> str:
    """The preset whose settings are ``levers``, or ``CUSTOM``."""
    for name in all_presets():
        if preset_levers(name) == levers:
            return name
    return CUSTOM


def overrides(levers: dict[str, Any]) -> dict[str, Any]:
    """Lever values as model keyword overrides (a standing framework gets its participants)."""
    out: dict[str, Any] = dict(levers)
    if levers.get("framework") == "standing" and not scenario().policy.cooperation.participants:
        out["policy.cooperation.participants"] = list(STANDING_PARTICIPANTS)
    return out


class Run:
    """One model run driven by the page; a lock keeps stepping and drawing apart."""

    def __init__(self, levers: dict[str, Any], seed: int = DEFAULT_SEED, speed: str = DEFAULT_SPEED) -> None:
        self.levers = dict(levers)
        self.seed = int(seed)
        self.speed = speed if speed in SPEEDS else DEFAULT_SPEED
        self.model = MigrationModel(scenario(), rng=self.seed, **overrides(levers))
        self.days = int(self.model.params.world.days)
        self.lock = threading.RLock()
        self.playing = False
        self.shown = 0  # the last tick the page has drawn
        self.released = False

    @property
    def hour(self) -> int:
        """Hours simulated so far."""
        return int(self.model.hour)

    @property
    def day(self) -> int:
        """Whole days simulated so far."""
        return self.hour // 24

    @property
    def finished(self) -> bool:
        """Whether the run has reached its last day (or was released)."""
        return self.released or not self.model.running

    def step_day(self) -> bool:
        """Advance one day (or to the end); return whether the run can go on."""
        return self.step_hours(24)

    def step_frame(self) -> bool:
        """Advance one frame of the chosen speed (or to the end); return whether the run can go on."""
        return self.step_hours(SPEEDS[self.speed])

    def step_hours(self, hours: int) -> bool:
        """Advance ``hours`` model steps (or to the end); return whether the run can go on."""
        with self.lock:
            if self.released:  # replaced by a new run while a play thread was about to step
                return False
            for _ in range(hours):
                if not self.model.running:
                    break
                self.model.step()
            return bool(self.model.running)

    def totals(self) -> dict[str, int]:
        """The summary line's numbers now."""
        with self.lock:
            led = self.model.ledger
            return {
                "arrivals": led.total("arrivals"),
                "dead_and_missing": led.total("dead") + led.total("missing"),
                "intercepted": led.total("intercepted"),
                "people_waiting_at_sea": int(self.model.people_waiting_at_sea()),
                "refusals": led.total("disembarkation_refusals"),
            }

    def summary_line(self) -> str:
        """Day, arrivals, dead and missing, intercepted, people waiting at sea, refusals."""
        t = self.totals()
        now = self.model.start + pd.Timedelta(hours=self.hour)
        date = "starts " + now.strftime("%d %b %Y") if self.hour == 0 else now.strftime("%d %b %Y, %H:00")
        return (
            f"Day {self.day} of {self.days} ({date}) | arrivals {t['arrivals']:,} | dead and missing "
            f"{t['dead_and_missing']:,} | intercepted {t['intercepted']:,} | people waiting at "
            f"sea {t['people_waiting_at_sea']:,} | refusals {t['refusals']:,}"
        )

    def settings_line(self) -> str:
        """The levers and seed in force."""
        parts = [
            f"{c.label} {self.levers[c.name]:g}"
            if not c.choices
            else f"{c.label}: {CHOICE_LABELS.get(self.levers[c.name], self.levers[c.name])}"
            for c in CONTROLS
        ]
        regime = next((name for name, date in REGIMES.items() if preset_levers(name) == self.levers), None)
        return (
            f"{SCENARIO}, seed {self.seed}"
            + (f", policy of {regime} ({REGIMES[regime]})" if regime else "")
            + ": "
            + "; ".join(parts)
        )

    def release(self) -> None:
        """Free the model (Mesa 3.3 keeps finished models alive otherwise)."""
        with self.lock:
            self.released = True
            self.model.release()


# --------------------------------------------------------------------------- drawing

DPI = 100
MAP_SIZE = (9.6, 7.4)  # inches
CHART_SIZE = (8.0, 7.4)
MAP_LABELS = ("Lampedusa", "Valletta", "Tripoli", "Zuwara", "Pozzallo", "Catania")
BOAT_STATUS = {  # status -> (label, colour)
    "sailing": ("Boat under way", OKABE_ITO["grey"]),
    "distress": ("Boat in distress", OKABE_ITO["yellow"]),
    "capsized": ("Boat capsized", COLOURS["dead_and_missing"]),
}
VESSEL_KIND = {  # kind -> (label, marker, size)
    "coast_guard": ("Coast guard", "h", 150),
    "navy": ("Navy", "p", 150),
    "ngo": ("NGO ship", "*", 260),
    "merchant": ("Merchant ship", "d", 150),
}
RECENT = {  # event -> (label, colour, marker)
    "rescue": ("Rescue (last 24 h)", COLOURS["arrivals"], "o"),
    "interception": ("Interception (last 24 h)", COLOURS["intercepted"], "P"),
    "capsize": ("Capsize (last 24 h)", COLOURS["dead_and_missing"], "X"),
    "distress": ("Distress call (last 24 h)", OKABE_ITO["yellow"], "v"),
}
SERIES = (  # datacollector column, panel title, colour
    ("dead_and_missing", "Dead and missing", COLOURS["dead_and_missing"]),
    ("arrivals", "Arrivals", COLOURS["arrivals"]),
    ("people_waiting_at_sea", "Waiting at sea for a port", COLOURS["waiting"]),
    ("refusals", "Refusals to let people land", OKABE_ITO["black"]),
)


HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


#: matplotlib's rcParams are process-wide: one drawing at a time, whichever session asks.
_DRAW_LOCK = threading.Lock()


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


@cache
def _map_base() -> tuple[np.ndarray, tuple[float, float, float, float], tuple[float, float, float, float]]:
    """The map without anything that moves, drawn once: pixels, axes position, limits."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    (x0, x1), (y0, y1) = view_km()
    limits = (x0, x1, y0, y1)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=MAP_SIZE, dpi=DPI)
        ax = fig.add_axes((0.085, 0.075, 0.6, 0.86))
        draw_land(ax)
        draw_srr_borders(ax, linewidth=1.0)
        draw_places(ax, size=30)
        known = places()
        for name in MAP_LABELS:
            if name in known:
                px, py = project(known[name]["lon"], known[name]["lat"])
                ax.annotate(
                    name, (float(px), float(py)), xytext=(6, 4), textcoords="offset points", fontsize=11, zorder=3
                )
        handles = [
            Line2D([], [], ls="none", marker="o", ms=9, color=c, mec="black", label=lab)
            for lab, c in BOAT_STATUS.values()
        ]
        handles += [
            Line2D([], [], ls="none", marker=mk, ms=14 if mk == "*" else 11, color=COLOURS[k], mec="white", label=lab)
            for k, (lab, mk, _s) in VESSEL_KIND.items()
        ]
        handles += [
            Line2D([], [], ls="none", marker=mk, ms=9, color=c, alpha=0.6, label=lab) for lab, c, mk in RECENT.values()
        ]
        handles += [
            Line2D([], [], ls="none", marker="s", ms=6, color="#222222", label="Port"),
            Line2D([], [], ls="none", marker="^", ms=6, color="#222222", label="Departure point"),
            Line2D([], [], ls="--", color="#777777", label="Search-and-rescue region"),
        ]
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            frameon=False,
            fontsize=11,
            title="Numbers: people aboard a ship",
            title_fontsize=11,
            alignment="left",
        )
        ax.set_xlim(limits[0], limits[1])
        ax.set_ylim(limits[2], limits[3])
        ax.set_aspect("equal")
        ax.set_xlabel("km east of 13 E")
        ax.set_ylabel("km north of 35 N")
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba()).copy()
        pos = ax.get_position()
    return pixels, (pos.x0, pos.y0, pos.width, pos.height), limits


def sea_now(run: Run) -> dict[str, int]:
    """What is at sea at this hour: boats carrying people, ships carrying rescued people, ships waiting for a port."""
    with run.lock:
        m = run.model
        return {
            "boats": sum(1 for b in m.boats if b.people),
            "carrying": sum(1 for v in m.vessels if v.aboard),
            "waiting": sum(1 for v in m.vessels if v.status == "waiting"),
        }


def map_caption(run: Run) -> str:
    """The line over the map: the hour, and what is at sea then (with correct plurals)."""
    n = sea_now(run)
    hour = run.hour
    return (
        f"Day {hour // 24}, {hour % 24:02d}:00: {plural(n['boats'], 'boat')} at sea, {plural(n['carrying'], 'ship')} "
        f"carrying rescued people, {n['waiting']:,} waiting for a port"
    )


def draw_map(run: Run) -> bytes:
    """The map now, as PNG: land, SRRs, ports, boats by status, vessels by kind, the last day's events.

    The parts that do not move are drawn once (:func:`_map_base`); each call draws the boats,
    vessels and the last 24 hours' rescues, interceptions and capsizes over them.
    """
    with _DRAW_LOCK:
        pixels, pos, (x0, x1, y0, y1) = _map_base()
    with run.lock:
        m = run.model
        hour = int(m.hour)
        events = [e for e in m.ledger.events if e[0] >= hour - 24 and e[2] in RECENT]
        boats = [(b.x, b.y, b.status, len(b.people)) for b in m.boats if b.people]
        vessels = [(v.x, v.y, v.kind, v.status, len(v.aboard)) for v in m.vessels]
    with _DRAW_LOCK, matplotlib.rc_context(RC):
        fig = Figure(figsize=MAP_SIZE, dpi=DPI)
        fig.figimage(pixels, 0, 0, zorder=0)
        ax = fig.add_axes(pos, zorder=1)
        ax.set_axis_off()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        for kind, (_label, colour, marker) in RECENT.items():
            ev = [e for e in events if e[2] == kind and np.isfinite(e[7])]
            if ev:
                ax.scatter(
                    [e[7] for e in ev],
                    [e[8] for e in ev],
                    s=[min(30 + 2 * e[6], 400) for e in ev],
                    c=colour,
                    marker=marker,
                    alpha=0.5,
                    linewidths=0,
                    zorder=4,
                )
        for status, (_label, colour) in BOAT_STATUS.items():
            bs = [b for b in boats if b[2] == status]
            if bs:
                ax.scatter(
                    [b[0] for b in bs],
                    [b[1] for b in bs],
                    s=[40 + 1.5 * b[3] for b in bs],
                    c=colour,
                    edgecolors="black",
                    linewidths=1.0,
                    zorder=5,
                )
        for kind, (_label, marker, size) in VESSEL_KIND.items():
            vs = [v for v in vessels if v[2] == kind]
            if not vs:
                continue
            ax.scatter(
                [v[0] for v in vs],
                [v[1] for v in vs],
                s=size,
                marker=marker,
                c=COLOURS[kind],
                edgecolors=["#000000" if v[4] else "white" for v in vs],
                linewidths=1.2,
                zorder=6,
            )
            for v in vs:
                if v[4]:
                    colour = COLOURS["waiting"] if v[3] == "waiting" else "#000000"
                    ax.annotate(
                        f"{v[4]}",
                        (v[0], v[1]),
                        xytext=(8, -12),
                        textcoords="offset points",
                        fontsize=11,
                        fontweight="bold",
                        color=colour,
                        zorder=7,
                        path_effects=HALO,
                    )
        fig.text(pos[0], pos[1] + pos[3] + 0.015, map_caption(run), fontsize=12, fontweight="bold")
        return _png(fig)


def draw_charts(run: Run) -> bytes:
    """Running totals of deaths, arrivals and refusals, and people waiting at sea, hour by hour, as PNG."""
    with run.lock:
        df = run.model.datacollector.get_model_vars_dataframe()
    days = np.arange(1, len(df) + 1) / 24.0
    with _DRAW_LOCK, matplotlib.rc_context(RC):
        fig = Figure(figsize=CHART_SIZE, dpi=DPI)
        axes = fig.subplots(
            2,
            2,
            sharex=True,
            gridspec_kw={"left": 0.1, "right": 0.97, "bottom": 0.08, "top": 0.88, "wspace": 0.32, "hspace": 0.25},
        )
        for ax, (col, title, colour) in zip(axes.flat, SERIES, strict=True):
            y = df[col].to_numpy(float) if col in df else np.zeros(0)
            ax.plot(days, y, color=colour, lw=2.2)
            ax.set_title(f"{title}: {int(y[-1]) if len(y) else 0:,}", fontsize=13)
            ax.set_xlim(0, run.days)
            ax.set_ylim(0, max(10.0, float(y.max()) * 1.15 if len(y) else 10.0))
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
        for ax in axes[1]:
            ax.set_xlabel("Day")
        fig.suptitle("Running totals since day 0 (people); waiting at sea: hour by hour", fontsize=12)
        return _png(fig)


# --------------------------------------------------------------------------- the page

_ticks = itertools.count(1)
#: The page's state, one per browser session: the current run (which holds its levers, seed and
#: whether it plays) and a counter bumped after every change, to redraw. One ``set`` per action,
#: so an action renders once.
run_state: solara.Reactive[Run | None] = solara.reactive(None)
tick = solara.reactive(0)


def _current() -> Run:
    run = run_state.value
    if run is None:  # first render of a session
        run = Run(default_levers(), DEFAULT_SEED)
        run_state.set(run)
    return run


def _redraw() -> None:
    tick.set(next(_ticks))


def _restart(levers: dict[str, Any] | None = None, seed: int | None = None) -> None:
    old = _current()
    old.playing = False
    run_state.set(Run(old.levers if levers is None else levers, old.seed if seed is None else seed, old.speed))
    old.release()


def _set_speed(label: str) -> None:
    run = _current()
    if label in SPEEDS and label != run.speed:
        run.speed = label  # the same run goes on, in frames of the new length
        _redraw()


def _set_lever(name: str, value: Any) -> None:
    run = _current()
    if run.levers.get(name) != value:
        _restart({**run.levers, name: value})


def _set_preset(name: str) -> None:
    if name in all_presets() and preset_levers(name) != _current().levers:
        _restart(preset_levers(name))


def _set_seed(value: int | None) -> None:
    if value is not None and int(value) != _current().seed:
        _restart(seed=int(value))


def _step() -> None:
    run = _current()
    if not run.playing and not run.finished:
        run.step_frame()
        _redraw()


def _toggle_play() -> None:
    run = _current()
    run.playing = not run.playing and not run.finished
    _redraw()


def _play(run: Run, cancel: threading.Event) -> None:
    """Advance ``run`` a frame per tick while it plays (in a thread of its own).

    Each frame waits until the page has drawn the one before: drawing takes longer than a model
    day, and a thread that asks for a new drawing while another thread draws leaves it to that one,
    which would then draw on and on without sending anything to the browser.
    """
    while run.playing and not cancel.is_set():
        if not run.step_frame():
            run.playing = False
        mine = next(_ticks)
        tick.set(mine)
        deadline = time.monotonic() + PLAY_WAIT_S
        while run.shown < mine and time.monotonic() < deadline and not cancel.is_set():
            time.sleep(0.02)
        time.sleep(PLAY_PAUSE_S)


def controls(run: Run) -> None:
    """The levers, presets, seed and run buttons.

    Part of Page's render, not a component of its own: a component given the same Run object is not
    drawn again when that run starts playing.
    """
    with solara.Column(classes=["seamig-controls"]):
        solara.Select(
            "Preset",
            values=[*all_presets(), CUSTOM],
            value=matching_preset(run.levers),
            on_value=_set_preset,
            classes=["seamig-preset"],
        )
        for c in CONTROLS:
            value = run.levers[c.name]
            with solara.Column(classes=[f"seamig-lever-{c.name}"], gap="0px"):
                if c.choices:  # shown by label, kept by code
                    codes = {CHOICE_LABELS.get(code, code): code for code in c.choices}
                    solara.Select(
                        c.label,
                        values=list(codes),
                        value=CHOICE_LABELS.get(value, value),
                        on_value=lambda v, n=c.name, codes=codes: _set_lever(n, codes[v]),
                    )
                    continue
                solara.Text(f"{c.label}: {value:g}", classes=["seamig-lever-label"], style={"font-size": "0.95em"})
                if c.name in INT_LEVERS:
                    solara.SliderInt(
                        "",
                        value=int(value),
                        min=int(c.lo),
                        max=int(c.hi),
                        step=int(c.step),
                        on_value=lambda v, n=c.name: _set_lever(n, int(v)),
                    )
                else:
                    solara.SliderFloat(
                        "",
                        value=float(value),
                        min=c.lo,
                        max=c.hi,
                        step=c.step,
                        on_value=lambda v, n=c.name: _set_lever(n, round(float(v), 4)),
                    )
        solara.InputInt("Seed", value=run.seed, on_value=_set_seed, classes=["seamig-seed"])
        solara.Select("Speed", values=list(SPEEDS), value=run.speed, on_value=_set_speed, classes=["seamig-speed"])
        with solara.Row():
            solara.Button(
                "Pause" if run.playing else "Play",
                on_click=_toggle_play,
                disabled=run.finished,
                color="primary",
                classes=["seamig-play"],
            )
            solara.Button("Step", on_click=_step, disabled=run.playing or run.finished, classes=["seamig-step"])
            solara.Button("Reset", on_click=lambda: _restart(), classes=["seamig-reset"])
        solara.Text(
            "A change of lever, preset or seed starts a new run from day 0. Step: one frame. "
            "Play: a frame per tick. Speed: the hours in a frame.",
            style={"font-size": "0.85em", "color": "#555"},
        )


@solara.component
def Page() -> None:
    """The dashboard page."""
    run = _current()
    drawn = tick.value  # read: the page is drawn again on every tick

    def mark_shown() -> None:  # runs once the page is drawn (see _play)
        run.shown = max(run.shown, drawn)

    solara.use_effect(mark_shown, None)
    solara.use_thread(lambda cancel: _play(run, cancel), dependencies=[run, run.playing], intrusive_cancel=False)
    map_png = solara.use_memo(lambda: draw_map(run), dependencies=[run, run.hour])
    caption = solara.use_memo(lambda: map_caption(run), dependencies=[run, run.hour])
    chart_png = solara.use_memo(lambda: draw_charts(run), dependencies=[run, run.hour])
    solara.Title("seamig: Central Mediterranean dashboard")
    with solara.Sidebar():
        controls(run)
    with solara.Column(style={"padding": "8px"}):
        solara.Text(
            run.summary_line(), classes=["seamig-summary"], style={"font-size": "1.25em", "font-weight": "bold"}
        )
        solara.Text(run.settings_line(), classes=["seamig-settings"], style={"font-size": "0.9em", "color": "#444"})
        solara.Text(caption, classes=["seamig-sea"], style={"font-size": "1.0em"})
        with solara.Columns([7, 5]):
            solara.Image(map_png, format="png", width="100%", classes=["seamig-map"])
            solara.Image(chart_png, format="png", width="100%", classes=["seamig-charts"])
        solara.Text(
            f"Built-in scenario {SCENARIO}: {scenario().description}. Mesa agent-based model, "
            "one step an hour. Not a forecast: an illustration of mechanisms under stated assumptions "
            "(docs/ODD.md).",
            style={"font-size": "0.85em", "color": "#555"},
        )


# --------------------------------------------------------------------------- serving


def check_address(host: str, port: int) -> None:
    """Raise ConfigError unless ``port`` is 1-65535 and ``host`` is a non-empty name or address."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ConfigError("port", port, "an integer from 1 to 65535")
    if not isinstance(host, str) or not host.strip() or any(ch.isspace() for ch in host):
        raise ConfigError("host", host, "a host name or IP address, e.g. 127.0.0.1")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the dashboard at http://host:port/ until interrupted (blocking).

    Raises:
        ConfigError: a port outside 1-65535 or an empty host.
    """
    check_address(host, port)
    os.environ["SOLARA_APP"] = __name__ if __name__ != "__main__" else "experiments.present.dashboard"
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    import uvicorn
    from solara.server import settings

    # solara warns on every page load over plain http that it falls back to SameSite=lax cookies
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

    settings.telemetry.mixpanel_enable = False
    settings.main.mode = "production"
    if not _loopback(host):
        print(f"seamig dashboard: warning: serving on {host}, reachable from other machines", file=sys.stderr)
    print(f"seamig dashboard: http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning", access_log=False)


def main(argv: list[str] | None = None) -> int:
    """``python -m experiments.present.dashboard [--port N] [--host H]``."""
    p = argparse.ArgumentParser(
        prog="seamig dashboard", description="Serve the live dashboard (Mesa model on central_med_small)."
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    p.add_argument(
        "--host", default=DEFAULT_HOST, help=f"interface to listen on (default {DEFAULT_HOST}, this machine only)"
    )
    args = p.parse_args(argv)
    try:
        serve(args.host, args.port)
    except ConfigError as err:
        print(f"seamig: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
