"""Writes of the organisation context: each one transaction, each change audited (auditlog)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from stdnum import iban
from stdnum.pl import nip, regon
from stdnum.pl import pesel as stdnum_pesel

from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.core.four_eyes import require_second_person
from ostoja.org.choices import MatterKind, RelationKind
from ostoja.org.models import (
    ApiToken,
    Authorisation,
    InstanceSettings,
    RelationDeclaration,
    RoleChange,
    RoleChangeStatus,
    StaffMember,
    Unit,
)
from ostoja.org.roles import Role
from ostoja.org.rules import group_names

User = get_user_model()

UNIT_FIELDS = [
    "code", "name", "short_name", "kind", "parent", "case_symbol", "address", "phone",
    "valid_from", "valid_to",
]  # fmt: skip
SETTINGS_FIELDS = [
    "name", "short_name", "street_address", "postal_code", "city", "nip", "regon", "teryt",
    "bank_account", "phone", "email", "epuap", "director_name", "director_title", "authority",
    "appeal_body", "appeal_body_address",
]  # fmt: skip


def roles_ensure() -> None:
    """Create the role groups (idempotent)."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


# ---------------------------------------------------------------- units


def _check_unit(data: dict[str, Any], unit: Unit | None) -> None:
    errors: dict[str, list[str]] = {}
    parent = data.get("parent")
    if unit is not None and parent is not None:
        node: Unit | None = parent
        while node is not None:
            if node.pk == unit.pk:
                errors["parent"] = ["Jednostka nie może podlegać samej sobie ani swojej podległej."]
                break
            node = node.parent
    valid_to = data.get("valid_to")
    if valid_to is not None and valid_to <= data["valid_from"]:
        errors["valid_to"] = ["Data końca musi być późniejsza niż data początku działania."]
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def unit_create(*, data: dict[str, Any]) -> Unit:
    _check_unit(data, None)
    unit = Unit(**{f: data.get(f) for f in UNIT_FIELDS if f in data})
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise ValidationFailed({"code": ["Jednostka o tym kodzie już istnieje."]}) from exc
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, data: dict[str, Any], expected_version: int) -> Unit:
    _check_unit(data, unit)
    for field in UNIT_FIELDS:
        if field in data:
            setattr(unit, field, data[field])
    save_versioned(unit, expected_version=expected_version)
    return unit


# ---------------------------------------------------------------- staff


def _set_roles(user: AbstractBaseUser, roles: Iterable[str]) -> None:
    roles_ensure()
    wanted = {Role(r).value for r in roles}
    user.groups.set(Group.objects.filter(name__in=wanted))  # type: ignore[attr-defined]


@transaction.atomic
def staff_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    unit: Unit,
    position: str,
    roles: Iterable[str],
    password: str,
    now: datetime,
    phone: str = "",
    actor: AbstractBaseUser | None = None,
) -> StaffMember:
    """Create a staff account. With ``actor`` (every user's path: the page) the roles are only
    asked for — a second administrator or the director confirms them (``role_change_confirm``);
    without it (installation bootstrap: the demo, the test factories) they are set at once."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed({"username": ["Konto o tym loginie już istnieje."]})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed({"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    staff = StaffMember.objects.create(user=user, unit=unit, position=position, phone=phone)
    _roles_apply_or_request(user=user, roles=roles, actor=actor, now=now)
    return staff


@transaction.atomic
def staff_update(
    *,
    staff: StaffMember,
    expected_version: int,
    first_name: str,
    last_name: str,
    email: str,
    unit: Unit,
    position: str,
    roles: Iterable[str],
    is_active: bool,
    phone: str = "",
    now: datetime,
    new_password: str = "",
    actor: AbstractBaseUser | None = None,
) -> StaffMember:
    """Update a staff account; a change of roles is a request for a second person's
    confirmation when made by ``actor`` (see ``staff_create``)."""
    if new_password:
        try:
            validate_password(new_password, staff.user)
        except ValidationError as exc:
            raise ValidationFailed({"new_password": list(exc.messages)}) from exc
    user = staff.user
    # A move to another unit or the reactivation of a deactivated account widens access: by a
    # user (``actor``) they are asked for, like roles, and take effect on the second person's
    # confirmation. Deactivation narrows access and applies at once.
    move = actor is not None and unit.pk != staff.unit_id
    reactivate = actor is not None and is_active and not user.is_active
    if not move:
        staff.unit = unit
    staff.position = position
    staff.phone = phone
    save_versioned(staff, expected_version=expected_version)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    if not reactivate:
        user.is_active = is_active
    if new_password:
        user.set_password(new_password)
    user.save()
    if actor is None:
        _set_roles(user, roles)
    else:
        role_change_request(
            user=user,
            roles=roles,
            actor=actor,
            now=now,
            unit=unit if move else None,
            reactivate=reactivate,
        )
    return staff


# ---------------------------------------------------------------- role changes (two people)

ROLE_CHANGE_PENDING = (
    "Zmiana ról tego pracownika już czeka na potwierdzenie — najpierw ją potwierdźcie albo "
    "odrzućcie."
)
ROLE_CHANGE_SECOND_PERSON = (
    "Zmianę ról potwierdza druga osoba: inny administrator albo dyrektor — nie ta, która o nią "
    "wnioskowała, ani pracownik, którego dotyczy (zasada dwóch osób)."
)


def roles_of(user: AbstractBaseUser) -> list[str]:
    """The role codes the account holds now, sorted."""
    return sorted(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]


def _roles_apply_or_request(
    *,
    user: AbstractBaseUser,
    roles: Iterable[str],
    actor: AbstractBaseUser | None,
    now: datetime,
) -> RoleChange | None:
    if actor is None:
        _set_roles(user, roles)
        return None
    return role_change_request(user=user, roles=roles, actor=actor, now=now)


@transaction.atomic
def role_change_request(
    *,
    user: AbstractBaseUser,
    roles: Iterable[str],
    actor: AbstractBaseUser,
    now: datetime,
    unit: Unit | None = None,
    reactivate: bool = False,
) -> RoleChange | None:
    """Wniosek o zmianę ról: grant or remove roles of ``user``, move them to ``unit`` or
    restore a deactivated account. Nothing changes until a second person confirms; ``None``
    when nothing asked for differs from what the account holds."""
    if not actor.has_perm("org.manage_staff"):
        raise NotPermitted("Zmiany ról pracowników wnioskuje administrator.")
    try:
        wanted = sorted({Role(r).value for r in roles})
    except ValueError as exc:
        raise ValidationFailed({"roles": ["Nieznana rola."]}) from exc
    before = roles_of(user)
    staff = StaffMember.objects.filter(user=user).first()
    unit_before = staff.unit if staff is not None else None
    if unit is not None and unit_before is not None and unit.pk == unit_before.pk:
        unit = None
    reactivate = reactivate and not user.is_active
    if wanted == before and unit is None and not reactivate:
        return None
    if RoleChange.objects.filter(user=user, status=RoleChangeStatus.PENDING).exists():
        raise ValidationFailed({"roles": [ROLE_CHANGE_PENDING]})
    try:
        with transaction.atomic():  # two administrators at once: one request waits, not two
            return RoleChange.objects.create(
                user=user,
                roles_before=before,
                roles_after=wanted,
                unit_before=unit_before if unit is not None else None,
                unit_after=unit,
                reactivate=reactivate,
                requested_by=actor,
                requested_at=now,
            )
    except IntegrityError as exc:
        raise ValidationFailed({"roles": [ROLE_CHANGE_PENDING]}) from exc


def _decide(change_id: int, actor: AbstractBaseUser) -> RoleChange:
    if not actor.has_perm("org.confirm_role_change"):
        raise NotPermitted("Zmianę ról rozstrzyga administrator albo dyrektor.")
    change = RoleChange.objects.select_for_update().select_related("user").get(pk=change_id)
    if change.status != RoleChangeStatus.PENDING:
        raise DomainError("Ta zmiana ról została już rozstrzygnięta.")
    return change


@transaction.atomic
def role_change_confirm(*, change_id: int, actor: AbstractBaseUser, now: datetime) -> RoleChange:
    """A second administrator or the director confirms; the roles are set now."""
    change = _decide(change_id, actor)
    require_second_person(
        actor, change.requested_by_id, change.user_id, message=ROLE_CHANGE_SECOND_PERSON
    )
    if roles_of(change.user) != sorted(change.roles_before):
        raise DomainError(
            "Role pracownika zmieniły się od złożenia wniosku — odrzućcie go i złóżcie nowy."
        )
    staff = StaffMember.objects.select_for_update().filter(user=change.user).first()
    if change.moves_unit and (staff is None or staff.unit_id != change.unit_before_id):
        raise DomainError(
            "Jednostka pracownika zmieniła się od złożenia wniosku — odrzućcie go i złóżcie nowy."
        )
    if change.reactivate and change.user.is_active:
        raise DomainError("Konto jest już aktywne — odrzućcie wniosek.")
    _set_roles(change.user, change.roles_after)
    if change.moves_unit and staff is not None and change.unit_after is not None:
        staff.unit = change.unit_after
        save_versioned(staff, expected_version=staff.version)
    if change.reactivate:
        change.user.is_active = True
        change.user.save(update_fields=["is_active"])
    change.status = RoleChangeStatus.CONFIRMED
    change.decided_by, change.decided_at = actor, now
    change.save(update_fields=["status", "decided_by", "decided_at"])
    return change


@transaction.atomic
def role_change_reject(*, change_id: int, actor: AbstractBaseUser, now: datetime) -> RoleChange:
    """Refuse (or, by its requester, withdraw) a pending change; the roles stay."""
    change = _decide(change_id, actor)
    change.status = RoleChangeStatus.REJECTED
    change.decided_by, change.decided_at = actor, now
    change.save(update_fields=["status", "decided_by", "decided_at"])
    return change


# ---------------------------------------------------------------- authorisations


@transaction.atomic
def authorisation_grant(
    *,
    holder: AbstractBaseUser,
    number: str,
    scope: Iterable[str],
    valid_from: date,
    valid_until: date | None,
    granted_by: str,
    granted_on: date,
    legal_basis: str | None = None,
) -> Authorisation:
    scope = list(dict.fromkeys(scope))
    errors: dict[str, list[str]] = {}
    unknown = [s for s in scope if s not in MatterKind.values]
    if not scope:
        errors["scope"] = ["Wybierz co najmniej jeden rodzaj spraw."]
    elif unknown:
        errors["scope"] = [f"Nieznany rodzaj spraw: {', '.join(unknown)}."]
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = ["Data „ważne do” nie może być wcześniejsza niż „ważne od”."]
    if granted_on > valid_from:
        errors["granted_on"] = ["Upoważnienie nie może działać przed dniem jego udzielenia."]
    if Authorisation.objects.filter(number=number).exists():
        errors["number"] = ["Upoważnienie o tym numerze jest już w rejestrze."]
    if not getattr(holder, "is_active", False):
        errors["holder"] = ["Konto upoważnianej osoby jest nieaktywne."]
    if errors:
        raise ValidationFailed(errors)
    kwargs: dict[str, Any] = {}
    if legal_basis:
        kwargs["legal_basis"] = legal_basis
    return Authorisation.objects.create(
        holder=holder,
        number=number,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=granted_by,
        granted_on=granted_on,
        **kwargs,
    )


@transaction.atomic
def authorisation_revoke(*, authorisation: Authorisation, on: date, reason: str) -> Authorisation:
    """Revoke from ``on`` (inclusive). The record stays in the register with its history."""
    locked = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if locked.revoked_on is not None:
        raise DomainError("To upoważnienie zostało już odwołane.", field="revoked_on")
    if not reason.strip():
        raise ValidationFailed({"revoked_reason": ["Podaj powód odwołania."]})
    locked.revoked_on = on
    locked.revoked_reason = reason.strip()
    locked.save(update_fields=["revoked_on", "revoked_reason"])
    return locked


# ---------------------------------------------------------------- instance settings

MOPR_KIELCE_DEFAULTS: dict[str, str] = {
    "name": "Miejski Ośrodek Pomocy Rodzinie w Kielcach",
    "short_name": "MOPR Kielce",
    "street_address": "ul. Studzienna 2",
    "postal_code": "25-544",
    "city": "Kielce",
    # NIP, REGON and the bank account were not found in public sources we could check;
    # the administrator fills them in (the decision letterhead omits empty fields).
    "nip": "",
    "regon": "",
    "teryt": "2661011",
    "bank_account": "",
    "phone": "41 331 25 24",
    "email": "",
    "epuap": "/MOPR-Kielce/SkrytkaESP",
    "director_name": "Magdalena Gościniewicz",
    "director_title": "Dyrektor Miejskiego Ośrodka Pomocy Rodzinie w Kielcach",
    "authority": "Prezydent Miasta Kielce",
    "appeal_body": "Samorządowe Kolegium Odwoławcze w Kielcach",
    "appeal_body_address": "",
}


def instance_settings_ensure() -> InstanceSettings:
    obj, _ = InstanceSettings.objects.get_or_create(pk=1, defaults=MOPR_KIELCE_DEFAULTS)
    return obj


def _check_settings(data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if data.get("nip") and not nip.is_valid(data["nip"]):
        errors["nip"] = ["Nieprawidłowy NIP (suma kontrolna się nie zgadza)."]
    if data.get("regon") and not regon.is_valid(data["regon"]):
        errors["regon"] = ["Nieprawidłowy REGON (suma kontrolna się nie zgadza)."]
    account = (data.get("bank_account") or "").replace(" ", "")
    if account and not (len(account) == 26 and iban.is_valid("PL" + account)):
        errors["bank_account"] = ["Nieprawidłowy numer rachunku (26 cyfr NRB z sumą kontrolną)."]
    teryt = data.get("teryt", "")
    if not (len(teryt) == 7 and teryt.isdigit()):
        errors["teryt"] = ["Kod TERYT gminy ma 7 cyfr (Kielce: 2661011)."]
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def instance_settings_update(*, data: dict[str, Any], expected_version: int) -> InstanceSettings:
    _check_settings(data)
    obj = instance_settings_ensure()
    if data.get("nip"):
        data["nip"] = nip.compact(data["nip"])
    if data.get("bank_account"):
        data["bank_account"] = data["bank_account"].replace(" ", "")
    for field in SETTINGS_FIELDS:
        if field in data:
            setattr(obj, field, data[field])
    save_versioned(obj, expected_version=expected_version)
    return obj


# ---------------------------------------------------------------- API tokens


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, expires_at: datetime | None = None) -> str:
    """Create a token and return it once; only its hash is kept.

    Without ``expires_at`` the token lives ``OSTOJA_API_TOKEN_DAYS`` from its creation.
    """
    if not user.is_active:
        raise DomainError("Konto jest nieaktywne — nie można wydać tokenu.")
    raw = "ost_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(raw), prefix=raw[:8], expires_at=expires_at)
    return raw


def admin_lacks_mfa(user: AbstractBaseUser) -> bool:
    """An administrator without TOTP may do nothing but enrol it — on pages and in the API."""
    from django.conf import settings

    if not settings.OSTOJA_REQUIRE_ADMIN_MFA:
        return False
    # the user's role names, read once per request and shared with every other role check
    if Role.ADMINISTRATOR.value not in group_names(user):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def api_token_authenticate(*, raw: str, now: datetime) -> AbstractBaseUser | None:
    """The user a live token belongs to, or None (unknown, revoked, expired, inactive user, or
    an administrator without TOTP). Records the last use (at most every 5 minutes)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token.is_usable(now=now) or admin_lacks_mfa(token.user):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: AbstractBaseUser | None, now: datetime) -> ApiToken:
    """Revoke a token at once (idempotent: a revoked token stays revoked as it was).

    ``actor`` is None when an operator revokes from the command line (no staff account)."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = now
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token


@transaction.atomic
def api_tokens_revoke_all(
    *, user: AbstractBaseUser, actor: AbstractBaseUser | None, now: datetime
) -> int:
    """Revoke every live token of ``user`` (an account leaving, a lost laptop)."""
    count = 0
    for token in ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True):
        api_token_revoke(token=token, actor=actor, now=now)
        count += 1
    return count


# ------------------------------------------------ relations with parties (art. 24 KPA)


def _relation_errors(
    *, pesel_raw: str, first_name: str, last_name: str, birth_date: date | None, kind: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if pesel_raw:
        try:
            stdnum_pesel.validate(pesel_raw)
        except Exception:  # any stdnum error (length, checksum, date) means a wrong number
            errors["pesel"] = ["PESEL jest nieprawidłowy (11 cyfr z poprawną cyfrą kontrolną)."]
    elif birth_date is None:
        errors["birth_date"] = ["Podaj PESEL albo — gdy osoba go nie ma — datę urodzenia."]
    if not first_name:
        errors["first_name"] = ["Podaj imię osoby."]
    if not last_name:
        errors["last_name"] = ["Podaj nazwisko osoby."]
    if kind not in RelationKind.values:
        errors["kind"] = ["Wybierz rodzaj powiązania z listy."]
    return errors


@transaction.atomic
def relation_declare(
    *,
    staff: AbstractBaseUser,
    pesel: str,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    kind: str,
    since: date,
    now: datetime,
) -> RelationDeclaration:
    """A staff member declares a relation with a person (art. 24 § 1 KPA); audited (auditlog).

    From then on the exclusion check refuses this staff member every step of a decision in a
    case where the person is a party or a member of the household.
    """
    pesel_raw = (pesel or "").replace(" ", "")
    first_name, last_name = first_name.strip(), last_name.strip()
    errors = _relation_errors(
        pesel_raw=pesel_raw,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        kind=kind,
    )
    if since is None:
        errors["since"] = ["Podaj datę, od której istnieje powiązanie."]
    if errors:
        raise ValidationFailed(errors)
    return RelationDeclaration.objects.create(
        staff=staff,
        pesel=pesel_raw,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        kind=kind,
        since=since,
        declared_at=now,
    )


@transaction.atomic
def relation_withdraw(
    *, declaration: RelationDeclaration, actor: AbstractBaseUser, reason: str, on: date
) -> RelationDeclaration:
    """Withdraw a declaration made by mistake (kept on record with the reason).

    Only the declaring staff member withdraws; a real relation is never withdrawn because the
    ground persists after marriage, adoption or guardianship ends (art. 24 § 2 KPA).
    """
    if declaration.staff_id != actor.pk:
        raise NotPermitted("Wycofać oświadczenie może tylko pracownik, który je złożył.")
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationFailed(
            {"reason": ["Podaj powód wycofania (co najmniej 10 znaków), np. pomyłka w PESEL."]}
        )
    declaration = RelationDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.withdrawn_on is not None:
        raise DomainError("To oświadczenie zostało już wycofane.")
    declaration.withdrawn_on = on
    declaration.withdrawn_reason = reason[:300]
    declaration.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    return declaration
