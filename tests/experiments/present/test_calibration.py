"""The default year against the 2016 figures, on the mean of 50 seeds.

(vectorised engine: the same rules as the Mesa engine, tested equivalent).

Arrivals in Italy, the dead and missing and returns to Libya lie within 25%. The NGO share of the
rescued is a known misfit: about 19% against the published 26.2% (-26% at 50 seeds, -29% at 100;
10 Mesa seeds once showed 25%, which more seeds do not bear out). The calibration issue fits it;
until then this test holds it to within 35%, so that it cannot drift further unnoticed.
"""

import pytest

from experiments.present.calibration import calibration

WITHIN = {"arrivals_italy": 0.25, "dead_and_missing": 0.25, "returns_to_libya": 0.25, "ngo_share_of_rescued": 0.35}


@pytest.mark.slow
def test_central_med_2016_against_2016():
    rows = calibration(seeds=50, engine="vector")
    assert {r["outcome"] for r in rows} == set(WITHIN)
    bad = {r["outcome"]: round(r["rel_diff"], 3) for r in rows if abs(r["rel_diff"]) > WITHIN[r["outcome"]]}
    assert not bad, bad


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="'mesa' or 'vector'"):
        calibration(seeds=1, engine="agents")
