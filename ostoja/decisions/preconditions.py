"""What must exist before a decision may be drafted: the community interview (art. 106 ust. 4
u.p.s.). The rule itself is in the law core (``ostoja.law.interview``); this module gathers
the facts from the case."""

from __future__ import annotations

from typing import Any

from ostoja.cases import selectors as case_selectors
from ostoja.decisions.choices import DecisionKind
from ostoja.law.interview import interview_required


def _completed_interview(case: Any, application: Any) -> bool:
    app_id = application.pk if application is not None else None
    return any(
        i.is_completed and i.application_id in (app_id, None)
        for i in case_selectors.interviews_of(case=case)
    )


def interview_missing(
    *, case: Any, application: Any, kind: str, lines: list[dict[str, Any]], calculation: Any
) -> str | None:
    """A Polish message when the decision needs a completed interview that the case lacks."""
    request = (calculation.request or {}) if calculation is not None else {}
    addressee_title = request.get("residence_title") or "obywatel_pl"
    need = interview_required(
        grants_or_refuses=kind in (DecisionKind.GRANT, DecisionKind.REFUSAL),
        refusal=kind == DecisionKind.REFUSAL,
        benefits=tuple(str(ln.get("benefit", "")) for ln in lines),
        residence_title=addressee_title,
        interview_refused=bool(request.get("interview_refused")),
    )
    if not need.required or _completed_interview(case, application):
        return None
    return (
        "Najpierw przeprowadź i zakończ rodzinny wywiad środowiskowy (lub jego aktualizację): "
        f"decyzję, która przyznaje świadczenie albo odmawia jego przyznania, wydaje się po "
        f"wywiadzie ({need.basis})."
    )
