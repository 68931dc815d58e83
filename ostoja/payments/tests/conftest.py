from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def finance(make_staff: Any) -> Any:
    from ostoja.org.roles import Role

    return make_staff("ksieg", role=Role.FINANCE, unit_code="fk")


@pytest.fixture
def clerk(make_staff: Any) -> Any:
    from ostoja.org.roles import Role

    return make_staff("swiad", role=Role.BENEFITS_CLERK, unit_code="dps")


@pytest.fixture
def centre_account(db: Any) -> None:
    from ostoja.org.services import instance_settings_ensure
    from ostoja.payments.testing import ORDERING_NRB

    obj = instance_settings_ensure()
    obj.bank_account = ORDERING_NRB
    obj.save()


@pytest.fixture
def finance2(make_staff: Any) -> Any:
    """A second finance user: imports the statement of a list ``finance`` approved and exported
    (the importer is never the approver or the exporter — ``payments.reconciliation``)."""
    from ostoja.org.roles import Role

    return make_staff("ksieg2", role=Role.FINANCE, unit_code="fk")
