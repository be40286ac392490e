"""The default year lands within 25% of the 2016 figures on the mean of 10 seeds."""

import pytest

from experiments.calibration import calibration


@pytest.mark.slow
def test_central_med_2016_within_25_percent_of_2016():
    rows = calibration(seeds=10, workers=2)
    bad = {r["outcome"]: round(r["rel_diff"], 3) for r in rows if abs(r["rel_diff"]) > 0.25}
    assert not bad, bad
