"""The case file's worker picker lists surnames in Polish alphabetical order (issue 17):
Ł after L, Ś after S, Ż after Z — made in SQL by the project's collation, as the other lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case

SURNAMES = ["Żak", "Zawada", "Łuczak", "Lis", "Śliwa", "Sowa", "Ćwik", "Cichy"]
ORDERED = ["Cichy", "Ćwik", "Lis", "Łuczak", "Sowa", "Śliwa", "Zawada", "Żak"]


@pytest.mark.django_db
def test_assign_picker_orders_polish_surnames(demo_org: Any, make_staff: Any, client_for: Any):
    from django.contrib.auth import get_user_model

    for n, surname in enumerate(SURNAMES):
        user = make_staff(f"pracownik{n}", role=Role.SOCIAL_WORKER, unit_code="ro1")
        user.last_name = surname
        user.save(update_fields=["last_name"])
    head = get_user_model().objects.get(username="kierownik")
    case = make_case(unit_code="ro1")
    r = client_for(head).get(reverse("cases:case_detail", args=[case.pk]))
    assert r.status_code == 200
    labels = [str(label) for _, label in r.context["assign_form"].fields["worker"].choices]
    ours = [label.split()[-1] for label in labels if label.split()[-1] in SURNAMES]
    assert ours == ORDERED  # byte order would put Ć, Ł, Ś, Ż after every plain letter
