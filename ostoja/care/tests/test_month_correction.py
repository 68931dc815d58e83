"""Correcting a month's hours (issue 15): a reported month not yet billed is reported again —
the old report kept as a revision; a billed month is never edited, only corrected by a
correcting bill that another person issues (four eyes)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ostoja.care import services as svc
from ostoja.care.models import CareMonth, CareMonthCorrection, CareMonthRevision
from ostoja.care.policy import MonthStatus
from ostoja.cases.models import TimelineEvent
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.org.roles import Role

from .helpers import order_for

ON = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
LATER = datetime(2026, 4, 3, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
AFTER_PAID = datetime(2026, 4, 20, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
pytestmark = pytest.mark.django_db


def _reported(worker, hours="38"):
    order = order_for(worker, on=ON)
    month = svc.care_month_report(
        order=order, month=ON, hours_delivered=D(hours), actor=worker, now=NOW
    )
    return order, month


def test_unbilled_month_is_reported_again_and_the_old_report_kept(worker, clerk):
    order, month = _reported(worker)
    assert month.client_fee == D("123.50")
    first_version = month.version
    fixed = svc.care_month_report(
        order=order, month=ON, hours_delivered=D("30"), actor=worker,
        now=LATER, expected_version=month.version,
    )  # fmt: skip
    assert fixed.hours_delivered == 30 and fixed.client_fee == D("97.50")
    assert CareMonth.objects.filter(order=order).count() == 1  # one month, not two
    old = CareMonthRevision.objects.get(month=fixed)
    assert (old.version, old.hours_delivered, old.client_fee) == (first_version, 38, D("123.50"))
    assert old.reported_at == NOW and old.replaced_at == LATER
    # Corrected twice: both old reports kept, in order.
    again = svc.care_month_report(
        order=order, month=ON, hours_delivered=D("31"), actor=worker, now=LATER,
        expected_version=fixed.version,
    )  # fmt: skip
    assert list(again.revisions.values_list("hours_delivered", flat=True)) == [38, 30]
    assert TimelineEvent.objects.filter(case=order.case, title__contains="poprawiono").exists()
    # Billed after the correction: the bill is for the corrected hours.
    billed = svc.care_month_bill(month=again, actor=clerk, on=date(2026, 4, 2),
                                 expected_version=again.version)  # fmt: skip
    assert billed.client_fee == D("100.75")


def test_a_stale_re_report_keeps_nothing_and_changes_nothing(worker):
    order, month = _reported(worker)
    with pytest.raises(ConflictError):
        svc.care_month_report(
            order=order, month=ON, hours_delivered=D("30"), actor=worker, now=LATER,
            expected_version=month.version - 1,
        )  # fmt: skip
    month.refresh_from_db()
    assert month.hours_delivered == 38 and not CareMonthRevision.objects.exists()


def _billed(worker, clerk):
    order, month = _reported(worker)
    month = svc.care_month_bill(
        month=month, actor=clerk, on=date(2026, 4, 2), expected_version=month.version
    )
    return order, month


def test_billed_month_is_never_edited_only_corrected_by_a_correcting_bill(worker, clerk):
    order, month = _billed(worker, clerk)
    with pytest.raises(ConflictError) as e:
        svc.care_month_report(
            order=order, month=ON, hours_delivered=D("30"), actor=worker, now=LATER,
            expected_version=month.version,
        )  # fmt: skip
    assert "rachunek korygujący" in e.value.message
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy",
        actor=worker, now=LATER, expected_version=month.version,
    )  # fmt: skip
    # 30 h × 32,50 zł × 10 % = 97,50 zł (was 123,50): 26,00 zł back to the client.
    assert fix.client_fee == D("97.50") and fix.client_fee_difference == D("-26.00")
    assert fix.provider_due_difference == D("-260.00") and fix.paid_hours_difference == -8
    done = svc.care_month_correction_confirm(correction=fix, actor=clerk, now=LATER)
    assert done.status == "zatwierdzona" and done.billed_on == date(2026, 4, 3)
    month.refresh_from_db()
    assert (month.hours_delivered, month.client_fee, month.status) == (38, D("123.50"), "naliczony")
    assert svc.month_current(month)[0] == 30
    # The provider's invoice is checked against the corrected hours.
    exp = svc.invoice_expectation(provider=order.provider, month=ON)
    assert (exp.hours_expected, exp.amount_expected) == (D("30"), D("975.00"))
    assert TimelineEvent.objects.filter(case=order.case, title__contains="korygujący").exists()
    # A second correction starts from the corrected hours.
    second = svc.care_month_correction_propose(
        month=month, hours_delivered=D("32"), reason="Druga korekta", actor=worker, now=LATER,
        expected_version=month.version,
    )  # fmt: skip
    assert second.hours_before == 30 and second.client_fee_difference == D("6.50")


def test_the_proposer_never_issues_their_own_correcting_bill(worker, clerk, head):
    """Four eyes, also for one person holding both rights (the head of unit: manage + bill)."""
    _, month = _billed(worker, clerk)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("40"), reason="Karta pracy", actor=head, now=LATER,
        expected_version=month.version,
    )  # fmt: skip
    with pytest.raises(NotPermitted):
        svc.care_month_correction_confirm(correction=fix, actor=head, now=LATER)
    with pytest.raises(NotPermitted):  # the social worker has no billing right
        svc.care_month_correction_confirm(correction=fix, actor=worker, now=LATER)
    fix.refresh_from_db()
    assert fix.status == "oczekuje"
    # Even written around the service, the database refuses it.
    fix.status, fix.decided_by, fix.decided_at, fix.billed_on = "zatwierdzona", head, LATER, ON
    with pytest.raises(IntegrityError), transaction.atomic():
        fix.save()
    fix.refresh_from_db()
    assert svc.care_month_correction_confirm(correction=fix, actor=clerk, now=LATER).status == (
        "zatwierdzona"
    )


def test_correction_refusals_name_the_field(worker, clerk):
    _, month = _billed(worker, clerk)
    args = {"month": month, "actor": worker, "now": LATER, "expected_version": month.version}
    with pytest.raises(ValidationFailed) as e:
        svc.care_month_correction_propose(hours_delivered=D("38"), reason="", **args)
    assert set(e.value.errors) == {"reason", "hours_delivered"}
    svc.care_month_correction_propose(hours_delivered=D("36"), reason="Karta", **args)
    with pytest.raises(ValidationFailed) as e:  # one pending correction at a time
        svc.care_month_correction_propose(hours_delivered=D("35"), reason="Karta", **args)
    assert e.value.field == "hours_delivered"
    assert CareMonthCorrection.objects.count() == 1


def test_unbilled_month_is_not_corrected_by_a_correcting_bill(worker):
    _, month = _reported(worker)
    with pytest.raises(ConflictError):
        svc.care_month_correction_propose(
            month=month, hours_delivered=D("30"), reason="Karta", actor=worker, now=LATER,
            expected_version=month.version,
        )  # fmt: skip


def test_withdrawn_or_rejected_correction_changes_nothing(worker, clerk):
    _, month = _billed(worker, clerk)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Karta", actor=worker, now=LATER,
        expected_version=month.version,
    )  # fmt: skip
    assert svc.care_month_correction_reject(correction=fix, actor=worker, now=LATER).status == (
        "odrzucona"
    )
    with pytest.raises(ConflictError):
        svc.care_month_correction_confirm(correction=fix, actor=clerk, now=LATER)
    assert svc.month_current(month)[0] == 38


def test_pages_unbilled_re_report_and_billed_correcting_bill(worker, clerk, head, client_for):
    from tests.refusals import error_at_field, error_summary

    order, month = _reported(worker)
    url = f"/uslugi/zlecenia/{order.pk}/"
    w, c, h = client_for(worker), client_for(clerk), client_for(head)
    # Unbilled: "Popraw godziny" re-makes the report, the old one listed as replaced.
    r = w.post(url, {"month": "2026-03", "hours_delivered": "30", "version": month.version})
    assert r.status_code == 302
    page = w.get(url).content.decode()
    assert 'id="zgloszenia-poprzednie"' in page
    assert re.search(r"<td>38[.,]00 h</td>", page.split("zgloszenia-poprzednie")[1])
    month.refresh_from_db()
    r = c.post(f"/uslugi/miesiace/{month.pk}/rachunek/", {"version": month.version})
    month.refresh_from_db()
    assert month.status == "naliczony"
    # Billed: no "Popraw", a correcting bill instead.
    page = w.get(f"{url}?korekta={month.pk}").content.decode()
    assert f"?popraw={month.pk}" not in page and 'id="korekta"' in page
    bad = {"action": "month_fix", "month": month.pk, "version": month.version,
           "hours_delivered": "30", "reason": ""}  # fmt: skip
    r = w.post(url, bad)
    assert r.status_code == 422
    body = r.content.decode()
    assert error_at_field(body, "id_kor_reason", "")  # required
    r = w.post(url, {**bad, "reason": "Karta"})  # the same hours as billed (30)
    assert r.status_code == 422
    assert error_at_field(r.content.decode(), "id_kor_hours_delivered", "nie zmienia")
    assert not CareMonthCorrection.objects.exists()
    r = h.post(url, {**bad, "hours_delivered": "32", "reason": "Karta pracy poprawiona"})
    assert r.status_code == 302
    fix = CareMonthCorrection.objects.get()
    # The head proposed it: the head cannot issue the correcting bill (403, summary on top).
    r = h.post(url, {"action": "month_fix_confirm", "correction": fix.pk})
    assert r.status_code == 403 and "dwóch par oczu" in error_summary(r.content.decode())
    fix.refresh_from_db()
    assert fix.status == "oczekuje"
    r = c.post(url, {"action": "month_fix_confirm", "correction": fix.pk})
    assert r.status_code == 302
    fix.refresh_from_db()
    month.refresh_from_db()
    assert fix.status == "zatwierdzona" and month.hours_delivered == 30  # the bill unchanged
    r = c.post(url, {"action": "month_fix_confirm", "correction": fix.pk})  # twice
    assert r.status_code == 409 and "rozstrzygnięta" in error_summary(r.content.decode())


def test_the_api_shows_a_billed_month_as_billed_and_as_corrected(worker, clerk, client_for):
    """GET /api/v1/care-orders: the billed figures stay as billed; after a correcting bill the
    month also carries the corrected hours and fee (a pending proposal changes nothing)."""
    order, month = _billed(worker, clerk)

    def api_month():
        rows = client_for(worker).get("/api/v1/care-orders").json()
        (row,) = [o for o in rows if o["id"] == order.pk]
        return row["months"][0]

    assert api_month()["hours_corrected"] is None
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy",
        actor=worker, now=LATER, expected_version=month.version,
    )  # fmt: skip
    assert api_month()["hours_corrected"] is None  # only proposed
    svc.care_month_correction_confirm(correction=fix, actor=clerk, now=LATER)
    m = api_month()
    assert D(m["hours_delivered"]) == 38 and D(m["client_fee"]) == D("123.50")
    assert D(m["hours_corrected"]) == 30 and D(m["client_fee_corrected"]) == D("97.50")


def test_the_latest_correcting_bill_is_the_month_as_it_stands(worker, clerk, head):
    """Corrected twice: the service, the order's rows (prefetched, as the API and the list read
    them) and a fresh read agree on the correcting bill issued last — never the first one."""
    from ostoja.care import selectors as sel

    order, month = _billed(worker, clerk)
    for hours, when in ((D("30"), LATER), (D("34"), datetime(2026, 4, 5, 9, 0, tzinfo=NOW.tzinfo))):
        fix = svc.care_month_correction_propose(
            month=month, hours_delivered=hours, reason="Karta pracy", actor=worker, now=when,
            expected_version=month.version,
        )  # fmt: skip
        svc.care_month_correction_confirm(correction=fix, actor=head, now=when)
    assert svc.month_current(month)[0] == 34
    (row,) = sel.order_months(sel.orders_visible(user=worker).get(pk=order.pk))
    assert (row.hours_delivered, row.hours_corrected) == (38, 34)
    assert row.client_fee_corrected == D("110.50")  # 34 h × 32,50 zł × 10 %


def test_the_re_report_on_the_timeline_names_the_hours_it_replaced(worker):
    """Reported 38 h, then 30 h, then 31 h: each entry names the report it replaced."""
    order, month = _reported(worker)
    fixed = svc.care_month_report(
        order=order, month=ON, hours_delivered=D("30"), actor=worker, now=LATER,
        expected_version=month.version,
    )  # fmt: skip
    svc.care_month_report(
        order=order, month=ON, hours_delivered=D("31"), actor=worker, now=LATER,
        expected_version=fixed.version,
    )  # fmt: skip
    notes = TimelineEvent.objects.filter(case=order.case, title__contains="poprawiono")
    assert sorted(e.detail.split(";")[0] for e in notes) == [
        "30 h (było 38.00 h)",
        "31 h (było 30.00 h)",
    ]


def test_a_correction_made_against_a_month_changed_since_is_stale(worker, clerk):
    """Proposed, then the bill's payment recorded (the month's version moves on): the
    correcting bill is refused as stale — nothing issued, the month as it was."""
    _, month = _billed(worker, clerk)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Karta", actor=worker, now=LATER,
        expected_version=month.version,
    )  # fmt: skip
    svc.care_month_paid(month=month, actor=clerk, on=date(2026, 4, 4),
                        expected_version=month.version)  # fmt: skip
    with pytest.raises(ConflictError) as e:
        svc.care_month_correction_confirm(correction=fix, actor=clerk, now=LATER)
    assert "zmienił się" in e.value.message
    fix.refresh_from_db()
    assert fix.status == "oczekuje" and fix.billed_on is None
    assert svc.month_current(month)[0] == 38


def test_only_the_proposer_or_a_person_with_the_billing_right_rejects(worker, clerk, make_staff):
    """Another social worker of the unit (manage, no billing right) neither rejects nor
    withdraws someone else's proposal."""
    _, month = _billed(worker, clerk)
    other = make_staff("opiekun2", role=Role.SOCIAL_WORKER)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Karta", actor=worker, now=LATER,
        expected_version=month.version,
    )  # fmt: skip
    with pytest.raises(NotPermitted) as e:
        svc.care_month_correction_reject(correction=fix, actor=other, now=LATER)
    assert "Brak uprawnień" in e.value.message  # the billing right, not the unit
    fix.refresh_from_db()
    assert fix.status == "oczekuje"
    assert svc.care_month_correction_reject(correction=fix, actor=clerk, now=LATER).status == (
        "odrzucona"
    )


def _billed_then_corrected(worker, clerk, head, *, hours):
    """A month billed at 38 h (123,50 zł), then a correcting bill for ``hours`` issued by the
    head (the worker proposed it)."""
    _order, month = _billed(worker, clerk)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D(hours), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=LATER, expected_version=month.version,
    )  # fmt: skip
    svc.care_month_correction_confirm(correction=fix, actor=head, now=LATER)
    month.refresh_from_db()
    return month


def test_an_overdue_bill_after_a_correcting_bill_is_owed_and_registered_as_corrected(
    worker, clerk, head, make_staff
):
    """Issue 15: the bill said 123,50 zł; a correcting bill lowered it to 97,50 zł before the
    payment date passed. The overdue list shows 97,50 zł (the bill's amount beside it) and the
    receivable is registered for 97,50 zł — never for the superseded amount."""
    from ostoja.care.selectors import overdue_bills
    from ostoja.payments.models import Receivable

    finance = make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
    month = _billed_then_corrected(worker, clerk, head, hours="30")
    after_due = date(2026, 6, 1)
    assert month.due_on < after_due
    (row,) = overdue_bills(on=after_due)
    assert row.pk == month.pk and row.fee_now == D("97.50") and row.client_fee == D("123.50")
    done = svc.care_month_to_receivable(
        month=month, actor=finance, on=after_due, expected_version=month.version
    )
    rec = Receivable.objects.get(pk=done.receivable_id)
    assert rec.principal == D("97.50") and "po korekcie" in rec.reason
    assert "art. 50 ust. 6 u.p.s." in rec.reason


def test_a_bill_corrected_to_nothing_is_not_overdue_and_never_a_receivable(
    worker, clerk, head, make_staff
):
    """The adversary's side: a month corrected to 0 h owes nothing — it leaves the overdue list
    and a receivable posted for it anyway (a stale page, a forged id) is refused; nothing is
    registered."""
    from ostoja.care.selectors import overdue_bills
    from ostoja.payments.models import Receivable

    finance = make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
    month = _billed_then_corrected(worker, clerk, head, hours="0")
    late = date(2026, 6, 1)
    assert not overdue_bills(on=late).exists()
    with pytest.raises(ConflictError) as e:
        svc.care_month_to_receivable(
            month=month, actor=finance, on=late, expected_version=month.version
        )
    assert "0,00 zł" in e.value.message
    assert not Receivable.objects.exists()
    month.refresh_from_db()
    assert month.status == "naliczony" and month.receivable_id is None


def _overdue_receivable(month, finance):
    month.refresh_from_db()
    return svc.care_month_to_receivable(
        month=month, actor=finance, on=date(2026, 6, 1), expected_version=month.version
    )


def test_a_correcting_bill_corrects_the_receivable_the_bill_became(
    worker, clerk, head, make_staff, client_for
):
    """Issue 15: the 123,50 zł bill went unpaid and became a receivable; a correcting bill to
    30 h (97,50 zł) lowers what is owed by 26,00 zł — a correction entry on the receivable, its
    principal untouched (what was registered is never edited)."""
    from ostoja.payments import selectors as payments_selectors
    from ostoja.payments.models import ReceivableCorrection

    finance = make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
    _order, month = _billed(worker, clerk)
    month = _overdue_receivable(month, finance)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=LATER, expected_version=month.version,
    )  # fmt: skip
    done = svc.care_month_correction_confirm(correction=fix, actor=head, now=LATER)
    row = payments_selectors.receivable_detail(month.receivable_id)
    assert row.receivable.principal == D("123.50") and row.corrected == D("-26.00")
    assert row.balance == D("97.50") and done.refund_due == 0
    (entry,) = ReceivableCorrection.objects.all()
    assert done.receivable_correction_id == entry.pk and "03.2026" in entry.basis
    page = (
        client_for(finance)
        .get(reverse("payments:receivable_detail", args=[month.receivable_id]))
        .content.decode()
    )
    assert "korekta — rachunek korygujący za usługi opiekuńcze za 03.2026" in page
    assert (row.balance,) == tuple(
        r.balance
        for r in payments_selectors.receivables()
        if r.receivable.pk == month.receivable_id
    )


def test_what_was_repaid_beyond_the_corrected_fee_is_returned_not_owed(
    worker, clerk, head, make_staff
):
    """The adversary's arithmetic: the client repaid the whole 123,50 zł receivable, then the
    hours were corrected to 30 h (97,50 zł). The receivable cannot go below zero — it closes at
    0,00 zł and the 26,00 zł is due back to the client, shown on the order page."""
    from ostoja.payments import selectors as payments_selectors
    from ostoja.payments import services as payments_services

    finance = make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
    order, month = _billed(worker, clerk)
    month = _overdue_receivable(month, finance)
    payments_services.receivable_repay(
        receivable_id=month.receivable_id, paid_on=date(2026, 6, 2), amount=D("123.50"),
        reference="KP 7/2026", actor=finance,
    )  # fmt: skip
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=LATER, expected_version=month.version,
    )  # fmt: skip
    done = svc.care_month_correction_confirm(correction=fix, actor=head, now=LATER)
    assert done.refund_due == D("26.00") and done.receivable_correction_id is None
    assert payments_selectors.receivable_detail(month.receivable_id).balance == D("0.00")
    assert TimelineEvent.objects.filter(
        case=order.case, detail__contains="do zwrotu klientowi 26,00 zł"
    ).exists()


def test_a_paid_bill_corrected_down_leaves_a_refund_and_up_again_shrinks_it(
    worker, clerk, head, client_for
):
    """Paid 123,50 zł; corrected to 30 h (97,50 zł): 26,00 zł to return. Corrected again to 32 h
    (104,00 zł): the refund shrinks by 6,50 zł — 19,50 zł in all, never 26,00 + a new charge."""
    _order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 10), expected_version=month.version
    )
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=LATER, expected_version=month.version,
    )  # fmt: skip
    down = svc.care_month_correction_confirm(correction=fix, actor=head, now=LATER)
    assert down.refund_due == D("26.00")
    up = svc.care_month_correction_propose(
        month=month, hours_delivered=D("32"), reason="Druga korekta karty pracy",
        actor=worker, now=LATER, expected_version=month.version,
    )  # fmt: skip
    up = svc.care_month_correction_confirm(correction=up, actor=head, now=LATER)
    assert up.refund_due == D("-6.50") and up.client_fee_difference == D("6.50")
    assert down.refund_due + up.refund_due == D("19.50")
    page = client_for(head).get(reverse("care:order", args=[month.order_id])).content.decode()
    assert "do zwrotu klientowi 26,00\xa0zł" in page  # pln keeps the amount and zł together
    assert "zwrot dla klienta zmniejszony o 6,50\xa0zł" in page


def _paid_then_raised(worker, clerk, head):
    """Billed at 38 h (123,50 zł) and paid on 10.04; then a correcting bill to 40 h (130,00 zł),
    proposed by the worker and issued by the head on 20.04."""
    _order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 10), expected_version=month.version
    )
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("40"), reason="Karta pracy: dwie godziny pominięte",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    done = svc.care_month_correction_confirm(correction=fix, actor=head, now=AFTER_PAID)
    month.refresh_from_db()
    return month, done


def test_a_paid_bill_raised_by_a_correcting_bill_leaves_a_surcharge_to_pay(
    worker, clerk, head, client_for
):
    """Art. 50 ust. 6 u.p.s.: the client pays for the services as corrected. Paid 123,50 zł; a
    correcting bill raises the fee to 130,00 zł — the month is open again for the 6,50 zł rest
    (dopłata), payable 14 days from the correcting bill; recording the payment records 6,50 zł,
    never the whole fee again."""
    month, done = _paid_then_raised(worker, clerk, head)
    assert done.surcharge == D("6.50") and done.refund_due == 0
    assert done.surcharge_due_on == date(2026, 5, 4)
    assert month.status == "naliczony" and month.due_on == date(2026, 5, 4)
    assert svc.month_paid(month) == D("123.50")
    assert TimelineEvent.objects.filter(
        case=month.order.case, detail__contains="dopłata 6,50 zł, termin 04.05.2026"
    ).exists()
    page = client_for(head).get(reverse("care:order", args=[month.order_id])).content.decode()
    assert "dopłata 6,50\xa0zł, termin 4.05.2026" in page
    assert "wpłacono 123,50\xa0zł, pozostaje 6,50\xa0zł" in page
    assert "130,00\xa0zł<br><small>po korekcie (rachunek: 123,50\xa0zł)</small>" in page
    paid = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 25), expected_version=month.version
    )
    assert paid.status == MonthStatus.PAID
    assert list(paid.payments.values_list("amount", flat=True)) == [D("123.50"), D("6.50")]
    assert svc.month_paid(paid) == D("130.00")


def test_an_unpaid_surcharge_is_overdue_and_a_receivable_for_the_rest_only(
    worker, clerk, head, make_staff, client_for, travel
):
    """The adversary's arithmetic: the surcharge goes unpaid. The overdue list owes 6,50 zł (not
    130,00 zł) and the receivable is 6,50 zł, dated from the correcting bill — the client is
    never charged twice for what they paid."""
    from ostoja.care.selectors import overdue_bills
    from ostoja.payments.models import Receivable

    finance = make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
    month, done = _paid_then_raised(worker, clerk, head)
    assert not overdue_bills(on=date(2026, 5, 4)).exists()  # the term's own day is on time
    (row,) = overdue_bills(on=date(2026, 5, 5))
    assert (row.owed, row.paid, row.fee_now) == (D("6.50"), D("123.50"), D("130.00"))
    travel("2026-05-05")
    page = client_for(finance).get(reverse("care:invoices")).content.decode()
    assert "6,50\xa0zł<br><small>reszta po wpłatach (opłata 130,00\xa0zł, " in page
    moved = svc.care_month_to_receivable(
        month=month, actor=finance, on=date(2026, 5, 5), expected_version=month.version
    )
    rec = Receivable.objects.get(pk=moved.receivable_id)
    assert rec.principal == D("6.50") and "dopłata" in rec.reason
    assert rec.decided_on == done.billed_on and rec.due_date == date(2026, 5, 4)


def test_a_refund_then_a_raise_beyond_the_payment_cancels_it_and_leaves_a_surcharge(
    worker, clerk, head
):
    """Paid 123,50 zł; corrected to 30 h (97,50 zł) — 26,00 zł to return; corrected again to
    40 h (130,00 zł): the refund is cancelled in full and 6,50 zł is to pay — never a refund and
    a charge side by side."""
    _order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 10), expected_version=month.version
    )
    down = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    down = svc.care_month_correction_confirm(correction=down, actor=head, now=AFTER_PAID)
    month.refresh_from_db()
    assert down.refund_due == D("26.00") and month.status == MonthStatus.PAID
    up = svc.care_month_correction_propose(
        month=month, hours_delivered=D("40"), reason="Druga korekta karty pracy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    up = svc.care_month_correction_confirm(correction=up, actor=head, now=AFTER_PAID)
    month.refresh_from_db()
    assert down.refund_due + up.refund_due == 0 and up.surcharge == D("6.50")
    assert month.status == MonthStatus.BILLED


def test_a_reopened_month_lowered_below_the_payment_is_settled_with_a_refund(worker, clerk, head):
    """Reopened for a 6,50 zł surcharge, then corrected to 30 h (97,50 zł) before the client
    paid it: nothing more to pay — the month is paid again (on its first payment's day) and
    26,00 zł goes back to the client."""
    month, _done = _paid_then_raised(worker, clerk, head)
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Trzecia korekta karty pracy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    fix = svc.care_month_correction_confirm(correction=fix, actor=head, now=AFTER_PAID)
    month.refresh_from_db()
    assert fix.refund_due == D("26.00") and fix.surcharge == 0
    assert month.status == MonthStatus.PAID and month.paid_on == date(2026, 4, 10)
    with pytest.raises(ConflictError):  # nothing left to pay, nothing to record twice
        svc.care_month_paid(
            month=month, actor=clerk, on=date(2026, 4, 28), expected_version=month.version
        )
    assert svc.month_paid(month) == D("123.50")


def test_months_paid_before_payment_rows_get_the_payment_they_were_paid_with(worker, clerk, head):
    """Migration care 0007: a month already marked paid gets one payment row of what was owed
    on the day it was paid — a correcting bill issued later does not rewrite that payment."""
    import importlib

    from django.apps import apps

    from ostoja.care.models import CareMonthPayment

    migration = importlib.import_module("ostoja.care.migrations.0007_month_payments")
    month, _done = _paid_then_raised(worker, clerk, head)  # paid 10.04, raised on 20.04
    CareMonthPayment.objects.all().delete()  # as before the rows existed
    CareMonth.objects.filter(pk=month.pk).update(status=MonthStatus.PAID)
    migration._paid_months_get_their_payment(apps, None)
    (row,) = CareMonthPayment.objects.all()
    assert (row.amount, row.paid_on, row.recorded_by_id) == (D("123.50"), date(2026, 4, 10), None)


def test_a_bill_paid_in_parts_stays_open_until_the_last_part(worker, clerk, make_staff):
    """Art. 50 ust. 6 u.p.s.: the client pays the fee, not necessarily at once. 50,00 zł of
    123,50 zł leaves the bill open for 73,50 zł; the rest settles it on the day it was paid;
    unpaid after the term, only the rest becomes a receivable."""
    from ostoja.care.selectors import overdue_bills
    from ostoja.payments.models import Receivable

    _order, month = _billed(worker, clerk)  # billed 02.04, due 16.04
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 12), expected_version=month.version,
        amount=D("50.00"), paid_on=date(2026, 4, 9),
    )  # fmt: skip
    assert month.status == MonthStatus.BILLED and month.paid_on is None
    assert svc.month_paid(month) == D("50.00")
    assert TimelineEvent.objects.filter(
        case=month.order.case, detail="50,00 zł wpłacono 09.04.2026; pozostaje 73,50 zł"
    ).exists()
    (row,) = overdue_bills(on=date(2026, 4, 17))
    assert row.owed == D("73.50")
    finance = make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
    moved = svc.care_month_to_receivable(
        month=month, actor=finance, on=date(2026, 4, 17), expected_version=month.version
    )
    rec = Receivable.objects.get(pk=moved.receivable_id)
    assert rec.principal == D("73.50") and "część rachunku" in rec.reason
    assert "wpłacono 50,00 zł" in rec.reason


def test_the_rest_settles_the_bill_on_its_day(worker, clerk):
    _order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 12), expected_version=month.version,
        amount=D("50.00"),
    )  # fmt: skip
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 20), expected_version=month.version,
        amount=D("73.50"), paid_on=date(2026, 4, 15),
    )  # fmt: skip
    assert month.status == MonthStatus.PAID and month.paid_on == date(2026, 4, 15)
    assert list(month.payments.values_list("paid_on", "amount")) == [
        (date(2026, 4, 12), D("50.00")), (date(2026, 4, 15), D("73.50")),
    ]  # fmt: skip


def test_a_payment_refused_names_its_field_and_records_nothing(worker, clerk):
    """The adversary's side: more than is left, nothing, a day to come, a day before the bill,
    the same payment twice from one page — each refused, no payment row."""
    from ostoja.care.models import CareMonthPayment

    _order, month = _billed(worker, clerk)
    on = date(2026, 4, 12)
    cases = [
        ({"amount": D("123.51")}, "amount", "pozostało 123,50 zł"),
        ({"amount": D("0")}, "amount", "większa od zera"),
        ({"amount": D("10"), "paid_on": date(2026, 4, 13)}, "paid_on", "późniejsza"),
        ({"amount": D("10"), "paid_on": date(2026, 4, 1)}, "paid_on", "02.04.2026"),
    ]
    for kwargs, field, text in cases:
        with pytest.raises(ValidationFailed) as e:
            svc.care_month_paid(
                month=month, actor=clerk, on=on, expected_version=month.version, **kwargs
            )
        assert field in e.value.errors and text in " ".join(e.value.errors[field]), kwargs
    stale = month.version
    svc.care_month_paid(month=month, actor=clerk, on=on, expected_version=stale, amount=D("10.00"))
    with pytest.raises(ConflictError):  # a second click on the same page
        svc.care_month_paid(
            month=CareMonth.objects.get(pk=month.pk), actor=clerk, on=on,
            expected_version=stale, amount=D("10.00"),
        )  # fmt: skip
    assert list(CareMonthPayment.objects.values_list("amount", flat=True)) == [D("10.00")]
    with pytest.raises(NotPermitted):  # the social worker has no billing right
        svc.care_month_paid(
            month=CareMonth.objects.get(pk=month.pk), actor=worker, on=on,
            expected_version=month.version + 1, amount=D("1.00"),
        )  # fmt: skip


def test_the_payment_panel_records_a_part_and_refuses_too_much_at_the_field(
    worker, clerk, client_for, travel
):
    """The order page's payment panel: prefilled with what is left and today (in the form a
    date field reads); too much is refused at the amount field, nothing saved; a part is
    recorded and the month's row shows what was paid and what is left."""
    _order, month = _billed(worker, clerk)
    travel("2026-04-12")
    c = client_for(clerk)
    page = c.get(reverse("care:order", args=[month.order_id]), {"wplata": month.pk})
    html = page.content.decode()
    assert 'id="wplata"' in html and 'value="123.50"' in html and 'value="2026-04-12"' in html
    url = reverse("care:month_action", args=[month.pk, "wplata"])
    r = c.post(url, {"version": month.version, "amount": "200", "paid_on": "2026-04-10"})
    html = r.content.decode()
    assert r.status_code == 409 and "data-error-summary" in html  # refused by the rule
    assert 'aria-describedby="id_wpl_amount_error" id="id_wpl_amount"' in html
    assert "pozostało 123,50 zł — wpłata 200,00 zł jest wyższa" in html
    r = c.post(url, {"version": month.version, "amount": "23.50", "paid_on": "2026-04-10"})
    assert r.status_code == 302
    html = c.get(reverse("care:order", args=[month.order_id])).content.decode()
    assert "wpłacono 23,50\xa0zł, pozostaje 100,00\xa0zł" in html


def test_a_bill_paid_in_part_and_lowered_below_the_payment_is_settled_with_a_refund(
    worker, clerk, head
):
    """100,00 zł paid of 123,50 zł; a correcting bill to 30 h (97,50 zł): the client paid
    2,50 zł too much — it is due back, and the month is paid on the day of that payment."""
    _order, month = _billed(worker, clerk)
    month = svc.care_month_paid(
        month=month, actor=clerk, on=date(2026, 4, 12), expected_version=month.version,
        amount=D("100.00"), paid_on=date(2026, 4, 8),
    )  # fmt: skip
    fix = svc.care_month_correction_propose(
        month=month, hours_delivered=D("30"), reason="Poprawiona karta pracy wykonawcy",
        actor=worker, now=AFTER_PAID, expected_version=month.version,
    )  # fmt: skip
    fix = svc.care_month_correction_confirm(correction=fix, actor=head, now=AFTER_PAID)
    month.refresh_from_db()
    assert fix.refund_due == D("2.50") and fix.surcharge == 0
    assert month.status == MonthStatus.PAID and month.paid_on == date(2026, 4, 8)
