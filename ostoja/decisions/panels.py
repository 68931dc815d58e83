"""The decisions panel on the case file: the case's decisions and the help currently in force."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ostoja.core.dates import local_date


def decisions_panel(case: Any, user: Any, now: datetime) -> dict[str, Any] | None:
    if not user.has_perm("decisions.view_decision", case):
        return None
    from ostoja.decisions.selectors import case_decisions, current_help

    decisions = case_decisions(case=case)
    draftable = []
    if user.has_perm("decisions.draft", case):
        from ostoja.cases import selectors as case_selectors
        from ostoja.cases import services as case_services

        drafted = {d.application_id for d in decisions}
        draftable = [
            a
            for a in case_services.applications_open_for(case=case)
            if a.pk not in drafted and case_selectors.calculation_latest(application=a) is not None
        ]
    return {
        "template": "decisions/_case_panel.html",
        "title": "Decyzje i pomoc przyznana",
        "context": {
            "decisions": decisions,
            "current": current_help(decisions=decisions, on=local_date(now)),
            "draftable": draftable,
            "case": case,
        },
    }


def register() -> None:
    from ostoja.cases.panels import register_case_panel

    register_case_panel(decisions_panel)
