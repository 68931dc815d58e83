"""The client's bill and correcting bill as the client reads them (issue 15) — read as a
lawyer would: who issued it, to whom, on what basis (the decision, art. 50 ust. 6 u.p.s., the
city's resolution), how the fee was counted, how much to pay, by when and where; a correcting
bill names the bill it corrects, the reason, the fee it replaces and what it means in money.
The addressee is the one of the day of issue. Only staff who see the order open it; each
opening is audited."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from pypdf import PdfReader

from ostoja.care import services as svc
from ostoja.org.roles import Role

from .test_month_correction import AFTER_PAID, _billed

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_the_bill_says_what_the_client_pays_why_by_when_and_where(worker, clerk, client_for):
    order, month = _billed(worker, clerk)  # 38 h × 32,50 zł × 10 % = 123,50 zł, 02.04.2026
    person = order.person
    text = _text(client_for(worker).get(reverse("care:month_bill_pdf", args=[month.pk])))
    assert f"Rachunek nr UO/{order.pk}/03/2026" in text
    assert "Kielce, 2 kwietnia 2026 r." in text  # the day of issue, written out
    assert person.last_name in text
    assert f"decyzja nr {order.decision_ref}" in text and "art. 50 ust. 6" in text
    assert order.fee_basis.split(" ")[0] in text  # the city's resolution
    assert "38,00 h" in text and "32,50 zł" in text and "10 %" in text
    assert "Do zapłaty: 123,50 zł w terminie do 16.04.2026" in text
    assert "sto dwadzieścia trzy złote 50/100" in text
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(month.pk), actor=worker
    ).exists()


def test_the_bill_keeps_its_addressee_as_issued(worker, clerk, client_for):
    order, month = _billed(worker, clerk)
    person = order.person
    old_name = person.last_name
    person.last_name = "Nowakowska-Zmieniona"
    person.save()
    text = _text(client_for(worker).get(reverse("care:month_bill_pdf", args=[month.pk])))
    assert old_name in text and "Nowakowska-Zmieniona" not in text


def test_a_correcting_bill_after_payment_asks_for_the_surcharge_only(
    worker, clerk, head, client_for
):
    order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 10), expected_version=month.version
    )
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("40"), reason="Karta pracy: dwie godziny pominięte",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    fix = svc.care_month_correction_confirm(correction=fix, actor=head, now=AFTER_PAID)
    text = _text(client_for(worker).get(reverse("care:correction_bill_pdf", args=[fix.pk])))
    number = f"UO/{order.pk}/03/2026"
    assert f"Rachunek korygujący nr {number}/K1" in text
    assert f"koryguje rachunek nr {number}" in text
    assert "Karta pracy: dwie godziny pominięte" in text
    assert "130,00 zł" in text and "123,50 zł" in text and "6,50 zł" in text
    assert "Do dopłaty: 6,50 zł w terminie do 04.05.2026" in text
    assert "sto trzydzieści złotych 00/100" in text


def test_a_correcting_bill_lowering_a_paid_month_announces_the_refund(
    worker, clerk, head, client_for
):
    _order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 10), expected_version=month.version
    )
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    fix = svc.care_month_correction_confirm(correction=fix, actor=head, now=AFTER_PAID)
    text = _text(client_for(worker).get(reverse("care:correction_bill_pdf", args=[fix.pk])))
    assert "Nadpłata do zwrotu: 26,00 zł" in text and "Do zapłaty" not in text


def test_a_correcting_bill_of_an_unpaid_bill_replaces_its_amount(worker, clerk, head, client_for):
    _order, month = _billed(worker, clerk)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    fix = svc.care_month_correction_confirm(correction=fix, actor=head, now=AFTER_PAID)
    text = _text(client_for(worker).get(reverse("care:correction_bill_pdf", args=[fix.pk])))
    assert "Do zapłaty za ten miesiąc: 97,50 zł w terminie do 16.04.2026" in text
    assert "zastępuje kwotę z rachunku korygowanego" in text


def test_bills_are_not_opened_outside_the_order_s_scope_or_before_issue(
    worker, clerk, head, make_staff, client_for
):
    from ostoja.care.models import CareMonthCorrection

    order, month = _billed(worker, clerk)
    other = make_staff("obcy_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    url = reverse("care:month_bill_pdf", args=[month.pk])
    assert client_for(other).get(url).status_code == 404
    refusal = LogEntry.objects.get(actor=other, object_pk=str(month.pk))
    assert refusal.additional_data["refused"] is True  # the attempt is in the audit trail
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    pending = reverse("care:correction_bill_pdf", args=[fix.pk])
    assert client_for(worker).get(pending).status_code == 404  # only proposed: no document
    assert CareMonthCorrection.objects.get(pk=fix.pk).status == "oczekuje"
    reported = svc.care_month_report(
        order=order, month=date(2026, 4, 1), hours_delivered=D("10"), actor=worker,
        now=AFTER_PAID,
    )  # fmt: skip
    unbilled = reverse("care:month_bill_pdf", args=[reported.pk])
    assert client_for(worker).get(unbilled).status_code == 404


def test_the_order_page_links_the_bills(worker, clerk, head, client_for):
    order, month = _billed(worker, clerk)
    html = client_for(worker).get(reverse("care:order", args=[order.pk])).content.decode()
    assert reverse("care:month_bill_pdf", args=[month.pk]) in html
