"""``seamig params``: every dotted key with unit, bounds, default and source; searchable; JSON for tools."""

from __future__ import annotations

import json

from experiments.cli import main
from model.params import Scenario


def _json(capsys, *argv: str) -> list[dict]:
    assert main(["params", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_key_is_listed_with_its_metadata(capsys):
    rows = _json(capsys)
    keys = [k for k in Scenario().flat() if k not in ("name", "description") and not k.endswith(".source")]
    assert [r["key"] for r in rows] == keys
    by_key = {r["key"]: r for r in rows}
    ngo = by_key["policy.sar.fleets.ngo.count"]
    assert (ngo["kind"], ngo["type"], ngo["default"], ngo["unit"], ngo["lo"], ngo["hi"]) == (
        "lever",
        "integer",
        9,
        "vessels",
        0,
        500,
    )
    assert (
        ngo["allowed"] == "an integer from 0 to 500" and "NGO" in ngo["source"]
    )  # "see source": the fleet's own source text
    framework = by_key["policy.cooperation.framework"]
    assert framework["choices"] == ["none", "ad_hoc", "standing"] and framework["default"] == "ad_hoc"
    shares = by_key["world.demand.monthly_share_pct"]
    assert (shares["kind"], shares["length"], len(shares["default"])) == ("uncertainty", 12, 12)
    assert all(r["source"] for r in rows)  # every default names its source or says "assumption"


def test_a_word_matches_key_or_source_case_insensitively(capsys):
    assert {r["key"] for r in _json(capsys, "NGO", "COUNT")} == {"policy.sar.fleets.ngo.count"}
    thuraya = _json(capsys, "thuraya")  # a word found only in a source
    assert [r["key"] for r in thuraya] == ["world.detection.call_delay_mean_hours"]


def test_text_is_readable_within_100_characters(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert main(["params", "ngo", "count"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("policy.sar.fleets.ngo.count") and out.splitlines()[0].endswith("[lever]")
    assert "default 9 vessels; allowed: an integer from 0 to 500" in out


def test_timeline_keys_and_other_scenarios(capsys):
    rows = {r["key"]: r for r in _json(capsys, "--scenario", "central_med_2014_2017", "mare_nostrum_ends")}
    date = rows["timeline.mare_nostrum_ends.date"]
    assert date["kind"] == "timeline" and date["default"].count("-") == 2
    assert rows["timeline.mare_nostrum_ends.policy.sar.fleets.italy_navy.count"]["hi"] == 500


def test_no_match_and_bad_scenario(capsys):
    assert main(["params", "no-such-word"]) == 1
    assert "no parameter" in capsys.readouterr().err
    assert main(["params", "--scenario", "atlantis"]) == 2
    assert "atlantis" in capsys.readouterr().err
