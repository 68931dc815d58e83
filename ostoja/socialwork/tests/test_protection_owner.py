"""Issue 18: the cases context owns the protection flag (art. 100 u.p.s. — protected records);
social work keeps only the history of changes with their reasons. One change, one timeline row."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.cases.models import TimelineEvent
from ostoja.core import dates
from ostoja.socialwork import selectors as sel
from ostoja.socialwork import services as svc

pytestmark = pytest.mark.django_db


def _protection_rows(case: Any) -> list[str]:
    return list(
        TimelineEvent.objects.filter(case=case, title__contains="chronion").values_list(
            "title", flat=True
        )
    ) + list(
        TimelineEvent.objects.filter(case=case, title__contains="ochron").values_list(
            "title", flat=True
        )
    )


def test_each_protection_change_writes_one_timeline_row_art_100_ups(case: Any, sw: Any) -> None:
    svc.case_protect(
        now=dates.now(), case=case, protected=True, reason="Niebieska Karta", user=sw.head
    )
    case.refresh_from_db()
    assert case.protected and sel.case_protected(case=case)
    assert _protection_rows(case) == ["Sprawa oznaczona jako chroniona"]
    svc.case_protect(
        now=dates.now(), case=case, protected=False, reason="Zakończona procedura", user=sw.head
    )
    case.refresh_from_db()
    assert not case.protected and not sel.case_protected(case=case)
    assert sorted(_protection_rows(case)) == [
        "Sprawa oznaczona jako chroniona",
        "Zdjęto ochronę sprawy",
    ]
    assert [c.protected for c in sel.protection_history(case=case)] in (
        [False, True],
        [True, False],
    )


def test_the_flag_on_the_case_alone_decides(case: Any) -> None:
    """No second owner: a history row without the flag does not protect the case."""
    from ostoja.socialwork.models import ProtectionChange

    ProtectionChange.objects.create(
        case=case, protected=True, reason="wpis bez flagi", changed_by=case.worker,
        changed_at=dates.now(),
    )  # fmt: skip
    case.refresh_from_db()
    assert not sel.case_protected(case=case)
