"""Partner accounts (admin): requesting an account for a partner's person, confirming it by a
second person, deactivating it and resetting its password.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction

from ostoja.audit.services import access_record
from ostoja.core.dates import local_date
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.core.four_eyes import require_second_person
from ostoja.partners.models import (
    Partner,
    PartnerUser,
)

from ._common import _active, _fail

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
        require_second_person(
            actor, current.requested_by_id, current.user_id, message=ACCOUNT_SECOND_PERSON
        )
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
