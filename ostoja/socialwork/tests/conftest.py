from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ostoja.socialwork.tests.factories import make_case


@pytest.fixture
def sw(demo_org: Any) -> Any:
    """The demo social worker (ro1), head (ro1), a colleague in ro1 and a case of the worker."""

    User = get_user_model()

    class NS:
        worker = User.objects.get(username="socjalny")
        head = User.objects.get(username="kierownik")
        director = User.objects.get(username="dyrektor")

    ns = NS()
    return ns


@pytest.fixture
def case(sw: Any) -> Any:
    return make_case(worker=sw.worker)


@pytest.fixture
def colleague(sw: Any, make_staff: Any) -> Any:
    from ostoja.org.roles import Role

    return make_staff("kolega", role=Role.SOCIAL_WORKER, unit_code="ro1")
