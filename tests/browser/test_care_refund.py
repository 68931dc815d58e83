"""A refund to a care-services client in the browser (issue 15): a correcting bill lowered a
paid month's fee; finance finds the refund on the invoice page, is refused when it types more
than is left (the error at the field, the page accessible), then records it with its document
— from the keyboard."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.browser.a11y import axe_violations


@pytest.mark.django_db(transaction=True)
def test_finance_records_a_refund_after_a_correcting_bill(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.care import services as svc
    from ostoja.care.models import CareMonthRefund
    from ostoja.care.tests.helpers import order_for
    from ostoja.core.dates import now, today
    from ostoja.org.demo import load_demo_organisation
    from ostoja.socialwork.tests.factories import make_case

    on = today()
    load_demo_organisation(on=on)
    users = {u.username: u for u in get_user_model().objects.all()}
    worker, head = users["socjalny"], users["kierownik"]
    start = (on.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    order = order_for(worker, on=start, case=make_case(worker=worker))
    month = svc.care_month_report(
        order=order, month=start, hours_delivered=Decimal("38"), actor=worker, now=now()
    )
    month = svc.care_month_bill(month=month, actor=head, on=on, expected_version=month.version)
    month = svc.care_month_paid(month=month, actor=head, on=on, expected_version=month.version)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=Decimal("30"), reason="Poprawiona karta pracy",
        actor=worker, now=now(), expected_version=month.version,
    )  # fmt: skip
    svc.care_month_correction_confirm(correction=fix, actor=head, now=now())

    login("ksiegowosc")
    page.goto(f"{live_server.url}/uslugi/faktury/")
    rows = page.locator("#zwroty-lista").inner_text()
    assert "26,00" in rows
    page.get_by_role("link", name="Zapisz zwrot").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.input_value("#id_zwr_amount") == "26.00"
    page.fill("#id_zwr_amount", "30")
    page.fill("#id_zwr_reference", "PRZ 12/2026")
    page.focus("#id_zwr_reference")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form
    assert "pozostało 26,00" in page.inner_text("#id_zwr_amount_error")
    assert axe_violations(page) == []
    shot("care-refund-refused")
    assert not CareMonthRefund.objects.exists()
    page.fill("#id_zwr_amount", "26")
    page.focus("#id_zwr_reference")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Zapisano zwrot dla klienta." in page.content()
    assert page.locator("#zwroty-lista").count() == 0
    (row,) = CareMonthRefund.objects.all()
    assert row.amount == Decimal("26.00") and row.reference == "PRZ 12/2026"
    shot("care-refund-recorded")
