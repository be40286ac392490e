"""A rescue vessel's hour (:mod:`model.rules.vessel_hour`), the rule both engines call."""

from model.rules import vessel_hour as vh


def hour(
    status,
    *,
    h=10,
    x=0.0,
    tx=0.0,
    aboard=0,
    capacity=100.0,
    hours=0,
    scene=-1,
    target=0,
    capsized=False,
    approach=0.0,
    batch=0.5,
    max_hours=48.0,
    rest_until=-1,
    rest_days=2.0,
    kept=False,
):
    """A vessel at (x, 0) with speed 10 km/h heading for (tx, 0); returns the rule's 8-tuple."""
    return vh.vessel_hour(
        h,
        status,
        x,
        0.0,
        10.0,
        aboard,
        capacity,
        hours,
        scene,
        tx,
        0.0,
        target,
        capsized,
        approach,
        0.0,
        batch,
        max_hours,
        rest_until,
        rest_days,
        kept,
    )


def test_a_tasked_vessel_whose_boat_is_gone_goes_back_on_patrol():
    status, x, y, arrived, action, hours, scene, rest = hour(vh.TASKED, tx=50.0, aboard=3, scene=12)
    assert (status, action, scene, hours, x) == (vh.PATROL, vh.TARGET_GONE, -1, 1, 0.0)


def test_on_scene_the_transfer_takes_its_hours_then_the_rescue():
    r = hour(vh.TASKED, tx=5.0, target=40, approach=2.0)  # arrives this hour; 2 hours on scene
    assert r[3] and r[4] == vh.NOTHING and r[6] == 12
    r = hour(vh.TASKED, h=12, x=5.0, tx=5.0, target=40, scene=12)
    assert r[4] == vh.RESCUE and r[6] == -1
    r = hour(vh.TASKED, h=11, x=5.0, tx=5.0, target=40, scene=12, capsized=True)  # people in the water: at once
    assert r[4] == vh.RESCUE
    r = hour(vh.TASKED, tx=50.0, target=40)  # still on its way
    assert (r[1], r[3], r[4]) == (10.0, False, vh.NOTHING)


def test_on_patrol_with_people_aboard_it_asks_for_a_port_once_full_enough():
    assert hour(vh.PATROL, tx=30.0, aboard=40)[4] == vh.NOTHING  # 40% full, batching to 50%
    r = hour(vh.PATROL, tx=30.0, aboard=60)
    assert r[4] == vh.ASK_PORT and r[1] == 10.0 and r[5] == 1
    assert hour(vh.PATROL, tx=30.0, aboard=1, hours=47)[4] == vh.ASK_PORT  # after max_hours with people


def test_bound_for_a_port_it_lands_or_rests_and_later_leaves_unless_kept():
    assert hour(vh.TO_PORT, tx=5.0, aboard=20)[4] == vh.LAND
    status, *_, rest = hour(vh.TO_HOME, tx=5.0)
    assert status == vh.IN_PORT and rest == 10 + 48
    assert hour(vh.IN_PORT, h=58, rest_until=58)[:5:4] == (vh.PATROL, vh.LEFT_PORT)
    assert hour(vh.IN_PORT, h=58, rest_until=58, kept=True)[:5:4] == (vh.IN_PORT, vh.NOTHING)
    assert hour(vh.IN_PORT, h=57, rest_until=58)[4] == vh.NOTHING


def test_a_ship_waiting_for_a_port_does_nothing_in_its_hour():
    assert hour(vh.WAITING, tx=30.0, aboard=50)[:5] == (vh.WAITING, 0.0, 0.0, False, vh.NOTHING)


def test_the_mesa_engine_steps_its_vessels_through_the_rule(monkeypatch):
    """Every Mesa vessel's hour is the rule's (the vectorised engine's loop compiles it in)."""
    from model.mesa_engine import MesaEngine
    from model.scenarios import load

    actions = []
    rule = vh.vessel_hour

    def spy(*a):
        r = rule(*a)
        actions.append(r[4])
        return r

    monkeypatch.setattr(vh, "vessel_hour", spy)
    result = MesaEngine().run(load("central_med_small").with_overrides({"world.days": 5}), 1)
    assert actions.count(vh.RESCUE) == int((result.events.event == "rescue").sum()) > 0
