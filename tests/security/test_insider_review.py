"""Insider holes found in the review after issue 20.

1. Moving a staff member to another unit and reactivating a deactivated account widen access;
   one administrator did both alone. Now they are requests under the two-person rule
   (``RoleChange``): proposed by one administrator, confirmed by a second administrator or the
   director, never by the proposer nor by the person concerned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ostoja.core.dates import noon
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.org.roles import Role
from ostoja.payments.testing import EXPORT_NOW

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)
NOW = noon(ON)


def _update(staff: Any, actor: Any, **changes: Any) -> Any:
    from ostoja.org import services

    staff.refresh_from_db()
    user = staff.user
    user.refresh_from_db()
    data: dict[str, Any] = {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "unit": staff.unit, "position": staff.position,
        "roles": services.roles_of(user), "is_active": user.is_active,
    }  # fmt: skip
    data.update(changes)
    return services.staff_update(
        staff=staff, expected_version=staff.version, actor=actor, now=NOW, **data
    )


def test_review_unit_move_needs_second_person(
    demo_org: None, make_staff: Callable[..., Any], client_for: Any
) -> None:
    """A move to another unit is only asked for: the worker keeps the old unit until a second
    administrator confirms; the proposer cannot confirm (page or service)."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, RoleChangeStatus, StaffMember

    User = get_user_model()
    admin = User.objects.get(username="admin")
    admin2 = make_staff("rv_admin2", role=Role.ADMINISTRATOR, unit_code="organizacja")
    worker = make_staff("rv_worker", role=Role.SOCIAL_WORKER, unit_code="ro1")
    other = make_staff("rv_other", role=Role.SOCIAL_WORKER, unit_code="ro2")
    staff = StaffMember.objects.get(user=worker)
    old_unit = staff.unit
    new_unit = StaffMember.objects.get(user=other).unit
    _update(staff, admin, unit=new_unit, position="Starszy pracownik socjalny")
    staff.refresh_from_db()
    assert staff.unit == old_unit  # not moved yet
    assert staff.position == "Starszy pracownik socjalny"  # narrow fields apply at once
    change = RoleChange.objects.get(user=worker, status=RoleChangeStatus.PENDING)
    assert change.unit_before == old_unit and change.unit_after == new_unit
    with pytest.raises(NotPermitted, match="druga osoba"):
        services.role_change_confirm(change_id=change.pk, actor=admin, now=NOW)
    confirm = reverse("org:role_change_confirm", args=[change.pk])
    client_for(admin).post(confirm)
    staff.refresh_from_db()
    assert staff.unit == old_unit
    page = client_for(admin2).get(reverse("org:role_change_list")).text
    assert f"przeniesienie: {old_unit.name} → {new_unit.name}" in page
    assert client_for(admin2).post(confirm).status_code == 302
    staff.refresh_from_db()
    change.refresh_from_db()
    assert staff.unit == new_unit
    assert change.status == RoleChangeStatus.CONFIRMED and change.decided_by == admin2


def test_review_reactivation_needs_second_person_deactivation_is_immediate(
    demo_org: None, make_staff: Callable[..., Any]
) -> None:
    """Deactivating narrows access and applies at once; reactivating waits for the director."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember

    User = get_user_model()
    admin = User.objects.get(username="admin")
    director = User.objects.get(username="dyrektor")
    worker = make_staff("rv_w2", role=Role.SOCIAL_WORKER)
    staff = StaffMember.objects.get(user=worker)
    _update(staff, admin, is_active=False)
    worker.refresh_from_db()
    assert not worker.is_active
    assert not RoleChange.objects.filter(user=worker).exists()
    _update(staff, admin, is_active=True)
    worker.refresh_from_db()
    assert not worker.is_active  # still off
    change = RoleChange.objects.get(user=worker)
    assert change.reactivate and change.roles_before == change.roles_after
    services.role_change_confirm(change_id=change.pk, actor=director, now=NOW)
    worker.refresh_from_db()
    assert worker.is_active


def test_review_adversary_admin_in_two_roles_cannot_move_itself(
    demo_org: None, make_staff: Callable[..., Any]
) -> None:
    """Adversary: one person holding both the administrator's and the director's role proposes
    its own move to a district (client files) and tries to confirm it with the other hat — the
    proposer and the person concerned never confirm, whatever roles they hold."""
    from django.contrib.auth.models import Group

    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember, Unit

    boss = make_staff("rv_boss", role=Role.ADMINISTRATOR, unit_code="organizacja")
    boss.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    district = Unit.objects.get(code="ro1") if Unit.objects.filter(code="ro1").exists() else None
    if district is None:
        district = StaffMember.objects.get(user=make_staff("rv_x", unit_code="ro1")).unit
    staff = StaffMember.objects.get(user=boss)
    _update(staff, boss, unit=district)
    change = RoleChange.objects.get(user=boss)
    with pytest.raises(NotPermitted):
        services.role_change_confirm(change_id=change.pk, actor=boss, now=NOW)
    # Another administrator proposes it: the person concerned still cannot confirm.
    change.delete()
    admin = get_user_model().objects.get(username="admin")
    staff.refresh_from_db()
    assert staff.unit.code == "organizacja"
    _update(staff, admin, unit=district)
    change = RoleChange.objects.get(user=boss)
    with pytest.raises(NotPermitted):
        services.role_change_confirm(change_id=change.pk, actor=boss, now=NOW)
    staff.refresh_from_db()
    assert staff.unit.code == "organizacja"


def test_review_adversary_head_of_another_unit_cannot_confirm(
    demo_org: None, make_staff: Callable[..., Any], client_for: Any
) -> None:
    """Adversary: the head of another unit (who would gain a worker) confirms the move — 403 on
    the page, refused by the service; the move does not happen."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember

    admin = get_user_model().objects.get(username="admin")
    head2 = make_staff("rv_head2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    worker = make_staff("rv_w3", role=Role.SOCIAL_WORKER, unit_code="ro1")
    staff = StaffMember.objects.get(user=worker)
    target = StaffMember.objects.get(user=head2).unit
    _update(staff, admin, unit=target)
    change = RoleChange.objects.get(user=worker)
    confirm = reverse("org:role_change_confirm", args=[change.pk])
    assert client_for(head2).post(confirm).status_code == 403
    with pytest.raises(NotPermitted):
        services.role_change_confirm(change_id=change.pk, actor=head2, now=NOW)
    staff.refresh_from_db()
    assert staff.unit.code == "ro1"


def test_review_stale_move_is_refused(demo_org: None, make_staff: Callable[..., Any]) -> None:
    """A move confirmed after the worker's unit changed another way is refused, not applied."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember

    User = get_user_model()
    admin = User.objects.get(username="admin")
    director = User.objects.get(username="dyrektor")
    worker = make_staff("rv_w4", role=Role.SOCIAL_WORKER, unit_code="ro1")
    ro2 = StaffMember.objects.get(user=make_staff("rv_w5", unit_code="ro2")).unit
    ro3 = StaffMember.objects.get(user=make_staff("rv_w6", unit_code="ro3")).unit
    staff = StaffMember.objects.get(user=worker)
    _update(staff, admin, unit=ro2)
    StaffMember.objects.filter(pk=staff.pk).update(unit=ro3)  # e.g. restored from a backup
    change = RoleChange.objects.get(user=worker)
    with pytest.raises(DomainError, match="Jednostka pracownika zmieniła się"):
        services.role_change_confirm(change_id=change.pk, actor=director, now=NOW)


# ------------------------------------------------------------------ 2. forged statements


@pytest.fixture
def exported(demo_org: None, make_staff: Callable[..., Any]) -> Any:
    """Two transfers on a list approved and exported by ``fin_b``; ``fin_a`` and ``fin_c`` are
    other finance users, a draft list ``draft`` was never exported."""
    from ostoja.org.services import instance_settings_ensure
    from ostoja.payments import services
    from ostoja.payments.models import PaymentList
    from ostoja.payments.testing import ORDERING_NRB, make_line

    row = instance_settings_ensure()
    row.bank_account = ORDERING_NRB
    row.save()

    class Money:
        clerk = make_staff("rv_clerk", role=Role.BENEFITS_CLERK, unit_code="dps")
        fin_a = make_staff("rv_fin_a", role=Role.FINANCE, unit_code="fk")
        fin_b = make_staff("rv_fin_b", role=Role.FINANCE, unit_code="fk")

    m = Money()
    lines = [make_line(i, benefit="zasilek_staly", amount="1229.00") for i in (1, 2)]
    services.payroll_build(month="2026-11", lines=lines, actor=m.clerk, now=NOW)
    pl = PaymentList.objects.get()
    services.payment_list_approve(
        list_id=pl.id, actor=m.fin_b, execution_date=ON, expected_version=pl.version, now=NOW
    )
    m.export = services.payment_list_export(
        now=EXPORT_NOW, list_id=pl.id, fmt="pain001", actor=m.fin_b
    )
    m.list = pl
    return m


def _row(side: str, payment: Any, ref: str = "", bank_ref: str = "R1", day: str = "30") -> str:
    title = f"ZASILEK ID WYPL {ref or payment.reference}"
    return f"2026-11-{day};{side};{payment.amount};{title};{payment.account_number};X;{bank_ref}"


def test_review_statement_for_a_list_never_exported_is_refused(
    exported: Any, make_staff: Callable[..., Any]
) -> None:
    """A forged statement with the centre's account, balances that add up and the right amount
    names a payment of a list never sent to the bank: refused, nothing saved."""
    from ostoja.payments import services
    from ostoja.payments.models import Payment, PaymentList, PaymentStatus, StatementImport
    from ostoja.payments.testing import csv_statement, make_line

    services.payroll_build(
        month="2026-12",
        lines=[make_line(7, benefit="zasilek_staly", amount="900.00")],
        actor=exported.clerk,
        now=NOW,
    )
    unsent = Payment.objects.get(list=PaymentList.objects.exclude(pk=exported.list.pk).get())
    with pytest.raises(ValidationFailed, match="nigdy nie został wysłany do banku"):
        services.statement_import(
            filename="w.csv", data=csv_statement([_row("C", unsent)]), actor=exported.fin_a
        )
    assert not StatementImport.objects.exists()
    assert Payment.objects.get(pk=unsent.pk).status != PaymentStatus.RETURNED


def test_review_statement_must_match_our_message_id(exported: Any) -> None:
    """A message id in the statement must be one of ours; the one we exported passes and
    marks the payout paid (the end-to-end reference is in the stored pain.001 file)."""
    from ostoja.payments import services
    from ostoja.payments.models import Payment, PaymentStatus
    from ostoja.payments.testing import csv_statement

    p = Payment.objects.order_by("pk").first()
    content = bytes(exported.export.content)
    assert f"<EndToEndId>{p.reference}</EndToEndId>".encode() in content
    forged = _row("D", p).replace("ZASILEK", f"OSTOJA-LW{exported.list.pk}-20261120120000")
    msg = content.split(b"<MsgId>")[1].split(b"</MsgId>")[0].decode()
    if msg.endswith("20261120120000"):
        forged = forged.replace("20261120120000", "20261120120001")
    with pytest.raises(ValidationFailed, match="identyfikator komunikatu"):
        services.statement_import(
            filename="w.csv", data=csv_statement([forged]), actor=exported.fin_a
        )
    genuine = _row("D", p).replace("ZASILEK", msg)
    imp, _ = services.statement_import(
        filename="w.csv", data=csv_statement([genuine]), actor=exported.fin_a
    )
    assert imp.paid == 1 and Payment.objects.get(pk=p.pk).status == PaymentStatus.PAID


def test_review_statement_for_an_already_reconciled_payout_is_refused(exported: Any) -> None:
    """Once a statement confirmed a payout, another line confirming it again is refused (a
    forgery or a second list's statement); the same line in an overlapping file is skipped."""
    from ostoja.payments import services
    from ostoja.payments.models import Payment
    from ostoja.payments.testing import csv_statement

    p = Payment.objects.order_by("pk").first()
    services.statement_import(
        filename="w1.csv", data=csv_statement([_row("D", p, day="27")]), actor=exported.fin_a
    )
    overlap, _ = services.statement_import(
        filename="w2.csv",
        data=csv_statement([_row("D", p, day="27")], opening=Decimal("9000.00")),
        actor=exported.fin_a,
    )
    assert overlap.duplicates == 1 and overlap.paid == 0
    with pytest.raises(ValidationFailed, match="lista jest uzgodniona"):
        services.statement_import(
            filename="w3.csv",
            data=csv_statement([_row("D", p, bank_ref="R9", day="28")]),
            actor=exported.fin_a,
        )


def test_review_statement_importer_is_not_the_approver_or_exporter(exported: Any) -> None:
    """The one who approved and exported the list cannot import its statement — not for a
    named payment, not for a return matched only by account and amount."""
    from ostoja.payments import services
    from ostoja.payments.models import Payment, PaymentStatus, StatementImport
    from ostoja.payments.testing import csv_statement

    p = Payment.objects.order_by("pk").first()
    with pytest.raises(ValidationFailed, match="zasada dwóch osób"):
        services.statement_import(
            filename="w.csv", data=csv_statement([_row("C", p)]), actor=exported.fin_b
        )
    unnamed = f"2026-11-30;C;{p.amount};ZWROT RACHUNEK ZAMKNIETY;{p.account_number};X;R5"
    with pytest.raises(ValidationFailed, match="zasada dwóch osób"):
        services.statement_import(
            filename="w.csv", data=csv_statement([unnamed]), actor=exported.fin_b
        )
    assert not StatementImport.objects.exists()
    imp, _ = services.statement_import(
        filename="w.csv", data=csv_statement([_row("C", p)]), actor=exported.fin_a
    )
    assert imp.returned == 1 and Payment.objects.get(pk=p.pk).status == PaymentStatus.RETURNED
