"""Sweep charts: each draws what its table holds, shows the uncertainty, and saves PNG and SVG."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.image import AxesImage

from experiments.present import sweep_charts as sc
from experiments.present.style import OKABE_ITO, figure, save_figure
from model.errors import ConfigError

NGO = "policy.sar.fleets.ngo.count"
ADAPT = "world.adaptation.strength"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def summary():
    """3 NGO counts x 2 adaptation strengths, two outcomes; deaths fall with NGO ships."""
    rows = []
    for i, (ngo, ad) in enumerate((n, a) for n in (0, 4, 8) for a in (0.0, 1.0)):
        for outcome, base in (("dead_and_missing", 3000.0), ("arrivals", 150000.0)):
            m = base * (1 - 0.08 * ngo * (1 - 0.5 * ad)) if outcome == "dead_and_missing" else base + 100 * ngo
            rows.append(
                {
                    "scenario_index": i,
                    "scenario": f"ngo{ngo}_ad{ad}",
                    "outcome": outcome,
                    "mean": m,
                    "ci_low": m * 0.95,
                    "ci_high": m * 1.05,
                    "n": 20,
                    NGO: ngo,
                    ADAPT: ad,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture
def policies():
    names = ["status_quo", "more_ngo_ships", "standing_framework", "ngo_blocked"]
    means = [3000.0, 2200.0, 2500.0, 3900.0]
    return pd.DataFrame(
        [
            {
                "scenario_index": i,
                "scenario": s,
                "outcome": "dead_and_missing",
                "mean": m,
                "ci_low": m - 200,
                "ci_high": m + 250,
                "n": 20,
            }
            for i, (s, m) in enumerate(zip(names, means, strict=True))
        ]
    )


@pytest.fixture
def diffs():
    return pd.DataFrame(
        [
            {
                "scenario": "more_ngo_ships",
                "outcome": "dead_and_missing",
                "diff_mean": -800.0,
                "ci_low": -950.0,
                "ci_high": -630.0,
                "baseline": "status_quo",
            },
            {
                "scenario": "standing_framework",
                "outcome": "dead_and_missing",
                "diff_mean": -60.0,
                "ci_low": -210.0,
                "ci_high": 110.0,
                "baseline": "status_quo",
            },
            {
                "scenario": "ngo_blocked",
                "outcome": "dead_and_missing",
                "diff_mean": 900.0,
                "ci_low": 750.0,
                "ci_high": 1070.0,
                "baseline": "status_quo",
            },
            {
                "scenario": "more_ngo_ships",
                "outcome": "arrivals",
                "diff_mean": 10.0,
                "ci_low": 5.0,
                "ci_high": 15.0,
                "baseline": "status_quo",
            },
        ]
    )


PARAMS = [NGO, ADAPT, "policy.sar.merchant.compliance", "world.weather.hazard_per_unit"]


@pytest.fixture
def sobol():
    st = [0.2, 0.5, 0.05, 0.3]
    rows = []
    for p, v in zip(PARAMS, st, strict=True):
        rows += [
            {"outcome": "dead_and_missing", "parameter": p, "index": "ST", "value": v, "conf": 0.03},
            {"outcome": "dead_and_missing", "parameter": p, "index": "S1", "value": 0.7 * v, "conf": 0.04},
        ]
    return pd.DataFrame(rows)


@pytest.fixture
def morris():
    mu = [300.0, 900.0, 50.0, 600.0]
    rows = []
    for p, v in zip(PARAMS, mu, strict=True):
        rows += [
            {"outcome": "dead_and_missing", "parameter": p, "index": "mu_star", "value": v, "conf": 0.1 * v},
            {"outcome": "dead_and_missing", "parameter": p, "index": "sigma", "value": 0.5 * v, "conf": np.nan},
        ]
    return pd.DataFrame(rows)


@pytest.fixture
def events():
    rng = np.random.default_rng(7)
    counts = {"capsize": 5, "rescue": 12, "interception": 4, "unassisted_arrival": 2, "launch": 9, "landing": 6}
    rows = []
    for kind, k in counts.items():
        for _ in range(k):
            rows.append(
                {
                    "hour": 1.0,
                    "day": 0,
                    "event": kind,
                    "case_id": 1,
                    "vessel": "",
                    "state": "",
                    "persons": int(rng.integers(0, 300)),
                    "x_km": float(rng.uniform(-150, 150)),
                    "y_km": float(rng.uniform(-250, 100)),
                    "detail": "",
                }
            )
    rows.append({**rows[0], "x_km": np.nan, "y_km": np.nan, "event": "rescue"})  # no position: skipped
    return pd.DataFrame(rows)


def _errorbars(ax):
    return [c for c in ax.containers if isinstance(c, ErrorbarContainer)]


def _saved(ax, tmp_path, name):
    ax.figure.set_size_inches(8, 5)  # smaller than the house size, to keep the test fast
    written = save_figure(ax.figure, tmp_path / name)
    assert sorted(p.suffix for p in written) == [".png", ".svg"]
    png, svg = (tmp_path / f"{name}.png"), (tmp_path / f"{name}.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    assert b"<svg" in svg.read_bytes()[:2000] and svg.stat().st_size > 1000
    assert not plt.fignum_exists(ax.figure.number)


# ----------------------------------------------------------------------------- helpers


def test_readable_known_and_fallback():
    assert sc.readable(NGO) == "NGO ships"
    assert sc.readable(ADAPT) == "Smuggler adaptation strength"
    assert sc.readable("dead_and_missing") == "Dead and missing (persons)"
    assert sc.readable("mortality_per_departure") == "Dead or missing per departure"  # (a fraction on the axis: no "%")
    assert sc.readable("arrivals") == "Landed in Europe (persons)"
    assert sc.readable("disembarkation_refusals") == "Refusals to let people land"
    assert sc.readable("mean_wait_days") == "Mean wait for a port (days per ship kept waiting)"
    assert sc.readable("world.weather.noise_sd") == "Noise sd"
    assert sc.readable("world.demand.detention_days") == "Detention (days)"
    assert sc.readable("policy.sar.fleets.italy_navy.speed_kn") == "Italian navy ships: speed (knots)"
    assert sc.readable("policy.sar.fleets.new_fleet.count") == "New fleet (vessels)"


def test_policy_colour_is_stable_and_baseline_grey():
    labels = ["status_quo", "b_policy", "a_policy", "baseline_2016"]
    assert sc.policy_colour("status_quo", labels) == OKABE_ITO["grey"]
    assert sc.policy_colour("baseline_2016", labels) == OKABE_ITO["grey"]
    first = {lab: sc.policy_colour(lab, labels) for lab in labels}
    assert first == {lab: sc.policy_colour(lab, labels[::-1]) for lab in labels}  # order does not matter
    assert first["a_policy"] != first["b_policy"]
    assert set(first.values()) <= set(OKABE_ITO.values())
    assert sc.policy_colour("2", ["2", "10"]) == sc.POLICY_PALETTE[0]  # numbers sort by value


# ----------------------------------------------------------------------------- charts


def test_dose_response(summary, tmp_path):
    ax = sc.plot_dose_response(summary, outcome="dead_and_missing", x=NGO, hue=ADAPT)
    assert isinstance(ax, Axes)
    assert len(ax.lines) == 2 and all(len(line.get_xdata()) == 3 for line in ax.lines)
    assert [list(line.get_xdata()) for line in ax.lines] == [[0, 4, 8], [0, 4, 8]]  # sorted numeric
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2  # one confidence band per line
    lo, hi = bands[0].get_paths()[0].vertices[:, 1].min(), bands[0].get_paths()[0].vertices[:, 1].max()
    assert lo == pytest.approx(0.95 * summary.query("outcome == 'dead_and_missing'")["mean"].min(), rel=0.2)
    assert hi > lo
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "Smuggler adaptation strength"
    assert [t.get_text() for t in legend.get_texts()][:2] == ["0", "1"]
    assert "fall" in ax.get_title() and "NGO ships" in ax.get_title()
    assert ax.get_xlabel() == "NGO ships" and ax.get_ylabel() == "Dead and missing (persons)"
    _saved(ax, tmp_path, "dose")


def test_dose_response_without_hue_on_given_axes(summary):
    _, axes = figure(1, 2)
    one = summary[summary[ADAPT] == 0.0]
    ax = sc.plot_dose_response(one, outcome="arrivals", x=NGO, ax=axes[1])
    assert ax is axes[1] and len(ax.lines) == 1 and len(ax.collections) == 1
    assert not axes[0].lines


def test_dose_response_text_factor_uses_whiskers(summary):
    rows = summary[summary[ADAPT] == 0.0].assign(framework=["none", "none", "ad_hoc", "ad_hoc", "standing", "standing"])
    ax = sc.plot_dose_response(rows, outcome="dead_and_missing", x="framework")
    assert len(_errorbars(ax)) == 1
    assert [t.get_text() for t in ax.get_xticklabels()] == ["None", "Ad hoc", "Standing"]


def test_dose_response_rejects_ambiguous_rows(summary):
    with pytest.raises(ConfigError, match="several scenarios"):
        sc.plot_dose_response(summary, outcome="dead_and_missing", x=NGO)  # adaptation varies too
    with pytest.raises(ConfigError, match="no rows for outcome"):
        sc.plot_dose_response(summary, outcome="nope", x=NGO, hue=ADAPT)
    with pytest.raises(ConfigError, match="missing column"):
        sc.plot_dose_response(summary, outcome="arrivals", x="policy.nope", hue=ADAPT)


def test_grouped_bars(policies, tmp_path):
    ax = sc.plot_grouped_bars(policies, outcome="dead_and_missing")
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 4
    assert [p.get_height() for p in ax.patches] == [3000, 2200, 2500, 3900]
    (bars,) = _errorbars(ax)
    segments = bars.lines[2][0].get_segments()
    assert [tuple(s[:, 1]) for s in segments] == [(m - 200, m + 250) for m in (3000, 2200, 2500, 3900)]
    assert [t.get_text() for t in ax.texts] == ["3,000", "2,200", "2,500", "3,900"]
    assert ax.patches[0].get_facecolor()[:3] == pytest.approx(plt.matplotlib.colors.to_rgb(OKABE_ITO["grey"]))
    assert len({p.get_facecolor() for p in ax.patches}) == 4
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Status quo"
    _saved(ax, tmp_path, "bars")


def test_grouped_bars_order_and_stable_colours(policies):
    ax1 = sc.plot_grouped_bars(policies, outcome="dead_and_missing")
    colours = {t.get_text(): p.get_facecolor() for t, p in zip(ax1.get_xticklabels(), ax1.patches, strict=True)}
    ax2 = sc.plot_grouped_bars(policies, outcome="dead_and_missing", order=["ngo_blocked", "status_quo"])
    assert [p.get_height() for p in ax2.patches] == [3900, 3000]
    assert ax2.patches[0].get_facecolor() != ax2.patches[1].get_facecolor()
    assert colours["Status quo"] == ax2.patches[1].get_facecolor()
    with pytest.raises(ConfigError, match="unknown bar"):
        sc.plot_grouped_bars(policies, outcome="dead_and_missing", order=["nope"])


def test_heatmap(summary, tmp_path):
    ax = sc.plot_heatmap(summary, outcome="dead_and_missing", x=NGO, y=ADAPT)
    assert isinstance(ax, Axes)
    (image,) = [a for a in ax.get_children() if isinstance(a, AxesImage)]
    assert image.get_array().shape == (2, 3)  # rows: adaptation, columns: NGO ships
    assert image.get_cmap().name.startswith("cividis")
    assert len(ax.texts) == 6 and all("[" in t.get_text() and "–" in t.get_text() for t in ax.texts)
    assert len(ax.figure.axes) == 2  # the colour bar
    assert "Dead and missing (persons)" in ax.figure.axes[1].get_ylabel()
    _saved(ax, tmp_path, "heat")


def test_heatmap_marks_missing_cells(summary):
    rows = summary[~((summary[NGO] == 4) & (summary[ADAPT] == 1.0))]
    ax = sc.plot_heatmap(rows, outcome="arrivals", x=NGO, y=ADAPT)
    assert sum(t.get_text() == "no runs" for t in ax.texts) == 1


def test_differences(diffs, tmp_path):
    ax = sc.plot_differences(diffs, outcome="dead_and_missing")
    assert isinstance(ax, Axes)
    bars = _errorbars(ax)
    assert len(bars) == 3  # one dot and whisker per scenario
    assert [tuple(b.lines[2][0].get_segments()[0][:, 0]) for b in bars] == [(-950, -630), (-210, 110), (750, 1070)]
    assert any(line.get_xdata()[0] == 0 for line in ax.lines)  # the zero line
    assert ax.get_title() == "Dead and missing: change against status quo"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["More NGO ships", "Standing framework", "NGO blocked"]
    assert bars[1].lines[0].get_markerfacecolor() == "white"  # interval includes zero
    _saved(ax, tmp_path, "diff")


def test_differences_without_baseline_column(diffs):
    ax = sc.plot_differences(diffs.drop(columns="baseline"), outcome="arrivals")
    assert len(_errorbars(ax)) == 1 and "against" not in ax.get_title()


@pytest.mark.parametrize(("method", "fixture", "top"), [("sobol", "sobol", ADAPT), ("morris", "morris", ADAPT)])
def test_sensitivity(method, fixture, top, request, tmp_path):
    indices = request.getfixturevalue(fixture)
    ax = sc.plot_sensitivity(indices, outcome="dead_and_missing", method=method)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 2 * len(PARAMS)
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert labels[-1] == sc.readable(top)  # most influential at the top
    assert labels == [
        sc.readable(p) for p in (["policy.sar.merchant.compliance", NGO, "world.weather.hazard_per_unit", ADAPT])
    ]
    bars = _errorbars(ax)
    expected = 2 if method == "sobol" else 1  # sigma has no interval
    assert len(bars) == expected
    assert sum(len(b.lines[2][0].get_segments()) for b in bars) == expected * len(PARAMS)
    assert len(ax.get_legend().get_texts()) == 2
    _saved(ax, tmp_path, method)


def test_sensitivity_rejects_unknown_method(sobol):
    with pytest.raises(ConfigError, match="method"):
        sc.plot_sensitivity(sobol, outcome="dead_and_missing", method="fast")
    with pytest.raises(ConfigError, match="no indices"):
        sc.plot_sensitivity(sobol, outcome="dead_and_missing", method="morris")


def test_map(events, tmp_path):
    ax = sc.plot_map(events)
    assert isinstance(ax, Axes)
    by_gid = {c.get_gid(): c for c in ax.collections}
    located = events.dropna(subset=["x_km", "y_km"])
    for kind in ("capsize", "rescue", "interception", "unassisted_arrival"):
        assert len(by_gid[kind].get_offsets()) == (located["event"] == kind).sum(), kind
    assert not {"launch", "landing"} & set(by_gid)
    capsize = located[located["event"] == "capsize"]
    sizes = by_gid["capsize"].get_sizes()
    big, small = capsize["persons"].idxmax(), capsize["persons"].idxmin()
    assert sizes[list(capsize.index).index(big)] >= sizes[list(capsize.index).index(small)]  # area grows with persons
    assert isinstance(by_gid["land"], PolyCollection) and len(by_gid["land"].get_paths()) > 10
    assert isinstance(by_gid["srr"], LineCollection)
    texts = {t.get_text() for t in ax.texts}
    assert {"Lampedusa", "Valletta", "Tripoli", "Zuwara", "Pozzallo"} <= texts
    assert {"Libya\nSRR", "Malta\nSRR", "Italy\nSRR"} <= texts
    legend_texts = {
        t.get_text()
        for child in ax.get_children()
        if isinstance(child, plt.matplotlib.legend.Legend)
        for t in child.get_texts()
    }
    assert {"People died or went missing", "Rescued", "Intercepted and returned"} <= legend_texts
    assert ax.get_xlim() == pytest.approx((-273.2, 273.2), abs=1) and ax.get_ylim() == pytest.approx(
        (-333.6, 333.6), abs=1
    )
    assert ax.get_aspect() == 1.0
    assert ax.get_xlabel() == "km east of 13°E" and ax.get_ylabel() == "km north of 35°N"
    _saved(ax, tmp_path, "map")


def test_map_with_no_events_on_given_axes(events):
    _, axes = figure(1, 2)
    ax = sc.plot_map(events.iloc[:0], ax=axes[0])
    assert ax is axes[0]
    assert all(len({c.get_gid(): c for c in ax.collections}[k].get_offsets()) == 0 for k in sc.MAP_KINDS)
    with pytest.raises(ConfigError, match="missing column"):
        sc.plot_map(events.drop(columns="persons"))


def test_baseline_is_matched_by_prefix_not_substring():
    assert (
        sc.is_baseline("status_quo")
        and sc.is_baseline("status_quo, adaptation.strength=0.5")
        and sc.is_baseline("baseline_2016")
    )
    assert not sc.is_baseline("same_as_status_quo")


def test_the_report_captions_every_chart_kind_of_the_registry():
    """Each kind of experiments/chart_kinds.py has its own caption in the report (not the generic one)."""
    from types import SimpleNamespace

    from experiments.chart_kinds import CHART_KINDS
    from experiments.present.report import chart_caption

    runs = pd.DataFrame({"scenario_index": [0, 0], "replicate": [0, 1], "dead": [1.0, 2.0]})
    exp = {"name": "t", "seed": 1, "engine": "vector", "days": 3, "baseline": "status_quo"}

    def caption_of(spec):
        return chart_caption("c", SimpleNamespace(experiment={**exp, "charts": {"c": spec}}, runs=runs, manifest={}))[1]

    generic = caption_of({"kind": "unknown"})
    for kind in CHART_KINDS:
        spec = {"kind": kind, "outcome": "dead", "x": "policy.sar.ngo_blocked", "y": "policy.sar.ngo_blocked"}
        assert caption_of(spec) != generic, kind


def test_both_maps_share_one_base_map(monkeypatch):
    """The sweep's map and the dashboard's draw land, SRR borders and places through experiments.present.basemap."""
    from experiments.present import basemap, dashboard

    drawn = []
    for name in ("draw_land", "draw_srr_borders", "draw_places"):
        real = getattr(basemap, name)

        def spy(*a, _real=real, _name=name, **k):
            drawn.append(_name)
            return _real(*a, **k)

        monkeypatch.setattr(sc, name, spy)
        monkeypatch.setattr(dashboard, name, spy)
    sc.plot_map(pd.DataFrame({"event": [], "persons": [], "x_km": [], "y_km": []}))
    dashboard._map_base.cache_clear()
    dashboard._map_base()
    assert drawn == ["draw_land", "draw_srr_borders", "draw_places"] * 2
    segments = basemap._boundary_segments(list(basemap.srr_polygons_km().values()))
    assert len({tuple(map(tuple, s)) for s in segments}) == len(segments)  # a shared border is drawn once
