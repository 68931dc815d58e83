"""The care tests' staff of district ro1: a social worker (manages orders, proposes
corrections), a benefits clerk and the district's head (both may bill), and finance (receivables
and refunds, organisation-wide). A test module may define its own under the same name."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.org.roles import Role


@pytest.fixture
def worker(make_staff: Any) -> Any:
    return make_staff("opiekun1", role=Role.SOCIAL_WORKER)


@pytest.fixture
def clerk(make_staff: Any) -> Any:
    return make_staff("swiadczenia1", role=Role.BENEFITS_CLERK, unit_code="ro1")


@pytest.fixture
def head(make_staff: Any) -> Any:
    return make_staff("kier1", role=Role.HEAD_OF_UNIT, unit_code="ro1")


@pytest.fixture
def finance(make_staff: Any) -> Any:
    return make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
