"""Immutability: signed decisions (and their frozen PDF), approved payments, notes and audit
rows cannot be changed through the UI, the API or the ORM (model save, queryset update/delete).
The contexts test the obvious angles; these are the ones an attacker or a hurried script tries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

ON_SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]

# ------------------------------------------------------------------ signed decisions


def _frozen(decision: Any) -> tuple[Any, ...]:
    decision.refresh_from_db()
    return (decision.justification, decision.number, decision.status, decision.version)


def test_signed_decision_unchanged_through_ui_and_api(
    ro1: dict[str, Any],
    users: dict[str, Any],
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    d = ro1["signed_decision"]
    before = _frozen(d)
    ui = client_for(users["socjalny"])
    ui.post(reverse("decisions:edit", args=[d.pk]), {"version": d.version, "justification": "X"})
    api = token_client(users["socjalny"])
    patch = api.patch(
        f"/api/v1/decisions/{d.pk}",
        data=json.dumps({"version": d.version, "justification": "X"}),
        content_type="application/json",
    )
    assert patch.status_code in (403, 409, 422)
    assert api.delete(f"/api/v1/decisions/{d.pk}").status_code in (403, 409, 422)
    assert _frozen(d) == before


def test_signed_decision_refuses_orm_changes(ro1: dict[str, Any]) -> None:
    from ostoja.decisions.models import Decision, DecisionLine, SignedDecisionImmutable

    d = ro1["signed_decision"]
    d.justification = "Zmienione po podpisie"
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        d.save()
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        Decision.objects.filter(pk=d.pk).update(justification="X")
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        Decision.objects.filter(pk=d.pk).delete()
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        DecisionLine.objects.filter(decision=d).update(amount=1)
    line = DecisionLine.objects.filter(decision=d).first()
    if line is not None:
        with pytest.raises(SignedDecisionImmutable), transaction.atomic():
            line.delete()


def test_signed_document_refuses_model_changes(ro1: dict[str, Any]) -> None:
    from ostoja.decisions.models import DecisionDocument, SignedDecisionImmutable

    doc = DecisionDocument.objects.get(decision=ro1["signed_decision"])
    doc.sha256 = "0" * 64
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        doc.save()
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        doc.delete()


def test_signed_document_refuses_queryset_changes(ro1: dict[str, Any]) -> None:
    from ostoja.decisions.models import DecisionDocument

    qs = DecisionDocument.objects.filter(decision=ro1["signed_decision"])
    sha = qs.get().sha256
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - any refusal will do
        qs.update(sha256="0" * 64)
    assert qs.get().sha256 == sha


def test_signed_decision_cannot_go_back_to_draft(ro1: dict[str, Any]) -> None:
    from ostoja.decisions.models import Decision

    d = ro1["signed_decision"]
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        Decision.objects.filter(pk=d.pk).update(status="projekt")
    d.refresh_from_db()
    assert d.status != "projekt"


# ------------------------------------------------------------------ approved payments


def test_approved_payment_refuses_orm_changes(demo: None, db: Any) -> None:
    from ostoja.core.errors import DomainError
    from ostoja.payments.models import Payment

    p = Payment.objects.filter(locked=True).first()
    assert p is not None, "the demo has an approved list"
    amount = p.amount
    p.amount = amount + 1
    with pytest.raises(DomainError), transaction.atomic():
        p.save()
    with pytest.raises(DomainError), transaction.atomic():
        Payment.objects.filter(pk=p.pk).update(amount=amount + 1)
    with pytest.raises(DomainError), transaction.atomic():
        Payment.objects.filter(pk=p.pk).delete()
    with pytest.raises(DomainError), transaction.atomic():
        Payment.objects.filter(pk=p.pk).update(list=None)
    p.refresh_from_db()
    assert p.amount == amount


def test_approved_payment_cannot_be_unlocked_nor_its_list_totals_changed(
    demo: None, db: Any
) -> None:
    from ostoja.payments.models import Payment, PaymentList

    p = Payment.objects.filter(locked=True).first()
    assert p is not None
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        Payment.objects.filter(pk=p.pk).update(locked=False)
    pl = PaymentList.objects.get(pk=p.list_id)
    pl.total = 0
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        pl.save()


def test_approved_list_cannot_be_approved_again_or_reexported_by_others(
    demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from ostoja.payments.models import PaymentList

    pl = PaymentList.objects.filter(status="zatwierdzona").first()
    assert pl is not None
    before = (pl.approved_by_id, pl.approved_at, pl.version)
    client_for(users["ksiegowosc"]).post(
        reverse("payments:list_approve", args=[pl.pk]),
        {"execution_date": "2030-01-02", "version": pl.version},
    )
    pl.refresh_from_db()
    assert (pl.approved_by_id, pl.approved_at, pl.version) == before


# ------------------------------------------------------------------ notes


def test_notes_are_append_only_everywhere(
    ro1: dict[str, Any],
    users: dict[str, Any],
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    from ostoja.socialwork.models import CaseNote, NoteImmutable

    note = ro1["note"]
    text = note.text
    api = token_client(users["socjalny"])
    for method in ("PUT", "PATCH", "DELETE"):
        r = api.generic(
            method,
            f"/api/v1/notes/{note.pk}",
            data=json.dumps({"text": "X"}),
            content_type="application/json",
        )
        assert r.status_code == 405, method
    # The correction page adds a new note and leaves the original as it was.
    client_for(users["socjalny"]).post(
        reverse("socialwork:note_correct", args=[note.pk]),
        {
            "category": note.category,
            "occurred_on": note.occurred_on.isoformat(),
            "text": "Poprawiona treść",
            "correction_reason": "omyłka",
        },
    )
    note.refresh_from_db()
    assert note.text == text
    note.text = "X"
    with pytest.raises(NoteImmutable), transaction.atomic():
        note.save()
    with pytest.raises(NoteImmutable), transaction.atomic():
        note.delete()
    with pytest.raises(NoteImmutable), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).update(text="X")
    with pytest.raises(NoteImmutable), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).delete()
    with pytest.raises(NoteImmutable), transaction.atomic():
        CaseNote.objects.bulk_update([note], ["text"])
    assert CaseNote.objects.get(pk=note.pk).text == text


# ------------------------------------------------------------------ audit rows


def test_audit_rows_refuse_model_changes(demo: None, db: Any) -> None:
    from ostoja.audit.guards import AuditImmutable

    entry = LogEntry.objects.order_by("pk").first()
    assert entry is not None
    entry.object_repr = "zmienione"
    with pytest.raises(AuditImmutable), transaction.atomic():
        entry.save()
    with pytest.raises(AuditImmutable), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()


def test_audit_rows_refuse_queryset_update(demo: None, db: Any) -> None:
    entry = LogEntry.objects.order_by("pk").first()
    assert entry is not None
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="zmienione")
    assert LogEntry.objects.get(pk=entry.pk).object_repr != "zmienione"


def test_audit_log_has_no_write_endpoint(
    demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    before = LogEntry.objects.count()
    client_for(users["iod"]).post(reverse("audit:log"), {"object_repr": "x"})
    assert LogEntry.objects.count() in (before, before + 1)  # a read of the page at most
    assert not LogEntry.objects.filter(object_repr="x").exists()
