"""Authorisations (upoważnienia, art. 110 ust. 8 u.p.s. with art. 268a KPA)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.org import selectors, services
from ostoja.org.models import Authorisation
from ostoja.org.roles import Role
from ostoja.org.status import (
    AuthorisationStatus,
    AuthorisationTerms,
    authorisation_covers,
    authorisation_status,
)

TERMS = AuthorisationTerms(
    valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31), revoked_on=None,
    scope=("zasilek_okresowy",),
)  # fmt: skip


def test_status_over_the_period() -> None:
    assert authorisation_status(TERMS, on=date(2024, 12, 31)) is AuthorisationStatus.NOT_YET
    assert authorisation_status(TERMS, on=date(2025, 1, 1)) is AuthorisationStatus.ACTIVE
    assert authorisation_status(TERMS, on=date(2025, 12, 31)) is AuthorisationStatus.ACTIVE
    assert authorisation_status(TERMS, on=date(2026, 1, 1)) is AuthorisationStatus.EXPIRED


def test_revocation_wins_from_its_day() -> None:
    revoked = AuthorisationTerms(TERMS.valid_from, TERMS.valid_until, date(2025, 6, 1), TERMS.scope)
    assert authorisation_status(revoked, on=date(2025, 5, 31)) is AuthorisationStatus.ACTIVE
    assert authorisation_status(revoked, on=date(2025, 6, 1)) is AuthorisationStatus.REVOKED


def test_covers_only_its_matters() -> None:
    assert authorisation_covers(TERMS, matter="zasilek_okresowy", on=date(2025, 3, 1))
    assert not authorisation_covers(TERMS, matter="zasilek_staly", on=date(2025, 3, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_covers_implies_active(on: date) -> None:
    if authorisation_covers(TERMS, matter="zasilek_okresowy", on=on):
        assert TERMS.valid_from <= on <= TERMS.valid_until  # type: ignore[operator]


@pytest.mark.django_db
def test_expired_authorisation_is_shown_as_expired_and_cannot_be_chosen(demo_org: None) -> None:
    from django.contrib.auth import get_user_model

    kierownik = get_user_model().objects.get(username="kierownik")
    on = date(2026, 11, 26)
    # DYR/3/2023 expired on 2024-12-31; DYR/7/2025 is active.
    rows = {r.obj.number: r for r in selectors.authorisation_list(on=on, holder=kierownik)}
    assert rows["DYR/3/2023"].status is AuthorisationStatus.EXPIRED
    assert rows["DYR/7/2025"].status is AuthorisationStatus.ACTIVE
    offered = selectors.authorisations_valid_for(user=kierownik, matter="zasilek_okresowy", on=on)
    assert [a.number for a in offered] == ["DYR/7/2025"]


@pytest.mark.django_db
def test_revoked_authorisation_cannot_be_chosen(demo_org: None) -> None:
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="swiadczenia")
    assert selectors.authorisations_valid_for(
        user=clerk, matter="zasilek_okresowy", on=date(2026, 6, 29)
    )
    assert not selectors.authorisations_valid_for(
        user=clerk, matter="zasilek_okresowy", on=date(2026, 6, 30)
    )


@pytest.mark.django_db
def test_grant_refuses_bad_input_with_field_messages(make_staff: object) -> None:
    holder = make_staff("jan", role=Role.HEAD_OF_UNIT)  # type: ignore[operator]
    with pytest.raises(ValidationFailed) as exc:
        services.authorisation_grant(
            holder=holder, number="X/1", scope=[], valid_from=date(2025, 2, 1),
            valid_until=date(2025, 1, 1), granted_by="Prezydent Miasta Kielce",
            granted_on=date(2025, 3, 1),
        )  # fmt: skip
    assert set(exc.value.errors) == {"scope", "valid_until", "granted_on"}
    assert Authorisation.objects.count() == 0


@pytest.mark.django_db
def test_revoke_keeps_the_record_and_refuses_twice(make_staff: object) -> None:
    holder = make_staff("jan", role=Role.HEAD_OF_UNIT)  # type: ignore[operator]
    a = services.authorisation_grant(
        holder=holder, number="X/2", scope=["zasilek_celowy"], valid_from=date(2025, 1, 1),
        valid_until=None, granted_by="Prezydent Miasta Kielce", granted_on=date(2025, 1, 1),
    )  # fmt: skip
    services.authorisation_revoke(authorisation=a, on=date(2025, 5, 1), reason="Zmiana stanowiska")
    a.refresh_from_db()
    assert a.revoked_on == date(2025, 5, 1)
    with pytest.raises(DomainError):
        services.authorisation_revoke(authorisation=a, on=date(2025, 6, 1), reason="Znowu")


@pytest.mark.django_db
def test_authorisation_pages(demo_org: None, client_for: object) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    admin = client_for(User.objects.get(username="admin"))  # type: ignore[operator]
    page = admin.get("/administracja/upowaznienia/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "DYR/3/2023" in text and "wygasło" in text and "odwołane" in text
    new = admin.post(
        "/administracja/upowaznienia/nowe/",
        {
            "holder": User.objects.get(username="socjalny").pk, "number": "DYR/99/2026",
            "scope": ["zasilek_celowy"], "valid_from": "2026-01-02", "valid_until": "2026-12-31",
            "granted_by": "Prezydent Miasta Kielce", "granted_on": "2026-01-02",
        },
    )  # fmt: skip
    assert new.status_code == 302
    a = Authorisation.objects.get(number="DYR/99/2026")
    detail = admin.get(f"/administracja/upowaznienia/{a.pk}/")
    assert "Historia zmian" in detail.content.decode()
    social = client_for(User.objects.get(username="socjalny"))  # type: ignore[operator]
    assert social.get("/administracja/upowaznienia/").status_code == 403
    assert social.post(f"/administracja/upowaznienia/{a.pk}/", {}).status_code == 403
