"""Partners: their identifiers (KRS, REGON, NIP), creating and editing a partner, contacts,
cooperation agreements and the link of a user to a partner.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import local_date
from ostoja.core.errors import ValidationFailed
from ostoja.partners.models import (
    Contact,
    CooperationAgreement,
    LegalForm,
    Partner,
    PartnerRole,
    PartnerUser,
)

from ._common import _digits, _fail


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
