"""REST API of this context."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["partners"])
