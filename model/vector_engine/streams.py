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
uniforms to draws (the first three by inverse CDF: one uniform gives one draw, a monotone function of it), and a draw does
not depend on the other elements of the array it is computed in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numba
import numpy as np
from scipy.special import betainc, gammaln, ndtri, pdtr, xlog1py, xlogy

__all__ = ["Streams", "allot", "binomial", "categorical", "multinomial", "poisson", "run_keys", "take"]

_MASK64 = (1 << 64) - 1
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_A_LIMIT = 1 << 24
_B_LIMIT = 1 << 24
_C_LIMIT = 1 << 8
_PURPOSE_LIMIT = 1 << 8
_TWO_M52 = 2.0**-52
_EPS = float(np.finfo(np.float64).eps)
_SMALL = 8  # arrays up to this size take a plain-Python path: numpy's per-call overhead would dominate
_MAX_STEPS = 100_000  # a search taking longer means invalid input (infinite mu, p outside [0, 1], ...)
# Tolerances of the binomial's one-step pmf shortcut (F(k -/+ 1) = F(k) -/+ pmf): well above the error of the
# CDF ufunc and of the log-space pmf (measured: at most 1/50 of the tolerance over millions of n, p, k), so the
# shortcut decides as the CDF itself would; cases within the tolerance (their probability is of order the
# tolerance) are settled by evaluating the CDF.
_CDF_RTOL = 1e-10
_PMF_RTOL = 1e-10


def run_keys(seeds: Sequence[int]) -> np.ndarray:
    """Return the 64-bit stream keys of runs with these seeds.

    Args:
        seeds: One non-negative integer seed per run.

    Returns:
        uint64 array (R,): ``np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]`` per seed.
    """
    return np.array([np.random.SeedSequence(int(s)).generate_state(1, dtype=np.uint64)[0] for s in seeds], dtype=np.uint64)


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

    def uniform(self, purpose: int, run: np.ndarray | int, a: np.ndarray | int = 0, b: np.ndarray | int = 0, c: np.ndarray | int = 0) -> np.ndarray:
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
                return np.array([_unit_int(_mix64_int((k + cm) & _MASK64)) for k in kr.ravel().tolist()]).reshape(kr.shape)
            return _unit_of_sum(kr, np.uint64(cm))
        else:
            _check_counter(purpose, a, b, c)
            kr = self.keys[run]
            bc = np.broadcast(kr, a, b, c)
            base = purpose << 56
            if bc.size <= _SMALL:  # plain Python, with numpy's uint64 wrap-around (only matters out of range)
                return np.array([_unit_int(_mix64_int((int(k) + _mix64_int(base | (((int(x) & _MASK64) << 32) & _MASK64) | (((int(y) & _MASK64) << 8) & _MASK64) | (int(w) & _MASK64))) & _MASK64)) for k, x, y, w in bc]).reshape(bc.shape)
            cnt = None
            for x, shift in ((a, 32), (b, 8), (c, 0)):
                if type(x) is int:
                    base |= x << shift
                else:
                    x = np.left_shift(np.asarray(x, dtype=np.uint64), np.uint64(shift))
                    cnt = x if cnt is None else np.bitwise_or(cnt, x)
            cnt = np.bitwise_or(cnt, np.uint64(base), out=np.empty(np.shape(cnt), np.uint64))
            return _unit_of_sum(kr, _mix64(cnt))

    def normal(self, purpose: int, run: np.ndarray | int, a: np.ndarray | int = 0, b: np.ndarray | int = 0, c: np.ndarray | int = 0) -> np.ndarray:
        """Return standard normal draws, ``scipy.special.ndtri`` of :meth:`uniform` (same arguments)."""
        u = self.uniform(purpose, run, a, b, c)
        return ndtri(u, out=u)

    def exponential(self, purpose: int, run: np.ndarray | int, a: np.ndarray | int = 0, b: np.ndarray | int = 0, c: np.ndarray | int = 0) -> np.ndarray:
        """Return exponential draws with mean 1, ``-log`` of :meth:`uniform` (same arguments)."""
        u = self.uniform(purpose, run, a, b, c)
        np.log(u, out=u)
        return np.negative(u, out=u)


# --- Exact inverse CDFs of the Poisson and binomial laws -----------------------------------------------
#
# Both find the smallest integer k with cdf(k) >= u, cdf being the very ufunc behind scipy.stats' cdf
# (pdtr; Boost's binomial cdf), so the answer is exactly the quantile by that CDF. A Cornish-Fisher guess
# (normal quantile plus skewness and kurtosis terms, continuity-corrected) is almost always the answer or
# one below it, so the search usually costs two CDF evaluations. For the binomial, whose CDF (an incomplete
# beta) is costly for large n, the second is replaced by F(k) -/+ pmf, with the pmf from log-gamma functions,
# unless u lies within a generous tolerance of it, when the CDF is evaluated. (Not for the Poisson: pdtr is
# cheaper, and its own error, up to ~1e-8 where its algorithm switches for large mu, would defeat the check.)
# Arrays of at most _SMALL elements go through plain-Python loops of the same search (same guess arithmetic,
# same CDF, CDF evaluations only), avoiding numpy's per-call overhead; the result does not depend on the
# path, nor on the other elements of the array.

try:  # the ufunc behind scipy.stats.binom.cdf (Boost's binomial cdf): the same bits, so the same quantiles
    from scipy.special._ufuncs import _binom_cdf as _scipy_binom_cdf
except ImportError:  # pragma: no cover - a private name; fall back to the public incomplete beta
    _scipy_binom_cdf = None


def _binom_cdf(k: np.ndarray | float, n: np.ndarray | float, p: np.ndarray | float) -> np.ndarray:
    """P(Bin(n, p) <= k) for integers 0 <= k <= n."""
    if _scipy_binom_cdf is not None:
        return _scipy_binom_cdf(k, n, p)
    return np.where(np.asarray(k) >= n, 1.0, betainc(np.maximum(np.subtract(n, k), 1.0), np.add(k, 1.0), np.subtract(1.0, p)))  # pragma: no cover


def _binom_pmf(k: np.ndarray, n: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Binomial pmf at k (0 <= k <= n), and a bound on its relative error."""
    nk = n - k
    lp = gammaln(n + 1.0)
    err = 2.0 * lp
    lp -= gammaln(k + 1.0)
    lp -= gammaln(nk + 1.0)
    lp += xlogy(k, p)
    lp += xlog1py(nk, -p)
    # The log's rounding is ~eps * the sum of its terms' magnitudes, which is 2 lgamma(n + 1) - log(pmf)
    # (the last two terms are <= 0), and the pmf's relative error the same.
    err -= lp
    err += 1.0
    err *= 64.0 * _EPS
    err += _PMF_RTOL
    np.minimum(err, 1.0, out=err)  # infinite terms (pmf 0): any finite bound
    return np.exp(lp, out=lp), err


def _search(k: np.ndarray, q: np.ndarray, cdf: Callable[..., np.ndarray], pmf: Callable[..., tuple[np.ndarray, np.ndarray]] | None, params: tuple[np.ndarray, ...], kmax: np.ndarray | None) -> np.ndarray:
    """Turn guesses ``k`` (in place) into the smallest integers with ``cdf(k, *params) >= q``.

    Args:
        k: float64 (N,) integer guesses in [0, kmax].
        q: float64 (N,) probabilities.
        cdf: Vectorised ``cdf(k, *params)``.
        pmf: Vectorised ``pmf(k, *params)`` returning the pmf and a bound on its relative error, or None to
            evaluate the CDF only.
        params: Flat (N,) parameter arrays.
        kmax: Upper end of the support (cdf 1 there) per element, or None if unbounded.

    Returns:
        ``k``.
    """
    f = cdf(k, *params)
    ge = f >= q
    if pmf is None:
        down = ge & (k > 0)
        up = ~ge & (f < 1.0)
    else:
        # One step with the pmf: est = F(k - 1) = F(k) - pmf(k) where F(k) >= q, else F(k + 1) = F(k) + pmf(k + 1).
        pm, rel = pmf(k + ~ge, *params)
        tol = pm * rel
        tol += _CDF_RTOL * f
        est = np.where(ge, f - pm, f + pm)
        lo = est < q - tol
        hi = est >= q + tol
        k -= ge & hi  # F(k - 1) >= q: one down, then check further down
        k += ~ge & (hi | lo)  # F(k + 1) >= q: one up, done; or F(k + 1) < q: one up, then go on up
        down = ge & ~lo & (k > 0)
        up = ~ge & ~hi & (f < 1.0)
    steps = 0
    idx = np.flatnonzero(down)
    while idx.size:
        km1 = k[idx] - 1.0
        down = cdf(km1, *(x[idx] for x in params)) >= q[idx]
        idx = idx[down]
        km1 = km1[down]
        k[idx] = km1
        idx = idx[km1 > 0]
        steps += 1
        if steps > _MAX_STEPS:
            raise RuntimeError("inverse-CDF search does not converge: invalid parameters?")
    idx = np.flatnonzero(up)
    while idx.size:
        kp = k[idx] + 1.0
        if kmax is not None:
            np.minimum(kp, kmax[idx], out=kp)
        k[idx] = kp
        fp = cdf(kp, *(x[idx] for x in params))
        idx = idx[(fp < q[idx]) & (fp < 1.0)]
        steps += 1
        if steps > _MAX_STEPS:
            raise RuntimeError("inverse-CDF search does not converge: invalid parameters?")
    return k


def _search_scalar(k: float, q: float, cdf: Callable[..., float], params: tuple[float, ...], kmax: float) -> int:
    """:func:`_search` for one element, in plain Python (CDF evaluations only)."""
    if cdf(k, *params) >= q:
        while k > 0 and cdf(k - 1.0, *params) >= q:
            k -= 1.0
        return int(k)
    start = k
    while True:
        k = min(k + 1.0, kmax)
        f = cdf(k, *params)
        if not (f < q and f < 1.0):
            return int(k)
        if k - start > _MAX_STEPS:
            raise RuntimeError("inverse-CDF search does not converge: invalid parameters?")


def _broadcast_flat(*xs: np.ndarray) -> tuple[tuple[int, ...], list[np.ndarray]]:
    """Broadcast shape of float64 arrays, and the arrays broadcast to it and flattened."""
    shape = xs[0].shape
    if any(x.shape != shape for x in xs[1:]):
        shape = np.broadcast(*xs).shape
        out = []
        for x in xs:
            if x.shape != shape:
                y = np.empty(shape)
                np.copyto(y, x)
                x = y
            out.append(x.ravel())
        return shape, out
    return shape, [x.ravel() for x in xs]


def _poisson_guess_scalar(mu: float, q: float) -> float:
    """Cornish-Fisher guess of the Poisson quantile, clamped to [0, mu + 10 sqrt(mu) + 50] (as in :func:`poisson`)."""
    z = float(ndtri(q))
    s = math.sqrt(mu) if mu >= 0.0 else math.nan
    z2 = z * z
    g = (z - z2 * z) / (72.0 * max(s, 1.0))
    g += (z2 - 1.0) / 6.0 - 0.5
    g += mu
    g += s * z
    cap = mu + 10.0 * s + 50.0
    if not g > 0.0:
        g = 0.0
    if g > cap:
        g = cap
    return math.floor(g)


def poisson(mu: np.ndarray | float, u: np.ndarray | float) -> np.ndarray:
    """Return Poisson(mu) draws by exact inverse CDF: the smallest k with ``P(X <= k) >= u``.

    The CDF is ``scipy.special.pdtr``, the one of ``scipy.stats.poisson.cdf``, so the result equals
    ``scipy.stats.poisson.ppf(u, mu)`` wherever that ppf is itself consistent with its CDF (it is not in the
    far upper tail of large mu, e.g. u = 1 - 1e-10, mu = 1e7, where it answers a few units too high). Fast
    for any mu (typically one CDF evaluation per element; tested to 3e8) and any mix of means. mu = 0
    gives 0.

    Args:
        mu: Means, finite and >= 0 (float or array).
        u: Uniforms in (0, 1) (float or array), broadcast with mu.

    Returns:
        int64 array of the broadcast shape.
    """
    mu = np.asarray(mu, dtype=np.float64)
    u = np.asarray(u, dtype=np.float64)
    bc = np.broadcast(mu, u)
    if bc.size <= _SMALL:
        out = [_search_scalar(_poisson_guess_scalar(mm, qq), qq, pdtr, (mm,), math.inf) for mm, qq in ((float(x), float(y)) for x, y in bc)]
        return np.array(out, dtype=np.int64).reshape(bc.shape)
    shape, (m, q) = _broadcast_flat(mu, u)
    z = ndtri(q)
    s = np.sqrt(m)
    z2 = z * z
    # Cornish-Fisher: mu + s z + (z^2 - 1)/6 + (z - z^3)/(72 s), minus 1/2 (continuity), floored.
    g = (z - z2 * z) / (72.0 * np.maximum(s, 1.0))
    g += (z2 - 1.0) / 6.0 - 0.5
    g += m
    g += s * z
    np.fmax(g, 0.0, out=g)
    np.fmin(g, m + 10.0 * s + 50.0, out=g)
    k = np.floor(g, out=g)
    _search(k, q, pdtr, None, (m,), None)
    return k.astype(np.int64).reshape(shape)


def _binom_guess_scalar(n: float, p: float, q: float) -> float:
    """Cornish-Fisher guess of the binomial quantile, clamped to [0, n] (as in :func:`binomial`)."""
    z = float(ndtri(q))
    z2 = z * z
    r = 1.0 - p
    d = r - p
    mean = n * p
    v = mean * r
    s = math.sqrt(v) if v >= 0.0 else math.nan
    g = (1.0 - 6.0 * p * r) * (z2 - 3.0) * z / 24.0
    g -= d * d * (2.0 * z2 - 5.0) * z / 36.0
    g /= max(s, 1.0)
    g += d * (z2 - 1.0) / 6.0 - 0.5
    g += mean
    g += s * z
    if not g > 0.0:
        g = 0.0
    if g > n:
        g = n
    return math.floor(g)


def binomial(n: np.ndarray | int, p: np.ndarray | float, u: np.ndarray | float) -> np.ndarray:
    """Return Binomial(n, p) draws by exact inverse CDF: the smallest k with ``P(X <= k) >= u``.

    The CDF is the one of ``scipy.stats.binom.cdf`` (Boost's, through scipy's ufunc), so the result equals
    ``scipy.stats.binom.ppf(u, n, p)`` wherever that ppf is itself consistent with its CDF (it is not in the
    far tails of large n, e.g. u = 1 - 1e-16, n = 1e4, where it answers a few units too high). Fast for any
    n (typically one CDF evaluation per element; tested to 1e7) and any mix of sizes. n = 0 or p = 0 give 0;
    p = 1 gives n.

    Args:
        n: Numbers of trials, non-negative integers (int or array).
        p: Success probabilities in [0, 1] (float or array).
        u: Uniforms in (0, 1) (float or array); n, p, u broadcast together.

    Returns:
        int64 array of the broadcast shape.
    """
    n = np.asarray(n, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    u = np.asarray(u, dtype=np.float64)
    bc = np.broadcast(n, p, u)
    if bc.size <= _SMALL:
        out = [_search_scalar(_binom_guess_scalar(a, b, c), c, _binom_cdf, (a, b), a) for a, b, c in ((float(x), float(y), float(z)) for x, y, z in bc)]
        return np.array(out, dtype=np.int64).reshape(bc.shape)
    shape, (nn, pp, q) = _broadcast_flat(n, p, u)
    z = ndtri(q)
    z2 = z * z
    r = 1.0 - pp
    d = r - pp
    mean = nn * pp
    s = np.sqrt(mean * r)
    # Cornish-Fisher: np + s z + (q-p)(z^2-1)/6 + [(1-6pq)(z^3-3z)/24 - (q-p)^2(2z^3-5z)/36]/s, minus 1/2.
    g = (1.0 - 6.0 * pp * r) * (z2 - 3.0) * z / 24.0
    g -= d * d * (2.0 * z2 - 5.0) * z / 36.0
    g /= np.maximum(s, 1.0)
    g += d * (z2 - 1.0) / 6.0 - 0.5
    g += mean
    g += s * z
    np.fmax(g, 0.0, out=g)
    np.fmin(g, nn, out=g)
    k = np.floor(g, out=g)
    _search(k, q, _binom_cdf, _binom_pmf, (nn, pp), nn)
    return k.astype(np.int64).reshape(shape)


def categorical(p: np.ndarray, u: np.ndarray | float) -> np.ndarray:
    """Return category indices by inverse CDF over cumulative sums of ``p``.

    The index is the smallest i with ``cumsum(p)[i] >= u`` (so a zero-probability category is never chosen
    for u in (0, 1)), clipped to k - 1 in case rounding leaves the total just below u. ``p`` is not
    renormalised.

    Args:
        p: Probabilities, (k,) shared by all draws, or (..., k) one row per draw.
        u: Uniforms in (0, 1): any shape for (k,) p; broadcastable to ``p.shape[:-1]`` for (..., k) p.

    Returns:
        int64 array: the shape of u for (k,) p, else the broadcast of u and ``p.shape[:-1]``.
    """
    p = np.asarray(p, dtype=np.float64)
    cum = np.cumsum(p, axis=-1)
    if p.ndim == 1:
        idx = np.searchsorted(cum, u, side="left")
    else:
        idx = np.count_nonzero(cum < np.asarray(u, dtype=np.float64)[..., None], axis=-1)
    return np.minimum(idx, p.shape[-1] - 1).astype(np.int64, copy=False)


def take(counts: np.ndarray, k: np.ndarray, uniforms) -> np.ndarray:  # noqa: ANN001
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
        step = k[i] / total[i]
        edge = 0.0
        below = 0.0  # points (start + i) * total / k below each edge, as float64 like the edges
        for t in range(counts.shape[1]):
            edge += counts[i, t]
            b = min(max(np.ceil(edge * step - u[j]), 0.0), float(k[i]))
            out[i, t] = np.int64(b - below)
            below = b
    return out


def allot(n: np.ndarray, p: np.ndarray, uniforms) -> np.ndarray:  # noqa: ANN001
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
    below = np.clip(np.ceil(cum * n[on][:, None] - uniforms(on)[:, None]), 0, n[on][:, None])
    out[on] = np.diff(below, axis=1).astype(np.int64)
    return out


def multinomial(n: np.ndarray, p: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Multinomial counts (rows) from conditional binomials: ``n`` (m,), ``p`` (m, k) or (k,), ``u`` (m, k)."""
    n = np.asarray(n, dtype=np.int64)
    p = np.broadcast_to(np.asarray(p, dtype=float), u.shape)
    out = np.zeros(u.shape, dtype=np.int64)
    left = n.copy()
    rest = p.sum(axis=1)
    for j in range(u.shape[1] - 1):
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(rest > 0, np.clip(p[:, j] / rest, 0.0, 1.0), 0.0)
        x = binomial(left, q, u[:, j])
        out[:, j] = x
        left -= x
        rest = rest - p[:, j]
    out[:, -1] = left
    return out
