"""The audit page for the data protection officer (inspektor ochrony danych)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ostoja.audit.forms import AuditFilterForm
from ostoja.audit.selectors import AuditFilters, audit_entries, audit_rows
from ostoja.core.access import require_perm


@require_perm("audit.view_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = AuditFilters(
            actor_id=d["actor"].pk if d.get("actor") else None,
            subject=d.get("subject") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            action=d.get("action"),
        )
    page = Paginator(audit_entries(filters=filters), 50).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": audit_rows(list(page)), "query": query.urlencode()},
    )
