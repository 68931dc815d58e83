"""Code lists of the calculation interface, each code → Polish label (for select options)."""

from __future__ import annotations

__all__ = [
    "BENEFITS",
    "DISABILITY_DEGREES",
    "DPS_EXEMPTIONS",
    "DPS_RELATIONS",
    "DPS_RELATION_ORDER",
    "INCOME_KINDS",
    "INCOME_SHAPES",
    "RESIDENCE_TITLES",
    "ROLES",
    "SEXES",
]

BENEFITS: dict[str, str] = {
    "zasilek_staly": "Zasiłek stały (art. 37 u.p.s.)",
    "zasilek_okresowy": "Zasiłek okresowy (art. 38 u.p.s.)",
    "zasilek_celowy": "Zasiłek celowy (art. 39 u.p.s.)",
    "specjalny_zasilek_celowy": "Specjalny zasiłek celowy (art. 41 u.p.s.)",
    "zasilek_celowy_zdarzenie_losowe": (
        "Zasiłek celowy w związku ze zdarzeniem losowym (art. 40 u.p.s.)"
    ),
    "zasilek_celowy_pogrzeb": (
        "Zasiłek celowy na pokrycie kosztów pogrzebu (art. 40 ust. 1a u.p.s., od 2026 r.)"
    ),
    "posilek": "Posiłek — program „Posiłek w szkole i w domu”",
    "oplata_dps": "Opłata za pobyt w domu pomocy społecznej (art. 61 u.p.s.)",
    "uslugi_opiekuncze": (
        "Usługi opiekuńcze — odpłatność (art. 50 u.p.s., uchwała Rady Miasta Kielce)"
    ),
    "specjalistyczne_uslugi_opiekuncze_zaburzenia": (
        "Specjalistyczne usługi opiekuńcze dla osób z zaburzeniami psychicznymi — odpłatność"
    ),
}

ROLES: dict[str, str] = {
    "wnioskodawca": "Wnioskodawca",
    "malzonek": "Małżonek",
    "partner": "Partner / partnerka (faktyczny związek)",
    "dziecko": "Dziecko",
    "rodzic": "Rodzic",
    "inny": "Inna osoba wspólnie gospodarująca",
}

SEXES: dict[str, str] = {"K": "Kobieta", "M": "Mężczyzna"}

DISABILITY_DEGREES: dict[str, str] = {
    "lekki": "Lekki stopień niepełnosprawności",
    "umiarkowany": "Umiarkowany stopień niepełnosprawności",
    "znaczny": "Znaczny stopień niepełnosprawności",
}

RESIDENCE_TITLES: dict[str, str] = {
    "obywatel_pl": "Obywatel polski",
    "obywatel_ue": "Obywatel UE/EFTA-EOG/Szwajcarii (z prawem pobytu) lub członek rodziny",
    "pobyt_staly": "Cudzoziemiec — zezwolenie na pobyt stały",
    "rezydent_ue": "Cudzoziemiec — zezwolenie na pobyt rezydenta długoterminowego UE",
    "pobyt_czasowy_laczenie_rodzin": "Cudzoziemiec — pobyt czasowy w celu łączenia rodzin",
    "status_uchodzcy": "Status uchodźcy",
    "ochrona_uzupelniajaca": "Ochrona uzupełniająca",
    "pobyt_humanitarny": "Zgoda na pobyt ze względów humanitarnych",
    "pobyt_tolerowany": "Zgoda na pobyt tolerowany",
    "pobyt_czasowy_inny": "Inne zezwolenie na pobyt czasowy",
    # Issue 22: further titles of art. 5, art. 5a and the special act for citizens of Ukraine.
    "pobyt_czasowy_art_186": (
        "Cudzoziemiec — pobyt czasowy na podstawie art. 186 ust. 1 pkt 3 ustawy o cudzoziemcach"
    ),
    "ofiara_handlu_ludzmi": (
        "Ofiara handlu ludźmi — zaświadczenie lub pobyt czasowy (art. 5a u.p.s.)"
    ),
    "ukr_specustawa": (
        "Obywatel Ukrainy — pobyt legalny na podstawie ustawy z 12 marca 2022 r. (do 4.03.2026)"
    ),
    "ochrona_czasowa": (
        "Cudzoziemiec — ochrona czasowa (ustawa o udzielaniu cudzoziemcom ochrony, od 5.03.2026)"
    ),
}

INCOME_KINDS: dict[str, str] = {
    "wynagrodzenie": "Wynagrodzenie (netto albo brutto z podatkiem i składkami)",
    "emerytura": "Emerytura",
    "renta": "Renta z tytułu niezdolności do pracy",
    "renta_rodzinna": "Renta rodzinna",
    "renta_socjalna": "Renta socjalna",
    "zasilek_dla_bezrobotnych": "Zasiłek dla bezrobotnych",
    "zasilek_chorobowy": "Zasiłek chorobowy",
    "alimenty": "Alimenty otrzymywane",
    "alimenty_placone": "Alimenty płacone na rzecz innych osób (odliczane)",
    "zasilek_rodzinny": "Zasiłek rodzinny z dodatkami",
    "zasilek_pielegnacyjny": "Zasiłek pielęgnacyjny",
    "swiadczenie_pielegnacyjne": "Świadczenie pielęgnacyjne",
    "specjalny_zasilek_opiekunczy": "Specjalny zasiłek opiekuńczy",
    "zasilek_dla_opiekuna": "Zasiłek dla opiekuna",
    "dodatek_mieszkaniowy": "Dodatek mieszkaniowy",
    "zasilek_staly": "Zasiłek stały",
    "zasilek_okresowy": "Zasiłek okresowy",
    "zasilek_celowy": "Zasiłek celowy (niewliczany)",
    "jednorazowe_swiadczenie": "Jednorazowe świadczenie pieniężne (niewliczane)",
    "swiadczenie_wychowawcze": "Świadczenie wychowawcze 800+ (niewliczane)",
    "swiadczenie_uzupelniajace": (
        "Świadczenie uzupełniające dla osób niezdolnych do samodzielnej egzystencji"
    ),
    # The label is kept as before issue 22 (it names school aid for pupils); traces quote it.
    "stypendium_socjalne": "Stypendium socjalne / szkolne — pomoc materialna dla uczniów",
    "stypendium_socjalne_student": (
        "Stypendium socjalne studenta (prawo o szkolnictwie wyższym; wliczane)"
    ),
    "prace_spolecznie_uzyteczne": "Świadczenie za prace społecznie użyteczne (niewliczane)",
    "trzynasta_emerytura": (
        "Dodatkowe roczne świadczenie pieniężne — „trzynasta emerytura” (niewliczane)"
    ),
    "czternasta_emerytura": (
        "Kolejne dodatkowe roczne świadczenie pieniężne — „czternasta emerytura” (niewliczane)"
    ),
    "dodatek_oslonowy": "Dodatek osłonowy (niewliczany)",
    "dodatek_energetyczny": "Dodatek energetyczny (niewliczany)",
    "bon_energetyczny": "Bon energetyczny (niewliczany)",
    "rodzinny_kapital_opiekunczy": "Rodzinny kapitał opiekuńczy (niewliczany)",
    "aktywny_rodzic": (
        "„Aktywny rodzic” — aktywni rodzice w pracy / aktywnie w żłobku / aktywnie w domu "
        "(niewliczane)"
    ),
    "dobry_start": "Świadczenie „Dobry start” (niewliczane)",
    "swiadczenie_wspierajace": "Świadczenie wspierające (wliczane; wyklucza zasiłek stały)",
    "dodatek_samotne_wychowywanie_bezrobocie": (
        "Dodatek z tytułu samotnego wychowywania dziecka i utraty prawa do zasiłku dla "
        "bezrobotnych (wyklucza zasiłek stały)"
    ),
    "dzialalnosc_ryczalt": (
        "Działalność gospodarcza — ryczałt / karta podatkowa (dochód zadeklarowany)"
    ),
    "dzialalnosc_ogolna": (
        "Działalność gospodarcza — zasady ogólne (przychód − koszty − podatek − składki)"
    ),
    "gospodarstwo_rolne": "Gospodarstwo rolne (hektary przeliczeniowe)",
    "inne": "Inny dochód",
}

# Which fields each kind takes (the rest of the kinds take a single ``amount``).
INCOME_SHAPES: dict[str, str] = {
    "wynagrodzenie": "wage",
    "dzialalnosc_ogolna": "business",
    "gospodarstwo_rolne": "farm",
    "alimenty_placone": "deduction",
}

# Relatives liable for the DPS fee (art. 61 ust. 1 pkt 2): spouse, then descendants, then
# ascendants ("małżonek, zstępni przed wstępnymi"). Value: order group (lower pays first).
DPS_RELATIONS: dict[str, str] = {
    "malzonek": "Małżonek",
    "corka": "Córka",
    "syn": "Syn",
    "wnuczka": "Wnuczka",
    "wnuk": "Wnuk",
    "prawnuk": "Prawnuk / prawnuczka",
    "matka": "Matka",
    "ojciec": "Ojciec",
    "babcia": "Babcia",
    "dziadek": "Dziadek",
}

# Grounds for exempting a relative from the DPS fee (issue 22).
DPS_EXEMPTIONS: dict[str, str] = {
    "art_64": "Zwolnienie na wniosek (art. 64 u.p.s.)",
    "art_64a": "Zwolnienie obligatoryjne (art. 64a u.p.s.)",
    "art_64b": "Zwolnienie obligatoryjne (art. 64b u.p.s.)",
}

DPS_RELATION_ORDER: dict[str, int] = {
    "malzonek": 1,
    "corka": 2,
    "syn": 2,
    "wnuczka": 2,
    "wnuk": 2,
    "prawnuk": 2,
    "matka": 3,
    "ojciec": 3,
    "babcia": 3,
    "dziadek": 3,
}
