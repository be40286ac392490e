"""Generate the parameter table of ``docs/ODD.md`` from the parameter declarations.

Every default, unit and source lives beside the field in ``model/params.py``; this module renders
them as Markdown between the markers ``<!-- PARAMETERS -->`` and ``<!-- /PARAMETERS -->``, so the
document cannot drift from the code (a test checks it is current). Run ``python -m model.docs``
to rewrite the table in place.
"""

from __future__ import annotations

import sys
from pathlib import Path

from model.fields import field_docs
from model.params import Scenario

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
START, END = "<!-- PARAMETERS -->", "<!-- /PARAMETERS -->"


def _cell(value: object) -> str:
    if isinstance(value, tuple):
        value = ", ".join(str(v) for v in value) if value else "(none)"
    elif isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items()) if value else "(none)"
    return str(value).replace("|", "\\|")


def parameter_table() -> str:
    """Markdown table: dotted key, default (central_med_2016), unit, source or 'assumption'."""
    rows = ["| parameter | default | unit | source |", "|---|---|---|---|"]
    for key, default, unit, src in field_docs(Scenario()):
        if key.endswith(".source") or key in ("name", "description"):
            continue
        rows.append(f"| `{key}` | {_cell(default)} | {unit} | {_cell(src)} |")
    return "\n".join(rows)


def render(text: str) -> str:
    """``text`` with the table between the markers replaced by the current one."""
    head, sep, rest = text.partition(START)
    if not sep or END not in rest:
        raise ValueError(f"{ODD} lacks the markers {START} ... {END}")
    _old, _, tail = rest.partition(END)
    return f"{head}{START}\n{parameter_table()}\n{END}{tail}"


def main() -> int:
    """Rewrite the table in docs/ODD.md."""
    ODD.write_text(render(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {ODD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
