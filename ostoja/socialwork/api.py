"""API of the socialwork context (routes are added as the context grows)."""

from ninja import Router

router = Router(tags=["Praca socjalna".lower()])
