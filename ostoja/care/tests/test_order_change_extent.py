"""Zmiana wymiaru lub zakresu usług od miesiąca, decyzją zmieniającą (art. 50 ust. 4 and
art. 106 ust. 5 u.p.s., art. 130 KPA): the client needs more (or fewer) hours, or other tasks,
after the order started. The order and its signed decision are never edited; the hours granted
from the month chosen follow the changing decision once it is enforceable — until then the
months keep the hours granted before and no bill is issued for a month the change covers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import CareFeeChange, CareOrder
from ostoja.care.tests import test_decided as _decided
from ostoja.care.tests.test_fee_change import (
    DEC7,
    EXTENT_AS_IS,
    JAN,
    _make_final,
    _report,
)
from ostoja.care.tests.test_fee_change import order as order  # the fixture
from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.decisions import documents
from ostoja.decisions.content import content_of
from ostoja.org.roles import Role

pytestmark = pytest.mark.django_db
users, worker, case = _decided.users, _decided.worker, _decided.case
ON = _decided.ON  # 10.11.2026
MORE = {
    "hours_per_day": D("3"), "days_per_week": 5, "hours_per_month": D("60"),
    "scope": ["zakupy", "sprzatanie", "higiena"],
    "extent_reason": "Po upadku klientka wymaga pomocy w higienie osobistej (wywiad z 3.12.2026)",
}  # fmt: skip


def _change(order: CareOrder, actor: Any, **kw: Any) -> CareFeeChange:
    return svc.care_order_change_draft(order=order, effective_from=JAN, actor=actor, on=DEC7, **kw)


def test_more_hours_asked_for_are_a_changing_decision_and_count_once_enforceable(
    order: CareOrder, worker: Any, users: dict[str, Any], make_staff: Any
) -> None:
    """Art. 50 ust. 4 (extent and scope set by the decision), art. 106 ust. 5 u.p.s. (changed
    for the future), art. 130 KPA (applied once enforceable)."""
    granted = order.decision
    change = _change(order, worker, requested_on=date(2026, 12, 3), **MORE)
    assert change.extent_changed and change.hours_per_month == D("60")
    assert change.income is None and change.fee_rate == change.rate_before == D("10.00")
    order.refresh_from_db()
    assert (order.hours_per_month, order.decision_id) == (D("40"), granted.pk)  # never edited
    d = change.decision
    text = " ".join(documents.operative_points(content_of(d, on=DEC7)))
    assert text.startswith("Zmienić decyzję nr ")
    assert "w wymiarze 60 godzin miesięcznie (3 godziny dziennie, 5 dni w tygodniu)" in text
    assert "w zakresie: zakupy, sprzątanie, pomoc w higienie" in text
    assert "wynosi 10% ceny jednej godziny" in text  # the fee in force, restated
    assert "Zmiana obowiązuje od dnia 1 stycznia 2027 r." in text
    # The reasons: the facts (before and after, and why) and that the client asked for it.
    assert "dotychczas przyznano je w wymiarze 40 godzin miesięcznie" in d.justification
    assert "po upadku klientka wymaga pomocy w higienie osobistej" in d.justification
    assert "wskazana w jej wniosku" in d.justification and "bez jej zgody" not in d.justification
    assert "Wnioskiem z dnia 3 grudnia 2026 r. Strona wystąpiła o zmianę" in d.justification
    steps = [s["step"] for s in d.trace]
    assert "Zmiana wymiaru lub zakresu usług od miesiąca" in steps
    # Before the change is enforceable January keeps 40 h granted and is not billed.
    jan = _report(order, worker, JAN, "50")
    assert (jan.hours_ordered, jan.excess_hours) == (D("40"), D("10"))
    clerk = make_staff("ext_clerk", role=Role.BENEFITS_CLERK)
    with pytest.raises(ConflictError, match=r"Warunki usług od 01\.2027"):
        svc.care_month_bill(
            month=jan, actor=clerk, on=date(2027, 2, 2), expected_version=jan.version
        )
    _make_final(d, users)
    terms, row = sel.terms_in_force(order, JAN)
    assert terms.hours_per_month == D("60") and row is not None and row.change == change
    assert sel.terms_in_force(order, date(2026, 12, 1))[0].hours_per_month == D("40")
    # The January report made before is refused at billing until it is recomputed.
    jan.refresh_from_db()
    with pytest.raises(ConflictError, match="przyznano 60 h"):
        svc.care_month_bill(
            month=jan, actor=clerk, on=date(2027, 2, 2), expected_version=jan.version
        )
    jan = _report(order, worker, JAN, "50", expected_version=jan.version)
    assert (jan.hours_ordered, jan.excess_hours) == (D("60"), D("0"))
    assert jan.client_fee == D("162.50")  # 50 h × 32,50 zł × 10 %
    svc.care_month_bill(month=jan, actor=clerk, on=date(2027, 2, 2), expected_version=jan.version)


def test_fewer_hours_ex_officio_read_as_made_without_consent(order: CareOrder, worker: Any) -> None:
    """Art. 106 ust. 5 u.p.s.: a change of the person's situation allows a change without her
    consent — the reasons say so when she did not ask."""
    less = {**MORE, "hours_per_day": D("1"), "hours_per_month": D("20"),
            "scope": ["zakupy"], "extent_reason": "Córka zamieszkała z klientką i robi jej "
            "zakupy oraz sprząta"}  # fmt: skip
    d = _change(order, worker, **less).decision
    assert "bez jej zgody" in d.justification and "wskazana w jej wniosku" not in d.justification
    assert "w wymiarze 20 godzin miesięcznie (1 godzina dziennie" in d.lines.get().purpose


def test_extent_and_fee_change_together(order: CareOrder, worker: Any) -> None:
    """One changing decision may set both: more hours and the fee for the income now (art. 50
    ust. 4 and 6 u.p.s.)."""
    change = _change(order, worker, income=D("2500.00"), single=True, **MORE)
    assert change.extent_changed and change.fee_rate > change.rate_before
    line = change.decision.lines.get()
    assert "w wymiarze 60 godzin" in line.purpose
    assert f"wynosi {change.fee_rate.normalize():f}% ceny" in line.note
    assert "Dochód osoby samotnie gospodarującej wynosi obecnie 2 500,00 zł" in (
        change.decision.justification
    )


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({**MORE, "extent_reason": " "}, "extent_reason", "okoliczności"),
        ({**MORE, "hours_per_day": D("9")}, "hours_per_day", "Najwyżej 8"),  # living alone
        ({**MORE, "hours_per_month": D("90")}, "hours_per_month", "× 5 tygodni"),
        ({**MORE, "scope": []}, "scope", "Zaznacz zakres"),
        ({**MORE, "scope": ["teleportacja"]}, "scope", "Zaznacz zakres"),
        ({**MORE, "days_per_week": 8}, "days_per_week", "od 1 do 7"),
        ({**MORE, "hours_per_month": D("0")}, "hours_per_month", "większy od zera"),
        ({**MORE, "requested_on": date(2026, 12, 8)}, "requested_on", "późniejsza"),
        ({**MORE, "extent_reason": "x" * 1001}, "extent_reason", "1000"),
        ({}, "hours_per_month", "nie miałaby czego zmienić"),
        ({"exemption": "calkowite"}, "income", "Podaj dochód"),
        ({"income": D("-1")}, "income", "ujemny"),
    ],
)
def test_a_change_of_extent_the_rules_refuse_is_refused_at_its_field(
    order: CareOrder, worker: Any, kw: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _change(order, worker, **kw)
    assert words in " ".join(exc.value.errors[field]), exc.value.errors
    assert not CareFeeChange.objects.exists()


def test_the_same_extent_given_again_is_no_change(order: CareOrder, worker: Any) -> None:
    """The page's form comes prefilled with the extent in force: sent unchanged (scope in
    another order) with no income, there is nothing to decide."""
    same = {"hours_per_day": D("2"), "days_per_week": 5, "hours_per_month": D("40"),
            "scope": ["sprzatanie", "zakupy"]}  # fmt: skip
    with pytest.raises(ValidationFailed, match="nie miałaby czego zmienić"):
        _change(order, worker, **same)


def test_the_page_changes_the_extent_and_shows_it(
    order: CareOrder, worker: Any, users: dict[str, Any], client_for: Any, travel: Any
) -> None:
    travel("2026-12-07")
    c = client_for(worker)
    url = f"/uslugi/zlecenia/{order.pk}/zmiana/"
    page = c.get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert 'name="hours_per_month" value="40' in page  # prefilled with the extent in force
    post = {**EXTENT_AS_IS, "effective_from": "2027-01", "hours_per_month": "60",
            "hours_per_day": "3"}  # fmt: skip
    r = c.post(url, post)
    assert r.status_code == 422
    assert "okoliczności" in " ".join(r.context["fee_form"].errors["extent_reason"])
    assert not CareFeeChange.objects.exists()
    r = c.post(url, {**post, "extent_reason": "Pogorszenie stanu zdrowia (wywiad z 3.12.2026)"})
    assert r.status_code == 302, r.context["fee_form"].errors if r.context else r
    change = CareFeeChange.objects.get()
    assert change.hours_per_month == D("60") and change.income is None
    page = c.get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert "60 h w miesiącu (3 h dziennie, 5 dni w tygodniu)" in page
    assert "Pogorszenie stanu zdrowia" in page and "czeka na wykonalność decyzji" in page
    # Enforceable: from January the order's page says the month's extent differs.
    _make_final(change.decision, users)
    travel("2027-01-05")
    c = client_for(worker)  # the session of a month ago has expired
    page = c.get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert "w bieżącym miesiącu w wymiarze 60 godzin miesięcznie" in page


def test_a_long_circumstance_reaches_the_reasons_whole(order: CareOrder, worker: Any) -> None:
    """Art. 107 § 3 KPA: the facts the change rests on are stated in full, however long (the
    register's 500-sign reason column keeps only their start — on PostgreSQL a longer one was
    refused)."""
    why = "Stan zdrowia klientki pogorszył się po kolejnym upadku w mieszkaniu; " * 14
    d = _change(order, worker, **{**MORE, "extent_reason": why.strip()}).decision
    assert len(why.strip()) > 900 and len(d.reason_text) == 500
    assert why.strip().rstrip(";")[1:] in d.justification


def _appealed(d: Any, users: dict[str, Any], *, immediate: bool) -> Any:
    """The changing decision signed, delivered on 9.12.2026 and appealed on 14.12.2026."""
    from ostoja.decisions import services as dservices

    if immediate:  # as the draft's edit page sets it, before the check
        type(d).objects.filter(pk=d.pk).update(immediate=True, immediate_reason="pomoc od zaraz")
        d.refresh_from_db()
    d = _decided._deliver(_decided._sign(d, users, on=date(2026, 12, 8)), users, date(2026, 12, 9))
    appeal = dservices.decision_appeal(decision=d, actor=users["socjalny"],
                                       lodged_on=date(2026, 12, 14))  # fmt: skip
    dservices.appeal_forward(appeal=appeal, actor=users["socjalny"], on=date(2026, 12, 15))
    return appeal


@pytest.mark.parametrize("immediate", [False, True], ids=["not-enforceable", "rygor"])
def test_a_change_quashed_on_appeal_leaves_the_earlier_terms_and_the_order_going(
    order: CareOrder, worker: Any, users: dict[str, Any], immediate: bool, client_for: Any
) -> None:
    """Art. 138 § 1 pkt 2 KPA: the SKO quashes the change — the decision changed stands again
    with its terms; the order is not ended, nothing waits for the quashed decision, and a new
    change may be drafted from the same month. Under rygor (art. 108 KPA) the change governed
    the months before the ruling (February, ruled on 10.02.2027); from March the 40 h again."""
    from ostoja.decisions import services as dservices
    from ostoja.decisions.choices import AppealOutcome

    change = _change(order, worker, **MORE)
    appeal = _appealed(change.decision, users, immediate=immediate)
    assert sel.pending_fee_change(order) is None if immediate else sel.pending_fee_change(order)
    dservices.appeal_outcome_record(appeal=appeal, outcome=AppealOutcome.QUASHED,
                                    on=date(2027, 2, 10), actor=users["socjalny"])  # fmt: skip
    assert sel.pending_fee_change(order) is None and sel.order_end(order) is None
    page = client_for(worker).get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert "decyzja uchylona w postępowaniu odwoławczym" in page and 'id="order-end"' not in page
    hours = {m: sel.terms_in_force(order, m)[0].hours_per_month
             for m in (JAN, date(2027, 2, 1), date(2027, 3, 1))}  # fmt: skip
    if immediate:
        assert hours == {JAN: D("60"), date(2027, 2, 1): D("60"), date(2027, 3, 1): D("40")}
    else:  # never enforceable: it governed no month
        assert set(hours.values()) == {D("40")}
    march = _report(order, worker, date(2027, 3, 1), "40")
    assert march.hours_ordered == D("40")
    again = svc.care_order_change_draft(
        order=order, effective_from=date(2027, 3, 1), actor=worker, on=date(2027, 2, 20),
        **{**MORE, "hours_per_month": D("50")},
    )  # fmt: skip
    assert again.hours_per_month == D("50")


def test_the_lists_show_the_hours_in_force_in_a_fixed_number_of_queries(
    order: CareOrder, worker: Any, users: dict[str, Any], client_for: Any, travel: Any
) -> None:
    """The orders' list and the case file's panel state the hours granted now (a changing
    decision in force, art. 106 ust. 5 u.p.s.), not the order's first — read for every order
    listed in one query, however many orders and changes there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ostoja.care.tests.helpers import order_for

    _make_final(_change(order, worker, **MORE).decision, users)
    travel("2027-01-05")
    c = client_for(worker)
    page = c.get("/uslugi/").content.decode()
    assert "60 <small>(po zmianie; w decyzji 40)</small>" in page
    panel = c.get(f"/sprawy/{order.case_id}/").content.decode()
    assert "do 60 h w miesiącu (po zmianie decyzji)" in panel

    def index_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/uslugi/").status_code == 200
        return len(ctx.captured_queries)

    before = index_queries()
    for n in (7, 8):
        paper = order_for(worker, on=ON, case=order.case, decision_number=f"DPS.8310.{n}.2026")
        svc.care_order_change_draft(
            order=paper, effective_from=date(2027, 2, 1), actor=worker, on=date(2027, 1, 5),
            paper_issued_on=date(2026, 10, 20), **MORE,
        )  # fmt: skip
    assert index_queries() == before
