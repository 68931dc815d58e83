"""Import of persons and households from CSV (a migration from the system in use today).

Layout (documented in docs/glossary-registry.md and on the upload page): one row per person,
semicolon-separated, a header row, UTF-8 or Windows-1250 (the usual export code page):

    nr_rodziny;pokrewienstwo;nazwisko;imie;drugie_imie;pesel;data_urodzenia;plec;obywatelstwo;
    ulica;nr_domu;nr_lokalu;kod_pocztowy;miejscowosc;telefon;od_dnia

All-or-nothing: every row is checked first; if any row is rejected nothing is written and the
report lists every rejected row with the reason. A dry run only reports.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction

from ostoja.core.errors import DomainError
from ostoja.core.validation import model_input_errors
from ostoja.registry import services
from ostoja.registry.models import KIELCE, Person, Street
from ostoja.registry.text import search_key
from ostoja.registry.validation import is_kielce, person_errors

COLUMNS = [
    "nr_rodziny",
    "pokrewienstwo",
    "nazwisko",
    "imie",
    "drugie_imie",
    "pesel",
    "data_urodzenia",
    "plec",
    "obywatelstwo",
    "ulica",
    "nr_domu",
    "nr_lokalu",
    "kod_pocztowy",
    "miejscowosc",
    "telefon",
    "od_dnia",
]
REQUIRED = ["nr_rodziny", "pokrewienstwo", "nazwisko", "imie", "data_urodzenia", "plec"]

RELATIONS = {
    "wnioskodawca": "wnioskodawca",
    "wnioskodawczyni": "wnioskodawca",
    "malzonek": "malzonek",
    "maz": "malzonek",
    "zona": "malzonek",
    "malzonka": "malzonek",
    "partner": "partner",
    "partnerka": "partner",
    "konkubent": "partner",
    "konkubina": "partner",
    "dziecko": "dziecko",
    "syn": "dziecko",
    "corka": "dziecko",
    "pasierb": "dziecko",
    "pasierbica": "dziecko",
    "rodzic": "rodzic",
    "matka": "rodzic",
    "ojciec": "rodzic",
    "inny": "inny",
    "inna": "inny",
    "wnuk": "inny",
    "wnuczka": "inny",
    "brat": "inny",
    "siostra": "inny",
    "babcia": "inny",
    "dziadek": "inny",
}
SEXES = {"k": "K", "kobieta": "K", "m": "M", "mezczyzna": "M"}


@dataclass
class RowProblem:
    line: int
    name: str
    reasons: list[str]


@dataclass
class ImportResult:
    rows: int = 0
    families: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    created_persons: int = 0
    created_households: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.rejected


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("Nie rozpoznano kodowania pliku (oczekiwano UTF-8 albo Windows-1250).")


def _date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 — calendar date
        except ValueError:
            continue
    return None


def _street_index() -> dict[str, list[Street]]:
    index: dict[str, list[Street]] = {}
    for s in Street.objects.filter(active=True):
        for key in {
            search_key(s.full_name),
            search_key(s.name_1),
            search_key(f"{s.name_2} {s.name_1}"),
            search_key(f"{s.cecha} {s.name_1}"),
        }:
            index.setdefault(key, []).append(s)
    return index


def _find_street(index: dict[str, list[Street]], text: str) -> tuple[Street | None, str]:
    key = search_key(text)
    for prefix in ("ul. ", "ul ", "al. ", "al ", "os. ", "os ", "pl. ", "pl "):
        if key.startswith(prefix) and key[len(prefix) :] in index:
            key = key[len(prefix) :]
            break
    found = {s.pk: s for s in index.get(key, [])}
    if len(found) == 1:
        return next(iter(found.values())), ""
    if not found:
        return None, f"Nie znaleziono ulicy „{text}” w wykazie ulic Kielc (TERYT)."
    return None, f"Nazwa ulicy „{text}” jest niejednoznaczna — podaj pełną nazwę."


def persons_import(*, text: str, user: Any, on: date, dry_run: bool = True) -> ImportResult:
    """Check (and, unless ``dry_run``, import) a CSV of persons grouped into households."""
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    result = ImportResult(dry_run=dry_run)
    if missing:
        result.rejected.append(RowProblem(1, "nagłówek", [f"Brak kolumn: {', '.join(missing)}."]))
        return result
    index = _street_index()
    families: dict[str, list[tuple[int, dict[str, Any], str, date]]] = {}
    seen_pesel: dict[str, int] = {}
    existing = set(Person.objects.exclude(pesel__isnull=True).values_list("pesel", flat=True))
    probed: dict[str, str] = {}
    try:
        raws = list(reader)
    except csv.Error:
        # e.g. a field over csv's 131,072-character limit, or a broken quote: refuse the file
        # as a whole (nothing is saved) and say where.
        result.rejected.append(
            RowProblem(
                reader.line_num,
                "plik",
                [
                    f"Wiersz {reader.line_num} jest nieczytelny (zbyt długie pole albo "
                    "niezamknięty cudzysłów) — popraw plik; nic nie zapisano."
                ],
            )
        )
        return result
    for line, raw in enumerate(raws, start=2):
        extra = raw.pop(None, None)
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        result.rows += 1
        reasons: list[str] = []
        if extra:
            reasons.append("Wiersz ma więcej kolumn niż nagłówek.")
        name = f"{row.get('imie', '')} {row.get('nazwisko', '')}".strip() or "?"
        for col in REQUIRED:
            if not row.get(col):
                reasons.append(f"Brak wartości w kolumnie „{col}”.")
        relation = RELATIONS.get(search_key(row.get("pokrewienstwo", "")).replace(" ", ""))
        if row.get("pokrewienstwo") and relation is None:
            reasons.append(f"Nieznane pokrewieństwo „{row['pokrewienstwo']}”.")
        birth = _date(row.get("data_urodzenia", ""))
        if row.get("data_urodzenia") and birth is None:
            reasons.append("Nieprawidłowa data urodzenia (RRRR-MM-DD albo DD.MM.RRRR).")
        since = _date(row.get("od_dnia", "")) if row.get("od_dnia") else on
        if since is None:
            reasons.append("Nieprawidłowa data w kolumnie „od_dnia”.")
        data: dict[str, Any] = {
            "first_name": row.get("imie", ""),
            "second_name": row.get("drugie_imie", ""),
            "last_name": row.get("nazwisko", ""),
            "pesel": row.get("pesel", ""),
            "birth_date": birth,
            "sex": SEXES.get(search_key(row.get("plec", "")), ""),
            "citizenship": row.get("obywatelstwo") or "polskie",
            "act_house": row.get("nr_domu", ""),
            "act_flat": row.get("nr_lokalu", ""),
            "act_postal_code": row.get("kod_pocztowy", ""),
            "act_city": row.get("miejscowosc") or KIELCE,
            "phone": row.get("telefon", ""),
            "act_street": None,
        }
        if data["citizenship"].lower() not in ("polskie", "pl", "polska"):
            reasons.append("Cudzoziemca zarejestruj ręcznie (tytuł pobytu, dokument tożsamości).")
        if is_kielce(data["act_city"]):
            if row.get("ulica"):
                street, problem = _find_street(index, row["ulica"])
                data["act_street"] = street
                if problem:
                    reasons.append(problem)
        else:
            data["act_street_text"] = row.get("ulica", "")
            reasons.append(
                f"Adres poza Kielcami ({data['act_city']}) — MOPR nie jest właściwy; "
                "zarejestruj osobę ręcznie, jeśli to konieczne."
            )
        # Columns (length, control characters): the shared validation layer.
        for messages in model_input_errors(Person, data).values():
            reasons.extend(messages)
        if birth is not None and not any("ulica" in r for r in reasons):
            problems = person_errors(dict(data), on=on)
            for field_name, messages in problems.items():
                if field_name == "act_street" and data["act_street"] is None and row.get("ulica"):
                    continue
                reasons.extend(messages)
        pesel = "".join(ch for ch in data["pesel"] if ch.isdigit())
        if pesel:
            if pesel in existing:
                # Named only to a user who may see that person; otherwise neutral, and the
                # probe is audited — the import is no oracle (issue 20, finding 4).
                if pesel not in probed:
                    other = Person.objects.get(pesel=pesel)
                    probed[pesel] = services.duplicate_pesel_message(
                        pesel=pesel, other=other, user=user
                    )
                reasons.append(probed[pesel])
            if pesel in seen_pesel:
                reasons.append(f"PESEL powtarza się w pliku (wiersz {seen_pesel[pesel]}).")
            seen_pesel.setdefault(pesel, line)
        if reasons:
            result.rejected.append(RowProblem(line, name, reasons))
            continue
        families.setdefault(row["nr_rodziny"], []).append(
            (line, data, relation or "inny", since or on)
        )
    for key, rows in families.items():
        applicants = [r for r in rows if r[2] == "wnioskodawca"]
        if len(applicants) != 1:
            for line, data, _, _ in rows:
                result.rejected.append(
                    RowProblem(
                        line,
                        f"{data['first_name']} {data['last_name']}",
                        [
                            f"Rodzina {key}: musi mieć dokładnie jednego wnioskodawcę "
                            f"(jest {len(applicants)})."
                        ],
                    )
                )
    result.families = len(families)
    result.rejected.sort(key=lambda p: p.line)
    if result.rejected or dry_run:
        return result
    with transaction.atomic():
        for rows in families.values():
            rows = sorted(rows, key=lambda r: r[2] != "wnioskodawca")
            _, data, _, since = rows[0]
            applicant = services.person_create(data=data, user=user, on=on)
            household = services.household_create(
                name="", applicant=applicant, valid_from=since, user=user
            )
            result.created_persons += 1
            result.created_households += 1
            for _, data, relation, since in rows[1:]:
                person = services.person_create(data=data, user=user, on=on)
                household.refresh_from_db(fields=["version"])
                services.membership_add(
                    household=household,
                    person=person,
                    relation=relation,
                    valid_from=since,
                    expected_version=household.version,
                )
                result.created_persons += 1
    return result
