"""Issue 17 (WCAG 2.1 AA, ustawa z dnia 4 kwietnia 2019 r. o dostępności cyfrowej): the
accessibility statement, fields linked to their help and error texts, the error summary."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

STATEMENT_URL = "/deklaracja-dostepnosci/"


@pytest.mark.django_db
def test_statement_is_public_and_has_the_sections_of_the_template(client: Client) -> None:
    """Art. 10 ustawy o dostępności cyfrowej: the statement, in the Minister's structure."""
    html = client.get(STATEMENT_URL).content.decode()
    assert "<h1>Deklaracja dostępności</h1>" in html
    for element_id in ("a11y-wstep", "a11y-podmiot", "a11y-url", "a11y-data-publikacja",
                       "a11y-data-aktualizacja", "a11y-status", "a11y-data-sporzadzenie",
                       "a11y-kontakt", "a11y-osoba", "a11y-procedura", "a11y-architektura",
                       "a11y-aplikacje"):  # fmt: skip
        assert f'id="{element_id}"' in html, element_id
    assert "Rzecznika Praw Obywatelskich" in html  # art. 18 — the complaint procedure
    assert "7 dni" in html and "2 miesiące" in html
    assert re.search(r'id="a11y-data-publikacja">\d{1,2}\.\d{2}\.\d{4}<', html)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/sprawdz/", "/konto/login/", STATEMENT_URL])
def test_every_footer_links_the_statement(client: Client, url: str) -> None:
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    assert f'href="{STATEMENT_URL}"' in footer


@pytest.mark.django_db
def test_staff_footer_links_the_statement(demo_org: None, client_for: object) -> None:
    from django.contrib.auth import get_user_model

    c = client_for(get_user_model().objects.get(username="socjalny"))  # type: ignore[operator]
    html = c.get("/").content.decode()
    assert f'href="{STATEMENT_URL}"' in html[html.index("<footer") :]


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def _dangling_describedby(html: str) -> list[str]:
    ids = _ids(html)
    return [ref for refs in re.findall(r'aria-describedby="([^"]*)"', html)
            for ref in refs.split() if ref not in ids]  # fmt: skip


@pytest.mark.django_db
def test_precheck_fields_point_at_their_help_and_errors(client: Client) -> None:
    """WCAG 1.3.1 / 3.3.1: help and error texts are linked to real ids."""
    html = client.get("/sprawdz/").content.decode()
    assert 'aria-describedby="id_net_income_helptext"' in html
    assert 'id="id_net_income_helptext"' in html
    assert not _dangling_describedby(html)
    assert 'autocomplete="bday"' in html  # WCAG 1.3.5 — the purpose of the birth date
    assert "Pola oznaczone gwiazdką (*) są wymagane." in html
    assert re.search(r'<select name="sex"[^>]*aria-required="true"', html)


@pytest.mark.django_db
def test_failed_submit_shows_a_summary_linking_each_field(client: Client) -> None:
    """WCAG 3.3.1: after a failed submit, a summary at the top names each field and links to it."""
    html = client.post("/sprawdz/", {"household_size": "", "net_income": "abc"}).content.decode()
    assert "data-error-summary" in html
    summary = html[html.index("data-error-summary"):html.index("</ul>", html.index("data-error-summary"))]  # fmt: skip
    assert 'href="#id_net_income"' in summary and "Wpisz kwotę w złotych" in summary
    assert 'href="#id_household_size"' in summary
    assert 'aria-describedby="id_net_income_helptext id_net_income_error"' in html
    assert 'id="id_net_income_error"' in html
    assert 'aria-invalid="true"' in html
    assert not _dangling_describedby(html)


def _calc_post(change: dict[str, str]) -> dict[str, str]:
    data = {
        "benefit": "zasilek_okresowy", "application_date": "2026-12-01",
        "residence_title": "obywatel_pl", "m-TOTAL_FORMS": "4", "m-INITIAL_FORMS": "0",
        "i-TOTAL_FORMS": "6", "i-INITIAL_FORMS": "0", "r-TOTAL_FORMS": "2",
        "r-INITIAL_FORMS": "0", "m-0-role": "wnioskodawca", "m-0-birth_date": "1980-01-01",
        "m-0-sex": "K",
    }  # fmt: skip
    data.update(change)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"application_date": ""}, "<strong>Data złożenia wniosku</strong>: To pole jest wymagane."),
        ({"i-0-member": "A", "i-0-kind": "wynagrodzenie", "i-0-amount": "abc"},
         "<strong>Dochód 1 — Kwota netto</strong>: Wpisz liczbę."),
        ({"m-0-sex": ""}, "<strong>Osoba A — Płeć</strong>: Wybierz płeć osoby"),
        ({"m-0-birth_date": ""}, "Podaj datę urodzenia co najmniej jednej osoby"),
    ],
)  # fmt: skip
def test_calculator_never_fails_silently(
    demo_org: None, client_for: Any, change: dict[str, str], expected: str
) -> None:
    """WCAG 3.3.1 (error identification): the htmx answer names the field in Polish — no empty
    result, no raw API path such as ``members[0].sex``."""
    from django.contrib.auth import get_user_model

    c = client_for(get_user_model().objects.get(username="socjalny"))
    html = c.post("/kalkulator/", _calc_post(change), HTTP_HX_REQUEST="true").content.decode()
    assert "data-error-summary" in html and expected in html
    assert "members[" not in html


@pytest.mark.django_db
def test_calculator_result_dates_are_polish(demo_org: None, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    c = client_for(get_user_model().objects.get(username="socjalny"))
    html = c.post("/kalkulator/", _calc_post({}), HTTP_HX_REQUEST="true").content.decode()
    assert "Wynik:" in html
    assert not re.search(r"\(\d{4}-\d{2}\)|od \d{4}-\d{2}-\d{2}", html)


@pytest.mark.django_db
def test_new_person_page_ships_no_street_list_and_search_picks_a_single_match(
    demo_org: None, client_for: Any
) -> None:
    """Issue 17: the "Nowa osoba" page does not carry two 725-street lists; the search answers
    with streets in Polish order and selects a single match with its postal code."""
    from django.contrib.auth import get_user_model

    from ostoja.registry.models import Street
    from ostoja.web.demo import reference_data_ensure

    reference_data_ensure()
    c = client_for(get_user_model().objects.get(username="socjalny"))
    html = c.get("/klienci/nowa/").content.decode()
    assert html.count("<option") < 60, "the form ships the street list"
    assert 'id="szukaj-ulicy"' in html and 'id="szukaj-ulicy-zam"' in html
    assert len(html.encode()) < 60_000
    one = (
        Street.objects.filter(active=True)
        .exclude(postal_codes__contains="|")
        .exclude(postal_codes="")
        .first()
    )
    assert one is not None
    options = c.get("/klienci/ulice/", {"ulica": one.full_name}).content.decode()
    if options.count("<option") == 1:
        assert "selected" in options and f'data-postal="{one.postal_codes}"' in options
    several = c.get("/klienci/ulice/", {"ulica": "ska"}).content.decode()
    names = re.findall(r'<option value="\d+"[^>]*>([^<(]+)', several)
    from ostoja.core.collation import polish_sorted

    assert len(names) > 2 and names == polish_sorted(names)
