"""A relative pays their share of a DPS fee (art. 61 ust. 1 pkt 2 u.p.s.) under a written
agreement with the head of the centre (art. 103 ust. 2) or, when they would not sign, a final
decision (services.md §1.5: both paths). The arrangement that computed the share is never
edited: the agreement is recorded beside it, once per relative, and a relative's unpaid month
goes to the receivables register only under it — its number and date are the receivable's
basis, not the resident's fee decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import selectors, services
from ostoja.facilities.models import Charge, FeeArrangement, RelativeFeeBasis
from ostoja.facilities.services import RelativeIn
from ostoja.facilities.tests.factories import fee_decided, make_facility, placed_referral
from ostoja.facilities.tests.test_fee_change_charges import _resident
from ostoja.payments.models import Receivable

pytestmark = pytest.mark.django_db
D = Decimal
FEB = date(2026, 2, 1)
CHARGES = "/placowki/naleznosci/?miesiac=2026-02"


@pytest.fixture
def fee(staff: Any, travel: Any) -> FeeArrangement:
    """A DPS resident of RO1 with a daughter above the 300 % threshold (1 470 zł a month) and a
    son below it (nothing); the fee decision final; February charged; it is March now."""
    now = travel("2026-03-02")
    stay = _resident(staff, now)
    fee = services.fee_set(
        stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
        relatives=[RelativeIn("Anna Nowak", "corka", 1, D("4500")),
                   RelativeIn("Piotr Nowak", "syn", 1, D("2000"))],
        actor=staff.clerk, now=now,
    )  # fmt: skip
    fee_decided(fee, staff, date(2026, 1, 20))
    services.charges_build(month=FEB, now=now)
    return fee


def _daughter(fee: FeeArrangement) -> Charge:
    return Charge.objects.get(stay=fee.stay, month=FEB, payer_kind="krewny")


def _record(fee: FeeArrangement, staff: Any, **kw: Any) -> RelativeFeeBasis:
    args = {"relative": 1, "kind": "umowa", "number": "DPS.4011.7.2026",
            "signed_on": date(2026, 1, 28), "actor": staff.worker, "now": kw.pop("now", None)}  # fmt: skip
    args.update(kw)
    if args["now"] is None:
        from ostoja.core.dates import now

        args["now"] = now()
    return services.relative_basis_record(fee=fee, **args)


def test_shares_computed_the_daughter_pays_the_son_does_not_art_61(fee: FeeArrangement) -> None:
    shares = selectors.relative_shares(stay=fee.stay)
    assert [(s.index, s.name, s.amount, s.basis) for s in shares] == [
        (1, "Anna Nowak", D("1470.00"), None)
    ]  # the son's income is below 300 % of the criterion: no share, no agreement to make
    assert Charge.objects.filter(stay=fee.stay, month=FEB, payer_kind="krewny").count() == 1


def test_a_relatives_unpaid_share_without_agreement_is_not_a_receivable_art_103(
    staff: Any, fee: FeeArrangement, client_for: Any
) -> None:
    charge = _daughter(fee)
    with pytest.raises(ValidationFailed, match=r"art\. 103 ust\. 2") as e:
        services.charge_register_receivable(charge=charge, actor=staff.finance,
                                            on=date(2026, 3, 2))  # fmt: skip
    assert "Anna Nowak" in e.value.message and "zapisz umowę" in e.value.message
    assert not Receivable.objects.exists()
    page = client_for(staff.finance).get(CHARGES).content.decode()
    row = page.split("Anna Nowak (Córka)", 1)[1].split("</tr>", 1)[0]
    assert "czeka — brak umowy z krewnym (art. 103 ust. 2 u.p.s.)" in row
    assert "Przekaż do rejestru" not in row
    # Through the page too: refused with the reason, nothing registered.
    resp = client_for(staff.finance).post("/placowki/naleznosci/",
                                          {"action": "receivable", "charge": charge.pk})  # fmt: skip
    assert resp.status_code == 409 and "art. 103 ust. 2" in resp.content.decode()
    assert not Receivable.objects.exists()


def test_recorded_agreement_is_the_receivables_basis(
    staff: Any, fee: FeeArrangement, client_for: Any
) -> None:
    c = client_for(staff.worker)
    stay_url = f"/placowki/pobyty/{fee.stay.pk}/"
    page = c.get(stay_url).content.decode()
    assert "Umowy z krewnymi (art. 103 ust. 2 u.p.s.)" in page and "brak umowy." in page
    key = f"{fee.pk}-1"
    resp = c.post(stay_url, {"action": "relative_basis", "share": key,
                             f"rb{key}-kind": "umowa", f"rb{key}-number": "DPS.4011.7.2026",
                             f"rb{key}-signed_on": "2026-01-28"})  # fmt: skip
    assert resp.status_code == 302
    page = c.get(stay_url).content.decode()
    assert "umowa nr DPS.4011.7.2026 z 28.01.2026 (art. 103 ust. 2 u.p.s.)" in page
    basis = RelativeFeeBasis.objects.get()
    assert (basis.fee, basis.relative, basis.created_by) == (fee, 1, staff.worker)
    assert LogEntry.objects.get_for_object(basis).filter(action=LogEntry.Action.CREATE).exists()
    # The arrangement is untouched; finance now sees the button and registers the month.
    assert FeeArrangement.objects.get(pk=fee.pk).relatives == fee.relatives
    fin = client_for(staff.finance)
    assert "Przekaż do rejestru" in fin.get(CHARGES).content.decode().split("Anna Nowak", 1)[1]
    assert fin.post("/placowki/naleznosci/",
                    {"action": "receivable", "charge": _daughter(fee).pk}).status_code == 302  # fmt: skip
    rec = Receivable.objects.get()
    assert rec.decision_number == "umowa nr DPS.4011.7.2026 z 28.01.2026"
    assert "(umowa, art. 103 ust. 2 u.p.s.)" in rec.reason
    assert rec.decided_on == date(2026, 1, 28) and rec.principal == D("1470.00")
    assert rec.debtor_name.startswith("Anna Nowak")


def test_a_final_decision_when_the_relative_would_not_sign(staff: Any, fee: FeeArrangement) -> None:
    _record(fee, staff, kind="decyzja", number="DPS.4011.9.2026", signed_on=date(2026, 2, 1))
    done = services.charge_register_receivable(charge=_daughter(fee), actor=staff.finance,
                                               on=date(2026, 3, 2))  # fmt: skip
    rec = Receivable.objects.get(pk=done.receivable_id)
    assert rec.decision_number == "decyzja nr DPS.4011.9.2026, ostateczna od 01.02.2026"
    assert "umowa" not in rec.reason


def test_an_agreement_binds_from_its_date_not_for_months_before(
    staff: Any, fee: FeeArrangement, travel: Any
) -> None:
    """Made on 15 March, the agreement does not make February's unpaid share the relative's
    debt under it — and before 15 March it did not exist at all."""
    now = travel("2026-03-20")
    _record(fee, staff, signed_on=date(2026, 3, 15), now=now)
    with pytest.raises(ValidationFailed, match="nie ustalono umową"):
        services.charge_register_receivable(charge=_daughter(fee), actor=staff.finance,
                                            on=date(2026, 3, 10))  # fmt: skip
    with pytest.raises(ValidationFailed, match=r"od 15\.03\.2026 — nie za 02\.2026"):
        services.charge_register_receivable(charge=_daughter(fee), actor=staff.finance,
                                            on=date(2026, 3, 20))  # fmt: skip
    assert not Receivable.objects.exists()
    waits = selectors.charges_month(month=FEB, on=date(2026, 3, 20)).undecided
    assert waits[_daughter(fee).pk] == "umowa z krewnym wiąże od 15.03.2026, nie za ten miesiąc"
    # March's share (built under the same arrangement) is hers under it.
    services.charges_build(month=date(2026, 3, 1), now=travel("2026-04-02"))
    march = Charge.objects.get(stay=fee.stay, month=date(2026, 3, 1), payer_kind="krewny")
    done = services.charge_register_receivable(charge=march, actor=staff.finance,
                                               on=date(2026, 4, 2))  # fmt: skip
    assert done.receivable_id is not None


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"kind": "ustna"}, "kind", "Wybierz podstawę"),
        ({"number": "  "}, "number", "Podaj numer"),
        ({"number": "X" * 41}, "number", "najwyżej 40"),
        ({"signed_on": date(2026, 3, 3)}, "signed_on", "późniejsza niż dzisiejsza"),
        ({"relative": 2}, "relative", "nie wnosi opłaty"),  # the son: no share
        ({"relative": 3}, "relative", "nie ma takiego krewnego"),
        ({"relative": 0}, "relative", "nie ma takiego krewnego"),
    ],
)
def test_bad_agreement_refused_at_its_field(
    staff: Any, fee: FeeArrangement, kw: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationFailed) as e:
        _record(fee, staff, **kw)
    assert e.value.field == field and words in e.value.message
    assert not RelativeFeeBasis.objects.exists()


def test_bad_input_on_the_page_names_the_field_and_saves_nothing(
    staff: Any, fee: FeeArrangement, client_for: Any
) -> None:
    key = f"{fee.pk}-1"
    resp = client_for(staff.worker).post(
        f"/placowki/pobyty/{fee.stay.pk}/",
        {"action": "relative_basis", "share": key, f"rb{key}-kind": "umowa",
         f"rb{key}-number": "A/1", f"rb{key}-signed_on": "2026-12-31"},
    )  # fmt: skip
    assert resp.status_code == 422
    page = resp.content.decode()
    assert f'id="rb{key}-bledy-h"' in page and "późniejsza niż dzisiejsza" in page
    assert 'value="A/1"' in page  # what was typed comes back
    assert not RelativeFeeBasis.objects.exists()


def test_once_per_relative_and_arrangement(
    staff: Any, fee: FeeArrangement, client_for: Any
) -> None:
    _record(fee, staff)
    with pytest.raises(ConflictError, match="nie zapisano drugiej"):
        _record(fee, staff, number="INNA/2")
    # The page offers no form for it any more; a replayed post is refused in the summary.
    key = f"{fee.pk}-1"
    resp = client_for(staff.worker).post(
        f"/placowki/pobyty/{fee.stay.pk}/",
        {"action": "relative_basis", "share": key, f"rb{key}-kind": "umowa",
         f"rb{key}-number": "INNA/2", f"rb{key}-signed_on": "2026-03-01"},
    )  # fmt: skip
    assert resp.status_code == 409
    assert "już zapisano: umowa nr DPS.4011.7.2026" in resp.content.decode()
    assert list(RelativeFeeBasis.objects.values_list("number", flat=True)) == ["DPS.4011.7.2026"]


@pytest.mark.parametrize("who", ["finance", "analyst", "worker2"])
def test_who_does_not_manage_the_stay_cannot_record_an_agreement(
    staff: Any, fee: FeeArrangement, client_for: Any, who: str
) -> None:
    key = f"{fee.pk}-1"
    resp = client_for(getattr(staff, who)).post(
        f"/placowki/pobyty/{fee.stay.pk}/",
        {"action": "relative_basis", "share": key, f"rb{key}-kind": "umowa",
         f"rb{key}-number": "X/1", f"rb{key}-signed_on": "2026-03-01"},
    )  # fmt: skip
    assert resp.status_code in (403, 404)
    with pytest.raises(NotPermitted):
        _record(fee, staff, actor=getattr(staff, who))
    assert not RelativeFeeBasis.objects.exists()


def test_charges_page_reads_agreements_in_one_query(
    staff: Any, fee: FeeArrangement, travel: Any
) -> None:
    """The waiting relatives are found with one query whatever their number."""

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            selectors.charges_month(month=FEB, on=date(2026, 3, 2))
        return len(q)

    before = count()
    other = make_facility(places=2, cost="6000.00", on=date(2025, 1, 1), unit_code="ro1")
    now = travel("2026-03-02")
    for n in range(3):
        p = make_ready_application(received_on=date(2026, 1, 5)).applicant
        r = placed_referral(person=p, actor=staff.worker, now=now, on=date(2026, 1, 16))
        stay = services.stay_admit(person=p, facility=other if n else fee.stay.facility,
                                   on=date(2026, 1, 16), actor=staff.worker, now=now,
                                   referral=r)  # fmt: skip
        services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                         relatives=[RelativeIn(f"Krewny {n}", "corka", 1, D("4500"))],
                         actor=staff.clerk, now=now)  # fmt: skip
    services.charges_build(month=FEB, now=now)
    assert count() == before
