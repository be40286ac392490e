"""The compiled launches (model/vector_engine/launches.py): the fill rule, the allowance, stops on the beach."""

from __future__ import annotations

import numpy as np
import pytest

from model.vector_engine.launches import launch
from model.vector_engine.streams import Streams


def _launch(queued: int, allowed: int = 5, stop_share: float = 0.0, types: int = 2):
    """One run, one network with ``queued`` people (all of type 0), boats of type 0 planned at exactly 100 people (no noise)."""
    queue = np.zeros((1, 1, types), dtype=np.int64)
    queue[0, 0, 0] = queued
    mix = np.zeros((1, 1, 3))
    mix[0, 0, 0] = 1.0
    out = [np.empty(allowed, dtype=np.int64) for _ in range(5)] + [np.empty(allowed, dtype=bool), np.empty((allowed, types), dtype=np.int64)]
    k = launch(3, Streams([5]).keys, 10, 11, 12, 13, np.array([[allowed]]), queue, mix, np.array([[100.0, 50.0, 20.0]]), np.array([[1.0]]), np.array([stop_share]), 0.0, *out)
    run, net, typ, load, rank, stopped, people = (o[:k] for o in out)
    return load.tolist(), rank.tolist(), stopped.tolist(), people, queue[0, 0]


@pytest.mark.parametrize(
    ("queued", "allowed", "loads"),
    [
        (250, 5, [100, 100, 50]),  # the third boat leaves half full: at least half its plan was waiting
        (240, 5, [100, 100]),  # 40 left: less than half a boat, they wait for tomorrow
        (250, 2, [100, 100]),  # the allowance caps the day's boats
        (60, 5, [60]),
        (30, 5, []),
    ],
)
def test_boats_fill_in_order_and_a_last_boat_leaves_only_at_least_half_full(queued, allowed, loads):
    got, rank, stopped, people, left = _launch(queued, allowed)
    assert got == loads and rank == list(range(len(loads))) and not any(stopped)
    assert people.sum(axis=1).tolist() == loads and left.sum() == queued - sum(loads)


def test_boats_stopped_on_the_beach_take_no_one():
    got, _, stopped, people, left = _launch(250, stop_share=1.0)
    assert got == [100, 100, 50] and all(stopped) and not people.any() and left.sum() == 250


def test_compact_moves_the_kept_boats_to_the_front_of_every_block():
    from model.vector_engine.launches import compact

    rng = np.random.default_rng(2)
    rows, cap = 9, 12
    keep = rng.random(rows) < 0.5
    keep[0], keep[-1] = False, True
    floats, ints, bools = rng.random((3, cap)), rng.integers(0, 99, (4, cap)), rng.random((2, cap)) < 0.5
    people, declined = rng.integers(0, 9, (cap, 5)), rng.random((cap, 3)) < 0.5
    want = [blk[:, :rows][:, keep].copy() for blk in (floats, ints, bools)] + [a[:rows][keep].copy() for a in (people, declined)]
    n = compact(keep, floats, ints, bools, people, declined)
    assert n == keep.sum()
    for blk, w in zip((floats, ints, bools), want[:3], strict=True):
        np.testing.assert_array_equal(blk[:, :n], w)
    for a, w in zip((people, declined), want[3:], strict=True):
        np.testing.assert_array_equal(a[:n], w)
