"""The ODD document's parameter table is generated from the code and must be current."""

from model.docs import END, ODD, START, parameter_table, render
from model.fields import field_docs
from model.params import Scenario


def test_odd_parameter_table_is_current():
    text = ODD.read_text(encoding="utf-8")
    assert START in text and END in text
    assert render(text) == text, "run `python -m model.docs` to regenerate docs/ODD.md's parameter table"


def test_every_parameter_has_a_source_or_says_assumption():
    for key, _value, _unit, src in field_docs(Scenario()):
        assert src and src not in ("see source", "see fields", "see entries"), key
    assert parameter_table().count("\n") > 300
