"""The default year lands within 25% of the 2016 figures on the mean of 20 seeds (vectorised engine: the same rules as the Mesa engine, tested equivalent)."""

import pytest

from experiments.calibration import calibration


@pytest.mark.slow
def test_central_med_2016_within_25_percent_of_2016():
    rows = calibration(seeds=20, engine="vector")
    assert {r["outcome"] for r in rows} == {"arrivals_italy", "dead_and_missing", "returns_to_libya", "ngo_share_of_rescued"}
    bad = {r["outcome"]: round(r["rel_diff"], 3) for r in rows if abs(r["rel_diff"]) > 0.25}
    assert not bad, bad


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="'mesa' or 'vector'"):
        calibration(seeds=1, engine="agents")
