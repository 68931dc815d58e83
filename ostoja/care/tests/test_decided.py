"""Care granted by decision through the decisions workflow (issue 15): a care-services order
(art. 50 u.p.s.), leaving-care help (art. 88) and the integration benefit (art. 91–92). Nothing
is settled or paid before the decision is enforceable (art. 130 KPA)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.core import dates
from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.decisions import catalog
from ostoja.decisions import services as dservices
from ostoja.decisions.models import Decision
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.org.roles import Role
from ostoja.payments import services as pservices
from ostoja.payments import sources
from ostoja.payments.testing import ORDERING_NRB

from .helpers import order_for, person_of

NRB = "61109010140000071219812874"
ON = date(2026, 11, 10)
NOV = (date(2026, 11, 1), date(2026, 12, 1))
pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_org: None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from ostoja.org.selectors import instance_settings

    s = instance_settings()
    s.bank_account = ORDERING_NRB
    s.save(update_fields=["bank_account"])
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def worker(make_staff: Any, users: dict[str, Any]) -> Any:
    return make_staff("opiekun_dec", role=Role.SOCIAL_WORKER)


@pytest.fixture
def case(worker: Any) -> Any:
    """A family with an application (the decision is issued on it, art. 106 ust. 1 u.p.s.)
    and a completed community interview (art. 106 ust. 4)."""
    return make_ready_application("zasilek_celowy", worker=worker, received_on=ON).case


def _sign(d: Decision, users: dict[str, Any], *, on: date = date(2026, 11, 12)) -> Decision:
    dservices.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    return dservices.decision_sign(now=dates.now(), decision=d, actor=users["dyrektor"], on=on)


def _deliver(d: Decision, users: dict[str, Any], day: date = date(2026, 11, 13)) -> Decision:
    return dservices.decision_deliver(
        decision=d, actor=users["socjalny"], channel="osobiscie", delivered_on=day, today=day
    )


def _paid_lines(decision: Decision) -> list[Any]:
    return [
        ln
        for ln in sources.payable_lines(period_start=NOV[0], period_end=NOV[1])
        if ln.decision_id == decision.pk
    ]


def _programme(case: Any, worker: Any) -> Any:
    return svc.leaving_care_programme_create(
        person=person_of(case), case=case, unit=case.unit, institution_kind="mow",
        institution_name="MOW Kielce", left_on=date(2026, 10, 31), stay_months=30,
        guardian_name="Ewa Opiekun", goals="Mieszkanie, praca, nauka.", agreed_on=ON,
        actor=worker,
    )  # fmt: skip


def test_powiat_benefits_are_classified_in_dzial_852_and_need_their_own_authorisation():
    """Art. 88 (powiat own task, rozdział 85295) and art. 91–92 u.p.s. (powiat task
    commissioned by the state, rozdział 85231 Pomoc dla cudzoziemców), paragraph 3110."""
    for code in ("pomoc_na_usamodzielnienie", "pomoc_na_kontynuowanie_nauki"):
        b = catalog.benefit(code)
        assert (b.budget.section, b.budget.chapter, b.budget.paragraph) == ("852", "85295", "3110")
        assert b.budget.task_type == "powiat_wlasne" and b.matter == "usamodzielnienie"
    b = catalog.benefit("swiadczenie_integracyjne")
    assert (b.budget.chapter, b.budget.task_type, b.budget.funding) == (
        "85231",
        "powiat_zlecone",
        "dotacja_celowa",
    )
    assert not catalog.benefit("pomoc_na_zagospodarowanie").cash  # in kind, art. 88 ust. 1 pkt 3


def test_art_50_order_is_settled_only_once_its_decision_is_enforceable(
    case: Any, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 50 u.p.s. with art. 130 KPA: the order waits for its decision; with rygor
    natychmiastowej wykonalności (art. 108 § 1 KPA) it is active once delivered."""
    order = order_for(worker, on=ON, case=case, decision_number="")
    assert sel.order_active_from(order) is None  # waits for the decision drafted from it
    with pytest.raises(ValidationFailed) as exc:
        svc.care_month_report(
            order=order, month=ON, hours_delivered=D("10"), actor=worker,
            now=dates.noon(date(2026, 11, 30)),
        )  # fmt: skip
    assert "nie ma jeszcze decyzji" in exc.value.errors["month"][0]
    d = svc.care_order_decision_draft(
        order=order, actor=worker, on=ON, expected_version=order.version, immediate=True,
        immediate_reason="osoba samotna wymaga pomocy w codziennych czynnościach od zaraz",
    )  # fmt: skip
    order.refresh_from_db()
    assert order.decision_id == d.pk and d.lines.get().benefit == "uslugi_opiekuncze"
    assert sel.order_active_from(order) is None
    with pytest.raises(ValidationFailed) as exc:
        svc.care_month_report(
            order=order, month=ON, hours_delivered=D("10"), actor=worker,
            now=dates.noon(date(2026, 11, 30)),
        )  # fmt: skip
    assert "art. 130 KPA" in str(exc.value.errors["month"])
    _deliver(_sign(d, users), users)
    order.refresh_from_db()
    assert sel.order_active_from(order) == date(2026, 11, 13)
    month = svc.care_month_report(
        order=order, month=ON, hours_delivered=D("10"), actor=worker,
        now=dates.noon(date(2026, 11, 30)),
    )  # fmt: skip
    assert month.hours_delivered == D("10")
    with pytest.raises(ConflictError):  # one decision per order
        svc.care_order_decision_draft(
            order=order, actor=worker, on=ON, expected_version=order.version
        )


def test_art_50_order_links_the_signed_decision_with_the_typed_number(
    case: Any, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 50 u.p.s.: an order entered with the number of a decision in the register is linked
    to it; a decision granting something else is refused, naming the field."""
    first = order_for(worker, on=ON, case=case, decision_number="")
    d = _sign(
        svc.care_order_decision_draft(
            order=first, actor=worker, on=ON, expected_version=first.version
        ),
        users,
    )
    second = svc.care_order_create(
        case=case, person=person_of(case), decision_number=d.number, service_kind="uo",
        scope=["zakupy"], hours_per_day=D("2"), days_per_week=5, hours_per_month=D("40"),
        period_from=date(2026, 12, 1), period_until=date(2027, 5, 31), place="Kielce",
        living_alone=True, contract=first.contract, income=D("1300.00"), single=True,
        actor=worker, on=ON,
    )  # fmt: skip
    assert second.decision_id == d.pk and sel.order_active_from(second) is None  # not delivered
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_create(
            case=case, person=person_of(case), decision_number=d.number,
            service_kind="suo_zab", scope=["zakupy"], hours_per_day=D("2"), days_per_week=5,
            hours_per_month=D("40"), period_from=date(2026, 12, 1),
            period_until=date(2027, 5, 31), place="Kielce", living_alone=True,
            contract=first.contract, income=D("1300.00"), single=True, actor=worker, on=ON,
        )  # fmt: skip
    assert "decision_number" in exc.value.errors or "contract" in exc.value.errors


def test_art_88_independence_help_is_paid_by_the_run_only_after_finality(
    case: Any, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 88 ust. 1 pkt 1 u.p.s. (one-off, 200 % of the base for a stay of 2–3 years) and
    art. 130 § 1 KPA: nothing is paid while the appeal period runs; once final, the monthly run
    pays the amount once."""
    help = svc.leaving_care_help_compute(
        programme=_programme(case, worker), kind="usamodzielnienie", age=18, on=ON, actor=worker
    )
    d = svc.leaving_care_help_decide(help=help, actor=worker, on=ON, account_number=NRB)
    line = d.lines.get()
    assert (line.benefit, line.amount, line.one_off) == (
        "pomoc_na_usamodzielnienie",
        D("4132.00"),
        True,
    )
    assert (line.budget_chapter, line.budget_paragraph, line.task_type) == (
        "85295",
        "3110",
        "powiat_wlasne",
    )
    assert _paid_lines(d) == []  # a draft
    d = _deliver(_sign(d, users), users)
    assert _paid_lines(d) == []  # delivered, appeal period running (art. 129 § 2 KPA)
    d = dservices.decision_finalise(decision=d, actor=users["swiadczenia"], on=date(2026, 11, 30))
    paid = _paid_lines(d)
    assert len(paid) == 1 and paid[0].monthly_amount == D("4132.00")
    run = pservices.payroll_build(
        now=dates.now(), month="2026-11", lines=sources.payable_lines(
            period_start=NOV[0], period_end=NOV[1]), actor=users["swiadczenia"],
    )  # fmt: skip
    assert run.total >= D("4132.00")
    again = pservices.payroll_build(
        now=dates.now(), month="2026-11", lines=sources.payable_lines(
            period_start=NOV[0], period_end=NOV[1]), actor=users["swiadczenia"],
    )  # fmt: skip
    assert again.created == 0  # repeating the run never pays twice
    with pytest.raises(ConflictError):
        svc.leaving_care_help_decide(help=help, actor=worker, on=ON, account_number=NRB)


def test_art_88_education_help_is_monthly_until_the_end_of_schooling(
    case: Any, worker: Any
) -> None:
    """Art. 88 ust. 1 pkt 2 u.p.s.: 30 % of the base monthly while the person learns — the
    decision needs the end of schooling."""
    help = svc.leaving_care_help_compute(
        programme=_programme(case, worker), kind="kontynuowanie_nauki", age=19, on=ON,
        actor=worker,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        svc.leaving_care_help_decide(help=help, actor=worker, on=ON, account_number=NRB)
    assert "art. 88" in exc.value.errors["education_until"][0]
    d = svc.leaving_care_help_decide(
        help=help, actor=worker, on=ON, account_number=NRB, education_until=date(2027, 6, 30)
    )
    line = d.lines.get()
    assert (line.amount, line.one_off, line.period_to) == (D("619.80"), False, date(2027, 7, 1))


def test_art_91_92_integration_benefit_two_halves_paid_once_immediately_enforceable(
    case: Any, worker: Any, users: dict[str, Any]
) -> None:
    """Art. 92 u.p.s., § 3 of the regulation on help for foreigners: a family of two gets 70 %
    of the single amount per person in months 1–6 and 90 % of that in months 7–12 (art. 93:
    12 months); with rygor natychmiastowej wykonalności it is paid once delivered."""
    prog = svc.integration_programme_create(
        person=person_of(case), case=case, unit=case.unit, family_size=2,
        starts_on=date(2026, 11, 1), obligations="Nauka języka polskiego.", actor=worker,
    )  # fmt: skip
    d = svc.integration_benefit_decide(
        programme=prog, actor=worker, on=ON, expected_version=prog.version, account_number=NRB,
        immediate=True, immediate_reason="brak środków na utrzymanie rodziny",
    )  # fmt: skip
    lines = list(d.lines.order_by("position"))
    assert [(ln.amount, ln.period_from, ln.period_to) for ln in lines] == [
        (D("1926.40"), date(2026, 11, 1), date(2027, 5, 1)),  # 2 × 963,20 zł
        (D("1733.76"), date(2027, 5, 1), date(2027, 11, 1)),  # 2 × 866,88 zł
    ]
    assert all(ln.budget_chapter == "85231" for ln in lines)
    assert _paid_lines(d) == []
    d = _deliver(_sign(d, users), users)
    paid = _paid_lines(d)
    assert [p.monthly_amount for p in paid] == [D("1926.40")]


@pytest.mark.parametrize("day", [16, 20, 28])
def test_integration_benefit_paid_by_the_15th_a_later_payment_day_is_refused(
    case: Any, worker: Any, day: int
) -> None:
    """§ 3 ust. 2 of the regulation on help for foreigners (t.j. Dz.U. 2019 poz. 1946): the
    integration benefit is paid by the 15th of each month. A worker editing the draft cannot
    set a later payment day (every payment would fall due unlawfully late); the 15th itself
    and the default 10th stand; nothing is half-saved. Other benefits keep days 1–28."""
    prog = svc.integration_programme_create(
        person=person_of(case), case=case, unit=case.unit, family_size=1,
        starts_on=date(2026, 11, 1), obligations="Nauka języka polskiego.", actor=worker,
    )  # fmt: skip
    d = svc.integration_benefit_decide(
        programme=prog, actor=worker, on=ON, expected_version=prog.version, account_number=NRB
    )
    assert set(d.lines.values_list("payment_day", flat=True)) == {10}
    lines = [
        {
            "benefit": ln.benefit,
            "amount": str(ln.amount),
            "period_from": ln.period_from,
            "period_to": ln.period_to,
            "account_number": NRB,
            "payment_day": day,
        }
        for ln in d.lines.order_by("position")
    ]
    with pytest.raises(ValidationFailed) as exc:
        dservices.decision_update_draft(
            decision=d, expected_version=d.version, actor=worker, lines=lines
        )
    message = exc.value.errors["lines[0].payment_day"][0]
    assert "do 15. dnia" in message and "§ 3 ust. 2" in message and "1–15" in message
    assert set(d.lines.values_list("payment_day", flat=True)) == {10}  # nothing half-saved
    d.refresh_from_db()
    for line in lines:
        line["payment_day"] = 15
    dservices.decision_update_draft(
        decision=d, expected_version=d.version, actor=worker, lines=lines
    )
    assert set(d.lines.values_list("payment_day", flat=True)) == {15}


def test_decision_drafts_through_the_pages_name_the_field_and_show_the_state(
    case: Any, worker: Any, client_for: Any, travel: Any
) -> None:
    """Art. 50 and art. 88 u.p.s.: the order and the programme pages draft their decision;
    a missing end of schooling is refused naming the field (Polish label); the page then
    says the decision is not yet enforceable (art. 130 KPA)."""
    travel("2026-11-10")
    c = client_for(worker)
    order = order_for(worker, on=ON, case=case, decision_number="")
    r = c.post(f"/uslugi/zlecenia/{order.pk}/decyzja/", {"version": order.version}, follow=True)
    page = r.content.decode()
    assert "Przygotowano projekt decyzji" in page and "nie jest jeszcze wykonalna" in page
    order.refresh_from_db()
    assert order.decision is not None and order.decision.status == "projekt"
    prog = _programme(case, worker)
    help = svc.leaving_care_help_compute(
        programme=prog, kind="kontynuowanie_nauki", age=19, on=ON, actor=worker
    )
    url = f"/uslugi/powiat/usamodzielnienie/{prog.pk}/decyzja/"
    page = c.post(url, {"help": help.pk, "account_number": NRB}, follow=True).content.decode()
    assert "Nauka trwa do" in page and "art. 88" in page
    c.post(url, {"help": help.pk, "account_number": NRB, "education_until": "2027-06-30"})
    help.refresh_from_db()
    assert help.decision is not None and help.decision.lines.get().amount == D("619.80")
