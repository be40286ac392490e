"""The hour-cost benchmark: its fit, and one tiny run of the command (it asserts nothing itself)."""

from __future__ import annotations

import pytest

from benchmarks import hour_cost


def test_fit_line_recovers_the_per_batch_and_per_run_costs() -> None:
    a, b = hour_cost.fit_line([10, 100, 1000], [0.002 + 5e-6 * r for r in (10, 100, 1000)])
    assert a == pytest.approx(0.002, rel=1e-9)
    assert b == pytest.approx(5e-6, rel=1e-9)


def test_fastest_hour_counts_every_hour_of_the_fastest_block() -> None:
    calls = []
    per_hour = hour_cost.fastest_hour(lambda: calls.append(1), warm_days=1, blocks=2, block_days=1)
    assert len(calls) == 24 * (1 + 2)
    assert 0.0 <= per_hour < 1e-3


def test_the_command_prints_both_engines_and_the_fit(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--scenario",
        "central_med_small",
        "--warm-days",
        "1",
        "--blocks",
        "1",
        "--block-days",
        "1",
        "--batches",
        "2,8",
        "--mesa-seeds",
        "1",
    ]
    assert hour_cost.main(argv) == 0
    out = capsys.readouterr().out
    assert "mesa engine:" in out and "batch     2" in out and "batch     8" in out
    assert "us per run-hour" in out.split("fit:")[1]


def test_the_command_refuses_a_single_batch_size() -> None:
    with pytest.raises(SystemExit) as e:
        hour_cost.main(["--batches", "64"])
    assert e.value.code == 2


@pytest.mark.parametrize("argv", [["--scenario", "nosuch"], ["--start", "2016-13-01"]])
def test_a_bad_scenario_or_date_is_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert hour_cost.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_the_history_benchmark_prints_the_years_and_the_january_april_rates(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import bench_history

    assert bench_history.main(["--replicates", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 replicates x 4 years" in out
    assert all(f"\n{y} " in out for y in (2014, 2015, 2016, 2017))
    assert "January-April: 2014 model 1 in" in out
