"""Providers of care services, their contracts and carers (art. 50 u.p.s.)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from ostoja.care.models import (
    Carer,
    Provider,
    ProviderContract,
)
from ostoja.care.policy import (
    CareKind,
    ProviderKind,
)
from ostoja.care.services._common import (
    _columns,
    _fail,
    _need,
)
from ostoja.core.errors import ConflictError, ValidationFailed

# ------------------------------------------------------------------ providers


@transaction.atomic
def provider_create(
    *,
    name: str,
    kind: str,
    nip: str = "",
    not_family_declared: bool = False,
    fitness_declared_on: date | None = None,
    first_aid_training_on: date | None = None,
    lives_nearby: bool = False,
    actor: Any,
) -> Provider:
    """Register a provider. A neighbour (usługi sąsiedzkie, art. 50 ust. 2a–2c u.p.s.) must not
    be family, must have declared fitness and live nearby; first-aid training may follow."""
    _need(actor, "care.manage")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Podaj nazwę wykonawcy."]
    if kind not in ProviderKind.values:
        errors["kind"] = ["Wybierz rodzaj wykonawcy."]
    if kind == ProviderKind.NEIGHBOUR:
        if not not_family_declared:
            errors["not_family_declared"] = [
                "Usługi sąsiedzkie: osoba nie może być członkiem rodziny ani krewnym "
                "zobowiązanym (art. 50 ust. 2b u.p.s.)."
            ]
        if fitness_declared_on is None:
            errors["fitness_declared_on"] = ["Podaj datę oświadczenia o zdolności do pracy."]
        if not lives_nearby:
            errors["lives_nearby"] = ["Usługi sąsiedzkie świadczy osoba z najbliższego sąsiedztwa."]
    _columns(errors, Provider, name=name, nip=nip)
    if errors:
        raise ValidationFailed(errors)
    return Provider.objects.create(
        name=name.strip(),
        kind=kind,
        nip=nip,
        not_family_declared=not_family_declared,
        fitness_declared_on=fitness_declared_on,
        first_aid_training_on=first_aid_training_on,
        lives_nearby=lives_nearby,
    )


@transaction.atomic
def contract_add(
    *,
    provider: Provider,
    number: str,
    service_kind: str,
    hourly_rate: Decimal,
    valid_from: date,
    valid_to: date | None,
    actor: Any,
) -> ProviderContract:
    """A contract with an hourly rate and its half-open validity; two contracts of one
    provider for one kind of service may not overlap."""
    _need(actor, "care.manage")
    errors: dict[str, list[str]] = {}
    if not number.strip():
        errors["number"] = ["Podaj numer umowy."]
    if hourly_rate is None or hourly_rate <= 0:
        errors["hourly_rate"] = ["Cena za godzinę musi być większa od zera."]
    if valid_to is not None and valid_to <= valid_from:
        errors["valid_to"] = ["Koniec obowiązywania musi być po jego początku."]
    if service_kind not in CareKind.values:
        errors["service_kind"] = ["Wybierz rodzaj usług."]
    _columns(errors, ProviderContract, number=number, hourly_rate=hourly_rate)
    if errors:
        raise ValidationFailed(errors)
    for other in ProviderContract.objects.filter(provider=provider, service_kind=service_kind):
        if (other.valid_to is None or other.valid_to > valid_from) and (
            valid_to is None or valid_to > other.valid_from
        ):
            raise _fail("valid_from", f"Okres nakłada się na umowę {other.number}.")
    try:
        with transaction.atomic():
            return ProviderContract.objects.create(
                provider=provider,
                number=number.strip(),
                service_kind=service_kind,
                hourly_rate=hourly_rate,
                valid_from=valid_from,
                valid_to=valid_to,
            )
    except IntegrityError as exc:
        raise ConflictError(f"Umowa {number} tego wykonawcy już istnieje.") from exc


@transaction.atomic
def carer_add(
    *, provider: Provider, first_name: str, last_name: str, qualification: str = "", actor: Any
) -> Carer:
    _need(actor, "care.manage")
    if not first_name.strip() or not last_name.strip():
        raise _fail("last_name", "Podaj imię i nazwisko opiekuna.")
    return Carer.objects.create(
        provider=provider,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        qualification=qualification,
    )


def contract_in_force(*, contract: ProviderContract, on: date) -> bool:
    return contract.valid_from <= on and (contract.valid_to is None or on < contract.valid_to)
