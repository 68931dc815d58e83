"""Stored values as staff read them (issue 17): choice codes → their Polish labels,
true/false → tak/nie, ISO dates → 04.12.2026, dictionaries → labelled lines. Used by the
``readable`` template filter for saved inputs (e.g. a calculation's request) — no JSON, no
Python ``True``/``None`` on screen."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ostoja.law import codes

KEY_LABELS = {
    "benefit": "świadczenie", "application_date": "data złożenia wniosku",
    "income_month": "miesiąc dochodu", "income_lost": "utrata dochodu",
    "residence_title": "tytuł pobytu", "interview_refused": "odmowa wywiadu",
    "members": "członkowie rodziny", "household_incomes": "dochody wspólne rodziny",
    "id": "oznaczenie", "role": "rola w rodzinie", "birth_date": "data urodzenia", "sex": "płeć",
    "disability": "niepełnosprawność", "total_incapacity": "całkowita niezdolność do pracy",
    "insured_elsewhere": "ubezpieczony z innego tytułu", "incomes": "dochody", "kind": "rodzaj",
    "amount": "kwota", "gross": "brutto", "tax": "podatek", "social": "składki społeczne",
    "health": "składka zdrowotna", "revenue": "przychód", "costs": "koszty",
    "hectares": "hektary przeliczeniowe", "one_off": "dochód jednorazowy",
    "received": "miesiąc wypłaty", "period_from": "za okres od", "period_to": "za okres do",
    "entitlement_from": "prawo od", "requested_amount": "wnioskowana kwota",
    "decision_date": "data decyzji", "contract_amount": "kwota kontraktu",
    "contract_work_start": "początek pracy", "funeral": "pogrzeb", "dps": "dom pomocy społecznej",
    "monthly_cost": "miesięczny koszt", "resident": "mieszkaniec", "relatives": "krewni",
    "relation": "pokrewieństwo", "household_size": "liczba osób w rodzinie",
    "household_income": "dochód rodziny", "minor": "małoletni", "exemption": "zwolnienie",
    "basis": "podstawa", "agreed_amount": "uzgodniona kwota", "care": "usługi opiekuńcze",
    "hourly_price": "cena za godzinę", "hours": "liczba godzin",
    "zus_grant_due": "należny zasiłek pogrzebowy ZUS",
    "extraordinary_costs": "koszty nadzwyczajne",
}  # fmt: skip


@lru_cache(maxsize=1)
def code_labels() -> dict[str, str]:
    """Every code of the law core and of our models' choices → its Polish label."""
    out: dict[str, str] = {}
    for table in (codes.BENEFITS, codes.ROLES, codes.DISABILITY_DEGREES, codes.RESIDENCE_TITLES,
                  codes.INCOME_KINDS, codes.DPS_RELATIONS, codes.DPS_EXEMPTIONS):  # fmt: skip
        out.update({str(k): str(v) for k, v in table.items()})
    from django.apps import apps

    for model in apps.get_models():
        if not model.__module__.startswith("ostoja."):
            continue
        for field in model._meta.get_fields():
            for key, label in getattr(field, "flatchoices", None) or []:
                if isinstance(key, str) and "_" in key and key not in out:
                    out[key] = str(label)
    return out


ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
CODE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.-])")


def value_text(value: Any, key: str = "") -> str:
    """One scalar as Polish text."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "tak"
    if value is False:
        return "nie"
    text = str(value)
    if key == "sex" and text in codes.SEXES:
        return codes.SEXES[text].lower()
    if text in code_labels():
        return code_labels()[text]
    if m := ISO_DATE.match(text):
        return f"{m[3]}.{m[2]}.{m[1]}"
    if m := ISO_MONTH.match(text):
        return f"{m[2]}.{m[1]}"
    return text


def replace_codes(text: str) -> str:
    """Codes inside a free text (an audited list, a JSON summary) → their labels."""
    labels = code_labels()
    return CODE.sub(lambda m: labels.get(m.group(0), m.group(0)), text)


def lines(value: Any, depth: int = 0) -> list[tuple[int, str, str]]:
    """A nested value as (depth, label, text) rows for a definition list."""
    out: list[tuple[int, str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            label = KEY_LABELS.get(str(key), str(key).replace("_", " "))
            if isinstance(item, dict | list) and item:
                out.append((depth, label, ""))
                out += lines(item, depth + 1)
            else:
                out.append((depth, label, value_text(item if item != [] else None, str(key))))
    elif isinstance(value, list):
        for n, item in enumerate(value, start=1):
            if isinstance(item, dict | list):
                out.append((depth, f"{n}.", ""))
                out += lines(item, depth + 1)
            else:
                out.append((depth, f"{n}.", value_text(item)))
    else:
        out.append((depth, "", value_text(value)))
    return out
