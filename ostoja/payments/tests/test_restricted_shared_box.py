"""Issue 21: the list page's "shared account" box does not count or name a person whose
processing is restricted (art. 18 RODO) — approval and the bank export hold their payments
back, so they share no account on the list; a user who may open the person sees the name
beside an account shown anyway (as the list's report of held-back payments), nobody else."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from ostoja.core import dates
from ostoja.payments import selectors, services
from ostoja.payments.models import PaymentList
from ostoja.payments.tests.test_restricted_lists import PERSON, T0, H
from ostoja.payments.tests.test_restricted_shared_account import (
    _build,
    _sharing,
    _two_share_with_person,
)
from tests.restriction import lift, restrict

pytestmark = pytest.mark.django_db


def _box(client: Any, pl: PaymentList) -> str:
    page = client.get(f"/wyplaty/listy/{pl.id}/").content.decode()
    found = re.search(r'id="shared-h".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_a_restricted_recipient_alone_with_one_other_makes_no_box(
    clerk: Any, finance: Any, client_for: Any
) -> None:
    pl = _build(clerk, _sharing(501, PERSON))
    assert _box(client_for(finance), pl)  # before the restriction: two persons, one account
    restrict(PERSON, clerk, T0 + H)
    assert _box(client_for(finance), pl) == ""  # neither counted (no box) nor named
    assert selectors.list_shared_accounts(pl=pl, user=finance, now=dates.now()) == []


def test_a_shared_account_of_others_stays_and_the_restricted_name_is_not_in_it(
    clerk: Any, finance: Any, client_for: Any
) -> None:
    """The adversary's side: a restricted person does not hide two others' shared account,
    and neither their name nor their payment's reference is in the box."""
    pl = _build(clerk, _two_share_with_person())
    restrict(PERSON, clerk, T0 + H)
    box = _box(client_for(finance), pl)
    assert "Kowalski-1" in box and "Kowalski-2" in box
    assert "Kowalski-3" not in box and "W3-" not in box and "Kowalski-4" not in box
    # The box warns of exactly what approval asks a reason for.
    pl.refresh_from_db()
    with pytest.raises(Exception, match="Kowalski-1") as exc:
        services.payment_list_approve(
            list_id=pl.id, actor=finance, execution_date=date(2026, 11, 10),
            expected_version=pl.version, now=dates.now(),
        )  # fmt: skip
    assert "Kowalski-3" not in str(exc.value)


def test_a_lifted_restriction_counts_the_recipient_again(
    clerk: Any, finance: Any, client_for: Any
) -> None:
    pl = _build(clerk, _sharing(501, PERSON))
    lift(restrict(PERSON, clerk, T0 + H), clerk, T0 + 2 * H)
    box = _box(client_for(finance), pl)
    assert "Kowalski-1" in box and "Kowalski-2" in box


def test_the_restricted_name_is_shown_only_to_a_user_who_may_see_the_person(
    clerk: Any, finance: Any, make_staff: Any
) -> None:
    from ostoja.org.roles import Role
    from ostoja.registry import services as registry
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.selectors import persons_visible
    from tests.factories import _street

    street = _street()
    seen = registry.person_create(
        data={
            "first_name": "Anna", "last_name": "Widoczna",
            "pesel": make_pesel(date(1980, 1, 1), 101, "K"), "birth_date": date(1980, 1, 1),
            "sex": "K", "act_street": street, "act_house": "5", "act_city": "Kielce",
        },
        user=clerk,
        on=date(2026, 11, 2),
    )  # fmt: skip
    other = make_staff("sw_ro3", role=Role.SOCIAL_WORKER, unit_code="ro3")
    lines = _sharing(501, 502, seen.pk)
    line = lines[2]
    pl = _build(clerk, lines)
    restrict(seen.pk, clerk, T0 + H)
    now = dates.now()
    as_clerk = selectors.list_shared_accounts(pl=pl, user=clerk, now=now)
    assert [s.held for s in as_clerk] == [(line.recipient_name,)]
    assert all(line.recipient_name not in s.recipients for s in as_clerk)
    for user in (other, finance):
        box = selectors.list_shared_accounts(pl=pl, user=user, now=now)
        assert persons_visible(user=user).filter(pk=seen.pk).exists() is False
        assert [s.held for s in box] == [()]
        assert [len(s.recipients) for s in box] == [2]
