"""The vectorised engine's counter-based random streams and inverse-CDF transforms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import special, stats

from model.numerics import quantiles
from model.vector_engine.streams import Streams, allot, binomial, categorical, multinomial, poisson, run_keys, take

MASK = (1 << 64) - 1


def mix64(z: int) -> int:
    """SplitMix64 finalizer, written out independently of the module."""
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) & MASK
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def reference_uniform(seed: int, purpose: int, a: int, b: int, c: int) -> float:
    key = int(np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0])
    h = mix64((key + mix64((purpose << 56) | (a << 32) | (b << 8) | c)) & MASK)
    return ((h >> 12) + 0.5) * 2.0**-52


# --- streams -------------------------------------------------------------------------------------


def test_keys_come_from_seedsequence():
    keys = run_keys([0, 1, 12345])
    assert keys.dtype == np.uint64 and keys.shape == (3,)
    assert keys.tolist() == [
        int(np.random.SeedSequence(s).generate_state(1, dtype=np.uint64)[0]) for s in (0, 1, 12345)
    ]
    assert Streams([0, 1, 12345]).keys.tolist() == keys.tolist()
    assert run_keys([]).shape == (0,)


def test_uniform_is_the_specified_hash():
    s = Streams([3, 99])
    cases = [(0, 0, 0, 0), (1, 17, 5, 0), (255, 2**24 - 1, 2**24 - 1, 255), (7, 123456, 42, 3)]
    for purpose, a, b, c in cases:
        want = [reference_uniform(seed, purpose, a, b, c) for seed in (3, 99)]
        runs = np.array([0, 1] * 10)  # 20 elements: the numpy path; up to 8, a plain-Python one
        assert s.uniform(purpose, runs, a, b, c).tolist() == want * 10
        assert s.uniform(purpose, runs, np.full(20, a), b, np.full(20, c)).tolist() == want * 10
        assert s.uniform(purpose, runs[:2], a, b, c).tolist() == want
        assert s.uniform(purpose, runs[:2], np.full(2, a), b, c).tolist() == want
        assert float(s.uniform(purpose, 1, a, b, c)) == want[1]
        assert float(s.uniform(np.uint8(purpose), np.int64(1), np.int64(a), np.int32(b), np.int64(c))) == want[1]


def test_same_seed_same_values_different_seeds_differ():
    runs = np.arange(3)
    a = np.arange(1000)[:, None]
    u1 = Streams([5, 6, 7]).uniform(2, runs, a)
    u2 = Streams([5, 6, 7]).uniform(2, runs, a)
    assert np.array_equal(u1, u2)
    assert not np.any(u1[:, 0] == u1[:, 1]) and not np.any(u1[:, 1] == u1[:, 2])
    assert not np.array_equal(Streams([8]).uniform(2, np.zeros(1000, int), np.arange(1000)), u1[:, 0])


@pytest.mark.parametrize("position", [0, 517, 999])
def test_a_run_draws_the_same_alone_or_anywhere_in_a_batch(position):
    seed = 2024
    others = np.random.default_rng(position).choice(10**6, size=999, replace=False) + 10**6
    seeds = np.insert(others, position, seed).tolist()
    batch, alone = Streams(seeds), Streams([seed])
    h, ids = 37, np.arange(40)
    # scalar counters (one draw per run) and array counters (per-entity draws), numpy and small paths
    assert (
        batch.uniform(4, np.arange(1000), h, 9)[position]
        == alone.uniform(4, np.zeros(1, int), h, 9)[0]
        == alone.uniform(4, 0, h, 9)
    )
    in_batch = batch.uniform(5, np.full(40, position), h, ids, 3)
    assert np.array_equal(in_batch, alone.uniform(5, np.zeros(40, int), h, ids, 3))
    assert np.array_equal(in_batch[:4], alone.uniform(5, np.zeros(4, int), h, ids[:4], 3))
    grid = batch.uniform(6, np.arange(1000)[:, None], h, ids[None, :])
    assert np.array_equal(grid[position], alone.uniform(6, np.zeros(1, int)[:, None], h, ids[None, :])[0])
    assert np.array_equal(
        batch.normal(7, np.arange(1000), h)[position : position + 1], alone.normal(7, np.zeros(1, int), h)
    )
    assert np.array_equal(
        batch.exponential(8, np.arange(1000), h)[position : position + 1], alone.exponential(8, np.zeros(1, int), h)
    )


def test_uniforms_strictly_inside_unit_interval_and_uniform():
    s = Streams([11, 12])
    u = s.uniform(1, np.arange(2)[:, None], 3, np.arange(50_000)[None, :]).ravel()
    assert u.shape == (100_000,)
    assert 0.0 < u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.005
    assert abs(u.var() - 1 / 12) < 0.002
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert np.unique(u).size == u.size
    # the extreme hashes stay inside (0, 1): (h >> 12) + 0.5 is exact (the 53-bit version rounds up to 1.0)
    from model.vector_engine.streams import _unit_int, unit

    assert _unit_int(0) == 2.0**-53 and _unit_int(MASK) == 1.0 - 2.0**-53
    assert [unit(np.uint64(h)) for h in (0, MASK, 1 << 63)] == [2.0**-53, 1.0 - 2.0**-53, 0.5 + 2.0**-53]


def test_purposes_counters_and_runs_give_uncorrelated_streams():
    s = Streams([1, 2])
    n = 100_000
    ids = np.arange(n)
    base = s.uniform(1, 0, 5, ids % 2**24, 0)
    others = {
        "purpose": s.uniform(2, 0, 5, ids, 0),
        "a": s.uniform(1, 0, 6, ids, 0),
        "b": s.uniform(1, 0, 5, ids + 1, 0),
        "c": s.uniform(1, 0, 5, ids, 1),
        "run": s.uniform(1, 1, 5, ids, 0),
    }
    for name, v in others.items():
        assert abs(np.corrcoef(base, v)[0, 1]) < 0.015, name
    assert abs(np.corrcoef(base[:-1], base[1:])[0, 1]) < 0.015  # consecutive counters
    many = Streams(range(50_000))  # one draw per run, scalar counters
    runs = np.arange(50_000)
    per_run = many.uniform(1, runs, 5, 6, 7)
    for args in [(2, runs, 5, 6, 7), (1, runs, 6, 6, 7), (1, runs, 5, 7, 7), (1, runs, 5, 6, 8)]:
        assert abs(np.corrcoef(per_run, many.uniform(*args))[0, 1]) < 0.02, args[0]
    assert abs(np.corrcoef(s.normal(3, 0, ids), s.normal(3, 1, ids))[0, 1]) < 0.015


def test_normal_and_exponential():
    s = Streams([4])
    ids = np.arange(100_000)
    u = s.uniform(9, 0, 1, ids)
    z, e = s.normal(9, 0, 1, ids), s.exponential(9, 0, 1, ids)
    assert np.array_equal(z, special.ndtri(u)) and np.array_equal(e, -np.log(u))
    assert abs(z.mean()) < 0.015 and abs(z.std() - 1) < 0.01 and np.isfinite(z).all()
    assert abs(e.mean() - 1) < 0.015 and abs(e.std() - 1) < 0.02 and (e > 0).all()
    assert stats.kstest(z, "norm").pvalue > 1e-3


def test_out_of_range_counters_raise():
    s = Streams([1])
    for args in [
        (256, 0, 0, 0, 0),
        (-1, 0, 0, 0, 0),
        (0, 0, 2**24, 0, 0),
        (0, 0, 0, 2**24, 0),
        (0, 0, 0, 0, 256),
        (0, 0, -1, 0, 0),
        (256, 0, np.arange(3), 0, 0),
        (0, 0, np.arange(3), 2**24, 0),
    ]:
        with pytest.raises(ValueError):
            s.uniform(*args)
    s.uniform(255, 0, 2**24 - 1, 2**24 - 1, 255)


def test_shapes_broadcast():
    s = Streams([1, 2, 3])
    assert s.uniform(1, np.arange(3)[:, None], 0, np.arange(5)[None, :]).shape == (3, 5)
    assert s.uniform(1, 2, np.arange(4)).shape == (4,)
    assert s.uniform(1, 2).shape == ()
    assert s.normal(1, np.arange(3)[:, None], np.arange(2)[None, :]).shape == (3, 2)


# --- transforms ----------------------------------------------------------------------------------

U_GRID = np.concatenate(
    [
        [1e-300, 1e-100, 1e-20, 2.0**-53, 1e-12, 1e-6, 1e-3],
        np.linspace(0.01, 0.99, 99),
        [1 - 1e-3, 1 - 1e-6, 1 - 1e-12, 1 - 2.0**-52, 1 - 2.0**-53],
    ]
)


def check_quantiles(ours, scipy_ppf, cdf, u):
    """Always the smallest k with scipy's cdf(k) >= u.

    Equal to scipy's ppf except where that contradicts scipy's own cdf.

    (scipy's ppf does so in the far tails of large means, and at a few ulp-level ties: u within 1e-14 of a cdf value.)
    """
    k = ours.astype(float)
    assert (ours >= 0).all()
    lower, upper = np.where(k > 0, cdf(k - 1), 0.0), cdf(k)
    assert (upper >= u).all() and (lower < u).all()
    differ = ours != scipy_ppf
    scipy_wrong = (cdf(scipy_ppf) < u) | ((scipy_ppf > 0) & (cdf(scipy_ppf - 1) >= u))
    assert scipy_wrong[differ].all()
    tie = (np.abs(u - lower) <= 1e-14 * u) | (np.abs(upper - u) <= 1e-14 * u)
    assert (tie | (np.minimum(u, 1 - u) < 1e-5))[differ].all()
    assert differ.mean() < 0.02


def test_poisson_is_the_exact_inverse_cdf():
    mus = np.array([0, 1e-12, 1e-6, 1e-3, 0.1, 0.5, 1, 2.5, 7, 10, 33.3, 100, 1e3, 12345.6, 1e5, 1e6, 1e7])
    m, u = np.meshgrid(mus, U_GRID)
    ours = poisson(m, u)
    assert ours.dtype == np.int64 and ours.shape == m.shape
    check_quantiles(ours, stats.poisson.ppf(u, m), lambda k: stats.poisson.cdf(k, m), u)
    assert (ours[:, 0] == 0).all()
    assert np.array_equal(
        ours[(U_GRID > 1e-3) & (U_GRID < 1 - 1e-3)], stats.poisson.ppf(u, m)[(U_GRID > 1e-3) & (U_GRID < 1 - 1e-3)]
    )


def test_poisson_pmf_step_decides_as_the_cdf_next_to_its_values():
    """Uniforms at and one or two ulp beside pdtr's values near the mean, where the pmf step must defer to the CDF."""
    rng = np.random.default_rng(11)
    m = np.exp(rng.uniform(np.log(1e-3), np.log(2e6), 40_000))
    k = np.floor(m + np.sqrt(m) * rng.normal(size=m.size)).clip(0, None)
    u = special.pdtr(k, m)
    toward = np.where(rng.uniform(size=m.size) < 0.5, np.inf, -np.inf)
    for step in range(2):  # some stay at the value, others move one or two ulps
        u = np.where(rng.uniform(size=m.size) < 0.5 ** (1 - step) * 2 / 3, np.nextafter(u, toward), u)
    ok = (u > 0) & (u < 1)
    m, u = m[ok], u[ok]
    ours = poisson(m, u)
    assert (special.pdtr(ours, m) >= u).all()
    assert ((ours == 0) | (special.pdtr(ours - 1, m) < u)).all()


def test_poisson_draws_sharing_a_mean_take_the_same_values_as_one_by_one():
    """Runs of a batch share each column's mean: the table-and-bisection path must give every draw's own quantile."""
    rng = np.random.default_rng(12)
    for trial in range(12):
        rows, cols = int(rng.integers(16, 2000)), int(rng.integers(1, 9))
        mu = np.tile(10 ** rng.uniform(-3, 7, cols), (rows, 1))  # means up to 1e7: tables wider than the draws are many
        if trial % 3 == 1:
            mu[rng.random(mu.shape) < 0.3] *= 1.5  # two means in a column
        if trial % 3 == 2:
            mu = 10 ** rng.uniform(-3, 4, (rows, cols))  # more distinct means than the table path looks for
            mu[::2] = mu[0]
        u = rng.random(mu.shape)
        u[rng.random(mu.shape) < 0.01] = 1e-12
        u[rng.random(mu.shape) < 0.01] = 1 - 1e-12
        k = np.floor(mu + np.sqrt(mu) * rng.normal(size=mu.shape)).clip(0, None)
        at = special.pdtr(k, mu)  # uniforms at the CDF's own values, where a table must not round the other way
        on = (rng.random(mu.shape) < 0.2) & (at > 0) & (at < 1)
        u[on] = at[on]
        ours = poisson(mu, u)
        one_by_one = np.array([int(poisson(a, b)) for a, b in zip(mu.ravel()[:3000], u.ravel()[:3000], strict=True)])
        assert np.array_equal(ours.ravel()[:3000], one_by_one)
        kk = ours.astype(float)
        assert (special.pdtr(kk, mu) >= u).all() and ((kk == 0) | (special.pdtr(kk - 1, mu) < u)).all()


def test_binomial_is_the_exact_inverse_cdf():
    ns, ps = [0, 1, 2, 5, 17, 100, 1000, 12344, 10**5, 10**7], [0, 1e-12, 1e-6, 1e-3, 0.1, 0.3, 0.5, 0.9, 0.999999, 1]
    n, p, u = np.meshgrid(ns, ps, U_GRID, indexing="ij")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # Boost cannot bracket some far-tail quantiles
        scipy_ppf = stats.binom.ppf(u, n, p)
    ours = binomial(n.astype(np.int64), p, u)
    assert ours.dtype == np.int64 and ours.shape == n.shape
    check_quantiles(ours, scipy_ppf, lambda k: stats.binom.cdf(k, n, p), u)
    assert (ours[0] == 0).all() and (ours[:, 0] == 0).all() and np.array_equal(ours[:, -1], n[:, -1])
    assert (ours <= n).all()


def test_compiled_binomial_cdf_is_scipys_to_the_bit():
    """The loops call Boost's binomial CDF through scipy's private export; a scipy without it must be noticed."""
    assert quantiles.BINOM_CDF_SOURCE == "boost", (
        "this scipy lacks _export_binom_cdf_double: draws now use the incomplete-beta fallback"
    )
    rng = np.random.default_rng(11)
    n = np.floor(10 ** rng.uniform(0, 7, 20_000))
    k = np.floor(n * rng.random(n.size))
    p = np.where(rng.random(n.size) < 0.5, rng.random(n.size), 10 ** rng.uniform(-9, 0, n.size))
    ours = np.array([quantiles.binom_cdf(a, b, c) for a, b, c in zip(k, n, p, strict=True)])
    assert np.array_equal(ours, stats.binom.cdf(k, n, p))


def test_a_search_that_cannot_converge_raises():
    with pytest.raises(RuntimeError, match="does not converge"):
        poisson(np.inf, 0.5)


def test_transforms_do_not_depend_on_the_rest_of_the_array():
    """Each element is computed alone (small arrays take a plain-Python path): a batch cannot shift a draw."""
    rng = np.random.default_rng(5)
    size = 3000
    u = rng.random(size)
    u[::7] = 10 ** rng.uniform(-16, -2, u[::7].size)
    u[3::7] = 1 - 10 ** rng.uniform(-16, -2, u[3::7].size)
    mu = 10 ** rng.uniform(-4, 7.5, size)
    mu[::11] = 0
    n = np.floor(10 ** rng.uniform(0, 7, size)).astype(np.int64)
    n[::13] = 0
    p = np.where(rng.random(size) < 0.5, rng.random(size), 10 ** rng.uniform(-9, 0, size))
    p[::17], p[5::17] = 0.0, 1.0
    pk, bk = poisson(mu, u), binomial(n, p, u)
    assert np.array_equal(pk, np.concatenate([poisson(mu[i : i + 3], u[i : i + 3]) for i in range(0, size, 3)]))
    assert np.array_equal(
        bk, np.concatenate([binomial(n[i : i + 3], p[i : i + 3], u[i : i + 3]) for i in range(0, size, 3)])
    )
    assert np.array_equal(pk[:400], [int(poisson(a, b)) for a, b in zip(mu[:400], u[:400], strict=True)])
    k = bk.astype(float)
    assert (stats.binom.cdf(k, n, p) >= u).all() and ((k == 0) | (stats.binom.cdf(k - 1, n, p) < u)).all()
    k = pk.astype(float)
    assert (special.pdtr(k, mu) >= u).all() and ((k == 0) | (special.pdtr(k - 1, mu) < u)).all()


def test_poisson_and_binomial_means():
    u = Streams([9]).uniform(1, 0, 0, np.arange(200_000))
    assert abs(poisson(3.7, u).mean() - 3.7) < 0.03
    assert abs(binomial(50, 0.2, u).mean() - 10) < 0.05
    assert abs(binomial(np.int64(10**6), 0.3, u[:20_000]).std() - np.sqrt(10**6 * 0.21)) < 10


def test_categorical():
    p = np.array([0.2, 0.0, 0.5, 0.3])
    u = np.concatenate([np.linspace(1e-9, 1 - 1e-9, 1001), [0.2, 0.2 + 1e-12, 0.7, 1 - 1e-16]])
    cum = np.cumsum(p)
    want = np.array([np.flatnonzero(cum >= x)[0] for x in u])
    got = categorical(p, u)
    assert got.dtype == np.int64 and np.array_equal(got, want)
    assert not (got == 1).any()
    assert categorical(np.array([0.3, 0.3, 0.3999999]), np.array([0.99999999, 0.5])).tolist() == [
        2,
        1,
    ]  # total just below u: clipped to k - 1
    rows = np.random.default_rng(1).dirichlet(np.ones(5), size=300)
    uu = np.random.default_rng(2).random(300)
    assert np.array_equal(categorical(rows, uu), [categorical(r, x) for r, x in zip(rows, uu, strict=True)])
    freq = np.bincount(categorical(p, Streams([3]).uniform(1, 0, 0, np.arange(100_000))), minlength=4) / 100_000
    assert np.allclose(freq, p, atol=0.005)


def _uniforms(seed: int, m: int, c: int):
    s = Streams([seed])
    return lambda rows: s.uniform(1, 0, 0, np.asarray(rows) % 2**24)


def test_take_rows_and_bounds():
    rng = np.random.default_rng(8)
    m, c = 3000, 4
    counts = rng.integers(0, 6, (m, c)) * (rng.random((m, c)) < 0.8)
    counts[:50] *= 1000
    k = (rng.random(m) * (counts.sum(1) + 1)).astype(np.int64).clip(0, counts.sum(1))
    k[:10] = 0
    k[10:20] = counts[10:20].sum(1)
    taken = take(counts, k, _uniforms(8, m, c))
    assert taken.dtype == np.int64 and taken.shape == (m, c)
    assert np.array_equal(taken.sum(1), k)
    assert (taken >= 0).all() and (taken <= counts).all()
    assert (taken[:10] == 0).all() and np.array_equal(taken[10:20], counts[10:20])
    assert take(np.zeros((2, 3), int), np.zeros(2, int), _uniforms(1, 2, 3)).tolist() == [[0, 0, 0], [0, 0, 0]]


@pytest.mark.parametrize(
    ("urn", "k"), [((1, 3), 2), ((5, 0, 7, 2), 9), ((40, 3, 1, 6), 20), ((2, 2, 2), 5), ((1000, 10, 1), 600)]
)
def test_take_mean_is_the_hypergeometric_mean(urn, k):
    """Each person is taken with probability k / total, so each type's mean is exact."""
    draws = 40_000
    counts = np.tile(urn, (draws, 1))
    taken = take(counts, np.full(draws, k), _uniforms(13, draws, len(urn)))
    total = sum(urn)
    mean = k * np.array(urn) / total
    var = (
        k * np.array(urn) / total * (1 - np.array(urn) / total) * (total - k) / (total - 1)
    )  # hypergeometric marginals
    se = np.sqrt(np.maximum(var, 1e-12) / draws) + 0.5 / np.sqrt(draws)
    assert (np.abs(taken.mean(0) - mean) < 5 * se + 1e-9).all()
    assert (taken.var(0) <= var + 0.25 + 1e-9).all()  # systematic sampling: never more spread than +-1 around the mean


def test_take_of_one_is_a_draw_weighted_by_counts():
    counts = np.tile([1, 0, 3, 6], (50_000, 1))
    taken = take(counts, np.ones(50_000, int), _uniforms(5, 50_000, 4))
    assert np.allclose(taken.mean(0), [0.1, 0.0, 0.3, 0.6], atol=0.01)


def test_allot_shares_people_by_probability():
    p = np.array([0.36, 0.42, 0.05, 0.14, 0.03])
    n = np.array([0, 1, 7, 100, 540] * 4000)
    got = allot(n, p, _uniforms(21, n.size, p.size))
    assert np.array_equal(got.sum(1), n) and (got >= 0).all()
    for size in (1, 7, 100, 540):
        rows = got[n == size]
        assert np.allclose(rows.mean(0), size * p, atol=0.02 * max(1, size**0.5))
        assert (np.abs(rows - size * p) < 1 + 1e-9).all()  # within one of the expected count


def test_allot_with_a_probability_row_per_row_equals_shared_probabilities():
    """Rows of a batch of scenario variants carry their own shares; a row's result is as with shared shares."""
    p, q = np.array([0.36, 0.42, 0.05, 0.14, 0.03]), np.array([0.1, 0.0, 0.6, 0.2, 0.1])
    n = np.array([0, 1, 7, 100, 540] * 200)
    uni = _uniforms(5, n.size, p.size)
    rows = np.where((np.arange(n.size) % 3 == 0)[:, None], q, p)
    got = allot(n, rows, uni)
    for probs, sel in ((p, np.arange(n.size) % 3 != 0), (q, np.arange(n.size) % 3 == 0)):
        idx = np.flatnonzero(sel)
        assert np.array_equal(got[idx], allot(n[idx], probs, lambda i, idx=idx: uni(idx[i])))
    assert (got[np.arange(n.size) % 3 == 0][:, 1] == 0).all()


def test_multinomial_rows_and_means():
    s = Streams([4])
    m = 40_000
    w = np.array([0.5, 0.0, 0.3, 0.2])
    u = s.uniform(2, 0, 0, np.arange(m)[:, None], np.arange(4)[None, :])
    got = multinomial(np.full(m, 25), w, u)
    assert np.array_equal(got.sum(1), np.full(m, 25)) and (got[:, 1] == 0).all()
    assert np.allclose(got.mean(0), 25 * w, atol=0.05)
    assert np.allclose(got.var(0), 25 * w * (1 - w), rtol=0.05, atol=0.01)  # multinomial spread
