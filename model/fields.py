"""Declaring, validating, loading and flattening parameter dataclasses.

Every parameter is a dataclass field made by :func:`param`, which records its unit, its bounds
and its source (or the word "assumption") in the field metadata. One generic validator reads that
metadata, so bounds are written once beside the default and the ODD parameter table is generated
from the same place (``python -m model.docs``).

A scenario is built from nested plain dicts (parsed TOML) by :func:`build`, which names the dotted
key of anything unknown, mistyped or out of range in a :class:`~model.errors.ConfigError`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import typing
from typing import Any

import numpy as np

from model.errors import ConfigError

_MISSING = dataclasses.MISSING

#: Upper bounds for fields that declare none, by unit, with the reason: no value beyond these means
#: anything in this model, and larger ones only cost memory or time, or overflow. A field's own
#: ``hi`` (with its ``why``) is always tighter.
UNIT_LIMITS: dict[str, tuple[float, str]] = {
    "kn": (60.0, "faster than any migrant boat or rescue ship (fast patrol boats make about 50 kn)"),
    "km": (20_000.0, "half the Earth's circumference, longer than any distance at sea"),
    "h": (87_600.0, "ten years in hours, the longest run"),
    "days": (3650.0, "ten years, the longest run"),
    "persons": (100_000_000.0, "ten times the people of central_med_x50 in a year; more exhausts memory"),
    "persons/year": (100_000_000.0, "ten times the people of central_med_x50 in a year; more exhausts memory"),
    "USD/person": (1_000_000.0, "a thousand times the highest crossing prices reported"),
}


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints(cls)``, computed once per class (it was 70% of the time of building a scenario)."""
    return typing.get_type_hints(cls)


def param(
    default: Any = _MISSING,
    *,
    src: str,
    unit: str = "",
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple[str, ...] | None = None,
    length: int | None = None,
    factory: Any = _MISSING,
    why: str = "",
) -> Any:
    """Declare a parameter field with its source, unit and allowed range.

    Args:
        default: the default value (immutable); use ``factory`` for dicts.
        src: where the default comes from, or "assumption" / "calibrated: ...".
        unit: the unit, e.g. "km", "1/h", "persons"; "" for dimensionless or text.
        lo: inclusive lower bound for numbers (and each element of a numeric tuple).
        hi: inclusive upper bound.
        choices: allowed values for a string (or each string of a tuple).
        length: required length of a tuple.
        factory: a zero-argument callable building a mutable default.
        why: the reason for ``hi`` (shown when a value is refused). A field with a lower bound and
            no ``hi`` takes the bound of its unit from :data:`UNIT_LIMITS`, with its reason.
    """
    if hi is None and lo is not None and unit in UNIT_LIMITS:
        hi, why = UNIT_LIMITS[unit]
    meta = {"src": src, "unit": unit, "lo": lo, "hi": hi, "choices": choices, "length": length, "why": why}
    if factory is not _MISSING:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def _n(x: float) -> str:
    """A bound as written: ``3650``, ``0.1``, ``100000000``."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e16 else str(x)


def _allowed(meta: dict[str, Any], kind: str) -> str:
    if meta.get("choices"):
        return "one of " + ", ".join(meta["choices"])
    lo, hi = meta.get("lo"), meta.get("hi")
    why = f" ({meta['why']})" if meta.get("why") else ""
    if lo is not None and hi is not None:
        return f"{kind} from {_n(lo)} to {_n(hi)}{why}"
    if lo is not None:
        return f"{kind} >= {_n(lo)}"
    if hi is not None:
        return f"{kind} <= {_n(hi)}{why}"
    return kind


def _check_scalar(name: str, value: Any, tp: Any, meta: dict[str, Any]) -> None:
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(name, value, "true or false")
        return
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(name, value, _allowed(meta, "a string"))
        if meta.get("choices") and value not in meta["choices"]:
            raise ConfigError(name, value, _allowed(meta, "a string"))
        return
    if tp in (int, float):
        kind = "an integer" if tp is int else "a number"
        ok = isinstance(value, int) if tp is int else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or (tp is float and not _finite(value)):
            raise ConfigError(name, value, _allowed(meta, kind))
        lo, hi = meta.get("lo"), meta.get("hi")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ConfigError(name, value, _allowed(meta, kind))
        return
    raise TypeError(f"unsupported parameter type {tp!r} for {name}")  # a programming error


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def plain(value: Any) -> Any:
    """``value`` with numpy scalars and arrays as Python numbers and lists (``np.int64(9)`` -> ``9``).

    Tools that sample parameters (EMA Workbench, SALib, scipy's samplers, pandas rows) hand out
    numpy scalars; the parameters hold plain Python values, so TOML output, hashing and the
    compiled loops' signatures do not depend on where a value came from.
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def _has_numpy(value: Any) -> bool:
    """Whether ``value`` is, or directly holds (in a tuple or dict), a numpy scalar or array."""
    if isinstance(value, np.generic | np.ndarray):
        return True
    items = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else ()
    return any(isinstance(v, np.generic | np.ndarray) for v in items)


def coerce(tp: Any, value: Any) -> Any:
    """``value`` in the declared type ``tp`` where that loses nothing; anything else unchanged.

    An integer for a float field becomes a float (``2`` -> ``2.0``), and a float with an integral
    value for an integer field becomes an integer (``3.0`` -> ``3``), in scalars, lists and tables
    alike; numpy scalars and arrays become Python numbers and lists first (:func:`plain`).
    Everything else (a non-integral float for an integer, a string for a number) is left for
    validation to refuse, naming the key. So a value has one type whatever its spelling: the
    sweep tables get one column type per parameter, and the compiled loops one signature.
    """
    value = plain(value)
    origin = typing.get_origin(tp)
    if origin is tuple and isinstance(value, (list, tuple)):
        inner = typing.get_args(tp)[0]
        return type(value)(coerce(inner, v) for v in value)
    if origin is dict and isinstance(value, dict):
        val_t = typing.get_args(tp)[1]
        return value if dataclasses.is_dataclass(val_t) else {k: coerce(val_t, v) for k, v in value.items()}
    if isinstance(value, bool):
        return value
    if tp is float and isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return value  # refused by validation as not finite
    if tp is int and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def declared_type(cls: type, dotted: str) -> Any:
    """The declared type of the parameter at dotted key ``dotted`` of dataclass ``cls`` (None if there is none).

    Entries of named tables are looked through: ``policy.sar.fleets.ngo.count`` is ``int``
    whether or not a fleet ``ngo`` exists.
    """
    tp: Any = cls
    parts = dotted.split(".")
    i = 0
    while i < len(parts):
        if not dataclasses.is_dataclass(tp):
            return None
        hints = type_hints(tp)
        if parts[i] not in hints:
            return None
        tp = hints[parts[i]]
        i += 1
        if typing.get_origin(tp) is dict and i < len(parts):
            tp = typing.get_args(tp)[1]
            i += 1  # the entry's name
    return None if dataclasses.is_dataclass(tp) else tp


def declared_field(cls: type, dotted: str) -> tuple[Any, dict[str, Any]] | None:
    """(declared type, metadata) of the leaf parameter at ``dotted`` (as :func:`declared_type`), or None."""
    tp: Any = cls
    meta: dict[str, Any] = {}
    parts = dotted.split(".")
    i = 0
    while i < len(parts):
        if not dataclasses.is_dataclass(tp):
            return None
        fields = {f.name: f for f in dataclasses.fields(tp)}
        if parts[i] not in fields:
            return None
        meta = dict(fields[parts[i]].metadata)
        tp = type_hints(tp)[parts[i]]
        i += 1
        if typing.get_origin(tp) is dict and i < len(parts):
            tp = typing.get_args(tp)[1]
            i += 1  # the entry's name
    return None if dataclasses.is_dataclass(tp) else (tp, meta)


def field_metadata(cls: type, dotted: str) -> dict[str, Any]:
    """The :func:`param` metadata (unit, lo, hi, choices, length, src, why) of the parameter at ``dotted``.

    {} if there is none.
    """
    found = declared_field(cls, dotted)
    return {} if found is None else found[1]


def check_value(cls: type, dotted: str, value: Any) -> None:
    """Check one value of the leaf parameter ``dotted`` against its declared type and bounds, naming the key.

    Cheaper than building a scenario: an experiment's many factor levels are checked one by one
    this way before any scenario is built. Keys that are not leaf parameters are left to the
    scenario's own validation.
    """
    found = declared_field(cls, dotted)
    if found is None:
        return
    tp, meta = found
    value = coerce(tp, value)
    origin = typing.get_origin(tp)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if not isinstance(value, (list, tuple)):
            raise ConfigError(dotted, value, "a list")
        if meta.get("length") is not None and len(value) != meta["length"]:
            raise ConfigError(dotted, value, f"a list of {meta['length']} values")
        if not dataclasses.is_dataclass(inner):
            for i, item in enumerate(value):
                _check_scalar(f"{dotted}[{i}]", item, inner, meta)
    elif origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(dotted, value, "a table")
        val_t = typing.get_args(tp)[1]
        if not dataclasses.is_dataclass(val_t):
            for k, v in value.items():
                _check_scalar(f"{dotted}.{k}", v, val_t, meta)
    elif tp in (bool, str, int, float):
        _check_scalar(dotted, value, tp, meta)


class Validated:
    """Mixin: validate every field against its metadata after construction."""

    __slots__ = ()

    def __post_init__(self) -> None:
        hints = type_hints(type(self))
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            tp = hints[f.name]
            if _has_numpy(value):
                value = coerce(tp, tuple(plain(value)) if isinstance(value, np.ndarray) else value)
                object.__setattr__(self, f.name, value)  # frozen: built with a numpy value, kept as a Python one
            meta = dict(f.metadata)
            origin = typing.get_origin(tp)
            if origin is tuple:
                (inner, *_rest) = typing.get_args(tp)
                if not isinstance(value, tuple):
                    raise ConfigError(f.name, value, "a list")
                if meta.get("length") is not None and len(value) != meta["length"]:
                    raise ConfigError(f.name, value, f"a list of {meta['length']} values")
                for i, item in enumerate(value):
                    if dataclasses.is_dataclass(inner):
                        if not isinstance(item, inner):
                            raise ConfigError(f"{f.name}[{i}]", item, f"a {inner.__name__} table")
                    else:
                        _check_scalar(f"{f.name}[{i}]", item, inner, meta)
            elif origin is dict:
                _key_t, val_t = typing.get_args(tp)
                if not isinstance(value, dict):
                    raise ConfigError(f.name, value, "a table")
                for k, v in value.items():
                    if dataclasses.is_dataclass(val_t):
                        if not isinstance(v, val_t):
                            raise ConfigError(f"{f.name}.{k}", v, f"a {val_t.__name__} table")
                    else:
                        _check_scalar(f"{f.name}.{k}", v, val_t, meta)
            elif dataclasses.is_dataclass(tp):
                if not isinstance(value, tp):
                    raise ConfigError(f.name, value, f"a {tp.__name__} table")
            else:
                _check_scalar(f.name, value, tp, meta)
        self.check()

    def check(self) -> None:
        """Cross-field checks; override in subclasses (raise ConfigError with a field name)."""


def build(cls: type, data: dict[str, Any], path: str = "") -> Any:
    """Build dataclass ``cls`` from nested dicts, naming the dotted key of any error.

    Keys missing from ``data`` take the field's default; unknown keys are an error.
    """
    if not isinstance(data, dict):
        raise ConfigError(path, data, "a table")
    hints = type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{path}.{key}" if path else key
        if key not in names:
            raise ConfigError(where, key, "one of " + ", ".join(sorted(names)), problem="unknown key")
        kwargs[key] = _convert(hints[key], value, where)
    try:
        return cls(**kwargs)
    except ConfigError as err:
        raise err.under(path) if path else err from None


def replace_leaf(obj: Any, dotted: str, value: Any, path: str = "") -> Any:
    """``obj`` with the scalar parameter at ``dotted`` set to ``value``, or None where only a full rebuild can say.

    The fast way to one changed number: only the dataclasses on the key's path are rebuilt (each
    validated, with its cross-field checks, as :func:`build` would), the rest is shared. Errors
    name the dotted key as :func:`build`'s do. None for anything but an existing scalar field
    reached through dataclasses and named tables.
    """
    name, _, rest = dotted.partition(".")
    if not dataclasses.is_dataclass(obj) or name not in {f.name for f in dataclasses.fields(obj)}:
        return None
    tp = type_hints(type(obj))[name]
    where = f"{path}.{name}" if path else name
    origin = typing.get_origin(tp)
    if not rest:
        if dataclasses.is_dataclass(tp) or origin in (tuple, dict):
            return None
        new: Any = _convert(tp, value, where)
    elif dataclasses.is_dataclass(tp):
        new = replace_leaf(getattr(obj, name), rest, value, where)
    elif origin is dict and dataclasses.is_dataclass(typing.get_args(tp)[1]):
        key, _, leaf = rest.partition(".")
        table = getattr(obj, name)
        if key not in table or not leaf:
            return None
        entry = replace_leaf(table[key], leaf, value, f"{where}.{key}")
        new = None if entry is None else {**table, key: entry}
    else:
        return None
    if new is None:
        return None
    try:
        return dataclasses.replace(obj, **{name: new})
    except ConfigError as err:
        raise err.under(path) if path else err from None


def _convert(tp: Any, value: Any, where: str) -> Any:
    value = plain(value)
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return build(tp, value, where)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(where, value, "a list")
        return tuple(coerce(tp, value))
    if origin is dict:
        _k, val_t = typing.get_args(tp)
        if not isinstance(value, dict):
            raise ConfigError(where, value, "a table")
        if dataclasses.is_dataclass(val_t):
            return {k: build(val_t, v, f"{where}.{k}") for k, v in value.items()}
        return {k: coerce(val_t, v) for k, v in value.items()}
    return coerce(tp, value)


def to_dict(obj: Any) -> Any:
    """Turn a parameter dataclass into nested plain dicts and lists (TOML-ready)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return [to_dict(v) for v in obj]
    return obj


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` into a copy of ``base`` (tables merge, everything else replaces)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested dicts to dotted keys; lists become tuples (hashable table cells)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            out.update(flatten(value, dotted))
        else:
            out[dotted] = tuple(value) if isinstance(value, list) else value
    return out


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`flatten`: dotted keys to nested dicts."""
    out: dict[str, Any] = {}
    for dotted, value in flat.items():
        node = out
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = list(value) if isinstance(value, tuple) else value
    return out


def field_docs(obj: Any, prefix: str = "", inherited: str = "") -> list[tuple[str, Any, str, str]]:
    """List (dotted key, value, unit, source) for every leaf parameter of a dataclass instance.

    A field whose source is "see source" takes the text of its entry's own ``source`` field (or,
    for a table nested in an entry, the entry's).
    """
    rows: list[tuple[str, Any, str, str]] = []
    note = getattr(obj, "source", "") or inherited
    for f in dataclasses.fields(obj):
        key = f"{prefix}.{f.name}" if prefix else f.name
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            rows += field_docs(value, key, note)
        elif isinstance(value, dict) and value and all(dataclasses.is_dataclass(v) for v in value.values()):
            for name, item in value.items():
                rows += field_docs(item, f"{key}.{name}")
        elif f.name != "source":
            src = f.metadata.get("src", "")
            rows.append((key, value, f.metadata.get("unit", ""), note if src == "see source" else src))
    return rows
