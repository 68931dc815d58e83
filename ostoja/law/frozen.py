"""Fast construction of frozen slot dataclasses on the hot path (issue 19).

The ``__init__`` that ``dataclass(frozen=True)`` generates sets every field through
``object.__setattr__`` — about 0.15 µs a field, 2.5 µs for the 16 fields of a benefit
result, close to a tenth of the whole calculation. :func:`slot_builder` makes a mutable
twin of the class with the very same slots (so the very same memory layout), lets its
generated ``__init__`` fill them and then, in the same frame, switch the object's class
to the frozen one (``__class__`` assignment, allowed by CPython between classes of
identical layout); calling the twin therefore returns an instance of the frozen class. The
object is an ordinary instance of the frozen class from then on: equal, hashable and
immutable as any other. A class whose layout the twin does not match fails at the first
build with ``TypeError`` rather than producing a wrong object.

:func:`lazy_slot` lets one slot hold a cheap raw value that becomes the real one on first
read (a result's trace: plain tuples until somebody reads the steps).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["lazy_slot", "slot_builder"]

T = TypeVar("T")


def slot_builder(cls: type[T]) -> Callable[..., T]:
    """A constructor of ``cls`` (a frozen ``slots=True`` dataclass without ``__post_init__``)
    taking every field positionally, in declaration order — defaults are not filled in."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    slots = getattr(cls, "__slots__", None)
    if slots != tuple(f.name for f in fields) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: slot_builder needs a plain slots=True dataclass")

    # The twin itself is the constructor: no wrapper frame, no *args repacking. Its
    # ``__init__`` is generated (as ``dataclasses`` generates its own) so that filling the
    # slots and switching the class happen in one frame — a ``__post_init__`` call cost a
    # further 45 ns per object, three or four objects per calculation (issue 19).
    names = [f.name for f in fields]
    body = "".join(f"    self.{name} = {name}\n" for name in names)
    source = f"def __init__(self, {', '.join(names)}):\n{body}    self.__class__ = cls\n"
    namespace: dict[str, Any] = {"cls": cls}
    exec(source, namespace)  # noqa: S102 — the names are the class's own field names
    twin = type(
        f"_{cls.__name__}Builder",
        (),
        {
            "__slots__": tuple(names),
            "__init__": namespace["__init__"],
            "__doc__": f"{cls.__name__}(*every field in order), filled by a mutable twin.",
        },
    )
    return twin


def lazy_slot(
    cls: type, name: str, raw_type: type, materialise: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """Let the slot ``name`` of ``cls`` hold a cheap raw value (an instance of exactly
    ``raw_type``) that becomes its real value — ``materialise(raw)`` — on first read.

    Issue 19: a result's trace is collected as plain tuples; the ``Step`` objects (a Python
    ``__init__`` each, ~0.2 µs) are made only when somebody reads the trace. Every read —
    attribute access, ``==``, ``hash``, ``repr``, ``dataclasses.replace``/``asdict``, pickling,
    all of which go through the attribute — sees the materialised value; it is stored back
    into the slot, so later reads return the very same object. (Two threads reading a fresh
    result at the same moment may both materialise it: each gets an equal value, one of
    them stays.) Returns a function reading the slot as it is (raw or not), for code that
    passes the raw value on.
    """
    slot = cls.__dict__[name]  # the member descriptor of the slot

    class LazySlot:
        __slots__ = ()

        def __get__(self, obj: Any, owner: type | None = None) -> Any:
            if obj is None:
                return self
            value = slot.__get__(obj, owner)
            if value.__class__ is raw_type:
                value = materialise(value)
                slot.__set__(obj, value)  # the frozen class's own __setattr__ is bypassed
            return value

        def __set__(self, obj: Any, value: Any) -> None:
            slot.__set__(obj, value)  # the generated __init__ (object.__setattr__) lands here

        def __delete__(self, obj: Any) -> None:
            slot.__delete__(obj)

    setattr(cls, name, LazySlot())
    return slot.__get__  # type: ignore[no-any-return]
