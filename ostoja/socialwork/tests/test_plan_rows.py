"""The assistance plan's actions as repeatable rows (issue 17), like the contract's: what, who,
by when per row; a refusal keeps the rows as typed, errors at the row's field, nothing saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from ostoja.socialwork import views
from ostoja.socialwork.models import AssistancePlan, PlanAction
from ostoja.socialwork.policy import PlanKind
from tests.refusals import error_summary as _summary

pytestmark = pytest.mark.django_db


def _rows(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {"plan-dzialania-TOTAL_FORMS": str(len(rows)), "plan-dzialania-INITIAL_FORMS": "0"}
    for i, (text, who, due) in enumerate(rows):
        data.update(
            {f"plan-dzialania-{i}-description": text, f"plan-dzialania-{i}-responsible": who,
             f"plan-dzialania-{i}-due_on": due}
        )  # fmt: skip
    return data


def _plan(**over: str) -> dict[str, str]:
    return {"kind": PlanKind.SUPPORT.value, "title": "Plan pomocy", "goals": "Samodzielność.",
            "valid_from": "2028-02-29", "valid_to": "", **over}  # fmt: skip


def test_plan_form_shows_rows_not_text_lines(case: Any, sw: Any, client_for: Any) -> None:
    page = client_for(sw.worker).get(reverse("socialwork:plan_new", args=[case.pk]))
    text = page.content.decode()
    assert "RRRR-MM-DD" not in text and "działanie — kto" not in text
    assert 'name="plan-dzialania-0-description"' in text
    assert (
        'name="plan-dzialania-0-responsible"' in text and 'for="id_plan-dzialania-1-due_on"' in text
    )


def test_plan_rows_saved_each_with_who_and_deadline(
    case: Any, sw: Any, client_for: Any, travel: Any
) -> None:
    travel("2028-02-29")
    kind = PlanKind.SUPPORT.value
    r = client_for(sw.worker).post(
        reverse("socialwork:plan_new", args=[case.pk]),
        {
            **_plan(kind=kind),
            **_rows(
                ("Wniosek o usługi | pilne", "rodzina", "2028-03-07"),
                ("Kontakt z lekarzem", "", ""),
                ("", "", ""),  # empty: skipped
            ),
        },
    )
    assert r.status_code == 302, _summary(r.content.decode())
    plan = AssistancePlan.objects.get()
    assert [(a.description, a.responsible, a.due_on) for a in plan.actions.order_by("pk")] == [
        ("Wniosek o usługi | pilne", "rodzina", date(2028, 3, 7)),  # a bar is text
        ("Kontakt z lekarzem", "osoba/rodzina", None),
    ]


def test_plan_refusal_keeps_rows_and_names_the_row(
    case: Any, sw: Any, client_for: Any, travel: Any
) -> None:
    travel("2028-02-29")
    url = reverse("socialwork:plan_new", args=[case.pk])
    c = client_for(sw.worker)
    r = c.post(
        url, {**_plan(kind=PlanKind.SUPPORT.value), **_rows(("", "pracownik", "2028-03-01"))}
    )
    page = r.content.decode()
    assert r.status_code == 422
    assert "Działania, wiersz 1" in _summary(page)
    assert 'id="id_plan-dzialania-0-description_error"' in page and 'value="pracownik"' in page
    r = c.post(
        url,
        {**_plan(kind=PlanKind.SUPPORT.value, valid_to="2028-02-28"),
         **_rows(("Szkolenie", "osoba", ""))},
    )  # fmt: skip
    page = r.content.decode()
    assert r.status_code == 422 and 'href="#id_valid_to"' in _summary(page)
    assert 'value="Szkolenie"' in page
    # adding a row without JavaScript: no errors, one more row, what was typed kept
    r = c.post(url, {**_plan(kind=PlanKind.SUPPORT.value), **_rows(("Szkolenie", "", "")),
                     views.ADD_PLAN_ACTION: "1"})  # fmt: skip
    page = r.content.decode()
    assert r.status_code == 200 and not _summary(page)
    assert 'name="plan-dzialania-1-description"' in page and 'value="Szkolenie"' in page
    assert not AssistancePlan.objects.exists() and not PlanAction.objects.exists()
