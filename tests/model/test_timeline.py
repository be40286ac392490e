"""Dated changes (``[[timeline]]``): validation, merging, application in both engines, demand as data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from model.errors import ConfigError
from model.mesa_engine import MesaEngine, MigrationModel
from model.outcomes import STATUSES
from model.params import timeline_states
from model.scenarios import load, to_toml
from model.vector_engine import Batch, VectorEngine
from model.vector_engine.state import IN_PORT

BASE = load("central_med_small").with_overrides({"world.days": 24})  # 2016-06-01 to 2016-06-24
NGO_OUT = {"date": "2016-06-11", "name": "ngo_out", "note": "NGO ships withdrawn", "policy.sar.fleets.ngo.count": 0}
NAVY_IN = {
    "date": "2016-06-16",
    "name": "navy_in",
    "note": "navy grows",
    "policy.sar.fleets.italy_navy.count": 3,
    "policy.states.Malta.accept_probability": 0.9,
}


def with_timeline(*entries: dict):
    return BASE.with_overrides({"timeline": list(entries)})


# --- the scenario file -----------------------------------------------------------------------------


def test_states_follow_the_entries_in_date_order():
    s = with_timeline(NAVY_IN, NGO_OUT)
    states = timeline_states(s)
    assert [d for d, _ in states] == ["2016-06-01", "2016-06-11", "2016-06-16"]
    assert [st.policy.sar.fleets["ngo"].count for _, st in states] == [2, 0, 0]
    assert [st.policy.sar.fleets["italy_navy"].count for _, st in states] == [1, 1, 3]
    assert states[-1][1].policy.states["Malta"].accept_probability == 0.9


def test_show_prints_the_timeline_and_loading_it_gives_the_same_scenario(tmp_path):
    s = with_timeline(NGO_OUT, NAVY_IN)
    text = to_toml(s)
    assert "[[timeline]]" in text and '"policy.sar.fleets.ngo.count" = 0' in text and 'name = "navy_in"' in text
    path = tmp_path / "full.toml"
    path.write_text(text)
    assert load(path) == s


def test_partial_files_and_overrides_shift_edit_disable_and_add_entries(tmp_path):
    s = with_timeline(NGO_OUT, NAVY_IN)
    shifted = s.with_overrides(
        {
            "timeline.ngo_out.date": "2016-06-20",
            "timeline.navy_in.enabled": False,
            "timeline.navy_in.policy.sar.fleets.italy_navy.count": 4,
        }
    )
    states = timeline_states(shifted)
    assert [d for d, _ in states] == ["2016-06-01", "2016-06-20"]
    assert dict(shifted.timeline[1].changes)["policy.sar.fleets.italy_navy.count"] == 4
    assert "timeline.ngo_out.date" in shifted.flat()  # the keys an experiment factor may name
    base = tmp_path / "base.toml"
    base.write_text(to_toml(s))
    part = tmp_path / "part.toml"
    part.write_text(
        'base = "central_med_small"\n[world]\ndays = 24\n[[timeline]]\ndate = "2016-06-05"\nnote '
        '= "added"\n"policy.sar.aerial_surveillance" = 1.0\n'
    )
    assert [e.name for e in load(part).timeline] == ["2016-06-05"]


@pytest.mark.parametrize(
    ("entry", "names"),
    [
        (
            {"date": "2016-07-30", "note": "x", "policy.sar.fleets.ngo.count": 1},
            ("timeline[2016-07-30].date", "within the run"),
        ),
        (
            {"date": "2016-06-05", "note": "x", "world.boats.rubber.speed_kn": 9.0},
            ("timeline[2016-06-05].world.boats.rubber.speed_kn", "unchangeable"),
        ),
        (
            {"date": "2016-06-05", "note": "x", "policy.sar.fleets.ngo.cuont": 1},
            ("timeline[2016-06-05].policy.sar.fleets.ngo.cuont", "unknown key"),
        ),
        (
            {"date": "2016-06-05", "note": "x", "policy.sar.fleets.new_ngo.count": 1},
            ("timeline[2016-06-05].policy.sar.fleets.new_ngo.count", "unknown key"),
        ),
        (
            {"date": "2016-06-05", "note": "x", "policy.states.Malta.accept_probability": 1.7},
            ("timeline[2016-06-05].policy.states.Malta.accept_probability", "1.7"),
        ),
        (
            {"date": "2016-06-05", "note": "x", "world.smugglers.zuwara.departure_point": "Sfax"},
            ("departure_point", "unchangeable"),
        ),
        ({"date": "2016-6-5", "note": "x", "policy.sar.fleets.ngo.count": 1}, ("timeline[0].date", "YYYY-MM-DD")),
        ({"date": "2016-06-05", "note": "nothing"}, ("timeline[2016-06-05]", "at least one dotted key")),
    ],
)
def test_bad_entries_name_the_entry_and_the_key(entry, names):
    with pytest.raises(ConfigError) as err:
        with_timeline(entry)
    for part in names:
        assert part in str(err.value)


def test_two_entries_on_one_date_may_not_change_one_key():
    a = {"date": "2016-06-05", "name": "a", "note": "x", "policy.sar.fleets.ngo.count": 1}
    b = {"date": "2016-06-05", "name": "b", "note": "x", "policy.sar.fleets.ngo.count": 3}
    with pytest.raises(
        ConfigError, match=r"timeline\[2016-06-05 b\]\.policy\.sar\.fleets\.ngo\.count: two changes on one date"
    ):
        with_timeline(a, b)


def test_validate_exits_2_with_one_line_naming_the_entry(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'base = "central_med_small"\n[[timeline]]\ndate = "2016-06-05"\nnote = "x"\n"policy.sar.fleets.ngo.count" '
        "= -3\n"
    )
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "timeline[2016-06-05].policy.sar.fleets.ngo.count" in err[0] and "-3" in err[0]


# --- both engines apply a change at 00:00 of its date ---------------------------------------------------


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_a_withdrawn_fleet_finishes_its_tasks_then_rescues_no_more(engine):
    s = with_timeline(NGO_OUT, NAVY_IN)
    ev = engine.run(s, 11).events
    changes = ev[ev.event == "policy_change"]
    assert changes[["hour", "detail"]].values.tolist() == [[240, "ngo_out"], [360, "navy_in"]]
    ngo = ev[ev.vessel.str.startswith("ngo")]
    assert (ngo[ngo.event == "tasking"].hour < 240).all() and (ngo[ngo.event == "tasking"].hour < 240).any()
    rescues_after = ngo[(ngo.event == "rescue") & (ngo.hour >= 240)]
    tasked_before = set(ngo[(ngo.event == "tasking")].case_id)
    assert set(rescues_after.case_id) <= tasked_before  # only tasks it already had
    assert (ngo[ngo.event == "rescue"].hour < 240 + 72).all()  # finished within three days


def test_people_are_conserved_across_changes_in_the_mesa_engine():
    model = MigrationModel(with_timeline(NGO_OUT, NAVY_IN), rng=5)
    while model.running:
        model.step()  # the ledger checks conservation every hour
    counted = model.count_statuses()
    assert {k: v for k, v in counted.items() if v} == {
        k: int(v) for k, v in zip(STATUSES, model.ledger.status, strict=True) if v
    }
    assert sum(counted.values()) == model.ledger.created > 0


def test_a_fleet_grown_from_zero_leaves_its_home_port_on_the_day():
    s = BASE.with_overrides({"policy.sar.fleets.eu_frontex.count": 0}).with_overrides(
        {"timeline": [{"date": "2016-06-05", "note": "Triton", "policy.sar.fleets.eu_frontex.count": 2}]}
    )
    model = MigrationModel(s, rng=2)
    batch = Batch(s, [2])
    rows = np.flatnonzero(np.array(batch.c.variants[0].v_fleet) == "eu_frontex")
    mesa = [v for v in model.vessels if v.fleet_name == "eu_frontex"]
    assert len(mesa) == rows.size == 2
    for hour in range(4 * 24 + 2):
        model.step()
        batch.step()
        in_port = hour < 4 * 24
        assert all((v.status == "in_port") == in_port for v in mesa), hour
        assert ((batch.vstatus[rows] == IN_PORT) == in_port).all(), hour


# --- demand as data -------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", [MesaEngine(), VectorEngine()], ids=["mesa", "vector"])
def test_monthly_demand_replaces_the_yearly_total(tmp_path, engine):
    csv = tmp_path / "demand.csv"
    csv.write_text("month,people\n2016-06,0\n2016-07,30000\n")
    path = tmp_path / "s.toml"
    path.write_text(
        f'base = "central_med_small"\n[world]\ndays = 40\n[world.demand]\nmonthly_people_csv = "{csv.name}"\n'
    )
    s = load(path)
    assert s.world.demand.monthly_people == {"2016-06": 0.0, "2016-07": 30000.0}
    daily = engine.run(s, 3, record_events=False).daily
    created = (
        daily.stock_waiting_at_origin
        + daily.stock_legal_process
        + daily.stock_legal_arrived
        + daily.stock_at_sea
        + daily.stock_aboard_vessel
        + daily.stock_landed
        + daily.stock_intercepted
        + daily.stock_dead
        + daily.stock_missing
    )
    assert created.iloc[29] == 0  # nobody in June
    assert 9000 < created.iloc[39] < 10500  # 10 of July's 31 days: about 9,677


def test_monthly_demand_must_cover_the_run(tmp_path):
    with pytest.raises(ConfigError, match="monthly_people.2016-07: missing month"):
        BASE.with_overrides({"world.days": 40, "world.demand.monthly_people": {"2016-06": 100.0}})
    bad = tmp_path / "s.toml"
    bad.write_text('base = "central_med_small"\n[world.demand]\nmonthly_people_csv = "nowhere.csv"\n')
    with pytest.raises(ConfigError, match="monthly_people_csv"):
        load(bad)


def test_the_2014_2017_scenario_replays_the_record_as_one_run():
    s = load("central_med_2014_2017")
    assert (s.world.start_date, s.world.days) == ("2014-01-01", 1461)
    states = dict(timeline_states(s))
    assert (
        states["2014-01-01"].policy.sar.fleets["italy_navy"].count == 5
        and states["2014-11-01"].policy.sar.fleets["italy_navy"].count == 0
    )
    assert states["2015-06-22"].policy.sar.fleets["eu_navfor_med"].count == 5
    assert all(e.note for e in s.timeline) and len(s.world.demand.monthly_people) == 48


def test_a_shorter_run_disables_the_changes_beyond_its_end():
    s = load("central_med_2014_2017")
    short = s.with_overrides({"world.days": 700})
    assert [e.name for e in short.timeline if e.enabled] == [
        "moas",
        "mare_nostrum_ends",
        "ngo_fleet_2015",
        "triton_extended",
        "eunavfor_med",
    ]
    with pytest.raises(ConfigError, match="within the run"):
        short.with_overrides({"timeline.eunavfor_med.date": "2016-01-05"})  # moved out of the shortened run


def test_an_experiment_package_can_keep_mare_nostrum_running():
    from experiments.run.spec import load_experiment

    points = {p.label: p.scenario for p in load_experiment("history").with_changes(days=400).points()}
    navy = {
        label: [st.policy.sar.fleets["italy_navy"].count for _, st in timeline_states(s)] for label, s in points.items()
    }
    assert navy["as_happened"][-1] == 0 and navy["mare_nostrum_kept"][-1] == 5


# --- what runs and sweeps write ----------------------------------------------------------------------


def test_sweeps_store_monthly_tables_and_the_scenario_with_its_timeline(tmp_path):
    from experiments.present.history import read_timeline
    from experiments.run.spec import load_experiment
    from experiments.run.sweep import sweep
    from model.outcomes import PERSON_METRICS

    scen = tmp_path / "replay.toml"
    scen.write_text(to_toml(with_timeline(NGO_OUT, NAVY_IN).with_overrides({"world.days": 40})))
    exp_file = tmp_path / "exp.toml"
    exp_file.write_text(
        f'name = "t"\nquestion = "q"\nbase = "{scen.name}"\nengine = "vector"\nreplicates '
        '= 2\nseed = 1\ndesign = "grid"\noutcomes = ["arrivals"]\n[packages.as_written]\n[packages.later]\n'
        '"timeline.ngo_out.date" '
        '= "2016-06-25"\n'
    )
    folder = sweep(load_experiment(exp_file), tmp_path / "out", executor="serial", progress=False)
    months = pd.read_parquet(folder / "monthly.parquet")
    daily = pd.read_parquet(folder / "daily.parquet")
    assert len(months) == 4 * 2 and set(months.month) == {"2016-06", "2016-07"}  # 4 runs, June and July
    for m in PERSON_METRICS:
        by_month = months.groupby(["scenario_index", "replicate"])[m].sum()
        by_day = daily[daily.variable == m].groupby(["scenario_index", "replicate"]).value.sum()
        assert (by_month.to_numpy() == by_day.to_numpy()).all(), m
    assert [r.label for r in read_timeline(folder / "scenario.toml")] == ["ngo_out", "navy_in"]
    assert load(folder / "scenario.toml").timeline == load(scen).timeline


def test_a_run_folder_holds_the_scenario_that_repeats_it(tmp_path):
    s = with_timeline(NGO_OUT)
    first = VectorEngine().run(s, 4, record_events=False)
    first.write(tmp_path)
    again = VectorEngine().run(load(tmp_path / "scenario.toml"), 4, record_events=False)
    assert again.summary == first.summary


def test_timeline_values_take_their_declared_type():
    s = BASE.with_overrides(
        {
            "timeline": [
                {
                    "date": "2016-06-05",
                    "note": "x",
                    "policy.sar.fleets.ngo.station_lat": 34,
                    "policy.sar.fleets.ngo.count": 3.0,
                }
            ]
        }
    )
    changes = dict(s.timeline[0].changes)
    assert (
        type(changes["policy.sar.fleets.ngo.station_lat"]) is float
        and type(changes["policy.sar.fleets.ngo.count"]) is int
    )
    with pytest.raises(ConfigError, match="count"):
        BASE.with_overrides({"timeline": [{"date": "2016-06-05", "note": "x", "policy.sar.fleets.ngo.count": 2.5}]})


def test_a_new_yearly_quota_counts_pro_rata_from_its_date():
    """Nobody is eligible (family ties required, nobody has them), so the slots only accrue.

    10 days of 36,600 a year.
    """
    s = BASE.with_overrides(
        {"world.demand.family_ties_share": 0.0, "policy.legal.channels.labour.requires_family_ties": True}
    )
    s = s.with_overrides(
        {
            "timeline": [
                {
                    "date": "2016-06-11",
                    "note": "a labour route opens",
                    "policy.legal.channels.labour.quota_per_year": 36600,
                }
            ]
        }
    )
    channel = list(s.policy.legal.channels).index("labour")
    model, batch = MigrationModel(s, rng=1), Batch(s, [1])
    for _ in range(20 * 24):
        model.step()
        batch.step()
    assert model.slots[channel] == pytest.approx(1000.0) and batch.slots[0, channel] == pytest.approx(1000.0)
