"""Pages of cooperation through the views: register, new partner (errors naming the field),
grants (instalment by finance only, settlement by the head), role checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.partners import services as svc
from ostoja.partners.models import GrantAgreement, Instalment, Partner
from ostoja.partners.tests.conftest import NIP_OK

pytestmark = pytest.mark.django_db
D = Decimal


def test_register_and_new_partner(staff: Any, client_for: Any, travel: Any, food_bank: Any) -> None:
    c = client_for(staff.head)
    page = c.get("/wspolpraca/?q=Bank").content.decode()
    assert "Kielecki Bank Żywności" in page and "Organizacja partnerska pomocy" in page
    assert c.get(f"/wspolpraca/partnerzy/{food_bank.pk}/").status_code == 200
    data = {"name": "Spółdzielnia Socjalna „Razem”", "legal_form": "spoldzielnia_socjalna",
            "krs": "123", "nip": "", "regon": "", "roles": ["pracodawca"],
            "active_from": "2026-12-01"}  # fmt: skip
    r = c.post("/wspolpraca/partnerzy/nowy/", data)
    assert r.status_code == 422 and "Numer KRS musi mieć dokładnie 10 cyfr" in r.content.decode()
    assert 'id="id_krs_error"' in r.content.decode()
    data["krs"] = "0000555555"
    r = c.post("/wspolpraca/partnerzy/nowy/", data)
    assert r.status_code == 302
    assert Partner.objects.get(krs="0000555555").roles == ["pracodawca"]
    assert client_for(staff.worker).post("/wspolpraca/partnerzy/nowy/", data).status_code == 403


def _signed_grant(partner: Any) -> GrantAgreement:
    call = svc.call_publish(number="K/1", title="Noclegownia", mode="powierzenie", budget=D("1000"),
                            chapter="85203", published_on=date(2026, 1, 1),
                            offers_until=date(2026, 1, 22), task_from=date(2026, 2, 1),
                            task_to=date(2026, 10, 31))  # fmt: skip
    offer = svc.offer_submit(
        call=call, partner=partner, submitted_on=date(2026, 1, 10), requested=D("1000")
    )
    svc.offer_assess(offer=offer, score=D("70"), on=date(2026, 1, 23))
    svc.call_decide(call=call, awards={offer.pk: D("1000")}, on=date(2026, 1, 23))
    offer.refresh_from_db()
    return svc.grant_sign(offer=offer, number="U/1", signed_on=date(2026, 1, 25),
                          instalments=[(D("1000"), date(2026, 2, 1))])  # fmt: skip


def test_grant_pages_and_separation(
    staff: Any, client_for: Any, travel: Any, food_bank: Any
) -> None:
    ag = _signed_grant(food_bank)
    travel("2026-12-01")
    url = f"/wspolpraca/umowy/{ag.pk}/"
    inst = ag.instalments.get()
    # the head may not transfer money; finance may
    pay = {"action": "pay", "t-instalment": inst.pk, "t-paid_on": "2026-12-01"}
    assert client_for(staff.head).post(url, pay).status_code == 403
    assert Instalment.objects.get(pk=inst.pk).paid_on is None
    assert client_for(staff.finance).post(url, pay).status_code == 302
    assert Instalment.objects.get(pk=inst.pk).paid_on == date(2026, 12, 1)
    svc.report_receive(agreement=ag, kind="koncowe", received_on=date(2026, 11, 20),
                       spent=D("940.50"), results="Zrealizowano")  # fmt: skip
    page = client_for(staff.head).get(url).content.decode()
    assert "59,50" in page and "art. 251 ust. 1" in page
    # finance may not settle; the head settles
    settle = {"action": "settle", "r-settled_on": "2026-12-01", "r-version": ag.version}
    assert client_for(staff.finance).post(url, settle).status_code == 403
    assert GrantAgreement.objects.get(pk=ag.pk).status == "zawarta"
    client_for(staff.head).post(url, settle)
    ag.refresh_from_db()
    assert ag.status == "rozliczona" and ag.to_return == D("59.50")
    assert client_for(staff.head).get("/wspolpraca/dotacje/").status_code == 200
    assert (
        client_for(staff.head).get(f"/wspolpraca/konkursy/{ag.offer.call_id}/").status_code == 200
    )
    assert client_for(staff.worker).get(url).status_code == 403


def test_nip_shown_in_register(staff: Any, client_for: Any, food_bank: Any) -> None:
    assert NIP_OK in client_for(staff.analyst).get("/wspolpraca/").content.decode()


def test_partner_edit_with_version_contact_and_agreement(staff: Any, client_for: Any,
                                                         food_bank: Any) -> None:  # fmt: skip
    c = client_for(staff.head)
    url = f"/wspolpraca/partnerzy/{food_bank.pk}/edycja/"
    assert c.get(url).status_code == 200
    base = {"form": "partner", "name": food_bank.name, "legal_form": food_bank.legal_form,
            "krs": food_bank.krs, "nip": food_bank.nip, "regon": food_bank.regon,
            "roles": food_bank.roles, "active_from": "2020-01-01", "phone": "41 368 00 00"}  # fmt: skip
    assert c.post(url, base | {"version": 1}).status_code == 302
    r = c.post(url, base | {"version": 1, "phone": "41 000"})  # a stale form
    assert r.status_code == 422 and "Ktoś inny zapisał" in r.content.decode()
    assert Partner.objects.get(pk=food_bank.pk).phone == "41 368 00 00"
    assert c.post(url, {"form": "contact", "c-name": "Jan Kowal"}).status_code == 302
    r = c.post(url, {"form": "agreement", "a-number": "P/2", "a-subject": "PSU",
                     "a-signed_on": "2026-01-01", "a-valid_from": "2026-02-01",
                     "a-valid_to": "2026-01-15"})  # fmt: skip
    assert r.status_code == 422 and "Koniec obowiązywania" in r.content.decode()
    page = c.get(f"/wspolpraca/partnerzy/{food_bank.pk}/").content.decode()
    assert "Jan Kowal" in page
    assert client_for(staff.worker).get(url).status_code == 403
