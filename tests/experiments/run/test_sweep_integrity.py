"""Work and results are never lost or mixed (issue #25): one regression test per case.

1. a float parameter written as integers (in a scenario file, a package or a factor);
2. ``--resume`` after each kind of damage to a run's files, or a stray file in ``runs/``;
3. every design point's scenario (place names included) checked before the folder is written;
4. two sweeps into one folder;
5. start dates that pandas, the engines or the charts cannot hold;
6. values that would exhaust an engine's memory or divide by zero;
7. a ``--scheduler`` address that is not a dask scheduler.
"""

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main
from experiments.run.analysis import load_results
from experiments.run.spec import Experiment, load_experiment
from experiments.run.store import ResultStore
from experiments.run.sweep import connect, sweep
from model.errors import ConfigError
from model.fields import coerce
from model.scenarios import load

EXPERIMENT = """
name = "integrity"
question = "Are results kept whole?"
base = "central_med_small"
days = 3
replicates = 2
seed = 11
baseline = "status_quo"
outcomes = ["dead_and_missing", "arrivals"]
[factors]
"world.adaptation.strength" = [{low}, {high}]
[packages.status_quo]
"policy.sar.state_assets_scale" = {scale}
[packages.half]
"policy.sar.state_assets_scale" = 0.5
"""


def experiment_file(
    folder: Path, low: str = "0.0", high: str = "1.0", scale: str = "1.0", name: str = "exp.toml"
) -> Path:
    path = folder / name
    path.write_text(EXPERIMENT.format(low=low, high=high, scale=scale))
    return path


def tables(folder: Path) -> tuple[pd.DataFrame, ...]:
    _, runs, daily, events = load_results(folder)
    return runs, daily, events


def assert_same_tables(a: Path, b: Path) -> None:
    for x, y in zip(tables(a), tables(b), strict=True):
        pd.testing.assert_frame_equal(x, y)


# --- 1. integers for floats ---------------------------------------------------------------------


def test_integer_levels_and_package_values_give_the_tables_of_float_ones(tmp_path, capsys):
    ints = experiment_file(tmp_path, low="0", high="1", scale="2", name="ints.toml")
    floats = experiment_file(tmp_path, low="0.0", high="1.0", scale="2.0", name="floats.toml")
    a, b = tmp_path / "ints", tmp_path / "floats"
    assert main(["sweep", str(ints), "--out", str(a), "--executor", "serial", "--replicates", "1", "--quiet"]) == 0
    assert main(["sweep", str(floats), "--out", str(b), "--executor", "serial", "--replicates", "1", "--quiet"]) == 0
    assert_same_tables(a, b)
    runs = tables(a)[0]
    assert runs["policy.sar.state_assets_scale"].dtype == "float64" and set(runs["policy.sar.state_assets_scale"]) == {
        2.0,
        0.5,
    }
    assert runs["world.adaptation.strength"].dtype == "float64"
    assert main(["summarize", str(a)]) == 0
    assert (
        main(["sweep", str(ints), "--out", str(a), "--executor", "serial", "--replicates", "1", "--quiet", "--resume"])
        == 0
    )
    assert_same_tables(a, b)


def test_values_take_their_declared_type():
    assert coerce(float, 2) == 2.0 and isinstance(coerce(float, 2), float)
    assert coerce(int, 3.0) == 3 and isinstance(coerce(int, 3.0), int)
    assert coerce(int, 2.5) == 2.5  # left for validation to refuse
    assert coerce(tuple[float, ...], [1, 2]) == [1.0, 2.0]
    assert coerce(bool, 1) == 1 and coerce(float, True) is True
    exp = Experiment.from_dict(
        {
            "name": "x",
            "question": "q",
            "base": "central_med_small",
            "days": 2,
            "replicates": 1,
            "factors": {"policy.sar.fleets.ngo.count": [1.0, 2]},
        }
    )
    assert [p.scenario.policy.sar.fleets["ngo"].count for p in exp.points()] == [1, 2]
    assert [p.label for p in exp.points()] == ["ngo.count=1", "ngo.count=2"]
    with pytest.raises(ConfigError, match="policy.sar.fleets.ngo.count"):
        Experiment.from_dict(
            {
                "name": "x",
                "question": "q",
                "base": "central_med_small",
                "days": 2,
                "replicates": 1,
                "factors": {"policy.sar.fleets.ngo.count": [1, 2.5]},
            }
        )


def test_integer_literals_in_a_scenario_file_run_as_floats_on_the_vector_engine(tmp_path):
    from model.vector_engine import VectorEngine

    text = """base = "central_med_small"
[world]
days = 2
[world.weather]
hazard_per_unit = {h}
monthly_sea_state = [{s}, {s}, {s}, {s}, {s}, {s}, {s}, {s}, {s}, {s}, {s}, {s}]
[world.demand]
detention_days = {d}
[world.detection.first_alert_share]
Italy = {one}
Malta = {zero}
[policy.sar]
state_assets_scale = {one}
aerial_surveillance = {one}
"""
    (tmp_path / "ints.toml").write_text(text.format(h="2", s="0", d="45", one="1", zero="0"))
    (tmp_path / "floats.toml").write_text(text.format(h="2.0", s="0.0", d="45.0", one="1.0", zero="0.0"))
    ints, floats = load(tmp_path / "ints.toml"), load(tmp_path / "floats.toml")
    assert ints == floats
    assert isinstance(ints.world.weather.hazard_per_unit, float) and isinstance(
        ints.world.weather.monthly_sea_state[0], float
    )
    assert isinstance(ints.world.detection.first_alert_share["Malta"], float)
    a, b = VectorEngine().run(ints, 3), VectorEngine().run(floats, 3)
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.daily, b.daily)


# --- 2. resume verifies what it merges --------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An undamaged sweep (12 runs; replicate 0 keeps map events)."""
    root = tmp_path_factory.mktemp("reference")
    exp = load_experiment(experiment_file(root))
    folder = sweep(exp, root / "ref", executor="serial", progress=False)
    assert len(tables(folder)[2]) > 0, "replicate 0 should have events, or the events damage is not tested"
    return exp, folder


def _first_with_events(runs: Path) -> str:
    return sorted(runs.glob("*.events.parquet"))[0].name.split(".")[0]


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE = {
    "events_deleted": lambda runs, stem: (runs / f"{stem}.events.parquet").unlink(),
    "events_truncated": lambda runs, stem: (runs / f"{stem}.events.parquet").write_bytes(
        (runs / f"{stem}.events.parquet").read_bytes()[:100]
    ),
    "daily_byte_flipped": lambda runs, stem: _flip_byte(runs / f"{stem}.daily.parquet"),
    "row_deleted": lambda runs, stem: (runs / f"{stem}.row.json").unlink(),
    "row_of_another_run": lambda runs, stem: shutil.copy(runs / "s00003_r00001.row.json", runs / f"{stem}.row.json"),
    "checksums_deleted": lambda runs, stem: (runs / f"{stem}.sha256.json").unlink(),
    "checksums_garbage": lambda runs, stem: (runs / f"{stem}.sha256.json").write_text("{not json"),
    "unlisted_events_file": lambda runs, stem: shutil.copy(
        runs / f"{stem}.events.parquet", runs / "s00002_r00001.events.parquet"
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_resume_after_damage_gives_the_tables_of_an_undamaged_sweep(tmp_path, reference, damage, caplog):
    exp, ref = reference
    folder = tmp_path / "damaged"
    shutil.copytree(ref, folder)
    stem = _first_with_events(folder / "runs")
    DAMAGE[damage](folder / "runs", stem)
    victim = "s00002_r00001" if damage == "unlisted_events_file" else stem
    assert victim not in {ResultStore(folder)._stem(s, r) for s, r in ResultStore(folder).done()}
    with caplog.at_level(logging.WARNING, logger="experiments.run.store"):
        sweep(exp, folder, executor="serial", resume=True, progress=False)
    assert "re-running 1 run(s)" in caplog.text and victim in caplog.text
    assert_same_tables(folder, ref)


def test_resume_ignores_stray_run_files_with_a_warning(tmp_path, reference, caplog):
    exp, ref = reference
    folder = tmp_path / "stray"
    shutil.copytree(ref, folder)
    for suffix in ("row.json", "daily.parquet", "sha256.json"):  # a complete run from outside the design
        shutil.copy(folder / "runs" / f"s00000_r00000.{suffix}", folder / "runs" / f"s00099_r00000.{suffix}")
    (folder / "runs" / "notes.txt").write_text("not a run")
    (folder / "runs.parquet").unlink()
    with caplog.at_level(logging.WARNING, logger="experiments.run.store"):
        sweep(exp, folder, executor="serial", resume=True, progress=False)
    assert (
        "ignoring 4 file(s)" in caplog.text and "s00099_r00000.row.json" in caplog.text and "notes.txt" in caplog.text
    )
    assert "re-running" not in caplog.text
    assert_same_tables(folder, ref)
    assert (folder / "runs" / "s00099_r00000.row.json").exists()  # reported, left alone


def test_a_damaged_manifest_is_refused(tmp_path, reference):
    exp, ref = reference
    folder = tmp_path / "bad_manifest"
    shutil.copytree(ref, folder)
    (folder / "manifest.json").write_text('{"digest": ')
    with pytest.raises(ConfigError, match="manifest.json is damaged"):
        sweep(exp, folder, executor="serial", resume=True, progress=False)


# --- 3. every design point checked before the folder is written -------------------------------


def test_an_unknown_home_port_in_a_package_is_refused_before_the_folder_is_written(tmp_path, capsys):
    path = experiment_file(tmp_path)
    path.write_text(path.read_text() + '"policy.sar.fleets.ngo.home_port" = "Atlantis"\n')
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "policy.sar.fleets.ngo.home_port" in err and "Atlantis" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


# --- 4. one sweep per folder ------------------------------------------------------------------

HOLD = (
    "import sys, time; from experiments.run.store import ResultStore\nwith ResultStore(sys.argv[1]).locked():\n "
    "   print('locked', flush=True)\n    time.sleep(120)\n"
)


def test_a_second_sweep_into_a_folder_in_use_is_refused_and_a_stale_lock_does_not_block(tmp_path, capsys):
    path = experiment_file(tmp_path)
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
        err = capsys.readouterr().err
        assert str(out) in err and f"process {holder.pid}" in err and len(err.strip().splitlines()) == 1
        assert not (out / "manifest.json").exists() and not (out / "runs").exists()
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    assert (out / ".lock").read_text().strip() == str(holder.pid)  # left by the killed process
    exp = load_experiment(path).with_changes(replicates=1, days=2)
    sweep(exp, out, executor="serial", progress=False)
    assert len(tables(out)[0]) == 4


def test_a_folder_that_is_not_a_sweeps_gets_no_lock_file(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    assert main(["sweep", str(experiment_file(tmp_path)), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    assert "no manifest.json" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


# --- 5. start dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2016-W01-1", "9999-12-31", "0001-01-01", "20160101", "2199-12-31", "1899-12-31"])
def test_start_dates_outside_what_the_tables_hold_exit_2_before_anything_is_written(tmp_path, capsys, date):
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'base = "central_med_small"\n[world]\nstart_date = "{date}"\ndays = 2\n')
    out = tmp_path / "run"
    assert main(["run", "--scenario", str(scenario), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "world.start_date" in err and "1900-01-01" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    path = experiment_file(tmp_path)
    path.write_text(path.read_text().replace("[factors]", f'[fixed]\n"world.start_date" = "{date}"\n[factors]'))
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    assert "world.start_date" in capsys.readouterr().err
    assert not out.exists()


def test_the_last_dates_a_run_can_span_run_and_chart(tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text('base = "central_med_small"\n[world]\nstart_date = "2199-12-30"\ndays = 2\n')
    out = tmp_path / "run"
    assert main(["run", "--scenario", str(scenario), "--out", str(out), "--quiet"]) == 0
    assert (out / "overview.png").stat().st_size > 0
    assert pd.read_csv(out / "daily.csv")["date"].iloc[-1] == "2199-12-31"


def test_run_writes_nothing_if_writing_its_outputs_fails(tmp_path, monkeypatch, capsys):
    import experiments.present.style

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device", "overview.png")

    monkeypatch.setattr(experiments.present.style, "save_figure", broken)
    out = tmp_path / "run"
    assert main(["run", "--scenario", "central_med_small", "--days", "2", "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == "seamig: error: overview.png: No space left on device"
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a temporary one beside it


# --- 6. values that would exhaust an engine ---------------------------------------------------

OVERSIZE = {
    "zero_shares": (
        "[world.demand]\nmonthly_share_pct = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n",
        "world.demand.monthly_share_pct",
    ),
    "people_1e12": ("[world.demand]\npeople_per_year = 1_000_000_000_000\n", "world.demand.people_per_year"),
    "people_1e30": ("[world.demand]\npeople_per_year = 1e30\n", "world.demand.people_per_year"),
    "boats_1e9": (
        "[world.smugglers.zuwara]\nmax_boats_per_day = 1_000_000_000\n",
        "world.smugglers.zuwara.max_boats_per_day",
    ),
    "detention_1e15": ("[world.demand]\ndetention_days = 1_000_000_000_000_000\n", "world.demand.detention_days"),
    "processing_1e15": (
        "[policy.legal.channels.labour]\nprocessing_days = 1e15\n",
        "policy.legal.channels.labour.processing_days",
    ),
    "huge_integer": ("[world.demand]\npeople_per_year = 1" + "0" * 400 + "\n", "world.demand.people_per_year"),
    "fractional_count": ("[policy.sar.fleets.ngo]\ncount = 2.5\n", "policy.sar.fleets.ngo.count"),
}


@pytest.mark.parametrize("engine", ["mesa", "vector"])
@pytest.mark.parametrize("name", sorted(OVERSIZE))
def test_oversize_values_exit_2_with_what_is_allowed_before_running(tmp_path, capsys, name, engine):
    text, key = OVERSIZE[name]
    scenario = tmp_path / "s.toml"
    scenario.write_text('base = "central_med_small"\n' + text)
    out = tmp_path / "run"
    args = ["run", "--scenario", str(scenario), "--engine", engine, "--days", "2", "--out", str(out), "--quiet"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert key in err and "allowed:" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_the_bounds_admit_the_built_in_scale_scenario():
    x50 = load("central_med_x50")
    assert x50.world.demand.people_per_year == 10_000_000.0


# --- 7. a --scheduler that is not a dask scheduler --------------------------------------------


@pytest.fixture(params=["silent", "garbage"])
def fake_scheduler(request):
    """A plain TCP service on localhost: it accepts and says nothing, or answers with garbage."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()
    conns = []

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conns.append(conn)
            if request.param == "garbage":
                conn.sendall(b"\xff" * 64 + b"HTTP/1.1 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for c in conns:
        c.close()
    server.close()


def test_a_fake_scheduler_fails_within_the_timeout_in_one_line(tmp_path, fake_scheduler, capsys, monkeypatch):
    t0 = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        connect(fake_scheduler, timeout=2)
    assert time.perf_counter() - t0 < 2 + 3
    assert fake_scheduler in str(err.value) and "2 s" in str(err.value)
    import experiments.run.sweep

    monkeypatch.setattr(experiments.run.sweep, "SCHEDULER_TIMEOUT", 2.0)
    out = tmp_path / "out"
    t0 = time.perf_counter()
    assert (
        main(
            [
                "sweep",
                str(experiment_file(tmp_path)),
                "--out",
                str(out),
                "--executor",
                "dask",
                "--scheduler",
                fake_scheduler,
                "--quiet",
            ]
        )
        == 2
    )
    assert time.perf_counter() - t0 < 2 + 10  # validating the experiment takes a few seconds too
    err_text = capsys.readouterr().err
    assert "--scheduler" in err_text and fake_scheduler in err_text and len(err_text.strip().splitlines()) == 1
    assert not out.exists()
