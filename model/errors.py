"""The project's own exception types.

A user's mistake (a bad scenario file, an unknown name, a value out of range) raises
:class:`ConfigError` with a one-line message naming the key, the value and what is allowed; the
command line turns it into that line and exit code 2.
"""

from __future__ import annotations


class SeamigError(Exception):
    """Base class for every error this package raises on purpose."""


class ConfigError(SeamigError, ValueError):
    """A scenario or experiment input is invalid.

    Attributes:
        key: dotted key of the offending entry (``policy.sar.fleets.ngo.count``), or "" if unknown.
        value: the offending value.
        allowed: plain-language description of what is allowed.
    """

    def __init__(self, key: str, value: object, allowed: str, problem: str = "invalid value") -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        self.problem = problem
        super().__init__(self._text())

    def _text(self) -> str:
        where = f"{self.key}: " if self.key else ""
        return f"{where}{self.problem} {self.value!r}; allowed: {self.allowed}"

    def under(self, prefix: str) -> ConfigError:
        """Return the same error with ``prefix`` prepended to its key."""
        key = f"{prefix}.{self.key}" if self.key else prefix
        return ConfigError(key, self.value, self.allowed, self.problem)


class ConservationError(SeamigError, AssertionError):
    """People were created or lost by the model: a bug, never a user's mistake."""
