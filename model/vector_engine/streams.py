"""Counter-based random streams for the vectorised engine, and fast exact inverse-CDF transforms.

The vectorised engine simulates a batch of runs at once; arrays carry a run index. A run's results must not
depend on which other runs share its batch, nor on the batch size, so the runs cannot share one sequential
generator (the draws a run receives would then depend on how many draws the runs before it consumed).
Instead every uniform is a pure function of the run's key, a purpose code and up to three integer counters
(for example the hour, an entity id and a sub-index): a keyed hash, or counter-based generator. A run's draws
are therefore the same whether it is simulated alone or at any position in a batch of any size, and no
generator state has to be carried, split or advanced.

Keys come from numpy: ``np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]`` for the run's
seed (:func:`run_keys`). The counter packs ``purpose | a | b | c`` into one 64-bit word (8, 24, 24 and 8
bits) and the uniform is derived from ``mix64(key + mix64(counter))``, ``mix64`` being the SplitMix64
finalizer, a bijection of 64-bit words. Within a run, distinct (purpose, a, b, c) therefore always give
distinct hashes.

Known limitation: it is a 64-bit hash, neither cryptographic nor provably independent. Streams of different
runs (different keys) are independent in practice (keys are SeedSequence outputs, and SplitMix64, built on
this finalizer, passes the standard statistical test batteries) but not by construction: two runs could in
principle meet the same hash input, with probability of order (number of draws)^2 / 2^64.

The module-level transforms (:func:`poisson`, :func:`binomial`, :func:`categorical`, :func:`take`) map given
uniforms to draws (the first three by inverse CDF, the Poisson and binomial ones in :mod:`model.numerics.quantiles`: one
uniform gives one draw, a monotone function of it), and a draw does
not depend on the other elements of the array it is computed in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np
from scipy.special import ndtri

from model.numerics.categorical import categorical
from model.numerics.quantiles import (  # the exact inverse CDFs, compiled (re-exported here)
    binomial,
    multinomial,
    poisson,
)

__all__ = ["Streams", "allot", "binomial", "categorical", "multinomial", "poisson", "run_keys", "take"]

_MASK64 = (1 << 64) - 1
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_A_LIMIT = 1 << 24
_B_LIMIT = 1 << 24
_C_LIMIT = 1 << 8
_PURPOSE_LIMIT = 1 << 8
_TWO_M52 = 2.0**-52
_SMALL = 8  # arrays up to this size take a plain-Python path: numpy's per-call overhead would dominate


def run_keys(seeds: Sequence[int]) -> np.ndarray:
    """Return the 64-bit stream keys of runs with these seeds.

    Args:
        seeds: One non-negative integer seed per run.

    Returns:
        uint64 array (R,): ``np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]`` per seed.
    """
    return np.array(
        [np.random.SeedSequence(int(s)).generate_state(1, dtype=np.uint64)[0] for s in seeds], dtype=np.uint64
    )


def _mix64_int(z: int) -> int:
    """SplitMix64 finalizer of a Python int in [0, 2**64)."""
    z = ((z ^ (z >> 30)) * _M1) & _MASK64
    z = ((z ^ (z >> 27)) * _M2) & _MASK64
    return z ^ (z >> 31)


def _unit_int(h: int) -> float:
    """Uniform in (0, 1) from a 64-bit hash (Python int): ``((h >> 12) + 0.5) * 2**-52``, exact in float64."""
    return ((h >> 12) + 0.5) * _TWO_M52


@numba.njit(cache=True)
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64 finalizer of one 64-bit word (compiled; wraps around like :func:`_mix64_int`)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


@numba.vectorize(["uint64(uint64)"], cache=True)
def _mix64(z: np.uint64) -> np.uint64:
    """:func:`mix64` of every element of a uint64 array."""
    return mix64(z)


@numba.njit(cache=True)
def unit(h: np.uint64) -> float:
    """:func:`_unit_int` of one hash (compiled): ``((h >> 12) + 0.5) * 2**-52``, exact in float64."""
    return (float(h >> np.uint64(12)) + 0.5) * _TWO_M52


@numba.vectorize(["float64(uint64, uint64)"], cache=True)
def _unit_of_sum(key: np.uint64, mixed_counter: np.uint64) -> float:
    """The uniform ``unit(mix64(key + mixed_counter))`` for every element of the broadcast of the two."""
    return unit(mix64(key + mixed_counter))


def _check_counter(purpose: int, a: object, b: object, c: object) -> None:
    """Raise ValueError if purpose, or a counter given as a Python int, is out of range (arrays are not checked)."""
    if not 0 <= purpose < _PURPOSE_LIMIT:
        raise ValueError(f"purpose out of range: {purpose} (0 <= purpose < 2**8)")
    for name, x, limit in (("a", a, _A_LIMIT), ("b", b, _B_LIMIT), ("c", c, _C_LIMIT)):
        if type(x) is int and not 0 <= x < limit:
            raise ValueError(f"counter {name} out of range: {x} (0 <= {name} < {limit})")


class Streams:
    """Independent counter-based random streams, one per run of a batch.

    Every draw is a pure function of ``(keys[run], purpose, a, b, c)``. Limits: ``0 <= purpose < 2**8``,
    ``0 <= a < 2**24``, ``0 <= b < 2**24``, ``0 <= c < 2**8``, checked (ValueError) for purpose and for
    counters given as Python ints, not for counter arrays (to keep the hot path fast: out-of-range array
    counters silently overlap the other fields and may repeat draws). ``run`` is an int or int array
    indexing ``keys`` (numpy indexing, so a negative run counts from the end).

    Attributes:
        keys: uint64 (R,) stream key of each run, from :func:`run_keys`.
    """

    def __init__(self, seeds: Sequence[int]) -> None:
        self.keys = run_keys(seeds)

    def uniform(
        self,
        purpose: int,
        run: np.ndarray | int,
        a: np.ndarray | int = 0,
        b: np.ndarray | int = 0,
        c: np.ndarray | int = 0,
    ) -> np.ndarray:
        """Return uniforms in the open interval (0, 1), one per element of the broadcast of run, a, b, c.

        With ``h = mix64(keys[run] + mix64(counter))``, ``u = ((h >> 12) + 0.5) * 2**-52``: the top 52 bits,
        so that every value is exact in float64 (a 53-bit version would round its top value to 1.0); the
        values are symmetric about 1/2 and lie in [2**-53, 1 - 2**-53].

        Args:
            purpose: What the draws are for (an int code < 2**8), so that different uses never share draws.
            run: Run index (int or int array) into ``keys``.
            a: First counter (int or int array, < 2**24), e.g. the hour.
            b: Second counter (int or int array, < 2**24), e.g. an entity id.
            c: Third counter (int or int array, < 2**8), e.g. a sub-index.

        Returns:
            float64 array of the broadcast shape of run, a, b, c (0-d for all-scalar arguments).
        """
        purpose = int(purpose)  # a numpy integer would overflow in the shifts below
        if type(a) is int and type(b) is int and type(c) is int:
            if not (0 <= purpose < _PURPOSE_LIMIT and 0 <= a < _A_LIMIT and 0 <= b < _B_LIMIT and 0 <= c < _C_LIMIT):
                _check_counter(purpose, a, b, c)
            cm = _mix64_int((purpose << 56) | (a << 32) | (b << 8) | c)
            kr = self.keys[run]
            if type(kr) is not np.ndarray:
                return np.array(_unit_int(_mix64_int((int(kr) + cm) & _MASK64)))
            if kr.size <= _SMALL:
                return np.array([_unit_int(_mix64_int((k + cm) & _MASK64)) for k in kr.ravel().tolist()]).reshape(
                    kr.shape
                )
            return _unit_of_sum(kr, np.uint64(cm))
        else:
            _check_counter(purpose, a, b, c)
            kr = self.keys[run]
            bc = np.broadcast(kr, a, b, c)
            base = purpose << 56
            if bc.size <= _SMALL:  # plain Python, with numpy's uint64 wrap-around (only matters out of range)
                return np.array(
                    [
                        _unit_int(
                            _mix64_int(
                                (
                                    int(k)
                                    + _mix64_int(
                                        base
                                        | (((int(x) & _MASK64) << 32) & _MASK64)
                                        | (((int(y) & _MASK64) << 8) & _MASK64)
                                        | (int(w) & _MASK64)
                                    )
                                )
                                & _MASK64
                            )
                        )
                        for k, x, y, w in bc
                    ]
                ).reshape(bc.shape)
            cnt = None
            for x, shift in ((a, 32), (b, 8), (c, 0)):
                if type(x) is int:
                    base |= x << shift
                else:
                    x = np.left_shift(np.asarray(x, dtype=np.uint64), np.uint64(shift))
                    cnt = x if cnt is None else np.bitwise_or(cnt, x)
            cnt = np.bitwise_or(cnt, np.uint64(base), out=np.empty(np.shape(cnt), np.uint64))
            return _unit_of_sum(kr, _mix64(cnt))

    def normal(
        self,
        purpose: int,
        run: np.ndarray | int,
        a: np.ndarray | int = 0,
        b: np.ndarray | int = 0,
        c: np.ndarray | int = 0,
    ) -> np.ndarray:
        """Return standard normal draws, ``scipy.special.ndtri`` of :meth:`uniform` (same arguments)."""
        u = self.uniform(purpose, run, a, b, c)
        return ndtri(u, out=u)

    def exponential(
        self,
        purpose: int,
        run: np.ndarray | int,
        a: np.ndarray | int = 0,
        b: np.ndarray | int = 0,
        c: np.ndarray | int = 0,
    ) -> np.ndarray:
        """Return exponential draws with mean 1, ``-log`` of :meth:`uniform` (same arguments)."""
        u = self.uniform(purpose, run, a, b, c)
        np.log(u, out=u)
        return np.negative(u, out=u)


def take(counts: np.ndarray, k: np.ndarray, uniforms) -> np.ndarray:
    """Take ``k`` people from each row of ``counts`` (people by type) at random, without replacement.

    Systematic sampling: the row's people are lined up by type and every (total / k)-th is taken
    from a random start (one uniform per row). Each person is taken with
    probability k / total, as when the Mesa engine picks individuals, so the expected number of each
    type is exact; the spread of the types taken is smaller (a documented difference, docs/ODD.md).
    Rows that give up everyone or no one need no draw. ``uniforms(rows)`` returns one uniform for
    each of the given row indices, drawn from that row's own stream, so a row's result depends on
    that row alone.
    """
    counts = np.asarray(counts, dtype=np.int64)
    k = np.asarray(k, dtype=np.int64)
    total = counts.sum(axis=1)
    part = np.flatnonzero((k > 0) & (k < total))
    return _take_rows(counts, k, total, part, uniforms(part) if part.size else np.empty(0))


@numba.njit(cache=True)
def _take_rows(counts: np.ndarray, k: np.ndarray, total: np.ndarray, part: np.ndarray, u: np.ndarray) -> np.ndarray:
    """:func:`take` once the uniforms of the rows in ``part`` (0 < k < total) are drawn; one loop, no temporaries."""
    out = np.zeros_like(counts)
    for i in range(counts.shape[0]):
        if k[i] >= total[i]:
            out[i] = counts[i]
    for j in range(part.size):
        i = part[j]
        take_row(counts[i], k[i], total[i], u[j], out[i])
    return out


@numba.njit(cache=True)
def take_row(counts: np.ndarray, k: int, total: int, u: float, out: np.ndarray) -> None:
    """One row of :func:`take` with 0 < k < total and its uniform ``u``.

    Writes the people taken, by type, into ``out``.
    """
    step = k / total
    edge = 0.0
    below = 0.0  # points (start + i) * total / k below each edge, as float64 like the edges
    for t in range(counts.size):
        edge += counts[t]
        b = min(max(np.ceil(edge * step - u), 0.0), float(k))
        out[t] = np.int64(b - below)
        below = b


def allot(n: np.ndarray, p: np.ndarray, uniforms) -> np.ndarray:
    """Share ``n`` people of each row among categories with probabilities ``p`` at random.

    ``p`` is (k,) for every row, or (rows, k).

    Systematic allocation from a random start, the counterpart of :func:`take` for shares: each person falls
    in category j with probability ``p[j]`` (so the expected counts are exact) and each count is
    within one of ``n * p[j]``, a smaller spread than a multinomial's. ``uniforms(rows)`` as in
    :func:`take`. Returns (rows, k) int64 counts summing to ``n``.
    """
    n = np.asarray(n, dtype=np.int64)
    p = np.asarray(p, dtype=float)
    k = p.shape[-1]
    out = np.zeros((n.size, k), dtype=np.int64)
    on = np.flatnonzero(n > 0)
    if not on.size:
        return out
    if p.ndim == 1:
        cum = (np.concatenate([[0.0], np.cumsum(p)]) / p.sum())[None, :]
    else:
        pr = p[on]
        cum = np.concatenate([np.zeros((on.size, 1)), np.cumsum(pr, axis=1)], axis=1) / pr.sum(axis=1, keepdims=True)
    _allot_rows(cum, n, on, uniforms(on), out)
    return out


@numba.njit(cache=True)
def _allot_rows(cum: np.ndarray, n: np.ndarray, on: np.ndarray, u: np.ndarray, out: np.ndarray) -> None:
    """:func:`allot`'s systematic allocation of the rows ``on``.

    (``cum``: one row of cumulative shares for all, or one per row of ``on``).
    """
    for i in range(on.size):
        r = on[i]
        c = cum[i if cum.shape[0] > 1 else 0]
        nf = float(n[r])
        below = min(max(np.ceil(c[0] * nf - u[i]), 0.0), nf)  # (0: c[0] is 0)
        for j in range(out.shape[1]):
            b = min(max(np.ceil(c[j + 1] * nf - u[i]), 0.0), nf)
            out[r, j] = np.int64(b - below)
            below = b
