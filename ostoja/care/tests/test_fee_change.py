"""Zmiana odpłatności za usługi opiekuńcze od miesiąca, decyzją zmieniającą (art. 50 ust. 6,
art. 106 ust. 5 u.p.s., art. 130 KPA): an exemption asked for, or an income changed, after
the order started. The order and its signed decision are never edited; the new rate applies
from the month chosen once the changing decision is enforceable — until then the months keep
the old rate and no bill is issued for a month the change covers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import CareFeeChange, CareMonth, CareOrder
from ostoja.care.tests import test_decided as _decided
from ostoja.care.tests.helpers import order_for
from ostoja.core import dates
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.decisions import documents
from ostoja.decisions import services as dservices
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.content import content_of
from ostoja.org.roles import Role

pytestmark = pytest.mark.django_db
users, worker, case = _decided.users, _decided.worker, _decided.case
ON = _decided.ON  # 10.11.2026
DEC7 = date(2026, 12, 7)
JAN = date(2027, 1, 1)
EXEMPT = {
    "exemption": "czesciowe", "exemption_percent": D("50"),
    "exemption_requested_on": date(2026, 12, 2),
    "exemption_reason": "koszty leczenia po operacji biodra",
}  # fmt: skip


# The order page's change form as it comes: prefilled with the extent in force (order_for's).
EXTENT_AS_IS = {"scope": ["zakupy", "sprzatanie"], "hours_per_day": "2", "days_per_week": "5",
                "hours_per_month": "40"}  # fmt: skip


@pytest.fixture
def order(case: Any, worker: Any, users: dict[str, Any]) -> CareOrder:
    """An order from 1.11.2026 (income 1 300 zł, single: 10 % of the hourly price) whose
    decision, drafted in Ostoja with rygor natychmiastowej wykonalności, is delivered."""
    o = order_for(worker, on=ON, case=case, decision_number="")
    d = svc.care_order_decision_draft(
        order=o, actor=worker, on=ON, expected_version=o.version, immediate=True,
        immediate_reason="osoba samotna wymaga pomocy od zaraz",
    )  # fmt: skip
    _decided._deliver(_decided._sign(d, users), users)
    o.refresh_from_db()
    assert o.fee_rate == D("10.00") and sel.order_active_from(o) == date(2026, 11, 13)
    return o


def _change(order: CareOrder, actor: Any, on: date = DEC7, **kw: Any) -> CareFeeChange:
    args: dict[str, Any] = {"effective_from": JAN, "income": D("1300.00"), "single": True}
    return svc.care_order_change_draft(order=order, actor=actor, on=on, **{**args, **kw})


def _report(order: CareOrder, actor: Any, month: date, hours: str, **kw: Any) -> CareMonth:
    return svc.care_month_report(order=order, month=month, hours_delivered=D(hours), actor=actor,
                                 now=dates.noon(date(2027, 2, 2)), **kw)  # fmt: skip


def _make_final(d: Any, users: dict[str, Any]) -> None:
    _decided._deliver(_decided._sign(d, users, on=date(2026, 12, 8)), users, date(2026, 12, 9))
    d.refresh_from_db()
    dservices.decision_finalise(decision=d, actor=users["socjalny"], on=d.final_on)


def test_an_exemption_asked_for_after_the_start_is_a_changing_decision_from_a_month(
    order: CareOrder, worker: Any, users: dict[str, Any], make_staff: Any
) -> None:
    """Art. 50 ust. 6 (exemption on request) through art. 106 ust. 5 u.p.s. (a change for the
    future) and art. 130 KPA (applied once enforceable)."""
    granted = order.decision
    change = _change(order, worker, **EXEMPT)
    assert (change.rate_before, change.fee_rate) == (D("10.00"), D("5.00"))
    assert change.fee_exemption["percent"] == "50"
    d = change.decision
    assert d.kind == DecisionKind.CHANGE and d.refers_to_id == granted.pk
    assert d.effective_from == JAN
    order.refresh_from_db()
    assert order.fee_rate == D("10.00") and order.decision_id == granted.pk  # never edited
    # The document, as the client and the appeal body read it.
    points = documents.operative_points(content_of(d, on=DEC7))
    text = " ".join(points)
    assert (
        "wynosi 5% ceny jednej godziny" in text and "(po zwolnieniu częściowym na wniosek)" in text
    )
    assert text.startswith("Zmienić decyzję nr ") and " i przyznać Pan" in text
    assert (
        "Zmiana obowiązuje od dnia 1 stycznia 2027 r.; w pozostałym zakresie decyzja nr "
    ) in text
    assert "Zwolnienie częściowe z opłaty na wniosek z dnia 02.12.2026 r." in d.justification
    assert "koszty leczenia po operacji biodra" in d.justification
    assert "art. 50 ust. 6 u.p.s." in d.justification
    assert "wskazana w jej wniosku" in d.justification and "bez jej zgody" not in d.justification
    steps = [s["step"] for s in d.trace]
    assert steps[:2] == ["Decyzja zmieniana / uchylana", "Zmiana odpłatności od miesiąca"]
    # While the changing decision is not enforceable, January keeps 10 % and is not billed.
    dec = _report(order, worker, date(2026, 12, 1), "40")
    jan = _report(order, worker, JAN, "38")
    assert (dec.fee_rate, jan.fee_rate) == (D("10.00"), D("10.00"))
    clerk = make_staff("fee_clerk", role=Role.BENEFITS_CLERK)
    svc.care_month_bill(month=dec, actor=clerk, on=date(2027, 2, 2), expected_version=dec.version)
    with pytest.raises(ConflictError, match="nie jest jeszcze wykonalna"):
        svc.care_month_bill(
            month=jan, actor=clerk, on=date(2027, 2, 2), expected_version=jan.version
        )
    # Final: the January report made before is refused at billing until it is recomputed.
    _make_final(d, users)
    assert sel.terms_in_force(order, JAN)[0].fee_rate == D("5.00")
    assert sel.terms_in_force(order, date(2026, 12, 1))[0].fee_rate == D("10.00")
    jan.refresh_from_db()
    with pytest.raises(ConflictError, match="popraw"):
        svc.care_month_bill(
            month=jan, actor=clerk, on=date(2027, 2, 2), expected_version=jan.version
        )
    jan = _report(order, worker, JAN, "38", expected_version=jan.version)
    assert jan.fee_rate == D("5.00") and jan.client_fee == D("61.75")  # 38 × 32,50 × 5 %
    svc.care_month_bill(month=jan, actor=clerk, on=date(2027, 2, 2), expected_version=jan.version)
    feb = _report(order, worker, date(2027, 2, 1), "40")
    assert feb.fee_rate == D("5.00")
    # The API names each month's rate; the order's own rate stays as decided.
    from ostoja.care.api import _order_out

    out = _order_out(CareOrder.objects.get(pk=order.pk))
    assert out.fee_rate == D("10.00")
    assert [(m.month, m.fee_rate) for m in out.months] == [
        ("2026-12", D("10.00")), ("2027-01", D("5.00")), ("2027-02", D("5.00"))]  # fmt: skip


def test_a_changed_income_without_an_exemption_is_a_change_too(
    order: CareOrder, worker: Any
) -> None:
    """Art. 50 ust. 6 with art. 106 ust. 5 u.p.s.: the table's rate for the new income."""
    change = _change(order, worker, income=D("2500.00"))
    assert change.fee_rate == D("35.00") and not change.fee_exemption
    d = change.decision
    assert "wynosi 35% ceny jednej godziny" in d.lines.get().note
    assert "bez jej zgody" in d.justification  # a change of the situation, art. 106 ust. 5
    assert (
        "Dochód osoby samotnie gospodarującej wynosi obecnie 2 500,00 zł, co według tabeli "
        "odpłatności obowiązującej od 1 stycznia 2027 r. oznacza stawkę 35% ceny jednej godziny "
        "usług; dotychczas Strona ponosiła odpłatność w wysokości 10%."
    ) in d.justification


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"effective_from": date(2026, 11, 1)}, "effective_from", "późniejszy niż pierwszy"),
        ({"effective_from": date(2026, 11, 20)}, "effective_from", "późniejszy niż pierwszy"),
        ({"effective_from": date(2028, 1, 1)}, "effective_from", "okresu usług"),
        ({"effective_from": date(2026, 12, 1), "on": JAN}, "effective_from", "bieżącego"),
        ({}, "income", "taka sama"),
        ({"income": D("-1")}, "income", "ujemny"),
        ({**EXEMPT, "exemption_percent": D("100")}, "exemption_percent", "całkowite"),
        ({**EXEMPT, "exemption_requested_on": None}, "exemption_requested_on", "datę wniosku"),
    ],
)
def test_a_change_that_the_law_does_not_allow_is_refused_at_its_field(
    order: CareOrder, worker: Any, kw: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _change(order, worker, **kw)
    assert words in " ".join(exc.value.errors[field]), exc.value.errors
    assert not CareFeeChange.objects.exists()


def test_a_billed_month_or_a_pending_change_blocks_a_change(
    order: CareOrder, worker: Any, make_staff: Any
) -> None:
    """A bill is never re-rated; one change waits for its decision at a time."""
    clerk = make_staff("fee_clerk2", role=Role.BENEFITS_CLERK)
    dec = _report(order, worker, date(2026, 12, 1), "40")
    svc.care_month_bill(month=dec, actor=clerk, on=DEC7, expected_version=dec.version)
    with pytest.raises(ValidationFailed) as exc:
        _change(order, worker, effective_from=date(2026, 12, 1), **EXEMPT)
    assert "wystawiono już rachunek" in exc.value.errors["effective_from"][0]
    _change(order, worker, **EXEMPT)
    with pytest.raises(ConflictError, match="czeka na decyzję"):
        _change(order, worker, effective_from=date(2027, 3, 1), income=D("2500.00"))
    assert CareFeeChange.objects.count() == 1


def test_a_discarded_draft_takes_its_change_with_it(
    order: CareOrder, worker: Any, users: dict[str, Any]
) -> None:
    change = _change(order, worker, **EXEMPT)
    dservices.decision_discard(decision=change.decision, actor=worker)
    assert not CareFeeChange.objects.exists()
    assert _change(order, worker, **EXEMPT).fee_rate == D("5.00")  # asked again


def test_an_unsigned_decision_is_not_changed_and_a_paper_one_needs_its_date(
    worker: Any, case: Any
) -> None:
    draft = order_for(worker, on=ON, case=case, decision_number="")
    svc.care_order_decision_draft(order=draft, actor=worker, on=ON, expected_version=draft.version)
    with pytest.raises(ValidationFailed, match="nie jest jeszcze podpisana"):
        _change(draft, worker, **EXEMPT)
    # a paper decision is changed naming it by number and date (test_paper_order_change)
    paper = order_for(worker, on=ON, decision_number="DPS.8310.7.2026")
    with pytest.raises(ValidationFailed, match="datę wydania decyzji papierowej"):
        _change(paper, worker, **EXEMPT)


def test_only_a_care_worker_of_the_orders_unit_drafts_a_change(
    order: CareOrder, make_staff: Any
) -> None:
    other_unit = make_staff("fee_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    finance = make_staff("fee_fin", role=Role.FINANCE)
    for actor in (other_unit, finance):
        with pytest.raises(NotPermitted):
            _change(order, actor, **EXEMPT)
    assert not CareFeeChange.objects.exists()


def test_the_page_drafts_a_change_and_refuses_bad_input_at_its_field(
    order: CareOrder, worker: Any, client_for: Any, make_staff: Any, travel: Any
) -> None:
    travel("2026-12-07")
    c = client_for(worker)
    url = f"/uslugi/zlecenia/{order.pk}/zmiana/"
    page = c.get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert "Przygotuj decyzję zmieniającą" in page
    bad = {"effective_from": "2027-01", "income": "1300.00", "single": "on",
           "exemption": "calkowite", "exemption_requested_on": "2026-12-02", **EXTENT_AS_IS}  # fmt: skip
    r = c.post(url, bad)
    assert r.status_code == 422
    assert "okoliczności" in " ".join(r.context["fee_form"].errors["exemption_reason"])
    assert not CareFeeChange.objects.exists()
    r = c.post(url, {**bad, "exemption_reason": "zdarzenie losowe — pożar mieszkania"})
    assert r.status_code == 302
    change = CareFeeChange.objects.get()
    assert change.fee_rate == 0
    assert change.decision.lines.get().note.endswith(
        "Usługi są nieodpłatne (zwolnienie całkowite z opłaty na wniosek)."
    )
    page = c.get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert 'id="zmiany-odplatnosci"' in page and "czeka na wykonalność decyzji" in page
    assert "Przygotuj decyzję zmieniającą" not in page  # one pending at a time
    # Another unit's worker does not reach the order; a role without the right is refused.
    other = client_for(make_staff("fee_ro2p", role=Role.SOCIAL_WORKER, unit_code="ro2"))
    assert other.post(url, {**bad, "exemption_reason": "x"}).status_code == 404
    fin = client_for(make_staff("fee_finp", role=Role.FINANCE))
    assert fin.post(url, {**bad, "exemption_reason": "x"}).status_code in (403, 404)
    assert CareFeeChange.objects.count() == 1


@pytest.mark.parametrize("kind", [DecisionKind.REVOCATION, DecisionKind.CHANGE])
def test_a_revocation_or_an_outside_change_of_the_decision_ends_the_orders_months(
    order: CareOrder, worker: Any, users: dict[str, Any], client_for: Any, kind: str
) -> None:
    """Art. 106 ust. 5 u.p.s.: the decision revoked (or its terms changed through the decisions
    register, not by the order's own fee change) from 1.02.2027 — January is still settled,
    February is not, and the order's page says why."""
    amend = dservices.decision_amend_draft(
        decision=order.decision, kind=kind, effective_from=date(2027, 2, 1), actor=worker
    )
    assert sel.order_end(order) is None  # a draft ends nothing (art. 130 KPA)
    _make_final(amend, users)
    end = sel.order_end(order)
    assert end is not None and end.on == date(2027, 2, 1) and amend.number in end.by
    _report(order, worker, JAN, "40")
    with pytest.raises(ValidationFailed) as exc:
        _report(order, worker, date(2027, 2, 1), "40")
    assert "przestały obowiązywać" in exc.value.errors["month"][0]
    with pytest.raises(ValidationFailed, match="przestały obowiązywać"):
        _change(order, worker, effective_from=date(2027, 3, 1), **EXEMPT)
    page = client_for(worker).get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert 'id="order-end"' in page and amend.number in page
