"""The social-work panel on the family's case file (registered with the cases context)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q

from ostoja.core.dates import local_date
from ostoja.socialwork import selectors as sel
from ostoja.socialwork.models import CaseNote, Visit
from ostoja.socialwork.policy import Access, VisitStatus


def socialwork_panel(case: Any, user: Any, now: datetime) -> dict[str, Any] | None:
    if not user.has_perm("socialwork.view_notes", case):
        return None
    today = local_date(now)
    access = sel.note_access(user=user, case=case, now=now)
    data: dict[str, Any] = {
        "case_id": case.pk,
        "protected": access is not Access.OPEN,
        "restricted": access is Access.NEEDS_REASON,
    }
    if access is not Access.NEEDS_REASON:
        notes = CaseNote.objects.filter(case=case).aggregate(n=Count("pk"), last=Max("occurred_on"))
        visits = Visit.objects.filter(case=case, status=VisitStatus.PLANNED).aggregate(
            planned=Count("pk"), overdue=Count("pk", filter=Q(planned_on__lt=today))
        )
        contracts = sel.contracts_of(case=case)
        data.update(
            notes=notes["n"], last_note=notes["last"], visits_planned=visits["planned"],
            visits_overdue=visits["overdue"], contracts=contracts,
            breaches=sel.breach_flags(contracts),
        )  # fmt: skip
    if sel.is_head_of_case_unit(user=user, case=case) and data["protected"]:
        data["grants"] = sel.grants_of_case(case=case)[:10]
    return {
        "template": "socialwork/_panel.html",
        "title": "Praca socjalna",
        "context": {"panel": data},
    }
