"""``seamig params [WORD ...]``: every lever and uncertainty, with unit, bounds, default and source.

A scenario has some 400 dotted keys (``seamig scenario show`` prints them all as TOML, without
units or bounds). This lists each key with what a user needs to set it: whether it is a policy
lever (``policy.*``), an uncertainty about the world (``world.*``) or a dated change
(``timeline.*``); its default in the chosen scenario; its unit; what values are allowed (the same
words the validator uses when it refuses one); and its source or the word "assumption". Words
narrow the list to keys whose name contains every word (if none does, whose unit or source
does; case-insensitive);
``--json`` prints the same records for tools.

Everything is read from the parameter declarations (:func:`model.fields.param`), so the list
cannot drift from what the model validates.
"""

from __future__ import annotations

import json
import textwrap
import typing
from typing import Any

from model.fields import _allowed, declared_type, field_metadata
from model.params import Scenario

WIDTH = 100
KINDS = {"policy": "lever", "world": "uncertainty", "timeline": "timeline"}
PLURAL = {"lever": "levers", "uncertainty": "uncertainties", "timeline": "timeline keys"}
SKIP = ("name", "description")


def _type_words(tp: Any) -> tuple[str, str]:
    """(kind word for :func:`_allowed`, the type as a phrase) of a declared type."""
    words = {
        int: ("an integer", "integer"),
        float: ("a number", "number"),
        bool: ("true or false", "true/false"),
        str: ("a string", "string"),
    }
    origin = typing.get_origin(tp)
    if origin is tuple:
        kind, name = words.get(typing.get_args(tp)[0], ("a value", "value"))
        return f"a list of {name}s" if name != "true/false" else "a list of true/false", f"list of {name}s"
    if origin is dict:
        _kind, name = words.get(typing.get_args(tp)[1], ("a value", "value"))
        return f"a table of {name}s by name", f"table of {name}s"
    return words.get(tp, ("a value", "value"))


def _allowed_text(tp: Any, meta: dict[str, Any]) -> str:
    kind, _ = _type_words(tp)
    if tp is bool:
        return "true or false"
    text = _allowed(meta, kind) if meta else kind
    if meta.get("length"):
        text += f", {meta['length']} values"
    origin = typing.get_origin(tp)
    if origin in (tuple, dict) and (meta.get("lo") is not None or meta.get("hi") is not None or meta.get("choices")):
        each = _allowed(meta, _type_words(typing.get_args(tp)[-1])[0])
        text = f"{kind}, each {each}" + (f", {meta['length']} values" if meta.get("length") else "")
    return text


def _plain(value: Any) -> Any:
    """A value as JSON and TOML have it (tuples as lists)."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def parameters(scenario: Scenario) -> list[dict[str, Any]]:
    """One record per dotted key of ``scenario`` (levers, uncertainties, timeline entries), in scenario order.

    Each record has ``key``, ``kind`` (lever, uncertainty or timeline), ``type``, ``default`` (the
    value in ``scenario``), ``unit``, ``allowed`` (in words), ``lo``, ``hi``, ``choices``,
    ``length`` and ``source``.
    """
    notes = {e.name: e.note for e in scenario.timeline}
    rows = []
    for key, value in scenario.flat().items():
        if key in SKIP or key.endswith(".source"):
            continue
        if key.startswith("timeline."):
            _, name, rest = key.split(".", 2)
            if rest in ("date", "note", "enabled"):
                tp, meta = {"date": str, "note": str, "enabled": bool}[rest], {}
                allowed = {"date": "a date YYYY-MM-DD within the run", "note": "a string", "enabled": "true or false"}[
                    rest
                ]
            else:
                tp, meta = declared_type(Scenario, rest), field_metadata(Scenario, rest)
                allowed = _allowed_text(tp, meta)
            source = notes.get(name, "") if rest != "note" else ""
        else:
            tp, meta = declared_type(Scenario, key), field_metadata(Scenario, key)
            allowed = _allowed_text(tp, meta)
            source = meta.get("src", "")
            if source == "see source":  # the entry's own source text
                entry = key.rpartition(".")[0]
                source = (
                    scenario.flat().get(f"{entry}.source")
                    or scenario.flat().get(f"{entry.rpartition('.')[0]}.source")
                    or ""
                )
        rows.append(
            {
                "key": key,
                "kind": KINDS.get(key.split(".")[0], "other"),
                "type": _type_words(tp)[1],
                "default": _plain(value),
                "unit": meta.get("unit", ""),
                "allowed": allowed,
                "lo": meta.get("lo"),
                "hi": meta.get("hi"),
                "choices": list(meta["choices"]) if meta.get("choices") else None,
                "length": meta.get("length"),
                "source": source,
            }
        )
    return rows


def matching(rows: list[dict[str, Any]], words: list[str]) -> list[dict[str, Any]]:
    """The rows whose key contains every word; if there are none, those whose key, kind, unit or source does.

    Case-insensitive. Keys first, because a fleet's source text repeats on each of its fields:
    ``ngo count`` means ``policy.sar.fleets.ngo.count``, not every NGO field whose source says "count".
    """
    words = [w.lower() for w in words]
    by_key = [r for r in rows if all(w in r["key"].lower() for w in words)]
    return by_key or [
        r for r in rows if all(w in f"{r['key']} {r['kind']} {r['unit']} {r['source']}".lower() for w in words)
    ]


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value) if value else "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value_text(v)}" for k, v in value.items()) if value else "(none)"
    if isinstance(value, float):
        return f"{value:,.10g}" if abs(value) >= 10_000 else f"{value:.10g}"
    if isinstance(value, int):
        return f"{value:,}"
    return repr(value) if value == "" else str(value)


def format_rows(rows: list[dict[str, Any]], width: int = WIDTH) -> str:
    """Rows as text no wider than ``width``: the key and kind, then default and allowed values, then the source."""
    out: list[str] = []
    last_source = None
    wrap = textwrap.TextWrapper(
        width=width, initial_indent="    ", subsequent_indent="    ", break_long_words=True, break_on_hyphens=False
    )
    for r in rows:
        kind = f"[{r['kind']}]"
        head = r["key"] if len(r["key"]) + len(kind) + 2 > width else f"{r['key']}  {kind:>{width - len(r['key']) - 2}}"
        out.append(head)
        unit = f" {r['unit']}" if r["unit"] else ""
        out += wrap.wrap(f"default {_value_text(r['default'])}{unit}; allowed: {r['allowed']}")
        if r["source"] and r["source"] == last_source:
            out.append("    source: as above")  # the fields of one fleet, state or network share their entry's source
        elif r["source"]:
            out += wrap.wrap(f"source: {r['source']}")
        last_source = r["source"]
    return "\n".join(out)


def main(words: list[str], scenario: Scenario, as_json: bool = False) -> int:
    """Print the parameters matching ``words`` (all of them if none); 1 if none match, as grep does."""
    rows = parameters(scenario)
    found = matching(rows, words)
    if as_json:
        print(json.dumps(found, indent=1, ensure_ascii=False))
    elif found:
        n = {k: sum(r["kind"] == k for r in found) for k in KINDS.values()}
        counts = ", ".join(f"{v} {k if v == 1 else PLURAL[k]}" for k, v in n.items() if v)
        print(format_rows(found))
        scope = f" matching {' '.join(repr(w) for w in words)}" if words else ""
        print(
            "\n"
            + textwrap.fill(
                f"{len(found)} of {len(rows)} parameters of scenario {scenario.name}{scope} ({counts}).", WIDTH
            )
        )
        if not words:
            print("Narrow the list with a word, e.g. `seamig params ngo`; `--json` for tools.")
    if not found:
        import sys

        print(
            f"seamig: no parameter of scenario {scenario.name} matches {' '.join(repr(w) for w in words)}; "
            f"`seamig params` lists all {len(rows)}",
            file=sys.stderr,
        )
        return 1
    return 0
