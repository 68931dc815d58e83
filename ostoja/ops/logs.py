"""Structured logs without personal data (dziennik techniczny bez danych osobowych).

Two pieces, both wired in ``settings.LOGGING``:

* ``PersonalDataFilter`` — masks PESEL numbers, bank account numbers (NRB/IBAN), e-mail
  addresses and phone numbers in the message, and replaces every string argument that is not
  plainly technical (a URL path without a query, an HTTP method or protocol, a number) with
  ``[…]``: a surname or the text of a note passed as ``%s`` never reaches the log. Query strings
  are cut (they may carry a search for a surname).
* ``JsonFormatter`` — one JSON object per line (time, level, logger, message, process, request
  fields Django adds such as ``status_code``); an exception is logged as its class and stack
  (file, line, function) **without its message**, since a database error's message may quote
  a row's values (``Key (pesel)=(…)``).

Code must still not log names on purpose; this is the safety net, tested in
``ostoja/ops/tests/test_logs.py``.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime
from typing import Any

from ostoja.core.logfilters import strip_query

MASK = "[…]"
_PATTERNS = [
    re.compile(r"(?<!\d)\d{11}(?!\d)"),  # PESEL
    re.compile(r"\b(?:PL)?\d{2}(?:[ ]?\d{4}){6}\b"),  # NRB / IBAN
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"(?<![\d/])(?:\+48[ -]?)?\d{3}[ -]\d{3}[ -]\d{3}(?![\d/])"),  # phone
]
_SAFE_ARG = re.compile(
    r"^(?:/[A-Za-z0-9_\-./]*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|HTTP/\d(?:\.\d)?|[0-9.]+)$"
)


def mask_text(text: str) -> str:
    """``text`` with query strings cut and PESEL, NRB, e-mail and phone numbers masked."""
    text = strip_query(text)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def _mask_arg(value: Any) -> Any:
    if isinstance(value, str):
        return value if _SAFE_ARG.match(value) and not _PATTERNS[0].search(value) else MASK
    if isinstance(value, int | float | bool) or value is None:
        return value
    return MASK  # an object's str() may be a person's name (Person.__str__)


class PersonalDataFilter(logging.Filter):
    """Masks personal data in a record's message and arguments (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        else:
            record.msg = MASK
        if isinstance(record.args, tuple):
            record.args = tuple(_mask_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _mask_arg(v) for k, v in record.args.items()}
        return True


_EXTRA_KEYS = ("status_code", "method", "worker_id", "task", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per line; exceptions as class and stack, never their message."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_text(message),
            "pid": record.process,
        }
        for key in _EXTRA_KEYS:
            value = getattr(record, key, None)
            if isinstance(value, int | float | str):
                data[key] = _mask_arg(value) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            data["exception"] = exc_type.__qualname__
            data["stack"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(tb)
            ]
        return json.dumps(data, ensure_ascii=False)
