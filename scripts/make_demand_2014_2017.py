"""Derive the monthly demand of ``central_med_2014_2017`` from the published 2014-2017 figures.

People reaching the Libyan and Tunisian coast in a month are taken to be those counted on the
route that month: sea arrivals in Italy and Malta plus dead and missing (UNHCR monthly series and
IOM Missing Migrants Project, compiled in stklem/med_migration), plus returns to Libya where the
annual file has them (2016: 14,332; 2017: 15,358; none recorded for 2014-2015), each year's
returns spread over its months in proportion to that month's arrivals + dead and missing. People
returned who try again are counted again, so this over-counts new people by the retries; the
figures are inputs, not fitted.

Usage: python scripts/make_demand_2014_2017.py [DATA_DIR] > model/scenarios/central_med_2014_2017_demand.csv
(DATA_DIR: the folder with central_med_monthly_2014_2017.csv and central_med_annual_2014_2017.csv;
default ../shared/data).
"""

import csv
import sys
from pathlib import Path

folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
monthly = list(csv.DictReader((folder / "central_med_monthly_2014_2017.csv").open(encoding="utf-8")))
annual = {
    int(r["year"]): r for r in csv.DictReader((folder / "central_med_annual_2014_2017.csv").open(encoding="utf-8"))
}
seen = {}
for r in monthly:
    seen.setdefault(int(r["year"]), 0)
    seen[int(r["year"])] += int(r["sea_arrivals_italy_malta"]) + int(r["dead_missing"])
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["month", "people", "arrivals_italy_malta", "dead_missing", "returns_libya_share"])
for r in monthly:
    y, m = int(r["year"]), int(r["month"])
    on_route = int(r["sea_arrivals_italy_malta"]) + int(r["dead_missing"])
    returns_year = annual[y]["interceptions_libya"]
    returns = float(returns_year) * on_route / seen[y] if returns_year else 0.0
    out.writerow(
        [
            f"{y:04d}-{m:02d}",
            round(on_route + returns),
            r["sea_arrivals_italy_malta"],
            r["dead_missing"],
            round(returns),
        ]
    )
