"""The seed paper's refusal reasons as terms of the acceptance rule, and the flag state without a port.

(ODD 7.14, 7.25).
"""

import numpy as np
import pytest

from model.rules import disembarkation as d
from tests.conftest import accept_p


def p(**kw):
    """A state halfway to accepting, with every other term off."""
    return accept_p(0.5, **kw)


def test_heading_for_another_state_lowers_acceptance():
    assert p(heading_elsewhere=True, w_heading=2.0) == pytest.approx(1 / (1 + np.exp(2.0)))
    assert p(heading_elsewhere=False, w_heading=2.0) == 0.5  # heading for this state: no push
    assert p(heading_elsewhere=True, w_heading=0.0) == 0.5  # weight 0: no effect


def test_precedent_lowers_acceptance_and_fades():
    assert p(precedent=2.0, w_precedent=1.0) == pytest.approx(1 / (1 + np.exp(2.0)))
    assert (
        p(precedent=2.0, w_precedent=1.0) < p(precedent=1.0, w_precedent=1.0) < p(precedent=0.0, w_precedent=1.0) == 0.5
    )
    x = 4.0
    for _ in range(30):
        x = float(d.precedent_decay(x, 30.0))
    assert x == pytest.approx(2.0)  # halved in a half-life


def test_not_our_region():
    # own_srr_logit is the "not in our waters" reason: with a positive weight, a rescue outside the SRR is less welcome
    assert p(own_srr=False, w_srr=1.5) < p(own_srr=True, w_srr=1.5)


def test_new_terms_at_zero_leave_the_rule_bit_identical():
    rng = np.random.default_rng(3)
    for _ in range(200):
        args = [
            rng.random(),
            rng.random() < 0.5,
            rng.random(),
            rng.random() < 0.5,
            2 * rng.random(),
            rng.random(),
            *(3 * rng.random(5)),
        ]
        before = accept_p(*args)
        after = accept_p(
            *args, heading_elsewhere=rng.random() < 0.5, precedent=5 * rng.random(), w_heading=0.0, w_precedent=0.0
        )
        assert before == after


def test_portless_flag_state_is_asked_only_when_it_has_no_port():
    steps = np.array([d.STEP_CODES[s] for s in ("coordinating_state", "flag_state")])
    dist = np.array([10.0, np.inf, np.inf])
    safe = np.array([True, True, False])
    assert d.portless_flag_state(steps, 1, dist, safe) == 1  # a place of safety without a port in the sea
    assert d.portless_flag_state(steps, 0, dist, safe) == -1  # it has a port: asked in the ordinary order
    assert d.portless_flag_state(steps, 2, dist, safe) == -1  # not a place of safety
    assert d.portless_flag_state(steps, -1, dist, safe) == -1  # not a modelled state
    assert d.portless_flag_state(steps[:1], 1, dist, safe) == -1  # the order has no flag_state step


def test_the_coordinating_state_can_be_left_out():
    dist = np.array([10.0, 20.0, 30.0])
    steps = ("coordinating_state", "nearest_safe_port", "others_by_distance")
    assert d.request_order(steps, 0, -1, dist, -1, np.zeros(3, bool), d.AD_HOC) == [0, 1, 2]
    assert d.request_order(steps, 0, -1, dist, -1, np.zeros(3, bool), d.AD_HOC, skip=0) == [1, 2]
    named = np.array([True, False, False])  # a state a standing framework names is asked even so
    assert d.request_order(steps, 0, -1, dist, -1, named, d.STANDING, skip=0) == [0, 1, 2]


def test_waiting_pulls_toward_accepting():
    """waiting_logit_per_day: each day a ship has waited refused adds its weight to the logit (0: no effect)."""
    assert p(w_waiting=0.5, days_waited=4) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert p(w_waiting=0.0, days_waited=4) == 0.5
    assert p(w_waiting=0.5, days_waited=0) == 0.5


@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_waiting_shortens_standoffs_in_both_engines(engine):
    """Both engines pass the ship's days refused to the rule.

    With a strong pull, ships refused by Italy wait less (paired seeds).
    """
    from model.scenarios import load
    from tests.conftest import run

    refusing = {
        "policy.states.Italy.accept_probability": 0.05,
        "policy.cooperation.framework": "none",
        "world.days": 12,
    }
    waits = {}
    for w in (0.0, 3.0):
        sc = load("central_med_small").with_overrides({**refusing, "policy.states.Italy.waiting_logit_per_day": w})
        waits[w] = [run(sc, seed, engine=engine).summary["mean_wait_days"] for seed in (1, 2)]
    assert min(waits[0.0]) > 1.0  # standoffs last days without the pull
    assert all(b < a for a, b in zip(waits[0.0], waits[3.0], strict=True))
