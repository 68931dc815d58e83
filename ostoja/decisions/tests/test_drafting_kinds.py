"""One public drafting function per decision kind, and the generic ``decision_create`` that
delegates to them (issue 18). The rules checked are those the constructor enforces for every
kind: art. 106 ust. 5 u.p.s. (a change acts on a signed decision, for the future), art. 98
u.p.s. (a recovery names a positive amount), art. 108 § 1 KPA (immediate enforceability needs a
reason)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.decisions import services
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.tests.test_workflow import signed

pytestmark = pytest.mark.django_db


def _fee_line() -> dict[str, object]:
    return {
        "benefit": "oplata_dps",
        "amount": "1645.30",
        "period_from": date(2026, 12, 1),
        "payment_method": "rzeczowa",
    }


def test_generic_entry_delegates_to_the_function_of_the_kind(ready_application, users):
    app = ready_application("zasilek_staly")
    common = {
        "case": app.case,
        "application": app,
        "addressee": app.applicant,
        "actor": users["socjalny"],
        "justification": "Uzasadnienie.",
        "lines": [_fee_line()],
    }
    by_kind = services.decision_create_fee(**common)
    generic = services.decision_create(kind=DecisionKind.FEE, **common)
    assert by_kind.kind == generic.kind == DecisionKind.FEE
    assert by_kind.matter == generic.matter
    assert [ln.amount for ln in by_kind.lines.all()] == [ln.amount for ln in generic.lines.all()]


def test_generic_entry_refuses_a_field_the_kind_does_not_take(ready_application, users):
    app = ready_application("zasilek_staly")
    with pytest.raises(ValidationFailed) as exc:
        services.decision_create(
            kind=DecisionKind.FEE,
            case=app.case,
            application=app,
            addressee=app.applicant,
            actor=users["socjalny"],
            lines=[_fee_line()],
            recovery_amount=Decimal("10.00"),
        )
    assert exc.value.field == "recovery_amount"
    assert not app.decisions.exists()


def test_generic_entry_unknown_kind_names_the_field(ready_application, users):
    app = ready_application("zasilek_staly")
    with pytest.raises(ValidationFailed, match="Nieznany rodzaj decyzji") as exc:
        services.decision_create(
            kind="cos_innego", case=app.case, addressee=app.applicant, actor=users["socjalny"]
        )
    assert exc.value.field == "kind"


def test_art_106_ust_5_generic_change_without_the_changed_decision_names_the_field(
    ready_application, users
):
    app = ready_application("zasilek_staly")
    with pytest.raises(ValidationFailed, match="Wskaż decyzję") as exc:
        services.decision_create(
            kind=DecisionKind.CHANGE,
            case=app.case,
            application=app,
            addressee=app.applicant,
            actor=users["socjalny"],
            lines=[_fee_line()],
        )
    assert exc.value.field == "refers_to"


def test_art_106_ust_5_revocation_of_a_signed_decision(ready_application, users, on):
    d = signed(ready_application, users, on)
    first = d.lines.order_by("period_from").first()
    revocation = services.decision_create_revocation(
        case=d.case,
        addressee=d.addressee,
        actor=users["socjalny"],
        refers_to=d,
        effective_from=first.period_from + timedelta(days=31),
        reason_text="Strona podjęła zatrudnienie.",
    )
    assert revocation.kind == DecisionKind.REVOCATION and revocation.refers_to_id == d.pk
    assert revocation.case_reference == d.case_reference


def test_art_98_recovery_needs_a_positive_amount(ready_application, users, on):
    d = signed(ready_application, users, on)
    with pytest.raises(ValidationFailed) as exc:
        services.decision_create_recovery(
            case=d.case,
            addressee=d.addressee,
            actor=users["socjalny"],
            refers_to=d,
            recovery_amount=Decimal("0.00"),
        )
    assert exc.value.field == "recovery_amount"
    recovery = services.decision_create_recovery(
        case=d.case,
        addressee=d.addressee,
        actor=users["socjalny"],
        refers_to=d,
        recovery_amount=Decimal("120.00"),
        recovery_source_lines=[d.lines.get().pk],
    )
    assert recovery.kind == DecisionKind.RECOVERY
    assert recovery.recovery_amount == Decimal("120.00")


def test_art_108_par_1_kpa_immediate_needs_a_reason_in_every_kind(ready_application, users):
    app = ready_application("zasilek_staly")
    with pytest.raises(ValidationFailed) as exc:
        services.decision_create_discontinuance(
            case=app.case,
            application=app,
            addressee=app.applicant,
            actor=users["socjalny"],
            reason_text="Strona wycofała wniosek.",
            immediate=True,
        )
    assert exc.value.field == "immediate_reason"
