"""API of the registry context (routes are added as the context grows)."""

from ninja import Router

router = Router(tags=["Klienci".lower()])
