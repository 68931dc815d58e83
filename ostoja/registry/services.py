"""Writes of the registry context: persons, households, memberships, incomes, merge of duplicates.

Each function is one user action in one transaction; changes are recorded by django-auditlog.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from ostoja.audit.services import access_record
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.core.polish import family_name
from ostoja.core.validation import (
    blank_none_text,
    check_model_input,
    merge_errors,
    model_input_errors,
)
from ostoja.law.codes import INCOME_KINDS, INCOME_SHAPES, ROLES
from ostoja.registry.models import Household, HouseholdMembership, Income, Person
from ostoja.registry.scope import user_unit_id
from ostoja.registry.selectors import person_visible_to
from ostoja.registry.text import search_key
from ostoja.registry.validation import person_errors, pesel_fill

PERSON_FIELDS = [
    "first_name",
    "second_name",
    "last_name",
    "pesel",
    "birth_date",
    "sex",
    "id_document_type",
    "id_document_number",
    "citizenship",
    "residence_title",
    "reg_street",
    "reg_street_text",
    "reg_house",
    "reg_flat",
    "reg_postal_code",
    "reg_city",
    "homeless",
    "act_place",
    "act_street",
    "act_street_text",
    "act_house",
    "act_flat",
    "act_postal_code",
    "act_city",
    "outside_kielce",
    "phone",
    "email",
    "disability_degree",
    "disability_valid_until",
    "incapacity_for_work",
    "insured_elsewhere",
    "date_of_death",
]

# Higher contexts register ``fn(*, keep, duplicate)`` to move their references on a merge.
MERGE_HOOKS: list[Any] = []


def register_merge_hook(fn: Any) -> Any:
    if fn not in MERGE_HOOKS:
        MERGE_HOOKS.append(fn)
    return fn


DUPLICATE_PESEL = "Osoba o numerze PESEL {pesel} jest już zarejestrowana ({name})."
# Outside the user's scope the answer names no one (issue 20, finding 4): the registry is
# not an oracle of who else is a client of the centre.
DUPLICATE_PESEL_ELSEWHERE = (
    "Osoba o numerze PESEL {pesel} jest już zarejestrowana w ośrodku. Nie można zarejestrować "
    "jej drugi raz — skontaktuj się z kierownikiem, aby ustalić właściwą jednostkę."
)


def _normalise_blank(data: dict[str, Any]) -> None:
    for key in PERSON_FIELDS:
        if key in data and isinstance(data[key], str):
            data[key] = data[key].strip()
    for key in ("second_name", "id_document_type", "id_document_number", "phone", "email"):
        data.setdefault(key, "")
    data.setdefault("citizenship", "polskie")
    data.setdefault("residence_title", "obywatel_pl")
    data["disability_degree"] = data.get("disability_degree") or ""


def duplicate_pesel_message(*, pesel: str, other: Person, user: Any) -> str:
    """The answer to a PESEL clash for ``user`` (form, API, CSV import — issue 20, finding 4)."""
    return _duplicate_message(pesel=pesel, other=other, user=user)


def _duplicate_message(*, pesel: str, other: Person, user: Any) -> str:
    """Name the registered person only to a user who may see them; otherwise a neutral answer,
    and the probe is audited as a refused access to that person."""
    if user is not None and person_visible_to(user=user, person=other):
        return DUPLICATE_PESEL.format(pesel=pesel, name=other.full_name)
    if getattr(user, "is_authenticated", False):
        access_record(user=user, obj=other, refused=True, extra={"pesel_probe": True})
    return DUPLICATE_PESEL_ELSEWHERE.format(pesel=pesel)


def _validate(data: dict[str, Any], *, on: date, instance: Person | None, user: Any) -> None:
    """Field rules and the PESEL clash. Runs before the write's transaction, so that the audit
    of a probe survives the refusal."""
    blank_none_text(Person, data, PERSON_FIELDS)  # PATCH act_flat=null clears the flat
    _normalise_blank(data)
    pesel_fill(data)  # birth date and sex from the PESEL before the NOT NULL column check
    # Columns first (length, control characters, NOT NULL): the shared validation layer.
    column_errors = model_input_errors(Person, data)
    errors = person_errors(data, on=on)
    merge_errors(errors, column_errors)
    pesel = data.get("pesel")
    if pesel and "pesel" not in errors:
        clash = Person.objects.filter(pesel=pesel)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        other = clash.first()
        if other is not None:
            errors.setdefault("pesel", []).append(
                _duplicate_message(pesel=pesel, other=other, user=user)
            )
    if errors:
        raise ValidationFailed(errors)


def person_problems(*, data: dict[str, Any], on: date) -> dict[str, list[str]]:
    """Every problem with a new person's ``data`` (field → messages), nothing saved."""
    try:
        _validate(dict(data), on=on, instance=None, user=None)
    except ValidationFailed as exc:
        return exc.errors
    return {}


def _apply(person: Person, data: dict[str, Any]) -> None:
    for key in PERSON_FIELDS:
        if key in data:
            setattr(person, key, data[key])
    person.search_key = search_key(f"{person.last_name} {person.first_name} {person.second_name}")
    person.address_key = search_key(person.address_display)


def _save_unique(person: Person, save: Any) -> None:
    try:
        with transaction.atomic():
            save()
    except IntegrityError as exc:
        if (
            person.pesel
            and Person.objects.filter(pesel=person.pesel).exclude(pk=person.pk).exists()
        ):
            raise ValidationFailed(
                {"pesel": [DUPLICATE_PESEL.format(pesel=person.pesel, name="inna osoba")]}
            ) from exc
        raise


def person_create(*, data: dict[str, Any], user: Any, on: date) -> Person:
    """Register a person; ``data`` uses the model's field names (streets as ``Street``)."""
    data = dict(data)
    _validate(data, on=on, instance=None, user=user)
    with transaction.atomic():
        person = Person(
            registered_by_unit_id=user_unit_id(user),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _apply(person, data)
        _save_unique(person, person.save)
    return person


def person_update(
    *, person: Person, data: dict[str, Any], expected_version: int, on: date, user: Any = None
) -> Person:
    """Change a person's data; ``user`` decides whether a PESEL clash may name the other
    person (without it the answer is neutral)."""
    if person.is_merged:
        raise DomainError("Ta osoba została scalona z inną — edytuj rekord zachowany.")
    merged = {k: getattr(person, k) for k in PERSON_FIELDS}
    merged.update(data)
    _validate(merged, on=on, instance=person, user=user)
    with transaction.atomic():
        _apply(person, merged)
        _save_unique(person, lambda: save_versioned(person, expected_version=expected_version))
    return person


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, user: Any, on: date, now: datetime) -> Person:
    """Merge a duplicate into ``keep``: memberships, incomes and applications move to the kept
    record; the duplicate is marked merged (never deleted). Both changes are audited."""
    # Defence in depth (finding 3): the service checks the scope itself, whoever calls it.
    if not (
        user.has_perm("registry.change_person", keep)
        and user.has_perm("registry.change_person", duplicate)
    ):
        raise NotPermitted("Nie masz uprawnień do scalenia tych osób.")
    if keep.pk == duplicate.pk:
        raise DomainError("Nie można scalić osoby z nią samą.")
    if keep.is_merged or duplicate.is_merged:
        raise DomainError("Jedna z osób została już scalona.")
    locked = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    }
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    for m in HouseholdMembership.objects.filter(person=duplicate):
        overlapping = HouseholdMembership.objects.filter(person=keep).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=m.valid_from)
        )
        if m.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lt=m.valid_to)
        if overlapping.exclude(household=m.household).exists():
            raise DomainError(
                "Obie osoby należą w tym samym czasie do różnych rodzin — najpierw zakończ "
                "jedno z członkostw."
            )
        same = overlapping.filter(household=m.household).first()
        if same is not None:
            # The same membership recorded twice: the duplicate's row goes (audited).
            HouseholdMembership.objects.filter(pk=m.pk).delete()
            continue
        m.person = keep
        m.save()
    for income in Income.objects.filter(person=duplicate):
        income.person = keep
        income.save()
    # Records of higher contexts (applications…) follow the kept person through their hooks.
    for hook in MERGE_HOOKS:
        hook(keep=keep, duplicate=duplicate)
    if not keep.pesel and duplicate.pesel:
        pesel = duplicate.pesel
        duplicate.pesel = None
        duplicate.merged_into = keep
        duplicate.merged_at = now
        duplicate.save()
        keep.pesel = pesel
        keep.save()
    else:
        duplicate.merged_into = keep
        duplicate.merged_at = now
        duplicate.save()
    return keep


# ------------------------------------------------------------------ households


def _check_relation(relation: str) -> None:
    if relation not in ROLES:
        raise ValidationFailed({"relation": ["Wybierz stosunek do wnioskodawcy z listy."]})


def _overlap_check(*, person: Person, valid_from: date, valid_to: date | None) -> None:
    qs = HouseholdMembership.objects.filter(person=person).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)
    )
    if valid_to is not None:
        qs = qs.filter(valid_from__lt=valid_to)
    other = qs.select_related("household").first()
    if other is not None:
        raise ValidationFailed(
            {
                "person": [
                    f"{person.full_name} należy w tym okresie do rodziny „{other.household}” "
                    f"(od {other.valid_from:%d.%m.%Y}) — najpierw zakończ tamto członkostwo."
                ]
            }
        )


@transaction.atomic
def household_create(
    *,
    name: str,
    applicant: Person,
    valid_from: date,
    user: Any,
    note: str = "",
    single: bool = False,
) -> Household:
    """A new household with ``applicant`` as wnioskodawca from ``valid_from``.

    With ``single`` it is a one-person household (osoba samotnie gospodarująca, art. 6 pkt 10
    u.p.s.), named for the person rather than as a "family".
    """
    default = (
        f"{applicant.full_name} (osoba samotnie gospodarująca)"
        if single
        else family_name(applicant.last_name)  # "Rodzina Żółkiewskich" (issue 17)
    )
    name = (name or "").strip() or default
    check_model_input(Household, {"name": name, "note": note})
    Person.objects.select_for_update().filter(pk=applicant.pk).first()
    _overlap_check(person=applicant, valid_from=valid_from, valid_to=None)
    household = Household.objects.create(
        name=name, note=note, registered_by_unit_id=user_unit_id(user)
    )
    HouseholdMembership.objects.create(
        household=household, person=applicant, relation="wnioskodawca", valid_from=valid_from
    )
    return household


@transaction.atomic
def household_update(
    *, household: Household, name: str, note: str, expected_version: int
) -> Household:
    if not (name or "").strip():
        raise ValidationFailed({"name": ["Podaj nazwę rodziny."]})
    check_model_input(Household, {"name": name.strip(), "note": note})
    household.name = name.strip()
    household.note = note
    save_versioned(household, expected_version=expected_version)
    return household


@transaction.atomic
def membership_add(
    *,
    household: Household,
    person: Person,
    relation: str,
    valid_from: date,
    expected_version: int,
) -> HouseholdMembership:
    """Add a member from ``valid_from``; the household's version guards against two people
    changing the composition at once. A person is in at most one household on any date."""
    _check_relation(relation)
    if person.is_merged:
        raise ValidationFailed({"person": ["Ta osoba została scalona z inną."]})
    Person.objects.select_for_update().filter(pk=person.pk).first()
    save_versioned(household, expected_version=expected_version)
    if relation == "wnioskodawca" and _open_applicant(household, valid_from):
        raise ValidationFailed({"relation": ["Rodzina ma już wnioskodawcę."]})
    _overlap_check(person=person, valid_from=valid_from, valid_to=None)
    try:
        with transaction.atomic():
            return HouseholdMembership.objects.create(
                household=household, person=person, relation=relation, valid_from=valid_from
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            {"person": [f"{person.full_name} należy już do innej rodziny."]}
        ) from exc


@transaction.atomic
def household_member_register(
    *,
    household: Household,
    data: dict[str, Any],
    relation: str,
    valid_from: date,
    expected_version: int,
    user: Any,
    on: date,
) -> Person:
    """Register a new person and add them to ``household`` in one step (nothing half-saved)."""
    person = person_create(data=data, user=user, on=on)
    membership_add(
        household=household,
        person=person,
        relation=relation,
        valid_from=valid_from,
        expected_version=expected_version,
    )
    return person


def _open_applicant(household: Household, on: date) -> bool:
    return (
        HouseholdMembership.objects.filter(household=household, relation="wnioskodawca")
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .exists()
    )


@transaction.atomic
def membership_end(
    *, membership: HouseholdMembership, valid_to: date, expected_version: int
) -> HouseholdMembership:
    """End a membership (exclusive ``valid_to``): the row stays, history is not overwritten."""
    household = membership.household
    save_versioned(household, expected_version=expected_version)
    if membership.valid_to is not None:
        raise ValidationFailed({"valid_to": ["To członkostwo jest już zakończone."]})
    if valid_to <= membership.valid_from:
        raise ValidationFailed(
            {"valid_to": ["Data zakończenia musi być późniejsza niż data rozpoczęcia."]}
        )
    membership.valid_to = valid_to
    membership.save()
    return membership


# ------------------------------------------------------------------ incomes

AMOUNT_FIELDS = ("amount", "gross", "tax", "social", "health", "revenue", "costs", "hectares")


@transaction.atomic
def income_add(*, person: Person, data: dict[str, Any], user: Any, on: date) -> Income:
    """Record one income item for a month; shapes as the law core reads them."""
    errors: dict[str, list[str]] = {}
    kind = data.get("kind") or ""
    if kind not in INCOME_KINDS:
        errors["kind"] = ["Wybierz rodzaj dochodu z listy."]
    month = data.get("month")
    if month is None:
        errors["month"] = ["Podaj miesiąc dochodu."]
    elif month.replace(day=1) > on.replace(day=1):
        errors["month"] = ["Miesiąc dochodu nie może być przyszły."]
    values: dict[str, Decimal | None] = {}
    for f in AMOUNT_FIELDS:
        raw = data.get(f)
        if raw in (None, ""):
            values[f] = None
            continue
        try:
            value = Decimal(str(raw).replace(",", ".").replace(" ", ""))
        except ArithmeticError:
            errors.setdefault(f, []).append("Nieprawidłowa kwota.")
            continue
        if not value.is_finite():
            errors.setdefault(f, []).append("Nieprawidłowa kwota.")
        elif value < 0:
            errors.setdefault(f, []).append("Kwota nie może być ujemna.")
        elif value > Decimal("9999999999"):
            errors.setdefault(f, []).append("Kwota jest nieprawdopodobnie duża.")
        values[f] = value
    shape = INCOME_SHAPES.get(kind)
    if kind in INCOME_KINDS and not errors:
        if shape == "wage":
            if (values["amount"] is None) == (values["gross"] is None):
                errors["amount"] = [
                    "Podaj wynagrodzenie netto albo brutto (z podatkiem i składkami)."
                ]
            elif values["gross"] is not None:
                deductions = sum((values[f] or Decimal(0)) for f in ("tax", "social", "health"))
                if deductions > values["gross"]:
                    errors["gross"] = ["Podatek i składki przekraczają wynagrodzenie brutto."]
        elif shape == "business":
            if values["revenue"] is None:
                errors["revenue"] = ["Podaj przychód z działalności."]
        elif shape == "farm":
            if values["hectares"] is None:
                errors["hectares"] = ["Podaj liczbę hektarów przeliczeniowych."]
        elif values["amount"] is None:
            errors["amount"] = ["Podaj kwotę."]
    # Issue 22: one-off (art. 8 ust. 11) or for a period (art. 8 ust. 12).
    one_off = bool(data.get("one_off"))
    period_from = data.get("period_from")
    period_to = data.get("period_to")
    if period_to is not None and period_from is None:
        errors["period_from"] = ["Podaj początek okresu, za który wypłacono dochód."]
    if period_from is not None:
        period_from = period_from.replace(day=1)
        period_to = (period_to or period_from).replace(day=1)
        if period_to < period_from:
            errors["period_to"] = ["Koniec okresu jest wcześniejszy niż początek."]
        if one_off:
            errors["one_off"] = [
                "Dochód jednorazowy albo dochód za okres — zaznacz jedno (art. 8 ust. 11–12)."
            ]
    if (one_off or period_from is not None) and shape in ("farm", "deduction"):
        errors["one_off"] = ["Ten rodzaj dochodu nie może być jednorazowy ani za okres."]
    # Columns: decimal places and digits of each amount, length and characters of the text.
    columns = {
        k: v
        for k, v in data.items()
        if k not in AMOUNT_FIELDS and k not in ("month", "period_from", "period_to", "one_off")
    }
    columns.update({f: v for f, v in values.items() if v is not None})
    merge_errors(errors, model_input_errors(Income, columns))
    if errors:
        raise ValidationFailed(errors)
    keep = {
        "wage": ("amount", "gross", "tax", "social", "health"),
        "business": ("revenue", "costs", "tax", "social", "health"),
        "farm": ("hectares",),
    }.get(shape or "", ("amount",))
    income = Income(
        person=person,
        month=month.replace(day=1),
        kind=kind,
        proof=(data.get("proof") or "").strip(),
        created_by=user,
        one_off=one_off,
        period_from=period_from,
        period_to=period_to if period_from is not None else None,
        **{f: values[f] for f in AMOUNT_FIELDS if f in keep},
    )
    income.save()
    return income


@transaction.atomic
def income_delete(*, income: Income) -> None:
    income.delete()
