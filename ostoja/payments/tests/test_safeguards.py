"""Payment list safeguards: different recipients sharing one bank account need a reasoned
confirmation; list numbers are unique in the database; payment identifiers never look like
dates. (Each benefit belongs to its addressee — art. 106 ust. 1 u.p.s. and the decision that
names the recipient's account.)"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from ostoja.core.errors import ValidationFailed
from ostoja.payments import services
from ostoja.payments.models import ListStatus, Payment, PaymentList
from ostoja.payments.services import _reference
from ostoja.payments.testing import make_line, nrb_for

pytestmark = pytest.mark.django_db
SHARED = nrb_for(900)
NOW = datetime(2026, 11, 9, 10, 0, tzinfo=UTC)


def _build(clerk: Any, lines: list[Any]) -> PaymentList:
    services.payroll_build(now=NOW, month="2026-11", lines=lines, actor=clerk)
    return PaymentList.objects.get()


def test_two_recipients_on_one_account_need_a_reasoned_confirmation(
    clerk: Any, finance: Any, client: Any
) -> None:
    pl = _build(
        clerk,
        [
            make_line(1, person_id=501, account=SHARED),
            make_line(2, person_id=502, account=SHARED),
            make_line(3),
        ],
    )
    client.force_login(finance)
    page = client.get(f"/wyplaty/listy/{pl.id}/").content.decode()
    assert "wspólny rachunek różnych odbiorców" in page and SHARED in page
    with pytest.raises(ValidationFailed) as exc:
        services.payment_list_approve(
            now=NOW,
            list_id=pl.id, actor=finance, execution_date=date(2026, 11, 10),
            expected_version=pl.version, shared_account_reason="ok",
        )  # fmt: skip
    assert exc.value.field == "shared_account_reason" and SHARED[-4:] in exc.value.message
    assert PaymentList.objects.get(pk=pl.id).status == ListStatus.DRAFT
    reason = "Rachunek opiekuna prawnego obu osób (postanowienie sądu z 3.03.2026)."
    done = services.payment_list_approve(
            now=NOW,
        list_id=pl.id, actor=finance, execution_date=date(2026, 11, 10),
        expected_version=pl.version, shared_account_reason=reason,
    )  # fmt: skip
    assert done.status == ListStatus.APPROVED and done.shared_account_reason == reason


def test_one_recipient_with_two_payments_on_one_account_is_no_warning(
    clerk: Any, finance: Any
) -> None:
    pl = _build(
        clerk,
        [
            make_line(1, person_id=501, account=SHARED),
            make_line(2, person_id=501, account=SHARED, benefit="zasilek_okresowy"),
        ],
    )
    for p in PaymentList.objects.all():
        services.payment_list_approve(
            now=NOW,
            list_id=p.id, actor=finance, execution_date=date(2026, 11, 10),
            expected_version=p.version,
        )  # fmt: skip
    assert PaymentList.objects.get(pk=pl.id).status == ListStatus.APPROVED


def test_the_shared_account_warning_through_the_approve_page(
    clerk: Any, finance: Any, client: Any
) -> None:
    pl = _build(
        clerk,
        [make_line(1, person_id=501, account=SHARED), make_line(2, person_id=502, account=SHARED)],
    )
    client.force_login(finance)
    url = f"/wyplaty/listy/{pl.id}/zatwierdz/"
    refused = client.post(url, {"execution_date": "2026-11-10", "version": pl.version})
    assert refused.status_code == 422
    assert "Różni odbiorcy mają na tej liście wspólny rachunek" in refused.content.decode()
    ok = client.post(
        url,
        {
            "execution_date": "2026-11-10", "version": pl.version,
            "shared_account_reason": "Małżonkowie — wspólny rachunek wskazany w obu wnioskach.",
        },
    )  # fmt: skip
    assert ok.status_code == 302


def test_list_numbers_are_unique_even_when_only_funding_differs(clerk: Any) -> None:
    from ostoja.law.periods import YearMonth
    from ostoja.payments.services import _draft_list

    ym = YearMonth(2026, 11)
    a = _draft_list(ym, "przelew", ("852", "85214", "3110", "wlasne_obowiazkowe", "dotacja_celowa"))
    b = _draft_list(ym, "przelew", ("852", "85214", "3110", "wlasne_obowiazkowe", "srodki_wlasne"))
    assert a.pk != b.pk and a.number != b.number
    assert a.number == "LW/2026/11/85214/3110/przelew/1"
    assert b.number == "LW/2026/11/85214/3110/przelew/2"
    with pytest.raises(IntegrityError), transaction.atomic():  # the database itself refuses
        PaymentList.objects.filter(pk=b.pk).update(number=a.number)


@given(st.integers(min_value=1, max_value=10**9), st.dates(date(2000, 1, 1), date(2099, 12, 1)))
def test_payment_identifier_never_looks_like_a_date(line_id: int, period: date) -> None:
    ref = _reference(period.replace(day=1), line_id)
    assert not re.search(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}", ref)
    assert not re.search(r"\d{1,2}[-./]\d{1,2}[-./]\d{4}", ref)
    assert ref.startswith("W")


def test_payments_get_the_new_identifier(clerk: Any) -> None:
    _build(clerk, [make_line(12)])
    assert Payment.objects.get().reference == "W12-202611"
