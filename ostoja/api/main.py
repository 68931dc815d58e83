"""The REST API under /api/v1/, assembled from each context's router."""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ostoja.api.parser import TEXT_ERROR, StrictParser
from ostoja.core.api import UnknownFilterValue
from ostoja.core.errors import ConflictError, DomainError, NotPermitted, ValidationFailed
from ostoja.org.api_auth import AUTH, login_required_401

# Every operation can answer these; the OpenAPI document says so (schemathesis checks that no
# undocumented status is returned: tests/security/test_api_fuzz.py).
ERROR_RESPONSES: dict[str, str] = {
    "400": "Nieprawidłowe żądanie (np. treść nie jest poprawnym JSON-em albo filtr listy ma "
    "wartość spoza dozwolonych — odpowiedź wymienia parametr i dozwolone wartości).",
    "401": "Wymagane uwierzytelnienie (token wygasł, unieważniony albo brak).",
    "403": "Brak uprawnień (rola) albo administrator bez weryfikacji dwuetapowej.",
    "404": "Nie znaleziono (albo rekord poza zakresem użytkownika — odpowiedź ta sama).",
    "405": "Metoda niedozwolona.",
    "409": "Konflikt wersji (ktoś inny zapisał rekord).",
    "422": "Błędne dane: lista pól z komunikatami po polsku; nic nie zapisano.",
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


class OstojaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                for code, text in ERROR_RESPONSES.items():
                    responses.setdefault(
                        code,
                        {"description": text, "content": {"application/json": {"schema": ref}}},
                    )
        return schema


api = OstojaAPI(
    title="Ostoja API",
    version="1",
    description="REST API systemu Ostoja. Uwierzytelnianie: sesja pracownika albo nagłówek "
    "`Authorization: Bearer <token>` (token: `ostoja token create LOGIN`).",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=login_required_401,
    parser=StrictParser(),
)


def _field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field(list(e.get("loc", []))), "message": _polish(e)} for e in exc.errors]
    return api.create_response(request, {"errors": errors}, status=422)


def _polish(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == TEXT_ERROR:
        return str(error.get("msg", "Nieprawidłowa wartość."))
    if kind == "finite_number":
        return "Wartość musi być liczbą skończoną (nie NaN ani Infinity)."
    if kind == "missing":
        return "To pole jest wymagane."
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return "Nieprawidłowa data (oczekiwany format RRRR-MM-DD)."
    if kind.startswith("decimal") or kind.startswith("float") or kind.startswith("int"):
        return "Nieprawidłowa liczba."
    if kind in {"literal_error", "enum"}:
        return "Niedozwolona wartość."
    if kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        return f"Za długi tekst (najwyżej {limit} znaków)." if limit else "Za długi tekst."
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        return "Wartość spoza dozwolonego zakresu."
    return "Nieprawidłowa wartość."


@api.exception_handler(UnknownFilterValue)
def _unknown_filter(request: HttpRequest, exc: UnknownFilterValue) -> HttpResponse:
    # 400, not 422: the request itself is malformed (a filter outside its fixed set), nothing
    # was looked up; the body names the parameter like every other error (``errors``).
    return api.create_response(
        request,
        {"detail": exc.message, "errors": [{"field": exc.param, "message": exc.message}]},
        status=400,
    )


@api.exception_handler(ValidationFailed)
def _domain_validation(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return api.create_response(request, {"errors": exc.as_list()}, status=422)


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return api.create_response(
        request, {"errors": [{"field": exc.field or "", "message": exc.message}]}, status=409
    )


@api.exception_handler(NotPermitted)
def _not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, {"errors": [{"field": exc.field or "", "message": exc.message}]}, status=422
    )


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # Last resort: a value the services did not catch and the database refused (too long, out
    # of range). The transaction rolled back, so nothing is saved; answer 422, never 500.
    message = (
        "Wartość nie mieści się w polu bazy danych (za długa lub poza zakresem) — nic nie zapisano."
    )
    return api.create_response(request, {"errors": [{"field": "", "message": message}]}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Wymagane uwierzytelnienie."}, status=401)


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register() -> None:
    from ostoja.analysis.api import router as analysis_router
    from ostoja.api.calculations import router as calculations_router
    from ostoja.care.api import router as care_router
    from ostoja.cases.api import router as cases_router
    from ostoja.decisions.api import router as decisions_router
    from ostoja.facilities.api import router as facilities_router
    from ostoja.org.api import router as org_router
    from ostoja.partners.api import router as partners_router
    from ostoja.payments.api import router as payments_router
    from ostoja.registry.api import router as registry_router
    from ostoja.socialwork.api import router as socialwork_router

    api.add_router("/", org_router)
    api.add_router("/", calculations_router)
    api.add_router("/", registry_router)
    api.add_router("/", cases_router)
    api.add_router("/", decisions_router)
    api.add_router("/", payments_router)
    api.add_router("/", socialwork_router)
    api.add_router("/", facilities_router)
    api.add_router("/", care_router)
    api.add_router("/", partners_router)
    api.add_router("/", analysis_router)


_register()
