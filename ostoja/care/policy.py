"""Code lists and pure rules of the care context (no database): service kinds, which service
events need a decision (art. 106 u.p.s., services.md §0), budget lines."""

from __future__ import annotations

from django.db import models


class CareKind(models.TextChoices):
    UO = "uo", "Usługi opiekuńcze"
    SUO = "suo", "Specjalistyczne usługi opiekuńcze"
    SUO_MENTAL = "suo_zab", "Specjalistyczne usługi opiekuńcze dla osób z zaburzeniami psychicznymi"
    NEIGHBOUR = "sasiedzkie", "Usługi sąsiedzkie"


# Budget line (klasyfikacja budżetowa) per care kind; SUO for mental disorders is a task
# commissioned by the state (art. 50 ust. 7), the rest are own tasks of the gmina.
CARE_BUDGET_LINE = {
    CareKind.UO: "852-85228 (zadanie własne gminy)",
    CareKind.SUO: "852-85228 (zadanie własne gminy)",
    CareKind.SUO_MENTAL: "852-85228 (zadanie zlecone — dotacja z budżetu państwa)",
    CareKind.NEIGHBOUR: "852-85228 (zadanie własne fakultatywne gminy)",
}
CARE_FEE_TABLE = {
    CareKind.UO: "kielce_uslugi_opiekuncze_tabela",
    CareKind.SUO: "kielce_uslugi_opiekuncze_tabela",
    CareKind.NEIGHBOUR: "kielce_uslugi_opiekuncze_tabela",
    CareKind.SUO_MENTAL: "suo_zaburzenia_tabela",
}

SCOPE_ITEMS = [
    ("zakupy", "Zakupy"),
    ("sprzatanie", "Sprzątanie"),
    ("higiena", "Pomoc w higienie"),
    ("posilki", "Przygotowanie lub dostarczenie posiłków"),
    ("leki", "Nadzór nad przyjmowaniem leków"),
    ("pielegnacja", "Pielęgnacja zlecona przez lekarza"),
    ("kontakty", "Zapewnienie kontaktów z otoczeniem"),
    ("specjalistyczne", "Usługi specjalistyczne (terapia, rehabilitacja)"),
]
SCOPE_LABELS = dict(SCOPE_ITEMS)


class ProviderKind(models.TextChoices):
    COMPANY = "firma", "Firma (zamówienie publiczne)"
    NGO = "ngo", "Organizacja pozarządowa (zlecenie zadania, art. 25 u.p.s.)"
    OWN = "wlasny", "Własne zasoby ośrodka"
    NEIGHBOUR = "sasiad", "Osoba świadcząca usługi sąsiedzkie"


class CorrectionStatus(models.TextChoices):
    """A proposed correction of a paper decision's enforceability day (two people)."""

    PENDING = "oczekuje", "Czeka na zatwierdzenie"
    CONFIRMED = "zatwierdzona", "Zatwierdzona"
    REJECTED = "odrzucona", "Odrzucona lub wycofana"


class MonthStatus(models.TextChoices):
    REPORTED = "zgloszony", "Godziny zgłoszone"
    BILLED = "naliczony", "Opłata naliczona"
    PAID = "oplacony", "Opłacony"
    UNPAID = "zaleglosc", "Nieopłacony — należność"


class EventKind(models.TextChoices):
    MEAL = "posilek", "Posiłek (program „Posiłek w szkole i w domu”)"
    NIGHT_SHELTER = "noclegownia", "Noc w noclegowni"
    WARMING = "ogrzewalnia", "Pobyt w ogrzewalni"
    SHELTER = "schronisko", "Schronisko dla osób bezdomnych"
    CLOTHING = "ubranie", "Niezbędne ubranie"
    FUNERAL = "pogrzeb", "Sprawienie pogrzebu"
    CREDIT_TICKET = "bilet", "Bilet kredytowany"
    COUNSELLING = "poradnictwo", "Poradnictwo specjalistyczne"
    CRISIS = "interwencja", "Interwencja kryzysowa"
    SELF_HELP_CLUB = "klub", "Klub samopomocy"


class DecisionRule(models.TextChoices):
    NEVER = "bez", "Bez decyzji (art. 106 ust. 2 u.p.s.)"
    ALWAYS = "zawsze", "Decyzja po wywiadzie (art. 106 ust. 1 i 4 u.p.s.)"
    EMERGENCY_OPTIONAL = "awaryjnie", "Decyzja, chyba że pomoc doraźna (art. 48b ust. 5 u.p.s.)"


# services.md §0 and §8: which events are given without a decision.
EVENT_DECISION_RULE: dict[str, DecisionRule] = {
    EventKind.NIGHT_SHELTER: DecisionRule.NEVER,
    EventKind.WARMING: DecisionRule.NEVER,
    EventKind.FUNERAL: DecisionRule.NEVER,
    EventKind.CREDIT_TICKET: DecisionRule.NEVER,  # granting; a refusal is a decision
    EventKind.COUNSELLING: DecisionRule.NEVER,
    EventKind.CRISIS: DecisionRule.NEVER,
    EventKind.SELF_HELP_CLUB: DecisionRule.NEVER,
    EventKind.SHELTER: DecisionRule.ALWAYS,
    EventKind.MEAL: DecisionRule.EMERGENCY_OPTIONAL,
    EventKind.CLOTHING: DecisionRule.EMERGENCY_OPTIONAL,
}
EVENT_BASIS = {
    EventKind.MEAL: "art. 48b ust. 2 u.p.s.; M.P. 2023 poz. 881",
    EventKind.NIGHT_SHELTER: "art. 48a ust. 1 u.p.s.; art. 106 ust. 2",
    EventKind.WARMING: "art. 48a ust. 1 u.p.s.; art. 106 ust. 2",
    EventKind.SHELTER: "art. 48a u.p.s.",
    EventKind.CLOTHING: "art. 48 i art. 48b ust. 1 u.p.s.",
    EventKind.FUNERAL: "art. 17 ust. 1 pkt 15, art. 44 i art. 96 ust. 3 u.p.s.",
    EventKind.CREDIT_TICKET: "art. 39 ust. 4 i art. 106 ust. 2 u.p.s.",
    EventKind.COUNSELLING: "art. 46 u.p.s.",
    EventKind.CRISIS: "art. 47 u.p.s.",
    EventKind.SELF_HELP_CLUB: "art. 51 u.p.s.; art. 106 ust. 2",
}
# Statutory report row the event counts in (MRPiPS-03 benefit codes of the layout).
EVENT_REPORT_BENEFIT = {
    EventKind.FUNERAL: "pogrzeb",
    EventKind.NIGHT_SHELTER: "schronienie",
    EventKind.WARMING: "schronienie",
    EventKind.SHELTER: "schronienie",
    EventKind.MEAL: "posilek",
}
EVENT_BUDGET_LINE = {
    EventKind.MEAL: "852-85230 (program „Posiłek w szkole i w domu”)",
    EventKind.NIGHT_SHELTER: "852-85203",
    EventKind.WARMING: "852-85203",
    EventKind.SHELTER: "852-85203",
    EventKind.CLOTHING: "852-85214",
    EventKind.FUNERAL: "852-85214",
    EventKind.CREDIT_TICKET: "852-85214",
    EventKind.COUNSELLING: "852-85220 (zadanie powiatu)",
    EventKind.CRISIS: "852-85220 (zadanie powiatu)",
    EventKind.SELF_HELP_CLUB: "852-85203",
}


class EmergencyBasis(models.TextChoices):
    NONE = "", "—"
    CHILD_AD_HOC = "dziecko", "Pomoc doraźna dziecku (art. 48b ust. 5 pkt 1)"
    MASS_CRISIS = "kryzys", "Sytuacja kryzysowa, klęska, zdarzenie losowe (art. 48b ust. 5 pkt 2)"
    SCHOOL_REPORT = "szkola", "Zgłoszenie dyrektora szkoły (program „Posiłek…”)"


class FuneralRecovery(models.TextChoices):
    NONE = "", "—"
    ZUS = "zus", "Zasiłek pogrzebowy ZUS/KRUS"
    ESTATE = "spadek", "Masa spadkowa (art. 96 ust. 3)"
    LIABLE = "zobowiazani", "Osoby zobowiązane (art. 96 ust. 3)"


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "trwa", "Trwa"
    ENDED = "zakonczony", "Zakończony"
    BROKEN = "przerwany", "Przerwany"


class InstitutionKind(models.TextChoices):
    DPS_CHILDREN = (
        "dps_dzieci",
        "Dom pomocy społecznej dla dzieci i młodzieży niepełnosprawnych intelektualnie",
    )
    MOTHERS = "dom_matek", "Dom dla matek z małoletnimi dziećmi i kobiet w ciąży"
    JUVENILE = "schronisko_nieletnich", "Schronisko dla nieletnich"
    CORRECTIONAL = "zaklad_poprawczy", "Zakład poprawczy"
    SOSW = "sosw", "Specjalny ośrodek szkolno-wychowawczy"
    SOW = "sow", "Specjalny ośrodek wychowawczy"
    MOS = "mos", "Młodzieżowy ośrodek socjoterapii"
    MOW = "mow", "Młodzieżowy ośrodek wychowawczy"


def decision_required(kind: str, emergency: str) -> bool:
    """Whether an event of ``kind`` needs a decision (art. 106 ust. 1–2, art. 48b ust. 5)."""
    rule = EVENT_DECISION_RULE[EventKind(kind)]
    if rule is DecisionRule.NEVER:
        return False
    return not (rule is DecisionRule.EMERGENCY_OPTIONAL and emergency)
