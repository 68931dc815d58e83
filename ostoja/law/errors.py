"""Domain exceptions of the law core (each with a Polish message for staff)."""

from __future__ import annotations

from datetime import date

__all__ = ["LawError", "ParameterFileError", "ParameterNotFound"]


class LawError(Exception):
    """Base class for errors raised by ``ostoja.law``."""


class ParameterNotFound(LawError):
    """No value of a dated parameter is in force on the requested date."""

    def __init__(self, name: str, on: date, available: str = "") -> None:
        self.name = name
        self.on = on
        message = f"Brak parametru „{name}” obowiązującego w dniu {on.isoformat()}"
        if available:
            message += f" (dane dostępne: {available})"
        super().__init__(message)


class ParameterFileError(LawError):
    """A parameter file is malformed (bad field, float amount, overlapping periods …)."""
