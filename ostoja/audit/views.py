"""The audit page for the data protection officer (inspektor ochrony danych)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ostoja.audit.forms import AuditFilterForm
from ostoja.audit.selectors import AuditFilters, actors_matching, audit_entries, audit_rows
from ostoja.core.access import require_perm
from ostoja.core.paging import CappedPaginator

# The subject (a surname, a PESEL, a person's id) is posted and kept in the session: it never
# stands in a URL, so it never reaches a server or proxy log. Dates, actor and action stay in
# the URL for paging.
SUBJECT_KEY = "audit_log_subject"
# Rows counted at most for the caption (see ostoja.core.paging).
COUNT_CAP = 10_000


@require_perm("audit.view_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session[SUBJECT_KEY] = str(request.POST.get("subject", "")).strip()[:100]
        params = {
            k: v
            for k, v in request.POST.items()
            if v and k not in ("subject", "csrfmiddlewaretoken", "strona")
        }
        return redirect(f"{request.path}?{urlencode(params)}" if params else request.path)
    if "wyczysc" in request.GET:
        request.session.pop(SUBJECT_KEY, None)
        return redirect(request.path)
    data = request.GET.copy()
    data.pop("subject", None)  # an old bookmark's subject is ignored, never applied
    data["subject"] = request.session.get(SUBJECT_KEY, "")
    bound = bool(request.GET) or bool(data["subject"])
    form = AuditFilterForm(data if bound else None)
    filters = AuditFilters()
    actors: tuple[int, list[str]] | None = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d.get("actor"):
            actors = actors_matching(d["actor"])
        filters = AuditFilters(
            actor_text=d.get("actor") or "",
            subject=d.get("subject") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            action=d.get("action"),
        )
    # At most 10,000 rows counted: the trail grows with every read of personal data, and
    # an exact COUNT(*) over it was the page's cost at scale (issue 19).
    page = CappedPaginator(audit_entries(filters=filters), 50, cap=COUNT_CAP).get_page(
        request.GET.get("strona")
    )
    query = request.GET.copy()
    query.pop("strona", None)
    query.pop("subject", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": audit_rows(list(page)),
            "query": query.urlencode(),
            "actors": actors,
        },
    )
