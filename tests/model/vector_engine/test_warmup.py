"""The parallel warm-up compiles what a run needs, so that a fresh checkout's first run only loads numba's cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numba
import pytest

from model.vector_engine import warmup

# A run in a fresh process, counting what numba compiles (loading from the cache is not compiling).
PROBE = """
from numba.core import event
compiled = []
class Count(event.Listener):
    def on_start(self, e):
        compiled.append(e.data["dispatcher"].py_func.__qualname__)
    def on_end(self, e):
        pass
event.register("numba:compile", Count())
from model.scenarios import load
from model.vector_engine import VectorEngine
overrides = {"world.days": 12, "policy.cooperation.framework": "standing", "policy.cooperation.relocation_days": 0}
scenario = load("central_med_small").with_overrides(overrides)
# (a batch of many runs, as a sweep's)
results = VectorEngine().run_many([scenario] * 16, list(range(1, 17)), record_events=[True] + [False] * 15)
assert sum(r.summary["relocations"] for r in results) > 0, "no relocation: the probe misses that path"
print(sorted(set(compiled)))
"""


@pytest.mark.skipif(warmup.cores() < 2, reason="the warm-up runs only with two cores or more")
def test_after_the_warm_up_a_run_compiles_nothing():
    assert warmup.ensure_compiled()  # (the suite's first vector run usually did it already)
    assert (Path(numba.config.CACHE_DIR) / warmup.MARKER).exists()
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=os.environ.copy(), timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", f"compiled after the warm-up: {out.stdout.strip()}"


def test_it_can_be_switched_off_and_tries_once(monkeypatch, tmp_path):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(warmup, "_tried", False)
    monkeypatch.setenv("SEAMIG_PRECOMPILE", "0")
    assert warmup.ensure_compiled() is False
    assert not any(tmp_path.iterdir())  # nothing started, nothing written
    (tmp_path / warmup.MARKER).touch()
    assert warmup.ensure_compiled() is True  # a complete cache is reported as such


def _fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SEAMIG_PRECOMPILE", raising=False)
    monkeypatch.setattr(warmup, "_tried", False)
    monkeypatch.setattr(warmup, "cores", lambda: 2)


def test_a_failed_warm_up_leaves_no_marker_and_is_not_retried(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    monkeypatch.setattr(warmup.sys, "executable", "/bin/false")  # (every warm-up process fails)
    assert warmup.ensure_compiled() is False
    assert not (tmp_path / warmup.MARKER).exists()
    assert len(list(tmp_path.glob("warmup-*.log"))) == 2  # one process per part, each with its log
    monkeypatch.setattr(warmup.sys, "executable", "/nonexistent")
    assert warmup.ensure_compiled() is False  # tried once per process: nothing is started again


def test_a_warm_up_that_hangs_is_stopped(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path / "cache")
    slow = tmp_path / "slow"
    slow.write_text("#!/bin/sh\nsleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setattr(warmup.sys, "executable", str(slow))
    monkeypatch.setattr(warmup, "TIMEOUT_S", 0.5)
    assert warmup.ensure_compiled() is False
    assert not (tmp_path / "cache" / warmup.MARKER).exists()
