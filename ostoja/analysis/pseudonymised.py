"""The analyst's pseudonymised export (issue 13 §6): the period's executed payments with the
facts analysis needs and no direct identifiers — no name, PESEL, address or account number;
each person and household gets a stable pseudonym (keyed HMAC-SHA-256 of the internal id, so
the same person carries the same pseudonym in every export made with the same key, and nobody
without the key can go back to the id). The data dictionary travels with the data.

⚠ Pseudonymised data are still personal data (art. 4 pkt 5 RODO): the export is recorded
(``DataExport``, audited) and the file must stay within the centre's analysis purpose.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from ostoja.analysis.periods import ReportPeriod

# (column, Polish description, type, source) — the data dictionary, the single definition.
DICTIONARY: tuple[tuple[str, str, str, str], ...] = (
    (
        "osoba",
        "Pseudonim osoby (stały dla osoby przy tym samym kluczu)",
        "tekst[16]",
        "HMAC-SHA-256(id osoby)",
    ),
    (
        "rodzina",
        "Pseudonim gospodarstwa domowego (rodziny)",
        "tekst[16]",
        "HMAC-SHA-256(id gospodarstwa)",
    ),
    ("rok_urodzenia", "Rok urodzenia osoby", "liczba", "rejestr osób"),
    ("plec", "Płeć (K/M)", "tekst[1]", "rejestr osób"),
    (
        "osob_w_rodzinie",
        "Liczba osób w gospodarstwie na ostatni dzień okresu",
        "liczba",
        "członkostwa w rodzinie",
    ),
    ("rejon", "Rejon opiekuńczy (jednostka prowadząca sprawę)", "tekst", "sprawa rodziny"),
    ("swiadczenie", "Kod świadczenia (katalog świadczeń Ostoi)", "tekst", "pozycja decyzji"),
    ("rodzaj_zadania", "Rodzaj zadania (własne / zlecone)", "tekst", "klasyfikacja budżetowa"),
    (
        "wyplat",
        "Liczba wypłat w okresie z tej pozycji decyzji",
        "liczba",
        "wypłaty (zatwierdzone listy)",
    ),
    (
        "kwota",
        "Kwota wypłacona w okresie [zł], kropka dziesiętna",
        "kwota",
        "wypłaty (zatwierdzone listy)",
    ),
    (
        "powody_art7",
        "Powody pomocy z wniosku (kody pkt art. 7 u.p.s., rozdzielone „|”)",
        "tekst",
        "wniosek",
    ),
)


def pseudonym(key: bytes, kind: str, pk: int) -> str:
    return hmac.new(key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Export:
    period: ReportPeriod
    rows: int
    data: bytes  # ZIP: dane.csv + slownik.csv


def build(
    *,
    period: ReportPeriod,
    key: bytes,
    entries: list[Any],
    family_sizes: dict[int, int],
    case_units: dict[int, tuple[int, str]],
    traits: dict[int, tuple[int, str]],
    reasons: dict[int, list[str]],
) -> Export:
    """Pure: one row per (person, decision line) with its payments summed."""
    data = io.StringIO()
    w = csv.writer(data, delimiter=";", lineterminator="\r\n")
    w.writerow([c[0] for c in DICTIONARY])
    for e in entries:
        household, unit = case_units.get(e.case_id, (0, ""))
        born, sex = traits.get(e.person_id, (0, ""))
        w.writerow([
            pseudonym(key, "osoba", e.person_id), pseudonym(key, "rodzina", household), born,
            sex, family_sizes.get(e.case_id, 1), unit, e.benefit, e.task_type, e.payments,
            f"{e.amount:.2f}", "|".join(sorted(reasons.get(e.decision_id, []))),
        ])  # fmt: skip
    dictionary = io.StringIO()
    d = csv.writer(dictionary, delimiter=";", lineterminator="\r\n")
    d.writerow(["kolumna", "opis", "typ", "źródło"])
    d.writerows(DICTIONARY)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("dane.csv", "\ufeff" + data.getvalue())
        z.writestr("slownik.csv", "\ufeff" + dictionary.getvalue())
        z.writestr(
            "README.txt",
            f"Eksport spseudonimizowany Ostoi, okres {period.label} ({period.code}).\n"
            "Bez imion, nazwisk, numerów PESEL, adresów i rachunków. Pseudonimy są stałe dla "
            "osoby przy tym samym kluczu. Dane spseudonimizowane pozostają danymi osobowymi "
            "(art. 4 pkt 5 RODO) — tylko do celów analizy ośrodka.\n",
        )
    return Export(period=period, rows=len(entries), data=buf.getvalue())
