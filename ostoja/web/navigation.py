"""The main navigation, by the centre's work. An area appears once it has working pages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str
    prefix: str


NAVIGATION: list[NavItem] = [
    NavItem("Klienci", "registry:person_list", "registry.view_person", "/klienci/"),
    NavItem("Sprawy", "cases:desk", "cases.view_case", "/sprawy/"),
    NavItem("Decyzje", "decisions:register", "decisions.view_decision", "/decyzje/"),
    NavItem("Wypłaty", "payments:index", "payments.view_payments", "/wyplaty/"),
    NavItem("Praca socjalna", "socialwork:index", "socialwork.view_notes", "/praca-socjalna/"),
    NavItem("Placówki", "facilities:register", "facilities.view_register", "/placowki/"),
    NavItem("Usługi", "care:index", "care.view", "/uslugi/"),
    NavItem("Współpraca", "partners:index", "partners.view_partners", "/wspolpraca/"),
    NavItem("Skierowania", "partners:portal", "partners.portal", "/wspolpraca/partner/"),
    NavItem("Analiza", "analysis:mrpips03", "analysis.view_reports", "/analiza/"),
    NavItem("Kalkulator", "web:calculator", "law.use_calculator", "/kalkulator/"),
    NavItem("Administracja", "org:admin_index", "org.manage_staff", "/administracja/"),
    NavItem("Pracownicy", "org:staff_list", "org.view_staff", "/administracja/pracownicy/"),
    NavItem(
        "Powiązania", "org:relation_supervised", "org.view_relations", "/powiazania-pracownikow/"
    ),
    NavItem("Dziennik zdarzeń", "audit:log", "audit.view_log", "/audyt/"),
    NavItem("Prawa osób (RODO)", "ops:register", "ops.manage_data_rights", "/rodo/"),
]

# The analyst's pages (issue 17): reachable from the menu, not only from the dashboard.
NAVIGATION += [
    NavItem("Symulacje", "analysis:whatif", "analysis.run_whatif", "/analiza/symulacje/"),
    NavItem(
        "Kalendarz sprawozdań", "analysis:calendar", "analysis.view_reports", "/analiza/kalendarz/"
    ),
    NavItem(
        "Eksport danych", "analysis:export", "analysis.export_pseudonymised", "/analiza/eksport/"
    ),
]
