"""Deklaracja dostępności — the accessibility statement required by art. 10 ustawy z dnia
4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów
publicznych (Dz.U. 2023 poz. 1440), in the structure of the Minister's "Warunki techniczne
publikacji oraz struktura dokumentu elektronicznego deklaracji dostępności" (the ``a11y-*`` ids).

The dates are facts about this system, not about today: they change when the statement is
reviewed (art. 10 ust. 3 — at least once a year), so they are data here, not the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Statement:
    published: date  # data publikacji strony internetowej
    updated: date  # data ostatniej istotnej aktualizacji
    prepared: date  # data sporządzenia deklaracji
    reviewed: date  # data ostatniego przeglądu deklaracji
    status: str  # zgodna | częściowo zgodna | niezgodna (art. 10 ust. 2 pkt 1)
    contact_person: str


STATEMENT = Statement(
    published=date(2026, 10, 1),
    updated=date(2026, 12, 5),
    prepared=date(2026, 12, 5),
    reviewed=date(2026, 12, 5),
    status="częściowo zgodna",
    contact_person="Inspektor ochrony danych",
)
