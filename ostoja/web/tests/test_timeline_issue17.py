"""Issue 17: the case timeline shows payments, newest first, and every entry links to its
record (a payment to the decision it carries out)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from ostoja.cases.services import timeline_record
from ostoja.core.dates import noon
from ostoja.payments.models import Payment, PaymentStatus
from ostoja.socialwork.tests.factories import make_case


def _payment(case: Any, n: int, due: date, status: str = PaymentStatus.SCHEDULED) -> Payment:
    return Payment.objects.create(
        reference=f"T17-{case.pk}-{n}", line_id=n, decision_id=500 + n,
        decision_number=f"{n:06d}/RO1/2026", case_id=case.pk, person_id=1,
        recipient_name="Jan Kowalski", benefit="zasilek_okresowy", method="przelew",
        period_start=due.replace(day=1), period_end=due.replace(day=1) + timedelta(days=31),
        monthly_amount=Decimal("500.00"), amount=Decimal("500.00"), due_date=due, status=status,
        section="852", chapter="85214", paragraph="3110", task_type="zlecone", funding="gmina",
    )  # fmt: skip


def test_payments_on_the_timeline_newest_first_each_entry_a_link(
    demo_org: None, client_for: Any
) -> None:
    worker = get_user_model().objects.get(username="socjalny")
    case = make_case(worker=worker)
    older = _payment(case, 1, date(2026, 10, 10), status=PaymentStatus.PAID)
    newer = _payment(case, 2, date(2026, 11, 10))
    _payment(case, 3, date(2026, 12, 1), status=PaymentStatus.CANCELLED)  # not shown
    timeline_record(
        case=case, kind="obliczenie", title="Obliczenie: zasiłek okresowy",
        occurred_at=noon(date(2026, 11, 1)), actor=None, source=("cases.calculation", 77),
    )  # fmt: skip
    timeline_record(
        case=case, kind="sprawa", title="Bez źródła", occurred_at=noon(date(2026, 9, 1)),
        actor=None,
    )  # fmt: skip
    r = client_for(worker).get(reverse("cases:case_detail", args=[case.pk]))
    assert r.status_code == 200
    items = r.context["file"].timeline
    titles = [i.title for i in items]
    pay = [i for i in items if i.kind == "wyplata"]
    assert len(pay) == 2
    assert titles.index(pay[0].title) < titles.index("Obliczenie: zasiłek okresowy")
    assert titles.index("Obliczenie: zasiłek okresowy") < titles.index(pay[1].title)
    assert [i.occurred_at for i in items] == sorted((i.occurred_at for i in items), reverse=True)
    assert pay[0].url == reverse("decisions:detail", args=[newer.decision_id])
    assert pay[1].url == reverse("decisions:detail", args=[older.decision_id])
    assert "wypłacona" in pay[1].title and "500,00" in pay[1].title
    calc = next(i for i in items if i.kind == "obliczenie")
    assert calc.url == reverse("cases:calculation", args=[77])
    assert all(i.url for i in items)  # no source: the case file itself
    page = r.content.decode()
    assert f'href="{pay[0].url}"' in page


def test_filter_by_kind_keeps_payments_to_their_group(demo_org: None, client_for: Any) -> None:
    worker = get_user_model().objects.get(username="socjalny")
    case = make_case(worker=worker)
    _payment(case, 4, date(2026, 11, 10))
    c = client_for(worker)
    url = reverse("cases:case_detail", args=[case.pk])
    assert any(i.kind == "wyplata" for i in c.get(url + "?rodzaj=wyplata").context["file"].timeline)
    assert not any(
        i.kind == "wyplata" for i in c.get(url + "?rodzaj=decyzja").context["file"].timeline
    )
