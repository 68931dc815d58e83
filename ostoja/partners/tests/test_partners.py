"""The partner register: KRS, REGON, NIP validated (python-stdnum), roles, agreements."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.partners import services as svc
from ostoja.partners.models import Partner
from ostoja.partners.tests.conftest import NIP_OK, REGON_OK

pytestmark = pytest.mark.django_db


def _data(**over: Any) -> dict[str, Any]:
    data = {"name": "Fundacja Testowa", "legal_form": "fundacja", "krs": "0000123456",
            "nip": NIP_OK, "regon": REGON_OK, "roles": ["uslugodawca"]}  # fmt: skip
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [("krs", "12345"), ("krs", "00001234AB"), ("regon", "290528400"), ("nip", "6572617355")],
)
def test_bad_identifier_names_the_field(staff: Any, travel: Any, field: str, value: str) -> None:
    now = travel("2026-12-01")
    with pytest.raises(ValidationFailed) as exc:
        svc.partner_create(data=_data(**{field: value}), user=staff.head, now=now)
    assert list(exc.value.errors) == [field]
    assert field.upper() in exc.value.errors[field][0]
    assert not Partner.objects.exists()


def test_identifiers_are_normalised_and_unique(staff: Any, travel: Any) -> None:
    now = travel("2026-12-01")
    p = svc.partner_create(data=_data(nip="657-261-73-54"), user=staff.head, now=now)
    assert p.nip == NIP_OK and p.active_from == date(2026, 12, 1)
    with pytest.raises(ValidationFailed) as exc:
        svc.partner_create(data=_data(krs="0000999999"), user=staff.head, now=now)
    assert "nip" in exc.value.errors


def test_unknown_role_refused(staff: Any, travel: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        svc.partner_create(data=_data(roles=["bank"]), user=staff.head, now=travel("2026-12-01"))
    assert "roles" in exc.value.errors


def test_concurrent_edit_is_not_lost(food_bank: Any, staff: Any, travel: Any) -> None:
    now = travel("2026-12-02")
    svc.partner_update(partner=food_bank, data={"phone": "41 000"}, expected_version=1,
                       user=staff.head, now=now)  # fmt: skip
    stale = Partner.objects.get(pk=food_bank.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        svc.partner_update(partner=stale, data={"phone": "41 111"}, expected_version=1,
                           user=staff.head, now=now)  # fmt: skip
    assert Partner.objects.get(pk=food_bank.pk).phone == "41 000"


def test_agreement_validity_is_half_open(food_bank: Any) -> None:
    with pytest.raises(ValidationFailed):
        svc.agreement_add(partner=food_bank, number="P/1", subject="FEPŻ", signed_on=date(2026, 1, 1),
                          valid_from=date(2026, 1, 1), valid_to=date(2026, 1, 1))  # fmt: skip
    a = svc.agreement_add(partner=food_bank, number="P/1", subject="FEPŻ", signed_on=date(2026, 1, 1),
                          valid_from=date(2026, 1, 1), valid_to=date(2027, 1, 1))  # fmt: skip
    assert a.pk


# ------------------------------------------------------------------ API


def test_api_post_bad_nip_is_422_naming_the_field(staff: Any, client_for: Any, travel: Any) -> None:
    travel("2026-12-01")
    r = client_for(staff.head).post(
        "/api/v1/partners", json.dumps(_data(nip="1234567890")), content_type="application/json"
    )
    assert r.status_code == 422
    err = r.json()["errors"][0]
    assert err["field"] == "nip" and "NIP" in err["message"]
    assert not Partner.objects.exists()


def test_api_post_and_get(staff: Any, client_for: Any, travel: Any) -> None:
    travel("2026-12-01")
    c = client_for(staff.head)
    r = c.post("/api/v1/partners", json.dumps(_data()), content_type="application/json")
    assert r.status_code == 201, r.content
    r = client_for(staff.worker).get("/api/v1/partners")
    assert r.status_code == 200 and r.json()[0]["nip"] == NIP_OK


def test_api_post_needs_manager(staff: Any, client_for: Any, travel: Any) -> None:
    travel("2026-12-01")
    r = client_for(staff.worker).post(
        "/api/v1/partners", json.dumps(_data()), content_type="application/json"
    )
    assert r.status_code == 403


def test_partner_account_cannot_read_the_register(partner_account: Any, client_for: Any) -> None:
    assert client_for(partner_account).get("/api/v1/partners").status_code == 403
