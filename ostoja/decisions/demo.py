"""Demo data of the decisions context (idempotent; runs after the cases demo).

From the demo applications that have a calculation: signed decisions of several kinds with
their stored PDFs — some delivered and final, one appealed, a refusal, a change for the future,
a draft waiting for the head's check — and one application left „gotowy do decyzji” so a new
user can draft a decision themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from ostoja.cases.models import Application
from ostoja.core.dates import local_date, next_month_start, noon
from ostoja.decisions import services
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.models import Decision

DEMO_NRB = [
    "61109010140000071219812874",
    "10105000997603123456789123",
    "44102027910000710201112345",
]


def demo_nrb(n: int) -> str:
    """A synthetic, valid NRB of its own for each demo family: two recipients never share an
    account by accident (a shared one needs a reasoned confirmation, issue 12 §5). The first
    three are the ones earlier demos used."""
    if n < len(DEMO_NRB):
        return DEMO_NRB[n]
    bban = f"10901014{n:016d}"
    check = 98 - int(bban + "252100") % 97  # ISO 13616 mod 97 with "PL00" moved to the end
    return f"{check:02d}{bban}"


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def load_demo(*, now: datetime) -> None:
    worker, head, director = _user("socjalny"), _user("kierownik"), _user("dyrektor")
    if worker is None or head is None or director is None:
        return
    if Decision.objects.filter(drafter__in=[worker, head, director]).exists():
        return  # already loaded
    apps = list(
        Application.objects.filter(calculations__isnull=False, status="gotowy_do_decyzji")
        .select_related("case", "applicant")
        .distinct()
        .order_by("received_on", "pk")
    ) or list(
        Application.objects.filter(calculations__isnull=False)
        .select_related("case", "applicant")
        .distinct()
        .order_by("received_on", "pk")
    )
    if len(apps) < 2:
        return
    on = local_date(now)
    keep_ready = apps.pop()  # left for the user to draft from

    def signer_for(d: Any) -> Any:
        return (
            head
            if services.signing_refusal(user=head, matter=d.matter, on=on) is None
            and head.has_perm("decisions.view_decision", d)
            else director
        )

    # The services check each actor's permission (scope included): the head of ro1 checks
    # the decisions of their unit, the director the others; the worker records what they may.
    def checker_for(d: Any) -> Any:
        if d.drafter_id != head.pk and head.has_perm("decisions.check", d):
            return head
        return director

    def recorder_for(d: Any) -> Any:
        return worker if worker.has_perm("decisions.record", d) else director

    def sign(app: Any, n: int, *, when: Any, immediate: bool = False) -> Any:
        d = services.decision_draft_from_application(
            application=app,
            actor=worker,
            account_number=demo_nrb(n),
            payment_method="kasa" if n % 3 == 1 else "",  # the oldest grant pays by transfer
            immediate=immediate,
            immediate_reason="zapewnienie środków na bieżące utrzymanie (ochrona zdrowia strony)"
            if immediate
            else "",
        )
        signed_on = max(when, app.received_on)
        services.decision_check(decision=d, actor=checker_for(d), now=noon(signed_on))
        return services.decision_sign(
            decision=d, actor=signer_for(d), on=signed_on, now=noon(signed_on)
        )

    def check_and_sign(d: Any, when: Any) -> Any:
        services.decision_check(decision=d, actor=checker_for(d), now=noon(when))
        return services.decision_sign(decision=d, actor=signer_for(d), on=when, now=noon(when))

    for n, app in enumerate(apps):
        step = n % 4
        if step == 0:  # signed a month ago, delivered, final; then changed and recovered
            # With rygor (art. 108), so last month's run can pay it once delivered (art. 130 § 3).
            d = sign(app, n, when=on - timedelta(days=40), immediate=True)
            d = services.decision_deliver(
                decision=d,
                actor=recorder_for(d),
                channel="zpo",
                delivered_on=d.issued_on + timedelta(days=2),
                today=on,
            )
            if not (d.final_on and d.final_on <= on):
                continue
            d = services.decision_finalise(decision=d, actor=recorder_for(d), on=on)
            # A one-off benefit has nothing left to change for the future.
            line = d.lines.filter(granted=True, one_off=False).first()
            if line is None:
                continue
            # A change acts for the future (art. 106 ust. 5): from next month, and only for a
            # benefit still running then — a one-off or ended benefit has nothing to change.
            effective_from = next_month_start(on)
            if not line.one_off and (line.period_to is None or line.period_to > effective_from):
                _change(d, effective_from=effective_from, on=on, worker=worker, sign=check_and_sign)
            rec = services.decision_recovery_draft(
                case_id=d.case_id,
                person_id=d.addressee_id,
                # Grosze: the service refuses more than two decimals (never rounds silently).
                amount=(line.amount / 4).quantize(Decimal("0.01")),
                reason="Strona nie poinformowała o podjęciu zatrudnienia (art. 109 u.p.s.).",
                source_line_ids=[line.pk],
                actor=worker,
            )
            services.decision_update_draft(
                decision=rec,
                expected_version=rec.version,
                actor=worker,
                recovery_due=on + timedelta(days=30),
            )
            check_and_sign(rec, on)
        elif step == 1:  # rygor natychmiastowej wykonalności, delivered in person
            d = sign(app, n, when=on - timedelta(days=3), immediate=True)
            services.decision_deliver(
                decision=d,
                actor=recorder_for(d),
                channel="osobiscie",
                delivered_on=d.issued_on,
                today=on,
            )
        elif step == 2:  # delivered and appealed
            d = sign(app, n, when=on - timedelta(days=12))
            d = services.decision_deliver(
                decision=d,
                actor=recorder_for(d),
                channel="zpo",  # signed by hand: delivered on paper
                delivered_on=d.issued_on + timedelta(days=1),
                today=on,
            )
            services.decision_appeal(
                decision=d,
                actor=recorder_for(d),
                lodged_on=min(on, d.delivered_on + timedelta(days=5)),
                note="Strona kwestionuje wysokość świadczenia.",
            )
        else:  # the applicant withdrew: proceedings discontinued (art. 105 KPA), sent
            d = services.decision_create_discontinuance(
                case=app.case,
                application=app,
                addressee=app.applicant,
                actor=worker,
                lines=[],
                matter=(app.forms or ["zasilek_celowy"])[0],
                reason_text="strona pismem wycofała wniosek, a organ nie stwierdził, by "
                "interes społeczny przemawiał za dalszym prowadzeniem postępowania",
            )
            d = check_and_sign(d, on)
            services.decision_send(decision=d, actor=recorder_for(d), on=on, channel="zpo")
    _ = keep_ready


def _change(decision: Any, *, effective_from: Any, on: Any, worker: Any, sign: Any) -> None:
    """A change decision halving the amount from ``effective_from`` (income rose, art. 106)."""
    change = services.decision_amend_draft(
        decision=decision,
        kind=DecisionKind.CHANGE,
        actor=worker,
        effective_from=effective_from,
        reason="Wzrost dochodu zgłoszony przez stronę (art. 109 u.p.s.).",
    )
    new_lines = [
        {
            "benefit": ln.benefit,
            "amount": (ln.amount / 2).quantize(ln.amount),
            "period_from": ln.period_from,
            "period_to": ln.period_to,
            "payment_method": ln.payment_method,
            "account_number": ln.account_number,
            "health_insured_elsewhere": ln.health_insured_elsewhere,
            "one_off": ln.one_off,
        }
        for ln in change.lines.all()
    ]
    services.decision_update_draft(
        decision=change, expected_version=change.version, actor=worker, lines=new_lines
    )
    sign(change, on)
