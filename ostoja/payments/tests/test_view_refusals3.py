"""Refusals of the payment run, the bank-file export and registering a receivable from a
decision come back on the same page (the Polish message in the error summary on top), nothing
saved — never a flash + redirect (issue 17)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.urls import reverse

from ostoja.core import dates
from ostoja.payments import services
from ostoja.payments.models import Payment, PaymentList, Receivable
from ostoja.payments.testing import make_line
from tests.refusals import error_summary as _summary

from .test_receivables_from_decisions import _recovery, _url

pytestmark = pytest.mark.django_db


def test_run_refused_by_a_bad_payment_day_comes_back_on_the_run_page(
    clerk: Any, client_for: Any, monkeypatch: Any
) -> None:
    """A decision line with payment day 31 stops the run: 409, the reason (naming the
    decision) in the summary, the month typed kept, no payment written."""
    bad = replace(make_line(1), payment_day=31)
    monkeypatch.setattr("ostoja.payments.views.sources.payable_lines", lambda **kw: [bad])
    r = client_for(clerk).post(reverse("payments:run"), {"month": "2026-11"})
    page = r.content.decode()
    assert r.status_code == 409
    assert "Dzień wypłaty w decyzji" in _summary(page) and "dozwolony jest dzień 1–28" in page
    assert 'value="2026-11"' in page
    assert Payment.objects.count() == 0 and PaymentList.objects.count() == 0


def test_run_with_an_impossible_month_is_refused_at_the_field(clerk: Any, client_for: Any) -> None:
    r = client_for(clerk).post(reverse("payments:run"), {"month": "2026-13"})
    assert r.status_code == 422 and 'href="#id_month"' in _summary(r.content.decode())
    assert Payment.objects.count() == 0


def test_export_of_a_draft_list_is_refused_on_the_list_page(
    clerk: Any, finance: Any, client_for: Any, centre_account: None
) -> None:
    """A list not yet approved is not exported: 409 on the list's page with the reason in the
    summary, no file, the list still a draft; the maker (clerk) may not export at all (403)."""
    services.payroll_build(now=dates.now(), month="2026-11", lines=[make_line(1)], actor=clerk)
    pl = PaymentList.objects.get()
    url = reverse("payments:list_export", args=[pl.pk, "elixir"])
    r = client_for(finance).post(url)
    page = r.content.decode()
    assert r.status_code == 409 and "Content-Disposition" not in r
    assert "zatwierdzić" in _summary(page) and pl.number in page
    assert PaymentList.objects.get().status == pl.status and not pl.exports.exists()
    assert client_for(clerk).post(url).status_code in (403, 404)


def test_registering_a_receivable_twice_is_refused_on_the_receivables_page(
    demo_org: None, finance: Any, client_for: Any
) -> None:
    d = _recovery()
    client = client_for(finance)
    assert client.post(_url(d)).status_code == 302
    again = client.post(_url(d))
    assert again.status_code == 409
    assert "jest już zarejestrowana" in _summary(again.content.decode())
    assert Receivable.objects.count() == 1
