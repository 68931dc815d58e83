"""A refused re-issue of a returned transfer comes back at the payment's row (message under
the field, the summary on top), the typed values kept, nothing saved (issue 17)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from ostoja.payments.models import Payment
from ostoja.payments.testing import REISSUE_ON
from tests.refusals import error_at_field as _at_field
from tests.refusals import error_summary as _summary

from .test_hardening import scoped  # noqa: F401  (the fixture: two payments of ro1 and ro2)

pytestmark = pytest.mark.django_db


def _returned(scoped: dict[str, Any]) -> None:  # noqa: F811
    Payment.objects.filter(pk__in=[scoped["ro1"].pk, scoped["ro2"].pk]).update(
        status="zwrocona", returned_on=date(2026, 11, 30)
    )


def test_reissue_to_a_wrong_account_is_refused_at_the_field(scoped, client_for):  # noqa: F811
    _returned(scoped)
    p = scoped["ro2"]
    before = Payment.objects.count()
    c = client_for(scoped["clerk_ro2"])
    r = c.post(
        reverse("payments:reissue", args=[p.pk]),
        {"method": "przelew", "account_number": "12 3456"},
    )
    page = r.content.decode()
    assert r.status_code == 422 and _at_field(page, f"zw{p.pk}_account_number", "")
    assert 'value="12 3456"' in page
    r = c.post(reverse("payments:reissue", args=[p.pk]), {"method": "", "account_number": ""})
    assert r.status_code == 422 and _at_field(r.content.decode(), f"zw{p.pk}_method", "")
    assert Payment.objects.count() == before


def test_reissue_of_another_units_payment_is_refused_on_top(scoped, client_for):  # noqa: F811
    """The ro2 clerk posts the ro1 payment's id: 403 with the Polish reason in the summary."""
    _returned(scoped)
    before = Payment.objects.count()
    r = client_for(scoped["clerk_ro2"]).post(
        reverse("payments:reissue", args=[scoped["ro1"].pk]), {"method": "kasa"}
    )
    assert r.status_code == 403 and "spoza zakresu" in _summary(r.content.decode())
    assert Payment.objects.count() == before


def test_confirming_ones_own_reissue_is_refused_on_the_page(scoped, client_for):  # noqa: F811
    """Two people for money, the same person in both roles: who re-issued the returned transfer
    to a new account may not confirm that account (403, the Polish reason in the summary on
    top and at the row); another clerk confirms it; a second click is refused (409); a clerk
    of another district may not confirm it (403). Nothing is saved by a refusal."""
    from ostoja.payments import services
    from ostoja.payments.testing import BENEFICIARY_NRB

    _returned(scoped)
    maker, checker = scoped["clerk_ro2"], scoped["clerk_dpsr"]
    new = services.payment_reissue(
        payment_id=scoped["ro2"].pk,
        method="przelew",
        account_number=BENEFICIARY_NRB,
        on=REISSUE_ON,
        actor=maker,
    )
    assert new.account_changed
    url = reverse("payments:reissue_confirm", args=[new.pk])
    r = client_for(maker).post(url)
    page = r.content.decode()
    assert r.status_code == 403 and "dwóch par oczu" in _summary(page)
    row = re.search(rf'id="pzr{new.pk}_error">(.*?)</div>', page, re.S)
    assert row and "dwóch par oczu" in row.group(1)
    assert f'aria-describedby="pzr{new.pk}_error"' in page
    assert Payment.objects.get(pk=new.pk).account_confirmed_by is None
    other = services.payment_reissue(
        payment_id=scoped["ro1"].pk, method="przelew", account_number=BENEFICIARY_NRB,
        on=REISSUE_ON, actor=checker,
    )  # fmt: skip
    r = client_for(maker).post(reverse("payments:reissue_confirm", args=[other.pk]))
    assert r.status_code == 403 and "spoza zakresu" in _summary(r.content.decode())
    assert Payment.objects.get(pk=other.pk).account_confirmed_by is None
    assert client_for(checker).post(url).status_code == 302
    r = client_for(checker).post(url)
    assert r.status_code == 409 and "już potwierdzono" in _summary(r.content.decode())
    assert Payment.objects.get(pk=new.pk).account_confirmed_by == checker
    assert (
        client_for(checker).post(reverse("payments:reissue_confirm", args=[10**6])).status_code
        == 404
    )


def test_reissue_whose_decision_no_longer_stands_is_refused_on_top(
    scoped: dict[str, Any],  # noqa: F811
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 21: the decision behind the returned payment was quashed meanwhile (art. 130 KPA):
    the re-issue is refused when it is made — not only at approval — with the reason in the
    summary; nothing is created and the original stays returned."""
    from ostoja.payments.testing import decisions_know

    _returned(scoped)
    decisions_know(monkeypatch, [])  # no decision supports the line any more
    before = Payment.objects.count()
    p = scoped["ro2"]
    r = client_for(scoped["clerk_ro2"]).post(
        reverse("payments:reissue", args=[p.pk]), {"method": "kasa"}
    )
    summary = _summary(r.content.decode())
    assert r.status_code == 409, r.status_code
    assert "Nie można ponowić" in summary and "nie jest już podstawą" in summary
    assert "art. 130 KPA" in summary and "pozostaje na rachunku ośrodka" in summary
    assert Payment.objects.count() == before
    assert Payment.objects.get(pk=p.pk).status == "zwrocona"


def test_reissue_after_the_right_ended_says_it_was_cut(
    scoped: dict[str, Any],  # noqa: F811
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The right ended on 16 November (art. 106 ust. 5 u.p.s.): the re-issue is made for what
    is still due and the confirmation names the amount and the reason."""
    import dataclasses

    from ostoja.payments.testing import decisions_know, make_line

    _returned(scoped)
    p = scoped["ro2"]
    ended = dataclasses.replace(make_line(2), case_id=p.case_id, effective_to=date(2026, 11, 16))
    decisions_know(monkeypatch, [ended])
    r = client_for(scoped["clerk_ro2"]).post(
        reverse("payments:reissue", args=[p.pk]), {"method": "kasa"}, follow=True
    )
    new = Payment.objects.get(reissue_of=p)
    page = r.content.decode()
    assert new.amount < p.amount and new.period_end == date(2026, 11, 16)
    assert "na kwotę" in page and "ustało od 16.11.2026" in page
