import numpy as np
import pytest

from model.geography import Geography, coastline_km, points_in_polygon, project
from model.params import Scenario
from model.scenarios import load


@pytest.fixture(scope="module")
def geo():
    return Geography.from_scenario(Scenario())


def test_distances_match_published_figures(geo):
    # P§2: Lampedusa-Malta 176 km; Zuwara-Lampedusa about 290 km (great circle)
    lx, ly = geo.xy("Lampedusa")
    vx, vy = geo.xy("Valletta")
    zx, zy = geo.xy("Zuwara")
    assert np.hypot(lx - vx, ly - vy) == pytest.approx(176, rel=0.05)
    assert np.hypot(lx - zx, ly - zy) == pytest.approx(290, rel=0.05)


def test_srr_lookup(geo):
    states = geo.states
    x, y = project([12.61, 14.85, 12.3, 10.0], [35.50, 36.72, 33.5, 35.0])
    got = [states[i] for i in geo.srr_state_at(x, y)]
    assert got == ["Malta", "Italy", "Libya", "Tunisia"]


def test_ports_and_safety(geo):
    i = geo.port_names.index("Tripoli")
    assert not geo.port_safe[i]
    lx, ly = geo.xy("Lampedusa")
    assert geo.port_names[geo.nearest_port(lx + 1, ly + 1)] == "Lampedusa"
    libya = geo.states.index("Libya")
    assert geo.nearest_port(lx, ly, libya) == -1  # Libya has no place of safety
    assert geo.nearest_port(lx, ly, libya, safe_only=False) >= 0


def test_each_states_nearest_safe_port(geo):
    x, y = geo.xy("Lampedusa")
    d = geo.state_port_distance(x + 30.0, y - 20.0)
    for s in range(len(geo.states)):
        safe = np.flatnonzero(geo.port_safe & (geo.port_state == s))
        want = np.hypot(geo.port_x[safe] - (x + 30.0), geo.port_y[safe] - (y - 20.0)).min() if safe.size else np.inf
        assert d[s] == want
        if safe.size:
            assert geo.nearest_port(x + 30.0, y - 20.0, s) in safe
    assert d[geo.states.index("Libya")] == np.inf


def test_coastline_has_the_islands():
    polys = coastline_km()
    assert len(polys) > 10
    for lon, lat in [(12.60, 35.51), (14.45, 35.88), (14.0, 37.5)]:  # Lampedusa, Malta, Sicily
        x, y = project(lon, lat)
        assert any(points_in_polygon(x, y, p)[0] for p in polys), (lon, lat)
    x, y = project(13.0, 34.0)  # open sea
    assert not any(points_in_polygon(x, y, p)[0] for p in polys)


def test_point_in_polygon_matches_matplotlib_on_edges_and_vertices():
    """The compiled crossing test answers as matplotlib's Path.contains_points.

    Points on edges and vertices included.
    """
    from matplotlib.path import Path

    rng = np.random.default_rng(3)
    polys = coastline_km()[:12] + list(Geography.from_scenario(load("central_med_2016")).srr_polys)
    for poly in polys:
        lo, hi = poly.min(axis=0) - 5.0, poly.max(axis=0) + 5.0
        x, y = rng.uniform(lo[0], hi[0], 3000), rng.uniform(lo[1], hi[1], 3000)
        i = rng.integers(0, len(poly), 500)
        j, t = (i + 1) % len(poly), rng.uniform(size=500)
        ex, ey = poly[i, 0] + t * (poly[j, 0] - poly[i, 0]), poly[i, 1] + t * (poly[j, 1] - poly[i, 1])
        x = np.concatenate([x, poly[:, 0], ex, ex])  # random points, vertices, points on edges, on an edge's line
        y = np.concatenate([y, poly[:, 1], ey, np.full(500, poly[0, 1])])
        assert np.array_equal(points_in_polygon(x, y, poly), Path(poly).contains_points(np.column_stack([x, y])))


def test_srr_state_is_the_first_srr_holding_the_point():
    geo = Geography.from_scenario(load("central_med_2016"))
    rng = np.random.default_rng(4)
    x, y = rng.uniform(-600, 600, 4000), rng.uniform(-500, 500, 4000)
    want = np.full(x.size, -1)
    for poly, s in zip(geo.srr_polys[::-1], geo.srr_state[::-1], strict=True):  # the first listed wins
        want = np.where(points_in_polygon(x, y, poly), s, want)
    got = geo.srr_state_at(x, y)
    assert np.array_equal(got, want)
    assert len(set(got.tolist())) >= 3  # the sample crosses several SRRs
    for place, state in [("Valletta", "Malta"), ("Catania", "Italy"), ("Tripoli", "Libya")]:
        assert int(geo.srr_state_at(*geo.xy(place))[0]) == geo.states.index(state), place
