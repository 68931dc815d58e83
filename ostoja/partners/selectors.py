"""Reads of cooperation — permission-aware, related rows fetched, constant queries per page.

Deny by default: staff see referrals of cases in their scope; a partner's account sees only
the referrals addressed to its partner, as ``PartnerReferral`` — name, service, dates and the
answer, never PESEL, address or anything of the case file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from ostoja.cases.models import Case
from ostoja.cases.selectors import cases_visible
from ostoja.partners.models import (
    Call,
    GrantAgreement,
    Participant,
    Partner,
    PartnerUser,
    Programme,
    Referral,
    ServiceDelivery,
    Volunteer,
)
from ostoja.socialwork import selectors as sw_selectors
from ostoja.socialwork.policy import Access

ZERO = Decimal("0.00")


def partner_of(user: Any) -> Partner | None:
    """The partner a partner's account belongs to (None for staff)."""
    if not user.has_perm("partners.portal"):
        return None
    return user.partner_link.partner  # type: ignore[no-any-return]


def partner_list(
    *, on: date, query: str = "", role: str = "", active_only: bool = False
) -> list[Partner]:
    qs = Partner.objects.all()
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(nip=query) | Q(krs=query)
        )
    if active_only:
        qs = qs.filter(active_from__lte=on).filter(Q(active_to__isnull=True) | Q(active_to__gt=on))
    partners = list(qs.annotate(n_referrals=Count("referrals")))
    if role:
        partners = [p for p in partners if role in p.roles]
    return partners


def partner_get(*, pk: int) -> Partner:
    return Partner.objects.prefetch_related("contacts", "agreements").get(pk=pk)


def partners_for_service(*, role: str, on: date) -> list[Partner]:
    return [p for p in partner_list(on=on, active_only=True) if role in p.roles]


# ------------------------------------------------------------------ referrals


def protected_refused(*, user: Any, case: Case, now: datetime) -> bool:
    """The protected-record rule of social work (art. 100 u.p.s., need to know): on a protected
    case only its assigned workers, the head of its unit and whoever opened it on a stated
    reason (break-glass, time-limited) see its referrals or refer from it."""
    if not case.protected:
        return False
    return sw_selectors.note_access(user=user, case=case, now=now) is Access.NEEDS_REASON


def referrals_visible(*, user: Any, now: datetime) -> QuerySet[Referral]:
    """Staff: referrals of the cases in scope, less protected cases the user may not open;
    a partner: its own (minimised by ``partner_view``); anyone else: none."""
    base = Referral.objects.select_related("partner", "person", "case__household")
    partner = partner_of(user)
    if partner is not None:
        return base.filter(partner=partner)
    if not (user.has_perm("partners.view_referrals")):
        return base.none()
    scope = cases_visible(user=user)
    # Protected cases are few; each is checked by the same rule as the social-work pages.
    hidden = [
        c.pk for c in scope.filter(protected=True) if protected_refused(user=user, case=c, now=now)
    ]
    return base.filter(case__in=scope).exclude(case_id__in=hidden)


def referral_get(*, user: Any, pk: int, now: datetime) -> Referral:
    """One referral the user may see (``Referral.DoesNotExist`` otherwise, as for a missing id)."""
    return referrals_visible(user=user, now=now).get(pk=pk)


def referral_unscoped(*, pk: int) -> Referral | None:
    """A referral by id regardless of scope — ONLY to audit a refused opening; never shown."""
    return Referral.objects.filter(pk=pk).first()


def referrals_of_case(*, case_id: int) -> list[Referral]:
    return list(
        Referral.objects.filter(case_id=case_id)
        .select_related("partner", "person")
        .order_by("-issued_on", "-pk")
    )


@dataclass(frozen=True)
class PartnerReferral:
    """What a partner may see of a referral (minimisation, art. 5 ust. 1 lit. c RODO)."""

    id: int
    version: int
    number: str
    first_name: str
    last_name: str
    service: str
    service_label: str
    valid_from: date
    valid_to: date
    hours_planned: int | None
    household_size: int
    status: str
    status_label: str
    answered_on: date | None
    answer_note: str
    outcome_on: date | None
    outcome: str
    hours_done: int | None


def partner_view(r: Referral) -> PartnerReferral:
    return PartnerReferral(
        id=r.pk, version=r.version, number=r.number, first_name=r.person.first_name,
        last_name=r.person.last_name, service=r.service, service_label=r.get_service_display(),
        valid_from=r.valid_from, valid_to=r.valid_to, hours_planned=r.hours_planned,
        household_size=r.household_size, status=r.status, status_label=r.get_status_display(),
        answered_on=r.answered_on, answer_note=r.answer_note, outcome_on=r.outcome_on,
        outcome=r.outcome, hours_done=r.hours_done,
    )  # fmt: skip


def partner_referrals(*, user: Any, now: datetime) -> list[PartnerReferral]:
    """The partner's inbox: only minimised rows."""
    if partner_of(user) is None:
        return []
    return [
        partner_view(r) for r in referrals_visible(user=user, now=now).order_by("-issued_on", "-pk")
    ]


# ------------------------------------------------------------------ grants


def call_list() -> list[Call]:
    return list(Call.objects.annotate(n_offers=Count("offers")).order_by("-published_on"))


def call_get(*, pk: int) -> Call:
    return Call.objects.prefetch_related("offers__partner", "offers__agreement").get(pk=pk)


@dataclass(frozen=True)
class GrantSummary:
    agreement: GrantAgreement
    paid: Decimal
    unpaid: Decimal
    reported_spent: Decimal | None


def grant_get(*, pk: int) -> GrantSummary:
    ag = (
        GrantAgreement.objects.select_related("offer__partner", "offer__call")
        .prefetch_related("instalments", "reports")
        .get(pk=pk)
    )
    paid = sum((i.amount for i in ag.instalments.all() if i.paid_on), ZERO)
    finals = [r for r in ag.reports.all() if r.kind == "koncowe"]
    return GrantSummary(
        agreement=ag,
        paid=paid,
        unpaid=ag.amount - paid,
        reported_spent=finals[-1].spent if finals else None,
    )


def grant_list() -> list[GrantAgreement]:
    return list(
        GrantAgreement.objects.select_related("offer__partner", "offer__call").annotate(
            paid=Sum("instalments__amount", filter=Q(instalments__paid_on__isnull=False))
        )
    )


# ------------------------------------------------------------------ programmes


@dataclass(frozen=True)
class ProgrammeReport:
    """The programme's own report, reproduced from the data (participants, services, hours,
    cost, funding split and the result measure)."""

    programme: Programme
    participants: int
    with_disability: int
    active_on: int
    hours: Decimal
    services: int
    cost: Decimal
    grant_part: Decimal
    own_part: Decimal
    by_activity: list[tuple[str, int, Decimal]]
    volunteer_hours: Decimal
    results_achieved: int
    target: Decimal | None


def programme_list() -> list[Programme]:
    return list(Programme.objects.select_related("partner").annotate(n=Count("participants")))


def programme_report(*, programme: Programme, on: date) -> ProgrammeReport:
    parts = Participant.objects.filter(programme=programme)
    agg = parts.aggregate(
        n=Count("pk"),
        dis=Count("pk", filter=Q(has_disability_certificate=True)),
        active=Count(
            "pk", filter=Q(enrolled_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))
        ),
        done=Count("pk", filter=Q(result_achieved=True)),
    )
    services = ServiceDelivery.objects.filter(participant__programme=programme)
    s = services.aggregate(
        h=Sum("hours"),
        c=Sum("cost"),
        n=Count("pk"),
        vh=Sum("hours", filter=Q(volunteer__isnull=False)),
    )
    by_activity = [
        (row["activity"], row["n"], row["h"])
        for row in services.values("activity")
        .annotate(n=Count("pk"), h=Sum("hours"))
        .order_by("activity")
    ]
    cost = s["c"] or ZERO
    grant_part = (cost * programme.grant_percent / Decimal(100)).quantize(Decimal("0.01"))
    return ProgrammeReport(
        programme=programme, participants=agg["n"], with_disability=agg["dis"],
        active_on=agg["active"],
        hours=s["h"] or ZERO, services=s["n"], cost=cost, grant_part=grant_part,
        own_part=cost - grant_part, by_activity=by_activity, volunteer_hours=s["vh"] or ZERO,
        results_achieved=agg["done"], target=programme.target,
    )  # fmt: skip


def volunteer_list() -> list[dict[str, Any]]:
    """Volunteers with their hours and the number of people they helped."""
    rows = Volunteer.objects.select_related("source").annotate(
        hours=Sum("services__hours"), helped=Count("services__participant", distinct=True)
    )
    return [{"volunteer": v, "hours": v.hours or ZERO, "helped": v.helped} for v in rows]


# ------------------------------------------------------------------ programme enrolment


def enrolment_programmes(*, on: date) -> list[Programme]:
    """Programmes running on ``on`` a person can be enrolled into."""
    return list(
        Programme.objects.filter(valid_from__lte=on, valid_to__gt=on)
        .select_related("partner")
        .order_by("name")
    )


def participations_of_persons(*, person_ids: list[int]) -> list[Participant]:
    return list(
        Participant.objects.filter(person_id__in=person_ids)
        .select_related("programme", "person")
        .order_by("-enrolled_on", "-pk")
    )


# ------------------------------------------------------------------ partner accounts


def partner_accounts() -> list[PartnerUser]:
    return list(
        PartnerUser.objects.select_related(
            "user", "partner", "requested_by", "confirmed_by"
        ).order_by("partner__name", "user__username")
    )


def partner_account_get(*, pk: int) -> PartnerUser:
    return PartnerUser.objects.select_related("user", "partner").get(pk=pk)
