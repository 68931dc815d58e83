"""Issue 21 §2: the shared-account warning at approval counts only the payments that stay on
the list — a person held back for art. 18 RODO neither makes an account "shared" nor is named
in the warning; recipients who stay and share an account still need the reasoned confirmation.
§3: after a bank export the stored file is re-downloaded unchanged and a new format is refused
while someone in it is restricted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.decisions.lines import PayableLine
from ostoja.payments import selectors, services
from ostoja.payments.models import ListStatus, Payment, PaymentList, PaymentStatus
from ostoja.payments.testing import make_line, nrb_for
from ostoja.payments.tests.test_restricted_lists import NOV, PERSON, T0, H
from tests.restriction import lift, restrict

pytestmark = pytest.mark.django_db
SHARED = nrb_for(900)
OTHER = nrb_for(901)
REASON = "Rachunek opiekuna prawnego obu osób (postanowienie sądu z 3.03.2026)."


def _build(clerk: Any, lines: list[Any]) -> PaymentList:
    services.payroll_build(month=NOV, lines=lines, actor=clerk, now=T0)
    return PaymentList.objects.get()


def _sharing(*person_ids: int) -> list[PayableLine]:
    """Lines 1, 2, … (recipients Kowalski-1, -2, …) of ``person_ids``, all paid to SHARED."""
    return [make_line(i, person_id=pid, account=SHARED) for i, pid in enumerate(person_ids, 1)]


def _two_share_with_person() -> list[PayableLine]:
    """Persons 501 and 502 share an account with PERSON (lines 1–3); 503 has its own (line 4)."""
    return [*_sharing(501, 502, PERSON), make_line(4, person_id=503, account=OTHER)]


def _approve(pl: PaymentList, who: Any, reason: str = "") -> PaymentList:
    pl.refresh_from_db()
    return services.payment_list_approve(
        list_id=pl.id, actor=who, execution_date=date(2026, 11, 10),
        expected_version=pl.version, now=T0 + 2 * H, shared_account_reason=reason,
    )  # fmt: skip


def test_a_held_back_recipient_does_not_make_the_account_shared(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    # person 777 in two roles (two lines) and person 501, all on one account; 777 restricted
    pl = _build(clerk, _sharing(501, PERSON, PERSON))
    assert selectors.shared_accounts(pl)  # before: a warning (two persons, one account)
    restrict(PERSON, clerk, T0 + H)
    done = _approve(pl, finance)  # no reason asked: only 501 stays on the account
    assert done.status == ListStatus.APPROVED and done.shared_account_reason == ""
    assert (done.payment_count, {e["person"] for e in done.restricted}) == (1, {PERSON})
    held = Payment.objects.filter(person_id=PERSON)
    assert {p.list_id for p in held} != {pl.id}  # moved to the supplement draft list
    assert all(p.status == PaymentStatus.SCHEDULED for p in held)


def test_recipients_who_stay_still_need_the_reason_and_the_held_one_is_not_named(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    """The adversary's side: a held-back person does not hide a real shared account of two
    others, and the warning names only those who stay (the restricted name is not shown)."""
    pl = _build(clerk, _two_share_with_person())
    restrict(PERSON, clerk, T0 + H)
    with pytest.raises(ValidationFailed) as exc:
        _approve(pl, finance)
    assert exc.value.field == "shared_account_reason"
    assert "Kowalski-1" in exc.value.message and "Kowalski-2" in exc.value.message
    assert "Kowalski-3" not in exc.value.message
    pl.refresh_from_db()
    assert pl.status == ListStatus.DRAFT and pl.restricted in (None, [], {})
    assert Payment.objects.filter(list=pl).count() == 4  # nothing moved by the refused approval
    done = _approve(pl, finance, REASON)
    assert (done.status, done.shared_account_reason, done.payment_count) == (
        ListStatus.APPROVED,
        REASON,
        3,
    )


def test_a_restriction_lifted_before_approval_counts_the_recipient_again(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    pl = _build(clerk, _sharing(501, PERSON))
    lift(restrict(PERSON, clerk, T0 + H / 2), clerk, T0 + H)
    with pytest.raises(ValidationFailed) as exc:
        _approve(pl, finance)
    assert exc.value.field == "shared_account_reason" and "Kowalski-2" in exc.value.message
    assert _approve(pl, finance, REASON).payment_count == 2


def test_after_an_export_a_later_restriction_keeps_the_stored_file_and_refuses_a_new_one(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    """Issue 21 §3: the stored bank file is re-downloaded byte for byte (it may have been sent);
    a NEW format after a restriction is refused at the field, nothing cancelled or replaced (a
    replacement of money that may have gone out would pay it twice once lifted)."""
    from ostoja.payments.models import BankExport

    pl = _build(clerk, [make_line(1, person_id=501), make_line(2, person_id=PERSON)])
    pl = _approve(pl, finance)
    first = services.payment_list_export(list_id=pl.id, fmt="elixir", actor=finance, now=T0 + 3 * H)
    stored = bytes(first.content)
    restrict(PERSON, clerk, T0 + 4 * H)
    again = services.payment_list_export(list_id=pl.id, fmt="elixir", actor=finance, now=T0 + 5 * H)
    assert (again.pk, bytes(again.content), again.sha256) == (first.pk, stored, first.sha256)
    with pytest.raises(ValidationFailed) as exc:
        services.payment_list_export(list_id=pl.id, fmt="pain001", actor=finance, now=T0 + 5 * H)
    assert exc.value.field == "format" and "W2-202611" in exc.value.message
    assert "Kowalski" not in exc.value.message  # references only, no name
    assert BankExport.objects.filter(list=pl).count() == 1
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.EXPORTED}
    assert Payment.objects.count() == 2  # no replacement made


def test_a_new_format_without_a_restricted_person_is_still_made(
    clerk: Any, finance: Any, centre_account: None
) -> None:
    """The adversary's side: the refusal is about the restricted person only — a restriction of
    someone not on the list blocks nothing; lifted before, the new format is made."""
    pl = _build(clerk, [make_line(1, person_id=501), make_line(2, person_id=PERSON)])
    pl = _approve(pl, finance)
    services.payment_list_export(list_id=pl.id, fmt="elixir", actor=finance, now=T0 + 3 * H)
    r = restrict(PERSON, clerk, T0 + 4 * H)
    restrict(999, clerk, T0 + 4 * H)
    lift(r, clerk, T0 + 5 * H)
    other = services.payment_list_export(
        list_id=pl.id, fmt="pain001", actor=finance, now=T0 + 6 * H
    )
    assert other.payment_count == 2 and b"W2-202611" in bytes(other.content)


def test_the_refused_new_format_through_the_page_names_references_only(
    clerk: Any, finance: Any, centre_account: None, client: Any
) -> None:
    pl = _build(clerk, [make_line(1, person_id=501), make_line(2, person_id=PERSON)])
    pl = _approve(pl, finance)
    client.force_login(finance)
    first = client.post(f"/wyplaty/listy/{pl.id}/plik/elixir/")
    assert first.status_code == 200
    restrict(PERSON, clerk, T0 + 4 * H)
    again = client.post(f"/wyplaty/listy/{pl.id}/plik/elixir/")
    assert again.content == first.content  # the stored bytes, byte for byte
    refused = client.post(f"/wyplaty/listy/{pl.id}/plik/pain001/", follow=True)
    body = refused.content.decode()
    assert "art. 18 RODO" in body and "W2-202611" in body
    assert not refused.get("Content-Disposition")  # no file sent
