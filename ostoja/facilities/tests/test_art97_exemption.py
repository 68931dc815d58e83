"""Exemption from an art. 97 fee on the person's request (zwolnienie częściowe lub całkowite na
wniosek; art. 97 ust. 5 u.p.s., § 2 ust. 3 of uchwała VI/106/2015 for the Punkt Pomocy
Doraźnej) — through the stay page and the fee decision: the arrangement keeps the table's fee,
the amount waived and the request; the decision's line is the fee after the exemption and its
reasons state the request, the circumstance and the provision; bad input comes back at its
field with nothing saved; the drafter still cannot check the decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.decisions import documents
from ostoja.decisions.content import content_of
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import services
from ostoja.facilities.models import Charge, FeeArrangement, Stay
from ostoja.facilities.tests.factories import make_facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(staff: Any, travel: Any) -> Stay:
    now = travel("2026-12-01")
    app = make_ready_application(received_on=date(2026, 11, 3))
    shelter = make_facility(kind="schronisko", subtypes=[], places=1, cost="1200.00",
                            on=date(2026, 1, 1))  # fmt: skip
    return services.stay_admit(person=app.applicant, facility=shelter, on=date(2026, 11, 2),
                               actor=staff.clerk, now=now, legal_basis="decyzja (test)",
                               programme="IPWzB nr 1/2026")  # fmt: skip


def _post(c: Any, stay: Stay, **extra: str) -> Any:
    data = {"action": "fee97", "valid_from": "2026-12-01", "household_income": "1500.00",
            "household_size": "1", **extra}  # fmt: skip
    return c.post(f"/placowki/pobyty/{stay.pk}/", data)


def test_partial_exemption_through_the_stay_page_to_the_fee_decision(
    staff: Any, stay: Stay, client_for: Any
) -> None:
    c = client_for(staff.clerk)
    resp = _post(c, stay, exemption="czesciowe", exemption_amount="100.00",
                 exemption_requested_on="2026-11-20",
                 exemption_reason="koszty leczenia po wypadku")  # fmt: skip
    assert resp.status_code == 302
    fee = FeeArrangement.objects.get(stay=stay)
    assert (fee.resident_amount, fee.city_amount) == (Decimal("140.00"), Decimal("1060.00"))
    assert fee.inputs["exemption"] == {
        "kind": "czesciowe", "requested_on": "2026-11-20", "reason": "koszty leczenia po wypadku",
        "fee_before": "240.00", "exempted": "100.00",
    }  # fmt: skip
    page = c.get(f"/placowki/pobyty/{stay.pk}/").content.decode()
    assert "Zwolnienie częściowe na wniosek z 20.11.2026" in page
    assert "(po zwolnieniu częściowym)" in page
    # The fee decision: the line is the fee after the exemption; the reasons name the request,
    # the circumstance and the resolution's clause (art. 107 § 3 KPA).
    c.post(f"/placowki/pobyty/{stay.pk}/", {"action": "fee_decision", "fee": fee.pk})
    fee.refresh_from_db()
    d = fee.fee_decision
    assert d.lines.get().amount == Decimal("140.00")
    point = documents.operative_points(content_of(d, on=date(2026, 12, 1)))[0]
    assert "w kwocie 140,00 zł" in point
    assert "po zwolnieniu częściowym na wniosek z dnia 20.11.2026 r. o 100,00 zł" in point
    assert "na wniosek z dnia 20.11.2026 r. (koszty leczenia po wypadku)" in d.justification
    assert "240,00 zł − 100,00 zł = 140,00 zł" in d.justification
    assert "art. 97 ust. 5 u.p.s." in d.justification
    assert any("§ 2 ust. 3 uchwały nr VI/106/2015" in b for b in d.trace_bases)
    # Four eyes still hold: the drafter cannot check her own draft.
    c.post(f"/decyzje/{d.pk}/czynnosc/sprawdz/")
    d.refresh_from_db()
    assert d.status == "projekt" and d.checker_id is None


def test_total_exemption_leaves_no_monthly_charge(staff: Any, stay: Stay, travel: Any) -> None:
    now = travel("2026-12-02")
    fee = services.fee_set_art97(stay=stay, valid_from=date(2026, 12, 1),
                                 household_income=Decimal("1500.00"), household_size=1,
                                 actor=staff.clerk, now=now, exemption="calkowite",
                                 exemption_requested_on=date(2026, 11, 30),
                                 exemption_reason="pożar mieszkania")  # fmt: skip
    assert (fee.resident_amount, fee.city_amount) == (Decimal("0.00"), Decimal("1200.00"))
    services.charges_build(month=date(2026, 12, 1), now=now)
    assert not Charge.objects.filter(stay=stay, payer_kind="mieszkaniec").exists()
    # The decision as the client reads it: no fee, no "0,00 zł", no payment day or account.
    d = services.fee_decision_draft_art97(fee=fee, actor=staff.clerk)
    point = documents.operative_points(content_of(d, on=date(2026, 12, 1)))[0]
    assert point.startswith("Ustalić, że Pan" if stay.person.sex == "M" else "Ustalić, że Pani")
    assert "nie ponosi odpłatności za schronienie" in point
    assert "zwolnienie całkowite z opłaty na wniosek z dnia 30.11.2026 r." in point
    for wrong in ("0,00 zł", "należy wnosić", "rachunek"):
        assert wrong not in point


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        (
            {
                "exemption": "czesciowe",
                "exemption_requested_on": "2026-11-20",
                "exemption_reason": "x",
            },
            "exemption_amount",
            "miesięczną kwotę",
        ),
        (
            {
                "exemption": "czesciowe",
                "exemption_amount": "240.00",
                "exemption_requested_on": "2026-11-20",
                "exemption_reason": "x",
            },
            "exemption_amount",
            "zwolnienie całkowite",
        ),
        (
            {"exemption": "calkowite", "exemption_reason": "x"},
            "exemption_requested_on",
            "datę wniosku",
        ),
        (
            {
                "exemption": "calkowite",
                "exemption_requested_on": "2026-12-05",
                "exemption_reason": "x",
            },
            "exemption_requested_on",
            "późniejsza niż dziś",
        ),
        (
            {"exemption": "calkowite", "exemption_requested_on": "2026-11-20"},
            "exemption_reason",
            "okoliczności",
        ),
        ({"exemption_amount": "50.00"}, "exemption", "bez wybrania zwolnienia"),
    ],
)
def test_bad_exemption_input_is_refused_at_its_field_and_nothing_is_saved(
    staff: Any, stay: Stay, client_for: Any, extra: dict[str, str], field: str, words: str
) -> None:
    resp = _post(client_for(staff.clerk), stay, **extra)
    assert resp.status_code == 422
    errors = resp.context["fee97_form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert not FeeArrangement.objects.filter(stay=stay).exists()


def test_no_exemption_when_the_person_pays_nothing(staff: Any, stay: Stay, travel: Any) -> None:
    with pytest.raises(ValidationFailed) as e:  # art. 97 ust. 1: income within the criterion
        services.fee_set_art97(stay=stay, valid_from=date(2026, 12, 1),
                               household_income=Decimal("900.00"), household_size=1,
                               actor=staff.clerk, now=travel("2026-12-02"),
                               exemption="calkowite", exemption_requested_on=date(2026, 12, 1),
                               exemption_reason="x")  # fmt: skip
    assert e.value.field == "exemption" and "nie ponosi opłaty" in e.value.message
    assert not FeeArrangement.objects.filter(stay=stay).exists()


@pytest.mark.parametrize("who", ["finance", "analyst", "worker2"])
def test_who_may_not_manage_the_stay_cannot_grant_an_exemption(
    staff: Any, stay: Stay, client_for: Any, who: str
) -> None:
    # Deny by default: finance sees the money, an analyst the register, a worker of another
    # unit her own facilities — none of them sets a resident's fee, exempt or not.
    resp = _post(client_for(getattr(staff, who)), stay, exemption="calkowite",
                 exemption_requested_on="2026-11-20", exemption_reason="x")  # fmt: skip
    assert resp.status_code in (403, 404)
    assert not FeeArrangement.objects.filter(stay=stay).exists()
