"""The compiled launches (model/vector_engine/launches.py): the fill rule, the allowance, stops on the beach."""

from __future__ import annotations

import numpy as np
import pytest

from model.vector_engine.launches import launch
from model.vector_engine.streams import Streams


def _launch(queued: int, allowed: int = 5, stop_share: float = 0.0, types: int = 2):
    """One run, one network with ``queued`` people.

    (all of type 0), boats of type 0 planned at exactly 100 people (no noise).
    """
    queue = np.zeros((1, 1, types), dtype=np.int64)
    queue[0, 0, 0] = queued
    mix = np.zeros((1, 1, 3))
    mix[0, 0, 0] = 1.0
    out = [np.empty(allowed, dtype=np.int64) for _ in range(5)] + [
        np.empty(allowed, dtype=bool),
        np.empty((allowed, types), dtype=np.int64),
    ]
    k = launch(
        3,
        Streams([5]).keys,
        10,
        11,
        12,
        13,
        np.array([[allowed]]),
        queue,
        mix,
        np.array([[100.0, 50.0, 20.0]]),
        np.array([[1.0]]),
        np.array([stop_share]),
        np.array([False]),
        0.0,
        *out,
    )
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
    want = [blk[:, :rows][:, keep].copy() for blk in (floats, ints, bools)] + [
        a[:rows][keep].copy() for a in (people, declined)
    ]
    n = compact(keep, floats, ints, bools, people, declined)
    assert n == keep.sum()
    for blk, w in zip((floats, ints, bools), want[:3], strict=True):
        np.testing.assert_array_equal(blk[:, :n], w)
    for a, w in zip((people, declined), want[3:], strict=True):
        np.testing.assert_array_equal(a[:n], w)


def test_departing_boats_get_ids_in_order_and_enter_the_ledgers():
    from model.vector_engine.launches import depart

    run, net, typ = np.array([0, 0, 0, 2, 2]), np.array([0, 1, 1, 0, 1]), np.array([1, 0, 2, 2, 0])
    stopped = np.array([False, True, False, False, False])
    people = np.array([[3, 1], [9, 9], [2, 0], [1, 1], [0, 4]])
    next_bid, status = np.array([5, 0, 7]), np.full((3, 2), 100)
    case, day_case, by_type = np.zeros((3, 3)), np.zeros((3, 3)), np.zeros((3, 3), dtype=np.int64)
    price = np.array([[0.1, 0.2], [0.0, 0.0], [1000.0, 3.0]])
    bid, n, revenue = np.empty(5, dtype=np.int64), np.empty(5, dtype=np.int64), np.empty(3)
    k = depart(
        run, net, typ, stopped, people, next_bid, status, 0, 1, case, day_case, 0, 1, 2, by_type, price, bid, n, revenue
    )
    assert (
        k == 4
        and run[:k].tolist() == [0, 0, 2, 2]
        and net[:k].tolist() == [0, 1, 0, 1]
        and typ[:k].tolist() == [1, 2, 2, 0]
    )
    assert people[:k].tolist() == [[3, 1], [2, 0], [1, 1], [0, 4]] and n[:k].tolist() == [4, 2, 2, 4]
    assert bid[:k].tolist() == [5, 6, 7, 8] and next_bid.tolist() == [7, 0, 9]  # the stopped boat takes no id
    assert status.tolist() == [[94, 106], [100, 100], [94, 106]]
    assert case[:, 0].tolist() == [1, 0, 0] and case[:, 1].tolist() == [2, 0, 2] and (day_case == case).all()
    assert case[:, 2].tolist() == [0.1 * 4 + 0.2 * 2, 0.0, 1000.0 * 2 + 3.0 * 4]  # summed per run, in row order
    assert by_type.tolist() == [[0, 1, 1], [0, 0, 0], [1, 0, 1]]


def test_a_launched_boat_fills_every_boat_column_once():
    """Every boat column is filled at launch, by fill_boats (NewBoats) or by the hazard rule (Hazards), not both.

    A column added to the boats but to neither table would keep the last boat's stale value.
    """
    from model.vector_engine import columns
    from model.vector_engine.step import BOAT_COLS

    filled = (*columns.NewBoats._fields, *columns.Hazards._fields)
    assert len(filled) == len(set(filled)), "a column is filled twice"
    assert set(filled) == {*BOAT_COLS, "bn", "bpeople", "bdeclined"}
