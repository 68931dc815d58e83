"""The whole path in a real browser: socjalny registers a person with a valid PESEL, adds a
household and an income, registers an application, completes the community interview and
sees the income and the calculator result on the case file."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ostoja.core.dates import today
from ostoja.registry.demo import make_pesel


@pytest.mark.django_db(transaction=True)
def test_cases_path(page: Any, login: Any, shot: Any, live_server: Any) -> None:
    from ostoja.org.demo import load_demo_organisation
    from ostoja.org.models import Unit
    from ostoja.registry.models import Street
    from ostoja.registry.streets import load_rows, packaged_rows, street_district_set

    load_demo_organisation(on=today())
    from ostoja.cases.filing import load_filing_list
    from ostoja.cases.models import FilingClass

    load_rows(Street, packaged_rows())  # transactional tests flush migrated data
    load_filing_list(FilingClass)
    street = Street.objects.get(name_1="Sienkiewicza")
    street_district_set(street=street, unit=Unit.objects.get(code="ro1"))
    birth = date(1961, 4, 9)
    pesel = make_pesel(birth, 321, "K")
    income_month = (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")

    login("socjalny")
    page.goto(f"{live_server.url}/klienci/nowa/")
    page.fill("#id_first_name", "Łucja")
    page.fill("#id_last_name", "Żółkiewska")
    page.fill("#id_pesel", pesel)
    page.fill("#id_birth_date", birth.isoformat())
    page.select_option("#id_sex", "K")
    page.fill("#szukaj-ulicy", "sienkiew")
    page.wait_for_timeout(800)
    page.select_option("#id_act_street", str(street.pk))
    page.fill("#id_act_house", "12")
    page.fill("#id_act_postal_code", "25-007")
    shot("cases_01_person_form")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Łucja Żółkiewska')")

    page.fill("#id_month", income_month)
    page.select_option("#id_kind", "emerytura")
    page.fill("#id_amount", "850.00")
    page.fill("#id_proof", "odcinek emerytury ZUS")
    page.click("text=Zapisz dochód")
    page.wait_for_selector("text=Zapisano dochód")
    page.click("text=Załóż rodzinę")
    page.wait_for_selector("h1:has-text('Rodzina Żółkiewskich')")
    shot("cases_02_household")

    page.click("text=Zarejestruj wniosek")
    page.check("input[name=help_forms][value=zasilek_okresowy]")
    page.check("input[name=reasons][value='6']")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Zarejestrowano wniosek RO1.4011.1.")
    shot("cases_03_case_file_registered")

    page.click("text=Rozpocznij wywiad")
    page.wait_for_selector("h1:has-text('Rodzinny wywiad środowiskowy')")
    page.fill("#id_rodzina-opis", "Osoba samotnie gospodarująca, choruje przewlekle.")
    page.wait_for_selector("#status-rodzina:has-text('Zapisano szkic')")  # htmx autosave
    page.fill("#id_analiza-ocena", "Niski dochód, choroba — wymaga wsparcia finansowego.")
    page.select_option("#id_analiza-proponowane_swiadczenie", "zasilek_okresowy")
    page.click("#analiza button[type=submit]")  # the Save button (works without JS)
    page.wait_for_selector("text=Zapisano część wywiadu")
    shot("cases_04_interview")
    page.click("text=Zakończ wywiad")
    page.wait_for_selector("text=Wywiad zakończony")

    page.click("#obliczenia-sekcja button:has-text('Oblicz')")
    page.wait_for_selector("h1:has-text('Obliczenie')")
    assert "850,00 zł" in page.content() or "850.00" in page.content()
    shot("cases_05_calculation")
    page.click("text=Rodzina Żółkiewskich")
    page.wait_for_selector("h2:has-text('Dochód rodziny')")
    content = page.content()
    assert "850,00 zł" in content  # the income computed by the law core
    assert "spełnia warunki" in content  # the calculator result on the case file
    assert "Przeprowadzono wywiad" in content  # the timeline
    shot("cases_06_case_file")
