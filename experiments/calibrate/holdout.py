"""Leave one year out: calibrate on the other years, then predict the year left out.

For each year of the calibration, :func:`leave_one_year_out` fits the same file without that
year's summaries (``DIR/without_YYYY``) and compares the fitted model's posterior predictive runs
with the record for the year left out: arrivals, dead and missing, deaths per arrival, and the
January-April deaths per arrival (the early-2015 regime the published rates single out).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.calibrate.checks import markdown, prediction_rows
from experiments.calibrate.config import CalibrationConfig
from experiments.calibrate.smc import calibrate


def leave_one_year_out(cfg: CalibrationConfig, out: str | Path, **kwargs: object) -> pd.DataFrame:
    """Calibrate once per year left out (``out/without_YYYY``); the table of predictions for each year left out.

    Written to ``out/leave_one_year_out.csv`` and ``.md``. ``kwargs`` go to :func:`calibrate`
    (``resume`` continues every fit that was interrupted).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    for year in cfg.years:
        folder = out / f"without_{year}"
        done = (folder / "predictive_monthly.parquet").exists()
        if not done:
            calibrate(cfg.holding_out(year), folder, **{**kwargs, "resume": folder.exists()})  # type: ignore[arg-type]
        rows += prediction_rows(pd.read_parquet(folder / "predictive_monthly.parquet"), year)
    table = pd.DataFrame(rows)
    table.to_csv(out / "leave_one_year_out.csv", index=False)
    (out / "leave_one_year_out.md").write_text(markdown(table, "year left out"), encoding="utf-8")
    return table
