"""numba's cache directory follows the model's source, so a changed rule is never run from a stale compiled loop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numba

import model
from model import _numba_cache


def test_the_cache_directory_is_named_by_the_digest_of_the_sources():
    here = Path(numba.config.CACHE_DIR)
    assert here.name == _numba_cache.source_digest()
    assert os.environ["NUMBA_CACHE_DIR"] == str(here)


def test_the_digest_changes_with_any_source_file(tmp_path):
    pkg = tmp_path / "model"
    shutil.copytree(Path(model.__file__).parent, pkg, ignore=shutil.ignore_patterns("__pycache__", "data"))
    before = _numba_cache.source_digest(pkg)
    assert _numba_cache.source_digest(pkg) == before  # (stable)
    rule = pkg / "rules" / "crossing.py"
    rule.write_text(rule.read_text() + "\n# an edit to a rule only\n")
    edited = _numba_cache.source_digest(pkg)
    assert edited != before
    rule.rename(pkg / "rules" / "crossing_moved.py")  # a renamed file counts too
    assert _numba_cache.source_digest(pkg) not in (before, edited)


def test_old_versions_are_pruned_after_a_week_and_recent_ones_kept(tmp_path):
    keep, recent, old = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for d in (keep, recent, old):
        d.mkdir()
    week_ago = time.time() - _numba_cache.STALE_AFTER_S - 60
    os.utime(old, (week_ago, week_ago))
    os.utime(keep, (week_ago, week_ago))
    _numba_cache._prune(tmp_path, keep=keep)
    assert keep.exists() and recent.exists() and not old.exists()


def test_a_child_process_uses_the_same_directory_and_a_user_base_is_respected(tmp_path):
    code = "import model, numba; print(numba.config.CACHE_DIR)"
    same = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ.copy()
    )
    assert same.stdout.strip() == numba.config.CACHE_DIR
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "SEAMIG_NUMBA_BASE")}
    env["NUMBA_CACHE_DIR"] = str(tmp_path)
    user = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert Path(user.stdout.strip()) == tmp_path / _numba_cache.source_digest()
