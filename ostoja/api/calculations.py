"""``POST /api/v1/calculations`` — the same documents as ``ostoja calc``, for logged-in staff."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from ostoja.core.api import require
from ostoja.law.interface import RequestError, calculate_document

router = Router(tags=["obliczenia"])


@router.post(
    "/calculations",
    summary="Obliczenie świadczenia z uzasadnieniem (ślad kroków z podstawą prawną)",
    response={200: dict[str, Any], 422: dict[str, Any]},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def calculate(request: HttpRequest) -> HttpResponse:
    require(request, "law.use_calculator")
    try:
        doc = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse(
            {"errors": [{"field": "body", "message": "Treść żądania nie jest poprawnym JSON."}]},
            status=422,
        )
    try:
        result = calculate_document(doc)
    except RequestError as exc:
        return JsonResponse({"errors": exc.errors}, status=422)
    return JsonResponse(result)
