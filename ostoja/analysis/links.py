"""Links into the report pages, shared by the pages (``views``) and the API (``api``), and
from the dashboard's and start pages' numbers to the lists they count."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse


def cell_url(period: str, section: str, row: str, column: str) -> str:
    """The page listing the cases counted in one MRPiPS-03 cell."""
    return reverse(
        "analysis:mrpips03_cell",
        kwargs={"period": period, "section": section, "row": row, "column": column},
    )


def page_url(url: str, *, after: str = "", before: str = "", last: bool = False) -> str:
    """A page of a drill-down list, paged by keyset: the page after the item whose key is
    ``after`` (``?po=``), the one before ``before`` (``?przed=``), the last one (``?koniec=1``);
    none of them: the first page (the list's own URL)."""
    if after:
        return f"{url}?{urlencode({'po': after})}"
    if before:
        return f"{url}?{urlencode({'przed': before})}"
    return f"{url}?koniec=1" if last else url


def applications_url(
    *,
    start: date,
    end: date,
    unit_id: int | None = None,
    status: str = "",
    interview: str = "",
    reason: str = "",
) -> str:
    """The applications list of those received in ``[start, end)`` (optionally in one care
    district, of one status — ``otwarte``: still open — or one interview-deadline class,
    ``w_terminie`` / ``po_terminie`` / ``w_toku``): the rows a count of received applications
    is made of (issue 13 §3)."""
    last = end - timedelta(days=1)
    params: dict[str, object] = {"od": start.isoformat(), "do": last.isoformat()}
    if unit_id is not None:
        params["jednostka"] = unit_id
    if status:
        params["status"] = status
    if interview:
        params["wywiad"] = interview
    if reason:
        params["powod"] = reason
    return f"{reverse('cases:application_list')}?{urlencode(params)}"


def open_applications_url(*, worker_id: int) -> str:
    """The applications still open (any date received) of the cases one worker leads."""
    params = {"status": "otwarte", "pracownik": worker_id}
    return f"{reverse('cases:application_list')}?{urlencode(params)}"


def decisions_url(*, start: date, end: date, timeliness: str = "") -> str:
    """The decision register of the decisions issued (signed, no drafts) in ``[start, end)``
    (optionally only those issued by their application's deadline, ``w_terminie``, or after
    it, ``po_terminie``)."""
    params = {
        "status": "wydane",
        "date_from": start.isoformat(),
        "date_to": (end - timedelta(days=1)).isoformat(),
    }
    if timeliness:
        params["terminowosc"] = timeliness
    return f"{reverse('decisions:register')}?{urlencode(params)}"
