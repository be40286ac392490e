"""Every input answered clearly (issue #21): one line on stderr and exit 2, never a traceback or a hang.

One test per class of input (bounds and sizes, experiment files, damaged result folders, paths and
arguments), then property tests (hypothesis) that feed generated experiment files, argument lists
and damaged folders to ``experiments.cli.main`` in-process and fail on any exception that escapes
or any exit code other than 0 and 2. ``scripts/hostile_corpus.py`` runs a larger corpus of the
same kinds in forked processes, with timeouts.
"""

import dataclasses
import json
import math
import os
import re
import shutil
import time
import typing
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.cli import main
from experiments.run import spec
from experiments.run.spec import Experiment, load_experiment
from experiments.run.sweep import sweep
from model.errors import ConfigError
from model.params import Scenario

TINY = {
    "name": "tiny",
    "question": "q",
    "base": "central_med_small",
    "days": 2,
    "replicates": 1,
    "seed": 1,
    "outcomes": ["dead_and_missing", "arrivals"],
    "factors": {"world.adaptation.strength": [0.0, 1.0]},
}


def answered(capsys, rc: int) -> str:
    """The error line of a refused command (exactly one line on stderr, exit 2)."""
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.startswith("seamig: error: ") and "\n" not in err, (rc, err)
    return err


# --- 1. bounds that mean something, and runs too large to start ---------------------------------


def _numeric_fields(cls: type, prefix: str = "") -> list[tuple[str, dict]]:
    out = []
    for f in dataclasses.fields(cls):
        tp = typing.get_type_hints(cls)[f.name]
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        inner = args[-1] if origin in (tuple, dict) else tp
        if dataclasses.is_dataclass(inner):
            out += _numeric_fields(inner, f"{prefix}{f.name}.")
        elif inner in (int, float):
            out.append((prefix + f.name, dict(f.metadata)))
    return out


def test_every_numeric_parameter_has_both_bounds_and_large_ones_say_why():
    fields = _numeric_fields(Scenario)
    assert len(fields) > 80
    unbounded = [name for name, meta in fields if meta["lo"] is None or meta["hi"] is None]
    assert unbounded == []
    unexplained = [
        name
        for name, meta in fields
        if meta["hi"] > 1 and not meta.get("why") and meta["hi"] not in (90, 180) and name != "world.days"
    ]
    assert len(unexplained) < 15, unexplained  # shares, probabilities and coordinates explain themselves


@pytest.mark.parametrize(
    "key, value",
    [
        ("world.boats.fishing.speed_kn", 1e30),
        ("world.boats.rubber.typical_load_people", 1e308),
        ("policy.sar.fleets.ngo.capacity_people", 1e6),
        ("policy.states.Italy.own_srr_logit", -1e6),
        ("world.weather.hazard_per_unit", 1e9),
        ("world.states.Italy.processing_days", 1e9),
    ],
)
def test_absurd_values_are_refused_with_the_reason(key, value):
    with pytest.raises(ConfigError) as err:
        Scenario().with_overrides({key: value})
    assert err.value.key == key and "(" in err.value.allowed  # the reason, in brackets after the range


def test_a_run_too_large_for_memory_or_an_hour_needs_yes_or_is_refused(tmp_path, capsys):
    huge = tmp_path / "huge.toml"
    huge.write_text('base = "central_med_2016"\n[world]\ndays = 3650\n[world.demand]\npeople_per_year = 100_000_000\n')
    out = tmp_path / "out"
    t0 = time.perf_counter()
    err = answered(capsys, main(["run", "--scenario", str(huge), "--engine", "mesa", "--out", str(out), "--quiet"]))
    assert "GB per run" in err and (
        "memory" in err or "--yes" in err
    )  # 750 GB: refused on any machine smaller than that
    err = answered(capsys, main(["sweep", "sar_capacity", "--replicates", "100", "--out", str(out), "--quiet"]))
    assert "3,000 runs" in err and "--yes" in err
    assert time.perf_counter() - t0 < 20 and not out.exists()


def test_huge_designs_are_refused_in_a_second(tmp_path, capsys):
    big = [i / 1000 for i in range(1000)]
    cases = {
        "grid": {**TINY, "factors": {"world.adaptation.strength": big, "policy.sar.merchant.compliance": big}},
        "lhs": {
            **TINY,
            "factors": {},
            "design": "lhs",
            "samples": 1_000_000,
            "ranges": {"world.adaptation.strength": [0.0, 1.0]},
        },
        "morris": {
            **TINY,
            "factors": {},
            "design": "morris",
            "samples": 1_000_000,
            "ranges": {"world.adaptation.strength": [0.0, 1.0]},
        },
    }
    for name, data in cases.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(tomli_w.dumps(data))
        t0 = time.perf_counter()
        err = answered(capsys, main(["sweep", str(path), "--out", str(tmp_path / name), "--quiet"]))
        assert time.perf_counter() - t0 < 5 and "too large" in err and "scenarios" in err, err
    t0 = time.perf_counter()
    err = answered(
        capsys,
        main(
            [
                "sensitivity",
                "pull_factor",
                "--method",
                "sobol",
                "--samples",
                "1000000",
                "--out",
                str(tmp_path / "s"),
                "--quiet",
            ]
        ),
    )
    assert time.perf_counter() - t0 < 5 and "7,000,000 scenarios" in err
    err = answered(
        capsys,
        main(
            [
                "sensitivity",
                "pull_factor",
                "--method",
                "sobol",
                "--samples",
                "1024",
                "--out",
                str(tmp_path / "s"),
                "--quiet",
            ]
        ),
    )
    assert "--yes" in err and "runs" in err
    assert not any(tmp_path.glob("*/manifest.json"))


# --- 2. experiment files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "patch, key",
    [
        ({"outcomes": 0}, "outcomes"),
        ({"outcomes": ["arrivals", "arrivals"]}, "outcomes"),
        ({"fixed": 3}, "fixed"),
        ({"baseline": [1]}, "baseline"),
        ({"factors": {"world.adaptation.strength": 3}}, "factors.world.adaptation.strength"),
        ({"factors": {"world.adaptation.strength": [0.5, 0.5]}}, "factors.world.adaptation.strength"),
        ({"factors": {"world.adaptation.strength": [0.0, 5.0]}}, "factors.world.adaptation.strength"),
        ({"packages": {"a": 3}}, "packages.a"),
        ({"packages": {"a": {"world.boats.fishing.speed_kn": 1e30}}}, "packages.a.world.boats.fishing.speed_kn"),
        ({"replicates": math.inf}, "replicates"),
        ({"seed": -1}, "seed"),
        ({"days": 1.5}, "days"),
        ({"samples": 10**18}, "samples"),
        ({"name": "../../etc"}, "name"),
        ({"charts": {"c": 3}}, "charts.c"),
        ({"charts": {"c": {"kind": "bars", "outcome": ["x"]}}}, "charts.c.outcome"),
        ({"charts": {"c": {"kind": "bars", "colour": "red"}}}, "charts.c.colour"),
        ({"design": "sobol", "ranges": {"world.adaptation.strength": [0.0, 1.0]}, "samples": 12}, "samples"),
        (
            {"design": "lhs", "ranges": {"world.adaptation.strength": [0.0, math.inf]}},
            "ranges.world.adaptation.strength",
        ),
        ({"design": "lhs", "ranges": {"world.adaptation.strength": [0.0, 5.0]}}, "ranges.world.adaptation.strength"),
        ({"design": "lhs", "ranges": {"name": [0, 1]}}, "ranges.name"),
        ({"design": "lhs", "ranges": {}}, "ranges"),
    ],
)
def test_every_key_and_type_of_an_experiment_is_checked(patch, key):
    with pytest.raises(ConfigError) as err:
        Experiment.from_dict({**TINY, **patch})
    assert err.value.key == key, str(err.value)


def test_extends_cycles_are_refused(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('extends = "b"\nname = "a"\n')
    (tmp_path / "b.toml").write_text('extends = "a"\nname = "b"\nquestion = "q"\nbase = "central_med_small"\n')
    monkeypatch.setattr(spec, "HERE", tmp_path)
    with pytest.raises(ConfigError, match="cycle") as err:
        load_experiment("a")
    assert err.value.key == "extends"


# --- 3. damaged result folders --------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A finished tiny sweep: two scenarios, one replicate, two days."""
    root = tmp_path_factory.mktemp("hostile")
    return sweep(
        Experiment.from_dict({**TINY, "baseline": "adaptation.strength=0.0"}),
        root / "sweep",
        executor="serial",
        progress=False,
    )


def _damaged(folder: Path, tmp_path: Path, damage) -> Path:
    copy = tmp_path / "damaged"
    shutil.copytree(folder, copy)
    damage(copy)
    return copy


DAMAGES = {
    "runs truncated": (
        lambda d: (d / "runs.parquet").write_bytes((d / "runs.parquet").read_bytes()[:100]),
        "runs.parquet",
    ),
    "runs empty": (lambda d: (d / "runs.parquet").write_bytes(b""), "runs.parquet"),
    "daily garbage": (lambda d: (d / "daily.parquet").write_bytes(os.urandom(2000)), "daily.parquet"),
    "manifest invalid": (lambda d: (d / "manifest.json").write_text("{not json"), "manifest.json"),
    "manifest a list": (lambda d: (d / "manifest.json").write_text("[]"), "manifest.json"),
    "manifest no experiment": (lambda d: (d / "manifest.json").write_text('{"engine": "mesa"}'), "manifest.json"),
    "manifest outcomes 3": (
        lambda d: (d / "manifest.json").write_text(
            json.dumps(
                {
                    **json.loads((d / "manifest.json").read_text()),
                    "experiment": {**json.loads((d / "manifest.json").read_text())["experiment"], "outcomes": 3},
                }
            )
        ),
        "manifest.json",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize("command", ["summarize", "charts", "report", "history"])
def test_readers_refuse_a_damaged_folder_naming_the_file(folder, tmp_path, capsys, damage, command):
    fn, name = DAMAGES[damage]
    copy = _damaged(folder, tmp_path, fn)
    if name == "daily.parquet" and command != "history":
        return  # only history reads the daily series
    err = answered(capsys, main([command, str(copy)]))
    assert name in err, err
    assert ("--resume" in err) != (name == "manifest.json"), err  # a damaged manifest cannot be resumed: a new folder


def test_figures_as_a_file_is_refused(folder, tmp_path, capsys):
    copy = _damaged(folder, tmp_path, lambda d: (d / "figures").write_text("x"))
    assert "figures" in answered(capsys, main(["charts", str(copy)]))


def test_resume_repairs_a_deleted_runs_folder_and_ignores_stray_names(folder, tmp_path, capsys):
    def damage(d: Path) -> None:
        shutil.rmtree(d / "runs")
        (d / "runs").mkdir()
        for name in ("sX_rY.row.parquet", "s1_rx.sha256.json", "s000000001_r00000.sha256.json", "notes.txt"):
            (d / "runs" / name).write_text("x")

    copy = _damaged(folder, tmp_path, damage)
    exp = tmp_path / "tiny.toml"
    exp.write_text(tomli_w.dumps({**TINY, "baseline": "adaptation.strength=0.0"}))
    assert main(["sweep", str(exp), "--out", str(copy), "--resume", "--executor", "serial", "--quiet"]) == 0
    import pandas as pd

    assert len(pd.read_parquet(copy / "runs.parquet")) == 2
    copy2 = _damaged(folder, tmp_path / "b", lambda d: (shutil.rmtree(d / "runs"), (d / "runs").write_text("x")))
    assert "runs" in answered(
        capsys, main(["sweep", str(exp), "--out", str(copy2), "--resume", "--executor", "serial", "--quiet"])
    )


# --- 4. paths and arguments -----------------------------------------------------------------------


def test_paths_and_arguments_are_checked(tmp_path, capsys):
    afile = tmp_path / "a_file"
    afile.write_text("x")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    cases = [
        (["validate", str(tmp_path)], "folder"),
        (["validate", "/dev/zero"], "regular file"),
        (["validate", str(fifo)], "regular file"),
        (["scenario", "show", str(tmp_path)], "folder"),
        (["sweep", str(fifo), "--out", str(tmp_path / "s")], "regular file"),
        (
            ["run", "--scenario", "central_med_small", "--days", "2", "--out", str(afile / "sub"), "--quiet"],
            "is a file",
        ),
        (["case", "elizabeth", "--out", "/dev/null", "--quiet"], "not a file"),
        (["case", "elizabeth", "--seed", "-1", "--quiet", "--out", str(tmp_path / "c")], "--seed"),
        (["run", "--seed", str(2**70), "--out", str(tmp_path / "r"), "--quiet"], "--seed"),
        (["summarize", str(afile)], "a folder"),
        (["history", str(tmp_path), "--observed", str(tmp_path)], "--observed"),
        (
            [
                "sweep",
                "sar_capacity",
                "--executor",
                "dask",
                "--scheduler",
                "garbage",
                "--out",
                str(tmp_path / "d"),
                "--quiet",
                "--days",
                "1",
                "--replicates",
                "1",
            ],
            "--scheduler",
        ),
    ]
    for argv, fragment in cases:
        assert fragment in answered(capsys, main(argv)), argv
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "fifo"]


# --- 5. properties: whatever comes in, a clear answer ---------------------------------------------

SCALARS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "central_med_small",
            "grid",
            "sobol",
            "lhs",
            "morris",
            "mesa",
            "vector",
            "dead_and_missing",
            "world.days",
            "policy.sar.fleets.ngo.count",
            "bars",
            "heatmap",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["a", "world.days", "world.adaptation.strength", "kind", "outcome", "x"]), inner, max_size=3
        ),
    ),
    max_leaves=8,
)
KEYS = st.sampled_from([*spec.TOP_KEYS, "extends", "other"])


@st.composite
def experiment_files(draw) -> dict:
    data = {**TINY, "factors": dict(TINY["factors"])}
    for _ in range(draw(st.integers(1, 3))):
        key = draw(KEYS)
        if key in ("factors", "ranges", "packages", "charts", "fixed") and draw(st.booleans()):
            table = data.get(key) if isinstance(data.get(key), dict) else {}
            entry = draw(
                st.sampled_from(["world.adaptation.strength", "policy.sar.fleets.ngo.count", "world.days", "x", "c"])
            )
            data[key] = {**table, entry: draw(VALUES)}
        elif draw(st.integers(0, 4)) == 0:
            data.pop(key, None)
        else:
            data[key] = draw(VALUES)
    return data


def _clear(rc: int, err: str, usage: bool = False) -> None:
    """Exit 0, or exit 2 with one error line (after argparse's usage lines if it refused the arguments)."""
    assert rc in (0, 2), rc
    if rc == 2:
        lines = err.strip().splitlines()
        assert lines and re.match(r"seamig( [a-z]+)*: error: ", lines[-1]) and (usage or len(lines) == 1), err


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=experiment_files())
def test_property_experiment_files_are_answered_clearly(tmp_path, capsys, data):
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # not expressible in TOML
    path = tmp_path / "exp.toml"
    path.write_text(text, encoding="utf-8")
    rc = main(["validate", str(path)])  # full validation, nothing run
    _clear(rc, capsys.readouterr().err)


ODD = st.sampled_from(
    [
        "-1",
        "0",
        "2",
        "x",
        "",
        "1e3",
        "99999999999999999999",
        "/dev/null",
        "/dev/zero",
        "/",
        "central_med_small",
        "sar_capacity",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    command=st.sampled_from(
        ["run", "sweep", "sensitivity", "case", "validate", "summarize", "charts", "report", "history", "scenario show"]
    ),
    values=st.lists(ODD, min_size=1, max_size=4),
    flags=st.lists(
        st.sampled_from(
            [
                "--seed",
                "--days",
                "--replicates",
                "--workers",
                "--engine",
                "--executor",
                "--scheduler",
                "--samples",
                "--method",
                "--framework",
                "--observed",
                "--out",
            ]
        ),
        max_size=4,
    ),
)
def test_property_argument_lists_are_answered_clearly(tmp_path, capsys, command, values, flags):
    argv = command.split() + values[:1]
    for flag, value in zip(flags, values[1:] + values, strict=False):
        argv += [flag, value]
    if command in ("run", "sweep", "sensitivity", "case"):
        # a valid command line may run: keep it tiny, and its outputs in tmp_path
        argv += ["--out", str(tmp_path / "out"), "--quiet"] + (
            ["--days", "1"] if "--days" not in argv and command != "case" else []
        )
        argv += (
            ["--replicates", "1", "--executor", "serial"]
            if command in ("sweep", "sensitivity") and "--replicates" not in argv and "--executor" not in argv
            else []
        )
    usage = False
    try:
        rc = main(argv)
    except SystemExit as e:  # argparse: exit 2 with usage
        rc, usage = e.code, True
    _clear(rc, capsys.readouterr().err, usage)
    shutil.rmtree(tmp_path / "out", ignore_errors=True)


FOLDER_DAMAGE = st.sampled_from(["delete", "truncate", "empty", "garbage", "folder"])
FOLDER_FILES = st.sampled_from(
    ["manifest.json", "runs.parquet", "daily.parquet", "events.parquet", "scenario.toml", "runs", "figures"]
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(damage=FOLDER_DAMAGE, name=FOLDER_FILES, command=st.sampled_from(["summarize", "charts", "report", "history"]))
def test_property_damaged_folders_are_answered_clearly(folder, tmp_path, capsys, damage, name, command):
    copy = tmp_path / "d"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder, copy)
    target = copy / name
    if target.is_dir():
        shutil.rmtree(target)
        if damage != "delete":
            target.write_bytes(b"x" if damage != "empty" else b"")
    elif target.exists():
        data = target.read_bytes()
        target.unlink()
        if damage == "truncate":
            target.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            target.write_bytes(b"")
        elif damage == "garbage":
            target.write_bytes(os.urandom(512))
        elif damage == "folder":
            target.mkdir()
    rc = main([command, str(copy)])
    _clear(rc, capsys.readouterr().err)
