"""A fee set anew for a stay whose fee a decision already set is a decision changing that
decision (art. 106 ust. 5 u.p.s., for the future only), not a second fee decision: two
decisions would otherwise both set the fee from the later day. Read as the client and the
appeal body read it: "Zmienić decyzję nr … w ten sposób, że ustala się Panu odpłatność …",
the reasons naming what changed, the legal basis of a fee decision too."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.decisions import documents
from ostoja.decisions.content import content_of
from ostoja.decisions.models import Decision
from ostoja.facilities import services
from ostoja.facilities.services import RelativeIn
from ostoja.facilities.tests.factories import fee_decided, make_facility
from ostoja.facilities.tests.test_fee_change_charges import _resident

pytestmark = pytest.mark.django_db
D = Decimal
APR = date(2026, 4, 1)
DAUGHTER = [RelativeIn("Anna Nowak", "corka", 1, D("4500"))]


def _fees(staff: Any, travel: Any, *, income: str = "1900") -> tuple[Any, Any, Decision]:
    now = travel("2026-01-20")
    stay = _resident(staff, now)
    first = services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                             relatives=DAUGHTER, actor=staff.clerk, now=now)  # fmt: skip
    signed = fee_decided(first, staff, date(2026, 1, 20))
    now = travel("2026-03-02")
    change = services.fee_set(stay=stay, valid_from=APR, resident_income=D(income),
                              relatives=DAUGHTER, actor=staff.clerk, now=now)  # fmt: skip
    return stay, change, signed


def test_a_raised_dps_fee_is_a_changing_decision_art_106_ust_5(staff: Any, travel: Any) -> None:
    _stay, change, signed = _fees(staff, travel)
    d = services.fee_decision_draft(fee=change, actor=staff.clerk)
    assert (d.kind, d.refers_to_id, d.effective_from) == ("zmiana", signed.pk, APR)
    content = content_of(d, on=date(2026, 3, 2))
    points = documents.operative_points(content)
    ref = f"decyzję nr {signed.number} z dnia {signed.issued_on.day} stycznia 2026 r."
    assert points[0].startswith(f"Zmienić {ref} w ten sposób, że ustala się Pan")
    assert "odpłatność za pobyt w domu pomocy społecznej w kwocie 1 330,00 zł" in points[0]
    assert "od 1 kwietnia 2026 r. na czas nieokreślony." in points[0]
    assert "Odpłatność należy wnosić do 10. dnia każdego miesiąca" in points[0]
    assert points[-1].startswith("Zmiana obowiązuje od dnia 1 kwietnia 2026 r.;")
    text = " ".join(points)
    for wrong in ("przyznać", "Świadczenie płatne", "1 470,00 zł", "4 200,00 zł"):
        assert wrong not in text  # a fee is set, not granted; others' shares are information
    others = documents.fee_others(content)
    assert "Anna Nowak (córka) — 1 470,00 zł" in others and "Gmina Kielce — 4 200,00 zł" in others
    basis = documents.legal_basis_text(content)
    assert "art. 60–61" in basis and "106 ust. 1 i 5" in basis
    assert "Od dnia 1 kwietnia 2026 r. zmieniły się okoliczności" in d.justification
    assert "dochód mieszkańca — 1 800,00 zł (dotąd), 1 900,00 zł (obecnie)" in d.justification
    assert "1 330,00 zł miesięcznie (dotąd 1 260,00 zł)" in d.justification
    assert "art. 106 ust. 5 u.p.s." in d.justification
    html = documents.render_html(content)
    assert "w sprawie zmiany decyzji" in html and documents.internal_markers(text) == []


def test_the_same_fee_needs_no_changing_decision(staff: Any, travel: Any) -> None:
    _stay, change, signed = _fees(staff, travel, income="1800")  # nothing changed
    with pytest.raises(ValidationFailed, match="decyzji zmieniającej się nie wydaje") as e:
        services.fee_decision_draft(fee=change, actor=staff.clerk)
    assert e.value.field == "fee" and signed.number in e.value.message
    assert not Decision.objects.filter(kind="zmiana").exists()


def test_an_earlier_draft_is_issued_or_discarded_first(staff: Any, travel: Any) -> None:
    now = travel("2026-03-02")
    stay = _resident(staff, now)
    first = services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                             relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    services.fee_decision_draft(fee=first, actor=staff.clerk)  # a draft, unsigned
    change = services.fee_set(stay=stay, valid_from=APR, resident_income=D("1900"),
                              relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    with pytest.raises(ValidationFailed, match="jest jeszcze projektem"):
        services.fee_decision_draft(fee=change, actor=staff.clerk)
    assert Decision.objects.count() == 1


def test_a_fee_never_decided_before_gets_a_decision_of_its_own(staff: Any, travel: Any) -> None:
    now = travel("2026-03-02")
    stay = _resident(staff, now)
    services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                     relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    change = services.fee_set(stay=stay, valid_from=APR, resident_income=D("1900"),
                              relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    d = services.fee_decision_draft(fee=change, actor=staff.clerk)
    assert d.kind == "odplatnosc" and d.refers_to_id is None


def test_a_second_change_refers_to_the_decision_first_setting_the_fee(
    staff: Any, travel: Any
) -> None:
    stay, change, signed = _fees(staff, travel)
    travel("2026-03-02")
    fee_decided(change, staff, date(2026, 3, 2))  # the first change, final
    now = travel("2026-05-04")
    again = services.fee_set(stay=stay, valid_from=date(2026, 6, 1), resident_income=D("2000"),
                             relatives=DAUGHTER, actor=staff.clerk, now=now)  # fmt: skip
    d = services.fee_decision_draft(fee=again, actor=staff.clerk)
    assert d.kind == "zmiana" and d.refers_to_id == signed.pk
    assert "1 400,00 zł miesięcznie (dotąd 1 330,00 zł)" in d.justification


def test_an_art_97_fee_change_reads_the_same_way(staff: Any, travel: Any) -> None:
    from ostoja.decisions.tests.factories import make_ready_application

    now = travel("2026-01-20")
    shelter = make_facility(kind="schronisko", subtypes=[], places=1, cost="1200.00",
                            on=date(2025, 1, 1))  # fmt: skip
    person = make_ready_application(received_on=date(2026, 1, 5)).applicant
    stay = services.stay_admit(person=person, facility=shelter, on=date(2026, 1, 2),
                               actor=staff.clerk, now=now, legal_basis="decyzja (test)",
                               programme="IPWzB nr 3/2026")  # fmt: skip
    first = services.fee_set_art97(stay=stay, valid_from=date(2026, 1, 2),
                                   household_income=D("1500.00"), household_size=1,
                                   actor=staff.clerk, now=now)  # fmt: skip
    signed = fee_decided(first, staff, date(2026, 1, 20))
    now = travel("2026-03-02")
    change = services.fee_set_art97(stay=stay, valid_from=APR, household_income=D("2500.00"),
                                    household_size=1, actor=staff.clerk, now=now)  # fmt: skip
    assert change.resident_amount != first.resident_amount
    d = services.fee_decision_draft(fee=change, actor=staff.clerk)
    assert (d.kind, d.refers_to_id) == ("zmiana", signed.pk)
    [point, last] = documents.operative_points(content_of(d, on=date(2026, 3, 2)))
    assert point.startswith(f"Zmienić decyzję nr {signed.number}")
    assert "w ten sposób, że ustala się Pan" in point and "odpłatność za schronienie" in point
    assert last.startswith("Zmiana obowiązuje od dnia 1 kwietnia 2026 r.")
    assert "dochód gospodarstwa domowego — 1 500,00 zł (dotąd), 2 500,00 zł (obecnie)" in (
        d.justification
    )
    if not change.inputs.get("confirmed"):  # the council's table unconfirmed: said inside
        assert documents.internal_markers(d.justification)


def test_no_change_from_a_month_already_charged(staff: Any, travel: Any) -> None:
    """April was charged at the old rate before the raise was computed (one charge per payer
    and month): a change reaching back into it would leave them wrong — refused, named,
    nothing drafted; from May it is drafted."""
    now = travel("2026-01-20")
    stay = _resident(staff, now)
    first = services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                             relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    fee_decided(first, staff, date(2026, 1, 20))
    now = travel("2026-04-20")
    services.charges_build(month=APR, now=now)
    change = services.fee_set(stay=stay, valid_from=APR, resident_income=D("1900"),
                              relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    with pytest.raises(ValidationFailed, match=r"04\.2026 naliczono już") as e:
        services.fee_decision_draft(fee=change, actor=staff.clerk)
    assert e.value.field == "fee"
    assert not Decision.objects.filter(kind="zmiana").exists()
    may = services.fee_set(stay=stay, valid_from=date(2026, 5, 1), resident_income=D("1900"),
                           relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    assert services.fee_decision_draft(fee=may, actor=staff.clerk).kind == "zmiana"


def test_a_fee_decision_changed_from_the_register_reads_as_a_fee(staff: Any, travel: Any) -> None:
    """The register's "Zmień decyzję" (and self-correction on appeal, art. 132 KPA) copies the
    fee decision's lines into the change: they read as a fee set anew, the other payers as
    information — before, every payer's line read "… i przyznać Panu odpłatność … Świadczenie
    płatne miesięcznie"."""
    from ostoja.decisions import services as dsvc
    from ostoja.decisions.choices import DecisionKind

    _stay, _change, signed = _fees(staff, travel)
    d = dsvc.decision_amend_draft(decision=signed, kind=DecisionKind.CHANGE, effective_from=APR,
                                  actor=staff.clerk, reason="Zmiana na wniosek Strony.")  # fmt: skip
    content = content_of(d, on=date(2026, 3, 2))
    points = documents.operative_points(content)
    assert len(points) == 2 and "w ten sposób, że ustala się Pan" in points[0]
    assert "1 260,00 zł" in points[0] and "od 1 kwietnia 2026 r." in points[0]
    assert "przyznać" not in " ".join(points) and "Świadczenie płatne" not in " ".join(points)
    assert "Anna Nowak (córka) — 1 470,00 zł" in documents.fee_others(content)


def test_no_arrangement_slipped_in_before_a_later_decided_one(staff: Any, travel: Any) -> None:
    """A decided change from June, then an arrangement from April: its open-ended ruling would
    contradict June's — refused, nothing drafted."""
    stay, change, _signed = _fees(staff, travel)  # the change from April
    now = travel("2026-03-02")
    june = services.fee_set(stay=stay, valid_from=date(2026, 6, 1), resident_income=D("2000"),
                            relatives=DAUGHTER, actor=staff.clerk, now=now)  # fmt: skip
    services.fee_decision_draft(fee=june, actor=staff.clerk)
    with pytest.raises(ValidationFailed, match="nie może jej poprzedzać"):
        services.fee_decision_draft(fee=change, actor=staff.clerk)
