"""Money only when the decision can be executed (art. 130 KPA): each decision state against
payability — signed, sent, delivered, delivered with rygor (art. 108), waived (art. 127a),
final, appealed — through the pure rule, the payable-lines contract and the monthly run."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.decisions import selectors, services
from ostoja.decisions.choices import DecisionStatus as S
from ostoja.decisions.models import Decision
from ostoja.decisions.workflow import payability
from ostoja.payments import services as pservices
from ostoja.payments import sources
from ostoja.payments.models import Payment, PaymentRun

NRB = "61109010140000071219812874"
SIGNED_ON = date(2026, 11, 5)
DELIVERED_ON = date(2026, 11, 6)  # appeal period to 20.11 (art. 129 § 2), final from 21.11
pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    """Noon in Warsaw on ``day``: the clock is an input of every service."""
    return datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/Warsaw"))


# ------------------------------------------------------------------ the pure rule


@pytest.mark.parametrize(
    ("status", "immediate", "payable"),
    [
        (S.DRAFTED, True, False),
        (S.SIGNED, False, False),
        (S.SIGNED, True, False),  # rygor acts only once delivered (art. 110 § 1 KPA)
        (S.SENT, True, False),
        (S.DELIVERED, False, False),  # appeal period running (art. 130 § 1 KPA)
        (S.DELIVERED, True, True),  # art. 108 § 1, art. 130 § 3 pkt 1 KPA
        (S.FINAL, False, True),  # art. 16 § 1 KPA
        (S.APPEALED, False, False),  # art. 130 § 2 KPA
        (S.APPEALED, True, True),  # appeal does not stop a decision with rygor
        (S.CLOSED, False, True),  # upheld by the SKO: final
    ],
)
def test_art_130_kpa_payability_of_each_state(status: str, immediate: bool, payable: bool) -> None:
    verdict = payability(
        status=status,
        immediate=immediate,
        delivered_on=DELIVERED_ON if status not in (S.DRAFTED, S.SIGNED, S.SENT) else None,
        final_on=date(2026, 11, 21) if status != S.DRAFTED else None,
        appeal_deadline=date(2026, 11, 20),
    )
    assert (verdict.enforceable_from is not None) is payable
    assert bool(verdict.reason) is not payable  # every refusal says why, in Polish


def test_art_127a_kpa_waiver_is_final_from_the_day_the_organ_received_it() -> None:
    verdict = payability(
        status=S.FINAL,
        immediate=False,
        delivered_on=DELIVERED_ON,
        final_on=date(2026, 11, 9),
        appeal_waived_on=date(2026, 11, 9),
    )
    assert verdict.enforceable_from == date(2026, 11, 9)


def test_art_130_kpa_delivered_decision_says_when_it_may_become_final() -> None:
    verdict = payability(
        status=S.DELIVERED,
        immediate=False,
        delivered_on=DELIVERED_ON,
        final_on=date(2026, 11, 21),
        appeal_deadline=date(2026, 11, 20),
    )
    assert verdict.expected_on == date(2026, 11, 21)
    assert "20.11.2026" in verdict.reason and "art. 127a" in verdict.reason


# ------------------------------------------------------------------ through the database


def _granted(users: dict[str, Any], *, immediate: bool = False) -> Decision:
    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application("zasilek_okresowy", received_on=date(2026, 11, 3))
    kw: dict[str, Any] = {}
    if immediate:
        kw = {"immediate": True, "immediate_reason": "ochrona zdrowia strony (brak środków)"}
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB, **kw
    )
    services.decision_check(decision=d, actor=users["kierownik"], now=_at(SIGNED_ON))
    return services.decision_sign(
        decision=d, actor=users["kierownik"], on=SIGNED_ON, now=_at(SIGNED_ON)
    )


def _deliver(d: Decision, users: dict[str, Any]) -> Decision:
    return services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="osobiscie",
        delivered_on=DELIVERED_ON,
        today=DELIVERED_ON,
    )


def _to_state(state: str, users: dict[str, Any]) -> Decision:
    d = _granted(users, immediate=state.endswith("rygor"))
    rec = users["socjalny"]
    if state == "signed":
        return d
    if state == "sent":
        return services.decision_send(decision=d, actor=rec, on=SIGNED_ON, channel="zpo")
    d = _deliver(d, users)
    if state in ("delivered", "delivered_rygor"):
        return d
    if state == "waived":
        return services.decision_waive_appeal(
            decision=d, actor=rec, received_on=date(2026, 11, 9), today=date(2026, 11, 9)
        )
    if state == "final":
        return services.decision_finalise(decision=d, actor=rec, on=date(2026, 11, 23))
    if state.startswith("appealed"):
        services.decision_appeal(decision=d, actor=rec, lodged_on=date(2026, 11, 12))
        return Decision.objects.get(pk=d.pk)
    raise AssertionError(state)


LAWFUL = {"delivered_rygor": True, "waived": True, "final": True, "appealed_rygor": True}
STATES = [
    "signed",
    "sent",
    "delivered",
    "delivered_rygor",
    "waived",
    "final",
    "appealed",
    "appealed_rygor",
]


@pytest.mark.parametrize("state", STATES)
def test_art_130_kpa_only_enforceable_decisions_are_paid(state: str, users: dict[str, Any]) -> None:
    """Each state × payability through ``payable_lines`` and the December run: only final,
    waived (art. 127a) or delivered-with-rygor (art. 108) decisions reach a list; the others
    are reported as held, with the reason."""
    d = _to_state(state, users)
    start, end = date(2026, 12, 1), date(2027, 1, 1)
    lines = sources.payable_lines(period_start=start, period_end=end)
    held = sources.held_lines(period_start=start, period_end=end)
    lawful = LAWFUL.get(state, False)
    assert any(ln.decision_id == d.pk for ln in lines) is lawful
    assert any(h.decision_id == d.pk for h in held) is not lawful
    result = pservices.payroll_build(
        month="2026-12", lines=lines, actor=None, held=held, now=_at(date(2026, 12, 5))
    )
    assert Payment.objects.filter(decision_id=d.pk).exists() is lawful
    if not lawful:
        (report,) = [h for h in result.held if h["decision"] == d.pk]
        assert report["reason"] and report["decision_number"] == d.number
        assert PaymentRun.objects.get(pk=result.run_id).held == result.held


def test_art_130_kpa_payment_date_follows_enforceability(users: dict[str, Any]) -> None:
    """Final from 21.11 (appeal period ended 20.11): November is due on 21.11, not on the 10th."""
    d = _to_state("final", users)
    assert d.final_on == date(2026, 11, 21)
    lines = sources.payable_lines(period_start=date(2026, 11, 1), period_end=date(2026, 12, 1))
    (line,) = [ln for ln in lines if ln.decision_id == d.pk]
    assert line.enforceable_from == date(2026, 11, 21)
    pservices.payroll_build(month="2026-11", lines=lines, actor=None, now=_at(date(2026, 11, 25)))
    p = Payment.objects.get(decision_id=d.pk)
    assert p.due_date == date(2026, 11, 21) and p.period_start == date(2026, 11, 1)


def test_art_130_kpa_months_waiting_for_finality_are_paid_as_arrears(
    users: dict[str, Any],
) -> None:
    """Delivered 20.11 → final 05.12: the November run pays nothing and says why; the December
    run pays December and November (arrears), both not before 10.12 (payment day, after the
    decision became final)."""
    d = _granted(users)
    d = services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="zpo",
        delivered_on=date(2026, 11, 20),
        today=date(2026, 11, 20),
    )
    nov = (date(2026, 11, 1), date(2026, 12, 1))
    lines = sources.payable_lines(period_start=nov[0], period_end=nov[1])
    held = sources.held_lines(period_start=nov[0], period_end=nov[1])
    result = pservices.payroll_build(
        month="2026-11", lines=lines, actor=None, held=held, now=_at(date(2026, 11, 25))
    )
    assert not Payment.objects.filter(decision_id=d.pk).exists()
    assert [h["decision"] for h in result.held] == [d.pk]
    assert result.held[0]["expected_on"] == d.final_on.isoformat()

    services.decision_finalise(decision=d, actor=users["socjalny"], on=d.final_on)
    dec = (date(2026, 12, 1), date(2027, 1, 1))
    lines = sources.payable_lines(period_start=dec[0], period_end=dec[1])
    result = pservices.payroll_build(
        month="2026-12", lines=lines, actor=None, now=_at(date(2026, 12, 7))
    )
    paid = {p.period_start: p for p in Payment.objects.filter(decision_id=d.pk)}
    assert set(paid) == {date(2026, 11, 1), date(2026, 12, 1)}
    assert result.arrears == 1
    assert all(p.due_date == date(2026, 12, 10) for p in paid.values())
    assert all(p.list.month == date(2026, 12, 1) for p in paid.values())
    # idempotent: a second December run adds nothing
    again = pservices.payroll_build(
        month="2026-12", lines=lines, actor=None, now=_at(date(2026, 12, 7))
    )
    assert again.created == 0 and Payment.objects.filter(decision_id=d.pk).count() == 2


def test_payroll_command_json_reports_held_lines(users: dict[str, Any]) -> None:
    """``ostoja payroll build --json`` says what it left out and why (art. 130 KPA)."""
    d = _to_state("delivered", users)
    out = io.StringIO()
    call_command("payroll", "build", "--month", "2026-12", "--json", stdout=out)
    data = json.loads(out.getvalue())
    (held,) = [h for h in data["held"] if h["decision"] == d.pk]
    assert "ostateczność" in held["reason"] and held["benefit"] == "zasilek_okresowy"
    assert data["created"] == 0


# ------------------------------------------------------------------ art. 127a KPA waiver


def test_art_127a_kpa_waiver_recorded_with_its_date_and_effect(users: dict[str, Any]) -> None:
    d = _to_state("waived", users)
    assert d.status == S.FINAL
    assert d.appeal_waived_on == date(2026, 11, 9) and d.final_on == date(2026, 11, 9)
    assert d.transitions.filter(action="zrzeczenie").exists()
    assert d.deadline_trace[-1]["basis"] == "art. 127a § 2 KPA"
    assert selectors.decision_payability(d).enforceable_from == date(2026, 11, 9)


def test_art_127a_kpa_waiver_only_while_the_appeal_period_runs(users: dict[str, Any]) -> None:
    d = _granted(users)
    with pytest.raises(DomainError, match="zrzeczenie"):  # not delivered yet: refused
        services.decision_waive_appeal(
            decision=d, actor=users["socjalny"], received_on=SIGNED_ON, today=SIGNED_ON
        )
    d = _deliver(d, users)
    with pytest.raises(ValidationFailed) as late:
        services.decision_waive_appeal(
            decision=d,
            actor=users["socjalny"],
            received_on=date(2026, 11, 23),
            today=date(2026, 11, 23),
        )
    assert "received_on" in late.value.errors
    with pytest.raises(ValidationFailed):  # from the future
        services.decision_waive_appeal(
            decision=d,
            actor=users["socjalny"],
            received_on=date(2026, 11, 10),
            today=date(2026, 11, 9),
        )
    with pytest.raises(ValidationFailed):  # before delivery
        services.decision_waive_appeal(
            decision=d,
            actor=users["socjalny"],
            received_on=date(2026, 11, 5),
            today=date(2026, 11, 9),
        )
    assert Decision.objects.get(pk=d.pk).status == S.DELIVERED


def test_waiver_through_page_and_api(users: dict[str, Any], client_for: Any) -> None:
    from django.urls import reverse

    from ostoja.core.dates import today

    d = _granted(users)
    on = today()
    services.decision_deliver(
        decision=d, actor=users["socjalny"], channel="osobiscie", delivered_on=on, today=on
    )
    c = client_for(users["socjalny"])
    page = c.get(reverse("decisions:detail", args=[d.pk])).content.decode()
    assert "Zarejestruj zrzeczenie się odwołania" in page and "czeka na ostateczność" in page
    r = c.post(
        reverse("decisions:transition", args=[d.pk, "zrzeczenie"]),
        {"waive-received_on": on.isoformat()},
    )
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == S.FINAL and d.appeal_waived_on == on
    # API: a second waiver is refused (the decision is already final)
    r = c.post(
        f"/api/v1/decisions/{d.pk}/waive-appeal",
        {"received_on": on.isoformat()},
        content_type="application/json",
    )
    assert r.status_code in (409, 422)
    r = c.get(f"/api/v1/decisions/{d.pk}")
    body = r.json()
    assert body["appeal_waived_on"] == on.isoformat()
    assert body["enforceable_from"] == on.isoformat()
