"""Refunds to clients (issue 15): a correcting bill that lowers a paid month's fee leaves money
to return (art. 50 ust. 6 u.p.s.: the client pays for the services as delivered). Finance
records the refund it paid, with its document — never the person who proposed or issued the
correcting bill, never more than is left, never twice from one page; a refund paid out is out
of the client's payments, so a later correcting bill neither takes it back nor counts it twice."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from ostoja.care import services as svc
from ostoja.care.models import CareMonthRefund
from ostoja.care.selectors import refunds_due
from ostoja.cases.models import TimelineEvent
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.org.roles import Role

from .test_month_correction import AFTER_PAID, _billed

pytestmark = pytest.mark.django_db
ON = date(2026, 4, 24)
JUNE = datetime(2026, 6, 5, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


def _corrected(month, worker, head, hours):
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D(hours), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    fix = svc.care_month_correction_confirm(correction=fix, actor=head, now=AFTER_PAID)
    month.refresh_from_db()
    return fix


def _paid_then_lowered(worker, clerk, head):
    """Paid 123,50 zł on 10.04; corrected on 20.04 to 30 h (97,50 zł): 26,00 zł to return."""
    _order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 10), expected_version=month.version
    )
    fix = _corrected(month, worker, head, "30")
    assert fix.refund_due == D("26.00")
    return month


def _refund(month, actor, **kw):
    args = {"amount": D("26.00"), "paid_on": date(2026, 4, 23), "reference": "PRZ 41/2026"}
    args.update(kw)
    return svc.care_month_refund_record(
        month=month, actor=actor, on=ON, expected_version=month.version, **args
    )


def test_finance_records_the_refund_and_nothing_is_left_to_return(worker, clerk, head, finance):
    month = _paid_then_lowered(worker, clerk, head)
    (due,) = refunds_due()
    assert due.pk == month.pk and due.refund_left == D("26.00")
    row = _refund(month, finance)
    assert (row.amount, row.paid_on, row.reference) == (
        D("26.00"),
        date(2026, 4, 23),
        "PRZ 41/2026",
    )
    assert not refunds_due().exists()
    assert svc.month_refund_outstanding(month) == 0
    assert svc.month_paid(month) == D("97.50")  # what the client paid and kept
    assert TimelineEvent.objects.filter(
        case=month.order.case, detail__contains="26,00 zł zwrócono 23.04.2026 (PRZ 41/2026)"
    ).exists()


def test_a_refund_in_parts_leaves_the_rest_listed(worker, clerk, head, finance):
    month = _paid_then_lowered(worker, clerk, head)
    _refund(month, finance, amount=D("20.00"))
    month.refresh_from_db()
    (due,) = refunds_due()
    assert (due.refund_left, due.refunded, due.refund_total) == (D("6.00"), D("20.00"), D("26.00"))
    _refund(month, finance, amount=D("6.00"))
    assert not refunds_due().exists()


def test_the_person_who_proposed_or_issued_the_correcting_bill_never_records_its_refund(
    worker, clerk, head, finance
):
    """Money needs two people — also when one person holds both rights (the head of unit who
    issued the correcting bill, given the finance role too)."""
    month = _paid_then_lowered(worker, clerk, head)
    head.groups.add(Group.objects.get(name=str(Role.FINANCE)))
    head = get_user_model().objects.get(pk=head.pk)  # the permission cache reread
    assert head.has_perm("payments.manage_receivables")
    with pytest.raises(NotPermitted) as e:
        _refund(month, head)
    assert "dwóch par oczu" in e.value.message
    with pytest.raises(NotPermitted):  # no finance right at all
        _refund(month, clerk)
    assert not CareMonthRefund.objects.exists()


def test_a_refund_refused_names_its_field_and_records_nothing(worker, clerk, head, finance):
    month = _paid_then_lowered(worker, clerk, head)
    cases = [
        ({"amount": D("26.01")}, "amount", "pozostało 26,00 zł"),
        ({"amount": D("0")}, "amount", "większa od zera"),
        ({"paid_on": date(2026, 4, 25)}, "paid_on", "późniejsza"),
        ({"paid_on": date(2026, 4, 19)}, "paid_on", "20.04.2026"),
        ({"reference": "  "}, "reference", "dokument zwrotu"),
    ]
    for kw, field, text in cases:
        with pytest.raises(ValidationFailed) as e:
            _refund(month, finance, **kw)
        assert text in " ".join(e.value.errors[field]), kw
    stale = month.version
    _refund(month, finance, amount=D("10.00"))
    month.version = stale  # the same page posted again
    with pytest.raises(ConflictError):
        _refund(month, finance, amount=D("10.00"))
    assert list(CareMonthRefund.objects.values_list("amount", flat=True)) == [D("10.00")]


def test_nothing_to_return_is_refused(worker, clerk, finance):
    _order, month = _billed(worker, clerk)
    with pytest.raises(ConflictError):
        _refund(month, finance)


def test_a_refund_paid_out_is_never_taken_back_by_a_later_correcting_bill(
    worker, clerk, head, finance
):
    """Paid 123,50; lowered to 97,50 — 26,00 returned to the client; raised to 130,00: the
    client now owes 32,50 (130,00 less the 97,50 they kept) — not 6,50 and a refund cancelled
    that was already paid."""
    month = _paid_then_lowered(worker, clerk, head)
    _refund(month, finance)
    month.refresh_from_db()
    up = _corrected(month, worker, head, "40")
    assert up.refund_due == 0 and up.surcharge == D("32.50")
    assert month.status == "naliczony" and not refunds_due().exists()


def test_a_refund_not_yet_paid_is_cancelled_by_a_raise_not_paid(worker, clerk, head, finance):
    month = _paid_then_lowered(worker, clerk, head)
    _refund(month, finance, amount=D("10.00"))
    month.refresh_from_db()
    up = _corrected(month, worker, head, "38")  # back to the bill: 123,50
    # the client kept 113,50: 10,00 more to pay; the 16,00 not yet returned is cancelled
    assert up.refund_due == D("-16.00") and up.surcharge == D("10.00")
    assert svc.month_refund_outstanding(month) == 0


def test_the_refund_pages(worker, clerk, head, finance, client_for, travel):
    month = _paid_then_lowered(worker, clerk, head)
    order_page = reverse("care:order", args=[month.order_id])
    assert (
        "do zwrotu klientowi 26,00\xa0zł</small>"
        in client_for(head).get(order_page).content.decode()
    )
    travel("2026-04-24")
    c = client_for(finance)
    html = c.get(reverse("care:invoices")).content.decode()
    assert 'id="zwroty"' in html and f'href="?zwrot={month.pk}#zwrot"' in html
    html = c.get(reverse("care:invoices"), {"zwrot": month.pk}).content.decode()
    assert 'id="id_zwr_amount"' in html and 'value="26.00"' in html and 'value="2026-04-24"' in html
    url = reverse("care:month_refund", args=[month.pk])
    post = {
        "version": month.version,
        "amount": "30",
        "paid_on": "2026-04-23",
        "reference": "PRZ 41",
    }
    r = c.post(url, post)
    html = r.content.decode()
    assert r.status_code == 409 and "data-error-summary" in html
    assert 'aria-describedby="id_zwr_amount_error"' in html
    assert not CareMonthRefund.objects.exists()
    r = c.post(url, {**post, "reference": ""})
    assert r.status_code == 422 and not CareMonthRefund.objects.exists()
    assert client_for(clerk).post(url, {**post, "amount": "26"}).status_code == 403
    r = c.post(url, {**post, "amount": "26"})
    assert r.status_code == 302 and CareMonthRefund.objects.count() == 1
    assert 'id="zwroty"' not in c.get(reverse("care:invoices")).content.decode()
    assert c.post(url, {**post, "amount": "26"}).status_code == 404  # nothing left: not listed
    assert (
        "do zwrotu klientowi"
        not in client_for(head)
        .get(order_page)
        .content.decode()
        .split('id="miesiace"')[1]
        .split("</table>")[0]
    )


def test_the_api_carries_each_month_s_money_without_a_query_per_month(
    worker, clerk, head, finance, client_for, django_assert_max_num_queries
):
    """GET /api/v1/care-orders: paid (and kept), owed on the open bill, left to return — read
    from prefetched rows, so a second order with its months adds no query."""
    month = _paid_then_lowered(worker, clerk, head)
    _refund(month, finance, amount=D("20.00"))

    def api_month():
        rows = client_for(worker).get("/api/v1/care-orders").json()
        (row,) = [o for o in rows if o["id"] == month.order_id]
        return row["months"][0]

    m = api_month()
    assert (D(m["paid"]), D(m["owed"]), D(m["refund_left"])) == (D("103.50"), 0, D("6.00"))
    c = client_for(worker)
    c.get("/api/v1/care-orders")  # warm the session
    with django_assert_max_num_queries(40) as one:
        c.get("/api/v1/care-orders")
    _order, other = _billed(worker, clerk)
    svc.care_month_paid(
        month=other, actor=clerk, on=date(2026, 4, 10), expected_version=other.version,
        amount=D("10.00"),
    )  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        rows = c.get("/api/v1/care-orders").json()
    (o,) = [r for r in rows if r["id"] == other.order_id]
    assert (D(o["months"][0]["paid"]), D(o["months"][0]["owed"])) == (D("10.00"), D("113.50"))


def test_reading_the_refunds_and_overdue_bills_is_audited(worker, clerk, head, finance, client_for):
    from auditlog.models import LogEntry

    _paid_then_lowered(worker, clerk, head)
    before = LogEntry.objects.count()
    client_for(finance).get(reverse("care:invoices"))
    entry = LogEntry.objects.order_by("-pk").first()
    assert LogEntry.objects.count() == before + 1 and entry.actor_id == finance.pk
    assert "zwroty dla klientów" in str(entry.additional_data)


def test_finance_s_start_page_counts_what_waits_and_links_to_it(
    worker, clerk, head, finance, client_for
):
    _paid_then_lowered(worker, clerk, head)
    html = client_for(finance).get("/").content.decode()
    assert "Zwroty dla klientów do wypłaty: 1" in html
    assert f"{reverse('care:invoices')}#zwroty" in html
    assert "Zwroty dla klientów" not in client_for(worker).get("/").content.decode()


def test_a_refund_of_what_was_repaid_to_the_receivable(worker, clerk, head, finance, client_for):
    """The bill became a receivable and was repaid in full (123,50 zł); a correcting bill to
    30 h leaves 26,00 zł to return — recorded by finance; the month's API figures never show a
    negative payment (the repayments are the receivable's, in payments)."""
    from ostoja.payments import services as payments_services

    order, month = _billed(worker, clerk)
    month = svc.care_month_to_receivable(
        month=month, actor=finance, on=date(2026, 6, 1), expected_version=month.version
    )
    payments_services.receivable_repay(
        receivable_id=month.receivable_id, paid_on=date(2026, 6, 2), amount=D("123.50"),
        reference="KP 7/2026", actor=finance,
    )  # fmt: skip
    month.refresh_from_db()
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=JUNE, expected_version=month.version,
    )  # fmt: skip
    svc.care_month_correction_confirm(correction=fix, actor=head, now=JUNE)
    month.refresh_from_db()
    (due,) = refunds_due()
    assert due.refund_left == D("26.00")
    svc.care_month_refund_record(
        month=month, actor=finance, on=date(2026, 6, 10), expected_version=month.version,
        amount=D("26.00"), paid_on=date(2026, 6, 10), reference="PRZ 60/2026",
    )  # fmt: skip
    rows = client_for(worker).get("/api/v1/care-orders").json()
    (m,) = next(o for o in rows if o["id"] == order.pk)["months"]
    assert (D(m["paid"]), D(m["refund_left"])) == (0, 0)
