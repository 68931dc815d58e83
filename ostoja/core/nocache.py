"""No copy of a page, PDF, export or API answer stays in a browser or proxy cache.

Almost every answer Ostoja gives carries personal data, so every answer that passes through
Django (static files are served earlier, by WhiteNoise, and keep their long cache) is marked
``Cache-Control: no-store`` — a shared computer in a district office keeps no client file in
its cache after the session ends.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
