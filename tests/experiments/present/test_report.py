"""The HTML report of a sweep: one self-contained file, findings computed from the results."""

import base64
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.present.figures import draw_all
from experiments.present.report import PNG_SIGNATURE, fmt_count, fmt_value, main, write_report
from experiments.run.spec import load_experiment
from experiments.run.sweep import sweep
from model.errors import ConfigError

TINY = """
name = "tiny_report"
question = "A tiny experiment for the report tests."
base = "central_med_small"
days = 3
replicates = 2
seed = 7
baseline = "status_quo"
outcomes = ["dead_and_missing", "mortality_per_departure", "arrivals", "departures"]
[fixed]  # people leave at once on boats that often capsize, so three days have deaths to report
"world.demand.wait_daily_probability" = 0.0
"world.demand.people_per_year" = 100000
"world.boats.rubber.distress_per_hour" = 0.2
"world.boats.rubber.capsize_mean_hours" = 3.0
[packages.status_quo]
[packages.same_as_status_quo]
[packages.no_ngo]
"policy.sar.ngo_blocked" = true
[charts.deaths]
kind = "bars"
outcome = "dead_and_missing"
[charts.deaths_change]
kind = "differences"
outcome = "dead_and_missing"
[charts.map]
kind = "map"
"""

URL = re.compile(r"(?i)(https?:|//)")


class Page(HTMLParser):
    """Collects tags with their attributes, the text of each section, style text and data-* items."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.sections: dict[str, str] = {}
        self.items: list[tuple[dict[str, str], str]] = []
        self.style = ""
        self._section: str | None = None
        self._item: dict[str, str] | None = None
        self._item_text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "section":
            self._section = a.get("id")
            self.sections[self._section] = ""
        if tag == "li" and "data-role" in a:
            self._item, self._item_text = a, []
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None
        if tag == "li" and self._item is not None:
            self.items.append((self._item, "".join(self._item_text)))
            self._item = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        if self._section:
            self.sections[self._section] += data
        if self._item is not None:
            self._item_text.append(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    (root / "tiny.toml").write_text(TINY)
    return sweep(load_experiment(root / "tiny.toml"), root / "sweep", executor="serial", progress=False, then=draw_all)


@pytest.fixture(scope="module")
def report(folder) -> tuple[Path, str, Page]:
    path = write_report(folder)
    text = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    page.close()
    return path, text, page


def test_report_is_one_html_document(folder, report):
    path, text, page = report
    assert path == folder / "report.html" and path.is_file()
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert text.lower().count("<html") == 1 and text.lower().count("<body") == 1
    assert not list(folder.glob(".*.tmp")), "the temporary file was renamed"
    for section in ("findings", "charts", "scenarios", "assumptions", "provenance"):
        assert section in page.sections, section


def test_images_are_inlined_pngs_one_per_chart(folder, report):
    _, _, page = report
    images = [a for tag, a in page.tags if tag == "img"]
    pngs = sorted((folder / "figures").glob("*.png"))
    assert len(pngs) >= 3 and len(images) == len(pngs)
    prefix = "data:image/png;base64,"
    for a in images:
        assert a["src"].startswith(prefix)
        png = base64.b64decode(a["src"][len(prefix) :], validate=True)
        assert png.startswith(PNG_SIGNATURE) and png[-8:-4] == b"IEND"
        assert b"http" not in png  # matplotlib's text chunk with its web address is left out
        assert a.get("alt")


def test_no_external_reference_anywhere(report):
    _, text, page = report
    for tag, a in page.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed", "base"), tag
        for attr in ("src", "href", "action", "poster", "srcset"):
            value = a.get(attr, "")
            if attr == "src" and value.startswith("data:image/png;base64,"):
                continue
            assert not URL.search(value), (tag, attr, value[:80])
    assert "url(" not in page.style and "@import" not in page.style
    assert "http://" not in text and "https://" not in text


def test_key_findings_carry_the_baseline_mean_and_paired_differences(folder, report):
    _, _, page = report
    runs = pd.read_parquet(folder / "runs.parquet")
    mean = float(runs.loc[runs["package"] == "status_quo", "dead_and_missing"].mean())
    expected = f"{mean:,.0f}" if mean.is_integer() or abs(mean) >= 100 else f"{mean:,.1f}"
    assert fmt_count(mean) == expected
    baseline = [t for a, t in page.items if a["data-role"] == "baseline" and a["data-outcome"] == "dead_and_missing"]
    assert mean > 0, "the tiny experiment should have deaths"
    assert len(baseline) == 1 and expected in baseline[0] and "Status quo" in baseline[0]
    assert expected in page.sections["findings"]
    diffs = {(a["data-scenario"], a["data-outcome"]): t for a, t in page.items if a["data-role"] == "difference"}
    for o in ("dead_and_missing", "mortality_per_departure", "arrivals", "departures"):
        assert ("no_ngo", o) in diffs and ("same_as_status_quo", o) in diffs
        assert "status quo" in diffs[("no_ngo", o)]
        assert "no difference" in diffs[("same_as_status_quo", o)]  # identical scenario, same seeds
    share = [
        t for a, t in page.items if a["data-role"] == "baseline" and a["data-outcome"] == "mortality_per_departure"
    ][0]
    rate = float(runs.loc[runs["package"] == "status_quo", "mortality_per_departure"].mean())
    if runs.loc[runs["package"] == "status_quo", "departures"].gt(0).any():
        assert fmt_value("mortality_per_departure", rate) in share and "%" in share


def test_scenarios_table_and_assumptions(report):
    _, _, page = report
    table = page.sections["scenarios"]
    for label in ("Status quo", "Same as status quo", "No NGO"):
        assert label in table
    assert "NGO ships blocked = yes" in table
    assert "Chance of trying again" not in table and "wait daily probability = 0" in table  # fixed settings
    limits = page.sections["assumptions"]
    assert "3 days" in limits and "2 times" in limits
    assert "illustrative" in limits and "per departure" in limits and "denominators" in limits
    assert "pull factor" in limits and "weak" in limits


def test_provenance_names_digest_seed_and_command(folder, report):
    _, _, page = report
    manifest = json.loads((folder / "manifest.json").read_text())
    prov = page.sections["provenance"]
    assert manifest["digest"] in prov
    assert str(manifest["root_seed"]) in prov
    assert str(manifest["git"]["commit"]) in prov
    assert "seamig sweep tiny_report.toml --out DIR --replicates 2 --days 3" in prov


def test_summaries_and_charts_are_rebuilt_when_missing(folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("report.html"))
    (copy / "summary.csv").unlink()
    (copy / "differences.csv").unlink()
    shutil.rmtree(copy / "figures")
    text = write_report(copy).read_text()
    n_png = len(list((copy / "figures").glob("*.png")))
    assert n_png >= 3 and text.count("<img ") == n_png


def test_without_baseline_reports_highest_and_lowest(folder, tmp_path):
    copy = tmp_path / "nobase"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("report.html", "differences.csv"))
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["experiment"]["baseline"] = ""
    manifest["experiment"]["charts"].pop("deaths_change")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    (copy / "figures" / "deaths_change.png").unlink()
    page = Page()
    page.feed(write_report(copy).read_text())
    roles = {a["data-role"] for a, _ in page.items}
    assert {"highest", "lowest", "range"} <= roles
    assert "no baseline" in page.sections["findings"]


def test_bad_folders_raise_config_error(tmp_path, folder, capsys):
    with pytest.raises(ConfigError):
        write_report(tmp_path / "does_not_exist")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError):
        write_report(empty)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    with pytest.raises(ConfigError):
        write_report(broken)
    no_runs = tmp_path / "no_runs"
    no_runs.mkdir()
    shutil.copy(folder / "manifest.json", no_runs / "manifest.json")
    with pytest.raises(ConfigError):
        write_report(no_runs)
    (no_runs / "runs.parquet").write_bytes(b"not parquet")
    with pytest.raises(ConfigError):
        write_report(no_runs)
    assert main([str(empty)]) == 2
    assert "seamig: error:" in capsys.readouterr().err
    assert not (empty / "report.html").exists()


def test_main_writes_the_report(folder, capsys):
    assert main([str(folder)]) == 0
    assert "report.html" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("outcome", "value", "text"),
    [
        ("dead_and_missing", 4666.1666, "4,666"),
        ("dead_and_missing", 12.25, "12.2"),
        ("dead_and_missing", 3.0, "3"),
        ("mortality_per_departure", 0.02296, "2.3%"),
        ("mortality_per_departure", 0.0041, "0.41%"),
        ("mean_wait_days", 1.53, "1.5 days"),
        ("arrivals", np.nan, "\N{EN DASH}"),
    ],
)
def test_number_formats(outcome, value, text):
    assert fmt_value(outcome, value) == text


def test_seamig_report_command(tmp_path):
    from experiments.cli import main

    assert main(["report", str(tmp_path / "not_a_sweep")]) == 2
