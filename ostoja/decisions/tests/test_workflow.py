"""The decision workflow with the database: four eyes, authorisations (art. 110 ust. 8 u.p.s.),
the frozen signed decision, delivery deadlines (art. 57, 129 KPA), appeals (art. 132–133 KPA),
changes for the future (art. 106 ust. 5 u.p.s.) and payable lines."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from ostoja.core import dates
from ostoja.core.errors import DomainError, NotPermitted
from ostoja.decisions import selectors, services
from ostoja.decisions.choices import DecisionKind, DecisionStatus
from ostoja.decisions.models import (
    Decision,
    DecisionDocument,
    DecisionLine,
    SignedDecisionImmutable,
)
from ostoja.decisions.workflow import Action, WorkflowError, next_status
from ostoja.org.choices import MatterKind
from ostoja.org.models import Authorisation

NRB = "61109010140000071219812874"
pytestmark = pytest.mark.django_db


def draft(ready_application, users, benefit="zasilek_staly", **kw):
    app = ready_application(benefit)
    return services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB, **kw
    )


def signed(ready_application, users, on, benefit="zasilek_staly", **kw):
    d = draft(ready_application, users, benefit, **kw)
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    return services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=on)


# ------------------------------------------------------------------ pure state machine


def test_state_machine_refuses_skipping_the_check() -> None:
    with pytest.raises(WorkflowError, match=r"Sprawdzona|Projekt"):
        next_status(DecisionStatus.DRAFTED, Action.SIGN)
    assert next_status(DecisionStatus.CHECKED, Action.RETURN) == DecisionStatus.DRAFTED


# ------------------------------------------------------------------ drafting


def test_draft_from_calculation_prefills_lines_basis_and_justification(ready_application, users):
    d = draft(ready_application, users)
    line = d.lines.get()
    assert d.kind == DecisionKind.GRANT and d.matter == MatterKind.PERMANENT_ALLOWANCE
    assert line.amount == Decimal("413.00")  # 1313.00 − 900.00 (art. 37 ust. 2 pkt 1 u.p.s.)
    assert (line.budget_chapter, line.budget_paragraph) == ("85216", "3110")
    # The applicant draws an emerytura: insured as a pensioner, so no składka zdrowotna is
    # charged even though "insured elsewhere" was not ticked (art. 72 ust. 1 u.ś.o.z.).
    assert line.health_insured_elsewhere is True
    assert "art. 37 ust. 2 pkt 1 u.p.s." in d.trace_bases
    assert "rodzinny wywiad środowiskowy" in d.justification
    assert "nie ma innych źródeł dochodu" in d.justification  # from the interview
    assert d.revisions.count() == 1


def test_ineligible_calculation_drafts_a_refusal(ready_application, users):
    d = draft(ready_application, users, "refused")
    assert d.kind == DecisionKind.REFUSAL
    assert d.lines.get().granted is False


def test_justification_edits_are_kept(ready_application, users):
    d = draft(ready_application, users)
    services.decision_justification_edit(
        decision=d, text="Nowe uzasadnienie.", expected_version=d.version, actor=users["socjalny"]
    )
    assert [r.text for r in d.revisions.order_by("pk")][-1] == "Nowe uzasadnienie."
    assert d.revisions.count() == 2


# ------------------------------------------------------------------ four eyes, authorisations


def test_drafter_cannot_check_own_decision(ready_application, users):
    d = draft(ready_application, users)
    with pytest.raises(NotPermitted, match="własnego projektu"):
        services.decision_check(now=dates.now(), decision=d, actor=users["socjalny"])


def test_return_for_correction_goes_back_to_draft(ready_application, users):
    d = draft(ready_application, users)
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    d = services.decision_return(decision=d, actor=users["kierownik"], note="Popraw okres.")
    assert d.status == DecisionStatus.DRAFTED and d.checker is None


def test_sign_refused_without_authorisation_for_the_matter(ready_application, users, on):
    """art. 110 ust. 8 u.p.s.: DYR/7/2025 (kierownik) covers cash benefits, not DPS fees."""
    app = ready_application("zasilek_staly")
    d = services.decision_create(
        case=app.case,
        application=app,
        kind=DecisionKind.FEE,
        addressee=app.applicant,
        actor=users["socjalny"],
        justification="Uzasadnienie.",
        lines=[
            {
                "benefit": "oplata_dps",
                "amount": "1645.30",
                "period_from": date(2026, 12, 1),
                "payment_method": "rzeczowa",
            }
        ],
    )
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    with pytest.raises(NotPermitted, match="nie obejmuje spraw: Dom pomocy"):
        services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=on)
    d.refresh_from_db()
    assert d.status == DecisionStatus.CHECKED
    # the director (DYR/1/2024, every matter) may sign it
    services.decision_sign(now=dates.now(), decision=d, actor=users["dyrektor"], on=on)


def test_sign_refused_with_revoked_authorisation(ready_application, users, on):
    """DYR/12/2025 (specjalista ds. świadczeń) was revoked on 2026-06-30."""
    d = draft(ready_application, users)
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    with pytest.raises(NotPermitted, match="odwołane z dniem 2026-06-30"):
        services.decision_sign(now=dates.now(), decision=d, actor=users["swiadczenia"], on=on)
    # the refusal itself is in the audit trail
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(object_pk=str(d.pk), additional_data__refused=True).exists()


def test_sign_refused_with_expired_authorisation(ready_application, users, on):
    d = draft(ready_application, users)
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    Authorisation.objects.filter(number="DYR/7/2025").update(valid_until=date(2026, 10, 31))
    with pytest.raises(NotPermitted, match=r"DYR/7/2025 wygasło 2026-10-31"):
        services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=on)


def test_sign_refused_without_any_authorisation(ready_application, users, on, make_staff):
    from ostoja.org.roles import Role

    other = make_staff("kier2", role=Role.HEAD_OF_UNIT, unit_code="ro1")
    d = draft(ready_application, users)
    services.decision_check(now=dates.now(), decision=d, actor=other)
    with pytest.raises(NotPermitted, match="Nie masz upoważnienia"):
        services.decision_sign(now=dates.now(), decision=d, actor=other, on=on)


def test_signing_numbers_freezes_and_stores_pdf_with_hash(ready_application, users, on):
    d = signed(ready_application, users, on)
    assert d.status == DecisionStatus.SIGNED
    assert d.number == "000001/RO1/2026" and d.authorisation.number == "DYR/7/2025"
    doc = DecisionDocument.objects.get(decision=d)
    import hashlib

    assert hashlib.sha256(bytes(doc.pdf)).hexdigest() == doc.sha256
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(doc.pdf))).pages)
    text = " ".join(text.split())  # a line may break inside the amount in words
    assert "DECYZJA nr 000001/RO1/2026" in text and "upoważnienie nr DYR/7/2025" in text
    assert "czterysta trzynaście złotych 00/100" in text
    assert doc.snapshot["calculation"]["result"]["amount"] == "413.00"
    assert doc.snapshot["calculation"]["parameters"]["valid_from"] == "2025-01-01"
    # a timeline entry on the case
    assert d.case.events.filter(kind="decyzja_podpisana").exists()
    # the stored PDF is what the selector returns, never a re-render
    data, sha, is_draft = selectors.decision_pdf(decision=d, on=d.issued_on)
    assert data == bytes(doc.pdf) and sha == doc.sha256 and not is_draft


# ------------------------------------------------------------------ immutability (ORM level)


def test_signed_decision_cannot_be_saved_changed(ready_application, users, on):
    d = signed(ready_application, users, on)
    d.justification = "Zmieniona treść"
    with pytest.raises(SignedDecisionImmutable):
        d.save()
    d.refresh_from_db()
    with pytest.raises(SignedDecisionImmutable):
        Decision.objects.filter(pk=d.pk).update(kind=DecisionKind.REFUSAL)
    line = d.lines.get()
    line.amount = Decimal("999.00")
    with pytest.raises(SignedDecisionImmutable):
        line.save()
    with pytest.raises(SignedDecisionImmutable):
        DecisionLine.objects.filter(decision=d).update(amount=Decimal("1"))
    with pytest.raises(SignedDecisionImmutable):
        d.delete()
    doc = DecisionDocument.objects.get(decision=d)
    doc.sha256 = "0" * 64
    with pytest.raises(SignedDecisionImmutable):
        doc.save()
    with pytest.raises(SignedDecisionImmutable):
        services.decision_justification_edit(
            decision=d, text="x", expected_version=d.version, actor=users["socjalny"]
        )


# ------------------------------------------------------------------ delivery and deadlines


def test_delivery_on_2025_12_10_counts_christmas_holidays(ready_application, users):
    """art. 129 § 2 + art. 57 § 1 and § 4 KPA: 14 days from 2025-12-10 end on 2025-12-24
    (Wigilia, a public holiday from 2025); 25–26 Dec are holidays, 27 Dec a Saturday, 28 Dec a
    Sunday → the last day to appeal is Monday 2025-12-29; final (art. 16 § 1) from 2025-12-30."""
    d = signed(ready_application, users, date(2025, 12, 8))
    d = services.decision_send(
        decision=d, actor=users["socjalny"], on=date(2025, 12, 8), channel="zpo"
    )
    d = services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        delivered_on=date(2025, 12, 10),
        channel="zpo",
        today=date(2025, 12, 11),
    )
    assert d.appeal_deadline == date(2025, 12, 29)
    assert d.final_on == date(2025, 12, 30)
    assert any("Wigilia" in s["value"] for s in d.deadline_trace)
    with pytest.raises(DomainError, match="jeszcze nie upłynął"):
        services.decision_finalise(decision=d, actor=users["socjalny"], on=date(2025, 12, 29))
    d = services.decision_finalise(decision=d, actor=users["socjalny"], on=date(2025, 12, 30))
    assert d.status == DecisionStatus.FINAL


def test_delivery_on_a_friday_deadline_moves_over_the_weekend(ready_application, users):
    """Delivered Fri 2026-01-30: +14 days = Fri 2026-02-13, a working day — no move."""
    d = signed(ready_application, users, date(2026, 1, 28))
    d = services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="osobiscie",
        delivered_on=date(2026, 1, 30),
        today=date(2026, 1, 30),
    )
    assert d.appeal_deadline == date(2026, 2, 13)
    """Delivered Sat 2026-02-14 (by post): +14 = Sat 2026-02-28 → Mon 2026-03-02."""
    d2 = signed(ready_application, users, date(2026, 2, 13))
    d2 = services.decision_deliver(
        decision=d2,
        actor=users["socjalny"],
        channel="zpo",
        delivered_on=date(2026, 2, 14),
        today=date(2026, 2, 16),
    )
    assert d2.appeal_deadline == date(2026, 3, 2) and d2.final_on == date(2026, 3, 3)


# ------------------------------------------------------------------ appeals


def test_appeal_forward_deadline_and_sko_outcome(ready_application, users):
    """art. 133 KPA: forward within 7 days — lodged Wed 2025-12-17 → Wed 2025-12-24 is Wigilia
    (holiday), then 25–26 Dec and the weekend → 2025-12-29."""
    d = signed(ready_application, users, date(2025, 12, 8))
    d = services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="zpo",
        delivered_on=date(2025, 12, 10),
        today=date(2025, 12, 11),
    )
    appeal = services.decision_appeal(
        decision=d, actor=users["socjalny"], lodged_on=date(2025, 12, 17)
    )
    assert appeal.forward_due == date(2025, 12, 29)
    d.refresh_from_db()
    assert d.status == DecisionStatus.APPEALED
    # not enforceable while appealed (no rygor) — nothing to pay
    assert selectors.payable_lines(period_start=date(2026, 1, 1), period_end=date(2026, 2, 1)) == []
    services.appeal_forward(appeal=appeal, actor=users["socjalny"], on=date(2025, 12, 22))
    services.appeal_outcome_record(
        appeal=appeal,
        outcome="utrzymana",
        on=date(2026, 1, 20),
        actor=users["kierownik"],
        sko_reference="SKO.PS.1.2026",
    )
    lines = selectors.payable_lines(period_start=date(2026, 11, 1), period_end=date(2026, 12, 1))
    assert [ln.decision_id for ln in lines] == [d.pk]


def test_quashed_decision_with_immediate_enforceability_stops_payments(ready_application, users):
    d = signed(
        ready_application,
        users,
        date(2025, 12, 8),
        immediate=True,
        immediate_reason="ochronę zdrowia strony",
    )
    d = services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="zpo",
        delivered_on=date(2025, 12, 10),
        today=date(2025, 12, 11),
    )
    appeal = services.decision_appeal(
        decision=d, actor=users["socjalny"], lodged_on=date(2025, 12, 17)
    )
    # immediately enforceable (art. 108 KPA): payable despite the appeal (art. 130 § 3)
    assert selectors.payable_lines(period_start=date(2026, 11, 1), period_end=date(2026, 12, 1))
    services.appeal_outcome_record(
        appeal=appeal, outcome="przekazana", on=date(2026, 12, 10), actor=users["kierownik"]
    )
    (line,) = selectors.payable_lines(period_start=date(2026, 12, 1), period_end=date(2027, 1, 1))
    assert line.effective_to == date(2026, 12, 10)
    # January: still handed over with its end (payments reconcile what was paid after it),
    # but nothing is due — and a quarter later the line is gone.
    (ended,) = selectors.payable_lines(period_start=date(2027, 1, 1), period_end=date(2027, 2, 1))
    assert ended.effective_to == date(2026, 12, 10)
    from ostoja.law.periods import YearMonth
    from ostoja.payments.schedule import due_for_month

    assert due_for_month(ended, YearMonth(2027, 1)) is None
    assert selectors.payable_lines(period_start=date(2027, 4, 1), period_end=date(2027, 5, 1)) == []


def test_self_correction_art_132_drafts_a_new_decision(ready_application, users):
    d = signed(ready_application, users, date(2025, 12, 8))
    d = services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="zpo",
        delivered_on=date(2025, 12, 10),
        today=date(2025, 12, 11),
    )
    appeal = services.decision_appeal(
        decision=d, actor=users["socjalny"], lodged_on=date(2025, 12, 15)
    )
    new = services.appeal_self_correct(
        appeal=appeal, actor=users["kierownik"], on=date(2025, 12, 16)
    )
    assert new.kind == DecisionKind.CHANGE and new.refers_to_id == d.pk
    assert new.status == DecisionStatus.DRAFTED
    # Art. 130 § 2 KPA: appealed in time, the decision never became final — closed by the
    # self-correction it must not read as final (nothing paid under it), and it had no effect.
    d.refresh_from_db()
    assert d.final_on is None and d.ended_on == d.lines.get().period_from
    assert selectors.decision_payability(d).enforceable_from is None


def test_a_self_corrected_decision_under_rygor_is_executed_until_the_new_one(
    ready_application, users
):
    """Art. 108 and 132 KPA: under rygor natychmiastowej wykonalności the appealed decision
    was executed from delivery; accepting the appeal does not stop it before the new decision
    changing it takes effect — the client is not left without the benefit in between."""
    d = signed(ready_application, users, date(2025, 12, 8), immediate=True,
               immediate_reason="ochronę zdrowia strony")  # fmt: skip
    d = services.decision_deliver(decision=d, actor=users["socjalny"], channel="osobiscie",
                                  delivered_on=date(2025, 12, 10), today=date(2025, 12, 10))  # fmt: skip
    appeal = services.decision_appeal(decision=d, actor=users["socjalny"],
                                      lodged_on=date(2025, 12, 15))  # fmt: skip
    new = services.appeal_self_correct(appeal=appeal, actor=users["kierownik"],
                                       on=date(2025, 12, 16))  # fmt: skip
    d.refresh_from_db()
    assert d.final_on is None and d.ended_on is None
    assert selectors.decision_payability(d).enforceable_from == date(2025, 12, 10)
    assert new.refers_to_id == d.pk and new.effective_from is not None


def test_a_late_appeal_is_not_self_corrected(ready_application, users):
    """Art. 132 KPA applies to an admissible appeal; a late one goes to the SKO (art. 134)."""
    d = signed(ready_application, users, date(2025, 12, 8))
    d = services.decision_deliver(decision=d, actor=users["socjalny"], channel="zpo",
                                  delivered_on=date(2025, 12, 10), today=date(2025, 12, 11))  # fmt: skip
    appeal = services.decision_appeal(
        decision=d, actor=users["socjalny"], lodged_on=d.appeal_deadline + timedelta(days=3)
    )
    with pytest.raises(DomainError, match="po terminie"):
        services.appeal_self_correct(appeal=appeal, actor=users["kierownik"], on=date(2026, 1, 5))


# ------------------------------------------------------------------ changes and payable lines


def test_change_acts_for_the_future_and_ends_the_old_line(ready_application, users, on):
    d = signed(
        ready_application,
        users,
        date(2026, 11, 5),
        immediate=True,
        immediate_reason="ochronę zdrowia strony",
    )
    # Rygor natychmiastowej wykonalności acts from delivery (art. 110 § 1, art. 130 § 3 KPA).
    d = services.decision_deliver(
        decision=d,
        actor=users["socjalny"],
        channel="osobiscie",
        delivered_on=date(2026, 11, 5),
        today=date(2026, 11, 5),
    )
    with pytest.raises(DomainError, match="na przyszłość"):
        services.decision_amend_draft(
            decision=d,
            kind=DecisionKind.CHANGE,
            actor=users["socjalny"],
            effective_from=date(2026, 11, 1),
        )
    change = services.decision_amend_draft(
        decision=d,
        kind=DecisionKind.CHANGE,
        actor=users["socjalny"],
        effective_from=date(2027, 1, 1),
        reason="Wzrost dochodu (art. 106 ust. 5 u.p.s.).",
    )
    services.decision_update_draft(
        decision=change,
        expected_version=change.version,
        actor=users["socjalny"],
        immediate=True,
        immediate_reason="zapewnienie ciągłości świadczenia",
        lines=[
            {
                "benefit": "zasilek_staly",
                "amount": "300.00",
                "period_from": date(2027, 1, 1),
                "account_number": NRB,
                "health_insured_elsewhere": False,
            }
        ],
    )
    services.decision_check(now=dates.now(), decision=change, actor=users["kierownik"])
    services.decision_sign(now=dates.now(), decision=change, actor=users["kierownik"], on=on)
    services.decision_deliver(
        decision=change, actor=users["socjalny"], channel="osobiscie", delivered_on=on, today=on
    )
    lines = selectors.payable_lines(period_start=date(2026, 12, 1), period_end=date(2027, 2, 1))
    by_decision = {ln.decision_id: ln for ln in lines}
    assert by_decision[d.pk].effective_to == date(2027, 1, 1)
    assert by_decision[change.pk].monthly_amount == Decimal("300.00")
    assert by_decision[d.pk].budget.chapter == "85216"
    assert by_decision[d.pk].health_insured_elsewhere is True  # a pensioner (art. 72 u.ś.o.z.)
    assert by_decision[change.pk].health_insured_elsewhere is False  # as the worker set it


def test_recovery_draft_for_payments(ready_application, users, on):
    d = signed(ready_application, users, date(2026, 11, 5))
    line = d.lines.get()
    rec = services.decision_recovery_draft(
        case_id=d.case_id,
        person_id=d.addressee_id,
        amount=Decimal("413.00"),
        reason="Nadpłata za grudzień 2026 r.",
        source_line_ids=[line.pk],
        actor=users["socjalny"],
    )
    assert rec.kind == DecisionKind.RECOVERY and rec.matter == MatterKind.UNDUE_BENEFITS
    assert rec.recovery_amount == Decimal("413.00") and rec.refers_to_id == d.pk
    assert rec.case_reference == d.case_reference
    # DYR/7/2025 does not cover undue benefits; the director signs
    services.decision_check(now=dates.now(), decision=rec, actor=users["kierownik"])
    with pytest.raises(NotPermitted):
        services.decision_sign(now=dates.now(), decision=rec, actor=users["kierownik"], on=on)
    services.decision_sign(now=dates.now(), decision=rec, actor=users["dyrektor"], on=on)


def test_rectification_art_113_is_a_separate_record_with_pdf(ready_application, users, on):
    d = signed(ready_application, users, on)
    rect = services.decision_rectify(
        decision=d,
        actor=users["kierownik"],
        on=on,
        text="w nagłówku w miejsce „ul. Źródłowa” winno być „ul. Źródlana”",
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(rect.pdf))).pages)
    text = " ".join(text.split())
    assert "art. 113 § 1 KPA" in text and d.number in text
    d.refresh_from_db()
    assert d.justification  # the decision itself unchanged
