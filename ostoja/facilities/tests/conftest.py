from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def staff(demo_org: Any) -> Any:
    """The demo accounts: worker (ro1), clerk (dpsr), head (ro1), director, finance, analyst."""
    User = get_user_model()

    class NS:
        worker = User.objects.get(username="socjalny")
        worker2 = User.objects.get(username="socjalny2")
        clerk = User.objects.get(username="swiadczenia")
        head = User.objects.get(username="kierownik")
        director = User.objects.get(username="dyrektor")
        finance = User.objects.get(username="ksiegowosc")
        analyst = User.objects.get(username="analityk")
        admin = User.objects.get(username="admin")

    return NS()
