"""The explanation every result carries: ordered steps with figures and the legal basis."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Step", "TraceBuilder"]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a calculation.

    ``step`` is a Polish description, ``value`` the figures (already formatted for people),
    ``basis`` the legal basis, e.g. ``"art. 8 ust. 1 pkt 1 u.p.s."``.
    """

    step: str
    value: str
    basis: str

    def as_dict(self) -> dict[str, str]:
        return {"step": self.step, "value": self.value, "basis": self.basis}


class TraceBuilder:
    """Collects steps in order; ``build()`` freezes them into a tuple."""

    __slots__ = ("_steps",)

    def __init__(self) -> None:
        self._steps: list[Step] = []

    def add(self, step: str, value: str, basis: str) -> None:
        self._steps.append(Step(step, value, basis))

    def extend(self, steps: tuple[Step, ...] | list[Step]) -> None:
        self._steps.extend(steps)

    def build(self) -> tuple[Step, ...]:
        return tuple(self._steps)
