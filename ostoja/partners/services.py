"""Writes of cooperation: partners, calls and grants, referrals, programmes, volunteers.

Each function is one user action: it validates (Polish messages naming the field), writes in one
transaction and leaves the audit trail (django-auditlog records every change of the models
registered in ``audit_registry``). Amounts and limits come from the law core
(``ostoja.law.grants``, ``ostoja.law.food_aid``).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from ostoja.audit.services import access_record
from ostoja.cases import services as cases_services
from ostoja.cases.models import Case
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import local_date
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.law.food_aid import food_aid_eligibility
from ostoja.law.grants import grant_settle, return_deadline, small_grant_errors
from ostoja.law.money import pln
from ostoja.partners.models import (
    Call,
    CallMode,
    CallStatus,
    Contact,
    CooperationAgreement,
    GrantAgreement,
    GrantReport,
    GrantStatus,
    Instalment,
    LegalForm,
    Offer,
    Participant,
    Partner,
    PartnerRole,
    PartnerUser,
    Programme,
    Referral,
    ReferralService,
    ReferralStatus,
    ReportKind,
    ServiceDelivery,
    Volunteer,
)
from ostoja.partners.selectors import protected_refused
from ostoja.payments.budget import chapter_name
from ostoja.registry.models import HouseholdMembership, Person

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


# ------------------------------------------------------------------ partners


def identifiers_errors(*, krs: str, regon: str, nip: str) -> dict[str, list[str]]:
    """KRS: 10 digits (ustawa o KRS, art. 19 — numer nadawany w rejestrze); REGON: 9 or 14 digits
    with the check digit; NIP: 10 digits with the check digit (python-stdnum)."""
    errors: dict[str, list[str]] = {}
    if krs and not (len(krs) == 10 and krs.isdigit()):
        errors["krs"] = ["Numer KRS musi mieć dokładnie 10 cyfr (np. 0000123456)."]
    if regon:
        try:
            stdnum_regon.validate(regon)
        except StdnumError:
            errors["regon"] = [
                "Błędny numer REGON: wymagane 9 lub 14 cyfr z poprawną cyfrą kontrolną."
            ]
    if nip:
        try:
            stdnum_nip.validate(nip)
        except StdnumError:
            errors["nip"] = ["Błędny numer NIP: wymagane 10 cyfr z poprawną cyfrą kontrolną."]
    return errors


def _partner_clean(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    for key in ("krs", "regon", "nip"):
        clean[key] = _digits(str(clean.get(key) or ""))
    errors = identifiers_errors(krs=clean["krs"], regon=clean["regon"], nip=clean["nip"])
    name = str(clean.get("name") or "").strip()
    if not name:
        errors["name"] = ["Podaj nazwę partnera."]
    clean["name"] = name
    if clean.get("legal_form") not in LegalForm.values:
        errors["legal_form"] = ["Wybierz formę prawną z listy."]
    roles = list(clean.get("roles") or [])
    bad = [r for r in roles if r not in PartnerRole.values]
    if bad:
        errors["roles"] = ["Nieznana rola partnera: " + ", ".join(bad) + "."]
    clean["roles"] = sorted(set(roles))
    email = str(clean.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = ["Błędny adres e-mail."]
    clean["email"] = email
    af, at = clean.get("active_from"), clean.get("active_to")
    if af and at and at <= af:
        errors["active_to"] = ["Data końca współpracy musi być późniejsza niż data początku."]
    if errors:
        raise ValidationFailed(errors)
    return clean


PARTNER_FIELDS = (
    "name", "short_name", "legal_form", "krs", "regon", "nip", "public_benefit_status", "roles",
    "address", "email", "phone", "notes", "active_from", "active_to",
)  # fmt: skip


def partner_create(*, data: dict[str, Any], user: Any, now: datetime) -> Partner:
    """Register a partner (*rejestr partnerów*)."""
    clean = _partner_clean(data)
    if not clean.get("active_from"):
        clean["active_from"] = local_date(now)
    fields = {k: clean[k] for k in PARTNER_FIELDS if k in clean}
    try:
        with transaction.atomic():
            return Partner.objects.create(
                **fields,
                created_at=now,
                created_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        field = "nip" if "nip" in str(exc).lower() else "krs"
        raise _fail(field, f"Partner o tym numerze {field.upper()} jest już w rejestrze.") from exc


def partner_update(
    *, partner: Partner, data: dict[str, Any], expected_version: int, user: Any, now: datetime
) -> Partner:
    """Change a partner's data; a concurrent change is never silently overwritten."""
    current = {k: getattr(partner, k) for k in PARTNER_FIELDS}
    current.update(data)
    clean = _partner_clean(current)
    for key in PARTNER_FIELDS:
        setattr(partner, key, clean[key])
    try:
        with transaction.atomic():
            save_versioned(partner, expected_version=expected_version)
    except IntegrityError as exc:
        raise _fail("nip", "Inny partner ma już ten numer NIP lub KRS.") from exc
    return partner


def contact_add(*, partner: Partner, name: str, function: str = "", email: str = "",
                phone: str = "") -> Contact:  # fmt: skip
    if not name.strip():
        raise _fail("name", "Podaj imię i nazwisko osoby do kontaktu.")
    return Contact.objects.create(
        partner=partner, name=name.strip(), function=function, email=email, phone=phone
    )


def agreement_add(
    *, partner: Partner, number: str, subject: str, signed_on: date, valid_from: date,
    valid_to: date | None,
) -> CooperationAgreement:  # fmt: skip
    """A cooperation agreement valid in ``[valid_from, valid_to)``."""
    if valid_to is not None and valid_to <= valid_from:
        raise _fail("valid_to", "Koniec obowiązywania musi być późniejszy niż początek.")
    if not number.strip():
        raise _fail("number", "Podaj numer porozumienia.")
    return CooperationAgreement.objects.create(
        partner=partner, number=number.strip(), subject=subject, signed_on=signed_on,
        valid_from=valid_from, valid_to=valid_to,
    )  # fmt: skip


def partner_user_link(*, user: Any, partner: Partner) -> PartnerUser:
    """Give a partner's employee an account limited to the partner's referrals."""
    if user.groups.exists():
        raise _fail("user", "Konto pracownika ośrodka nie może być kontem partnera.")
    link, _ = PartnerUser.objects.update_or_create(user=user, defaults={"partner": partner})
    return link


# ------------------------------------------------------------------ partner accounts (admin)

ACCOUNT_SECOND_PERSON = (
    "Konto partnera potwierdza druga osoba: inny administrator albo dyrektor — nie ta, która o "
    "nie wnioskowała (zasada dwóch osób, jak przy rolach pracowników)."
)


def _temporary_password() -> str:
    return secrets.token_urlsafe(12)


def partner_account_request(
    *, partner: Partner, username: str, first_name: str, last_name: str, email: str,
    actor: Any, now: datetime,
) -> tuple[PartnerUser, str]:  # fmt: skip
    """An administrator asks for an account of a registered partner's employee.

    The account stays inactive until a second person confirms it (``partner_account_confirm``);
    returns the link and the initial password, shown once to be handed over."""
    if not actor.has_perm("partners.manage_accounts"):
        raise NotPermitted("Konta partnerów zakłada administrator.")
    errors: dict[str, list[str]] = {}
    username = username.strip()
    if not _active(partner, local_date(now)):
        errors["partner"] = ["Konto zakłada się tylko partnerowi, z którym współpraca trwa."]
    User = get_user_model()
    if not username:
        errors["username"] = ["Podaj login."]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["Ten login jest już zajęty."]
    try:
        validate_email(email)
    except DjangoValidationError:
        errors["email"] = ["Błędny adres e-mail."]
    if errors:
        raise ValidationFailed(errors)
    password = _temporary_password()
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, email=email, first_name=first_name.strip(),
            last_name=last_name.strip(), password=password, is_active=False,
        )  # fmt: skip
        link = PartnerUser.objects.create(
            user=user, partner=partner, requested_by=actor, requested_at=now
        )
    return link, password


def partner_account_confirm(*, link: PartnerUser, actor: Any, now: datetime) -> PartnerUser:
    """A second administrator or the director confirms; the account opens now."""
    if not actor.has_perm("partners.confirm_accounts"):
        raise NotPermitted("Konto partnera potwierdza administrator albo dyrektor.")
    with transaction.atomic():
        current = PartnerUser.objects.select_for_update().select_related("user").get(pk=link.pk)
        if current.confirmed_at is not None and current.user.is_active:
            raise _fail("account", "To konto jest już potwierdzone.")
        if actor.pk in (current.requested_by_id, current.user_id):
            raise NotPermitted(ACCOUNT_SECOND_PERSON)
        if not _active(current.partner, local_date(now)):
            raise _fail("account", "Współpraca z tym partnerem nie trwa — konta nie otwiera się.")
        current.confirmed_by, current.confirmed_at = actor, now
        current.save(update_fields=["confirmed_by", "confirmed_at"])
        current.user.is_active = True
        current.user.save(update_fields=["is_active"])
    return current


def partner_account_deactivate(
    *, link: PartnerUser, actor: Any, now: datetime, remote_addr: str | None = None
) -> PartnerUser:
    """Close the account at once: the next request of its session and its API tokens fail
    (both check ``is_active``). Reopening needs a new request and a second person."""
    if not actor.has_perm("partners.manage_accounts"):
        raise NotPermitted("Konta partnerów zamyka administrator.")
    with transaction.atomic():
        current = PartnerUser.objects.select_for_update().select_related("user").get(pk=link.pk)
        current.user.is_active = False
        current.user.save(update_fields=["is_active"])
        current.confirmed_by, current.confirmed_at = None, None
        current.requested_by, current.requested_at = actor, now
        current.save(update_fields=["confirmed_by", "confirmed_at", "requested_by", "requested_at"])
        access_record(user=actor, obj=current, remote_addr=remote_addr,
                      extra={"action": "deactivate"})  # fmt: skip
    return current


def partner_account_password_reset(
    *, link: PartnerUser, actor: Any, remote_addr: str | None = None
) -> str:
    """A new initial password (shown once); the old one stops working at once."""
    if not actor.has_perm("partners.manage_accounts"):
        raise NotPermitted("Hasła kont partnerów zmienia administrator.")
    password = _temporary_password()
    with transaction.atomic():
        user = link.user
        user.set_password(password)
        user.save(update_fields=["password"])
        # The password is kept out of the user's change log, so the reset is logged here.
        access_record(user=actor, obj=link, remote_addr=remote_addr,
                      extra={"action": "password_reset"})  # fmt: skip
    return password


def _active(partner: Partner, on: date) -> bool:
    return partner.active_from <= on and (partner.active_to is None or on < partner.active_to)


# ------------------------------------------------------------------ calls and grants


def call_publish(
    *, number: str, title: str, mode: str, budget: Decimal, chapter: str,
    published_on: date, offers_until: date, task_from: date, task_to: date,
    paragraph: str = "2360",
) -> Call:  # fmt: skip
    """Publish an open contest (art. 13 u.d.p.p.) or a small-grant offer (art. 19a)."""
    errors: dict[str, list[str]] = {}
    if mode not in CallMode.values:
        errors["mode"] = ["Wybierz tryb z listy."]
    if budget <= 0:
        errors["budget"] = ["Kwota środków musi być dodatnia."]
    if not chapter_name(chapter):
        errors["chapter"] = [
            f"Rozdział {chapter} nie występuje w klasyfikacji budżetowej działu 852."
        ]
    if offers_until < published_on:
        errors["offers_until"] = ["Termin składania ofert nie może poprzedzać ogłoszenia."]
    if task_to < task_from:
        errors["task_to"] = ["Koniec realizacji nie może poprzedzać jej początku."]
    if mode == CallMode.SMALL_GRANT and not errors:
        msgs = small_grant_errors(amount=budget, task_from=task_from, task_to=task_to)
        if msgs:
            errors["budget"] = msgs
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            return Call.objects.create(
                number=number, title=title, mode=mode, budget=budget, chapter=chapter,
                paragraph=paragraph, published_on=published_on, offers_until=offers_until,
                task_from=task_from, task_to=task_to,
            )  # fmt: skip
    except IntegrityError as exc:
        raise _fail("number", "Konkurs o tym numerze już istnieje.") from exc


def offer_submit(
    *, call: Call, partner: Partner, submitted_on: date, requested: Decimal,
    own_contribution: Decimal = Decimal(0),
) -> Offer:  # fmt: skip
    """A partner's offer; late offers are refused (the notice's deadline)."""
    if call.status != CallStatus.PUBLISHED:
        raise _fail("call", "Konkurs jest już rozstrzygnięty.")
    if submitted_on > call.offers_until:
        raise _fail("submitted_on", "Oferta złożona po terminie składania ofert.")
    if requested <= 0:
        raise _fail("requested", "Wnioskowana kwota musi być dodatnia.")
    if requested > call.budget:
        raise _fail(
            "requested", f"Wnioskowana kwota przekracza środki konkursu ({pln(call.budget)})."
        )
    if not _active(partner, submitted_on):
        raise _fail("partner", "Partner nie jest aktywny w rejestrze w dniu złożenia oferty.")
    try:
        with transaction.atomic():
            return Offer.objects.create(
                call=call, partner=partner, submitted_on=submitted_on, requested=requested,
                own_contribution=own_contribution,
            )  # fmt: skip
    except IntegrityError as exc:
        raise _fail("partner", "Ten partner złożył już ofertę w tym konkursie.") from exc


def offer_assess(*, offer: Offer, score: Decimal, on: date) -> Offer:
    """The commission's score (art. 15 u.d.p.p.)."""
    if not Decimal(0) <= score <= Decimal(100):
        raise _fail("score", "Ocena musi mieścić się w przedziale 0–100 punktów.")
    if on < offer.submitted_on:
        raise _fail("on", "Ocena nie może poprzedzać złożenia oferty.")
    offer.score, offer.assessed_on = score, on
    offer.save(update_fields=["score", "assessed_on"])
    return offer


def call_decide(*, call: Call, awards: dict[int, Decimal], on: date) -> Call:
    """Decide the contest (*rozstrzygnięcie*): amounts per offer id; the sum within the budget."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status != CallStatus.PUBLISHED:
            raise _fail("call", "Konkurs został już rozstrzygnięty.")
        offers = {o.pk: o for o in call.offers.all()}
        if not awards:
            raise _fail("awards", "Wybierz co najmniej jedną ofertę.")
        for pk, amount in awards.items():
            offer = offers.get(pk)
            if offer is None:
                raise _fail("awards", "Oferta nie należy do tego konkursu.")
            if offer.assessed_on is None:
                raise _fail("awards", "Można wybrać tylko ocenioną ofertę.")
            if not Decimal(0) < amount <= offer.requested:
                raise _fail(
                    "awards", "Przyznana kwota musi być dodatnia i nie większa niż wnioskowana."
                )
        total = sum(awards.values(), Decimal(0))
        if total > call.budget:
            raise _fail(
                "awards",
                f"Suma dotacji ({pln(total)}) przekracza środki konkursu ({pln(call.budget)}).",
            )
        if on < call.offers_until and call.mode != CallMode.SMALL_GRANT:
            raise _fail("on", "Rozstrzygnięcie przed upływem terminu składania ofert.")
        for pk, amount in awards.items():
            offer = offers[pk]
            offer.selected, offer.awarded = True, amount
            offer.save(update_fields=["selected", "awarded"])
        call.status, call.decided_on = CallStatus.DECIDED, on
        call.save(update_fields=["status", "decided_on"])
    return call


def grant_sign(
    *, offer: Offer, number: str, signed_on: date, instalments: list[tuple[Decimal, date]]
) -> GrantAgreement:
    """Sign the grant agreement with its instalment schedule (sum = awarded amount)."""
    if not offer.selected or offer.awarded is None:
        raise _fail("offer", "Umowę zawiera się tylko z wybraną ofertą.")
    if not instalments:
        raise _fail("instalments", "Podaj harmonogram transz.")
    total = sum((a for a, _ in instalments), Decimal(0))
    if total != offer.awarded:
        raise _fail(
            "instalments",
            f"Suma transz ({pln(total)}) musi równać się przyznanej dotacji "
            f"({pln(offer.awarded)}).",
        )
    if any(a <= 0 for a, _ in instalments):
        raise _fail("instalments", "Każda transza musi być dodatnia.")
    call = offer.call
    try:
        with transaction.atomic():
            agreement = GrantAgreement.objects.create(
                offer=offer, number=number, amount=offer.awarded, signed_on=signed_on,
                report_due=call.task_to + timedelta(days=REPORT_DAYS),
            )  # fmt: skip
            for i, (amount, due_on) in enumerate(instalments, start=1):
                Instalment.objects.create(
                    agreement=agreement, number=i, amount=amount, due_on=due_on
                )
    except IntegrityError as exc:
        raise _fail("number", "Umowa o tym numerze już istnieje albo oferta ma już umowę.") from exc
    return agreement


def instalment_pay(
    *, instalment: Instalment, paid_on: date, today: date | None = None
) -> Instalment:
    """Record a tranche transferred; repeating it never transfers money twice."""
    if today is not None and paid_on > today:
        raise _fail("paid_on", "Data przekazania transzy nie może być późniejsza niż dziś.")
    with transaction.atomic():
        inst = Instalment.objects.select_for_update().get(pk=instalment.pk)
        if inst.paid_on is not None:
            raise _fail(
                "paid_on",
                f"Transza nr {inst.number} została już przekazana {inst.paid_on:%d.%m.%Y}.",
            )
        if inst.agreement.status == GrantStatus.SETTLED:
            raise _fail("paid_on", "Umowa jest rozliczona.")
        if paid_on < inst.agreement.signed_on:
            raise _fail("paid_on", "Transzy nie przekazuje się przed zawarciem umowy.")
        inst.paid_on = paid_on
        inst.save(update_fields=["paid_on"])
    return inst


def report_receive(
    *, agreement: GrantAgreement, kind: str, received_on: date, spent: Decimal, results: str,
    beneficiaries: int = 0, expected_version: int | None = None,
) -> GrantReport:  # fmt: skip
    """The partner's report (art. 18 u.d.p.p.); accepted when registered by staff.

    With ``expected_version`` (the staff page) the agreement's version moves too, so a report
    registered while someone else settles the grant is refused instead of arriving too late."""
    errors: dict[str, list[str]] = {}
    if kind not in ReportKind.values:
        errors["kind"] = ["Wybierz rodzaj sprawozdania."]
    if spent < 0:
        errors["spent"] = ["Wydatki nie mogą być ujemne."]
    elif spent > agreement.amount:
        errors["spent"] = [
            f"Wydatki z dotacji ({pln(spent)}) przekraczają kwotę dotacji "
            f"({pln(agreement.amount)})."
        ]
    if not results.strip():
        errors["results"] = ["Opisz osiągnięte rezultaty."]
    if received_on < agreement.signed_on:
        errors["received_on"] = ["Sprawozdanie nie może wpłynąć przed zawarciem umowy."]
    if agreement.status == GrantStatus.SETTLED:
        errors["kind"] = ["Umowa jest już rozliczona."]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if expected_version is not None:
            save_versioned(agreement, expected_version=expected_version)
        return GrantReport.objects.create(
            agreement=agreement, kind=kind, received_on=received_on, spent=spent,
            results=results.strip(), beneficiaries=beneficiaries, accepted_on=received_on,
        )  # fmt: skip


def grant_settle_agreement(
    *, agreement: GrantAgreement, on: date, expected_version: int
) -> GrantAgreement:
    """Settle the grant from the final report: unused money to return (art. 251 u.f.p.)."""
    with transaction.atomic():
        final = agreement.reports.filter(kind=ReportKind.FINAL).order_by("-received_on").first()
        if final is None:
            raise _fail("reports", "Rozliczenie wymaga sprawozdania końcowego.")
        paid = [i.amount for i in agreement.instalments.exclude(paid_on=None)]
        if not paid:
            raise _fail("instalments", "Nie przekazano żadnej transzy — nie ma czego rozliczać.")
        if agreement.status == GrantStatus.SETTLED:
            raise _fail("status", "Umowa jest już rozliczona.")
        result = grant_settle(awarded=agreement.amount, instalments_paid=paid, spent=final.spent)
        agreement.spent, agreement.to_return = result.used, result.to_return
        agreement.status, agreement.settled_on = GrantStatus.SETTLED, on
        save_versioned(agreement, expected_version=expected_version)
    return agreement


def grant_return_record(
    *, agreement: GrantAgreement, returned_on: date, expected_version: int | None = None
) -> GrantAgreement:
    """The partner returned the unused money (art. 251 ust. 1 u.f.p.); recorded once."""
    with transaction.atomic():
        current = GrantAgreement.objects.select_for_update().get(pk=agreement.pk)
        if current.status != GrantStatus.SETTLED or not current.to_return:
            raise _fail("returned_on", "Nie ma kwoty do zwrotu.")
        if current.returned_on is not None:
            raise _fail(
                "returned_on",
                f"Zwrot został już odnotowany {current.returned_on:%d.%m.%Y}.",
            )
        # The partner may return the money before the centre settles the report (art. 251
        # ust. 1 u.f.p. counts from the task's end), so only the agreement's date bounds it.
        if returned_on < current.signed_on:
            raise _fail("returned_on", "Data zwrotu nie może poprzedzać zawarcia umowy.")
        agreement.returned_on = returned_on
        save_versioned(
            agreement,
            expected_version=agreement.version if expected_version is None else expected_version,
        )
    return agreement


def grant_return_deadline(agreement: GrantAgreement) -> date:
    return return_deadline(agreement.offer.call.task_to)


# ------------------------------------------------------------------ referrals


def _next_number(on: date) -> str:
    prefix = f"SK/{on.year}/"
    last = Referral.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def referral_issue(
    *, case: Case, person: Person, partner: Partner, service: str, reason: str,
    valid_from: date, valid_to: date, user: Any, now: datetime,
    hours_planned: int | None = None, household_size: int = 1,
    monthly_income: Decimal | None = None,
) -> Referral:  # fmt: skip
    """Refer a client to a partner (*skierowanie*); the referral goes onto the case file.

    On a protected case the protected-record rule holds here too (not only on the page), so no
    other door — the API, a script — refers from it without the break-glass reason on record."""
    if protected_refused(user=user, case=case, now=now):
        raise NotPermitted(PROTECTED_REFUSED)
    on = local_date(now)
    errors: dict[str, list[str]] = {}
    if service not in ReferralService.values:
        errors["service"] = ["Wybierz formę wsparcia z listy."]
    elif SERVICE_ROLE[ReferralService(service)] not in partner.roles:
        errors["partner"] = [
            f"{partner} nie ma w rejestrze roli „{SERVICE_ROLE[ReferralService(service)].label}”."
        ]
    if not _active(partner, on):
        errors.setdefault("partner", []).append("Współpraca z tym partnerem nie trwa.")
    if valid_to <= valid_from:
        errors["valid_to"] = ["Koniec ważności musi być późniejszy niż początek."]
    if not reason.strip():
        errors["reason"] = ["Podaj powód skierowania (art. 7 u.p.s.)."]
    member = HouseholdMembership.objects.filter(
        household_id=case.household_id, person=person, valid_from__lte=on
    ).exclude(valid_to__lte=on)
    if not member.exists():
        errors["person"] = ["Osoba nie należy do rodziny tej sprawy."]
    if (
        service in HOURS_SERVICES
        and service == ReferralService.COMMUNITY_WORK
        and not hours_planned
    ):
        errors["hours_planned"] = ["Podaj planowaną liczbę godzin prac społecznie użytecznych."]
    if household_size < 1:
        errors["household_size"] = ["Liczba osób musi wynosić co najmniej 1."]
    trace: list[dict[str, str]] = []
    if service == ReferralService.FOOD_AID and "household_size" not in errors:
        if monthly_income is None or monthly_income < 0:
            errors["monthly_income"] = ["Podaj dochód gospodarstwa — wymagany do progu FEPŻ."]
        else:
            result = food_aid_eligibility(
                monthly_income=monthly_income, household_size=household_size, on=on
            )
            trace = [s.as_dict() for s in result.trace]
            if not result.eligible:
                errors["monthly_income"] = [
                    f"Dochód ({pln(result.income)}) przekracza próg programu FEPŻ "
                    f"({pln(result.threshold)}, {result.percent}% kryterium) — "
                    "skierowanie nie przysługuje."
                ]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        referral = Referral.objects.create(
            number=_next_number(on), case=case, person=person, partner=partner, service=service,
            reason=reason.strip(), issued_on=on, valid_from=valid_from, valid_to=valid_to,
            hours_planned=hours_planned, household_size=household_size,
            monthly_income=monthly_income, eligibility_trace=trace, issued_by=user,
        )  # fmt: skip
        cases_services.timeline_record(
            case=case, kind="skierowanie", occurred_at=now, actor=user,
            title=f"Skierowanie {referral.number}: {referral.get_service_display()} — {partner}",
            detail=f"{person.first_name} {person.last_name}; ważne od {valid_from:%d.%m.%Y}",
            source=(TIMELINE_SOURCE, referral.pk),
        )  # fmt: skip
    return referral


def referral_answer(
    *, referral: Referral, accepted: bool, note: str, user: Any, now: datetime,
    expected_version: int,
) -> Referral:  # fmt: skip
    """The partner's answer (*odpowiedź partnera*): accepted or refused, with a note."""
    if referral.status != ReferralStatus.ISSUED:
        raise _fail("status", "Na to skierowanie udzielono już odpowiedzi.")
    if not accepted and not note.strip():
        raise _fail("note", "Podaj powód odmowy przyjęcia.")
    if local_date(now) >= referral.valid_to:
        raise _fail(
            "status",
            f"Skierowanie wygasło {referral.valid_to:%d.%m.%Y} — ośrodek może wystawić nowe.",
        )
    referral.status = ReferralStatus.ACCEPTED if accepted else ReferralStatus.REFUSED
    referral.answered_on = local_date(now)
    referral.answer_note = note.strip()[:500]
    with transaction.atomic():
        save_versioned(referral, expected_version=expected_version)
        cases_services.timeline_record(
            case_id=referral.case_id, kind="skierowanie_odpowiedz", occurred_at=now, actor=user,
            title=f"Odpowiedź partnera ({referral.partner}) na skierowanie {referral.number}: "
            + ("przyjęto" if accepted else "odmowa"),
            detail=referral.answer_note,
            source=(TIMELINE_SOURCE, referral.pk),
        )  # fmt: skip
    return referral


def referral_outcome(
    *, referral: Referral, completed: bool, outcome: str, user: Any, now: datetime,
    expected_version: int, hours_done: int | None = None,
) -> Referral:  # fmt: skip
    """The outcome (*wynik*): completed or dropped, with hours for community work."""
    if referral.status != ReferralStatus.ACCEPTED:
        raise _fail("status", "Wynik odnotowuje się dla przyjętego skierowania.")
    if not outcome.strip():
        raise _fail("outcome", "Opisz wynik skierowania.")
    if hours_done is not None and hours_done < 0:
        raise _fail("hours_done", "Liczba godzin nie może być ujemna.")
    if referral.hours_planned and hours_done and hours_done > referral.hours_planned:
        raise _fail(
            "hours_done",
            f"Przepracowane godziny ({hours_done}) przekraczają skierowanie "
            f"({referral.hours_planned}).",
        )
    referral.status = ReferralStatus.COMPLETED if completed else ReferralStatus.DROPPED
    referral.outcome_on = local_date(now)
    referral.outcome = outcome.strip()[:500]
    referral.hours_done = hours_done
    hours = f"; godzin: {hours_done}" if hours_done is not None else ""
    with transaction.atomic():
        save_versioned(referral, expected_version=expected_version)
        cases_services.timeline_record(
            case_id=referral.case_id, kind="skierowanie_wynik", occurred_at=now, actor=user,
            title=f"Wynik skierowania {referral.number} ({referral.partner}): "
            + ("zakończone" if completed else "przerwane"),
            detail=referral.outcome + hours,
            source=(TIMELINE_SOURCE, referral.pk),
        )  # fmt: skip
    return referral


# ------------------------------------------------------------------ programmes, volunteers


def programme_create(**fields: Any) -> Programme:
    """A programme edition, project, self-help group or senior club."""
    if fields["valid_to"] <= fields["valid_from"]:
        raise _fail("valid_to", "Koniec programu musi być późniejszy niż początek.")
    if not str(fields.get("name", "")).strip():
        raise _fail("name", "Podaj nazwę programu.")
    return Programme.objects.create(**fields)


def participant_enrol(
    *, programme: Programme, person: Person, on: date, has_disability_certificate: bool = False
) -> Participant:
    """Enrol a person after checking the programme's eligibility (age, disability)."""
    errors: dict[str, list[str]] = {}
    if not (programme.valid_from <= on < programme.valid_to):
        errors["on"] = ["Program nie trwa w tym dniu."]
    if programme.min_age is not None:
        b = person.birth_date
        age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        if age < programme.min_age:
            errors["person"] = [
                f"Program jest dla osób w wieku co najmniej {programme.min_age} lat."
            ]
    if programme.requires_disability and not has_disability_certificate:
        errors["has_disability_certificate"] = ["Program wymaga orzeczenia o niepełnosprawności."]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            return Participant.objects.create(
                programme=programme, person=person, enrolled_on=on,
                has_disability_certificate=has_disability_certificate,
            )  # fmt: skip
    except IntegrityError as exc:
        raise _fail("person", "Osoba jest już uczestnikiem tego programu.") from exc


def service_record(
    *, participant: Participant, delivered_on: date, hours: Decimal, activity: str,
    cost: Decimal = Decimal(0), volunteer: Volunteer | None = None,
) -> ServiceDelivery:  # fmt: skip
    """Record a service delivered; the programme's yearly hour limit per person holds."""
    if hours <= 0:
        raise _fail("hours", "Liczba godzin musi być dodatnia.")
    if delivered_on < participant.enrolled_on or (
        participant.left_on and delivered_on >= participant.left_on
    ):
        raise _fail("delivered_on", "Usługa poza okresem udziału w programie.")
    if volunteer is not None and not (
        volunteer.agreement_from <= delivered_on
        and (volunteer.agreement_to is None or delivered_on < volunteer.agreement_to)
    ):
        raise _fail(
            "volunteer",
            "Porozumienie z wolontariuszem nie obowiązuje w tym dniu (art. 44 u.d.p.p.).",
        )
    limit = participant.programme.hours_limit
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if limit is not None:
            used = participant.services.filter(delivered_on__year=delivered_on.year).aggregate(
                s=Sum("hours")
            )["s"] or Decimal(0)
            if used + hours > limit:
                raise _fail(
                    "hours",
                    f"Przekroczony roczny limit godzin ({limit} h; wykorzystano {used} h).",
                )
        return ServiceDelivery.objects.create(
            participant=participant, delivered_on=delivered_on, hours=hours, activity=activity,
            cost=cost, volunteer=volunteer,
        )  # fmt: skip


def participant_result(
    *, participant: Participant, achieved: bool, left_on: date | None
) -> Participant:
    """End (or, with ``left_on=None``, keep open) a person's participation with its result.

    The participation is locked first, so two staff ending it at once leave one end date."""
    with transaction.atomic():
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        if left_on is not None:
            if current.left_on is not None:
                raise _fail("left_on", f"Udział zakończono już {current.left_on:%d.%m.%Y}.")
            if left_on <= current.enrolled_on:
                raise _fail(
                    "left_on",
                    "Data zakończenia udziału musi być późniejsza niż data przyjęcia "
                    f"({current.enrolled_on:%d.%m.%Y}).",
                )
            last = current.services.aggregate(m=Max("delivered_on"))["m"]
            if last is not None and left_on <= last:
                raise _fail(
                    "left_on",
                    f"Po tej dacie odnotowano usługę ({last:%d.%m.%Y}) — "
                    "zakończenie musi nastąpić później.",
                )
        participant.result_achieved = achieved
        participant.left_on = left_on
        participant.save(update_fields=["result_achieved", "left_on"])
    return participant


def volunteer_register(
    *, name: str, agreement_number: str, agreement_from: date, scope: str,
    source: Partner | None = None, agreement_to: date | None = None,
) -> Volunteer:  # fmt: skip
    """A volunteer with a written agreement (*porozumienie*, art. 44 u.d.p.p.)."""
    if not name.strip():
        raise _fail("name", "Podaj imię i nazwisko wolontariusza.")
    if agreement_to is not None and agreement_to <= agreement_from:
        raise _fail("agreement_to", "Koniec porozumienia musi być późniejszy niż początek.")
    return Volunteer.objects.create(
        name=name.strip(), agreement_number=agreement_number, agreement_from=agreement_from,
        agreement_to=agreement_to, scope=scope, source=source,
    )  # fmt: skip
