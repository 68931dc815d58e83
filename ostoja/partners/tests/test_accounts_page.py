"""Partner accounts (ADR 0006) administered on a page: an account only for a registered partner
whose cooperation lasts; the two-person rule as for staff roles (an administrator asks, another
administrator or the director confirms); password reset and deactivation take effect at once,
and are audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model

from ostoja.partners import services as svc
from ostoja.partners.models import LegalForm, PartnerRole, PartnerUser

pytestmark = pytest.mark.django_db
URL = "/wspolpraca/konta/"


def _admin() -> Any:
    return get_user_model().objects.get(username="admin")


def _new(food_bank: Any, **over: Any) -> dict[str, Any]:
    return {"partner": food_bank.pk, "username": "kbz.kowalska", "first_name": "Ewa",
            "last_name": "Kowalska", "email": "ewa@bank.invalid", **over}  # fmt: skip


def test_account_needs_a_second_person_and_a_registered_partner(
    staff: Any, client_for: Any, travel: Any, food_bank: Any
) -> None:
    travel("2026-12-01")
    admin = client_for(_admin())
    assert admin.get(URL).status_code == 200
    r = admin.post(URL, _new(food_bank, email="zły"))
    assert r.status_code == 422 and 'id="id_email_error"' in r.content.decode()
    r = admin.post(URL, _new(food_bank, partner=999999))  # not in the register
    assert r.status_code == 422 and 'id="id_partner_error"' in r.content.decode()
    r = admin.post(URL, _new(food_bank))
    page = r.content.decode()
    assert r.status_code == 200 and "Hasło początkowe" in page
    link = PartnerUser.objects.get(user__username="kbz.kowalska")
    assert not link.user.is_active and link.requested_by == _admin()
    r = admin.post(URL, _new(food_bank, username="KBZ.Kowalska"))
    assert r.status_code == 422 and "login jest już zajęty" in r.content.decode()
    # inactive until confirmed: the partner's page does not open
    assert client_for(link.user).get("/wspolpraca/partner/").status_code in (302, 403)
    action = f"{URL}{link.pk}/"
    # the requester may not confirm its own request; a head of unit may not at all
    admin.post(action, {"action": "confirm"})
    link.refresh_from_db()
    assert not link.user.is_active
    assert client_for(staff.head).post(action, {"action": "confirm"}).status_code == 403
    assert client_for(staff.head).get(URL).status_code == 403
    assert client_for(staff.director).post(action, {"action": "confirm"}).status_code == 302
    link.refresh_from_db()
    assert link.user.is_active and link.confirmed_by == staff.director
    assert client_for(link.user).get("/wspolpraca/partner/").status_code == 200
    # the director confirms but does not administer accounts
    assert client_for(staff.director).post(action, {"action": "deactivate"}).status_code == 403


def test_no_account_for_a_partner_whose_cooperation_ended(
    staff: Any, client_for: Any, travel: Any
) -> None:
    now = travel("2026-12-01")
    ended = svc.partner_create(
        data={"name": "Dawny partner", "legal_form": LegalForm.ASSOCIATION,
              "roles": [PartnerRole.FOOD_AID], "active_from": date(2020, 1, 1),
              "active_to": date(2025, 1, 1)},
        user=staff.head, now=now,
    )  # fmt: skip
    with pytest.raises(Exception, match="współpraca trwa"):
        svc.partner_account_request(partner=ended, username="dawny", first_name="A",
                                    last_name="B", email="a@b.invalid", actor=_admin(),
                                    now=now)  # fmt: skip
    assert not get_user_model().objects.filter(username="dawny").exists()


def test_reset_and_deactivation_take_effect_at_once(
    staff: Any, client_for: Any, travel: Any, food_bank: Any, partner_account: Any
) -> None:
    travel("2026-12-01")
    link = partner_account.partner_link
    action = f"{URL}{link.pk}/"
    admin_user = _admin()
    admin = client_for(admin_user)
    assert partner_account.check_password("demo")
    r = admin.post(action, {"action": "reset"})
    assert r.status_code == 200 and "Nowe hasło" in r.content.decode()
    partner_account.refresh_from_db()
    assert not partner_account.check_password("demo")
    session = client_for(partner_account)
    assert session.get("/wspolpraca/partner/").status_code == 200
    assert admin.post(action, {"action": "deactivate"}).status_code == 302
    # the open session stops at the next request
    assert session.get("/wspolpraca/partner/").status_code in (302, 403)
    partner_account.refresh_from_db()
    assert not partner_account.is_active
    actions = set(
        LogEntry.objects.filter(actor=admin_user, action=LogEntry.Action.ACCESS)
        .filter(object_pk=str(link.pk))
        .values_list("additional_data__action", flat=True)
    )
    assert actions == {"password_reset", "deactivate"}
    # a staff account without the administrator role changes nothing
    assert client_for(staff.head).post(action, {"action": "reset"}).status_code == 403
    assert client_for(partner_account).post(action, {"action": "reset"}).status_code in (302, 403)


def test_refused_account_actions_come_back_on_the_page_at_the_row(
    staff: Any, client_for: Any, travel: Any, food_bank: Any
) -> None:
    """Issue 17: a refused confirm is the accounts page again (not a flash and a redirect),
    the reason at the account's row and in the summary on top; nothing changed."""
    from tests.refusals import error_at_field, error_summary

    travel("2026-12-01")
    admin = client_for(_admin())
    assert admin.post(URL, _new(food_bank)).status_code == 200
    link = PartnerUser.objects.get(user__username="kbz.kowalska")
    action = f"{URL}{link.pk}/"
    # the same person in two roles: the requester confirming its own request
    r = admin.post(action, {"action": "confirm"})
    page = r.content.decode()
    assert r.status_code == 403
    assert error_at_field(page, f"konto-{link.pk}", "druga osoba")
    assert "Konto kbz.kowalska" in error_summary(page)
    assert "Konta partnerów" in page and page.count("data-error-summary") == 1
    link.refresh_from_db()
    assert not link.user.is_active and link.confirmed_by is None and link.confirmed_at is None
    # confirmed by the director; a second confirm (another tab, a double click) is refused
    # in the account's present state, and the first confirmation stands
    assert client_for(staff.director).post(action, {"action": "confirm"}).status_code == 302
    link.refresh_from_db()
    first = (link.confirmed_by_id, link.confirmed_at)
    travel("2026-12-02")
    r = client_for(staff.director).post(action, {"action": "confirm"})
    page = r.content.decode()
    assert r.status_code == 409
    assert error_at_field(page, f"konto-{link.pk}", "już potwierdzone")
    link.refresh_from_db()
    assert (link.confirmed_by_id, link.confirmed_at) == first and link.user.is_active
    # the director does not administer accounts, so the page shows no request form
    assert "Złóż wniosek o konto" not in page
