"""Commissioned tasks and grants (art. 25 u.p.s., u.d.p.p.): call → offers → assessment →
decision → agreement → instalments → reports → settlement → return of unused money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc

pytestmark = pytest.mark.django_db
D = Decimal


def _call(**over: Any) -> Any:
    data = dict(number="MOPR/422/1/2026", title="Prowadzenie placówki wsparcia dziennego",
                mode="wsparcie", budget=D("50000"), chapter="85203", published_on=date(2026, 1, 5),
                offers_until=date(2026, 1, 26), task_from=date(2026, 3, 1), task_to=date(2026, 11, 30))  # fmt: skip
    data.update(over)
    return svc.call_publish(**data)


def test_full_grant_lifecycle(food_bank: Any) -> None:
    call = _call()
    offer = svc.offer_submit(call=call, partner=food_bank, submitted_on=date(2026, 1, 20),
                             requested=D("30000"), own_contribution=D("3000"))  # fmt: skip
    svc.offer_assess(offer=offer, score=D("82.5"), on=date(2026, 1, 30))
    svc.call_decide(call=call, awards={offer.pk: D("28000")}, on=date(2026, 2, 5))
    offer.refresh_from_db()
    ag = svc.grant_sign(offer=offer, number="U/1/2026", signed_on=date(2026, 2, 20),
                        instalments=[(D("14000"), date(2026, 3, 1)), (D("14000"), date(2026, 7, 1))])  # fmt: skip
    assert ag.report_due == date(2026, 12, 30)  # 30 days after the task's end
    for inst in ag.instalments.all():
        svc.instalment_pay(instalment=inst, paid_on=inst.due_on, today=inst.due_on)
    with pytest.raises(ValidationFailed):  # repeating a payment never pays twice
        svc.instalment_pay(
            instalment=ag.instalments.first(), paid_on=date(2026, 8, 1), today=date(2026, 8, 1)
        )
    svc.report_receive(agreement=ag, kind="koncowe", received_on=date(2026, 12, 15),
                       spent=D("26512.40"), results="Zajęcia dla 40 dzieci", beneficiaries=40)  # fmt: skip
    ag = svc.grant_settle_agreement(
        agreement=ag, on=date(2026, 12, 20), expected_version=ag.version
    )
    assert ag.to_return == D("1487.60") and ag.spent == D("26512.40")
    assert svc.grant_return_deadline(ag) == date(2026, 12, 15)
    ag = svc.grant_return_record(agreement=ag, returned_on=date(2026, 12, 14))
    summary = sel.grant_get(pk=ag.pk)
    assert summary.paid - summary.agreement.spent == summary.agreement.to_return


def test_settlement_needs_final_report(food_bank: Any) -> None:
    call = _call()
    offer = svc.offer_submit(
        call=call, partner=food_bank, submitted_on=date(2026, 1, 20), requested=D("100")
    )
    svc.offer_assess(offer=offer, score=D("50"), on=date(2026, 1, 27))
    svc.call_decide(call=call, awards={offer.pk: D("100")}, on=date(2026, 1, 27))
    offer.refresh_from_db()
    ag = svc.grant_sign(
        offer=offer,
        number="U/2",
        signed_on=date(2026, 2, 1),
        instalments=[(D("100"), date(2026, 2, 1))],
    )
    with pytest.raises(ValidationFailed) as exc:
        svc.grant_settle_agreement(agreement=ag, on=date(2026, 12, 1), expected_version=ag.version)
    assert "reports" in exc.value.errors


def test_instalments_must_sum_to_the_award(food_bank: Any) -> None:
    call = _call()
    offer = svc.offer_submit(
        call=call, partner=food_bank, submitted_on=date(2026, 1, 20), requested=D("1000")
    )
    svc.offer_assess(offer=offer, score=D("50"), on=date(2026, 1, 27))
    svc.call_decide(call=call, awards={offer.pk: D("900")}, on=date(2026, 1, 27))
    offer.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        svc.grant_sign(offer=offer, number="U/3", signed_on=date(2026, 2, 1),
                       instalments=[(D("500"), date(2026, 2, 1))])  # fmt: skip
    assert "instalments" in exc.value.errors


def test_decision_within_budget_and_only_assessed_offers(food_bank: Any) -> None:
    call = _call(budget=D("1000"))
    offer = svc.offer_submit(
        call=call, partner=food_bank, submitted_on=date(2026, 1, 20), requested=D("1000")
    )
    with pytest.raises(ValidationFailed):
        svc.call_decide(call=call, awards={offer.pk: D("1000")}, on=date(2026, 1, 27))
    svc.offer_assess(offer=offer, score=D("50"), on=date(2026, 1, 27))
    with pytest.raises(ValidationFailed):
        svc.call_decide(call=call, awards={offer.pk: D("1000.01")}, on=date(2026, 1, 27))


def test_late_offer_refused(food_bank: Any) -> None:
    call = _call()
    with pytest.raises(ValidationFailed) as exc:
        svc.offer_submit(
            call=call, partner=food_bank, submitted_on=date(2026, 1, 27), requested=D("1")
        )
    assert "submitted_on" in exc.value.errors


def test_small_grant_limits_art_19a(food_bank: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _call(
            mode="art19a", budget=D("12000"), task_from=date(2026, 3, 1), task_to=date(2026, 4, 30)
        )
    assert "art. 19a" in exc.value.errors["budget"][0]


def test_budget_chapter_from_payments_classification(food_bank: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _call(chapter="99999")
    assert "chapter" in exc.value.errors


def test_grant_lifecycle_through_the_api(food_bank: Any, staff: Any, client_for: Any) -> None:
    import json

    head, fin = client_for(staff.head), client_for(staff.finance)

    def post(c: Any, url: str, data: dict[str, Any]) -> Any:
        return c.post(f"/api/v1{url}", json.dumps(data), content_type="application/json")

    r = post(head, "/calls", {"number": "K/9", "title": "Klub", "mode": "art19a", "budget": "12000",
                              "chapter": "85295", "published_on": "2026-03-01",
                              "offers_until": "2026-03-08", "task_from": "2026-04-01",
                              "task_to": "2026-05-31"})  # fmt: skip
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "budget"
    r = post(head, "/calls", {"number": "K/9", "title": "Klub", "mode": "art19a", "budget": "9000",
                              "chapter": "85295", "published_on": "2026-03-01",
                              "offers_until": "2026-03-08", "task_from": "2026-04-01",
                              "task_to": "2026-05-31"})  # fmt: skip
    assert r.status_code == 201, r.content
    call = r.json()["id"]
    offer = post(head, f"/calls/{call}/offers", {"partner": food_bank.pk, "submitted_on": "2026-03-02",
                                                 "requested": "9000"}).json()["id"]  # fmt: skip
    assert (
        post(head, f"/offers/{offer}/assessment", {"score": "60", "on": "2026-03-09"}).status_code
        == 200
    )
    r = post(head, f"/calls/{call}/decision", {"on": "2026-03-10", "awards": {str(offer): "8500"}})
    assert r.status_code == 200 and r.json()["status"] == "rozstrzygniety"
    r = post(head, f"/offers/{offer}/agreement", {"number": "U/9", "signed_on": "2026-03-15",
             "instalments": [{"amount": "8500", "due_on": "2026-04-01"}]})  # fmt: skip
    assert r.status_code == 201
    grant = r.json()
    inst = grant["instalments"][0]["id"]
    assert post(head, f"/instalments/{inst}/payment", {"paid_on": "2026-04-01"}).status_code == 403
    assert post(fin, f"/instalments/{inst}/payment", {"paid_on": "2026-04-01"}).status_code == 200
    assert post(fin, f"/instalments/{inst}/payment", {"paid_on": "2026-04-02"}).status_code == 422
    r = post(head, f"/grants/{grant['id']}/reports", {"kind": "koncowe", "received_on": "2026-06-20",
             "spent": "8123.45", "results": "12 spotkań klubu"})  # fmt: skip
    assert r.status_code == 201
    r = post(head, f"/grants/{grant['id']}/settlement", {"on": "2026-06-25", "version": 1})
    assert r.status_code == 200, r.content
    body = r.json()
    assert D(body["to_return"]) == D("376.55") == D(body["paid"]) - D(body["spent"])
    assert body["return_deadline"] == "2026-06-15"
    r = post(head, f"/grants/{grant['id']}/settlement", {"on": "2026-06-26", "version": 1})
    assert r.status_code in (409, 422)
    assert client_for(staff.worker).get(f"/api/v1/grants/{grant['id']}").status_code == 403


def test_grant_api_role_gates(food_bank: Any, staff: Any, client_for: Any) -> None:
    """Grants are organisation records (art. 11–19 u.d.p.p.), not client data: no district
    scope, but every step has its role — a social worker or an analyst takes none of them,
    only finance transfers an instalment, only heads and management settle (separation of
    duties). Nothing changes on a refused step."""
    import json

    call = _call()
    offer = svc.offer_submit(call=call, partner=food_bank, submitted_on=date(2026, 1, 20),
                             requested=D("100"))  # fmt: skip
    svc.offer_assess(offer=offer, score=D("50"), on=date(2026, 1, 27))
    svc.call_decide(call=call, awards={offer.pk: D("100")}, on=date(2026, 1, 27))
    offer.refresh_from_db()
    ag = svc.grant_sign(offer=offer, number="U/7/2026", signed_on=date(2026, 2, 1),
                        instalments=[(D("100"), date(2026, 3, 1))])  # fmt: skip
    inst = ag.instalments.get()
    steps = [
        (f"/calls/{call.pk}/offers", {"partner": food_bank.pk, "submitted_on": "2026-01-21",
                                      "requested": "1"}),
        (f"/offers/{offer.pk}/assessment", {"score": "60", "on": "2026-01-28"}),
        (f"/calls/{call.pk}/decision", {"on": "2026-01-28", "awards": {}}),
        (f"/offers/{offer.pk}/agreement", {"number": "U/8", "signed_on": "2026-02-02",
                                           "instalments": [{"amount": "1", "due_on": "2026-03-01"}]}),
        (f"/grants/{ag.pk}/reports", {"kind": "koncowe", "received_on": "2026-12-01",
                                      "spent": "1", "results": "x"}),
        (f"/grants/{ag.pk}/settlement", {"on": "2026-12-02", "version": ag.version}),
        (f"/instalments/{inst.pk}/payment", {"paid_on": "2026-03-01"}),
    ]  # fmt: skip
    for user in (staff.worker, staff.analyst):
        c = client_for(user)
        assert c.get(f"/api/v1/grants/{ag.pk}").status_code == 403
        for url, body in steps:
            r = c.post(f"/api/v1{url}", json.dumps(body), content_type="application/json")
            assert r.status_code == 403, (user.username, url, r.status_code)
    head, fin = client_for(staff.head), client_for(staff.finance)
    pay = f"/api/v1/instalments/{inst.pk}/payment"
    settle = f"/api/v1/grants/{ag.pk}/settlement"
    body = json.dumps({"paid_on": "2026-03-01"})
    assert head.post(pay, body, content_type="application/json").status_code == 403
    assert fin.post(settle, json.dumps({"on": "2026-12-02", "version": ag.version}),
                    content_type="application/json").status_code == 403  # fmt: skip
    inst.refresh_from_db()
    ag.refresh_from_db()
    assert inst.paid_on is None and ag.status == "zawarta" and ag.offer.call.offers.count() == 1
    assert fin.post(pay, body, content_type="application/json").status_code == 200
