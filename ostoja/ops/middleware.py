"""A lost database connection gives staff a clear Polish message, not a bare error page.

When PostgreSQL restarts (or a connection is cut) in the middle of a request, the service's
transaction is rolled back as a whole; the user is told so and may repeat the action (payment
runs and other batch operations are idempotent). The response is 503, so monitoring sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("ostoja.ops")

MESSAGE = (
    "Chwilowo brak połączenia z bazą danych. Każda czynność zapisuje się w całości albo wcale: "
    "sprawdź, czy zmiana została zapisana, i w razie potrzeby powtórz ją za chwilę."
)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if connection.vendor == "sqlite" and "locked" in str(exception):
            return None  # a busy SQLite file is another problem (and not a lost connection)
        logger.error("database connection lost", exc_info=exception)
        connection.close_if_unusable_or_obsolete()
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": MESSAGE}, status=503)
        else:
            html = (
                '<!doctype html><html lang="pl"><head><meta charset="utf-8">'
                "<title>Brak połączenia z bazą danych — Ostoja</title></head><body><main>"
                f'<h1>Brak połączenia z bazą danych</h1><p role="alert">{MESSAGE}</p>'
                '<p><a href="/">Strona główna</a></p></main></body></html>'
            )
            response = HttpResponse(html, status=503)
        response["Retry-After"] = "10"
        return response


# Pages of one person (registry, by ``pk``) that show the art. 18 banner when processing of
# the person's data is restricted.
PERSON_PAGES = frozenset({"registry:person_detail", "registry:person_edit", "registry:income_add"})


class ProcessingRestrictionBannerMiddleware:
    """A visible banner on a person's pages while processing is restricted (art. 18 RODO); the
    saves themselves are refused by ``ostoja.ops.rodo.rights`` whatever the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: dict[str, object]
    ) -> None:
        match = request.resolver_match
        if match is None or match.view_name not in PERSON_PAGES:
            return
        pk = kwargs.get("pk")
        if not isinstance(pk, int) or not getattr(request, "user", None):
            return
        if not request.user.is_authenticated:
            return
        from django.contrib import messages

        from ostoja.ops.rodo.rights import active_restriction, restriction_message

        restriction = active_restriction(pk)
        if restriction is not None:
            messages.warning(request, restriction_message(restriction))
