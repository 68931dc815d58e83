"""Vocabulary and fixed rules of social infrastructure (no Django models here).

Polish legal terms beside each code; articles of the Act on social assistance (u.p.s.).
"""

from __future__ import annotations

# Rodzaje placówek (services.md §1–4; art. 51–57 u.p.s.; art. 48a schronienie).
FACILITY_KINDS: dict[str, str] = {
    "dps": "Dom pomocy społecznej",
    "sds": "Środowiskowy dom samopomocy",
    "dzienny_dom": "Dzienny dom pomocy",
    "schronisko": "Schronisko dla osób bezdomnych",
    "schronisko_opieka": "Schronisko dla osób bezdomnych z usługami opiekuńczymi",
    "noclegownia": "Noclegownia",
    "ogrzewalnia": "Ogrzewalnia",
    "dom_matek": "Dom dla matek z małoletnimi dziećmi i kobiet w ciąży",
    "mieszkanie_treningowe": "Mieszkanie treningowe",
    "mieszkanie_wspomagane": "Mieszkanie wspomagane",
    "oik": "Ośrodek interwencji kryzysowej",
    "klub_samopomocy": "Klub samopomocy",
}

# Typy DPS (art. 56) and ŚDS types (A, B, C, D — § 3 of the ŚDS regulation).
DPS_TYPES: dict[str, str] = {
    "podeszly_wiek": "dla osób w podeszłym wieku",
    "somatycznie_chorzy": "dla osób przewlekle somatycznie chorych",
    "psychicznie_chorzy": "dla osób przewlekle psychicznie chorych",
    "ni_dorosli": "dla dorosłych niepełnosprawnych intelektualnie",
    "ni_dzieci": "dla dzieci i młodzieży niepełnosprawnych intelektualnie",
    "niepelnosprawni_fizycznie": "dla osób niepełnosprawnych fizycznie",
    "uzaleznieni_od_alkoholu": "dla osób uzależnionych od alkoholu",
}
SDS_TYPES: dict[str, str] = {
    "sds_a": "typ A (przewlekle psychicznie chorzy)",
    "sds_b": "typ B (niepełnosprawni intelektualnie)",
    "sds_c": "typ C (przejawiający inne przewlekłe zaburzenia czynności psychicznych)",
    "sds_d": "typ D (osoby ze spektrum autyzmu lub niepełnosprawnościami sprzężonymi)",
}
FACILITY_SUBTYPES: dict[str, str] = {**DPS_TYPES, **SDS_TYPES}

# Art. 56a: the pairs a combined DPS may join.
DPS_ALLOWED_PAIRS: frozenset[frozenset[str]] = frozenset(
    {
        frozenset({"podeszly_wiek", "somatycznie_chorzy"}),
        frozenset({"somatycznie_chorzy", "niepelnosprawni_fizycznie"}),
        frozenset({"podeszly_wiek", "niepelnosprawni_fizycznie"}),
        frozenset({"ni_dorosli", "ni_dzieci"}),
    }
)

OPERATOR_KINDS: dict[str, str] = {
    "miasto": "Miasto Kielce (MOPR lub jednostka miejska)",
    "partner": "Podmiot zewnętrzny na zlecenie miasta (umowa)",
    "inny": "Podmiot zewnętrzny (bez umowy z miastem)",
}

PLACE_KINDS: dict[str, str] = {
    "stale": "pobyt stały",
    "okresowe": "pobyt okresowy",
    "interwencyjne": "miejsce interwencyjne",
    "dzienne": "miejsce dzienne",
    "nocne": "miejsce noclegowe",
}

# Art. 106 ust. 2: given without a decision (service events).
WITHOUT_DECISION: frozenset[str] = frozenset(
    {"noclegownia", "ogrzewalnia", "klub_samopomocy", "oik"}
)
# Night-by-night occupancy (art. 48a ust. 2–3): places used one night at a time.
NIGHTLY: frozenset[str] = frozenset({"noclegownia", "ogrzewalnia"})
# Kinds where the Act requires an individual programme of leaving homelessness (art. 48a ust. 6).
PROGRAMME_REQUIRED: frozenset[str] = frozenset({"schronisko", "schronisko_opieka"})


def requires_decision(kind: str) -> bool:
    """A stay needs an administrative decision (art. 106 ust. 1) unless art. 106 ust. 2 says not."""
    return kind not in WITHOUT_DECISION


def legal_basis_default(kind: str) -> str:
    if kind == "dps":
        return "decyzja o umieszczeniu w DPS (art. 59 ust. 1 u.p.s.)"
    if kind in WITHOUT_DECISION:
        return "bez decyzji administracyjnej (art. 106 ust. 2 u.p.s.)"
    if kind in {"schronisko", "schronisko_opieka"}:
        return "decyzja o przyznaniu schronienia (art. 48a ust. 1 i art. 106 ust. 1 u.p.s.)"
    return "decyzja administracyjna (art. 106 ust. 1 u.p.s.)"


# § 8 of the DPS regulation (Dz.U. 2025 poz. 51): the referral file. Items 7+ ⚠ not confirmed.
DOCUMENTS: dict[str, str] = {
    "wniosek": "Pisemny wniosek osoby (lub przedstawiciela ustawowego)",
    "wywiad": "Rodzinny wywiad środowiskowy z oświadczeniem, że rodzina i gmina nie mogą "
    "zapewnić usług opiekuńczych",
    "dochod": "Decyzja o zasiłku stałym lub decyzja o wysokości emerytury/renty",
    "zgoda_oplata": "Zgoda na ponoszenie opłaty (i na potrącanie przez ZUS/KRUS)",
    "oswiadczenie_dochodowe": "Oświadczenie o dochodach osoby, małżonka, zstępnych i wstępnych",
    "zgoda_umieszczenie": "Pisemna zgoda na umieszczenie w DPS",
    "zaswiadczenie_lekarskie": "Zaświadczenie lekarskie o stanie zdrowia ⚠",
    "legitymacja_kombatanta": "Zaświadczenie kombatanckie (jeśli dotyczy)",
}
DOCUMENTS_OPTIONAL: frozenset[str] = frozenset({"legitymacja_kombatanta"})

REFERRAL_STATUSES: dict[str, str] = {
    "zlozone": "Złożone (kompletowanie dokumentów)",
    "skierowany": "Skierowany (decyzja o skierowaniu)",
    "oczekuje": "Na liście oczekujących",
    "umieszczony": "Umieszczony",
    "wycofane": "Wycofane",
}
WAITING_STATUSES: dict[str, str] = {
    "oczekuje": "Oczekuje",
    "przyjety": "Przyjęty",
    "przeniesiony": "Przeniesiony na inną listę (art. 54 ust. 2a)",
    "skreslony": "Skreślony",
}
END_REASONS: dict[str, str] = {
    "wypis": "Wypis",
    "zgon": "Zgon",
    "przeniesienie": "Przeniesienie",
}
MOVEMENTS: dict[str, str] = {
    "przyjecie": "Przyjęcie",
    "przeniesienie": "Przeniesienie",
    "nieobecnosc": "Czasowa nieobecność",
    "powrot": "Powrót",
    "wypis": "Wypis",
    "zgon": "Zgon",
}
ABSENCE_KINDS: dict[str, str] = {
    "szpital": "Pobyt w szpitalu",
    "urlop": "Urlop / pobyt u rodziny",
    "inna": "Inna",
}
CHARGE_PAYERS: dict[str, str] = {
    "mieszkaniec": "Mieszkaniec",
    "krewny": "Małżonek, zstępny lub wstępny",
    "gmina": "Gmina (miasto)",
}
# What binds a relative to pay their share (art. 61 ust. 1 pkt 2): the agreement of art. 103
# ust. 2, or — when the relative would not sign — a final decision (services.md §1.5).
RELATIVE_BASIS_KINDS: dict[str, str] = {
    "umowa": "Umowa (art. 103 ust. 2 u.p.s.)",
    "decyzja": "Decyzja ostateczna",
}

# Art. 54 ust. 2a: "more than three months" / "less than three months".
THREE_MONTHS = 3
# Winter season for the warming room (ogrzewalnia) — the usual operating period (⚠ local
# practice, not a statute): 1 October to 31 March.
WINTER_MONTHS: frozenset[int] = frozenset({10, 11, 12, 1, 2, 3})


# Art. 97 ust. 1, 1a and 5 u.p.s.: the stays whose fee follows the city council's resolution
# (a table of the law core's parameter store), by the group of that table.
ART97_GROUPS: dict[str, str] = {
    "schronisko": "schronisko",
    "schronisko_opieka": "schronisko",
    "mieszkanie_treningowe": "mieszkanie",
    "mieszkanie_wspomagane": "mieszkanie",
}


# The income classification (dział–rozdział–§ of income) of what a resident or a relative owes
# for a stay: a dated parameter of the law core per kind of facility
# (``ostoja/law/parameters/klasyfikacja_odplatnosci.toml``). The city's own top-up to a DPS is
# an expense, classified by the benefit catalogue (``oplata_dps``: § 4330).
INCOME_CLASSIFICATION: dict[str, str] = {
    "dps": "klasyfikacja_dochodu_dps",
    "schronisko": "klasyfikacja_dochodu_schronisko",
    "schronisko_opieka": "klasyfikacja_dochodu_schronisko",
    "mieszkanie_treningowe": "klasyfikacja_dochodu_mieszkanie",
    "mieszkanie_wspomagane": "klasyfikacja_dochodu_mieszkanie",
    "dzienny_dom": "klasyfikacja_dochodu_osrodek_wsparcia",
    "dom_matek": "klasyfikacja_dochodu_osrodek_wsparcia",
    "sds": "klasyfikacja_dochodu_osrodek_wsparcia",
}

# The benefit (line of the benefit catalogue, with its article) of an art. 97 fee decision per
# kind of place: shelter (art. 48a), training / supported flat (art. 53), support centre
# (art. 51 — day home, home for mothers, ŚDS; their fee tables are not in the law core yet).
ART97_BENEFITS: dict[str, str] = {
    "schronisko": "schronienie",
    "schronisko_opieka": "schronienie",
    "mieszkanie_treningowe": "mieszkanie_treningowe",
    "mieszkanie_wspomagane": "mieszkanie_wspomagane",
    "dzienny_dom": "osrodek_wsparcia",
    "dom_matek": "osrodek_wsparcia",
    "sds": "osrodek_wsparcia",
}
