"""The line of an art. 97 fee decision names the kind of place (issue 14): shelter (art. 48a),
training and supported flat (art. 53) — each a catalogue line with its article, booked in its
own chapter, under its own matter (an authorisation for shelter does not cover a flat)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.decisions import services as dsvc
from ostoja.decisions.catalog import benefit
from ostoja.decisions.services.kinds import ART97_BENEFITS, decision_create_fee_art97
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import policy as p
from ostoja.facilities import services
from ostoja.facilities.tests.factories import make_facility

pytestmark = pytest.mark.django_db

# kind of place, catalogue line, its article, expense chapter, matter, fee (the law core's
# placeholder tables for 1 500 zł of a single person against a 1 200 zł place)
CASES = [
    ("schronisko", "schronienie", "art. 48a", "85203", "schronienie", "240.00"),
    ("schronisko_opieka", "schronienie", "art. 48a", "85203", "schronienie", "240.00"),
    ("mieszkanie_treningowe", "mieszkanie_treningowe", "art. 53", "85220",
     "osrodki_wsparcia_mieszkania", "120.00"),
    ("mieszkanie_wspomagane", "mieszkanie_wspomagane", "art. 53", "85220",
     "osrodki_wsparcia_mieszkania", "120.00"),
]  # fmt: skip


def _fee(staff: Any, now: Any, kind: str, on: date) -> Any:
    app = make_ready_application(received_on=on.replace(day=1))
    f = make_facility(kind=kind, subtypes=[], places=1, cost="1200.00", on=date(2026, 1, 1))
    stay = services.stay_admit(person=app.applicant, facility=f, on=on, actor=staff.clerk,
                               now=now, legal_basis="decyzja (test)",
                               programme="IPWzB nr 1/2026" if kind in p.PROGRAMME_REQUIRED
                               else "")  # fmt: skip
    return services.fee_set_art97(stay=stay, valid_from=on, household_income=Decimal("1500.00"),
                                  household_size=1, actor=staff.clerk, now=now)  # fmt: skip


@pytest.mark.parametrize(("kind", "code", "article", "chapter", "matter", "amount"), CASES)
def test_the_fee_decision_line_follows_the_kind_of_place(
    staff: Any,
    travel: Any,
    kind: str,
    code: str,
    article: str,
    chapter: str,
    matter: str,
    amount: str,
) -> None:
    now = travel("2026-11-30", hour=23)  # the last evening of a month
    fee = _fee(staff, now, kind, date(2026, 11, 2))
    d = services.fee_decision_draft_art97(fee=fee, actor=staff.clerk)
    line = d.lines.get()
    assert (line.benefit, line.amount) == (code, Decimal(amount)) == (code, fee.resident_amount)
    assert article in benefit(code).basis and benefit(code).budget.chapter == chapter
    assert d.matter == matter


def test_every_art97_kind_and_support_centre_has_a_catalogue_line() -> None:
    for kind in p.ART97_GROUPS:
        assert p.ART97_BENEFITS[kind] in ART97_BENEFITS
    for kind in ("dzienny_dom", "dom_matek", "sds"):
        assert p.ART97_BENEFITS[kind] == "osrodek_wsparcia"
        assert "art. 51" in benefit("osrodek_wsparcia").basis
    assert set(p.ART97_BENEFITS.values()) == set(ART97_BENEFITS)


def test_an_art97_decision_refuses_a_line_that_is_not_a_stay(staff: Any, travel: Any) -> None:
    """A benefit of another kind (a cash allowance, a DPS fee) is refused at the field."""
    now = travel("2026-12-01")
    fee = _fee(staff, now, "schronisko", date(2026, 11, 2))
    for wrong in ("zasilek_staly", "oplata_dps"):
        with pytest.raises(ValidationFailed) as exc:
            decision_create_fee_art97(
                case=services.case_of(fee.stay.person), addressee=fee.stay.person,
                actor=staff.clerk, amount=Decimal("10"), period_from=date(2026, 12, 1),
                place="x", confirmed=True, benefit=wrong,
            )  # fmt: skip
        assert "benefit" in exc.value.errors


def test_a_flat_decision_needs_an_authorisation_for_flats_not_for_shelter(
    staff: Any, travel: Any
) -> None:
    """The head (authorised for cash benefits and care services) checks a flat's fee decision
    but may not sign it; the director (all matters) signs it."""
    now = travel("2028-02-29")
    fee = _fee(staff, now, "mieszkanie_wspomagane", date(2028, 2, 1))
    d = services.fee_decision_draft_art97(fee=fee, actor=staff.clerk)
    d = dsvc.decision_justification_edit(
        decision=d, actor=staff.clerk, expected_version=d.version,
        text=d.justification.split("⚠")[0].strip() or "Uzasadnienie.",
    )  # fmt: skip
    d = dsvc.decision_check(decision=d, actor=staff.head, now=now)
    with pytest.raises(DomainError, match="nie obejmuje spraw: Ośrodki wsparcia, mieszkania"):
        dsvc.decision_sign(decision=d, actor=staff.head, on=date(2028, 2, 29), now=now)
    signed = dsvc.decision_sign(decision=d, actor=staff.director, on=date(2028, 2, 29), now=now)
    assert signed.is_signed and signed.lines.get().benefit == "mieszkanie_wspomagane"
