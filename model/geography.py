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

import numba
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


def points_in_polygon(x: np.ndarray | float, y: np.ndarray | float, poly: np.ndarray) -> np.ndarray:
    """Which points (x, y) lie inside the closed polygon ``poly`` (n x 2 vertices)."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    y = np.atleast_1d(np.asarray(y, dtype=float))
    poly = np.asarray(poly, dtype=float)
    out = np.empty(x.size, dtype=bool)
    _points_in_polygon(x.ravel(), y.ravel(), np.ascontiguousarray(poly[:, 0]), np.ascontiguousarray(poly[:, 1]), out)
    return out.reshape(x.shape)


@numba.njit(cache=True)
def inside(tx: float, ty: float, px: np.ndarray, py: np.ndarray, start: int, end: int) -> bool:
    """Whether (tx, ty) lies inside the closed polygon of vertices ``start`` to ``end - 1`` of (px, py).

    The crossing-number test of matplotlib's ``Path.contains_points`` (``point_in_path`` in its
    ``_path.h``, radius 0), edge by edge with the same comparisons and arithmetic, so points on or
    next to an edge get its answer (a test checks this against matplotlib).
    """
    result = False
    ax, ay = px[end - 1], py[end - 1]  # the closing edge first: the order of the edges does not change the parity
    for i in range(start, end):
        bx, by = px[i], py[i]
        b_above = by >= ty
        if (ay >= ty) != b_above and ((by - ty) * (ax - bx) >= (bx - tx) * (ay - by)) == b_above:
            result = not result
        ax, ay = bx, by
    return result


@numba.njit(cache=True)
def _points_in_polygon(x, y, px, py, out):
    for i in range(x.size):
        out[i] = np.isfinite(x[i]) and np.isfinite(y[i]) and inside(x[i], y[i], px, py, 0, px.size)


@numba.njit(cache=True)
def srr_states(x, y, poly_x, poly_y, poly_start, poly_state, out):
    """:meth:`Geography.srr_state_at` for points (x, y), compiled.

    The state of the first polygon holding each point, or -1.
    """
    for i in range(x.size):
        out[i] = -1
        for j in range(poly_state.size):
            if inside(x[i], y[i], poly_x, poly_y, poly_start[j], poly_start[j + 1]):
                out[i] = poly_state[j]
                break


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
    srr_x: np.ndarray  # the SRR polygons' vertices, one after another, for compiled code:
    srr_y: np.ndarray  # polygon j is rows srr_start[j] to srr_start[j + 1] - 1
    srr_start: np.ndarray
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
                raise ConfigError(
                    f"world.smugglers.{nname}.destination_port",
                    net.destination_port,
                    "ports of modelled states: " + ", ".join(port_names),
                )
        for fname, fleet in scenario.policy.sar.fleets.items():
            if fleet.home_port not in port_names:
                raise ConfigError(
                    f"policy.sar.fleets.{fname}.home_port",
                    fleet.home_port,
                    "ports of modelled states: " + ", ".join(port_names),
                )
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
            srr_x=np.concatenate([srr_all[n][:, 0] for n in srr_names]),
            srr_y=np.concatenate([srr_all[n][:, 1] for n in srr_names]),
            srr_start=np.cumsum([0] + [len(srr_all[n]) for n in srr_names]).astype(np.int64),
            _where=where,
        )

    def xy(self, place: str) -> tuple[float, float]:
        """Projected (x, y) km of a named place."""
        return self._where[place]

    def srr_state_at(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Index of the state whose SRR contains each point.

        (-1 outside every modelled SRR; the first SRR listed wins).
        """
        x = np.atleast_1d(np.asarray(x, dtype=float))
        y = np.atleast_1d(np.asarray(y, dtype=float))
        out = np.empty(x.size, dtype=np.int64)
        srr_states(x.ravel(), y.ravel(), self.srr_x, self.srr_y, self.srr_start, self.srr_state, out)
        return out.reshape(x.shape)

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

    def nearest_ports(self, x: np.ndarray, y: np.ndarray, state: np.ndarray | None = None) -> np.ndarray:
        """:meth:`nearest_port` (safe ports only) for many points, each with its own ``state`` (or any state)."""
        d = np.hypot(
            self.port_x[None, :] - np.asarray(x, dtype=float)[:, None],
            self.port_y[None, :] - np.asarray(y, dtype=float)[:, None],
        )
        mask = np.broadcast_to(self.port_safe[None, :], d.shape)
        if state is not None:
            mask = mask & (self.port_state[None, :] == np.asarray(state)[:, None])
        d = np.where(mask, d, np.inf)
        return np.where(mask.any(axis=1), np.argmin(d, axis=1), -1)

    def state_ports(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each state's nearest safe port from many points.

        (points x states) distances in km (inf: none) and port indices (-1).
        """
        x, y = np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))
        dist, port = np.empty((x.size, len(self.states))), np.empty((x.size, len(self.states)), dtype=np.int64)
        for i in range(x.size):
            nearest_safe_ports(x[i], y[i], self.port_x, self.port_y, self.port_state, self.port_safe, dist[i], port[i])
        return dist, port

    def state_port_distance(self, x: float, y: float) -> np.ndarray:
        """Distance (km) from (x, y) to each state's nearest safe port (inf if it has none)."""
        out = np.empty(len(self.states))
        nearest_safe_ports(
            float(x),
            float(y),
            self.port_x,
            self.port_y,
            self.port_state,
            self.port_safe,
            out,
            np.empty(len(self.states), dtype=np.int64),
        )
        return out


@numba.njit(cache=True)
def nearest_safe_ports(x, y, port_x, port_y, port_state, port_safe, dist, nearest):
    """Each state's nearest safe port from (x, y).

    Its distance (km) into ``dist`` (inf if none), its index into ``nearest`` (-1; the first of equals).

    Compiled, for :meth:`Geography.state_port_distance` and the vectorised engine's port requests.
    """
    dist[:] = np.inf
    nearest[:] = -1
    for p in range(port_x.size):
        if port_safe[p]:
            d = np.hypot(port_x[p] - x, port_y[p] - y)
            if d < dist[port_state[p]]:
                dist[port_state[p]], nearest[port_state[p]] = d, p
