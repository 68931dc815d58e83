"""Every grant step through the staff pages: the agreement with its schedule, an instalment
transferred (finance), the partner's report, the settlement (heads) and the return of unspent
money (finance, art. 251 ust. 1 u.f.p.) — Polish messages naming the field, versions, no money
twice, the audit trail with the actor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry

from ostoja.partners import services as svc
from ostoja.partners.models import GrantAgreement, GrantReport, Instalment, Offer

pytestmark = pytest.mark.django_db
D = Decimal


def _decided_offer(partner: Any) -> Offer:
    call = svc.call_publish(number="K/2", title="Klub seniora", mode="wsparcie", budget=D("2000"),
                            chapter="85203", published_on=date(2026, 1, 1),
                            offers_until=date(2026, 1, 22), task_from=date(2026, 2, 1),
                            task_to=date(2026, 10, 31))  # fmt: skip
    offer = svc.offer_submit(
        call=call, partner=partner, submitted_on=date(2026, 1, 10), requested=D("2000")
    )
    svc.offer_assess(offer=offer, score=D("80"), on=date(2026, 1, 23))
    svc.call_decide(call=call, awards={offer.pk: D("1500")}, on=date(2026, 1, 23))
    offer.refresh_from_db()
    return offer


def test_agreement_signed_through_the_page_art_16_udpp(
    staff: Any, client_for: Any, travel: Any, food_bank: Any
) -> None:
    """Art. 16 u.d.p.p.: the agreement with the selected offer; the schedule sums to the award."""
    offer = _decided_offer(food_bank)
    url = f"/wspolpraca/oferty/{offer.pk}/umowa/"
    c = client_for(staff.head)
    assert "Zawrzyj umowę" in c.get(f"/wspolpraca/konkursy/{offer.call_id}/").content.decode()
    assert c.get(url).status_code == 200
    data = {"number": "U/2", "signed_on": "2026-01-25",
            "instalments": "1000,00; 01.02.2026\n400; 01.06.2026"}  # fmt: skip
    r = c.post(url, data)
    page = r.content.decode()
    assert r.status_code == 422 and "Suma transz" in page and 'id="id_instalments_error"' in page
    r = c.post(url, {**data, "instalments": "1000; 2026-02-01"})
    assert r.status_code == 422 and "wpisz datę jako DD.MM.RRRR" in r.content.decode()
    r = c.post(url, {**data, "instalments": "abc; 01.02.2026"})
    assert r.status_code == 422 and "Wiersz 1: błędna kwota" in r.content.decode()
    r = c.post(url, {**data, "instalments": "1000,00; 01.02.2026\n500; 01.06.2026"})
    ag = GrantAgreement.objects.get(offer=offer)
    assert r.status_code == 302 and r["Location"] == f"/wspolpraca/umowy/{ag.pk}/"
    assert [i.amount for i in ag.instalments.all()] == [D("1000.00"), D("500.00")]
    # signing again only leads to the agreement; nothing is created twice
    assert c.post(url, data).status_code == 302
    assert GrantAgreement.objects.filter(offer=offer).count() == 1
    # only heads and management sign
    assert client_for(staff.finance).get(url).status_code == 403
    assert client_for(staff.worker).post(url, data).status_code == 403


def _signed(partner: Any) -> GrantAgreement:
    offer = _decided_offer(partner)
    return svc.grant_sign(offer=offer, number="U/3", signed_on=date(2026, 1, 25),
                          instalments=[(D("1000"), date(2026, 2, 1)),
                                       (D("500"), date(2026, 6, 1))])  # fmt: skip


def test_instalment_paid_once_and_not_in_the_future(
    staff: Any, client_for: Any, travel: Any, food_bank: Any
) -> None:
    ag = _signed(food_bank)
    travel("2026-06-02")
    url = f"/wspolpraca/umowy/{ag.pk}/"
    first = ag.instalments.get(number=1)
    fin = client_for(staff.finance)
    r = fin.post(url, {"action": "pay", "t-instalment": first.pk, "t-paid_on": "2026-06-03"})
    assert r.status_code == 422 and "nie może być późniejsza niż dziś" in r.content.decode()
    assert 'id="id_t-paid_on_error"' in r.content.decode()
    r = fin.post(url, {"action": "pay", "t-instalment": first.pk, "t-paid_on": "2026-02-01"})
    assert r.status_code == 302
    # the same transfer again (a double click, a second tab): refused, money not doubled
    r = fin.post(url, {"action": "pay", "t-instalment": first.pk, "t-paid_on": "2026-02-01"})
    assert r.status_code == 422
    assert Instalment.objects.filter(agreement=ag).exclude(paid_on=None).count() == 1
    entry = LogEntry.objects.get_for_object(first).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == staff.finance and "paid_on" in entry.changes_dict


def test_report_settlement_and_return_art_251_ufp(
    staff: Any, client_for: Any, travel: Any, food_bank: Any
) -> None:
    """Art. 18 u.d.p.p. report; art. 251 ust. 1 u.f.p.: the unused part is returned."""
    ag = _signed(food_bank)
    for inst in ag.instalments.all():
        svc.instalment_pay(instalment=inst, paid_on=inst.due_on, today=inst.due_on)
    travel("2026-11-20")
    url = f"/wspolpraca/umowy/{ag.pk}/"
    head, fin = client_for(staff.head), client_for(staff.finance)
    report = {"action": "report", "s-kind": "koncowe", "s-received_on": "2026-11-20",
              "s-spent": "1600.00", "s-beneficiaries": "40", "s-results": "Zajęcia dla 40 osób",
              "s-version": ag.version}  # fmt: skip
    r = head.post(url, report)
    assert r.status_code == 422 and "przekraczają kwotę dotacji" in r.content.decode()
    assert 'id="id_s-spent_error"' in r.content.decode()
    assert fin.post(url, {**report, "s-spent": "1400.00"}).status_code == 403
    assert head.post(url, {**report, "s-spent": "1400.00"}).status_code == 302
    # a second tab with the old version: refused, not a second report
    r = head.post(url, {**report, "s-spent": "1300.00"})
    assert r.status_code == 422 and GrantReport.objects.filter(agreement=ag).count() == 1
    ag.refresh_from_db()
    settle = {"action": "settle", "r-settled_on": "2026-11-20", "r-version": ag.version}
    assert head.post(url, settle).status_code == 302
    ag.refresh_from_db()
    assert ag.status == "rozliczona" and ag.to_return == D("100.00")
    assert head.post(url, settle).status_code == 422  # settled once
    # the return is recorded by finance, once
    back = {"action": "return", "z-returned_on": "2026-11-20", "z-version": ag.version}
    assert head.post(url, back).status_code == 403
    assert fin.post(url, {**back, "z-returned_on": "2025-01-01"}).status_code == 422
    assert fin.post(url, back).status_code == 302
    ag.refresh_from_db()
    assert ag.returned_on == date(2026, 11, 20)
    r = fin.post(url, {**back, "z-version": ag.version})
    assert r.status_code == 422 and "Zwrot został już odnotowany" in r.content.decode()
    assert "zwrócono 20.11.2026" in head.get(url).content.decode()
    # an unknown step is refused, not ignored
    assert head.post(url, {"action": "delete"}).status_code == 403
