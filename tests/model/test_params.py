import dataclasses

import pytest

from model.errors import ConfigError
from model.params import PROFILES, Scenario
from model.scenarios import builtin_names, from_dict, load, to_toml


def test_defaults_are_valid_and_complete():
    s = Scenario()
    flat = s.flat()
    assert flat["policy.sar.fleets.ngo.count"] == s.policy.sar.fleets["ngo"].count
    assert flat["world.days"] == 365
    assert sum(s.world.demand.profile_share.as_tuple()) == pytest.approx(1.0)
    assert set(s.world.states) == set(s.policy.states)


def test_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Scenario().name = "x"  # type: ignore[misc]


def test_overrides_by_dotted_key():
    s = Scenario().with_overrides(
        {
            "policy.sar.fleets.ngo.count": 0,
            "policy.cooperation.framework": "standing",
            "policy.cooperation.participants": ["Italy"],
        }
    )
    assert s.policy.sar.fleets["ngo"].count == 0
    assert s.policy.cooperation.framework == "standing"
    assert Scenario().policy.sar.fleets["ngo"].count > 0  # the original is untouched


@pytest.mark.parametrize(
    ("override", "key", "fragment"),
    [
        ({"policy.sar.fleets.ngo.cuont": 3}, "policy.sar.fleets.ngo.cuont", "unknown key"),
        ({"world.survival.body_recovery_share": 1.7}, "world.survival.body_recovery_share", "from 0 to 1"),
        ({"policy.sar.fleets.ngo.capacity_people": -5}, "policy.sar.fleets.ngo.capacity_people", "from 1 to 10000"),
        ({"policy.sar.fleets.ngo.count": 2.5}, "policy.sar.fleets.ngo.count", "integer"),
        ({"policy.cooperation.framework": "treaty"}, "policy.cooperation.framework", "ad_hoc"),
        ({"world.demand.profile_share.refugee": 0.9}, "world.demand.profile_share", "sum to 1"),
        ({"world.demand.monthly_share_pct": [1, 2]}, "world.demand.monthly_share_pct", "12 values"),
        ({"policy.cooperation.participants": ["Atlantis"]}, "policy.cooperation.participants", "states among"),
        ({"policy.sar.ngo_blocked": "yes"}, "policy.sar.ngo_blocked", "true or false"),
        ({"world.start_date": "2016-13-01"}, "world.start_date", "YYYY-MM-DD"),
    ],
)
def test_bad_values_name_the_key(override, key, fragment):
    with pytest.raises(ConfigError) as err:
        Scenario().with_overrides(override)
    assert err.value.key == key
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_unknown_port_is_rejected_with_its_key():
    with pytest.raises(ConfigError) as err:
        from_dict({"policy": {"sar": {"fleets": {"ngo": {"home_port": "Atlantis"}}}}})
    assert err.value.key == "policy.sar.fleets.ngo.home_port"
    with pytest.raises(ConfigError) as err:
        from_dict({"world": {"smugglers": {"zuwara": {"departure_point": "Lampedusa"}}}})
    assert err.value.key == "world.smugglers.zuwara.departure_point"


def test_builtin_scenarios_load_and_round_trip_through_toml(tmp_path):
    assert builtin_names()[0] == "central_med_2016"
    assert "central_med_small" in builtin_names()
    for name in builtin_names():
        s = load(name)
        path = tmp_path / f"{name}.toml"
        path.write_text(to_toml(s))
        assert load(path) == s


def test_profiles_and_flatten_keys_are_stable():
    assert PROFILES == ("refugee", "economic_migrant", "trafficking_victim", "unaccompanied_child", "medical_need")
    keys = Scenario().flat()
    assert all("." in k for k in keys if k not in ("name", "description"))


def test_standing_framework_without_participants_takes_every_state_with_a_safe_port():
    s = Scenario().with_overrides({"policy.cooperation.framework": "standing"})
    assert s.policy.cooperation.participants == ("Italy", "Malta", "Tunisia")  # Libya is no place of safety
    assert Scenario().with_overrides(
        {"policy.cooperation.framework": "standing", "policy.cooperation.participants": ["Malta"]}
    ).policy.cooperation.participants == ("Malta",)
    no_safe_port = {f"world.states.{n}.place_of_safety": False for n in Scenario().world.states}
    with pytest.raises(ConfigError) as err:
        Scenario().with_overrides({**no_safe_port, "policy.cooperation.framework": "standing"})
    assert err.value.key == "policy.cooperation.participants"


def _scalar_keys(s):
    return [k for k, v in s.flat().items() if not k.startswith("timeline") and isinstance(v, (bool, int, float, str))]


@pytest.mark.parametrize("name", ["central_med_2014_2017", "central_med_small"])
def test_one_number_changed_fast_gives_the_full_rebuilds_scenario(name):
    """``with_overrides`` rebuilds only the tables on a scalar key's path; the result equals a full rebuild."""
    from model.fields import unflatten
    from model.params import Scenario

    s = load(name)
    keys = [k for k in _scalar_keys(s) if not k.startswith(("policy.cooperation", "world.days", "world.start_date"))]
    assert len(keys) > 300
    flat = s.flat()
    checked = 0
    for k in keys:
        v = flat[k] * 0.9 if isinstance(flat[k], float) else flat[k]  # (a float a little lower: may break a check)
        try:
            slow = Scenario.from_dict(unflatten({k: v}), base=s)
        except ConfigError as err:
            with pytest.raises(ConfigError) as fast_err:
                s.with_overrides({k: v})
            assert str(fast_err.value) == str(err)
            continue
        fast = s._with_numbers({k: v})  # None: the key takes the full rebuild (a number inside a table of numbers)
        assert fast is None or fast == slow, k
        assert s.with_overrides({k: v}) == slow, k
        checked += fast is not None
    assert checked > 300


@pytest.mark.parametrize(
    "key,value",
    [
        ("policy.sar.merchant.compliance", 1.7),
        ("policy.sar.fleets.ngo.capacity_people", -5),
        ("world.boats.rubber.capsize_mean_hours", 0.0),
        ("policy.sar.fleets.ngo.count", 2.5),
        ("world.survival.body_recovery_share", "many"),
    ],
)
def test_a_bad_number_names_the_same_key_either_way(key, value):
    from model.fields import unflatten
    from model.params import Scenario

    s = load("central_med_2016")
    with pytest.raises(ConfigError) as slow:
        Scenario.from_dict(unflatten({key: value}), base=s)
    with pytest.raises(ConfigError) as fast:
        s.with_overrides({key: value})
    assert str(fast.value) == str(slow.value) and key in str(fast.value)


def test_many_numbers_changed_at_once_fast_give_the_full_rebuilds_scenario():
    """Several keys in one set of overrides (as a calibration's parameters): the scenario is checked once, the same."""
    from model.fields import unflatten

    s = load("central_med_2014_2017")
    over = {
        "world.boats.rubber.distress_per_hour": 0.03,
        "world.boats.rubber.capsize_mean_hours": 400.0,
        "world.boats.wooden.distress_per_hour": 0.02,
        "world.detection.report_probability": 0.8,
        "policy.states.Libya.interception_per_hour": 0.02,
        "policy.sar.merchant.compliance": 0.6,
        "policy.sar.fleets.ngo.count": 3,
    }
    fast = s._with_numbers(over)
    assert fast is not None and fast == Scenario.from_dict(unflatten(over), base=s)
    with pytest.raises(ConfigError, match="policy.sar.merchant.compliance"):
        s.with_overrides({**over, "policy.sar.merchant.compliance": 1.5})
