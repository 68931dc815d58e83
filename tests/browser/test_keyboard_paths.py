"""Keyboard only (issue 17; WCAG 2.1.1 keyboard, 2.4.7 focus visible, 3.3.1 error
identification, 2.2.1 timing adjustable): no mouse click in these tests."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.core.dates import today


@pytest.fixture
def org(transactional_db: Any) -> None:
    from ostoja.org.demo import load_demo_organisation
    from ostoja.web.demo import reference_data_ensure

    reference_data_ensure()
    load_demo_organisation(on=today())


def _focus_is_visible(page: Any) -> bool:
    return bool(
        page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"""
        )
    )


def _tab_to(page: Any, predicate: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Tab nie dochodzi do: {predicate}")


def test_keyboard_login_then_a_failed_form_announces_its_errors(
    org: None, page: Any, live_server: Any, shot: Any
) -> None:
    page.goto(f"{live_server.url}/konto/login/")
    _tab_to(page, "el.id === 'id_login'")
    page.keyboard.type("socjalny")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Dzień dobry")

    # To "Klienci" through the main navigation, then to the new-person form.
    _tab_to(page, "el.textContent.trim() === 'Klienci'")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/klienci/")
    page.wait_for_load_state("networkidle")
    _tab_to(page, "el.getAttribute('href') === '/klienci/nowa/'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/klienci/nowa/")
    page.wait_for_load_state("networkidle")
    assert "Pola oznaczone gwiazdką (*) są wymagane." in page.inner_text("main")

    # Submit the empty form from the keyboard: the error summary takes the focus.
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Zapisz'", limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    active = page.evaluate("document.activeElement.getAttribute('data-error-summary')")
    assert active is not None, "fokus nie trafił do podsumowania błędów"
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    shot("keyboard-person-errors")
    # Its first link leads to the field in error, which names its error through aria.
    page.keyboard.press("Tab")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href and href.startswith("#id_")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    field = page.locator(href)
    described = field.get_attribute("aria-describedby") or ""
    assert field.get_attribute("aria-invalid") == "true"
    assert all(page.locator(f"#{ref}").count() == 1 for ref in described.split())


def test_session_warning_offers_more_time_to_the_keyboard(
    org: None, page: Any, live_server: Any, settings: Any, shot: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 123  # the warning shows 2 minutes before: after 3 seconds
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("#id_login", "socjalny")
    page.fill("#id_password", "demo")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    box = page.locator("#sesja")
    box.wait_for(state="visible", timeout=10_000)
    assert "Sesja wkrótce wygaśnie" in box.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Przedłuż sesję"
    shot("keyboard-session-warning")
    with page.expect_response(lambda r: "/sesja/przedluz/" in r.url) as info:
        page.keyboard.press("Enter")
    assert info.value.status == 204
    box.wait_for(state="hidden")


# ------------------------------------------------------------------ main paths (issue 17)


def _kb_login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/konto/login/")
    _tab_to(page, "el.id === 'id_login'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def _kb_type(page: Any, field_id: str, text: str, limit: int = 150) -> None:
    """Tab to the field (visible focus asserted), clear it and type."""
    _tab_to(page, f"el.id === '{field_id}'", limit=limit)
    assert _focus_is_visible(page), f"{field_id}: fokus niewidoczny"
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def _kb_press(page: Any, predicate: str, limit: int = 150) -> None:
    """Tab to a link or button and press Enter, waiting for the next page."""
    _tab_to(page, predicate, limit=limit)
    assert _focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def _button(text: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.trim() === '{text}'"


def _link(text: str) -> str:
    return f"el.tagName === 'A' && el.textContent.trim() === '{text}'"


def _summary_has_focus(page: Any) -> None:
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), (
        "fokus nie trafił do podsumowania błędów"
    )
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"


@pytest.mark.django_db(transaction=True)
def test_keyboard_note_and_visit_in_social_work(page: Any, live_server: Any, shot: Any) -> None:
    from ostoja.cases.models import Case
    from ostoja.core import dates
    from ostoja.socialwork.models import CaseNote, Visit
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())
    case = Case.objects.filter(unit__code="ro1", worker__username="socjalny").order_by("pk")[1]
    base = live_server.url
    _kb_login(page, base, "socjalny")
    page.goto(f"{base}/praca-socjalna/sprawy/{case.pk}/")

    # An empty note: the summary takes the focus and names the field.
    _kb_press(page, _button("Zapisz notatkę"))
    _summary_has_focus(page)
    assert "Treść notatki" in page.locator("[data-error-summary]").inner_text()
    _kb_type(page, "id_text", "Rozmowa telefoniczna z klientem; umówiono wizytę.")
    _kb_press(page, _button("Zapisz notatkę"))
    assert "Notatka zapisana w chronologii." in page.inner_text("main")
    assert CaseNote.objects.filter(case=case, text__startswith="Rozmowa telefoniczna").count() == 1

    # Plan a visit (the date is prefilled with today), then record its outcome.
    _kb_press(page, _link("Zaplanuj wizytę"))
    _kb_type(page, "id_purpose", "Ocena sytuacji w miejscu zamieszkania")
    _kb_press(page, _button("Zaplanuj wizytę"))
    assert "Wizyta zaplanowana." in page.inner_text("main")
    visit = Visit.objects.get(case=case, purpose="Ocena sytuacji w miejscu zamieszkania")
    _kb_press(page, f"el.getAttribute('href') === '/praca-socjalna/wizyty/{visit.pk}/'")
    _kb_press(page, _button("Zapisz wynik i zamknij wizytę"))
    _summary_has_focus(page)
    shot("keyboard-visit-errors")
    _kb_type(page, "id_text", "Rodzina w domu; ustalono dalsze kroki.")
    _kb_press(page, _button("Zapisz wynik i zamknij wizytę"))
    assert "Wynik wizyty zapisany" in page.inner_text("main")
    visit.refresh_from_db()
    assert visit.outcome_note is not None


@pytest.fixture
def payable(transactional_db: Any, monkeypatch: Any) -> list[Any]:
    from ostoja.decisions.lines import PaymentMethod
    from ostoja.org.demo import load_demo_organisation
    from ostoja.payments import sources
    from ostoja.payments.demo import _ensure_centre_account
    from ostoja.payments.testing import make_line

    load_demo_organisation(on=today())
    _ensure_centre_account()
    lines = [make_line(i, benefit="zasilek_staly", amount="1229.00") for i in (1, 2)]
    lines.append(make_line(4, amount="450.00", method=PaymentMethod.CASH))
    monkeypatch.setattr(sources, "payable_lines", lambda **kw: lines)
    return lines


def test_keyboard_payment_list_built_then_approved_by_the_second_person(
    payable: Any, page: Any, live_server: Any, shot: Any
) -> None:
    base = live_server.url
    bank_list = "LW/2026/11/85216/3110/przelew/1"
    _kb_login(page, base, "swiadczenia")
    page.goto(f"{base}/wyplaty/?miesiac=2026-11")

    # A month that does not exist: the error is announced through the focused summary.
    _kb_type(page, "id_month", "2026-13")
    _kb_press(page, _button("Uruchom listę wypłat"))
    _summary_has_focus(page)
    assert "Nie ma takiego miesiąca" in page.locator("[data-error-summary]").inner_text()
    _kb_type(page, "id_month", "2026-11")
    _kb_press(page, _button("Uruchom listę wypłat"))
    assert "utworzono 3 płatności" in page.locator(".messages").inner_text()
    _kb_press(page, _link(bank_list))
    assert page.get_by_role("button", name="Zatwierdź i zablokuj listę").count() == 0
    _kb_press(page, _button("Wyloguj"))

    # The second person approves it, all from the keyboard.
    _kb_login(page, base, "ksiegowosc")
    page.goto(f"{base}/wyplaty/?miesiac=2026-11")
    _kb_press(page, _link(bank_list))
    _tab_to(page, "el.id === 'id_execution_date'", limit=150)
    assert _focus_is_visible(page)
    page.keyboard.type("10112026")  # the date widget's day, month and year segments
    _kb_press(page, _button("Zatwierdź i zablokuj listę"))
    assert page.locator("#list-status").inner_text() == "zatwierdzona"
    shot("keyboard-payment-list-approved")


def _kb_select(page: Any, field_id: str, value: str) -> None:
    """Tab to a select and move through its options with the arrow keys."""
    _tab_to(page, f"el.id === '{field_id}'", limit=150)
    assert _focus_is_visible(page), f"{field_id}: fokus niewidoczny"
    page.keyboard.press("Home")
    for _ in range(80):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{field_id}: strzałki nie dochodzą do {value}")


def _kb_check(page: Any, predicate: str) -> None:
    _tab_to(page, predicate, limit=150)
    assert _focus_is_visible(page)
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")


@pytest.mark.django_db(transaction=True)
def test_keyboard_register_to_decision_draft(page: Any, live_server: Any, shot: Any) -> None:
    """Register a person → income → family → application → interview → calculation →
    decision draft, with Tab, Enter, Space and the arrow keys only."""
    from datetime import date, timedelta

    from ostoja.cases.filing import load_filing_list
    from ostoja.cases.models import FilingClass
    from ostoja.org.demo import load_demo_organisation
    from ostoja.org.models import Unit
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Street
    from ostoja.registry.streets import load_rows, packaged_rows, street_district_set
    from ostoja.web.demo import reference_data_ensure

    reference_data_ensure()
    load_demo_organisation(on=today())
    load_rows(Street, packaged_rows())
    load_filing_list(FilingClass)
    street = Street.objects.get(name_1="Sienkiewicza")
    street_district_set(street=street, unit=Unit.objects.get(code="ro1"))
    birth = date(1961, 4, 9)
    income_month = (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    base = live_server.url

    _kb_login(page, base, "socjalny")
    page.goto(f"{base}/klienci/nowa/")
    _kb_type(page, "id_first_name", "Łucja")
    _kb_type(page, "id_last_name", "Żółkiewska")
    _kb_type(page, "id_pesel", make_pesel(birth, 321, "K"))
    # The birth date and sex are filled in from the PESEL.
    _kb_type(page, "szukaj-ulicy", "sienkiew")
    page.wait_for_timeout(800)
    _kb_select(page, "id_act_street", str(street.pk))
    _kb_type(page, "id_act_house", "12")
    _kb_type(page, "id_act_postal_code", "25-007")
    _kb_press(page, "el.type === 'submit' && el.textContent.trim() === 'Zapisz'")
    assert "Łucja Żółkiewska" in page.inner_text("h1"), page.inner_text("main")[:1500]

    _kb_type(page, "id_month", income_month)
    _kb_select(page, "id_kind", "emerytura")
    _kb_type(page, "id_amount", "850.00")
    _kb_type(page, "id_proof", "odcinek emerytury ZUS")
    _kb_press(page, _button("Zapisz dochód"))
    assert "Zapisano dochód" in page.inner_text("main")
    _kb_press(page, "el.textContent.trim().startsWith('Załóż rodzinę')")
    page.wait_for_selector("h1:has-text('Rodzina')")
    shot("keyboard-path-household")

    _kb_press(page, "el.textContent.trim() === 'Zarejestruj wniosek'")
    _kb_check(page, "el.name === 'help_forms' && el.value === 'zasilek_okresowy'")
    _kb_check(page, "el.name === 'reasons' && el.value === '6'")
    _kb_press(page, "el.type === 'submit'")
    assert "Zarejestrowano wniosek RO1.4011.1." in page.inner_text("main")

    _kb_press(page, "el.textContent.trim() === 'Rozpocznij wywiad'")
    _kb_type(page, "id_rodzina-opis", "Osoba samotnie gospodarująca, choruje przewlekle.")
    page.keyboard.press("Tab")  # leaving the field saves the draft (htmx autosave)
    page.wait_for_selector("#status-rodzina:has-text('Zapisano szkic')")
    _kb_type(page, "id_analiza-ocena", "Niski dochód, choroba — wymaga wsparcia finansowego.")
    _kb_select(page, "id_analiza-proponowane_swiadczenie", "zasilek_okresowy")
    _kb_press(page, "el.type === 'submit' && el.closest('#analiza') !== null")
    assert "Zapisano część wywiadu" in page.inner_text("main")
    _kb_press(page, "el.textContent.trim() === 'Zakończ wywiad'")
    assert "Wywiad zakończony" in page.inner_text("main"), page.inner_text(
        ".messages, [data-error-summary]"
    )

    _kb_press(page, "el.closest('#obliczenia-sekcja') && el.textContent.trim() === 'Oblicz'")
    assert "Obliczenie" in page.inner_text("h1")
    _kb_press(page, "el.tagName === 'A' && el.textContent.trim().startsWith('Rodzina')")

    # The decision draft: the calculation is chosen with Space, none is preselected.
    _kb_check(page, "el.name === 'calculations'")
    _kb_press(page, "el.type === 'submit' && el.closest('form.draft-form') !== null", limit=250)
    assert "(projekt)" in page.inner_text("h1")
    shot("keyboard-path-decision-draft")


@pytest.mark.django_db(transaction=True)
def test_contract_rows_by_keyboard_without_javascript_need_and_axe(
    page: Any, live_server: Any, shot: Any
) -> None:
    """The contract's action rows: "Dodaj wiersz działania" from the keyboard adds a row
    (a plain submit, no script needed); the page passes axe with its rows and after an error."""
    from ostoja.cases.models import Case
    from ostoja.core import dates
    from ostoja.web.demo import load_demo
    from tests.browser.a11y import axe_violations

    load_demo(now=dates.now())
    case = Case.objects.filter(unit__code="ro1", worker__username="socjalny").order_by("pk")[1]
    base = live_server.url
    _kb_login(page, base, "socjalny")
    page.goto(f"{base}/praca-socjalna/sprawy/{case.pk}/kontrakty/nowy/")
    assert page.locator("[name$='-description']").count() == 2
    _kb_type(page, "id_dzialania-0-description", "Rejestracja w PUP")
    _kb_press(page, _button("Dodaj wiersz działania"))
    assert page.locator("[name$='-description']").count() == 3
    assert page.locator("#id_dzialania-0-description").input_value() == "Rejestracja w PUP"
    assert axe_violations(page) == []
    _kb_press(page, _button("Zapisz projekt"))  # required fields empty: the summary
    _summary_has_focus(page)
    assert axe_violations(page) == []
    shot("keyboard-contract-rows")
