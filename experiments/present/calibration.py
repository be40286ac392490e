"""Check the default scenario against the 2016 figures: ``python -m experiments.present.calibration``.

Runs ``central_med_2016`` for several seeds (in parallel processes), and compares the mean of each
calibrated outcome with its published 2016 value from ``model/data/reference_2016.json``.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from model.mesa_engine import MesaEngine
from model.scenarios import load

REFERENCE = Path(__file__).resolve().parents[2] / "model" / "data" / "reference_2016.json"


def outcomes(seed: int, scenario: str = "central_med_2016") -> dict[str, float]:
    """The calibrated outcomes of one run of the Mesa engine."""
    return _calibrated(MesaEngine().run(load(scenario), seed, record_events=False).summary)


def _calibrated(s: dict) -> dict[str, float]:
    """The calibrated outcomes of a run's summary."""
    return {
        "arrivals_italy": s["arrivals_by_state"]["Italy"],
        "dead_and_missing": s["dead_and_missing"],
        "returns_to_libya": s["intercepted_by_state"]["Libya"],
        "ngo_share_of_rescued": s["rescued_by_actor"]["ngo"] / max(1, s["rescued"]),
    }


def calibration(seeds: int = 10, workers: int = 2, engine: str = "mesa") -> list[dict[str, float | str]]:
    """Rows (outcome, target, model mean, standard error, relative difference) over ``seeds`` runs.

    The Mesa engine runs the seeds in ``workers`` processes; the vectorised engine (the same rules,
    tested equivalent) steps them in one batch, in a fraction of the time.
    """
    targets = json.loads(REFERENCE.read_text(encoding="utf-8"))["targets"]
    if engine == "vector":
        from model.vector_engine import VectorEngine

        runs = [
            _calibrated(r.summary)
            for r in VectorEngine().run_batch(load("central_med_2016"), range(seeds), record_events=False)
        ]
    elif engine == "mesa":
        with ProcessPoolExecutor(max_workers=workers) as pool:
            runs = list(pool.map(outcomes, range(seeds)))
    else:
        raise ValueError(f"engine {engine!r}: 'mesa' or 'vector'")
    rows = []
    for key, t in targets.items():
        vals = np.array([r[key] for r in runs], dtype=float)
        mean = float(vals.mean())
        rows.append(
            {
                "outcome": key,
                "target": t["value"],
                "mean": mean,
                "se": float(vals.std(ddof=1) / np.sqrt(len(vals))),
                "rel_diff": mean / t["value"] - 1.0,
                "source": t["source"],
            }
        )
    return rows


def markdown(rows: list[dict], seeds: int) -> str:
    """The rows as a Markdown table."""
    out = [f"| outcome (2016) | published | model, mean of {seeds} seeds (± s.e.) | difference |", "|---|---|---|---|"]
    for r in rows:
        if r["outcome"].endswith("share_of_rescued"):
            out.append(
                f"| {r['outcome']} | {r['target']:.1%} | {r['mean']:.1%} (± {r['se']:.1%}) | {r['rel_diff']:+.0%} |"
            )
        else:
            out.append(
                f"| {r['outcome']} | {r['target']:,.0f} | {r['mean']:,.0f} (± {r['se']:,.0f}) | {r['rel_diff']:+.0%} |"
            )
    return "\n".join(out)


def main() -> int:
    """Print the calibration table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", choices=("mesa", "vector"), default="mesa")
    args = ap.parse_args()
    print(markdown(calibration(args.seeds, args.workers, args.engine), args.seeds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
