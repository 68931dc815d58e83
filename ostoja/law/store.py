"""Dated parameters: loading TOML data files and looking up the value in force on a date.

File format (one or more parameters per file, each an array of tables)::

    [[kryterium_dochodowe]]
    valid_from = 2025-01-01          # inclusive (TOML date)
    # valid_to = 2028-01-01          # optional, exclusive
    source = "Rozporządzenie Rady Ministrów … (Dz.U. 2024 poz. 1044)"
    confirmed = true                 # optional, default true
    note = "…"                       # optional
    single = "1010.00"               # amounts and percentages: quoted decimal strings
    per_person = "823.00"

Quoted strings that are decimal numbers become ``Decimal``; bare TOML floats are rejected
(binary floating point must never carry an amount); integers stay ``int``; arrays and nested
tables are converted recursively. Periods of one parameter must not overlap (checked when
loading). Files in an override directory replace whole parameters of the same name, or add
new ones.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from .errors import ParameterFileError, ParameterNotFound
from .periods import Period

__all__ = ["ParameterStore", "Record", "default_store"]

T = TypeVar("T")

_META_KEYS = frozenset({"valid_from", "valid_to", "source", "confirmed", "note"})
_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class Record:
    """One value of a parameter for one half-open period."""

    name: str
    period: Period
    source: str
    values: Mapping[str, Any]
    confirmed: bool = True
    note: str = ""
    origin: str = ""

    @property
    def valid_from(self) -> date:
        return self.period.valid_from

    @property
    def valid_to(self) -> date | None:
        return self.period.valid_to

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise ParameterFileError(
                f"Parametr „{self.name}” ({self.period}) nie ma pola „{key}” ({self.origin})"
            ) from None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _convert(value: Any, where: str) -> Any:
    if isinstance(value, float):
        raise ParameterFileError(
            f'{where}: liczba zmiennoprzecinkowa {value!r} — zapisz kwotę jako tekst, np. "{value}"'
        )
    if isinstance(value, str) and _DECIMAL_RE.match(value):
        return Decimal(value)
    if isinstance(value, list):
        return tuple(_convert(v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(value, dict):
        return MappingProxyType({k: _convert(v, f"{where}.{k}") for k, v in value.items()})
    return value


def _parse_records(name: str, raw: Any, origin: str) -> tuple[Record, ...]:
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise ParameterFileError(f"{origin}: „{name}” musi być tablicą tabel ([[{name}]])")
    records: list[Record] = []
    for i, item in enumerate(raw):
        where = f"{origin}: {name}[{i}]"
        valid_from = item.get("valid_from")
        valid_to = item.get("valid_to")
        if not isinstance(valid_from, date) or hasattr(valid_from, "hour"):
            raise ParameterFileError(f"{where}: brak daty valid_from (RRRR-MM-DD)")
        if valid_to is not None and (not isinstance(valid_to, date) or hasattr(valid_to, "hour")):
            raise ParameterFileError(f"{where}: valid_to musi być datą (RRRR-MM-DD)")
        source = item.get("source")
        if not isinstance(source, str) or not source.strip():
            raise ParameterFileError(
                f"{where}: brak źródła (source) — akt prawny, który ustalił wartość"
            )
        confirmed = item.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise ParameterFileError(f"{where}: confirmed musi być true/false")
        note = item.get("note", "")
        if not confirmed and not note:
            raise ParameterFileError(f"{where}: wartość niepotwierdzona wymaga pola note")
        try:
            period = Period(valid_from, valid_to)
        except ValueError:
            raise ParameterFileError(
                f"{where}: valid_to musi być późniejsze niż valid_from"
            ) from None
        values = {k: _convert(v, f"{where}.{k}") for k, v in item.items() if k not in _META_KEYS}
        records.append(
            Record(name, period, source, MappingProxyType(values), confirmed, str(note), origin)
        )
    records.sort(key=lambda r: r.valid_from)
    for a, b in itertools.pairwise(records):
        if a.period.overlaps(b.period):
            raise ParameterFileError(
                f"{origin}: okresy parametru „{name}” nakładają się: {a.period} i {b.period}"
            )
    return tuple(records)


def _parse_document(text: str, origin: str) -> dict[str, tuple[Record, ...]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterFileError(f"{origin}: błąd składni TOML: {exc}") from None
    return {name: _parse_records(name, raw, origin) for name, raw in data.items()}


class ParameterStore:
    """An immutable set of dated parameters.

    Build it with :meth:`packaged` (the files shipped in ``ostoja/law/parameters``, optionally
    overridden by a directory), :meth:`from_paths` or :meth:`from_texts`.
    """

    __slots__ = ("_bounds", "_cache", "_derived", "_series", "_starts")

    def __init__(self, series: Mapping[str, tuple[Record, ...]]) -> None:
        self._series: dict[str, tuple[Record, ...]] = dict(series)
        self._cache: dict[tuple[str, date], Record] = {}
        self._derived: dict[tuple[object, ...], object] = {}
        # Issue 19: the start dates of each series that is sorted and without overlaps (every
        # parsed series is), for a binary search on a cache miss.
        self._starts: dict[str, tuple[date, ...]] = {}
        for name, records in self._series.items():
            if all(
                a.valid_to is not None and a.valid_to <= b.valid_from
                for a, b in itertools.pairwise(records)
            ):
                self._starts[name] = tuple(r.valid_from for r in records)
        # Every day on which some record starts or ends (see :meth:`segment`).
        bounds: set[date] = set()
        for records in self._series.values():
            for record in records:
                bounds.add(record.valid_from)
                if record.valid_to is not None:
                    bounds.add(record.valid_to)
        self._bounds: tuple[date, ...] = tuple(sorted(bounds))

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> ParameterStore:
        """``{origin_name: toml_text}`` → store; a name defined twice is an error."""
        series: dict[str, tuple[Record, ...]] = {}
        origins: dict[str, str] = {}
        for origin, text in texts.items():
            for name, records in _parse_document(text, origin).items():
                if name in series:
                    raise ParameterFileError(
                        f"Parametr „{name}” zdefiniowany dwukrotnie: {origins[name]} i {origin}"
                    )
                series[name] = records
                origins[name] = origin
        return cls(series)

    @classmethod
    def from_paths(cls, paths: Iterable[Path | str]) -> ParameterStore:
        texts: dict[str, str] = {}
        for path in paths:
            p = Path(path)
            texts[str(p)] = p.read_text(encoding="utf-8")
        return cls.from_texts(texts)

    @classmethod
    def packaged(cls, override_dir: Path | str | None = None) -> ParameterStore:
        """The packaged parameter files, loaded through ``importlib.resources``."""
        root = resources.files("ostoja.law.parameters")
        texts = {
            f"ostoja/law/parameters/{entry.name}": entry.read_text(encoding="utf-8")
            for entry in sorted(root.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".toml")
        }
        store = cls.from_texts(texts)
        if override_dir is not None:
            store = store.with_overrides(override_dir)
        return store

    def with_overrides(self, source: Path | str | ParameterStore) -> ParameterStore:
        """A new store where parameters defined in ``source`` (a directory of ``*.toml`` files,
        one file, or another store) replace the whole series of the same name or are added."""
        if isinstance(source, ParameterStore):
            other = source
        else:
            path = Path(source)
            if path.is_dir():
                other = ParameterStore.from_paths(sorted(path.glob("*.toml")))
            elif path.is_file():
                other = ParameterStore.from_paths([path])
            else:
                raise ParameterFileError(f"Brak katalogu lub pliku z parametrami: {path}")
        merged = dict(self._series)
        merged.update(other._series)
        return ParameterStore(merged)

    # -- lookup -------------------------------------------------------------------------
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._series))

    def series(self, name: str) -> tuple[Record, ...]:
        try:
            return self._series[name]
        except KeyError:
            raise ParameterNotFound(name, date.min) from None

    def get(self, name: str, on: date) -> Record:
        """The record of ``name`` in force on ``on`` (``valid_from <= on < valid_to``)."""
        key = (name, on)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        records = self._series.get(name)
        if records is None:
            raise ParameterNotFound(name, on, "parametr nie istnieje")
        starts = self._starts.get(name)
        if starts is not None:
            i = bisect_right(starts, on) - 1
            if i >= 0:
                record = records[i]
                valid_to = record.period.valid_to
                if valid_to is None or on < valid_to:
                    if len(self._cache) > 65536:
                        self._cache.clear()
                    self._cache[key] = record
                    return record
        for record in records:
            if record.period.contains(on):
                if len(self._cache) > 65536:
                    self._cache.clear()
                self._cache[key] = record
                return record
        available = ", ".join(str(r.period) for r in records)
        raise ParameterNotFound(name, on, available)

    def segment(self, on: date) -> int:
        """The stretch of days holding ``on`` between two consecutive days on which any record
        of any parameter starts or ends: two dates with the same segment have the same record
        of every parameter in force. Issue 19: what depends only on the records in force is
        memoised per segment (a few dozen since 2018) rather than per date (thousands of
        application dates in a caseload)."""
        return bisect_right(self._bounds, on)

    def derived(self, key: tuple[object, ...], factory: Callable[[], T]) -> T:
        """Memoise a value derived from this store (e.g. resolved rules for one date)."""
        # ``get`` rather than ``try``/``except KeyError``: a miss is common on a cold caseload
        # (a plan per application date), and raising costs more than the lookup.
        value = self._derived.get(key, _MISSING)
        if value is _MISSING:
            if len(self._derived) > 65536:
                self._derived.clear()
            value = factory()
            self._derived[key] = value
        return value  # type: ignore[return-value]

    def __contains__(self, name: object) -> bool:
        return name in self._series


_MISSING = object()


@lru_cache(maxsize=1)
def default_store() -> ParameterStore:
    """The packaged parameters, parsed once per process."""
    return ParameterStore.packaged()
