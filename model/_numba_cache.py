"""Where numba keeps the compiled loops and rules: a directory per version of the model's source.

numba's on-disk cache checks only the file that defines a function: a compiled loop in
``vector_engine/kernels.py`` that inlines a rule from ``rules/crossing.py`` is not recompiled when
only the rule changes, so after such an edit (or a ``git pull``) the vectorised engine would run
the old rule while the Mesa engine runs the new one. Here the cache directory is named by a digest
of every source file of the package, so any change starts a fresh directory and numba compiles
everything once, as on a fresh checkout (26-34 s for the benchmark's warm-up on this project's
machine; that is the price of never running a stale loop). Directories of other versions that
nobody has touched for a week are removed; any of them may be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STALE_AFTER_S = 7 * 24 * 3600


def source_digest(root: Path = PACKAGE) -> str:
    """A digest of the package's Python sources (paths and contents): changes whenever any of them does."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def configure() -> Path:
    """Point numba's cache at this source version's directory (under ``NUMBA_CACHE_DIR`` if the user set one).

    Called from ``model/__init__.py`` before any compiled function is defined; returns the directory.
    """
    base = Path(
        os.environ.get("SEAMIG_NUMBA_BASE") or os.environ.get("NUMBA_CACHE_DIR") or PACKAGE / "__pycache__" / "numba"
    )
    os.environ["SEAMIG_NUMBA_BASE"] = str(
        base
    )  # (child processes see NUMBA_CACHE_DIR set below, and nest nothing further)
    here = base / source_digest()
    os.environ["NUMBA_CACHE_DIR"] = str(here)
    import numba.core.config

    numba.core.config.reload_config()  # (the compiler reloads the configuration from the environment too)
    _prune(base, keep=here)
    return here


def _prune(base: Path, keep: Path) -> None:
    """Remove other versions' directories untouched for :data:`STALE_AFTER_S` (best effort)."""
    try:
        old = [
            d for d in base.iterdir() if d.is_dir() and d != keep and time.time() - d.stat().st_mtime > STALE_AFTER_S
        ]
    except OSError:
        return
    for d in old:
        shutil.rmtree(d, ignore_errors=True)
