"""Demo history for statistics (idempotent): signed, final decisions and approved payment lists
in the last completed reporting period, so MRPiPS-03 for it has non-zero rows.

Built relative to ``now`` (the moment the demo loads) through the decisions and payments services —
the same path a real decision and payment run take. The first family gets two benefits
(zasiłek okresowy and zasiłek celowy), showing the counting rule "once per row, once in the
total" on the report page.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ostoja.analysis.periods import last_completed_half_year
from ostoja.cases import demo as cases_demo
from ostoja.cases import selectors as cases
from ostoja.cases import services as cases_services
from ostoja.cases.models import Application
from ostoja.core.dates import local_date, noon
from ostoja.core.errors import DomainError
from ostoja.decisions import services
from ostoja.law.periods import YearMonth
from ostoja.payments import selectors as payments
from ostoja.payments.models import ListStatus

MONTHLY = {"zasilek_okresowy": "480.00", "zasilek_staly": "719.00"}
HISTORY_FAMILIES = 12


HISTORY_NOTE = "Wniosek z poprzedniego okresu (dane demonstracyjne)."


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def load_demo(*, now: datetime) -> None:
    on = local_date(now)
    if Application.objects.filter(description=HISTORY_NOTE).exists():
        return  # loaded before, perhaps on another day (another half-year): never twice
    period = last_completed_half_year(on=on)
    first_month_end = YearMonth.of(period.start).shift(1).first_day
    if payments.ledger_executed(start=period.start, end=first_month_end):
        # Already there (an earlier load, or real data). The period's first month, not the
        # whole period: the payments demo pays last month, which may lie inside the period.
        return
    worker, head = _user("socjalny"), _user("kierownik")
    director, finance, clerk = _user("dyrektor"), _user("ksiegowosc"), _user("swiadczenia")
    if None in (worker, head, director, finance, clerk):
        return
    granted = 0
    for case in cases.cases_visible(user=director).order_by("pk")[:HISTORY_FAMILIES]:
        current = case.applications.order_by("received_on", "pk").first()
        if current is None:
            continue
        benefit = "zasilek_staly" if granted % 4 == 3 else "zasilek_okresowy"
        try:
            with transaction.atomic():
                # An earlier application of the same family, answered before the period began.
                application = cases_services.application_register(
                    household=case.household,
                    applicant=current.applicant,
                    received_on=period.start - timedelta(days=30),
                    channel="osobiscie",
                    forms=[benefit],
                    reasons=list(current.reasons) or ["1"],
                    user=clerk,
                    on=on,
                    description=HISTORY_NOTE,
                )
                # The Act decides after a community interview (art. 106 ust. 4 u.p.s.): the
                # history's interview is conducted the day the application came in.
                cases_demo.interview_for(
                    case.household.case,
                    application,
                    worker,
                    benefit,
                    conducted=application.received_on,
                )
                _grant(
                    application,
                    benefit=benefit,
                    n=granted,
                    period_start=period.start,
                    period_end=period.end,
                    on=on,
                    now=now,
                    users=(worker, head, director),
                )
        except DomainError:
            continue  # a demo family the services refuse (scope, authorisation): skip it
        granted += 1
    if granted:
        _pay(period_start=period.start, period_end=period.end, finance=finance, now=now)


def _grant(
    application: Any,
    *,
    benefit: str,
    n: int,
    period_start: date,
    period_end: date,
    on: date,
    now: datetime,
    users: tuple[Any, Any, Any],
) -> None:
    worker, head, director = users
    lines: list[dict[str, Any]] = [
        {"benefit": benefit, "amount": MONTHLY[benefit], "period_from": period_start.isoformat(),
         "period_to": period_end.isoformat(), "payment_method": "kasa", "one_off": False},
    ]  # fmt: skip
    if n % 3 == 0:  # one person, two benefits: counted once in the section total
        month = YearMonth.of(period_start).shift(2)
        lines.append(
            {"benefit": "zasilek_celowy", "amount": str(Decimal("250.00") + 50 * (n % 4)),
             "period_from": month.first_day.isoformat(),
             "period_to": month.shift(1).first_day.isoformat(), "payment_method": "kasa",
             "one_off": True, "purpose": "zakup opału"},
        )  # fmt: skip
    d = services.decision_create_grant(
        case=application.case,
        application=application,
        addressee=application.applicant,
        actor=worker,
        lines=lines,
    )
    checker = head if head.has_perm("decisions.check", d) and d.drafter_id != head.pk else director
    signed_on = period_start - timedelta(days=20)
    services.decision_check(decision=d, actor=checker, now=noon(signed_on))
    d = services.decision_sign(decision=d, actor=director, on=signed_on, now=noon(signed_on))
    recorder = worker if worker.has_perm("decisions.record", d) else director
    d = services.decision_deliver(
        decision=d, actor=recorder, channel="osobiscie", delivered_on=signed_on, today=on
    )
    services.decision_finalise(decision=d, actor=recorder, on=on)


def _pay(*, period_start: date, period_end: date, finance: Any, now: datetime) -> None:
    # local: ``services`` at the top of this module is the decisions' one
    from ostoja.payments import services, sources

    month = YearMonth.of(period_start)
    while month.first_day < period_end:
        lines = sources.payable_lines(
            period_start=month.first_day, period_end=month.shift(1).first_day
        )
        services.payroll_build(month=month, lines=lines, actor=None, now=now)
        for pl in payments.lists_for_month(month.first_day):
            if pl.status == ListStatus.DRAFT and pl.payment_count:
                services.payment_list_approve(
                    list_id=pl.id,
                    actor=finance,
                    execution_date=month.first_day + timedelta(days=9),
                    expected_version=pl.version,
                    now=now,
                )
        month = month.shift(1)
