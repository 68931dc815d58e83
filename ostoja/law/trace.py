"""The explanation every result carries: ordered steps with figures and the legal basis.

Issue 19 (speed): the figures of a step are formatted for people only when somebody reads
them. Hot paths pass a :class:`Figures` (a template and the raw amounts) instead of an
f-string; :attr:`Step.value` renders it on first access and keeps the text. Every result
still carries every step; the bulk calculation no longer pays for the Polish formatting
of ~15 amounts per household that nobody reads.

On the hottest paths even a :class:`Figures` costs too much (its ``__init__`` is a Python
call, ~0.13 µs); there the value may be a plain ``Decimal`` (shown as złote, exactly as
``Figures("{}", amount)``) or a plain tuple ``(template, *args)`` (exactly as
``Figures(template, *args)``). Either renders to the same text on first access.

The steps themselves are collected as plain ``(step, value, basis)`` tuples
(:class:`TraceBuilder`); :func:`materialise` turns them into :class:`Step` objects —
``build()`` at once, or the results of the calculators when their trace is first read
(``frozen.lazy_slot``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from .money import pln

__all__ = ["Deferred", "Figures", "RawStep", "Step", "TraceBuilder", "materialise", "render"]


class Figures:
    """Deferred figures of a step: ``template.format(*args)`` with every ``Decimal`` shown
    as złote (``pln``) and every nested :class:`Figures` rendered — computed on demand."""

    __slots__ = ("args", "template")

    def __init__(self, template: str, *args: Any) -> None:
        self.template = template
        self.args = args

    def render(self) -> str:
        return self.template.format(*map(_shown, self.args))

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return repr(self.render())


def _shown(arg: Any) -> Any:
    """One argument of a template as people read it: amounts in złote, nested figures
    (``Figures`` or a ``(template, *args)`` tuple) rendered, anything else (counts, ready
    texts) as it is."""
    if arg.__class__ is Decimal:
        return pln(arg)
    if arg.__class__ is tuple or isinstance(arg, Figures):
        return render(arg)
    return arg


# A step's value before rendering: ready text, Figures, an amount, or (template, *args).
Deferred = str | Figures | Decimal | tuple[Any, ...]


def render(value: Deferred) -> str:
    """The text of a (possibly deferred) step value — see the module docstring."""
    cls = value.__class__
    if cls is str:
        return cast(str, value)
    if cls is Decimal:
        return pln(cast(Decimal, value))
    if cls is tuple:
        template, *args = cast(tuple[Any, ...], value)
        return cast(str, template).format(*map(_shown, args))
    return cast(Figures, value).render()


class Step:
    """One step of a calculation (treat as immutable; plain slots keep creation cheap).

    ``step`` is a Polish description, ``value`` the figures (formatted for people — lazily,
    see :class:`Figures`), ``basis`` the legal basis, e.g. ``"art. 8 ust. 1 pkt 1 u.p.s."``.
    """

    __slots__ = ("_value", "basis", "step")
    __match_args__ = ("step", "value", "basis")

    def __init__(self, step: str, value: Deferred, basis: str) -> None:
        self.step = step
        self._value = value
        self.basis = basis

    @property
    def value(self) -> str:
        value = self._value
        if value.__class__ is not str:
            # the exact-class test is the fast path; rendered once, then kept
            value = render(value)
            self._value = value
        return value

    def _key(self) -> tuple[str, str, str]:
        return (self.step, self.value, self.basis)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Step:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Step(step={self.step!r}, value={self.value!r}, basis={self.basis!r})"

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        return (Step, self._key())

    def as_dict(self) -> dict[str, str]:
        return {"step": self.step, "value": self.value, "basis": self.basis}


# A step not yet made into a Step: (step, value, basis).
RawStep = tuple[str, Deferred, str]


def materialise(steps: Iterable[Step | RawStep]) -> tuple[Step, ...]:
    """The steps as :class:`Step` objects (those that already are stay the same objects)."""
    return tuple(s if s.__class__ is Step else Step(*s) for s in steps)  # type: ignore[misc]


class TraceBuilder:
    """Collects steps in order; ``build()`` freezes them into a tuple of :class:`Step`.

    Issue 19: ``add`` keeps a plain tuple — a Step is made only by ``build()`` or when a
    lazily built result's trace is read (``pending()``, see :func:`materialise`)."""

    __slots__ = ("_steps",)

    def __init__(self) -> None:
        self._steps: list[Step | RawStep] = []

    def add(self, step: str, value: Deferred, basis: str) -> None:
        self._steps.append((step, value, basis))

    def extend(self, steps: Iterable[Step | RawStep]) -> None:
        self._steps.extend(steps)

    def build(self) -> tuple[Step, ...]:
        return materialise(self._steps)

    def pending(self) -> list[Step | RawStep]:
        """A copy of the steps so far, not materialised (for ``frozen.lazy_slot``)."""
        return self._steps.copy()
