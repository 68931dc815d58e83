"""API of the decisions context (routes are added as the context grows)."""

from ninja import Router

router = Router(tags=["Decyzje".lower()])
