"""The care-order change (decyzja zmieniająca, art. 106 ust. 5 u.p.s.) from the side of an
adversarial review: a later decision outliving a quashed one, an appeal the centre accepted
itself (art. 132 KPA), a change revoked, the form drafted ahead, a paper decision's days, the
words of the reasons and a change that would reach back into the month it is drafted in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import CareOrder
from ostoja.care.tests import test_decided as _decided
from ostoja.care.tests.helpers import order_for
from ostoja.care.tests.test_fee_change import DEC7, EXTENT_AS_IS, JAN, _make_final
from ostoja.care.tests.test_fee_change import order as order  # the fixture
from ostoja.care.tests.test_order_change_extent import MORE, _appealed
from ostoja.core import dates
from ostoja.core.errors import ValidationFailed
from ostoja.decisions import services as dservices
from ostoja.decisions.choices import AppealOutcome
from ostoja.org.roles import Role

pytestmark = pytest.mark.django_db
users, worker, case = _decided.users, _decided.worker, _decided.case
FEB, APR = date(2027, 2, 1), date(2027, 4, 1)


def test_a_later_final_change_restating_a_quashed_changes_hours_keeps_them(
    order: CareOrder, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 16 § 1 and art. 138 KPA, art. 106 ust. 5 u.p.s.: the SKO quashing change A does
    not touch change B, a final decision whose ruling grants 60 h from February. The months
    after the ruling must follow B's ruling (60 h, 35 %), not the order's 40 h with B's fee."""
    a = svc.care_order_change_draft(order=order, effective_from=JAN, actor=worker, on=DEC7,
                                    **MORE)  # fmt: skip
    appeal = _appealed(a.decision, users, immediate=True)  # enforceable under rygor
    b = svc.care_order_change_draft(order=order, effective_from=FEB, actor=worker,
                                    on=date(2027, 1, 5), income=D("2500"), single=True)  # fmt: skip
    assert "w wymiarze 60 godzin miesięcznie" in b.decision.lines.get().purpose
    _make_final(b.decision, users)
    dservices.appeal_outcome_record(appeal=appeal, outcome=AppealOutcome.QUASHED,
                                    on=date(2027, 3, 10), actor=users["socjalny"])  # fmt: skip
    terms, row = sel.terms_in_force(order, APR)
    assert row is not None and row.change == b
    assert terms.fee_rate == D("35.00")
    assert terms.hours_per_month == D("60")  # B's ruling; now 40 (the order's)


def test_a_change_whose_appeal_the_centre_accepted_is_not_executed(
    order: CareOrder, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 130 § 2 and art. 132 KPA: the appealed change is never final; once the centre
    accepts the appeal (samokontrola) it must not set January's hours, and the decision
    issued on the appeal must not end the whole order."""
    a = svc.care_order_change_draft(order=order, effective_from=JAN, actor=worker, on=DEC7,
                                    **MORE)  # fmt: skip
    d = _decided._deliver(_decided._sign(a.decision, users, on=date(2026, 12, 8)), users,
                          date(2026, 12, 9))  # fmt: skip
    appeal = dservices.decision_appeal(decision=d, actor=users["socjalny"],
                                       lodged_on=date(2026, 12, 14))  # fmt: skip
    dservices.appeal_self_correct(appeal=appeal, actor=users["socjalny"], on=date(2026, 12, 16))
    assert sel.terms_in_force(order, JAN)[0].hours_per_month == D("40")  # now 60


def test_the_change_form_starts_from_the_terms_it_would_change(
    order: CareOrder, worker: Any, users: dict[str, Any], client_for: Any, travel: Any
) -> None:
    """Art. 106 ust. 5 u.p.s., art. 107 § 3 KPA: a fee change from February, drafted in
    December after a change to 60 h from January became final, must start from 60 h; the form
    is prefilled with December's 40 h, so posting it as it comes is refused at the extent
    reason (or, with a reason typed, silently cuts the hours back to 40)."""
    a = svc.care_order_change_draft(order=order, effective_from=JAN, actor=worker, on=DEC7,
                                    **MORE)  # fmt: skip
    _make_final(a.decision, users)  # final 24.12.2026
    travel("2026-12-28")
    c = client_for(worker)
    form = c.get(f"/uslugi/zlecenia/{order.pk}/").context["fee_form"]
    post = {**{k: form.initial[k] for k in EXTENT_AS_IS}, "effective_from": "2027-02",
            "income": "2500", "single": "on"}  # fmt: skip
    r = c.post(f"/uslugi/zlecenia/{order.pk}/zmiana/", post)
    assert r.status_code == 302, r.context["fee_form"].errors


def test_a_paper_day_is_not_corrected_to_before_the_paper_decision_was_issued(
    worker: Any, case: Any, make_staff: Any
) -> None:
    """Art. 130 KPA: a decision becomes final or enforceable only after it is issued. A signed
    changing decision names the paper decision as issued on 20.10.2026; correcting its
    enforceable day to 15.10.2026 must be refused — accepted now, it also locks the order:
    every later change is refused at a field its form no longer shows."""
    from ostoja.care.services.paper_day import (
        care_order_paper_day_confirm,
        care_order_paper_day_propose,
    )

    paper = order_for(worker, on=_decided.ON, case=case, decision_number="DPS-UO.8310.7.2026")
    svc.care_order_change_draft(
        order=paper, effective_from=JAN, actor=worker, on=DEC7,
        paper_issued_on=date(2026, 10, 20), hours_per_day=D("3"), hours_per_month=D("60"),
        extent_reason="Pogorszenie stanu zdrowia",
    )  # fmt: skip
    paper.refresh_from_db()
    other = make_staff("drugi_pracownik", role=Role.SOCIAL_WORKER)
    now = dates.noon(date(2026, 12, 10))
    with pytest.raises(ValidationFailed):
        row = care_order_paper_day_propose(
            order=paper, new_day=date(2026, 10, 15), reason="pomyłka", evidence="ZPO",
            actor=other, now=now, expected_version=paper.version,
        )  # fmt: skip
        care_order_paper_day_confirm(correction=row, actor=worker, now=now)


def test_the_circumstances_keep_an_acronyms_capitals(order: CareOrder, worker: Any) -> None:
    """Art. 107 § 3 KPA: the reasons quote the circumstances as typed; lower-casing the first
    letter turns „ZOL odmówił” into „zOL odmówił” in the text the client and the SKO read
    (documents.operative_points guards the same for the rygor reason)."""
    why = "ZOL odmówił przyjęcia; klientka wymaga pomocy w higienie"
    d = svc.care_order_change_draft(order=order, effective_from=JAN, actor=worker, on=DEC7,
                                    **{**MORE, "extent_reason": why}).decision  # fmt: skip
    assert "zOL" not in d.justification and "ZOL odmówił przyjęcia" in d.justification


def test_a_change_does_not_reach_back_before_it_is_issued(order: CareOrder, worker: Any) -> None:
    """Art. 106 ust. 5 u.p.s. (a change acts ex nunc, for the future only), art. 110 KPA: a
    cut to 20 h drafted on 7.12.2026 cannot set December's hours — services from 1 December
    were ordered and delivered under the 40 h then in force (hours above the new limit are
    not paid to the provider). The first month open to a change is the next one."""
    with pytest.raises(ValidationFailed):
        svc.care_order_change_draft(
            order=order, effective_from=date(2026, 12, 1), actor=worker, on=DEC7,
            hours_per_day=D("1"), hours_per_month=D("20"), extent_reason="Poprawa stanu zdrowia",
        )  # fmt: skip


def test_a_revoked_change_leaves_the_earlier_terms_and_the_order_going(
    order: CareOrder, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 106 ust. 5 u.p.s., art. 162 KPA: revoking the changing decision (uchylenie) from
    March restores the terms it changed — it does not end the services."""
    from ostoja.decisions.choices import DecisionKind

    a = svc.care_order_change_draft(order=order, effective_from=JAN, actor=worker, on=DEC7,
                                    **MORE)  # fmt: skip
    _make_final(a.decision, users)
    revocation = dservices.decision_amend_draft(
        decision=a.decision, kind=DecisionKind.REVOCATION, effective_from=date(2027, 3, 1),
        actor=worker,
    )  # fmt: skip
    _make_final(revocation, users)
    assert sel.order_end(order) is None
    assert sel.terms_in_force(order, FEB)[0].hours_per_month == D("60")
    assert sel.terms_in_force(order, date(2027, 3, 1))[0].hours_per_month == D("40")


def test_an_exemption_not_asked_for_again_ends_in_words(
    order: CareOrder, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 107 § 3 KPA: a new fee without the exemption granted before says that it no longer
    applies — the reasons never drop it in silence."""
    exempt = {"exemption": "czesciowe", "exemption_percent": D("50"),
              "exemption_requested_on": date(2026, 12, 2), "exemption_reason": "koszty leczenia"}  # fmt: skip
    a = svc.care_order_change_draft(order=order, effective_from=JAN, actor=worker, on=DEC7,
                                    income=D("1300"), single=True, **exempt)  # fmt: skip
    _make_final(a.decision, users)
    b = svc.care_order_change_draft(order=order, effective_from=date(2027, 3, 1), actor=worker,
                                    on=date(2027, 2, 10), income=D("1300"), single=True)  # fmt: skip
    assert b.fee_rate == D("10.00")
    assert (
        "bez zwolnienia przyznanego na wniosek z dnia 2 grudnia 2026 r." in b.decision.justification
    )


def test_a_cut_the_client_asked_for_may_start_this_month(order: CareOrder, worker: Any) -> None:
    """A change on the client's own request (she needs less help now) is not to her detriment
    against her will: it may start with the month it is drafted in."""
    change = svc.care_order_change_draft(
        order=order, effective_from=date(2026, 12, 1), actor=worker, on=DEC7,
        hours_per_day=D("1"), hours_per_month=D("20"), extent_reason="Córka wróciła do domu",
        requested_on=date(2026, 12, 3),
    )  # fmt: skip
    assert change.effective_from == date(2026, 12, 1)
