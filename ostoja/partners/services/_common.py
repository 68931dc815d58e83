"""Helpers shared by the partners services: the report deadline, the role each referral service
needs, the protected-case message, the field error, digits of an identifier and whether a
partner is active on a day (private to this package, the constants re-exported).
"""

from __future__ import annotations

from datetime import date

from ostoja.core.errors import ValidationFailed
from ostoja.partners.models import (
    Partner,
    PartnerRole,
    ReferralService,
)

REPORT_DAYS = 30  # final report within 30 days of the task's end (reporting.md §4.2 ⚠)

# Which partner role a referral's service needs.
SERVICE_ROLE = {
    ReferralService.FOOD_AID: PartnerRole.FOOD_AID,
    ReferralService.CIS: PartnerRole.CIS_KIS,
    ReferralService.KIS: PartnerRole.CIS_KIS,
    ReferralService.COMMUNITY_WORK: PartnerRole.COMMUNITY_WORK,
    ReferralService.EMPLOYER: PartnerRole.EMPLOYER,
    ReferralService.COUNSELLING: PartnerRole.COUNSELLING,
    ReferralService.SHELTER: PartnerRole.SERVICE_PROVIDER,
    ReferralService.SENIOR_CLUB: PartnerRole.SERVICE_PROVIDER,
}
HOURS_SERVICES = {ReferralService.COMMUNITY_WORK, ReferralService.CIS, ReferralService.KIS}
TIMELINE_SOURCE = "partners"
PROTECTED_REFUSED = (
    "Sprawa jest chroniona: skierowanie wystawia pracownik prowadzący, kierownik jednostki albo "
    "osoba, która otworzyła sprawę z podaniem powodu (dostęp nadzwyczajny)."
)


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def _digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit() or ch.isalpha())


def _active(partner: Partner, on: date) -> bool:
    return partner.active_from <= on and (partner.active_to is None or on < partner.active_to)
