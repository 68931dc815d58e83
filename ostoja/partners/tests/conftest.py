from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ostoja.partners import services as svc
from ostoja.partners.models import LegalForm, PartnerRole
from ostoja.socialwork.tests.factories import make_case

# Valid identifiers (check digits computed): REGON 9 digits, NIP 10 digits.
NIP_OK = "6572617354"
REGON_OK = "290528408"


@pytest.fixture
def staff(demo_org: Any) -> Any:
    User = get_user_model()

    class NS:
        worker = User.objects.get(username="socjalny")
        worker2 = User.objects.get(username="socjalny2")
        head = User.objects.get(username="kierownik")
        director = User.objects.get(username="dyrektor")
        finance = User.objects.get(username="ksiegowosc")
        analyst = User.objects.get(username="analityk")

    return NS()


@pytest.fixture
def food_bank(staff: Any, travel: Any) -> Any:
    now = travel("2026-12-01")
    return svc.partner_create(
        data={
            "name": "Kielecki Bank Żywności", "legal_form": LegalForm.ASSOCIATION,
            "krs": "0000284329", "nip": NIP_OK, "regon": REGON_OK,
            "roles": [PartnerRole.FOOD_AID, PartnerRole.VOLUNTEERS],
            "active_from": date(2020, 1, 1),
        },
        user=staff.head, now=now,
    )  # fmt: skip


@pytest.fixture
def case(staff: Any) -> Any:
    return make_case(worker=staff.worker)


@pytest.fixture
def partner_account(food_bank: Any) -> Any:
    user = get_user_model().objects.create_user(username="kbz", password="demo")
    svc.partner_user_link(user=user, partner=food_bank)
    return user
