"""The engines by name: every engine satisfies :class:`model.outcomes.Engine`."""

from __future__ import annotations

from model.errors import ConfigError
from model.outcomes import Engine


def engine_names() -> list[str]:
    """Names accepted by :func:`get_engine`."""
    return ["mesa", "vector"]


def get_engine(name: str) -> Engine:
    """The engine called ``name``; ConfigError naming the choices otherwise."""
    if name == "mesa":
        from model.mesa_engine import MesaEngine

        return MesaEngine()
    if name == "vector":
        from model.vector_engine import VectorEngine

        return VectorEngine()
    raise ConfigError("engine", name, "one of " + ", ".join(engine_names()))
