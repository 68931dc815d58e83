"""Financial controls: four eyes on payment lists (segregation of duties — whoever ran the month
does not approve its list), the bank profile from settings (OSTOJA_BANK_PROFILE), and a re-run
of an approved month opens no empty supplement list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.core import dates
from ostoja.core.errors import ValidationFailed
from ostoja.decisions.lines import PaymentMethod
from ostoja.payments import services
from ostoja.payments.models import ListStatus, PaymentList
from ostoja.payments.testing import EXPORT_NOW, make_line

pytestmark = pytest.mark.django_db


def _approve(pl: PaymentList, user: Any) -> PaymentList:
    return services.payment_list_approve(
        now=dates.now(),
        list_id=pl.id,
        actor=user,
        execution_date=date(2026, 11, 10),
        expected_version=pl.version,
    )


def test_four_eyes_the_person_who_ran_the_month_cannot_approve_its_list(
    finance: Any, make_staff: Any
) -> None:
    from ostoja.org.roles import Role

    services.payroll_build(
        now=dates.now(), month="2026-11", lines=[make_line(1), make_line(2)], actor=finance
    )
    pl = PaymentList.objects.get()
    with pytest.raises(ValidationFailed) as exc:
        _approve(pl, finance)
    assert "inna osoba" in str(exc.value.errors["__all__"][0])
    pl.refresh_from_db()
    assert pl.status == ListStatus.DRAFT and pl.approved_by is None
    other = make_staff("ksieg2", role=Role.FINANCE, unit_code="fk")
    assert _approve(pl, other).status == ListStatus.APPROVED


def test_four_eyes_counts_every_run_that_added_to_the_list(clerk: Any, finance: Any) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=[make_line(1)], actor=clerk)
    services.payroll_build(
        now=dates.now(), month="2026-11", lines=[make_line(1), make_line(2)], actor=finance
    )
    pl = PaymentList.objects.get()
    assert pl.payment_count == 2
    with pytest.raises(ValidationFailed):
        _approve(pl, finance)  # finance added payment 2 to this very list


def test_rerun_of_an_approved_month_opens_no_empty_list(clerk: Any, finance: Any) -> None:
    lines = [make_line(1), make_line(2, method=PaymentMethod.CASH)]
    services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=clerk)
    for pl in PaymentList.objects.all():
        _approve(pl, finance)
    again = services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=clerk)
    assert (again.created, again.skipped, again.lists) == (0, 2, [])
    assert PaymentList.objects.count() == 2
    assert not PaymentList.objects.filter(status=ListStatus.DRAFT).exists()


def test_bank_profile_comes_from_settings(settings: Any) -> None:
    assert services.bank_profile() == "pko_bp"
    settings.OSTOJA_BANK_PROFILE = "ing"
    assert services.bank_profile() == "ing"
    assert services.bank_profile("e25") == "e25"  # an explicit choice wins
    settings.OSTOJA_BANK_PROFILE = "mbank"
    with pytest.raises(ValidationFailed) as exc:
        services.bank_profile()
    assert "Nieznany profil banku" in exc.value.errors["profile"][0]


def test_export_uses_the_configured_profile(
    settings: Any, clerk: Any, finance: Any, centre_account: None
) -> None:
    """ING's Multicash sample stops at 15 fields (formats.md §2)."""
    settings.OSTOJA_BANK_PROFILE = "ing"
    services.payroll_build(now=dates.now(), month="2026-11", lines=[make_line(1)], actor=clerk)
    pl = _approve(PaymentList.objects.get(), finance)
    export = services.payment_list_export(
        now=EXPORT_NOW, list_id=pl.id, fmt="elixir", actor=finance
    )
    assert export.profile == "ing"
    record = bytes(export.content).decode("iso8859_2").rstrip("\r\n")
    assert record.startswith("110,") and record.count(",") >= 14


def test_four_eyes_refusal_shows_on_the_list_page_and_saves_nothing(
    finance: Any, client_for: Any
) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=[make_line(1)], actor=finance)
    pl = PaymentList.objects.get()
    response = client_for(finance).post(
        f"/wyplaty/listy/{pl.id}/zatwierdz/",
        {"execution_date": "2026-11-10", "version": pl.version},
    )
    assert response.status_code == 422
    assert "zasada dwóch par oczu" in response.content.decode()
    pl.refresh_from_db()
    assert pl.status == ListStatus.DRAFT


def test_bad_month_is_refused_on_the_field(clerk: Any, client_for: Any) -> None:
    response = client_for(clerk).post("/wyplaty/uruchom/", {"month": "2026-13"})
    assert response.status_code == 422
    assert "Nie ma takiego miesiąca" in response.content.decode()
    from ostoja.payments.models import PaymentRun

    assert not PaymentRun.objects.exists()


def test_date_widgets_show_their_value(finance: Any, clerk: Any, client_for: Any) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=[make_line(1)], actor=clerk)
    pl = PaymentList.objects.get()
    html = client_for(finance).get(f"/wyplaty/listy/{pl.id}/").content.decode()
    # The proposed execution day: the 10th of the list's month, or today when that has passed.
    proposed = max(date(2026, 11, 10), dates.today())
    assert 'type="date"' in html and f'value="{proposed.isoformat()}"' in html
