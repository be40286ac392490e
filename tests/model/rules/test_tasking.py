"""RCC tasking of one case (:mod:`model.rules.tasking`), the rule both engines call."""

import numpy as np
import pytest

from model.rules import tasking as t


def _case(
    *,
    merchant=(True, False, False),
    candidate=(True, True, True),
    vx=(1.0, 5.0, 9.0),
    u=None,
    compliance=0.8,
    answer_hours=0.0,
    own_free=False,
    first_alerted=1,
):
    """A boat at (0, 0) with 50 aboard, coordinated by state 0; three vessels on the x axis at 10 km/h."""
    n = len(vx)
    u = np.full(n, np.nan) if u is None else np.asarray(u, dtype=float)
    kind, vessel, eta = np.empty(n + 1, dtype=np.int64), np.empty(n + 1, dtype=np.int64), np.empty(n + 1)
    k = t.task_case(
        0.0,
        0.0,
        50,
        0,
        first_alerted,
        own_free,
        np.asarray(vx, dtype=float),
        np.zeros(n),
        np.full(n, 10.0),
        np.full(n, 100.0),
        np.asarray(merchant, dtype=bool),
        np.flatnonzero(np.asarray(candidate, dtype=bool)),
        int(np.sum(candidate)),
        u,
        compliance,
        0.0,
        np.zeros(1),
        np.zeros(1),
        np.ones(1, dtype=bool),
        answer_hours,
        kind,
        vessel,
        eta,
        np.empty(n),
        np.empty(n),
    )
    return kind[:k].tolist(), vessel[:k].tolist(), eta[:k].tolist()


def test_the_earliest_candidate_is_sent():
    assert _case(merchant=(False, False, False)) == ([t.TASK], [0], [0.1])
    assert _case(merchant=(False, False, False), candidate=(False, True, True)) == ([t.TASK], [1], [0.5])


def test_a_masters_answer_is_asked_for_then_decides():
    kind, vessel, _ = _case()
    assert (kind, vessel) == ([t.DRAW], [0])  # the nearest is a merchant ship: the rule needs its uniform
    assert _case(u=(0.5, np.nan, np.nan))[:2] == ([t.TASK], [0])  # 0.5 < compliance 0.8: he goes
    assert _case(u=(0.9, np.nan, np.nan))[:2] == ([t.DECLINE, t.TASK], [0, 1])  # he declines: the next goes
    assert _case(u=(0.9, np.nan, np.nan), answer_hours=3.0)[:2] == ([t.TASK_LATER], [0])  # nobody else meanwhile


def test_with_nobody_to_send_the_case_is_handed_over_unless_the_rcc_has_its_own_free():
    none = (False, False, False)
    assert _case(candidate=none) == ([t.HAND_OVER], [-1], [np.inf])
    assert _case(candidate=none, own_free=True) == ([], [], [])
    assert _case(candidate=none, first_alerted=0) == ([], [], [])  # it was the first alerted itself


@pytest.mark.parametrize("free", [0.0, 100.0])
def test_may_send(free):
    args = dict(
        on_patrol=True,
        free=free,
        withdrawn=False,
        declined=False,
        merchant=False,
        fleet_taskable=True,
        standing=False,
        coord_participates=False,
        flag_participates=False,
        coordinator_stand_by=False,
    )
    assert t.may_send(*args.values()) == (free >= 1)
    for key, value in [("declined", True), ("on_patrol", False), ("withdrawn", True), ("fleet_taskable", False)]:
        assert not t.may_send(*{**args, key: value}.values())
    merchant = {**args, "merchant": True, "fleet_taskable": False}
    assert t.may_send(*merchant.values()) == (free >= 1)
    assert not t.may_send(*{**merchant, "coordinator_stand_by": True}.values())  # told to stand by


def test_the_mesa_engine_tasks_through_the_rule(monkeypatch):
    """Every tasking in a Mesa run is an action of :func:`task_case` (the vectorised engine's loops compile it in)."""
    from model.mesa_engine import MesaEngine
    from model.scenarios import load

    calls = []
    rule = t.task_case

    def spy(*a):
        calls.append(rule(*a))
        return calls[-1]

    monkeypatch.setattr(t, "task_case", spy)
    result = MesaEngine().run(load("central_med_small").with_overrides({"world.days": 5}), 1)
    taskings = int((result.events.event == "tasking").sum())
    assert taskings > 0 and len(calls) >= taskings
