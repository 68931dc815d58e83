"""What anonymisation replaces beyond the person record (issue 21 §4, item 2).

Every row that concerns the person is reached the same way the statistics and the case file
reach it: through a foreign key to the person, to a household they ever belonged to, or to a case
file of such a household (or of an application they made). In those rows every text field —
plain text and JSON — has the person's identifiers (name, PESEL, identity document, phone,
e-mail, address line) replaced by ``[zanonimizowano]``; text that concerns only the person
(``BLANK``) is emptied. Codes, dates, amounts and counts stay, so the statistics do not move.

Kept as they were (``KEEP``) — what was issued or paid is never edited in place, and the trail of
who did what stays as the accountability reference (art. 5 ust. 2 RODO): signed decisions and
their PDFs (``decisions``), issued letters (``cases.CaseLetter``, hashed), payments, bank files,
receivables and health contributions (``payments``; art. 74 ust. 2 pkt 4 ustawy o rachunkowości),
the audit log (``auditlog``) and the DPO's own registers (``ops``). They leave with their own
retention class (``retention.csv``) through the archive's destruction procedure (brakowanie, with
the consent of the Archiwum Państwowe), not by an edit. The case chronology
(``socialwork.CaseNote``) is kept too: it is append-only down to a PostgreSQL trigger, part of the
case file, and anonymisation is allowed only once that file's period has ended — the file is then
due for destruction as a whole. The decision table is in ``docs/security.md`` §4.

The edits go through a plain ``QuerySet.update`` so the model guard of signed social contracts
(which refuses every ordinary change, rightly) does not stop the one change the law requires;
each changed row is counted, never its old text, in the anonymisation's audit entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models

from ostoja.core.polish import surname_forms

MARK = "[zanonimizowano]"
# Apps and models whose rows are kept as issued (see the module docstring).
KEEP_APPS = {"decisions", "payments", "auditlog", "ops", "admin", "contenttypes"}
KEEP_MODELS = {"cases.CaseLetter", "socialwork.CaseNote"}
# Fields whose whole text concerns only the person: emptied (Household.note only when the
# person was its sole member — see ``_blank_household_note``).
BLANK = {
    "registry.Income": ("proof",),
    "facilities.Night": ("guest_label",),
    "socialwork.SocialContract": ("person_signed_name",),
}
TEXT_TYPES = ("CharField", "TextField", "JSONField")
MIN_NEEDLE = 3


def identifiers(person: Any) -> list[str]:
    """The person's identifying strings, longest first (the full name before the surname)."""
    address_lines = []
    for street, house, flat in (
        (str(person.act_street) if person.act_street_id else person.act_street_text,
         person.act_house, person.act_flat),
        (str(person.reg_street) if person.reg_street_id else person.reg_street_text,
         person.reg_house, person.reg_flat),
    ):  # fmt: skip
        if street and house:
            address_lines += [f"{street} {house}/{flat}" if flat else "", f"{street} {house}"]
    names = [
        f"{person.first_name} {person.last_name}",
        f"{person.last_name} {person.first_name}",
        person.full_name,
        person.last_name,
    ]
    extra = [person.pesel, person.id_document_number, person.phone, person.email]
    found = {s.strip() for s in [*names, *address_lines, *extra] if s and s.strip()}
    return sorted((s for s in found if len(s) >= MIN_NEEDLE), key=len, reverse=True)


def surname_stem(last_name: str) -> str:
    """The part of a surname that every inflected form shares: Kowalski/Kowalskiego/Kowalskich
    → ``Kowalsk``; Nowak/Nowaka/Nowakowie → ``Nowak``. (Kowalska shares ``Kowalsk`` too, so a
    relative's feminine form is redacted with it — in a shared note that errs the safe way.)"""
    name = last_name.strip()
    if len(name) >= 5 and name[-1].lower() in "iay":
        return name[:-1]
    return name


def _pattern(needles: list[str], last_name: str = "") -> re.Pattern[str] | None:
    parts = [re.escape(n) for n in needles]
    # every part of a double-barrelled surname, each with its inflected endings: the shared
    # stem with any ending, and — as whole words — the forms that do not share it (Kozieł →
    # Kozła, Wróbel → Wróbla, Kocioł → Kotła; ``polish.surname_forms``: Morfeusz 2, else the
    # alternation table), never a longer name that merely starts like one (Kozłowski)
    forms: set[str] = set()
    for part in re.split(r"[-\s]+", last_name.strip()):
        stem = surname_stem(part)
        if len(stem) >= MIN_NEEDLE:
            parts.append(rf"(?<!\w){re.escape(stem)}\w*")
            forms |= {f for f in surname_forms(part) if len(f) >= MIN_NEEDLE}
    if forms:
        alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        parts.append(rf"(?<!\w)(?:{alternatives})(?!\w)")
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(MARK, value)
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


def _text_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.get_internal_type() in TEXT_TYPES]


def _kept(model: type[models.Model]) -> bool:
    return model._meta.app_label in KEEP_APPS or model._meta.label in KEEP_MODELS


def reachable(person_id: int, also: Iterable[int] = ()) -> dict[str, Any]:
    """The ids the person's rows hang from: the person, their households, their case files —
    and those of the records merged into them (``also``: the same human; a row the merge did
    not move to the kept record still points at the duplicate)."""
    from ostoja.ops.rodo.retention import persons_with_case_files
    from ostoja.registry.models import HouseholdMembership

    ids = {person_id, *also}
    households = set(
        HouseholdMembership.objects.filter(person_id__in=ids).values_list("household_id", flat=True)
    )
    cases = {c for found in persons_with_case_files(ids).values() for c in found}
    return {"registry.Person": ids, "registry.Household": households, "cases.Case": cases}


def reachable_rows(
    person_id: int, also: Iterable[int] = ()
) -> list[tuple[type[models.Model], list[str], models.QuerySet]]:
    """Every (model, text fields, rows) that hangs from the person (or a record merged into
    them), their households or their case files by a foreign key — kept models included (the
    caller decides)."""
    roots = reachable(person_id, also)
    out: list[tuple[type[models.Model], list[str], models.QuerySet]] = []
    for model in apps.get_models():
        fields = _text_fields(model)
        if not fields:
            continue
        q = models.Q()
        for f in model._meta.concrete_fields:
            target = f.related_model._meta.label if f.is_relation and f.related_model else None
            if target in roots and roots[target] and f.name != "merged_into":
                q |= models.Q(**{f"{f.name}__in": roots[target]})
        if model._meta.label == "registry.Household":
            q |= models.Q(pk__in=roots["registry.Household"])
        if not q:
            continue
        out.append((model, fields, models.QuerySet(model).filter(q)))
    return out


def _blank_household_note(person_id: int, household_ids: set[int]) -> int:
    """A household note concerns only the person when they were its sole member, ever."""
    from django.db.models import Count

    from ostoja.registry.models import Household

    sole = (
        Household.objects.filter(pk__in=household_ids)
        .annotate(n=Count("memberships__person", distinct=True))
        .filter(n=1)
        .values_list("pk", flat=True)
    )
    return models.QuerySet(Household).filter(pk__in=list(sole)).exclude(note="").update(note="")


def anonymise_related(person: Any, *, also: list[Any] | None = None) -> dict[str, int]:
    """Replace the person's identifiers (and those of the records merged into them, ``also``)
    in every row reachable from them (not the kept ones); returns ``{model label: rows
    changed}`` — counts only, for the audit entry."""
    everyone = [person, *(also or [])]
    needles = sorted({n for p in everyone for n in identifiers(p)}, key=len, reverse=True)
    pattern = _pattern(needles, " ".join({p.last_name for p in everyone}))
    changed: dict[str, int] = {}
    same_human = {p.pk for p in everyone}
    households = reachable(person.pk, same_human)["registry.Household"]
    notes = _blank_household_note(person.pk, households)
    if notes:
        changed["registry.Household.note"] = notes
    for model, fields, rows in reachable_rows(person.pk, same_human):
        label = model._meta.label
        if _kept(model) or label == "registry.Person":
            continue
        blank = BLANK.get(label, ())
        own = {f.name for f in model._meta.concrete_fields if f.related_model is type(person)}
        n = 0
        for row in rows.values("pk", *fields, *[f"{o}_id" for o in own]):
            is_own = any(row.get(f"{o}_id") in same_human for o in own)
            update: dict[str, Any] = {}
            for name in fields:
                old = row[name]
                if is_own and name in blank:
                    new: Any = "" if old else old
                elif pattern is not None:
                    new = _scrub(old, pattern)
                else:
                    new = old
                if new != old:
                    update[name] = new
            if update:
                models.QuerySet(model).filter(pk=row["pk"]).update(**update)
                n += 1
        if n:
            changed[label] = n
    return changed
