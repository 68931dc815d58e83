"""CSV cells that a spreadsheet never runs as a formula (CSV/formula injection, OWASP).

A client's name such as ``=HYPERLINK("http://…")`` written into a CSV export would run as a
formula when a clerk opens the file in Excel or LibreOffice. Every CSV export writes through
:func:`csv_writer`, which prefixes a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return with an apostrophe so the spreadsheet shows it as text. Plain numbers (``-12.50``)
stay numbers: they cannot carry a formula. XLSX exports write typed cells and need none of this.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet must read it: text that looks like a formula gets a ``'``."""
    if not isinstance(value, str) or not value.startswith(FORMULA_LEADS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class SafeWriter:
    """``csv.writer`` whose every cell passes through :func:`safe_cell`."""

    def __init__(self, out: _Writable, **fmt: Any) -> None:
        self._writer = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writable, **fmt: Any) -> SafeWriter:
    """The one way Ostoja writes CSV for people to open (exports, working lists)."""
    return SafeWriter(out, **fmt)
