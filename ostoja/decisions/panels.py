"""The decisions panel on the case file: the case's decisions and the help currently in force."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ostoja.cases import services as case_services
from ostoja.cases.panels import register_case_panel
from ostoja.core.dates import local_date
from ostoja.decisions.selectors import case_decisions, current_help, drafting_options


def decisions_panel(case: Any, user: Any, now: datetime) -> dict[str, Any] | None:
    if not user.has_perm("decisions.view_decision", case):
        return None
    decisions = case_decisions(case=case)
    draftable = []
    if user.has_perm("decisions.draft", case):
        # Every open application with calculations: each requested form is decided (art. 104
        # KPA), so an application with one form drafted still offers the others.
        for a in case_services.applications_open_for(case=case):
            opts = drafting_options(application=a)
            if opts.options:
                draftable.append(opts)
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
    register_case_panel(decisions_panel)
