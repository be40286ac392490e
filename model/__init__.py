"""seamig's model: parameters, geography, rules, outcome schema and engines."""

from model._numba_cache import configure as _configure_numba_cache

_configure_numba_cache()  # before any compiled function is defined (see model/_numba_cache.py)
