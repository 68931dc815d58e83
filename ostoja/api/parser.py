"""The API's first gate of the shared validation layer (``ostoja.core.validation``).

Before any schema sees a request, every string in the query and in the JSON body (keys too) is
checked for control characters (a NUL byte is stored by SQLite and refused by PostgreSQL with
a 500) and for an absurd length, and JSON's non-standard ``NaN``/``Infinity`` are refused. The
query is checked by the ninja parser; the body by :class:`ApiInputGuardMiddleware` (ninja turns
any exception of its body parser into a bare 400, and the answer must name the field). Column
limits of each field are checked later, in the services.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

from ostoja.core.validation import text_error

TEXT_ERROR = "ostoja_text"


class InputProblem(Exception):
    def __init__(self, loc: list[Any], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


def _walk(value: Any, loc: list[Any]) -> None:
    if isinstance(value, str):
        label = ".".join(str(p) for p in loc) or "treść"
        problem = text_error(value, label=label)
        if problem:
            raise InputProblem(loc, problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(str(key), [*loc, key])
            _walk(item, [*loc, key])
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, [*loc, i])


def _no_constants(name: str) -> Any:
    raise InputProblem([], f"Niedozwolona wartość liczbowa {name} — podaj liczbę skończoną.")


def _field(loc: list[Any]) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class StrictParser(Parser):
    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        try:
            _walk(result, [])
        except InputProblem as exc:
            raise ValidationError(
                [{"loc": ["query", *exc.loc], "type": TEXT_ERROR, "msg": exc.message}]
            ) from None
        return result


class ApiInputGuardMiddleware:
    """JSON bodies of /api/ requests: control characters, absurd lengths, NaN → 422."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith("/api/")
            and request.method in ("POST", "PUT", "PATCH")
            and request.content_type == "application/json"
            and request.body
        ):
            try:
                _walk(json.loads(request.body, parse_constant=_no_constants), [])
            except InputProblem as exc:
                return JsonResponse(
                    {"errors": [{"field": _field(exc.loc) or "body", "message": exc.message}]},
                    status=422,
                )
            except ValueError:
                pass  # not JSON: ninja answers 400 itself
        return self.get_response(request)
