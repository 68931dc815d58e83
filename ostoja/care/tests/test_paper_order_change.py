"""A care order under a decision issued on paper (before Ostoja, or outside it) changed from a
month by a changing decision drafted in Ostoja (art. 106 ust. 5 u.p.s.): the decision names
the paper one by its number and the day it was issued — „Zmienić decyzję nr … z dnia …” —
and the new terms apply once it is enforceable (art. 130 KPA), as for a decision signed here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import CareFeeChange, CareOrder
from ostoja.care.tests import test_decided as _decided
from ostoja.care.tests.helpers import order_for
from ostoja.care.tests.test_fee_change import DEC7, EXTENT_AS_IS, JAN, _make_final, _report
from ostoja.core.errors import ValidationFailed
from ostoja.decisions import documents
from ostoja.decisions import services as dservices
from ostoja.decisions.content import content_of
from ostoja.decisions.fingerprint import content_fingerprint
from ostoja.decisions.services._common import content_hash

pytestmark = pytest.mark.django_db
users, worker, case = _decided.users, _decided.worker, _decided.case
ON = _decided.ON  # 10.11.2026
PAPER = "DPS-UO.8310.7.2026"
ISSUED = date(2026, 10, 20)
MORE = {"hours_per_day": D("3"), "hours_per_month": D("60"),
        "extent_reason": "Pogorszenie stanu zdrowia (aktualizacja wywiadu z 3.12.2026)"}  # fmt: skip


@pytest.fixture
def paper(worker: Any, case: Any) -> CareOrder:
    """An order entered with the number of a paper decision, final on 1.11.2026."""
    return order_for(worker, on=ON, case=case, decision_number=PAPER)


def _change(order: CareOrder, actor: Any, **kw: Any) -> CareFeeChange:
    return svc.care_order_change_draft(
        order=order, effective_from=JAN, actor=actor, on=DEC7, **{**MORE, **kw}
    )


def test_a_paper_decision_is_changed_by_a_decision_naming_it(
    paper: CareOrder, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 106 ust. 5 u.p.s.: the changing decision names the paper decision by number and
    date; once final its hours govern the months from January (art. 130 KPA)."""
    change = _change(paper, worker, paper_issued_on=ISSUED)
    d = change.decision
    assert d.refers_to is None and (d.refers_to_paper, d.refers_to_paper_on) == (PAPER, ISSUED)
    content = content_of(d, on=DEC7)
    text = " ".join(documents.operative_points(content))
    basis = documents.legal_basis_text(content)
    assert "art. 50 ust. 4" in basis and basis.count("art. 106 ust. 5") == 1  # cited once
    assert text.startswith(f"Zmienić decyzję nr {PAPER} z dnia 20 października 2026 r. ")
    assert "w wymiarze 60 godzin miesięcznie (3 godziny dziennie" in text
    assert f"w pozostałym zakresie decyzja nr {PAPER} z dnia 20 października 2026 r. " in text
    assert "bez jej zgody" in d.justification  # not asked for: ex officio
    # While not enforceable January keeps 40 h; final: 60 h from January, December 40 h.
    assert sel.terms_in_force(paper, JAN)[0].hours_per_month == D("40")
    _make_final(d, users)
    assert sel.terms_in_force(paper, JAN)[0].hours_per_month == D("60")
    assert sel.terms_in_force(paper, date(2026, 12, 1))[0].hours_per_month == D("40")
    jan = _report(paper, worker, JAN, "60")
    assert (jan.hours_ordered, jan.excess_hours) == (D("60"), D("0"))
    assert sel.order_end(paper) is None  # its own change does not end the order
    # A later change is not asked the paper decision's date again: it names the same one.
    later = svc.care_order_change_draft(
        order=paper, effective_from=date(2027, 3, 1), actor=worker, on=date(2027, 2, 20),
        hours_per_day=D("2"), hours_per_month=D("40"), extent_reason="Stan zdrowia poprawił się",
    )  # fmt: skip
    assert later.decision.refers_to_paper_on == ISSUED


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({}, "Podaj datę wydania decyzji papierowej nr " + PAPER),
        ({"paper_issued_on": date(2026, 11, 2)}, "nie może być późniejsza niż 01.11.2026"),
    ],
)
def test_the_paper_decisions_date_is_asked_and_checked(
    paper: CareOrder, worker: Any, kw: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _change(paper, worker, **kw)
    assert words in " ".join(exc.value.errors["paper_issued_on"]), exc.value.errors
    assert not CareFeeChange.objects.exists()


def test_a_paper_decision_without_its_enforceable_day_is_not_changed(
    worker: Any, case: Any
) -> None:
    """Art. 130 KPA: the order's months wait for the day its paper decision became final; so
    does a change of it."""
    order = order_for(worker, on=ON, case=case, decision_number=PAPER)
    CareOrder.objects.filter(pk=order.pk).update(paper_enforceable_from=None)
    order.refresh_from_db()
    with pytest.raises(ValidationFailed, match="nie wpisano dnia"):
        _change(order, worker, paper_issued_on=ISSUED)


def test_the_paper_reference_is_part_of_what_the_checker_saw(paper: CareOrder, worker: Any) -> None:
    """Four eyes: the decision changed is printed, so it is in the content's fingerprint —
    but only when set, so every decision fingerprinted before the field existed keeps its
    fingerprint."""
    d = _change(paper, worker, paper_issued_on=ISSUED).decision
    before = content_hash(d)
    type(d).objects.filter(pk=d.pk).update(refers_to_paper="DPS-UO.8310.8.2026")
    assert content_hash(d) != before
    row = {"kind": "przyznanie", "justification": "x"}
    assert content_fingerprint(row, []) == content_fingerprint(
        {**row, "refers_to_paper": "", "refers_to_paper_on": None}, []
    )


def test_the_page_drafts_a_paper_change_and_the_decision_page_names_it(
    paper: CareOrder, worker: Any, client_for: Any, travel: Any
) -> None:
    travel("2026-12-07")
    c = client_for(worker)
    page = c.get(f"/uslugi/zlecenia/{paper.pk}/").content.decode()
    assert "Data wydania zmienianej decyzji papierowej" in page
    post = {**EXTENT_AS_IS, "effective_from": "2027-01", "hours_per_month": "60",
            "hours_per_day": "3", "extent_reason": "Pogorszenie stanu zdrowia"}  # fmt: skip
    r = c.post(f"/uslugi/zlecenia/{paper.pk}/zmiana/", post)
    assert r.status_code == 422
    assert "datę wydania" in " ".join(r.context["fee_form"].errors["paper_issued_on"])
    r = c.post(f"/uslugi/zlecenia/{paper.pk}/zmiana/", {**post, "paper_issued_on": "2026-10-20"})
    assert r.status_code == 302
    d = CareFeeChange.objects.get().decision
    page = c.get(f"/decyzje/{d.pk}/").content.decode()
    assert f"nr {PAPER} z 20.10.2026 (decyzja papierowa, poza rejestrem Ostoi)" in page
    page = c.get(f"/uslugi/zlecenia/{paper.pk}/").content.decode()
    assert "Data wydania zmienianej decyzji papierowej" not in page  # a pending change: no form
    dservices.decision_discard(decision=d, actor=worker)
    page = c.get(f"/uslugi/zlecenia/{paper.pk}/").content.decode()
    assert "Data wydania zmienianej decyzji papierowej" in page  # the draft gone: asked again
