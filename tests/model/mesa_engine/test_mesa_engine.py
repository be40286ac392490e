"""The Mesa engine as Mesa tools use it: batch_run, levers as model keywords, models released after a run."""


def test_mesa_batch_run_drives_the_model():
    import mesa

    from model.mesa_engine import MigrationModel

    res = mesa.batch_run(
        MigrationModel,
        parameters={"scenario": "central_med_small", "ngo_ships": [0, 2], "days": 4, "rng": 1},
        iterations=1,
        max_steps=96,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert [r["ngo_ships"] for r in res] == [0, 2]
    assert all({"arrivals", "dead_and_missing", "people_waiting_at_sea"} <= set(r) for r in res)


def test_model_levers_as_keywords():
    from model.mesa_engine import MigrationModel

    m = MigrationModel(
        "central_med_small",
        rng=3,
        ngo_ships=0,
        framework="standing",
        smuggler_adaptation=0.0,
        **{"policy.cooperation.participants": ["Italy", "Malta"]},
    )
    assert m.params.policy.sar.fleets["ngo"].count == 0
    assert not [v for v in m.vessels if v.kind == "ngo"]
    assert all(n.shift == 0.0 for n in m.networks)


def test_runs_release_their_models():
    import gc

    from model.mesa_engine import MesaEngine
    from model.mesa_engine.model import MigrationModel
    from model.scenarios import load

    def alive() -> int:
        gc.collect()
        return sum(
            issubclass(type(o), MigrationModel) for o in gc.get_objects()
        )  # not isinstance: a dead weak proxy (numba keeps some) raises

    before = alive()
    for seed in (1, 2):
        MesaEngine().run(load("central_med_small"), seed, days=2)
    assert alive() == before
