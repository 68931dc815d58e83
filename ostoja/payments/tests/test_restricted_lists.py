"""Art. 18 RODO after the run: a person restricted after their payments were put on a list is
not paid while the restriction lasts — approval takes the payments off the list (to the
supplement draft list), the bank export cancels approved ones and replaces them there, both
recorded with the run's reason and audited; once lifted the money goes out once, never twice."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.law.periods import YearMonth
from ostoja.payments import selectors, services
from ostoja.payments.models import (
    BankExport,
    ListStatus,
    Payment,
    PaymentList,
    PaymentStatus,
)
from ostoja.payments.services.run import RESTRICTED_REASON
from ostoja.payments.testing import make_line
from tests.restriction import lift, restrict

pytestmark = pytest.mark.django_db

NOV = YearMonth(2026, 11)
T0 = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
PERSON = 777


def _lines() -> list[Any]:
    # One transfer list: person 777 in two roles (two decisions' lines), two other persons.
    return [
        make_line(1, amount="600.00"),
        make_line(2, amount="500.00", person_id=PERSON),
        make_line(3, amount="450.00"),
        make_line(4, amount="300.00", person_id=PERSON),
    ]


def _build(clerk: Any, at: datetime) -> Any:
    return services.payroll_build(month=NOV, lines=_lines(), actor=clerk, now=at)


def _approve(pl: PaymentList, who: Any, at: datetime) -> PaymentList:
    pl.refresh_from_db()
    return services.payment_list_approve(
        list_id=pl.id, actor=who, execution_date=date(2026, 11, 10),
        expected_version=pl.version, now=at,
    )  # fmt: skip


def _export(pl: PaymentList, who: Any, at: datetime, fmt: str = "elixir") -> BankExport:
    return services.payment_list_export(list_id=pl.id, fmt=fmt, actor=who, now=at)


def _sent_references() -> list[str]:
    """The payment references sent to the bank, one entry per list and payment (a list
    exported in both formats is sent once: the two files are alternatives)."""
    refs = list(Payment.objects.values_list("reference", flat=True))
    out: list[str] = []
    for list_id in set(BankExport.objects.values_list("list_id", flat=True)):
        found: set[str] = set()
        for export in BankExport.objects.filter(list_id=list_id):
            found |= {r for r in refs if _in_file(export, r)}
        out += sorted(found)
    return out


def _in_file(export: BankExport, reference: str) -> bool:
    """``reference`` in the file as a whole token (``W2-202611`` is not in ``W2-202611-P1``)."""
    token = re.escape(reference.encode()) + rb"(?![-\w])"
    return re.search(token, bytes(export.content)) is not None


def _live_per_key() -> dict[tuple[int, date], int]:
    rows = (
        Payment.objects.exclude(status=PaymentStatus.CANCELLED)
        .values("line_id", "period_start")
        .annotate(n=Count("id"))
    )
    return {(r["line_id"], r["period_start"]): r["n"] for r in rows}


def test_restricted_between_build_and_approval_payments_leave_the_list_and_go_out_once_lifted(
    clerk: Any, finance: Any, finance2: Any, centre_account: None
) -> None:
    _build(clerk, T0)
    pl = PaymentList.objects.get()
    assert pl.payment_count == 4
    r = restrict(PERSON, clerk, T0 + H)

    approved = _approve(pl, finance, T0 + 2 * H)
    assert approved.status == ListStatus.APPROVED
    assert (approved.payment_count, str(approved.total)) == (2, "1050.00")
    assert {(e["line"], e["person"], e["reason"]) for e in approved.restricted} == {
        (2, PERSON, RESTRICTED_REASON),
        (4, PERSON, RESTRICTED_REASON),
    }
    assert all("Kowalski" not in str(e) for e in approved.restricted)  # ids only
    supplement = PaymentList.objects.get(status=ListStatus.DRAFT)
    assert supplement.sequence == 2 and supplement.payment_count == 2
    assert set(supplement.payments.values_list("person_id", flat=True)) == {PERSON}
    assert not Payment.objects.filter(person_id=PERSON, locked=True).exists()
    entry = LogEntry.objects.get(object_pk=str(pl.pk), additional_data__reason=RESTRICTED_REASON)
    assert entry.actor == finance and entry.additional_data["persons"] == [PERSON]
    assert entry.additional_data["moved_to"] == supplement.number

    export = _export(approved, finance, T0 + 3 * H)
    assert export.payment_count == 2 and not _in_file(export, "W2-202611")

    # Adversary: the supplement cannot be approved (nor exported) while the restriction lasts.
    with pytest.raises(ValidationFailed) as exc:
        _approve(supplement, finance2, T0 + 4 * H)
    assert "art. 18 RODO" in exc.value.errors["__all__"][0]
    with pytest.raises(DomainError):
        _export(supplement, finance2, T0 + 4 * H)
    supplement.refresh_from_db()
    assert supplement.status == ListStatus.DRAFT and supplement.payment_count == 2

    lift(r, clerk, T0 + timedelta(days=1))
    _approve(supplement, finance2, T0 + timedelta(days=1, hours=1))
    second = _export(supplement, finance2, T0 + timedelta(days=1, hours=2))
    assert _in_file(second, "W2-202611") and _in_file(second, "W4-202611")
    # A repeated run and repeated exports add nothing: every due is sent exactly once.
    assert _build(clerk, T0 + timedelta(days=2)).created == 0
    _export(supplement, finance2, T0 + timedelta(days=2))
    refs = _sent_references()
    assert sorted(refs) == sorted(set(refs)) and len(refs) == 4
    assert set(_live_per_key().values()) == {1}


def test_restricted_between_approval_and_export_payments_are_cancelled_and_replaced_once(
    clerk: Any, finance: Any, finance2: Any, centre_account: None
) -> None:
    _build(clerk, T0)
    pl = _approve(PaymentList.objects.get(), finance, T0 + H)
    r = restrict(PERSON, clerk, T0 + 2 * H)

    export = _export(pl, finance, T0 + 3 * H)
    assert not _in_file(export, "W2-202611") and not _in_file(export, "W4-202611")
    assert _in_file(export, "W1-202611") and _in_file(export, "W3-202611")
    assert (export.payment_count, str(export.total)) == (2, "1050.00")
    assert {(e["line"], e["reason"], e["stage"]) for e in export.withheld} == {
        (2, RESTRICTED_REASON, "eksport"),
        (4, RESTRICTED_REASON, "eksport"),
    }
    originals = Payment.objects.filter(person_id=PERSON, reissue_of__isnull=True)
    # The approved payments are not edited: cancelled (still locked) and replaced.
    assert {(p.status, p.locked, p.list_id) for p in originals} == {
        (PaymentStatus.CANCELLED, True, pl.id)
    }
    replacements = Payment.objects.filter(person_id=PERSON, reissue_of__isnull=False)
    assert {p.reissue_of_id for p in replacements} == {p.id for p in originals}
    supplement = PaymentList.objects.get(status=ListStatus.DRAFT)
    assert {p.list_id for p in replacements} == {supplement.id}
    assert {(p.reference, str(p.amount)) for p in replacements} == {
        ("W2-202611-P1", "500.00"),
        ("W4-202611-P1", "300.00"),
    }
    entry = LogEntry.objects.get(object_pk=str(pl.pk), additional_data__stage="eksport")
    assert entry.actor == finance and entry.additional_data["persons"] == [PERSON]

    # The same list in the other format, later: nothing new is cancelled or replaced.
    other = _export(pl, finance, T0 + 4 * H, fmt="pain001")
    assert not _in_file(other, "W2-202611") and other.payment_count == 2
    assert Payment.objects.filter(person_id=PERSON).count() == 4

    with pytest.raises(ValidationFailed):
        _approve(supplement, finance2, T0 + 5 * H)  # still restricted
    lift(r, clerk, T0 + timedelta(days=1))
    # Four eyes: whoever withheld them (the replacements' maker) does not approve them.
    with pytest.raises(ValidationFailed) as exc:
        _approve(supplement, finance, T0 + timedelta(days=1, hours=1))
    assert "inna osoba" in exc.value.errors["__all__"][0]
    _approve(supplement, finance2, T0 + timedelta(days=1, hours=1))
    sent = _export(supplement, finance2, T0 + timedelta(days=1, hours=2))
    assert _in_file(sent, "W2-202611-P1") and _in_file(sent, "W4-202611-P1")
    assert _build(clerk, T0 + timedelta(days=2)).created == 0
    assert set(_live_per_key().values()) == {1}
    assert len(_sent_references()) == len(set(_sent_references()))


def test_a_restriction_lifted_before_the_export_or_starting_after_it_withholds_nothing(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    _build(clerk, T0)
    pl = _approve(PaymentList.objects.get(), finance, T0 + H)
    r = restrict(PERSON, clerk, T0 + 2 * H)
    lift(r, clerk, T0 + 3 * H)
    restrict(PERSON, clerk, T0 + 10 * H)  # a later one, not yet in force at the export
    export = _export(pl, finance, T0 + 4 * H)
    assert export.withheld == [] and export.payment_count == 4
    assert _in_file(export, "W2-202611")


def test_a_list_of_only_restricted_payments_is_refused_at_the_field_nothing_changes(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    services.payroll_build(month=NOV, lines=[make_line(2, person_id=PERSON)], actor=clerk, now=T0)
    pl = PaymentList.objects.get()
    restrict(PERSON, clerk, T0 + H)
    with pytest.raises(ValidationFailed) as exc:
        _approve(pl, finance, T0 + 2 * H)
    assert "ograniczenie przetwarzania (art. 18 RODO)" in exc.value.errors["__all__"][0]
    pl.refresh_from_db()
    assert pl.status == ListStatus.DRAFT and PaymentList.objects.count() == 1


def test_withheld_persons_are_named_only_to_users_who_may_see_them(
    clerk: Any, finance: Any, make_staff: Any, client_for: Any, centre_account: None
) -> None:
    from ostoja.org.roles import Role
    from ostoja.registry import services as registry
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.selectors import persons_visible
    from tests.factories import _street

    street = _street()

    def person(user: Any, last: str, serial: int) -> Any:
        return registry.person_create(
            data={
                "first_name": "Anna", "last_name": last,
                "pesel": make_pesel(date(1980, 1, 1), serial, "K"),
                "birth_date": date(1980, 1, 1), "sex": "K", "act_street": street,
                "act_house": "5", "act_city": "Kielce",
            },
            user=user,
            on=date(2026, 11, 2),
        )  # fmt: skip

    other = make_staff("sw_ro3", role=Role.SOCIAL_WORKER, unit_code="ro3")
    seen, unseen = person(clerk, "Widoczna", 101), person(other, "Niewidoczna", 202)
    lines = [make_line(1), make_line(2, person_id=seen.pk), make_line(3, person_id=unseen.pk)]
    services.payroll_build(month=NOV, lines=lines, actor=clerk, now=T0)
    pl = PaymentList.objects.get()
    restrict(seen.pk, clerk, T0 + H)
    restrict(unseen.pk, clerk, T0 + H)
    approved = _approve(pl, finance, T0 + 2 * H)
    assert len(approved.restricted) == 2

    as_clerk = selectors.list_restricted(pl=approved, user=clerk)
    assert [p.name for p in as_clerk.shown] == ["Anna Widoczna"] and as_clerk.hidden == 1
    as_other = selectors.list_restricted(pl=approved, user=other)
    assert [p.name for p in as_other.shown] == ["Anna Niewidoczna"] and as_other.hidden == 1

    page = client_for(finance).get(f"/wyplaty/listy/{pl.id}/").content.decode()
    assert "ograniczenie przetwarzania (art. 18 RODO)" in page
    visible = set(persons_visible(user=finance).values_list("last_name", flat=True))
    for name in ("Widoczna", "Niewidoczna"):
        assert (f"Anna {name}" in page) == (name in visible)


_STEPS = st.lists(
    st.sampled_from(["run", "restrict", "lift", "approve", "export"]), min_size=1, max_size=8
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=_STEPS)
def test_any_order_of_runs_restrictions_approvals_and_exports_sends_each_due_once(
    clerk: Any, finance: Any, finance2: Any, centre_account: None, steps: list[str]
) -> None:
    """Adversary: the run, approvals and exports in any order, with the person restricted and
    lifted in between. No file ever carries a payment of the person made while they were
    restricted; after a final lift, approval and export, every due is live once and sent once."""

    def act(fn: Any, pl: PaymentList, at: datetime) -> None:
        for who in (finance, finance2):  # the other one when four eyes refuse
            try:
                with transaction.atomic():
                    fn(pl, who, at)
                return
            except (ValidationFailed, DomainError):
                continue

    with transaction.atomic():
        restriction = None
        at = T0
        for step in steps:
            at += H
            if step == "restrict" and restriction is None:
                restriction = restrict(PERSON, clerk, at)
            elif step == "lift" and restriction is not None:
                lift(restriction, clerk, at)
                restriction = None
            elif step == "run":
                _build(clerk, at)
            elif step == "approve":
                for pl in PaymentList.objects.filter(status=ListStatus.DRAFT):
                    act(_approve, pl, at)
            elif step == "export":
                before = set(BankExport.objects.values_list("id", flat=True))
                for pl in PaymentList.objects.filter(status=ListStatus.APPROVED):
                    act(_export, pl, at)
                if restriction is not None:
                    for e in BankExport.objects.exclude(id__in=before):
                        person_refs = Payment.objects.filter(person_id=PERSON).values_list(
                            "reference", flat=True
                        )
                        assert not any(_in_file(e, ref) for ref in person_refs)
        if restriction is not None:
            lift(restriction, clerk, at + H)
        at += 2 * H
        _build(clerk, at)
        for pl in PaymentList.objects.filter(status=ListStatus.DRAFT):
            act(_approve, pl, at)
        for pl in PaymentList.objects.filter(status=ListStatus.APPROVED):
            act(_export, pl, at)
        assert set(_live_per_key().values()) == {1}
        assert set(_live_per_key()) == {(i, date(2026, 11, 1)) for i in (1, 2, 3, 4)}
        refs = _sent_references()
        assert len(refs) == len(set(refs)) == 4
        transaction.set_rollback(True)


def test_a_cash_list_payment_of_a_restricted_person_is_not_settled_nothing_marked(
    clerk: Any, finance: Any
) -> None:
    from ostoja.decisions.lines import PaymentMethod

    lines = [
        make_line(1, method=PaymentMethod.CASH, account=""),
        make_line(2, method=PaymentMethod.CASH, account="", person_id=PERSON),
    ]
    services.payroll_build(month=NOV, lines=lines, actor=clerk, now=T0)
    pl = _approve(PaymentList.objects.get(), finance, T0 + H)
    r = restrict(PERSON, clerk, T0 + 2 * H)
    ids = list(pl.payments.values_list("id", flat=True))
    with pytest.raises(ValidationFailed) as exc:
        services.cash_list_settle(
            list_id=pl.id, paid_on=date(2026, 11, 10), payment_ids=ids, actor=finance,
            now=T0 + 3 * H,
        )  # fmt: skip
    assert "W2-202611" in exc.value.errors["payment_ids"][0]
    assert "art. 18 RODO" in exc.value.errors["payment_ids"][0]
    assert not Payment.objects.filter(status=PaymentStatus.PAID).exists()
    lift(r, clerk, T0 + 4 * H)
    settled = services.cash_list_settle(
        list_id=pl.id, paid_on=date(2026, 11, 10), payment_ids=ids, actor=finance, now=T0 + 5 * H
    )
    assert settled == 2


def test_the_approval_form_shows_the_refusal_of_a_list_of_only_restricted_payments(
    clerk: Any, finance: Any, client_for: Any
) -> None:
    services.payroll_build(month=NOV, lines=[make_line(2, person_id=PERSON)], actor=clerk, now=T0)
    pl = PaymentList.objects.get()
    restrict(PERSON, clerk, T0 - H)
    r = client_for(finance).post(
        f"/wyplaty/listy/{pl.id}/zatwierdz/",
        {"execution_date": "2026-11-10", "version": pl.version},
    )
    assert r.status_code == 422
    assert "ograniczenie przetwarzania (art. 18 RODO)" in r.content.decode()
    pl.refresh_from_db()
    assert pl.status == ListStatus.DRAFT


def test_a_withheld_payments_replacement_follows_its_line_ended_or_dropped_meanwhile(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    """Withheld at the export, the replacement waits on a draft list: the line ended on 16
    November meanwhile → the next run adjusts it like the original (15 days); a line no longer
    payable at all → it is cancelled; neither is ever paid in full."""
    from dataclasses import replace

    _build(clerk, T0)
    pl = _approve(PaymentList.objects.get(), finance, T0 + H)
    restrict(PERSON, clerk, T0 + 2 * H)
    _export(pl, finance, T0 + 3 * H)
    ended = [
        replace(ln, effective_to=date(2026, 11, 16)) if ln.line_id == 2 else ln for ln in _lines()
    ]
    services.payroll_build(month=NOV, lines=ended, actor=clerk, now=T0 + 4 * H)
    two = Payment.objects.get(line_id=2, reissue_of__isnull=False)
    assert (two.status, two.days_covered, str(two.amount)) == (
        PaymentStatus.SCHEDULED,
        15,
        "250.00",
    )
    dropped = [ln for ln in ended if ln.line_id != 4]
    services.payroll_build(month=NOV, lines=dropped, actor=clerk, now=T0 + 5 * H)
    four = Payment.objects.get(line_id=4, reissue_of__isnull=False)
    assert four.status == PaymentStatus.CANCELLED
    assert Payment.objects.get(line_id=2, reissue_of__isnull=False).amount == two.amount
