"""Export (Elixir-O / pain.001) of approved lists, statements (MT940/CSV) with returns and
re-issue, receivables (art. 98, 104), budget plan vs execution — through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core import dates
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.decisions.lines import PaymentMethod
from ostoja.law.periods import YearMonth
from ostoja.payments import selectors, services
from ostoja.payments.formats import pain001
from ostoja.payments.models import (
    BankExport,
    ListStatus,
    Payment,
    PaymentList,
    PaymentStatus,
    StatementEntry,
)
from ostoja.payments.testing import (
    EXPORT_NOW,
    ORDERING_NRB,
    REISSUE_ON,
    csv_statement,
    decisions_know,
    make_line,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(
    clerk: Any, finance: Any, centre_account: None, monkeypatch: pytest.MonkeyPatch
) -> PaymentList:
    lines = [make_line(i, benefit="zasilek_staly", amount="1229.00") for i in (1, 2, 3)]
    decisions_know(monkeypatch, lines)  # a re-issue is read against its line (issue 21)
    services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=clerk)
    pl = PaymentList.objects.get()
    return services.payment_list_approve(
        now=dates.now(),
        list_id=pl.id,
        actor=finance,
        execution_date=date(2026, 11, 27),
        expected_version=pl.version,
    )


def test_export_twice_gives_byte_identical_file_with_hash_and_control_totals(
    approved: PaymentList, finance: Any
) -> None:
    first = services.payment_list_export(
        now=EXPORT_NOW, list_id=approved.id, fmt="elixir", actor=finance
    )
    again = services.payment_list_export(
        now=EXPORT_NOW, list_id=approved.id, fmt="elixir", actor=finance
    )
    assert bytes(first.content) == bytes(again.content) and first.pk == again.pk
    assert BankExport.objects.count() == 1
    # a fresh render of the locked list is identical too (no clock in the file)
    assert services.render_bank_file(PaymentList.objects.get(pk=approved.id), "elixir") == bytes(
        first.content
    )
    assert (first.payment_count, first.total) == (3, Decimal("3687.00"))
    content = bytes(first.content).decode("cp852")
    assert sum(int(row.split(",")[2]) for row in content.strip().split("\r\n")) == 368700
    assert f'"{ORDERING_NRB}"' in content
    assert PaymentList.objects.get(pk=approved.id).status == ListStatus.EXPORTED
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.EXPORTED}


def test_pain001_export_is_valid_against_xsd_and_stable(
    approved: PaymentList, finance: Any
) -> None:
    xml = bytes(
        services.payment_list_export(
            now=EXPORT_NOW, list_id=approved.id, fmt="pain001", actor=finance
        ).content
    )
    assert pain001.validate(xml) == []
    assert b"<CtrlSum>3687.00</CtrlSum>" in xml
    assert services.render_bank_file(PaymentList.objects.get(pk=approved.id), "pain001") == xml


def test_draft_list_cannot_be_exported(clerk: Any, finance: Any, centre_account: None) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=[make_line(1)], actor=clerk)
    with pytest.raises(DomainError, match="zatwierdzić"):
        services.payment_list_export(
            now=EXPORT_NOW, list_id=PaymentList.objects.get().id, fmt="elixir", actor=finance
        )


def test_approval_refuses_a_list_with_a_bad_account(clerk: Any, finance: Any) -> None:
    services.payroll_build(
        now=dates.now(),
        month="2026-11",
        lines=[make_line(1, account="73102026290000990201234576")],
        actor=clerk,
    )
    pl = PaymentList.objects.get()
    with pytest.raises(ValidationFailed) as exc:
        services.payment_list_approve(
            now=dates.now(),
            list_id=pl.id,
            actor=finance,
            execution_date=date(2026, 11, 10),
            expected_version=pl.version,
        )
    assert "W1-202611" in exc.value.as_list()[0]["message"]


def _mt940(ref_paid: str, ref_returned: str, account: str) -> bytes:
    return (
        ":20:ST261130/1\r\n:25:/PL"
        + ORDERING_NRB
        + "\r\n:28C:00234/001\r\n:60F:C261127PLN1500000,00\r\n"
        ":61:2611271127D1229,00NTRFNONREF//ELX0001\r\n"
        f":86:020~00VE01~20ZASILEK STALY 11/2026~21ID WYPL {ref_paid}\r\n"
        ":61:2611271127D1229,00NTRFNONREF//ELX0002\r\n"
        f":86:020~00VE01~20ZASILEK STALY 11/2026~21ID WYPL {ref_returned}\r\n"
        ":61:2611301130C1229,00NTRFNONREF//ELX0003\r\n"
        f":86:020~00VE01~20ZWROT ZASILEK STALY~21ID WYPL {ref_returned}~38PL{account}\r\n"
        ":61:2611301130C50,00NTRFNONREF//ELX0004\r\n:86:020~00VE01~20WPLATA NIEZNANA\r\n"
        ":62F:C261130PLN1498821,00\r\n"
    ).encode("cp852")


def test_statement_marks_paid_and_returned_once_then_reissue(
    approved: PaymentList, finance: Any, clerk: Any, finance2: Any
) -> None:
    services.payment_list_export(now=EXPORT_NOW, list_id=approved.id, fmt="elixir", actor=finance)
    p1, p2, _ = Payment.objects.order_by("line_id")
    data = _mt940(p1.reference, p2.reference, p2.account_number)
    imp, again = services.statement_import(filename="wyciag.sta", data=data, actor=finance2)
    assert not again and (imp.paid, imp.returned, imp.unmatched) == (2, 1, 1)
    p1.refresh_from_db()
    p2.refresh_from_db()
    assert p1.status == PaymentStatus.PAID and p1.settled_on == date(2026, 11, 27)
    assert p2.status == PaymentStatus.RETURNED and p2.returned_on == date(2026, 11, 30)
    # The same file again: recognised, nothing marked twice.
    imp2, again2 = services.statement_import(filename="wyciag.sta", data=data, actor=finance2)
    assert again2 and imp2.pk == imp.pk and StatementEntry.objects.count() == 4
    # The same lines inside another file (overlapping statements): duplicates, nothing marked.
    imp3, _ = services.statement_import(filename="inny.sta", data=data + b"\r\n", actor=finance2)
    assert (imp3.duplicates, imp3.paid, imp3.returned) == (4, 0, 0)
    # Re-issue in cash: a new payment referencing the original; the returned one is kept.
    # (Finance: these synthetic lines have no case, so no clerk has them in scope.)
    new = services.payment_reissue(
        payment_id=p2.id, method=PaymentMethod.CASH, account_number="", on=REISSUE_ON, actor=finance
    )
    assert new.reissue_of_id == p2.id and new.reference == f"{p2.reference}-P1"
    assert (
        new.list.method == "kasa"
        and new.list.status == ListStatus.DRAFT
        and new.amount == p2.amount
    )
    assert Payment.objects.get(pk=p2.pk).status == PaymentStatus.RETURNED
    with pytest.raises(DomainError):
        services.payment_reissue(
            payment_id=p2.id,
            method=PaymentMethod.CASH,
            account_number="",
            on=REISSUE_ON,
            actor=finance,
        )
    with pytest.raises(ValidationFailed):
        services.payment_reissue(
            payment_id=p1.id,
            method=PaymentMethod.TRANSFER,
            account_number="123",
            on=REISSUE_ON,
            actor=finance,
        )
    # A clerk may re-issue only the payments of cases in their scope (finding 9).
    with pytest.raises(NotPermitted):
        services.payment_reissue(
            payment_id=p2.id,
            method=PaymentMethod.CASH,
            account_number="",
            on=REISSUE_ON,
            actor=clerk,
        )


def test_csv_statement_return_matched_by_account_and_amount(
    approved: PaymentList, finance: Any, finance2: Any
) -> None:
    services.payment_list_export(now=EXPORT_NOW, list_id=approved.id, fmt="elixir", actor=finance)
    p = Payment.objects.order_by("line_id").first()
    assert p is not None
    csv = csv_statement(
        [f"2026-11-12;C;1229,00;ZWROT - RACHUNEK ZAMKNIETY;{p.account_number};X;R1"]
    )
    imp, _ = services.statement_import(filename="w.csv", data=csv, actor=finance2)
    assert imp.returned == 1
    assert StatementEntry.objects.get().matched_by == "rachunek i kwota"


def test_receivable_instalments_repayments_and_write_off_art_104(finance: Any) -> None:
    rec = services.receivable_register(
        person_id=7,
        case_id=8,
        debtor_name="Jan K.",
        decision_number="ZPS.4012.1.2026",
        decided_on=date(2026, 12, 1),
        due_date=date(2027, 1, 15),
        principal=Decimal("614.50"),
        reason="art. 98 u.p.s.",
        instalments=3,
        instalment_decision="ZPS.4012.1.2026/R",
        actor=finance,
    )
    assert [i.amount for i in rec.instalments.all()] == [
        Decimal("204.83"),
        Decimal("204.83"),
        Decimal("204.84"),
    ]
    assert [i.due_date for i in rec.instalments.all()][-1] == date(2027, 3, 15)
    services.receivable_repay(
        receivable_id=rec.id,
        paid_on=date(2027, 1, 10),
        amount=Decimal("204.83"),
        reference="KP 1",
        actor=finance,
    )
    with pytest.raises(ValidationFailed):
        services.receivable_repay(
            receivable_id=rec.id,
            paid_on=date(2027, 1, 10),
            amount=Decimal("1000"),
            reference="",
            actor=finance,
        )
    with pytest.raises(ValidationFailed):
        services.receivable_write_off(
            receivable_id=rec.id,
            decision_number="",
            decided_on=date(2027, 2, 1),
            amount=Decimal("1"),
            actor=finance,
        )
    services.receivable_write_off(
        receivable_id=rec.id,
        decision_number="ZPS.4013.1.2027",
        decided_on=date(2027, 2, 1),
        amount=Decimal("100.00"),
        actor=finance,
    )
    (row,) = selectors.receivables(person_id=7)
    assert row.balance == Decimal("309.67")
    assert selectors.balances_per_person()[0]["balance"] == Decimal("309.67")


def test_plan_vs_execution_with_commitments(approved: PaymentList, finance: Any) -> None:
    services.budget_plan_set(
        year=2026,
        chapter="85216",
        paragraph="3110",
        task_type="gmina_wlasne_obowiazkowe",
        funding="dotacja_celowa",
        amount=Decimal("20000.00"),
        actor=finance,
    )
    lines = [make_line(i, benefit="zasilek_staly", amount="1229.00") for i in (1, 2, 3)]
    (row,) = selectors.plan_vs_execution(year=2026, lines=lines, from_month=YearMonth(2026, 11))
    assert row.plan == Decimal("20000.00") and row.executed == Decimal("3687.00")
    assert row.committed == Decimal("3687.00")  # December only: November already on the list
    assert row.available == Decimal("12626.00") and row.percent == Decimal("18.4")


def test_two_equal_repayments_both_count_in_every_balance(finance: Any) -> None:
    """Two instalments of the same amount paid (and two equal write-offs): the receivables list,
    the per-person balances and the receivable's page all subtract both — a sum of distinct
    amounts would count one and overstate the debt."""
    rec = services.receivable_register(
        person_id=9, case_id=None, debtor_name="Anna N.", decision_number="ZPS.4012.2.2026",
        decided_on=date(2026, 12, 1), due_date=date(2027, 1, 15), principal=Decimal("400.00"),
        reason="art. 98 u.p.s.", actor=finance,
    )  # fmt: skip
    for ref in ("KP 1", "KP 2"):
        services.receivable_repay(
            receivable_id=rec.id, paid_on=date(2027, 1, 10), amount=Decimal("100.00"),
            reference=ref, actor=finance,
        )  # fmt: skip
    for number in ("ZPS.4013.1.2027", "ZPS.4013.2.2027"):
        services.receivable_write_off(
            receivable_id=rec.id, decision_number=number, decided_on=date(2027, 2, 1),
            amount=Decimal("50.00"), actor=finance,
        )  # fmt: skip
    (row,) = selectors.receivables(person_id=9)
    assert (row.repaid, row.written_off, row.balance) == (
        Decimal("200.00"), Decimal("100.00"), Decimal("100.00"),
    )  # fmt: skip
    assert selectors.receivable_detail(rec.id).balance == Decimal("100.00")
    (person,) = [d for d in selectors.balances_per_person() if d["balance"] == Decimal("100.00")]
    assert person["principal"] == Decimal("400.00")
    assert services.receivable_balance(rec) == Decimal("100.00")
