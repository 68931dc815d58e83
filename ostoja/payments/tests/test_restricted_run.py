"""Art. 18 RODO in the payment run: a person whose processing is restricted is skipped — the
rest of the list is built, the run records (and audits) who was left out and why, and once the
restriction is lifted a later run (the same month's supplement or the next month's) pays what
was skipped exactly once. Repeating runs never doubles money. Payment day 0 is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ostoja.core.errors import ValidationFailed
from ostoja.law.periods import YearMonth
from ostoja.payments import services, sources
from ostoja.payments.models import Payment, PaymentRun
from ostoja.payments.services.run import RESTRICTED_REASON
from ostoja.payments.testing import make_line
from tests.restriction import lift, restrict

pytestmark = pytest.mark.django_db

NOV = YearMonth(2026, 11)
T0 = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)


def _lines() -> list[Any]:
    return [
        make_line(1, amount="600.00", period_from=date(2026, 10, 1)),
        make_line(2, amount="500.00", period_from=date(2026, 10, 1), person_id=777),
        # The same person in a second role (another decision's line): skipped too.
        make_line(3, benefit="zasilek_staly", amount="1229.00", person_id=777, insured=False),
        make_line(4, amount="450.00"),
    ]


def _build(month: YearMonth, clerk: Any, now: datetime, lines: list[Any] | None = None) -> Any:
    return services.payroll_build(month=month, lines=lines or _lines(), actor=clerk, now=now)


def _money_by_key() -> dict[tuple[int, date], tuple[int, Decimal]]:
    rows = (
        Payment.objects.filter(reissue_of__isnull=True)
        .values("line_id", "period_start")
        .annotate(n=Count("id"), s=Sum("amount"))
    )
    return {(r["line_id"], r["period_start"]): (r["n"], Decimal(str(r["s"]))) for r in rows}


def test_art18_rodo_restricted_person_is_skipped_the_rest_is_built_and_audited(
    clerk: Any,
) -> None:
    restrict(777, clerk, T0 - timedelta(days=1))
    result = _build(NOV, clerk, T0)
    assert result.created == 2  # lines 1 and 4; nothing of person 777
    assert not Payment.objects.filter(person_id=777).exists()
    assert {(r["line"], r["period"]) for r in result.restricted} == {
        (2, "2026-11-01"),
        (3, "2026-11-01"),
    }
    assert result.restricted_persons == 1
    assert {r["reason"] for r in result.restricted} == {RESTRICTED_REASON}
    run = PaymentRun.objects.get(pk=result.run_id)
    assert run.restricted_count == 2 and run.restricted == result.restricted
    entry = LogEntry.objects.get(object_pk=str(run.pk), additional_data__reason=RESTRICTED_REASON)
    assert entry.actor == clerk and entry.additional_data["persons"] == [777]


def test_art18_rodo_a_restriction_started_after_the_run_or_lifted_before_it_skips_nothing(
    clerk: Any,
) -> None:
    later = restrict(777, clerk, T0 + timedelta(hours=1))
    assert _build(NOV, clerk, T0).restricted == []
    Payment.objects.all().delete()
    lift(later, clerk, T0 + timedelta(hours=2))
    assert _build(NOV, clerk, T0 + timedelta(hours=3)).restricted == []


def test_art18_rodo_lifted_then_supplementary_run_pays_skipped_once(clerk: Any) -> None:
    r = restrict(777, clerk, T0 - timedelta(days=1))
    _build(NOV, clerk, T0)
    _build(NOV, clerk, T0 + timedelta(minutes=5))  # a repeat while restricted: still nothing
    assert not Payment.objects.filter(person_id=777).exists()
    lift(r, clerk, T0 + timedelta(days=1))
    again = _build(NOV, clerk, T0 + timedelta(days=1, hours=1))
    assert again.created == 2 and again.restricted == []
    for _ in range(2):  # adversary: repeating the run never doubles money
        assert _build(NOV, clerk, T0 + timedelta(days=2)).created == 0
    money = _money_by_key()
    assert all(n == 1 for n, _ in money.values())
    assert money[(2, date(2026, 11, 1))][1] == Decimal("500.00")


def test_art18_rodo_next_months_run_pays_what_was_skipped_exactly_once(clerk: Any) -> None:
    """Restricted through the November and December runs, lifted before January's: January's
    run pays November, December and January of person 777 once, dated in January; repeating
    January, or a late supplementary November run, adds nothing."""
    r = restrict(777, clerk, T0 - timedelta(days=1))
    _build(NOV, clerk, T0)
    dec = _build(YearMonth(2026, 12), clerk, T0 + timedelta(days=30))
    # December's run re-records November's dues still unpaid, with December's.
    assert {(e["line"], e["period"]) for e in dec.restricted} >= {(2, "2026-11-01")}
    lift(r, clerk, T0 + timedelta(days=50))
    jan_now = T0 + timedelta(days=60)
    jan = _build(YearMonth(2027, 1), clerk, jan_now)
    paid = Payment.objects.filter(person_id=777).order_by("line_id", "period_start")
    assert [(p.line_id, p.period_start) for p in paid] == [
        (2, date(2026, 11, 1)),
        (2, date(2026, 12, 1)),
        (2, date(2027, 1, 1)),
        (3, date(2026, 11, 1)),
        (3, date(2026, 12, 1)),
        (3, date(2027, 1, 1)),
    ]
    assert all(p.due_date >= date(2027, 1, 10) for p in paid)
    assert jan.carried == 4
    for month in (YearMonth(2027, 1), NOV, YearMonth(2026, 12)):
        assert _build(month, clerk, jan_now + timedelta(hours=1)).created == 0
    assert all(n == 1 for n, _ in _money_by_key().values())
    assert sum(p.amount for p in paid) == Decimal("500.00") * 3 + Decimal("1229.00") * 3


def test_art18_rodo_skipped_due_of_a_line_ended_since_is_not_paid(clerk: Any) -> None:
    """A line revoked while the person was restricted: only what is still due is carried."""
    from dataclasses import replace

    r = restrict(777, clerk, T0 - timedelta(days=1))
    _build(NOV, clerk, T0)
    lift(r, clerk, T0 + timedelta(days=30))
    ended = [
        replace(ln, effective_to=date(2026, 11, 16)) if ln.line_id == 2 else ln for ln in _lines()
    ]
    _build(YearMonth(2026, 12), clerk, T0 + timedelta(days=31), ended)
    (p,) = Payment.objects.filter(line_id=2)
    assert (p.period_start, p.days_covered, p.amount) == (date(2026, 11, 1), 15, Decimal("250.00"))


def test_payment_day_zero_stops_the_run_naming_the_field_nothing_saved(clerk: Any) -> None:
    from dataclasses import replace

    lines = [replace(make_line(1), payment_day=0), make_line(2)]
    with pytest.raises(ValidationFailed) as exc:
        services.payroll_build(month=NOV, lines=lines, actor=clerk, now=T0)
    assert "payment_day" in exc.value.errors
    assert "Dzień wypłaty" in exc.value.errors["payment_day"][0]
    assert not PaymentRun.objects.exists() and not Payment.objects.exists()


def test_payment_day_zero_is_refused_by_the_decision_form() -> None:
    from ostoja.decisions.forms import LineForm

    form = LineForm(data={"payment_day": "0"})
    assert not form.is_valid()
    assert "payment_day" in form.errors


def test_art18_rodo_run_page_names_only_the_restricted_persons_the_user_may_see(
    clerk: Any, make_staff: Any, client_for: Any, monkeypatch: Any
) -> None:
    from ostoja.org.roles import Role
    from ostoja.registry import services as registry
    from ostoja.registry.demo import make_pesel
    from tests.factories import _street

    street = _street()

    def person(user: Any, last: str, serial: int) -> Any:
        return registry.person_create(
            data={
                "first_name": "Anna",
                "last_name": last,
                "pesel": make_pesel(date(1980, 1, 1), serial, "K"),
                "birth_date": date(1980, 1, 1),
                "sex": "K",
                "act_street": street,
                "act_house": "5",
                "act_city": "Kielce",
            },
            user=user,
            on=date(2026, 11, 2),
        )

    other = make_staff("sw_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    seen = person(clerk, "Widoczna", 101)
    unseen = person(other, "Niewidoczna", 202)
    lines = [
        make_line(1, person_id=seen.pk),
        make_line(2, person_id=unseen.pk),
        make_line(3),
    ]
    monkeypatch.setattr(sources, "payable_lines", lambda **kw: lines)
    monkeypatch.setattr(sources, "held_lines", lambda **kw: [])
    restrict(seen.pk, clerk, T0 - timedelta(days=1))
    restrict(unseen.pk, clerk, T0 - timedelta(days=1))
    c = client_for(clerk)
    r = c.post("/wyplaty/uruchom/", {"month": "2026-11"}, follow=True)
    text = r.content.decode()
    assert r.status_code == 200
    assert "ograniczenie przetwarzania (art. 18 RODO)" in text
    assert "Widoczna" in text and "Niewidoczna" not in text
    assert "Osoby spoza Twojego zakresu: 1" in text
    assert Payment.objects.filter(line_id=3).count() == 1
    assert not Payment.objects.filter(person_id__in=[seen.pk, unseen.pk]).exists()


_STEPS = st.lists(
    st.sampled_from(["run_nov", "run_dec", "run_jan", "restrict", "lift"]), min_size=1, max_size=7
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=_STEPS)
def test_art18_rodo_any_sequence_of_runs_restrictions_and_lifts_never_doubles_money(
    clerk: Any, steps: list[str]
) -> None:
    """Adversary: runs of three months in any order, repeated, with the person restricted and
    lifted in between. Every (line, period) is paid at most once, with the amount the schedule
    gives for it, never while the person is restricted, and never dated before its own
    month's payment day; after a final lift and a January run, nothing of a month that was run is
    missing."""
    from ostoja.law.policy import DEFAULT_POLICY
    from ostoja.payments.schedule import due_for_month

    months = {"run_nov": NOV, "run_dec": YearMonth(2026, 12), "run_jan": YearMonth(2027, 1)}
    with transaction.atomic():
        restriction = None
        at = T0
        ran = {YearMonth(2027, 1)}
        for step in steps:
            at += timedelta(hours=1)
            if step == "restrict" and restriction is None:
                restriction = restrict(777, clerk, at)
            elif step == "lift" and restriction is not None:
                lift(restriction, clerk, at)
                restriction = None
            elif step in months:
                before = set(Payment.objects.filter(person_id=777).values_list("id", flat=True))
                _build(months[step], clerk, at)
                ran.add(months[step])
                if restriction is not None:
                    new = Payment.objects.filter(person_id=777).exclude(id__in=before)
                    assert not new.exists()
        if restriction is not None:
            lift(restriction, clerk, at + timedelta(hours=1))
        _build(YearMonth(2027, 1), clerk, at + timedelta(hours=2))
        money = _money_by_key()
        assert all(n == 1 for n, _ in money.values())
        by_id = {ln.line_id: ln for ln in _lines()}
        for (line_id, start), (_, amount) in money.items():
            due = due_for_month(by_id[line_id], YearMonth.of(start), DEFAULT_POLICY)
            assert due is not None and due.amount == amount
        for p in Payment.objects.all():
            assert p.due_date >= p.period_start.replace(day=10)  # its month's payment day or later
        for line_id in (2, 3):
            for month in ran:  # a month nobody ran is unpaid for everyone alike
                assert (line_id, month.first_day) in money
        transaction.set_rollback(True)
