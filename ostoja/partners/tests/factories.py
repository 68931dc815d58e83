"""Cooperation records for the security suite (horizontal access tests): a partner with a
portal account, a referral on a case, a call with an offer, a signed grant and a programme."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from ostoja.partners import services as svc
from ostoja.partners.models import LegalForm, PartnerRole, ProgrammeKind

D = Decimal


def partner_make(*, name: str, now: Any, user: Any, **over: Any) -> Any:
    data = {
        "name": name, "legal_form": LegalForm.ASSOCIATION, "krs": "", "nip": "", "regon": "",
        "roles": [PartnerRole.FOOD_AID, PartnerRole.VOLUNTEERS], "active_from": date(2020, 1, 1),
    } | over  # fmt: skip
    return svc.partner_create(data=data, user=user, now=now)


def portal_account(*, partner: Any, username: str) -> Any:
    """A partner employee's account (*konto partnera*): no staff role, only its partner."""
    user = get_user_model().objects.create_user(username=username, password="demo")
    svc.partner_user_link(user=user, partner=partner)
    return user


def security_records(*, case: Any, actor: Any, head: Any, on: date) -> dict[str, Any]:
    """``partner`` with a ``partner_referral`` of ``case`` (issued by ``actor``, the case's
    worker); ``other_partner_user`` — a portal account of a second partner, which must never
    reach that referral; a ``call`` with an ``offer`` decided and a ``grant`` signed with its
    ``instalment``; a ``programme`` run by the partner."""
    from ostoja.core.dates import noon

    now = noon(on)
    partner = partner_make(name="Bank Żywności (test bezpieczeństwa)", now=now, user=head)
    other = partner_make(name="Stowarzyszenie Inne (test)", now=now, user=head)
    person = case.household.memberships.select_related("person").order_by("pk").first().person
    referral = svc.referral_issue(
        case=case, person=person, partner=partner, service="pomoc_zywnosciowa",
        reason="ubóstwo (art. 7 pkt 1 u.p.s.)", valid_from=on, valid_to=on + timedelta(days=180),
        household_size=1, monthly_income=D("1500.00"), user=actor, now=now,
    )  # fmt: skip
    start = on - timedelta(days=60)
    call = svc.call_publish(
        number="SEC/K/1", title="Noclegownia", mode="powierzenie", budget=D("1000"),
        chapter="85203", published_on=start, offers_until=start + timedelta(days=21),
        task_from=start + timedelta(days=31), task_to=on + timedelta(days=120),
    )  # fmt: skip
    offer = svc.offer_submit(
        call=call, partner=partner, submitted_on=start + timedelta(days=9), requested=D("1000")
    )
    svc.offer_assess(offer=offer, score=D("70"), on=start + timedelta(days=22))
    svc.call_decide(call=call, awards={offer.pk: D("1000")}, on=start + timedelta(days=22))
    offer.refresh_from_db()
    grant = svc.grant_sign(offer=offer, number="SEC/U/1", signed_on=start + timedelta(days=24),
                           instalments=[(D("1000"), start + timedelta(days=31))])  # fmt: skip
    programme = svc.programme_create(
        name="Klub Seniora (test)", kind=ProgrammeKind.values[0], edition_year=on.year,
        funding_source="budżet miasta", valid_from=start, valid_to=on + timedelta(days=300),
        partner=partner,
    )  # fmt: skip
    return {
        "partner": partner,
        "partner_referral": referral,
        "partner_user": portal_account(partner=partner, username="sec_partner_ro1"),
        "other_partner_user": portal_account(partner=other, username="sec_partner_other"),
        "call": call,
        "offer": offer,
        "grant": grant,
        "instalment": grant.instalments.get(),
        "programme": programme,
    }
