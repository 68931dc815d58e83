"""Checks of a person's data (PESEL, dates, address): a Polish message on the failing field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError
from stdnum.pl import pesel as stdnum_pesel

from ostoja.registry.models import KIELCE
from ostoja.registry.text import search_key

POSTAL_CODE = re.compile(r"^\d{2}-\d{3}$")
SEX_FROM_STDNUM = {"M": "M", "F": "K"}


def pesel_check(raw: str, *, birth_date: date | None, sex: str | None) -> tuple[str, list[str]]:
    """Return ``(compact PESEL, errors)``; birth date and sex derived from the number are
    compared with what was typed (python-stdnum: checksum, date, sex)."""
    value = stdnum_pesel.compact(raw or "")
    if not value:
        return "", []
    if not value.isdigit() or len(value) != 11:
        return value, ["PESEL musi składać się z 11 cyfr."]
    try:
        stdnum_pesel.validate(value)
    except InvalidChecksum:
        return value, ["Nieprawidłowy numer PESEL — błędna cyfra kontrolna."]
    except (InvalidComponent, ValidationError):
        return value, ["Nieprawidłowy numer PESEL — zawiera niemożliwą datę urodzenia."]
    errors = []
    derived = stdnum_pesel.get_birth_date(value)
    if birth_date is not None and derived != birth_date:
        errors.append(
            f"PESEL wskazuje datę urodzenia {derived:%d.%m.%Y}, a wpisano {birth_date:%d.%m.%Y} "
            "— sprawdź PESEL albo datę urodzenia."
        )
    derived_sex = SEX_FROM_STDNUM[stdnum_pesel.get_gender(value)]
    if sex and derived_sex != sex:
        label = "kobiety" if derived_sex == "K" else "mężczyzny"
        errors.append(f"PESEL jest numerem {label}, a wybrano inną płeć — sprawdź dane.")
    return value, errors


def pesel_birth_date(value: str) -> date:
    return stdnum_pesel.get_birth_date(value)


def pesel_sex(value: str) -> str:
    return SEX_FROM_STDNUM[stdnum_pesel.get_gender(value)]


def is_kielce(city: str) -> bool:
    return search_key(city or KIELCE) == search_key(KIELCE)


def pesel_fill(data: dict[str, Any]) -> None:
    """Fill a missing birth date and sex from a valid PESEL (intake without retyping); what was
    typed is kept and then compared with the number by :func:`pesel_check`."""
    value = stdnum_pesel.compact(data.get("pesel") or "")
    if not value or not stdnum_pesel.is_valid(value):
        return
    if data.get("birth_date") is None:
        data["birth_date"] = pesel_birth_date(value)
    if not data.get("sex"):
        data["sex"] = pesel_sex(value)


def person_errors(data: dict[str, Any], *, on: date) -> dict[str, list[str]]:
    """All problems with ``data`` (field → messages); ``data`` is normalised in place."""
    errors: dict[str, list[str]] = {}
    pesel_fill(data)

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, label in (("first_name", "Imię"), ("last_name", "Nazwisko")):
        value = (data.get(field) or "").strip()
        data[field] = value
        if not value:
            add(field, f"{label} jest wymagane.")
        elif any(ch.isdigit() for ch in value):
            add(field, f"{label} nie może zawierać cyfr.")
    birth_date = data.get("birth_date")
    if birth_date is None:
        add("birth_date", "Data urodzenia jest wymagana.")
    elif birth_date > on:
        add("birth_date", "Data urodzenia nie może być późniejsza niż dzisiejsza.")
    elif birth_date.year < 1900:
        add("birth_date", "Data urodzenia jest nieprawdopodobna (przed 1900 r.).")
    sex = data.get("sex") or ""
    if sex not in ("K", "M"):
        add("sex", "Wybierz płeć.")
    raw_pesel = (data.get("pesel") or "").strip()
    value, pesel_problems = pesel_check(raw_pesel, birth_date=birth_date, sex=sex or None)
    data["pesel"] = value or None
    for message in pesel_problems:
        add("pesel", message)
    if not value and not (data.get("id_document_type") and data.get("id_document_number")):
        add(
            "pesel",
            "Podaj PESEL albo — gdy osoba go nie ma — rodzaj i numer dokumentu tożsamości.",
        )
    death = data.get("date_of_death")
    if death is not None:
        if death > on:
            add("date_of_death", "Data zgonu nie może być późniejsza niż dzisiejsza.")
        elif birth_date is not None and death < birth_date:
            add("date_of_death", "Data zgonu nie może poprzedzać daty urodzenia.")
    if data.get("disability_valid_until") and not data.get("disability_degree"):
        add("disability_degree", "Podaj stopień niepełnosprawności z orzeczenia.")
    _address_errors(data, add)
    return errors


def _address_errors(data: dict[str, Any], add: Any) -> None:
    for prefix in ("act", "reg"):
        code = (data.get(f"{prefix}_postal_code") or "").strip()
        data[f"{prefix}_postal_code"] = code
        if code and not POSTAL_CODE.match(code):
            add(f"{prefix}_postal_code", "Kod pocztowy ma postać 00-000.")
    if data.get("homeless"):
        for field in ("act_street", "act_street_text", "act_house", "act_flat", "act_postal_code"):
            data[field] = None if field == "act_street" else ""
        data["act_city"] = KIELCE
        data["outside_kielce"] = False
        if not (data.get("act_place") or "").strip():
            add("act_place", "Opisz miejsce pobytu osoby bezdomnej (np. noclegownia, altana).")
    else:
        data["act_place"] = ""
        city = (data.get("act_city") or "").strip() or KIELCE
        data["act_city"] = city
        if is_kielce(city):
            data["outside_kielce"] = False
            data["act_street_text"] = ""
            if data.get("act_street") is None:
                add("act_street", "Wybierz ulicę z wykazu ulic Kielc (TERYT).")
            elif not data["act_street"].active:
                add(
                    "act_street",
                    "Ta ulica nie występuje już w aktualnym wykazie ulic — wybierz obecną nazwę.",
                )
            if not (data.get("act_house") or "").strip():
                add("act_house", "Podaj numer domu.")
            code = data.get("act_postal_code") or ""
            if code and POSTAL_CODE.match(code) and not code.startswith("25-"):
                add("act_postal_code", "Kody pocztowe Kielc zaczynają się od 25-.")
        else:
            data["act_street"] = None
            if not data.get("confirm_outside"):
                add(
                    "act_city",
                    f"Adres zamieszkania poza Kielcami ({city}): MOPR Kielce nie jest właściwy "
                    "miejscowo (art. 101 u.p.s.). Zaznacz „Potwierdzam adres poza Kielcami”, "
                    "aby zarejestrować osobę — wniosek będzie można przekazać do właściwego "
                    "ośrodka.",
                )
            data["outside_kielce"] = True
    reg_city = (data.get("reg_city") or "").strip()
    if data.get("reg_street") is not None:
        data["reg_city"] = reg_city or KIELCE
        data["reg_street_text"] = ""
        if not is_kielce(data["reg_city"]):
            add("reg_street", "Ulica z wykazu Kielc — a miejscowość zameldowania jest inna.")
    else:
        data["reg_city"] = reg_city
