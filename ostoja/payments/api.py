"""API of the payments context (routes are added as the context grows)."""

from ninja import Router

router = Router(tags=["Wypłaty".lower()])
