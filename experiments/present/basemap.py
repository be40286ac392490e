"""The base map both maps draw on: the view, the sea and the land, and where ports and departure points are.

``sweep_charts.plot_map`` (a sweep's map of what happened where) and the dashboard's live map
(``dashboard._map_base``) each add their own search-and-rescue borders, labels and legend on top.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from model.geography import coastline_km, places, project

#: Area of interest for the maps: 10-16 E, 32-38 N (projected to km by :func:`view_km`).
MAP_LON, MAP_LAT = (10.0, 16.0), (32.0, 38.0)
SEA, LAND, COAST = "#f3f8fc", "#dcdcdc", "#9a9a9a"


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
