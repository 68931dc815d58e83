"""Shared registry test material."""

from __future__ import annotations

from datetime import date
from typing import Any

from ostoja.registry import services

ON = date(2025, 11, 5)


def parent_and_child(person_data: dict[str, Any], worker: Any) -> tuple[Any, Any, Any, Any]:
    """A parent (``person_data``) with a child (no PESEL, born 2010) in one household from
    1 January 2024: ``(parent, child, household, the child's membership)``."""
    p = services.person_create(data=person_data, user=worker, on=ON)
    child = services.person_create(
        data={
            **person_data,
            "first_name": "Jakub",
            "pesel": "",
            "birth_date": date(2010, 3, 3),
            "id_document_type": "inny",
            "id_document_number": "X",
        },
        user=worker,
        on=ON,
    )
    h = services.household_create(name="", applicant=p, valid_from=date(2024, 1, 1), user=worker)
    m = services.membership_add(
        household=h,
        person=child,
        relation="dziecko",
        valid_from=date(2024, 1, 1),
        expected_version=h.version,
    )
    return p, child, h, m
