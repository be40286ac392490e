"""The Mesa engine: the readable reference, one agent per person, watchable step by step."""

from __future__ import annotations

from model.mesa_engine.model import LEVERS, MigrationModel
from model.outcomes import RunResult
from model.params import Scenario

__all__ = ["LEVERS", "MesaEngine", "MigrationModel"]


class MesaEngine:
    """Runs a scenario with the Mesa model (satisfies :class:`model.outcomes.Engine`)."""

    name = "mesa"

    def run(
        self,
        scenario: Scenario,
        seed: int,
        *,
        days: int | None = None,
        progress: bool = False,
        record_events: bool = True,
    ) -> RunResult:
        """Run ``scenario`` from ``seed`` for its days (or ``days``) and return the outcomes."""
        if days is not None:
            scenario = scenario.with_overrides({"world.days": days})
        m = MigrationModel(scenario, rng=seed, record_events=record_events)
        total = scenario.world.days
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="day", desc=f"{scenario.name} seed {seed}", leave=False)
        for h in range(total * 24):
            m.step()
            if bar is not None and h % 24 == 23:
                bar.update(1)
        if bar is not None:
            bar.close()
        result = m.result(seed)
        m.release()
        return result
