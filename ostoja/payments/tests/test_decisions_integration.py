"""The money path across both contexts, with no fakes: a signed decision's lines feed the
monthly run (``decisions.selectors.payable_lines``); a change for the future mid-month
(art. 106 ust. 5 u.p.s.) cancels what is not due and proposes the overpaid part for recovery as
a real draft decision (``decisions.services.decision_recovery_draft``, art. 98 and 104 u.p.s.);
a returned transfer reaches the case timeline; the payroll command runs on this database."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from ostoja.core import dates
from ostoja.core.errors import ValidationFailed
from ostoja.decisions import services as dservices
from ostoja.decisions.choices import DecisionKind, DecisionStatus
from ostoja.decisions.lines import PaymentMethod
from ostoja.decisions.models import Decision
from ostoja.payments import services, sources
from ostoja.payments.models import (
    ListStatus,
    Overpayment,
    OverpaymentStatus,
    Payment,
    PaymentList,
    PaymentStatus,
)
from ostoja.payments.testing import EXPORT_NOW, ORDERING_NRB, REISSUE_ON, csv_statement

NRB = "61109010140000071219812874"
pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_org: None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def centre_account(demo_org: None) -> None:
    from ostoja.org.selectors import instance_settings

    obj = instance_settings()
    obj.bank_account = ORDERING_NRB
    obj.save(update_fields=["bank_account"])


def _lines(month: str) -> list[Any]:
    y, m = (int(x) for x in month.split("-"))
    start = date(y, m, 1)
    end = date(y + (m == 12), m % 12 + 1, 1)
    return sources.payable_lines(period_start=start, period_end=end)


def _signed_grant(users: dict[str, Any]) -> Decision:
    """A zasilek stały granted from 1 November 2026, delivered in person with rygor
    natychmiastowej wykonalności (art. 108 KPA), so payable at once."""
    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application("zasilek_staly", received_on=date(2026, 11, 3))
    d = dservices.decision_draft_from_application(
        application=app,
        actor=users["socjalny"],
        account_number=NRB,
        immediate=True,
        immediate_reason="zapewnienie środków na bieżące utrzymanie",
    )
    dservices.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    d = dservices.decision_sign(
        now=dates.now(), decision=d, actor=users["kierownik"], on=date(2026, 11, 5)
    )
    return dservices.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="osobiscie",
        delivered_on=date(2026, 11, 5),
        today=date(2026, 11, 5),
    )


def _approve(month: str, finance: Any) -> None:
    for pl in PaymentList.objects.filter(
        month=date.fromisoformat(f"{month}-01"), status=ListStatus.DRAFT
    ):
        services.payment_list_approve(
            now=dates.now(),
            list_id=pl.id,
            actor=finance,
            execution_date=pl.month.replace(day=10),
            expected_version=pl.version,
        )


def test_change_mid_month_drafts_a_real_recovery_decision(
    users: dict[str, Any], centre_account: None
) -> None:
    """Art. 106 ust. 5 u.p.s. (change for the future), art. 106 ust. 3 (part month),
    art. 98 ust. 1 and art. 104 u.p.s. (undue benefit → recovery decision draft)."""
    clerk, finance = users["swiadczenia"], users["ksiegowosc"]
    grant = _signed_grant(users)
    line = grant.lines.get()
    monthly = line.amount

    nov = services.payroll_build(
        now=dates.now(), month="2026-11", lines=_lines("2026-11"), actor=clerk
    )
    assert nov.created == 1 and nov.total > 0
    _approve("2026-11", finance)
    services.payroll_build(now=dates.now(), month="2026-12", lines=_lines("2026-12"), actor=clerk)

    # Revoked from 16 November (art. 106 ust. 5): with rygor, enforceable once delivered.
    revoke = dservices.decision_amend_draft(
        decision=grant,
        kind=DecisionKind.REVOCATION,
        actor=users["socjalny"],
        effective_from=date(2026, 11, 16),
        reason="Strona podjęła zatrudnienie (art. 106 ust. 5 u.p.s.).",
    )
    dservices.decision_update_draft(
        decision=revoke,
        expected_version=revoke.version,
        actor=users["socjalny"],
        immediate=True,
        immediate_reason="zapobieżenie dalszej wypłacie nienależnego świadczenia",
    )
    dservices.decision_check(now=dates.now(), decision=revoke, actor=users["kierownik"])
    dservices.decision_sign(
        now=dates.now(), decision=revoke, actor=users["kierownik"], on=date(2026, 11, 20)
    )
    # Rygor natychmiastowej wykonalności acts once the decision is delivered (art. 130 § 3 KPA).
    dservices.decision_deliver(
        decision=revoke,
        actor=users["socjalny"],
        channel="osobiscie",
        delivered_on=date(2026, 11, 20),
        today=date(2026, 11, 20),
    )

    dec_lines = _lines("2026-12")
    ended = [ln for ln in dec_lines if ln.line_id == line.pk]
    assert ended and ended[0].effective_to == date(2026, 11, 16)
    result = services.payroll_build(now=dates.now(), month="2026-12", lines=dec_lines, actor=clerk)

    # December was still open: cancelled; November was approved: 15 of 30 days overpaid.
    assert Payment.objects.get(line_id=line.pk, period_start=date(2026, 12, 1)).status == (
        PaymentStatus.CANCELLED
    )
    op = Overpayment.objects.get()
    assert op.amount == (monthly - (monthly * 15 / 30).quantize(Decimal("0.01")))
    assert op.status == OverpaymentStatus.DRAFTED and result.overpayments == 1

    recovery = Decision.objects.get(kind=DecisionKind.RECOVERY)
    assert recovery.status == DecisionStatus.DRAFTED
    assert recovery.recovery_amount == op.amount
    assert recovery.refers_to_id == grant.pk and recovery.recovery_source_lines == [line.pk]
    assert (recovery.case_id, recovery.addressee_id) == (grant.case_id, grant.addressee_id)
    assert op.recovery_draft == str(recovery.pk)
    # Running again proposes nothing twice.
    services.payroll_build(now=dates.now(), month="2026-12", lines=_lines("2026-12"), actor=clerk)
    assert Decision.objects.filter(kind=DecisionKind.RECOVERY).count() == 1


def test_recovery_from_a_command_line_run_waits_for_a_person(
    users: dict[str, Any], centre_account: None
) -> None:
    """A run from ``ostoja payroll build`` has no author for the recovery draft: the overpayment
    stays proposed and the next run by a person drafts it (art. 98 u.p.s.)."""
    clerk, finance = users["swiadczenia"], users["ksiegowosc"]
    grant = _signed_grant(users)
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines("2026-11"), actor=clerk)
    _approve("2026-11", finance)
    revoke = dservices.decision_amend_draft(
        decision=grant,
        kind=DecisionKind.REVOCATION,
        actor=users["socjalny"],
        effective_from=date(2026, 11, 16),
        reason="Strona podjęła zatrudnienie.",
    )
    dservices.decision_update_draft(
        decision=revoke,
        expected_version=revoke.version,
        actor=users["socjalny"],
        immediate=True,
        immediate_reason="zapobieżenie dalszej wypłacie nienależnego świadczenia",
    )
    dservices.decision_check(now=dates.now(), decision=revoke, actor=users["kierownik"])
    dservices.decision_sign(
        now=dates.now(), decision=revoke, actor=users["kierownik"], on=date(2026, 11, 20)
    )
    # Rygor natychmiastowej wykonalności acts once the decision is delivered (art. 130 § 3 KPA).
    dservices.decision_deliver(
        decision=revoke,
        actor=users["socjalny"],
        channel="osobiscie",
        delivered_on=date(2026, 11, 20),
        today=date(2026, 11, 20),
    )

    result = services.payroll_build(
        now=dates.now(), month="2026-12", lines=_lines("2026-12"), actor=None
    )
    assert result.overpayments == 1 and result.recovery_pending
    assert Overpayment.objects.get().status == OverpaymentStatus.PROPOSED
    assert not Decision.objects.filter(kind=DecisionKind.RECOVERY).exists()

    again = services.payroll_build(
        now=dates.now(), month="2026-12", lines=_lines("2026-12"), actor=clerk
    )
    assert again.recovery_drafts and Overpayment.objects.get().status == OverpaymentStatus.DRAFTED
    assert Decision.objects.get(kind=DecisionKind.RECOVERY).drafter == clerk


def test_returned_transfer_shows_on_the_case_timeline(
    users: dict[str, Any], centre_account: None, make_staff: Any
) -> None:
    from ostoja.cases.models import TimelineEvent
    from ostoja.org.roles import Role

    clerk, finance = users["swiadczenia"], users["ksiegowosc"]
    grant = _signed_grant(users)
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines("2026-11"), actor=clerk)
    _approve("2026-11", finance)
    pl = PaymentList.objects.get(month=date(2026, 11, 1))
    services.payment_list_export(now=EXPORT_NOW, list_id=pl.id, fmt="elixir", actor=finance)
    payment = Payment.objects.get(list=pl)
    csv = csv_statement(
        [
            f"2026-11-12;C;{payment.amount};ZWROT {payment.reference} RACHUNEK ZAMKNIETY;"
            f"{payment.account_number};X;R1"
        ]
    )
    # Imported by a second finance user: not the approver nor the exporter (reconciliation).
    second = make_staff("ksieg_zwrot", role=Role.FINANCE, unit_code="fk")
    services.statement_import(filename="wyciag.csv", data=csv, actor=second)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED
    events = TimelineEvent.objects.filter(case_id=grant.case_id, source_app="payments")
    assert any("zwr" in e.title.lower() for e in events), [e.title for e in events]


def test_payroll_command_runs_on_decisions(users: dict[str, Any], centre_account: None) -> None:
    _signed_grant(users)
    out = io.StringIO()
    call_command(
        "payroll", "build", "--month", "2026-11", "--json", stdout=out, stderr=io.StringIO()
    )
    first = json.loads(out.getvalue())
    assert (first["created"], first["skipped"]) == (1, 0) and Decimal(first["total"]) > 0
    out = io.StringIO()
    call_command(
        "payroll", "build", "--month", "2026-11", "--json", stdout=out, stderr=io.StringIO()
    )
    again = json.loads(out.getvalue())
    assert (again["created"], again["skipped"], again["total"]) == (0, 1, "0.00")


# ----------------------------------------------------------------------------- issue 21
# A returned transfer of a real signed decision is re-issued, the decision is then revoked
# from the middle of the month (art. 106 ust. 5 u.p.s.): approval of the re-issue is refused
# naming it, the next run cuts it to the days still due, and then it goes out once — the
# returned original is never paid again.


def _revoke_from_16_november(grant: Any, users: dict[str, Any]) -> None:
    revoke = dservices.decision_amend_draft(
        decision=grant, kind=DecisionKind.REVOCATION, actor=users["socjalny"],
        effective_from=date(2026, 11, 16),
        reason="Strona podjęła zatrudnienie (art. 106 ust. 5 u.p.s.).",
    )  # fmt: skip
    dservices.decision_update_draft(
        decision=revoke, expected_version=revoke.version, actor=users["socjalny"],
        immediate=True, immediate_reason="zapobieżenie dalszej wypłacie nienależnego świadczenia",
    )  # fmt: skip
    dservices.decision_check(now=dates.now(), decision=revoke, actor=users["kierownik"])
    dservices.decision_sign(
        now=dates.now(), decision=revoke, actor=users["kierownik"], on=date(2026, 11, 20)
    )
    dservices.decision_deliver(
        decision=revoke, actor=users["socjalny"], channel="osobiscie",
        delivered_on=date(2026, 11, 20), today=date(2026, 11, 20),
    )  # fmt: skip


def test_a_reissue_of_a_decision_revoked_since_is_held_then_cut_then_paid_once(
    users: dict[str, Any], centre_account: None, make_staff: Any
) -> None:
    from ostoja.org.roles import Role

    clerk, finance = users["swiadczenia"], users["ksiegowosc"]
    finance2 = make_staff("ksieg_b", role=Role.FINANCE, unit_code="fk")
    grant = _signed_grant(users)
    line = grant.lines.get()
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines("2026-11"), actor=clerk)
    _approve("2026-11", finance)
    orig = Payment.objects.get(line_id=line.pk, period_start=date(2026, 11, 1))
    Payment.objects.filter(pk=orig.pk).update(
        status=PaymentStatus.RETURNED, returned_on=date(2026, 11, 12)
    )
    new = services.payment_reissue(
        payment_id=orig.pk,
        method=PaymentMethod.CASH,
        account_number="",
        on=REISSUE_ON,
        actor=finance,
    )
    _revoke_from_16_november(grant, users)

    pl = PaymentList.objects.get(pk=new.list_id)
    with pytest.raises(ValidationFailed) as exc:
        services.payment_list_approve(
            now=dates.now(), list_id=pl.id, actor=finance2, execution_date=date(2026, 12, 10),
            expected_version=pl.version,
        )  # fmt: skip
    assert new.reference in exc.value.message and "ustało od 16.11.2026" in exc.value.message
    pl.refresh_from_db()
    assert pl.status == ListStatus.DRAFT

    services.payroll_build(now=dates.now(), month="2026-12", lines=_lines("2026-12"), actor=clerk)
    new.refresh_from_db()
    half = (line.amount * 15 / 30).quantize(Decimal("0.01"))
    assert (new.amount, new.period_end, new.status) == (
        half, date(2026, 11, 16), PaymentStatus.SCHEDULED,
    )  # fmt: skip
    pl.refresh_from_db()
    done = services.payment_list_approve(
        now=dates.now(), list_id=pl.id, actor=finance2, execution_date=date(2026, 12, 10),
        expected_version=pl.version,
    )  # fmt: skip
    assert done.status == ListStatus.APPROVED
    november = Payment.objects.filter(line_id=line.pk, period_start=date(2026, 11, 1))
    assert sorted((p.status, p.amount) for p in november) == sorted(
        [(PaymentStatus.RETURNED, orig.amount), (PaymentStatus.APPROVED, half)]
    )
