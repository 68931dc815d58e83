"""Staff roles (role pracowników). A role is a Django group whose name is the code below."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SOCIAL_WORKER = "pracownik_socjalny"
    BENEFITS_CLERK = "specjalista_swiadczen"
    HEAD_OF_UNIT = "kierownik"
    DIRECTOR = "dyrektor"
    DEPUTY_DIRECTOR = "zastepca_dyrektora"
    FINANCE = "ksiegowosc"
    ANALYST = "analityk"
    ADMINISTRATOR = "administrator"
    DATA_PROTECTION_OFFICER = "iod"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.SOCIAL_WORKER: "Pracownik socjalny",
    Role.BENEFITS_CLERK: "Specjalista ds. świadczeń",
    Role.HEAD_OF_UNIT: "Kierownik",
    Role.DIRECTOR: "Dyrektor",
    Role.DEPUTY_DIRECTOR: "Zastępca dyrektora",
    Role.FINANCE: "Księgowość",
    Role.ANALYST: "Analityk",
    Role.ADMINISTRATOR: "Administrator",
    Role.DATA_PROTECTION_OFFICER: "Inspektor ochrony danych",
}

ROLE_CHOICES = [(r.value, r.label) for r in Role]
MANAGEMENT = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
