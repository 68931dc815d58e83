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
    NavItem("Kalkulator", "web:calculator", "law.use_calculator", "/kalkulator/"),
    NavItem("Administracja", "org:admin_index", "org.manage_staff", "/administracja/"),
    NavItem("Pracownicy", "org:staff_list", "org.view_staff", "/administracja/pracownicy/"),
    NavItem("Audyt", "audit:log", "audit.view_log", "/audyt/"),
]
