"""A month's facility charge the payer did not pay becomes a receivable (należność) in the
payments register with its budget classification (issue 14; art. 60–61 and 97 u.p.s.): once
per charge (stay, month, payer) — repeating never doubles —, finance only, then paid in or
written off like every other receivable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core import dates
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import services
from ostoja.facilities.models import Charge, FeeArrangement
from ostoja.facilities.services import RelativeIn
from ostoja.facilities.tests.factories import (
    fee_decided,
    make_facility,
    placed_referral,
)
from ostoja.payments.models import Receivable
from ostoja.payments.services.receivables import (
    receivable_balance,
    receivable_repay,
    receivable_write_off,
)

pytestmark = pytest.mark.django_db
D = Decimal
FEB = date(2026, 2, 1)
URL = "/placowki/naleznosci/"


@pytest.fixture
def charges(staff: Any, travel: Any) -> dict[str, Charge]:
    """February's charges of a DPS resident (run by RO1) and a daughter; it is March now."""
    now = travel("2026-03-02")
    f = make_facility(places=2, cost="7000.00", on=date(2025, 1, 1), unit_code="ro1")
    p = make_ready_application(received_on=date(2026, 1, 5)).applicant
    r = placed_referral(person=p, actor=staff.worker, now=now, on=date(2026, 1, 16))
    stay = services.stay_admit(person=p, facility=f, on=date(2026, 1, 16), actor=staff.worker,
                               now=now, referral=r)  # fmt: skip
    fee = services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                     relatives=[RelativeIn("Anna Nowak", "corka", 1, D("4500"))],
                     actor=staff.clerk, now=now)  # fmt: skip
    fee_decided(fee, staff, date(2026, 1, 20))  # final on 4 February (art. 130 KPA)
    services.charges_build(month=FEB, now=now)
    return {c.payer_kind: c for c in Charge.objects.filter(stay=stay, month=FEB)}


def _agreed(charge: Charge, staff: Any) -> None:
    services.relative_basis_record(fee=charge.fee, relative=1, kind="umowa", number="U/1/2026",
                                   signed_on=date(2026, 1, 28), actor=staff.worker,
                                   now=dates.now())  # fmt: skip


def _post(c: Any, charge: Charge) -> Any:
    return c.post(URL, {"action": "receivable", "charge": charge.pk})


def test_unpaid_charge_becomes_a_receivable_once_art_61(
    staff: Any, charges: dict[str, Charge], client_for: Any
) -> None:
    resident = charges["mieszkaniec"]
    services.charge_pay(charge=resident, amount=D("260.00"))  # partly paid
    c = client_for(staff.finance)
    assert "Przekaż do rejestru należności" in c.get(f"{URL}?miesiac=2026-02").content.decode()
    assert _post(c, resident).status_code == 302
    resident.refresh_from_db()
    rec = Receivable.objects.get(pk=resident.receivable_id)
    assert rec.principal == D("1000.00")  # 1 260 − 260 paid
    # Income of the city (§ 0830 „Wpływy z usług”), in a field of its own with its source —
    # not the expense paragraph § 4330 of the city's top-up, and not in the reason text.
    assert rec.budget == "852 85202 §0830" and "02.2026" in rec.reason
    assert "§4330" not in rec.reason and "klasyfikacja" not in rec.reason
    assert "rozporządzenie MF z 2 marca 2010" in rec.budget_basis
    assert "klasyfikacja_dochodu_dps od 01.01.2017" in rec.budget_basis
    assert resident.budget == "852 85202 §0830" and charges["gmina"].budget == "852 85202 §4330"
    page = c.get(f"/wyplaty/naleznosci/{rec.pk}/").content.decode()
    assert "Klasyfikacja budżetowa" in page and "852 85202 §0830" in page
    assert "Wpływy z usług" in page
    assert rec.person_id == resident.stay.person_id and rec.due_date == date(2026, 2, 28)
    # Repeating (a double click, a second clerk) never doubles the receivable; the refusal
    # comes back on the charges page of February, the reason in the summary (issue 17).
    again = _post(c, resident)
    assert again.status_code == 409
    summary = again.content.decode().split("data-error-summary>", 1)[-1].split("</div>", 1)[0]
    assert "jest już w rejestrze" in summary and "nie utworzono drugiej" in summary
    assert "Należności za pobyt w placówkach — 02.2026" in again.content.decode()
    with pytest.raises(ConflictError):
        services.charge_register_receivable(charge=resident, actor=staff.finance,
                                            on=date(2026, 3, 2))  # fmt: skip
    assert Receivable.objects.count() == 1
    # The relative's charge of the same month is a receivable of its own, named after them,
    # under the agreement recorded for her share (art. 103 ust. 2).
    _agreed(charges["krewny"], staff)
    _post(c, charges["krewny"])
    rel = Receivable.objects.exclude(pk=rec.pk).get()
    assert rel.principal == D("1470.00") and rel.debtor_name.startswith("Anna Nowak")
    # Paid and written off like every other receivable; the charge takes no more payments.
    receivable_repay(receivable_id=rec.pk, paid_on=date(2026, 3, 10), amount=D("400"),
                     reference="wpłata", actor=staff.finance)  # fmt: skip
    receivable_write_off(receivable_id=rec.pk, decision_number="000009/DFK/2026",
                         decided_on=date(2026, 3, 20), amount=D("600"), actor=staff.finance)  # fmt: skip
    assert receivable_balance(rec) == 0
    with pytest.raises(ValidationFailed):
        services.charge_pay(charge=resident, amount=D("1"))


def test_city_share_paid_charge_and_running_month_are_refused(
    staff: Any, charges: dict[str, Charge]
) -> None:
    def register(charge: Charge, on: date = date(2026, 3, 1)) -> Any:
        return services.charge_register_receivable(charge=charge, actor=staff.finance, on=on)

    with pytest.raises(ValidationFailed, match="gminy"):
        register(charges["gmina"])
    with pytest.raises(ValidationFailed, match="trwa"):
        register(charges["mieszkaniec"], on=date(2026, 2, 28))  # the last day of February
    services.charge_pay(charge=charges["krewny"], amount=D("1470.00"))
    with pytest.raises(ValidationFailed, match="opłacona"):
        register(charges["krewny"])
    assert not Receivable.objects.exists()
    assert register(charges["mieszkaniec"]).receivable_id is not None  # 1 March: month over


@pytest.mark.parametrize("who", ["worker", "head", "clerk", "director", "analyst"])
def test_only_finance_registers_the_receivable(
    staff: Any, charges: dict[str, Charge], client_for: Any, who: str
) -> None:
    """The head of RO1 runs this home and sees its money, the worker is in the same unit, the
    clerk in the parent unit — none of them may put a charge in the receivables register."""
    user = getattr(staff, who)
    resp = _post(client_for(user), charges["mieszkaniec"])
    assert resp.status_code in {403, 404}
    with pytest.raises(NotPermitted):
        services.charge_register_receivable(charge=charges["mieszkaniec"], actor=user,
                                            on=date(2026, 3, 2))  # fmt: skip
    assert not Receivable.objects.exists()
    assert Charge.objects.get(pk=charges["mieszkaniec"].pk).receivable_id is None


def test_a_shelter_charge_art_97_too(staff: Any, travel: Any, client_for: Any) -> None:
    now = travel("2026-04-01")
    f = make_facility(kind="schronisko", subtypes=[], places=1, cost="1200.00",
                      on=date(2026, 1, 1), unit_code="bezdomnosc")  # fmt: skip
    person = make_ready_application(received_on=date(2026, 1, 20)).applicant
    stay = services.stay_admit(person=person, facility=f, on=date(2026, 2, 1),
                               actor=staff.clerk, now=now, legal_basis="decyzja (test)",
                               programme="IPWzB nr 2/2026")  # fmt: skip
    fee = services.fee_set_art97(stay=stay, valid_from=date(2026, 3, 1),
                                 household_income=D("1500.00"), household_size=1,
                                 actor=staff.clerk, now=now)  # fmt: skip
    services.charges_build(month=date(2026, 3, 1), now=now)
    charge = Charge.objects.get(stay=stay)
    c = client_for(staff.finance)
    # No fee decision yet (art. 97 ust. 5 u.p.s., art. 130 KPA): not a receivable to pursue —
    # the page says so instead of offering the button; a forged POST is refused.
    page = c.get(f"{URL}?miesiac=2026-03").content.decode()
    assert "czeka — opłaty nie ustalono decyzją" in page
    assert "Przekaż do rejestru należności" not in page
    refused = _post(c, charge)
    assert refused.status_code in (409, 422) and "nie ustalono decyzją" in refused.content.decode()
    decision = services.fee_decision_draft(fee=fee, actor=staff.clerk)
    refused = _post(c, charge)  # a draft is not enforceable either
    assert "nie jest jeszcze wykonalna" in refused.content.decode()
    assert not Receivable.objects.exists()
    FeeArrangement.objects.filter(pk=fee.pk).update(fee_decision=None)  # the draft is dropped
    decision.delete()
    fee.refresh_from_db()
    fee_decided(fee, staff, date(2026, 3, 2))
    _post(c, charge)
    rec = Receivable.objects.get(pk=Charge.objects.get(pk=charge.pk).receivable_id)
    assert rec.principal == D("240.00") and "art. 97" in rec.reason
    assert rec.budget == "852 85203 §0830" and "Ośrodki wsparcia" in rec.budget_basis


def test_a_supported_flat_charge_is_income_of_chapter_85220(
    staff: Any, travel: Any, client_for: Any
) -> None:
    """29 February 2028 (a leap-year month end): the flat's February charge is registered on
    1 March under the classification in force in February."""
    now = travel("2028-03-01", hour=0)  # 00:xx in Warsaw, still 29 February in UTC
    f = make_facility(kind="mieszkanie_wspomagane", subtypes=[], places=1, cost="1200.00",
                      on=date(2028, 1, 1), unit_code="bezdomnosc")  # fmt: skip
    person = make_ready_application(received_on=date(2028, 1, 20)).applicant
    stay = services.stay_admit(person=person, facility=f, on=date(2028, 2, 1),
                               actor=staff.clerk, now=now, legal_basis="decyzja (test)")  # fmt: skip
    fee = services.fee_set_art97(stay=stay, valid_from=date(2028, 2, 1),
                                 household_income=D("1500.00"), household_size=1,
                                 actor=staff.clerk, now=now)  # fmt: skip
    fee_decided(fee, staff, date(2028, 2, 1))
    services.charges_build(month=date(2028, 2, 1), now=now)
    charge = Charge.objects.get(stay=stay)
    assert charge.budget == "852 85220 §0830"
    _post(client_for(staff.finance), charge)
    rec = Receivable.objects.get(pk=Charge.objects.get(pk=charge.pk).receivable_id)
    assert rec.budget == "852 85220 §0830" and rec.due_date == date(2028, 2, 29)


def test_an_old_charge_with_the_expense_paragraph_is_registered_as_income(
    staff: Any, charges: dict[str, Charge]
) -> None:
    """A charge built before the fix carries § 4330; the receivable takes the income
    classification in force in the charge's month, whatever the charge says."""
    Charge.objects.filter(pk=charges["krewny"].pk).update(budget="852 85202 §4330")
    _agreed(charges["krewny"], staff)
    done = services.charge_register_receivable(charge=charges["krewny"], actor=staff.finance,
                                               on=date(2026, 3, 2))  # fmt: skip
    assert Receivable.objects.get(pk=done.receivable_id).budget == "852 85202 §0830"


def test_income_classification_is_dated() -> None:
    """A dated parameter: none before 1 January 2017 (refused at the field), then § 0830."""
    assert (
        services.income_classification(facility_kind="dps", on=date(2017, 1, 1)).code
        == "852 85202 §0830"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.income_classification(facility_kind="dps", on=date(2016, 12, 31))
    assert "charge" in exc.value.errors
    with pytest.raises(ValidationFailed):
        services.income_classification(facility_kind="noclegownia", on=date(2026, 1, 1))
