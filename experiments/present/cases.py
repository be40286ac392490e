"""The seed paper's two rescue cases, replayed: an event log, a timeline chart and a narrative.

``experiments/cases/<name>.toml`` scripts each case: a boat put at sea in distress at a given
place with a given group of people, and a scenario whose stances, ships and timings follow the
case (see each file's header for what is taken from the paper and what is assumed). The Mesa model
then plays it out with its ordinary rules, so ``--framework standing`` (or ``none``) shows how the
same case runs under another arrangement. ``seamig case elizabeth|francisco --out DIR``.

A case file may script a tow (``[tow]``): once a ship of the named fleet has taken the people aboard,
it sails towards the nearest port of the named state at the tow's speed and stops outside that
state's territorial sea (12 nm), where it asks and waits (``--no-tow`` replays without it). This is
all a tow does here: the model carries rescued people aboard the rescue ship, so the tow moves the
place from which that ship asks for a port and waits; it does not model the towed boat, the risk of
the tow or its cost. It is a replay option (Mesa engine), not a mechanism of the model's runs.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.present.style import COLOURS, OKABE_ITO, RC, caption, figure, plt, save_figure
from model.errors import ConfigError
from model.geography import KN_TO_KMH
from model.mesa_engine import MigrationModel
from model.params import FRAMEWORKS
from model.rules import crossing
from model.scenarios import from_dict as scenario_from_dict

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"

CASE_EVENTS = (
    "launch",
    "distress",
    "alert",
    "coordination",
    "tasking",
    "decline",
    "rescue",
    "interception",
    "capsize",
    "request",
    "refusal",
    "acceptance",
    "deal",
    "medevac",
    "landing",
    "relocation",
    "tow",
)
TERRITORIAL_SEA_KM = 22.224  # 12 nautical miles (UNCLOS art. 3): a tow stops outside the state's waters


def case_names() -> list[str]:
    """The scripted cases."""
    return sorted(p.stem for p in CASES_DIR.glob("*.toml"))


@dataclass(frozen=True)
class CaseResult:
    """One replay: the case's events in order, its roles, and a few totals."""

    name: str
    title: str
    framework: str
    seed: int
    events: pd.DataFrame
    roles: dict[str, str]
    summary: dict[str, Any]
    start_date: str
    vessel_names: dict[str, str] = field(
        default_factory=dict
    )  # what the case calls a fleet's ship (the trawler is no merchant ship)


def load_case(name: str) -> dict[str, Any]:
    """The case file as a dict; ConfigError if there is no such case."""
    if name not in case_names():
        raise ConfigError("case", name, "one of " + ", ".join(case_names()))
    return tomllib.loads((CASES_DIR / f"{name}.toml").read_text(encoding="utf-8"))


def run_case(name: str, framework: str | None = None, seed: int = 0, tow: bool = True) -> CaseResult:
    """Replay case ``name`` and return its events.

    ``framework``: replay under another framework; ``tow=False`` leaves out a scripted tow.
    """
    spec = load_case(name)
    data = dict(spec["scenario"])
    if framework is not None:
        if framework not in FRAMEWORKS:
            raise ConfigError("--framework", framework, "one of " + ", ".join(FRAMEWORKS))
        coop = dict(data["policy"]["cooperation"])
        coop["framework"] = framework
        if framework == "standing":
            coop["participants"] = list(spec["standing_participants"])
            coop["relocation_key"] = {
                k: v for k, v in coop.get("relocation_key", {}).items() if k in coop["participants"]
            }
            coop.update(
                spec.get("standing", {})
            )  # the what-if's landing rule and key (model/rules/landing.py, burden.py)
        data = {**data, "policy": {**data["policy"], "cooperation": coop}}
    scenario = scenario_from_dict(data)
    framework = scenario.policy.cooperation.framework
    m = MigrationModel(scenario, rng=seed)
    boat_spec = spec["boat"]
    boat = m.add_boat(
        boat_spec["lon"],
        boat_spec["lat"],
        boat_spec["type"],
        dict(boat_spec["people"]),
        network=boat_spec.get("network"),
    )
    towing = _Tow(m, spec["tow"]) if tow and "tow" in spec else None
    for _ in range(scenario.world.days * 24):
        m.step()
        if towing is not None:
            towing.hour()
        if not boat.people and not any(v.aboard for v in m.vessels) and not m.relocations:
            break
    res = m.result(seed)  # (a wait still running when the replay stops counts, to that hour)
    ev = res.events[res.events["event"].isin(CASE_EVENTS)].sort_values("hour", kind="stable").reset_index(drop=True)
    keep = (
        "departures",
        "rescued",
        "arrivals",
        "dead",
        "missing",
        "disembarkation_requests",
        "disembarkation_refusals",
        "deals",
        "medevacs",
        "relocations",
        "max_wait_days",
        "ships_waiting_end",
    )
    summary = {k: v for k, v in res.summary.items() if k in keep or k.endswith("_by_state")}
    m.release()
    return CaseResult(
        name,
        spec["title"],
        framework,
        seed,
        ev,
        dict(spec.get("roles", {})),
        summary,
        scenario.world.start_date,
        dict(spec.get("vessel_names", {})),
    )


class _Tow:
    """A scripted tow, hour by hour.

    The first ship of ``fleet`` with people aboard and waiting for a port sails towards ``to``'s nearest port.
    """

    def __init__(self, m: MigrationModel, spec: dict[str, Any]) -> None:
        self.m = m
        self.fleet = str(spec["fleet"])
        if spec["to"] not in m.state_index:
            raise ConfigError("tow.to", spec["to"], "a state of the case: " + ", ".join(m.geo.states))
        self.to = m.state_index[spec["to"]]
        self.speed_kmh = float(spec.get("speed_kn", 5.0)) * KN_TO_KMH
        self.vessel = None
        self.done = False

    def hour(self) -> None:
        """Move the towing ship one hour towards the port; log the tow's start and end."""
        m = self.m
        if self.done:
            return
        if self.vessel is None:
            self.vessel = next(
                (v for v in m.vessels if v.fleet_name == self.fleet and v.aboard and v.status == "waiting"), None
            )
            if self.vessel is None:
                return
            port = m.geo.nearest_port(self.vessel.x, self.vessel.y, self.to)
            self.tx, self.ty = float(m.geo.port_x[port]), float(m.geo.port_y[port])
            m.ledger.event(
                m.hour,
                "tow",
                self.vessel.case_id,
                vessel=self.vessel.unique_name,
                state=m.geo.states[self.to],
                persons=len(self.vessel.aboard),
                x=self.vessel.x,
                y=self.vessel.y,
                detail="start",
            )
        v = self.vessel
        if v.status != "waiting":  # a port was found (or everyone was evacuated): the tow ends
            self.done = True
            return
        left = float(crossing.distance(self.tx - v.x, self.ty - v.y)) - TERRITORIAL_SEA_KM
        if left <= 0:
            self.done = True
            m.ledger.event(
                m.hour,
                "tow",
                v.case_id,
                vessel=v.unique_name,
                state=m.geo.states[self.to],
                persons=len(v.aboard),
                x=v.x,
                y=v.y,
                detail="end",
            )
            return
        v.x, v.y, _ = (float(a) for a in crossing.move_toward(v.x, v.y, self.tx, self.ty, min(self.speed_kmh, left)))


# --- narrative ------------------------------------------------------------------------------------


def _who(state: str, roles: dict[str, str]) -> str:
    return f"{state} ({roles[state]})" if state in roles else state


def _vessel(name: str, names: dict[str, str] | None = None) -> str:
    fleet = str(name).split("#")[0]
    if names and fleet in names:
        return names[fleet]
    return {
        "merchant": "a merchant ship",
        "italy_coast_guard_large": "an Italian coast guard cutter",
        "malta_afm": "a Maltese patrol vessel",
        "ngo": "an NGO ship",
    }.get(fleet, fleet.replace("_", " "))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _when(hour: int, start: str) -> str:
    t = pd.Timestamp(start) + pd.Timedelta(hours=int(hour))
    return f"Day {hour // 24} ({t:%d %b}, {t:%H}:00)"


def narrative(case: CaseResult) -> str:
    """A short plain-language account generated from the case's events (one line per step)."""
    r = case.roles
    lines = [f"# {case.title}: replay under the '{case.framework}' arrangement (seed {case.seed})", ""]
    for e in case.events.itertuples(index=False):
        when = _when(e.hour, case.start_date)
        st = _who(e.state, r) if e.state else ""
        text = None
        if e.event == "distress":
            text = (
                f"a {e.detail} boat with {e.persons} people aboard is in distress inside {st}'s search-and-rescue "
                "region."
            )
        elif e.event == "alert":
            text = f"the rescue coordination centre of {st} receives the distress call."
        elif e.event == "coordination":
            text = {
                "srr_state": f"{st}, responsible for the region, coordinates the rescue.",
                "first_alerted": "the state responsible for the region does not act; "
                f"{st}, alerted first, coordinates.",
                "handover": f"with no ship of its own to send, the case passes to {st}.",
            }.get(e.detail, f"{st} coordinates.")
        elif e.event == "tasking":
            text = f"{st} asks {_vessel(e.vessel, case.vessel_names)} to assist" + (
                "; the master seeks permission from his company."
                if "awaiting" in str(e.detail)
                else f" (expected on scene in {str(e.detail).replace('eta_h=', '')} hours)."
            )
        elif e.event == "decline":
            text = (
                f"the master of {_vessel(e.vessel, case.vessel_names)} declines: no permission, and "
                f"no room for {e.persons} people."
            )
        elif e.event == "rescue":
            text = f"{_vessel(e.vessel, case.vessel_names)} takes {e.persons} people aboard."
        elif e.event == "request":
            if str(e.detail) == "flag_state":
                text = f"{st}, the ship's flag state, is asked; it has no port in this sea."
            else:
                continue
        elif e.event == "tow":
            text = (
                f"{_vessel(e.vessel, case.vessel_names)} takes the boat in tow towards {st}'s waters."
                if e.detail == "start"
                else f"the tow stops outside {st}'s territorial sea."
            )
        elif e.event == "refusal":
            text = f"{st} refuses to let the {e.persons} people land."
        elif e.event == "acceptance" and str(e.detail) == "pledge":
            text = (
                f"{st} pledges to take the {e.persons} people: it cannot let them land, but its pledge "
                "opens a deal with a state that can."
            )
        elif e.event == "acceptance":
            text = f"{st} agrees to let the {e.persons} people land."
        elif e.event == "deal":
            text = (
                f"after days of refusals, a deal: {st} lets the {e.persons} people land, on condition "
                "that others take them within the agreed time."
            )
        elif e.event == "medevac":
            text = f"{e.persons} people are evacuated for medical reasons to {st}."
        elif e.event == "landing":
            text = f"{e.persons} people land at {e.detail} ({st})."
        elif e.event == "relocation":
            text = f"{e.persons} people are relocated {e.detail} to {st}."
        elif e.event == "capsize":
            text = f"the boat capsizes; {e.persons} people die."
        if text:
            lines.append(f"- {when}: {text}")
    s = case.summary
    lines += [
        "",
        f"In all: {s['disembarkation_refusals']} refusals of {s['disembarkation_requests']} "
        f"requests to land, {s['deals']} deal(s), "
        f"longest wait at sea {s['max_wait_days']:.1f} days, {s['medevacs']} medical evacuations, "
        f"{s['relocations']} people relocated, {s['dead'] + s['missing']} dead or missing.",
    ]
    if s.get("ships_waiting_end"):
        lines.append(
            f"When the replay ends, {s['ships_waiting_end']} ship(s) are still waiting at sea "
            "for a port; their wait so far counts in the longest wait."
        )
    return "\n".join(lines) + "\n"


# --- timeline chart -------------------------------------------------------------------------------

_STYLE = {
    "distress": ("X", OKABE_ITO["vermillion"], "Distress"),
    "alert": ("^", OKABE_ITO["black"], "Alert to an RCC"),
    "coordination": (">", OKABE_ITO["grey"], "Coordination"),
    "tasking": ("o", OKABE_ITO["sky"], "Ship tasked"),
    "decline": ("x", OKABE_ITO["orange"], "Master declines"),
    "rescue": ("o", OKABE_ITO["blue"], "Rescue"),
    "refusal": ("s", OKABE_ITO["vermillion"], "Refusal to let people land"),
    "acceptance": ("s", OKABE_ITO["green"], "Acceptance (or a flag state's pledge)"),
    "tow": (">", OKABE_ITO["sky"], "Tow"),
    "deal": ("D", OKABE_ITO["purple"], "Deal"),
    "medevac": ("P", OKABE_ITO["yellow"], "Medical evacuation"),
    "landing": ("v", OKABE_ITO["green"], "Landing"),
    "relocation": ("*", COLOURS["arrivals"], "Relocation"),
    "capsize": ("X", OKABE_ITO["black"], "Capsize"),
}


_OFFSET = {"medevac": 0.25, "deal": 0.25, "landing": -0.25, "decline": 0.0, "rescue": 0.0}


def plot_timeline(case: CaseResult, *, ax=None):
    """The case on a time axis in days: one row per actor, one marker per event."""
    with plt.rc_context(RC):
        if ax is None:
            ax = figure(size=(14, 7))[1]
        ev = case.events[case.events["event"].isin(list(_STYLE))].copy()
        ship = ("tasking", "decline", "rescue")
        ev["actor"] = [
            (_who(s, case.roles) if e not in ship else _sentence(_vessel(v, case.vessel_names)))
            if (s or e in ship)
            else "The boat"
            for e, s, v in zip(ev["event"], ev["state"], ev["vessel"], strict=True)
        ]
        ev.loc[ev["event"].isin(["distress", "capsize"]), "actor"] = "The boat"
        actors = list(dict.fromkeys(ev["actor"]))
        y = {a: i for i, a in enumerate(reversed(actors))}
        seen: set[str] = set()
        for e in ev.itertuples(index=False):
            marker, colour, label = _STYLE[e.event]
            edge = {} if marker in ("x", "+") else {"edgecolor": "black", "linewidth": 0.6}
            ax.scatter(
                e.hour / 24,
                y[e.actor] + _OFFSET.get(e.event, 0.0),
                marker=marker,
                s=160,
                color=colour,
                zorder=3,
                label=None if label in seen else label,
                **edge,
            )
            seen.add(label)
        ax.set_yticks(range(len(actors)), list(reversed(actors)))
        ax.set_xlabel("Days since the distress call")
        ax.grid(axis="x", color="#dddddd")
        ax.set_xlim(-0.5, max(1.0, ev["hour"].max() / 24 + 1))
        ax.set_ylim(-0.7, len(actors) - 0.3)
        s = case.summary
        ax.set_title(
            f"{case.title} ({case.framework.replace('_', ' ')}): {s['disembarkation_refusals']} "
            f"refusals, longest wait at sea {s['max_wait_days']:.1f} days"
        )
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def write_case(case: CaseResult, out: str | Path) -> list[Path]:
    """Write events.csv, narrative.md, summary.json and timeline.png/.svg into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fname, text in (
        ("events.csv", case.events.to_csv(index=False, lineterminator="\n")),
        ("narrative.md", narrative(case)),
        (
            "summary.json",
            json.dumps({"case": case.name, "framework": case.framework, "seed": case.seed, **case.summary}, indent=2),
        ),
    ):
        tmp = out / f".{fname}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out / fname)
        written.append(out / fname)
    fig = plot_timeline(case).figure
    caption(
        fig,
        f"Replay of '{case.title}' from the seed paper with seamig's Mesa engine, seed {case.seed}; "
        f"stand-ins and assumed timings in experiments/cases/{case.name}.toml.",
    )
    written += save_figure(fig, out / "timeline")
    return written
