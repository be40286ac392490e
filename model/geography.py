"""Coasts, ports, departure points and search-and-rescue regions on a local km projection.

Places (``data/places.json``), the approximate SRRs (``data/srr.json``) and a GSHHG coastline
cut to the region (``data/coastline.json``, made by ``scripts/make_coastline.py``) are facts files
with their sources inside. Positions are projected to kilometres with an equirectangular projection
centred on the Sicily Channel (35 N, 13 E): north-south distances are exact, east-west ones are
off by the ratio cos(lat)/cos(35 N), about +3% at the Libyan coast (32.8 N) and -4% at Sicily's
north coast (38 N); inside the uncertainty of the SRR lines and patrol stations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from model.errors import ConfigError
from model.params import Scenario

DATA = Path(__file__).parent / "data"
LON0, LAT0 = 13.0, 35.0
KM_PER_DEG = 6371.0 * np.pi / 180.0
KN_TO_KMH = 1.852


def project(lon: np.ndarray | float, lat: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat degrees to km east/north of (13 E, 35 N)."""
    x = (np.asarray(lon, dtype=float) - LON0) * KM_PER_DEG * np.cos(np.radians(LAT0))
    y = (np.asarray(lat, dtype=float) - LAT0) * KM_PER_DEG
    return x, y


def unproject(x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`project`."""
    lon = np.asarray(x, dtype=float) / (KM_PER_DEG * np.cos(np.radians(LAT0))) + LON0
    lat = np.asarray(y, dtype=float) / KM_PER_DEG + LAT0
    return lon, lat


def points_in_polygon(x: np.ndarray, y: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Even-odd ray casting: which points (x, y) lie inside the polygon ``poly`` (n x 2)."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    y = np.atleast_1d(np.asarray(y, dtype=float))
    inside = np.zeros(x.shape, dtype=bool)
    px, py = poly[:, 0], poly[:, 1]
    qx, qy = np.roll(px, -1), np.roll(py, -1)
    for ax, ay, bx, by in zip(px, py, qx, qy, strict=True):
        crosses = (ay > y) != (by > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xcross = ax + (y - ay) * (bx - ax) / (by - ay)
        inside ^= crosses & (x < xcross)
    return inside


@cache
def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def places() -> dict[str, dict]:
    """All known places: name -> {lon, lat, state, kind}."""
    return _load("places.json")["places"]


def coastline_km() -> list[np.ndarray]:
    """Land polygons (GSHHG, see ``data/COASTLINE_LICENCE.md``) as arrays of km (x, y)."""
    out = []
    for ring in _load("coastline.json")["polygons"]:
        arr = np.asarray(ring, dtype=float)
        x, y = project(arr[:, 0], arr[:, 1])
        out.append(np.column_stack([x, y]))
    return out


def srr_polygons_km() -> dict[str, np.ndarray]:
    """Approximate SRR polygons in km, keyed by the name of the responsible state."""
    out = {}
    for name, ring in _load("srr.json")["regions"].items():
        arr = np.asarray(ring, dtype=float)
        x, y = project(arr[:, 0], arr[:, 1])
        out[name] = np.column_stack([x, y])
    return out


@dataclass(frozen=True, slots=True)
class Geography:
    """Everything positional one run needs, as arrays indexed by state and port.

    Attributes:
        states: state names, in ``scenario.world.states`` order (the state index everywhere).
        port_names, port_x, port_y, port_state, port_safe: one entry per port of a modelled state.
        srr_names, srr_polys: SRR polygons in km; ``srr_state`` maps each to a state index or -1.
    """

    states: tuple[str, ...]
    port_names: tuple[str, ...]
    port_x: np.ndarray
    port_y: np.ndarray
    port_state: np.ndarray
    port_safe: np.ndarray
    srr_names: tuple[str, ...]
    srr_polys: tuple[np.ndarray, ...]
    srr_state: np.ndarray
    _where: dict[str, tuple[float, float]] = field(repr=False)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Geography:
        """Resolve every place name in ``scenario``; raise ConfigError naming the key if unknown."""
        known = places()
        srr_all = srr_polygons_km()
        states = tuple(scenario.world.states)

        def need(key: str, name: str, kind: str | None = None) -> None:
            if name not in known or (kind and known[name]["kind"] != kind):
                names = sorted(n for n, p in known.items() if kind is None or p["kind"] == kind)
                raise ConfigError(key, name, ("known " + (kind or "place") + "s: ") + ", ".join(names))

        port_names, port_state = [], []
        for s_idx, (sname, facts) in enumerate(scenario.world.states.items()):
            if facts.srr and facts.srr not in srr_all:
                raise ConfigError(f"world.states.{sname}.srr", facts.srr, "one of " + ", ".join(srr_all))
            for p in facts.ports:
                need(f"world.states.{sname}.ports", p)
                if p in port_names:
                    raise ConfigError(f"world.states.{sname}.ports", p, "each port listed under one state only")
                port_names.append(p)
                port_state.append(s_idx)
        for nname, net in scenario.world.smugglers.items():
            need(f"world.smugglers.{nname}.departure_point", net.departure_point, "departure")
            if net.destination_port not in port_names:
                raise ConfigError(f"world.smugglers.{nname}.destination_port", net.destination_port, "ports of modelled states: " + ", ".join(port_names))
        for fname, fleet in scenario.policy.sar.fleets.items():
            if fleet.home_port not in port_names:
                raise ConfigError(f"policy.sar.fleets.{fname}.home_port", fleet.home_port, "ports of modelled states: " + ", ".join(port_names))
        px, py = project([known[p]["lon"] for p in port_names], [known[p]["lat"] for p in port_names])
        safe = np.array([scenario.world.states[states[s]].place_of_safety for s in port_state], dtype=bool)
        srr_names = tuple(srr_all)
        srr_state = np.array([states.index(n) if n in states else -1 for n in srr_names], dtype=np.int64)
        where = {n: tuple(float(v) for v in project(p["lon"], p["lat"])) for n, p in known.items()}
        return cls(
            states=states,
            port_names=tuple(port_names),
            port_x=px,
            port_y=py,
            port_state=np.asarray(port_state, dtype=np.int64),
            port_safe=safe,
            srr_names=srr_names,
            srr_polys=tuple(srr_all[n] for n in srr_names),
            srr_state=srr_state,
            _where=where,
        )

    def xy(self, place: str) -> tuple[float, float]:
        """Projected (x, y) km of a named place."""
        return self._where[place]

    def srr_state_at(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Index of the state whose SRR contains each point (-1 outside every modelled SRR)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        y = np.atleast_1d(np.asarray(y, dtype=float))
        out = np.full(x.shape, -1, dtype=np.int64)
        for poly, s in zip(self.srr_polys, self.srr_state, strict=True):
            hit = (out == -1) & points_in_polygon(x, y, poly)
            out[hit] = s
        return out

    def nearest_port(self, x: float, y: float, state: int | None = None, safe_only: bool = True) -> int:
        """Index of the nearest port (of ``state`` if given, safe ones only by default); -1 if none."""
        mask = np.ones(len(self.port_names), dtype=bool)
        if state is not None:
            mask &= self.port_state == state
        if safe_only:
            mask &= self.port_safe
        if not mask.any():
            return -1
        d = np.hypot(self.port_x - x, self.port_y - y)
        d[~mask] = np.inf
        return int(np.argmin(d))

    def state_port_distance(self, x: float, y: float) -> np.ndarray:
        """Distance (km) from (x, y) to each state's nearest safe port (inf if it has none)."""
        out = np.full(len(self.states), np.inf)
        d = np.hypot(self.port_x - x, self.port_y - y)
        for i in range(len(self.port_names)):
            if self.port_safe[i]:
                s = self.port_state[i]
                out[s] = min(out[s], d[i])
        return out
