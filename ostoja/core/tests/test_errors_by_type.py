"""Issue 18: views map domain errors by their type, and a missing record is a 404 only when
the selector says ``DoesNotExist`` — a bug or a database error is never hidden as a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ostoja.core.errors import (
    ConflictError,
    DomainError,
    NotPermitted,
    ValidationFailed,
    page_status,
)
from ostoja.org.roles import Role


class NotYourUnit(NotPermitted):
    """A subclass: a rule by class *name* would have answered 409 here."""


def test_page_status_by_type() -> None:
    assert page_status(NotPermitted("nie")) == 403
    assert page_status(NotYourUnit("nie")) == 403
    assert page_status(ConflictError()) == 409
    assert page_status(ValidationFailed({"pole": ["zła wartość"]})) == 409
    assert page_status(DomainError("stan sprawy")) == 409


@pytest.mark.django_db
def test_missing_application_is_404_but_a_bug_is_not(
    demo_org: Any, make_staff: Any, client_for: Any, monkeypatch: Any
) -> None:
    client = client_for(make_staff("sprawdzajacy", role=Role.SOCIAL_WORKER))
    url = reverse("decisions:draft_from_application", args=[999_999])
    assert client.post(url).status_code == 404

    def broken(**kw: Any) -> Any:
        raise RuntimeError("błąd programu")

    monkeypatch.setattr("ostoja.cases.selectors.application_get", broken)
    with pytest.raises(RuntimeError):
        client.post(url)
