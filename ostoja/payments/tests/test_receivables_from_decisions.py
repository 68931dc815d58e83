"""Receivables come from signed recovery decisions (art. 98 ust. 1 and art. 104 ust. 1 u.p.s.):
the receivables page lists the decisions without a receivable, finance registers each once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from ostoja.decisions.choices import DecisionKind, DecisionStatus
from ostoja.decisions.models import Decision
from ostoja.payments import selectors, services
from ostoja.payments.models import Receivable

pytestmark = pytest.mark.django_db
PAGE = "payments:receivables"


def _recovery(
    *,
    status: str = DecisionStatus.SIGNED,
    kind: str = DecisionKind.RECOVERY,
    amount: str = "812.40",
    number: str = "ZPS.4011.7.2026",
) -> Decision:
    """A recovery decision as the decisions context leaves it after signing."""
    from django.contrib.auth import get_user_model

    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application("zasilek_staly", received_on=date(2026, 10, 1))
    drafter = get_user_model().objects.get(username="socjalny")
    signed = status != DecisionStatus.DRAFTED
    return Decision.objects.create(
        case=app.case,
        application=app,
        kind=kind,
        matter="zasilek_staly",
        status=status,
        number=number if signed else "",
        case_reference=app.reference,
        addressee=app.applicant,
        addressee_name=f"{app.applicant.first_name} {app.applicant.last_name}",
        recovery_amount=Decimal(amount),
        recovery_due=date(2026, 12, 15),
        reason_text="świadczenie pobrane po podjęciu zatrudnienia",
        drafter=drafter,
        issued_on=date(2026, 11, 10) if signed else None,
    )


def _url(d: Decision) -> str:
    return reverse("payments:receivable_from_decision", args=[d.pk])


def test_signed_recovery_decision_is_listed_until_registered(
    demo_org: None, finance: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    """art. 104 ust. 1 u.p.s.: a signed recovery decision waits on the page for its receivable;
    drafts and other kinds do not."""
    d = _recovery()
    _recovery(status=DecisionStatus.DRAFTED)
    _recovery(kind=DecisionKind.GRANT, number="ZPS.4011.8.2026")
    assert [r.decision_id for r in selectors.recovery_decisions_to_register()] == [d.pk]

    client = client_for(finance)
    with django_assert_max_num_queries(25):
        page = client.get(reverse(PAGE))
    html = page.content.decode()
    assert page.status_code == 200
    assert d.number in html and "Zarejestruj należność" in html and _url(d) in html

    services.receivable_register_from_decision(decision_id=d.pk, actor=finance)
    assert selectors.recovery_decisions_to_register() == []
    assert _url(d) not in client.get(reverse(PAGE)).content.decode()


def test_registering_creates_one_receivable_from_the_decision(
    demo_org: None, finance: Any, client_for: Any
) -> None:
    """art. 98 ust. 1 u.p.s.: debtor = the addressee, principal = the amount to recover."""
    d = _recovery(amount="812.40")
    response = client_for(finance).post(_url(d))
    rec = Receivable.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:receivable_detail", args=[rec.pk])
    assert rec.decision_id == d.pk and rec.decision_number == d.number
    assert rec.person_id == d.addressee_id and rec.case_id == d.case_id
    assert rec.debtor_name == d.addressee_name
    assert rec.principal == Decimal("812.40")
    assert (rec.decided_on, rec.due_date) == (date(2026, 11, 10), date(2026, 12, 15))
    assert rec.instalments.count() == 1 and rec.created_by == finance
    assert "po podjęciu zatrudnienia" in rec.reason

    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(rec).filter(action=LogEntry.Action.CREATE).exists()
    detail = client_for(finance).get(response["Location"]).content.decode()
    assert reverse("decisions:detail", args=[d.pk]) in detail


def test_second_attempt_is_refused(demo_org: None, finance: Any, client_for: Any) -> None:
    """art. 104 ust. 1 u.p.s.: one decision, one receivable — a repeated POST changes nothing."""
    d = _recovery()
    client = client_for(finance)
    client.post(_url(d))
    again = client.post(_url(d))  # issue 17: the refusal on the page, not a redirect
    assert again.status_code == 409 and Receivable.objects.count() == 1
    assert "jest już zarejestrowana" in again.content.decode()

    from ostoja.core.errors import ConflictError

    with pytest.raises(ConflictError):
        services.receivable_register_from_decision(decision_id=d.pk, actor=finance)
    assert Receivable.objects.count() == 1


def test_a_draft_is_not_registered(demo_org: None, finance: Any) -> None:
    """Only a signed decision creates a receivable (art. 104 ust. 1 u.p.s.)."""
    from ostoja.core.errors import DomainError

    d = _recovery(status=DecisionStatus.DRAFTED)
    with pytest.raises(DomainError):
        services.receivable_register_from_decision(decision_id=d.pk, actor=finance)
    assert not Receivable.objects.exists()


def test_non_finance_user_is_refused(demo_org: None, clerk: Any, client_for: Any) -> None:
    """Only finance (księgowość) keeps receivables; the clerk sees the list but no button."""
    d = _recovery()
    client = client_for(clerk)
    page = client.get(reverse(PAGE)).content.decode()
    assert d.number in page and _url(d) not in page
    assert client.post(_url(d)).status_code == 403
    assert client.get(_url(d)).status_code in (403, 405)

    from ostoja.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.receivable_register_from_decision(decision_id=d.pk, actor=clerk)
    assert not Receivable.objects.exists()
