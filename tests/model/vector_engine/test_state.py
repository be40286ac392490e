"""The vectorised engine's constants (:class:`model.vector_engine.state.Constants`)."""


def test_every_constant_is_declared():
    """A reader finds every constant among the declared fields (an undeclared one fails here)."""
    import dataclasses

    from model.scenarios import load
    from model.vector_engine.state import Constants

    declared = {f.name for f in dataclasses.fields(Constants)}
    batch = Constants.for_runs(
        [load("central_med_small"), load("central_med_small").with_overrides({"policy.sar.fleets.ngo.count": 3})]
    )
    assert set(vars(batch)) <= declared, set(vars(batch)) - declared
    assert set(vars(batch.variants[0])) <= declared, set(vars(batch.variants[0])) - declared
