"""Exact inverse CDFs of the Poisson and binomial laws, compiled: one uniform gives one draw.

Both return the smallest integer k with ``cdf(k) >= u``, ``cdf`` being the very C function behind
scipy's ufunc (``pdtr`` for the Poisson; Boost's binomial CDF, behind ``scipy.stats.binom.cdf``, for
the binomial), so a draw is exactly the quantile by that CDF and does not depend on the search that
finds it: a Cornish-Fisher guess (normal quantile plus skewness and kurtosis terms,
continuity-corrected), then single steps down or up, evaluating the CDF, until the condition holds.
The guess is almost always the answer or one off, so a Poisson draw costs about two CDF evaluations;
the binomial, whose CDF is costly for large n, replaces the second by a step with the pmf where
that step decides as the CDF would.

The loops call scipy's C functions directly (no per-call numpy overhead, which dominated the earlier
array version at the sizes the engine draws), found through the tables scipy exports for Cython
(``__pyx_capi__``) and registered under fixed symbol names, so numba can cache the compiled loops.
Boost's binomial CDF is exported only under a private name (``_export_binom_cdf_double`` of
``scipy.special._ufuncs_cxx``); where a scipy release lacks it, the binomial falls back to the public
regularised incomplete beta of ``cython_special``, the identity ``P(X <= k) = I_{1-p}(n - k, k + 1)``
(equal in value, not always in the last bit). :data:`BINOM_CDF_SOURCE` says which one is in use.
"""

from __future__ import annotations

import ctypes
import math

import numba
import numpy as np
from llvmlite import binding as llvm
from numba import types
from numba.extending import get_cython_function_address

__all__ = ["BINOM_CDF_SOURCE", "binomial", "poisson"]

_MAX_STEPS = 100_000  # a search taking longer means invalid input (infinite mu, p outside [0, 1], ...)
_EPS = float(np.finfo(np.float64).eps)
# Tolerances of the binomial's one-step pmf shortcut: well above the error of the CDF and of the
# log-space pmf (measured: at most 1/50 of the tolerance over millions of n, p, k), so the shortcut
# decides as the CDF itself would; cases within the tolerance (their probability is of order the
# tolerance) are settled by evaluating the CDF.
_CDF_RTOL = 1e-10
_PMF_RTOL = 1e-10
_POIS_PMF_MAX_MEAN = 1e6  # the Poisson's pmf step only up to this mean

# scipy's functions for Cython take a trailing ``int skip_dispatch`` (pass 0).
llvm.add_symbol("seamig_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri"))
llvm.add_symbol("seamig_pdtr", get_cython_function_address("scipy.special.cython_special", "pdtr"))
c_ndtri = types.ExternalFunction("seamig_ndtri", types.float64(types.float64, types.int32))
_pdtr = types.ExternalFunction("seamig_pdtr", types.float64(types.float64, types.float64, types.int32))


def _boost_binom_cdf() -> int | None:
    """Address of Boost's binomial CDF (double k, n, p) as scipy exports it, or None if this scipy does not."""
    try:
        slot = get_cython_function_address("scipy.special._ufuncs_cxx", "_export_binom_cdf_double")
    except (ImportError, AttributeError, KeyError, ValueError):
        return None
    return ctypes.c_void_p.from_address(slot).value  # the export is a variable holding the function's address


_boost = _boost_binom_cdf()
if _boost is not None:
    llvm.add_symbol("seamig_binom_cdf", _boost)
    BINOM_CDF_SOURCE = "boost"
else:  # pragma: no cover - only on a scipy without the private export
    llvm.add_symbol(
        "seamig_betainc", get_cython_function_address("scipy.special.cython_special", "__pyx_fuse_0betainc")
    )
    _betainc = types.ExternalFunction(
        "seamig_betainc", types.float64(types.float64, types.float64, types.float64, types.int32)
    )

    @numba.cfunc(types.float64(types.float64, types.float64, types.float64))
    def _binom_cdf_by_beta(k: float, n: float, p: float) -> float:
        if k >= n:
            return 1.0
        return _betainc(max(n - k, 1.0), k + 1.0, 1.0 - p, 0)

    llvm.add_symbol("seamig_binom_cdf", _binom_cdf_by_beta.address)
    BINOM_CDF_SOURCE = "incomplete beta"
_binom_cdf = types.ExternalFunction("seamig_binom_cdf", types.float64(types.float64, types.float64, types.float64))


@numba.njit(cache=True)
def binom_cdf(k: float, n: float, p: float) -> float:
    """P(Bin(n, p) <= k), by the CDF in use (for tests and for code that needs it outside the loops)."""
    return _binom_cdf(k, n, p)


@numba.njit(cache=True)
def _poisson_draws(mu: np.ndarray, u: np.ndarray, out: np.ndarray) -> int:
    """Fill ``out`` with Poisson quantiles; returns -1, or the index of a search that did not converge."""
    for i in range(out.size):
        out[i] = poisson_one(mu[i], u[i])
        if out[i] < 0:
            return i
    return -1


@numba.njit(cache=True)
def poisson_one(m: float, q: float) -> int:
    """One Poisson quantile (the smallest k with ``pdtr(k, m) >= q``); -1 if the search does not converge.

    As the binomial, one step from the guess uses the pmf instead of a second CDF evaluation where
    that step decides as the CDF would (up to means of :data:`_POIS_PMF_MAX_MEAN`, where ``pdtr`` is
    consistent with its own pmf to far better than the tolerance: measured 2e-11 relative at 1e6).
    """
    z = c_ndtri(q, 0)
    s = np.sqrt(m)
    z2 = z * z
    g = (z - z2 * z) / (72.0 * max(s, 1.0))  # Cornish-Fisher: mu + s z + (z^2 - 1)/6 + (z - z^3)/(72 s), minus 1/2
    g += (z2 - 1.0) / 6.0 - 0.5
    g += m
    g += s * z
    if not g > 0.0:
        g = 0.0
    g = min(g, m + 10.0 * s + 50.0)
    k = np.floor(g)
    f = _pdtr(k, m, 0)
    ge = f >= q
    if m <= _POIS_PMF_MAX_MEAN and (k > 0.0 or not ge):
        j = k if ge else k + 1.0
        pm, rel = _poisson_pmf(j, m)
        tol = pm * rel + _CDF_RTOL * f
        if ge:
            est = f - pm  # F(k - 1)
            if est < q - tol:
                return np.int64(k)
            if est >= q + tol:
                k -= 1.0  # F(k - 1) >= q: go on down
        else:
            est = f + pm  # F(k + 1)
            if est >= q + tol:
                return np.int64(k + 1.0)
            if est < q - tol:
                k += 1.0  # F(k + 1) < q: go on up
    if ge:
        while k > 0.0 and _pdtr(k - 1.0, m, 0) >= q:
            k -= 1.0
        return np.int64(k)
    start = k
    while True:
        k += 1.0
        f = _pdtr(k, m, 0)
        if not (f < q and f < 1.0):
            return np.int64(k)
        if k - start > _MAX_STEPS:
            return -1


_SHARED_MIN = (
    16  # a mean shared by at least this many draws of a column may take a table of its CDF (:func:`_poisson_columns`)
)
_SHARED_MAX_MEANS = 16  # distinct means per column looked for; the draws of any other mean are searched one by one


@numba.njit(cache=True)
def _poisson_columns(mu: np.ndarray, u: np.ndarray, out: np.ndarray) -> int:
    """:func:`_poisson_draws` for (rows, columns) arrays whose rows often share a column's mean (the runs of a batch).

    The draws with one mean in one column take the values of a single table of ``pdtr``, from the
    quantile of their smallest uniform to that of their largest, each found by bisection: far fewer
    CDF evaluations than one search per draw when many draws share a mean. Each draw is still the
    smallest k with ``pdtr(k, m) >= u`` (the table lies between two such quantiles and rises with
    k; where it would not, or is wider than the draws are many, the draws are searched one by one),
    so the result is the same as :func:`poisson_one`'s for every element. Returns -1, or the flat
    index of a search that did not converge.
    """
    rows, cols = mu.shape
    label = np.empty(rows, dtype=np.int64)
    means = np.empty(_SHARED_MAX_MEANS)
    table = np.empty(0)
    for j in range(cols):
        n_means = 0
        for i in range(rows):  # label each row with its mean's slot (-1: not among the first few means)
            m = mu[i, j]
            label[i] = -1
            for g in range(n_means):
                if means[g] == m:
                    label[i] = g
                    break
            if label[i] < 0 and n_means < _SHARED_MAX_MEANS:
                means[n_means] = m
                label[i] = n_means
                n_means += 1
        for g in range(-1, n_means):
            count, lo_i, hi_i = 0, -1, -1
            for i in range(rows):
                if label[i] == g:
                    count += 1
                    if lo_i < 0 or u[i, j] < u[lo_i, j]:
                        lo_i = i
                    if hi_i < 0 or u[i, j] > u[hi_i, j]:
                        hi_i = i
            if count == 0:
                continue
            shared = g >= 0 and count >= _SHARED_MIN
            if shared:
                m = means[g]
                k_lo, k_hi = poisson_one(m, u[lo_i, j]), poisson_one(m, u[hi_i, j])
                if k_lo < 0:
                    return lo_i * cols + j
                if k_hi < 0:
                    return hi_i * cols + j
                span = k_hi - k_lo + 1
                shared = span <= count // 2
            if shared:
                if table.size < span:
                    table = np.empty(2 * span)
                for t in range(span):
                    table[t] = _pdtr(float(k_lo + t), m, 0)
                    if t > 0 and table[t] < table[t - 1]:
                        shared = False  # not rising: search each draw
                        break
            for i in range(rows):
                if label[i] != g:
                    continue
                if shared:
                    q = u[i, j]
                    a, b = 0, span - 1  # table[b] >= q (b is the largest draw's quantile): the first such
                    while a < b:
                        c = (a + b) // 2
                        if table[c] >= q:
                            b = c
                        else:
                            a = c + 1
                    out[i, j] = k_lo + a
                else:
                    out[i, j] = poisson_one(mu[i, j], u[i, j])
                    if out[i, j] < 0:
                        return i * cols + j
    return -1


@numba.njit(cache=True)
def _poisson_pmf(k: float, m: float) -> tuple[float, float]:
    """Poisson pmf at k >= 0 from the log-gamma function, and a bound on its relative error (as :func:`_binom_pmf`)."""
    lg = math.lgamma(k + 1.0)
    lk = k * np.log(m) if k > 0.0 else 0.0
    lp = lk - m - lg
    err = min((abs(lk) + m + lg + 1.0) * 64.0 * _EPS + _PMF_RTOL, 1.0)
    return np.exp(lp), err


@numba.njit(cache=True)
def binomial_one(n: float, p: float, q: float) -> int:
    """One binomial quantile (the smallest k with ``P(Bin(n, p) <= k) >= q``); -1 if the search does not converge."""
    z = c_ndtri(q, 0)
    z2 = z * z
    r = 1.0 - p
    d = r - p
    mean = n * p
    s = np.sqrt(mean * r)
    # Cornish-Fisher: np + s z + (q-p)(z^2-1)/6 + [(1-6pq)(z^3-3z)/24 - (q-p)^2(2z^3-5z)/36]/s, minus 1/2
    g = (1.0 - 6.0 * p * r) * (z2 - 3.0) * z / 24.0
    g -= d * d * (2.0 * z2 - 5.0) * z / 36.0
    g /= max(s, 1.0)
    g += d * (z2 - 1.0) / 6.0 - 0.5
    g += mean
    g += s * z
    if not g > 0.0:
        g = 0.0
    k = np.floor(min(g, n))
    f = _binom_cdf(k, n, p)
    # One step with the pmf instead of a second CDF evaluation (large n make the CDF costly):
    # F(k - 1) = F(k) - pmf(k) where F(k) >= q, else F(k + 1) = F(k) + pmf(k + 1). Where the estimate
    # lies within its error bound of q, the CDF decides.
    ge = f >= q
    j = k if ge else k + 1.0
    if j <= n:
        pm, rel = _binom_pmf(j, n, p)
        tol = pm * rel + _CDF_RTOL * f
        est = f - pm if ge else f + pm
        if ge:
            if est < q - tol:
                return np.int64(k)  # F(k - 1) < q
            if est >= q + tol:
                k -= 1.0  # F(k - 1) >= q: go on down
        else:
            if est >= q + tol:
                return np.int64(k + 1.0)  # F(k + 1) >= q
            if est < q - tol:
                k += 1.0  # F(k + 1) < q: go on up
                f = est
    if f >= q or k == n:
        while k > 0.0 and _binom_cdf(k - 1.0, n, p) >= q:
            k -= 1.0
        return np.int64(k)
    start = k
    while True:
        k = min(k + 1.0, n)
        f = _binom_cdf(k, n, p)
        if not (f < q and f < 1.0):
            return np.int64(k)
        if k - start > _MAX_STEPS:
            return -1


@numba.njit(cache=True)
def _binom_pmf(k: float, n: float, p: float) -> tuple[float, float]:
    """Binomial pmf at k (0 <= k <= n) from log-gamma functions, and a bound on its relative error."""
    nk = n - k
    lg = math.lgamma(n + 1.0)
    lp = lg - math.lgamma(k + 1.0) - math.lgamma(nk + 1.0)
    if k > 0.0:
        lp += k * np.log(p)
    if nk > 0.0:
        lp += nk * np.log1p(-p)
    # The log's rounding is ~eps * the sum of its terms' magnitudes, which is 2 lgamma(n + 1) - log(pmf)
    # (the last two terms are <= 0), and the pmf's relative error the same.
    err = min((2.0 * lg - lp + 1.0) * 64.0 * _EPS + _PMF_RTOL, 1.0)  # infinite terms (pmf 0): any finite bound
    return np.exp(lp), err


@numba.njit(cache=True)
def _binomial_draws(n: np.ndarray, p: np.ndarray, u: np.ndarray, out: np.ndarray) -> int:
    """Fill ``out`` with binomial quantiles; returns -1, or the index of a search that did not converge."""
    for i in range(out.size):
        out[i] = binomial_one(n[i], p[i], u[i])
        if out[i] < 0:
            return i
    return -1


def _flat(*xs: np.ndarray | float) -> tuple[tuple[int, ...], list[np.ndarray]]:
    """The broadcast shape of the arguments, and each as a flat contiguous float64 array of that size."""
    arrays = [np.asarray(x, dtype=np.float64) for x in xs]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    return shape, [
        (a if a.shape == shape else np.broadcast_to(a, shape)).ravel() for a in arrays
    ]  # ravel copies what is not contiguous


def _check(failed: int) -> None:
    if failed >= 0:
        raise RuntimeError("inverse-CDF search does not converge: invalid parameters?")


def poisson(mu: np.ndarray | float, u: np.ndarray | float) -> np.ndarray:
    """Return Poisson(mu) draws by exact inverse CDF: the smallest k with ``P(X <= k) >= u``.

    The CDF is ``scipy.special.pdtr``, the one of ``scipy.stats.poisson.cdf``, so the result equals
    ``scipy.stats.poisson.ppf(u, mu)`` wherever that ppf is itself consistent with its CDF (it is not in the
    far upper tail of large mu, e.g. u = 1 - 1e-10, mu = 1e7, where it answers a few units too high). Fast
    for any mu (typically two CDF evaluations per element; tested to 3e8). mu = 0 gives 0. A (rows,
    columns) array whose rows share a column's mean (the runs of a batch) evaluates the CDF once per
    value for all of them (:func:`_poisson_columns`): the same draws, several times faster.

    Args:
        mu: Means, finite and >= 0 (float or array).
        u: Uniforms in (0, 1) (float or array), broadcast with mu.

    Returns:
        int64 array of the broadcast shape.
    """
    shape, (m, q) = _flat(mu, u)
    out = np.empty(m.size, dtype=np.int64)
    if len(shape) == 2 and shape[0] >= _SHARED_MIN:  # (runs, columns): runs may share a column's mean
        _check(_poisson_columns(m.reshape(shape), q.reshape(shape), out.reshape(shape)))
    else:
        _check(_poisson_draws(m, q, out))
    return out.reshape(shape)


def binomial(n: np.ndarray | int, p: np.ndarray | float, u: np.ndarray | float) -> np.ndarray:
    """Return Binomial(n, p) draws by exact inverse CDF: the smallest k with ``P(X <= k) >= u``.

    The CDF is the one of ``scipy.stats.binom.cdf`` (Boost's; see the module docstring for scipy
    releases without it), so the result equals ``scipy.stats.binom.ppf(u, n, p)`` wherever that ppf is
    itself consistent with its CDF (it is not in the far tails of large n, e.g. u = 1 - 1e-16, n = 1e4,
    where it answers a few units too high). Fast for any n (tested to 1e7). n = 0 or p = 0 give 0;
    p = 1 gives n.

    Args:
        n: Numbers of trials, non-negative integers (int or array).
        p: Success probabilities in [0, 1] (float or array).
        u: Uniforms in (0, 1) (float or array); n, p, u broadcast together.

    Returns:
        int64 array of the broadcast shape.
    """
    shape, (nn, pp, q) = _flat(n, p, u)
    out = np.empty(nn.size, dtype=np.int64)
    _check(_binomial_draws(nn, pp, q, out))
    return out.reshape(shape)


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
