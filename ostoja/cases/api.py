"""API of the cases context (routes are added as the context grows)."""

from ninja import Router

router = Router(tags=["Sprawy".lower()])
