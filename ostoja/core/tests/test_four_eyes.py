"""The two-person rule shared by the request-and-confirm flows (role and unit changes, partner
accounts, anonymisation under art. 17 RODO)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ostoja.core.errors import NotPermitted
from ostoja.core.four_eyes import require_second_person


def test_the_proposer_and_the_subject_are_refused_with_the_message() -> None:
    with pytest.raises(NotPermitted, match="inna osoba"):
        require_second_person(SimpleNamespace(pk=7), 7, 9, message="Potwierdza inna osoba.")
    with pytest.raises(NotPermitted):
        require_second_person(SimpleNamespace(pk=9), 7, 9, message="Potwierdza inna osoba.")


def test_another_person_passes_and_missing_ids_exclude_nobody() -> None:
    require_second_person(SimpleNamespace(pk=8), 7, 9, message="x")
    require_second_person(SimpleNamespace(pk=8), None, message="x")
