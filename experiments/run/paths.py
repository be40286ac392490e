"""Checks of the paths a user gives on the command line, each failing in one line (ConfigError, exit 2).

A path where a file is expected must be a regular file of sensible size (a directory, a FIFO that
would block forever, or ``/dev/zero`` that never ends are refused before anything opens them); a
folder to write must be creatable and writable, and not a file; a result folder to read must be a
folder. Nothing here creates or changes anything.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from model.errors import ConfigError

#: The largest text input read (scenario files, experiment files, recorded data): far above any real one.
MAX_INPUT_BYTES = 50_000_000


def _plain(key: str, path: str | Path) -> Path:
    """``path`` as a Path, or ConfigError if no file system could hold it (a NUL byte, an empty name)."""
    text = os.fspath(path)
    if not text or "\x00" in text:
        raise ConfigError(key, text, "a path (not empty, no NUL character)")
    return Path(text)


def _stat(key: str, path: Path) -> os.stat_result | None:
    """``os.stat(path)``, None if nothing is there; ConfigError if the path cannot be looked at."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ConfigError(key, str(path), "a path whose parents are folders (one of them is a file)") from None
    except OSError as err:
        raise ConfigError(
            key, str(path), f"a path that can be looked at ({err.strerror or type(err).__name__})"
        ) from None


def input_file(key: str, path: str | Path, limit: int = MAX_INPUT_BYTES, missing: str = "an existing file") -> Path:
    """``path`` if it is a readable regular file of at most ``limit`` bytes; else ConfigError naming ``key``."""
    p = _plain(key, path)
    st = _stat(key, p)
    if st is None:
        raise ConfigError(key, str(p), missing, problem="not found")
    if stat.S_ISDIR(st.st_mode):
        raise ConfigError(key, str(p), "a file, not a folder")
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(key, str(p), "a regular file (not a device, pipe or socket)")
    if st.st_size > limit:
        raise ConfigError(
            key, str(p), f"a file of at most {limit:,} bytes (it has {st.st_size:,})", problem="too large"
        )
    if not os.access(p, os.R_OK):
        raise ConfigError(key, str(p), "a file you may read", problem="unreadable")
    return p


def output_folder(key: str, path: str | Path) -> Path:
    """``path`` if it is a folder, or can be made as one, where files can be written.

    Else ConfigError naming ``key``.
    """
    p = _plain(key, path)
    for part in p.parts:
        if len(os.fsencode(part)) > 255:
            raise ConfigError(key, str(p)[:80] + "...", "a path whose names have at most 255 bytes each")
    st = _stat(key, p)
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise ConfigError(key, str(p), "a folder (or a path that does not exist yet), not a file")
    existing = p.absolute()
    while _stat(key, existing) is None:
        existing = existing.parent
    if not stat.S_ISDIR(existing.stat().st_mode):
        raise ConfigError(key, str(p), f"a path under a folder ({existing} is a file)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(key, str(p), f"a folder you may write in ({existing} is not writable)")
    return p


def result_folder(key: str, path: str | Path) -> Path:
    """``path`` if it is an existing folder; else ConfigError naming ``key``."""
    p = _plain(key, path)
    st = _stat(key, p)
    if st is None:
        raise ConfigError(key, str(p), "an existing folder", problem="not found")
    if not stat.S_ISDIR(st.st_mode):
        raise ConfigError(key, str(p), "a folder, not a file")
    return p
