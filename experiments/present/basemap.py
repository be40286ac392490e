"""The base map both maps draw on: the view, sea and land, search-and-rescue borders, ports and departure points.

``sweep_charts.plot_map`` (a sweep's map of what happened where) and the dashboard's live map
(``dashboard._map_base``) each add their own labels, events and legend on top.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, PolyCollection

from model.geography import coastline_km, places, project, srr_polygons_km

#: Area of interest for the maps: 10-16 E, 32-38 N (projected to km by :func:`view_km`).
MAP_LON, MAP_LAT = (10.0, 16.0), (32.0, 38.0)
SEA, LAND, COAST = "#f3f8fc", "#dcdcdc", "#9a9a9a"
BORDER, BORDER_DASHES = "#555555", (0, (6, 4))  # search-and-rescue borders
PLACE = "#222222"  # ports and departure points


def view_km() -> tuple[tuple[float, float], tuple[float, float]]:
    """The map's x and y limits in km east and north of 13 E 35 N."""
    x, y = project(np.array(MAP_LON), np.array(MAP_LAT))
    return (float(x[0]), float(x[1])), (float(y[0]), float(y[1]))


def draw_land(ax: Axes) -> PolyCollection:
    """Colour the sea and draw the land (GSHHG coastline) under everything else; return the land."""
    ax.set_facecolor(SEA)
    land = PolyCollection(coastline_km(), facecolor=LAND, edgecolor=COAST, lw=0.8, zorder=1)
    ax.add_collection(land)
    return land


def place_points(kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Projected positions (x, y in km) of the places of one kind (``port`` or ``departure``)."""
    known = places()
    names = [n for n, p in known.items() if p["kind"] == kind]
    return project([known[n]["lon"] for n in names], [known[n]["lat"] for n in names])


def draw_srr_borders(ax: Axes, linewidth: float = 1.3) -> LineCollection:
    """Draw the search-and-rescue regions' borders, dashed, each shared border once; return them."""
    borders = LineCollection(
        _boundary_segments(list(srr_polygons_km().values())),
        linestyles=[BORDER_DASHES],
        colors=BORDER,
        linewidths=linewidth,
        zorder=2,
    )
    ax.add_collection(borders)
    return borders


def draw_places(ax: Axes, size: float = 45) -> list[PathCollection]:
    """Mark ports (squares) and departure points (triangles); each marker set has gid ``places:<kind>``."""
    drawn = []
    for kind, marker, label in (("port", "s", "Port"), ("departure", "^", "Departure point")):
        px, py = place_points(kind)
        drawn.append(
            ax.scatter(
                px,
                py,
                s=size,
                marker=marker,
                c=PLACE,
                edgecolors="white",
                linewidths=1.0,
                zorder=4,
                label=label,
                gid=f"places:{kind}",
            )
        )
    return drawn


def _boundary_segments(polys: list[np.ndarray]) -> list[np.ndarray]:
    """The polygons' edges cut at every vertex lying on them, each shared piece once.

    Neighbouring SRRs share borders; drawn twice with dashes out of phase they would look solid.
    """
    points = np.vstack(polys)
    pieces: set[tuple[tuple[float, float], tuple[float, float]]] = set()
    for poly in polys:
        ring = np.vstack([poly, poly[:1]])
        for a, b in zip(ring[:-1], ring[1:], strict=True):
            d = b - a
            length2 = float(d @ d)
            if length2 == 0:
                continue
            t = (points - a) @ d / length2
            off_line = np.abs(d[0] * (points[:, 1] - a[1]) - d[1] * (points[:, 0] - a[0])) / math.sqrt(length2)
            cuts = np.unique(np.r_[0.0, t[(off_line < 1e-6) & (t > 0) & (t < 1)], 1.0])
            for t0, t1 in zip(cuts[:-1], cuts[1:], strict=True):
                p, q = (tuple(float(v) for v in np.round(a + u * d, 6)) for u in (t0, t1))
                pieces.add((min(p, q), max(p, q)))
    return [np.array(seg) for seg in sorted(pieces)]
