"""The referrals panel on the family's case file (registered with the cases context)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ostoja.partners import selectors as sel


def referrals_panel(case: Any, user: Any, now: datetime) -> dict[str, Any] | None:
    if not user.has_perm("partners.view_referrals", case):
        return None
    return {
        "template": "partners/_panel.html",
        "title": "Skierowania do partnerów",
        "context": {"case_id": case.pk, "referrals": sel.referrals_of_case(case_id=case.pk)[:5]},
    }
