"""End-to-end tests of the seamig command line."""

import json
import subprocess
import sys

import pytest

from experiments.cli import main

BROKEN = {
    "misspelt_key.toml": ("[policy.sar.fleets.ngo]\ncuont = 3\n", "policy.sar.fleets.ngo.cuont"),
    "probability.toml": ("[world.survival]\nbody_recovery_share = 1.7\n", "world.survival.body_recovery_share"),
    "negative_capacity.toml": (
        "[policy.sar.fleets.ngo]\ncapacity_people = -5\n",
        "policy.sar.fleets.ngo.capacity_people",
    ),
    "unknown_port.toml": (
        '[world.smugglers.zuwara]\ndestination_port = "Atlantis"\n',
        "world.smugglers.zuwara.destination_port",
    ),
    "malformed.toml": ("[world\ndays = 3\n", "malformed file"),
    "wrong_type.toml": ('[world]\ndays = "many"\n', "world.days"),
    "unknown_base.toml": ('base = "central_med_1999"\n', "base"),
    "unknown_state.toml": (
        '[policy.cooperation]\nparticipants = ["Italy", "Atlantis"]\n',
        "policy.cooperation.participants",
    ),
}


def test_scenario_list(capsys):
    assert main(["scenario", "list"]) == 0
    out = capsys.readouterr().out
    assert "central_med_2016" in out and "central_med_small" in out


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_exit_2_naming_the_key(tmp_path, capsys, name):
    text, key = BROKEN[name]
    path = tmp_path / name
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert key in err
    assert len(err.strip().splitlines()) == 1
    out = tmp_path / "out"
    assert main(["run", "--scenario", str(path), "--out", str(out), "--quiet"]) == 2
    assert not out.exists()  # nothing half-written


def test_validate_ok_and_bad_arguments(tmp_path, capsys):
    ok = tmp_path / "ok.toml"
    ok.write_text('base = "central_med_small"\n[world]\ndays = 5\n')
    assert main(["validate", str(ok)]) == 0
    assert main(["run", "--scenario", str(ok), "--days", "0", "--out", str(tmp_path / "o")]) == 2
    assert main(["run", "--scenario", str(ok), "--engine", "warp", "--out", str(tmp_path / "o")]) == 2
    assert "engine" in capsys.readouterr().err


def test_show_then_run_gives_identical_results(tmp_path, capsys):
    assert main(["scenario", "show", "central_med_small"]) == 0
    full = tmp_path / "full.toml"
    full.write_text(capsys.readouterr().out)
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", "--scenario", str(full), "--seed", "9", "--days", "12", "--out", str(a), "--quiet"]) == 0
    assert (
        main(["run", "--scenario", "central_med_small", "--seed", "9", "--days", "12", "--out", str(b), "--quiet"]) == 0
    )
    for f in ("daily.csv", "events.csv", "summary.json"):
        assert (a / f).read_text() == (b / f).read_text(), f
    # changing one number changes the results
    changed = tmp_path / "changed.toml"
    changed.write_text(full.read_text().replace("people_per_year = 19800", "people_per_year = 39600"))
    c = tmp_path / "c"
    assert main(["run", "--scenario", str(changed), "--seed", "9", "--days", "12", "--out", str(c), "--quiet"]) == 0
    assert (a / "summary.json").read_text() != (c / "summary.json").read_text()


def test_run_writes_outputs_and_prints_summary(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments.cli",
            "run",
            "--scenario",
            "central_med_small",
            "--engine",
            "mesa",
            "--seed",
            "2",
            "--days",
            "10",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Landed in Europe" in proc.stdout
    for f in ("summary.json", "daily.csv", "events.csv", "overview.png", "overview.svg"):
        assert (out / f).stat().st_size > 0, f
    s = json.loads((out / "summary.json").read_text())
    for key in (
        "departures",
        "arrivals",
        "legal_arrivals",
        "dead",
        "missing",
        "intercepted",
        "rescued",
        "distress_cases",
        "disembarkation_requests",
        "disembarkation_refusals",
        "ships_waited",
        "mean_wait_days",
        "max_wait_days",
        "medevacs",
        "relocations",
        "at_sea_end",
        "aboard_vessels_end",
        "arrivals_by_state",
        "rescued_by_actor",
        "by_profile",
    ):
        assert key in s, key
    assert (
        s["departures"]
        == s["arrivals"] + s["dead"] + s["missing"] + s["intercepted"] + s["at_sea_end"] + s["aboard_vessels_end"]
    )
    assert s["seed"] == 2 and s["engine"] == "mesa"
