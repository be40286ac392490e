"""A corpus of hostile inputs fed to ``seamig`` in-process; counts tracebacks, hangs and bad exit codes.

Four classes (issue #21): mutated experiment files, command-line argument lists with odd values and
paths, damaged result folders, and odd paths (directories, special files, files where a folder is
expected). Each case runs ``experiments.cli.main(argv)`` in a forked child (after the imports and
the numba compilation, so a case costs milliseconds) under a memory limit and a timeout; the
parent counts outcomes:

- ``ok``: exit 0, or exit 2 with a message on stderr;
- ``traceback``: an exception escaped ``main``;
- ``hang``: the child did not finish within ``--timeout`` seconds (killed);
- ``exit``: another exit code, or exit 2 with nothing on stderr.

Run: ``python scripts/hostile_corpus.py [--only experiments,args,folders,paths] [--timeout 30] [-v]``.
Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import tomllib
import traceback
from collections import Counter
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from experiments.cli import main  # noqa: E402

MEMORY_LIMIT = 4 << 30  # bytes of address space per case: a case wanting more fails with MemoryError (a traceback)
REFUSED = "tcp://127.0.0.1:9"  # nothing listens: a sweep that validates its experiment then stops at the scheduler


def run_case(argv: list[str], timeout: float, cwd: Path) -> tuple[str, str]:
    """Run ``main(argv)`` in a forked child; return (outcome, detail)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        code, detail = 1, ""
        try:
            os.chdir(cwd)
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            err = io.StringIO()
            sys.stderr, sys.stdout = err, io.StringIO()
            try:
                rc = main(argv)
                code, detail = (
                    ("ok" if rc == 0 else ("ok" if rc == 2 and err.getvalue().strip() else "exit")),
                    f"rc={rc} {err.getvalue().strip()[-300:]}",
                )
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 1
                code, detail = (
                    ("ok" if rc in (0, 2) else "exit"),
                    f"SystemExit {e.code} {err.getvalue().strip()[-300:]}",
                )
            except BaseException as e:
                tb = traceback.extract_tb(e.__traceback__)
                where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
                code, detail = "traceback", f"{type(e).__name__}: {str(e)[:200]} at {where}"
        finally:
            os.write(w, json.dumps([code, detail]).encode()[:60000])
            os._exit(0)
    os.close(w)
    deadline = time.monotonic() + timeout
    while True:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(r)
            return "hang", f"no answer in {timeout:g} s"
        time.sleep(0.02)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    try:
        outcome, detail = json.loads(data)
    except ValueError:
        return "traceback", "child died without a report"
    return outcome, detail


# ---------------------------------------------------------------------------------- experiments

HOSTILE_VALUES: list[object] = [
    0,
    -1,
    3,
    1.5,
    10**18,
    -(10**18),
    1e308,
    math.inf,
    -math.inf,
    math.nan,
    True,
    "",
    "x",
    [],
    [1],
    ["a"],
    [[1]],
    [1, "a"],
    {},
    {"a": 1},
    {"a": {"b": 1}},
]


def experiment_texts(rng: random.Random) -> list[tuple[str, str]]:
    """(name, TOML text) of mutated experiment files."""
    bases = {p.stem: tomllib.loads(p.read_text()) for p in sorted((HERE / "experiments").glob("*.toml"))}
    small = {
        "name": "tiny",
        "question": "q",
        "base": "central_med_small",
        "days": 2,
        "replicates": 1,
        "seed": 1,
        "design": "sobol",
        "samples": 4,
        "outcomes": ["dead_and_missing"],
        "ranges": {"world.adaptation.strength": [0.0, 1.0], "policy.sar.fleets.ngo.count": [0, 5]},
    }
    bases["tiny_sobol"] = small
    out: list[tuple[str, str]] = []

    def add(name: str, data: dict) -> None:
        try:
            out.append((name, tomli_w.dumps(data)))
        except (TypeError, ValueError):
            pass

    keys = [
        "name",
        "question",
        "base",
        "engine",
        "days",
        "replicates",
        "seed",
        "design",
        "baseline",
        "outcomes",
        "fixed",
        "factors",
        "packages",
        "ranges",
        "samples",
        "charts",
        "extends",
        "unknown_key",
    ]
    for bname, base in bases.items():
        for key in keys:
            d = copy.deepcopy(base)
            d.pop(key, None)
            add(f"{bname}-del-{key}", d)
            for i, v in enumerate(HOSTILE_VALUES):
                d = copy.deepcopy(base)
                d[key] = v
                add(f"{bname}-{key}={i}", d)
        for table in ("fixed", "factors", "packages", "ranges", "charts"):
            for entry in list(base.get(table, {}))[:2]:
                for i, v in enumerate(HOSTILE_VALUES):
                    d = copy.deepcopy(base)
                    d[table][entry] = v
                    add(f"{bname}-{table}.{entry}={i}", d)
                if table == "charts" and isinstance(base[table][entry], dict):
                    for opt in ("kind", "outcome", "x", "y", "hue", "where", "scenario", "title", "group"):
                        for i, v in enumerate(HOSTILE_VALUES[:12] + ["policy.sar.fleets.ngo.count"]):
                            d = copy.deepcopy(base)
                            d[table][entry][opt] = v
                            add(f"{bname}-charts.{entry}.{opt}={i}", d)
    # design-specific rules and sizes
    big = [float(i) / 1000 for i in range(1000)]
    for name, change in {
        "grid-1000x1000": {
            "design": "grid",
            "factors": {"world.adaptation.strength": big, "policy.sar.merchant.compliance": big},
        },
        "grid-empty-level": {"design": "grid", "factors": {"world.adaptation.strength": []}},
        "grid-dup-levels": {"design": "grid", "factors": {"world.adaptation.strength": [0.5, 0.5]}},
        "lhs-1e6": {"design": "lhs", "samples": 10**6},
        "sobol-1e6": {"design": "sobol", "samples": 10**6},
        "morris-1e6": {"design": "morris", "samples": 10**6},
        "sobol-3": {"design": "sobol", "samples": 3},
        "sobol-1": {"design": "sobol", "samples": 1},
        "range-reversed": {"ranges": {"world.adaptation.strength": [1.0, 0.0]}},
        "range-equal": {"ranges": {"world.adaptation.strength": [0.5, 0.5]}},
        "range-inf": {"ranges": {"world.adaptation.strength": [0.0, math.inf]}},
        "range-nan": {"ranges": {"world.adaptation.strength": [math.nan, 1.0]}},
        "range-out-of-bounds": {"ranges": {"world.adaptation.strength": [0.0, 5.0]}},
        "range-huge-int": {"ranges": {"policy.sar.fleets.ngo.count": [0, 10**18]}},
        "range-text-key": {"ranges": {"name": [0, 1]}},
        "range-three": {"ranges": {"world.adaptation.strength": [0.0, 0.5, 1.0]}},
        "range-unknown-key": {"ranges": {"world.nothing": [0.0, 1.0]}},
        "ranges-many": {"ranges": {f"world.k{i}": [0.0, 1.0] for i in range(500)}},
        "fixed-days-huge": {"fixed": {"world.days": 10**9}},
        "fixed-people-huge": {"fixed": {"world.demand.people_per_year": 1e300}},
        "fixed-speed-huge": {"fixed": {"world.boats.fishing.speed_kn": 1e30}},
        "fixed-load-huge": {"fixed": {"world.boats.rubber.typical_load_people": 1e308}},
        "fixed-nested": {"fixed": {"world": {"days": 3}}},
        "extends-self": {"extends": "tiny_sobol"},
        "extends-missing": {"extends": "nope"},
        "extends-builtin": {"extends": "sar_capacity"},
        "outcome-dotted-bad": {"outcomes": ["arrivals_by_state.Nowhere"]},
        "replicates-huge": {"replicates": 100_000, "days": 3650},
        "days-huge": {"days": 3650, "replicates": 100_000},
    }.items():
        d = copy.deepcopy(small)
        d.update(change)
        add(f"tiny-{name}", d)
    # byte-level damage
    for bname, base in list(bases.items())[:4]:
        text = tomli_w.dumps(base)
        for k in range(6):
            cut = rng.randrange(len(text))
            out.append((f"{bname}-truncated{k}", text[:cut]))
            b = list(text)
            for _ in range(5):
                b[rng.randrange(len(b))] = rng.choice('="[]{}#,\n\\\x00é')
            out.append((f"{bname}-bytes{k}", "".join(b)))
    return out


# ------------------------------------------------------------------------------ argument lists


def argument_lists(tmp: Path, rng: random.Random, n: int) -> list[list[str]]:
    """Random command lines: a sub-command with odd values for its options (tiny runs only)."""
    afile = tmp / "a_file"
    afile.write_text("x")
    scen = tmp / "tiny.toml"
    scen.write_text('base = "central_med_small"\nname = "tiny"\n[world]\ndays = 2\n')
    paths = [
        str(tmp),
        str(afile),
        str(afile / "sub"),
        "/dev/null",
        "/dev/zero",
        "/proc/self/mem",
        "/nonexistent/dir/x",
        "",
        "a" * 5000,
        "x\x00y",
        "/",
        "/proc",
        "~/?*",
    ]
    ints = ["-1", "0", "1", "2", "99999999999999999999", "1e3", "x", "", "--", "-0", "3.5"]
    out: list[list[str]] = []
    for _ in range(n):
        cmd = rng.choice(
            [
                "run",
                "sweep",
                "sensitivity",
                "case",
                "validate",
                "scenario show",
                "summarize",
                "charts",
                "report",
                "history",
                "dashboard",
            ]
        )
        argv = cmd.split()
        if cmd in ("validate", "scenario show", "summarize", "charts", "report", "history"):
            argv.append(rng.choice(paths + [str(scen), "central_med_small"]))
            if cmd == "history" and rng.random() < 0.5:
                argv += [rng.choice(["--out", "--observed", "--scenario"]), rng.choice(paths)]
        elif cmd == "run":
            argv += [
                "--scenario",
                rng.choice([str(scen), str(scen), "central_med_small"] + paths),
                "--days",
                rng.choice(["1", "2"] * 3 + ints),
                "--quiet",
            ]
            argv += ["--seed", rng.choice(["0", "1"] * 3 + ints)]
            argv += ["--engine", rng.choice(["mesa", "vector", "x", ""])]
            argv += ["--out", rng.choice([str(tmp / f"run{rng.randrange(10**6)}")] * 3 + paths)]
        elif cmd in ("sweep", "sensitivity"):
            argv += [
                "tiny_exp.toml",
                "--quiet",
                "--days",
                rng.choice(["2"] * 4 + ints),
                "--replicates",
                rng.choice(["1"] * 4 + ints),
            ]
            argv += [
                "--executor",
                rng.choice(["serial", "dask", "processes"]),
                "--workers",
                rng.choice(["1", "1", "0", "-3", "100000"]),
            ]
            argv += ["--out", rng.choice([str(tmp / f"sw{rng.randrange(10**6)}")] * 2 + paths)]
            argv += [
                "--scheduler",
                rng.choice(
                    ["garbage", "tcp://", "tcp://127.0.0.1:99999", "http://x:1", REFUSED, "tcp://[::1", "inproc://x"]
                ),
            ]
            if cmd == "sensitivity":
                argv += [
                    "--method",
                    rng.choice(["sobol", "morris", "x"]),
                    "--samples",
                    rng.choice(["2", "1000000", "10000000000"] + ints),
                ]
        elif cmd == "case":
            argv += [
                rng.choice(["elizabeth", "francisco", "x", str(tmp)]),
                "--quiet",
                "--seed",
                rng.choice(["0"] + ints),
            ]
            argv += [
                "--out",
                rng.choice(paths + [str(tmp / "case")]),
                "--framework",
                rng.choice(["none", "standing", "x", ""]),
            ]
        elif cmd == "dashboard":
            argv += [
                "--port",
                rng.choice(["-1", "0", "99999", "x", "1e3"]),
                "--host",
                rng.choice(["not a host", "256.1.1.1", "", "::::"]),
            ]
        out.append(argv)
    return out


# ---------------------------------------------------------------------------- damaged folders


def tiny_experiment(tmp: Path) -> Path:
    """A two-scenario, one-replicate, two-day experiment file."""
    path = tmp / "tiny_exp.toml"
    path.write_text(
        'name = "tiny"\nquestion = "q"\nbase = "central_med_small"\ndays = 2\nreplicates = 2\nseed = 3\n'
        'baseline = "a"\noutcomes = ["dead_and_missing", "arrivals"]\n[packages.a]\n"policy.sar.state_assets_scale" '
        "= 1.0\n"
        '[packages.b]\n"policy.sar.state_assets_scale" = 0.5\n'
    )
    return path


def damages(folder: Path) -> list[tuple[str, callable]]:
    """(name, function damaging a copy of the folder) for every kind of damage tried."""
    out: list[tuple[str, callable]] = []
    files = sorted(
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".lock" and (p.parent.name != "runs" or p.name.startswith("s00001_r00000"))
    )
    files = [
        f
        for f in files
        if f.parent.name != "figures" or f.name == sorted(x.name for x in (folder / "figures").iterdir())[0]
    ]
    for rel in files:

        def delete(root, rel=rel):
            (root / rel).unlink()

        def truncate(root, rel=rel):
            p = root / rel
            p.write_bytes(p.read_bytes()[: max(1, p.stat().st_size // 2)])

        def empty(root, rel=rel):
            (root / rel).write_bytes(b"")

        def garbage(root, rel=rel):
            (root / rel).write_bytes(bytes(random.Random(1).randrange(256) for _ in range(4096)))

        def directory(root, rel=rel):
            (root / rel).unlink()
            (root / rel).mkdir()

        def devzero(root, rel=rel):
            (root / rel).unlink()
            (root / rel).symlink_to("/dev/zero")

        for fn in (delete, truncate, empty, garbage, directory, devzero):
            if "figures" in str(rel) and fn not in (delete, garbage):
                continue
            out.append((f"{rel}:{fn.__name__}", fn))
    manifests = {
        "list": [],
        "null": None,
        "number": 3,
        "no-experiment": {"engine": "mesa"},
        "experiment-number": {"experiment": 3},
        "experiment-empty": {"experiment": {}},
    }
    for name, m in manifests.items():
        out.append((f"manifest={name}", lambda root, m=m: (root / "manifest.json").write_text(json.dumps(m))))
    edits = [
        ("outcomes", 3),
        ("outcomes", [3]),
        ("outcomes", ["nope"]),
        ("points", []),
        ("points", [3]),
        ("points", [{"factors": 3}]),
        ("seed", "x"),
        ("seed", -5),
        ("replicates", "x"),
    ]
    edits += [
        ("charts", 3),
        ("charts", {"c": 3}),
        ("charts", {"c": {"kind": "bars"}}),
        ("design", "sobol"),
        ("design", 3),
        ("baseline", 3),
        ("baseline", "nope"),
        ("name", None),
        ("ranges", 3),
        ("samples", "x"),
    ]
    for key, v in edits:

        def edit(root, key=key, v=v):
            m = json.loads((root / "manifest.json").read_text())
            m["experiment"][key] = v
            (root / "manifest.json").write_text(json.dumps(m))

        out.append((f"manifest.experiment.{key}={json.dumps(v)}", edit))
    for name, fn in {
        "runs-dir-deleted": lambda root: shutil.rmtree(root / "runs"),
        "runs-dir-file": lambda root: (shutil.rmtree(root / "runs"), (root / "runs").write_text("x")),
        "stray-sX": lambda root: (root / "runs" / "sX_rY.row.parquet").write_bytes(b"x"),
        "stray-s1_rx": lambda root: (root / "runs" / "s1_rx.sha256.json").write_text("{}"),
        "stray-long": lambda root: (root / "runs" / "s000000001_r00000.sha256.json").write_text("{}"),
        "stray-dir": lambda root: (root / "runs" / "s00000_r00009.row.parquet").mkdir(),
        "stray-dir-sums": lambda root: (
            (root / "runs" / "s00000_r00000.sha256.json").unlink()
            or (root / "runs" / "s00000_r00000.sha256.json").mkdir()
        ),
        "figures-file": lambda root: (shutil.rmtree(root / "figures"), (root / "figures").write_text("x")),
        "report-dir": lambda root: (root / "report.html").mkdir(),
        "summary-dir": lambda root: (
            (root / "summary.csv").mkdir(exist_ok=True)
            if not (root / "summary.csv").exists()
            else ((root / "summary.csv").unlink(), (root / "summary.csv").mkdir())
        ),
        "runs-parquet-no-columns": lambda root: (
            __import__("pandas").DataFrame({"x": [1]}).to_parquet(root / "runs.parquet")
        ),
        "runs-parquet-empty-table": lambda root: __import__("pandas").DataFrame().to_parquet(root / "runs.parquet"),
        "runs-parquet-text-outcome": lambda root: _edit_runs(root, "dead_and_missing", "x"),
        "runs-parquet-inf-outcome": lambda root: _edit_runs(root, "arrivals", math.inf),
        "runs-parquet-no-index": lambda root: _drop_runs(root, "scenario_index"),
        "lock-dir": lambda root: ((root / ".lock").unlink(missing_ok=True), (root / ".lock").mkdir()),
        "folder-is-file": lambda root: (shutil.rmtree(root), root.write_text("x")),
        "folder-empty": lambda root: (shutil.rmtree(root), root.mkdir()),
    }.items():
        out.append((name, fn))
    return out


def _edit_runs(root: Path, col: str, value: object) -> None:
    import pandas as pd

    df = pd.read_parquet(root / "runs.parquet")
    df[col] = value
    df.to_parquet(root / "runs.parquet")


def _drop_runs(root: Path, col: str) -> None:
    import pandas as pd

    pd.read_parquet(root / "runs.parquet").drop(columns=[col]).to_parquet(root / "runs.parquet")


# ---------------------------------------------------------------------------------------- main


def main_corpus() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="experiments,args,folders,paths")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--args", type=int, default=300, help="number of random argument lists")
    ap.add_argument(
        "--experiments",
        type=int,
        default=700,
        help="number of mutated experiment files (besides the design and byte-level cases)",
    )
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()
    only = set(opts.only.split(","))
    rng = random.Random(opts.seed)
    tmp = Path(tempfile.mkdtemp(prefix="seamig_hostile_"))
    counts: dict[str, Counter] = {}
    problems: list[str] = []

    def record(cls: str, name: str, argv: list[str], cwd: Path = tmp) -> None:
        if counts and cls not in counts:
            print("done:", {k: dict(v) for k, v in counts.items()}, flush=True)
        outcome, detail = run_case(argv, opts.timeout, cwd)
        counts.setdefault(cls, Counter())[outcome] += 1
        if outcome != "ok":
            print(f"[{cls}] {outcome}: {name} -> {detail[:200]}", flush=True)
            problems.append(f"[{cls}] {outcome}: {name}: {' '.join(a[:60] for a in argv)[:200]} -> {detail}")
        if opts.verbose:
            print(f"[{cls}] {outcome}: {name} -> {detail[:160]}", flush=True)

    try:
        # compile and warm up once in the parent, so children start warm
        exp = tiny_experiment(tmp)
        base = tmp / "base_sweep"
        t0 = time.time()
        rc = main(["sweep", str(exp), "--out", str(base), "--executor", "serial", "--quiet"])
        assert rc == 0, rc
        main(
            [
                "run",
                "--scenario",
                "central_med_small",
                "--days",
                "2",
                "--quiet",
                "--out",
                str(tmp / "warm_run"),
                "--engine",
                "vector",
            ]
        )
        print(f"warm-up {time.time() - t0:.0f} s", flush=True)
        if "experiments" in only:
            texts = experiment_texts(rng)
            keep = [t for t in texts if t[0].startswith("tiny-") or "truncated" in t[0] or "bytes" in t[0]]
            rest = [t for t in texts if t not in keep]
            for name, text in keep + rng.sample(rest, min(len(rest), opts.experiments)):
                path = tmp / "exps" / f"{name.replace('/', '_')[:80]}.toml"
                path.parent.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8", errors="surrogateescape")
                record(
                    "experiments",
                    name,
                    [
                        "sweep",
                        str(path),
                        "--executor",
                        "dask",
                        "--scheduler",
                        REFUSED,
                        "--out",
                        str(tmp / "never"),
                        "--quiet",
                    ],
                )
        if "args" in only:
            for i, argv in enumerate(argument_lists(tmp, rng, opts.args)):
                record("args", f"#{i}", argv)
        if "folders" in only:
            for name, damage in damages(base):
                for cmd in (
                    ["summarize"],
                    ["charts"],
                    ["report"],
                    ["history"],
                    ["sweep", str(exp), "--resume", "--executor", "serial", "--quiet", "--out"],
                ):
                    root = tmp / "damaged"
                    if root.is_dir() and not root.is_symlink():
                        shutil.rmtree(root)
                    elif root.exists() or root.is_symlink():
                        root.unlink()
                    shutil.copytree(base, root, symlinks=True)
                    try:
                        damage(root)
                    except OSError as err:
                        print(f"could not apply {name}: {err}")
                        continue
                    argv = [*cmd, str(root)]
                    record("folders", f"{name} / {cmd[0]}", argv)
        if "paths" in only:
            fifo = tmp / "fifo"
            os.mkfifo(fifo)
            big = tmp / "big.toml"
            with big.open("wb") as fh:
                fh.write(b"# " + b"x" * (50 << 20) + b"\n")
            binary = tmp / "binary.toml"
            binary.write_bytes(bytes(range(256)) * 100)
            afile = tmp / "a_file"
            afile.write_text("x")
            special = [
                str(tmp),
                "/dev/zero",
                "/dev/null",
                "/dev/urandom",
                str(fifo),
                str(big),
                str(binary),
                "/proc/self/mem",
                str(afile / "sub"),
                "/",
                "x\x00y",
                "a" * 5000,
            ]
            for p in special:
                for argv in (
                    ["validate", p],
                    ["scenario", "show", p],
                    ["run", "--scenario", p, "--days", "2", "--quiet", "--out", str(tmp / "r")],
                    ["sweep", p, "--quiet", "--out", str(tmp / "s")],
                    ["summarize", p],
                    ["charts", p],
                    ["report", p],
                    ["history", p],
                    ["history", str(base), "--observed", p],
                    ["history", str(base), "--scenario", p],
                ):
                    record("paths", p[:40], argv)
            for out in [
                str(afile),
                str(afile / "sub"),
                "/dev/null",
                "/proc/x",
                "/dev/full/x",
                "a" * 5000,
                "x\x00y",
                "/sys/kernel/x",
            ]:
                for argv in (
                    ["run", "--scenario", "central_med_small", "--days", "2", "--quiet", "--out", out],
                    ["case", "elizabeth", "--quiet", "--out", out],
                    ["sweep", str(exp), "--executor", "serial", "--quiet", "--out", out],
                    ["history", str(base), "--out", out],
                ):
                    record("paths", f"out={out[:40]}", argv)
            for argv in (
                ["case", "elizabeth", "--seed", "-1", "--quiet", "--out", str(tmp / "c")],
                ["case", "elizabeth", "--seed", str(2**70), "--quiet", "--out", str(tmp / "c")],
                [
                    "run",
                    "--seed",
                    str(2**70),
                    "--days",
                    "2",
                    "--quiet",
                    "--scenario",
                    "central_med_small",
                    "--out",
                    str(tmp / "r2"),
                ],
            ):
                record("paths", "seed", argv)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for line in problems:
        print(line)
    print()
    for cls, c in counts.items():
        total = sum(c.values())
        print(f"{cls:12s} {total:5d} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main_corpus())
