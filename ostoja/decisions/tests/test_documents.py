"""Every kind of decision as a PDF: each element of art. 107 § 1 KPA is in the extracted text,
the legal basis comes from the calculation trace, amounts are in figures and in words, and the
appeal instruction (art. 127, 129 KPA; waiver art. 127a KPA) is there. No database needed."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from ostoja.decisions import documents as d
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.words import amount_in_words

AUTHORITY = d.Authority(
    name="Prezydent Miasta Kielce",
    centre_name="Miejski Ośrodek Pomocy Rodzinie w Kielcach",
    street_address="ul. Studzienna 2",
    postal_code="25-544",
    city="Kielce",
    phone="41 331 25 24",
)
SIGNER = d.Signatory("Małgorzata Łęcka", "Kierownik Rejonu Opiekuńczego nr 1", "DYR/7/2025")
TRACE_BASES = (
    "art. 8 ust. 1 pkt 1–2 u.p.s.; Rozporządzenie Rady Ministrów z dnia 12 lipca 2024 r. w "
    "sprawie zweryfikowanych kryteriów dochodowych",
    "art. 37 ust. 2 pkt 1 u.p.s.",
)
NRB = "61109010140000071219812874"


def base(kind: str, **kw: object) -> d.DecisionContent:
    values: dict[str, object] = {
        "kind": kind,
        "number": "000012/RO1/2026",
        "case_reference": "RO1.8311.15.2026",
        "issued_on": date(2026, 11, 26),
        "place": "Kielce",
        "authority": AUTHORITY,
        "addressee": d.Addressee("Zofia Żółtańska", ("ul. Źródłowa 12/4", "25-001 Kielce"), "K"),
        "trace_bases": TRACE_BASES,
        "justification": "W dniu 3 listopada 2026 r. strona złożyła wniosek.\n\nOrgan ustalił "
        "dochód 900,00 zł.",
        "application_date": date(2026, 11, 3),
        "signatory": SIGNER,
        "referenced": d.ReferencedDecision("000003/RO1/2026", date(2026, 2, 10)),
    }
    values.update(kw)
    return d.DecisionContent(**values)  # type: ignore[arg-type]


GRANT_LINE = d.ContentLine(
    "zasilek_staly", True, Decimal("1229.00"), date(2026, 11, 1), None, account_number=NRB
)

CASES = {
    DecisionKind.GRANT: base(DecisionKind.GRANT, lines=(GRANT_LINE,)),
    DecisionKind.REFUSAL: base(
        DecisionKind.REFUSAL,
        lines=(
            d.ContentLine(
                "zasilek_okresowy", False, Decimal("413.50"), date(2026, 11, 1), date(2027, 2, 1)
            ),
        ),
    ),
    DecisionKind.CHANGE: base(
        DecisionKind.CHANGE,
        lines=(
            d.ContentLine(
                "zasilek_staly",
                True,
                Decimal("1002.00"),
                date(2026, 12, 1),
                None,
                account_number=NRB,
            ),
        ),
        effective_from=date(2026, 12, 1),
    ),
    DecisionKind.REVOCATION: base(DecisionKind.REVOCATION, effective_from=date(2026, 12, 1)),
    DecisionKind.EXPIRY: base(DecisionKind.EXPIRY, effective_from=date(2026, 12, 1)),
    DecisionKind.RECOVERY: base(
        DecisionKind.RECOVERY, recovery_amount=Decimal("2458.00"), recovery_due=date(2027, 1, 15)
    ),
    DecisionKind.WRITE_OFF: base(DecisionKind.WRITE_OFF, recovery_amount=Decimal("600.00")),
    DecisionKind.INSTALMENTS: base(
        DecisionKind.INSTALMENTS,
        recovery_amount=Decimal("900.00"),
        instalments=(
            d.Instalment(date(2027, 1, 15), Decimal("300.00")),
            d.Instalment(date(2027, 2, 15), Decimal("300.00")),
            d.Instalment(date(2027, 3, 15), Decimal("300.00")),
        ),
    ),
    DecisionKind.FEE: base(
        DecisionKind.FEE,
        lines=(
            d.ContentLine(
                "oplata_dps",
                True,
                Decimal("1645.30"),
                date(2026, 12, 1),
                None,
                payment_method="rzeczowa",
            ),
        ),
    ),
    DecisionKind.DISCONTINUANCE: base(
        DecisionKind.DISCONTINUANCE, discontinuance_reason="strona wycofała wniosek"
    ),
}

# The amount each kind must state, in figures and in words.
AMOUNTS = {
    DecisionKind.GRANT: Decimal("1229.00"),
    DecisionKind.REFUSAL: Decimal("413.50"),
    DecisionKind.CHANGE: Decimal("1002.00"),
    DecisionKind.RECOVERY: Decimal("2458.00"),
    DecisionKind.WRITE_OFF: Decimal("600.00"),
    DecisionKind.INSTALMENTS: Decimal("900.00"),
    DecisionKind.FEE: Decimal("1645.30"),
}


def pdf_text(content: d.DecisionContent) -> tuple[str, PdfReader]:
    pdf = d.render_pdf(d.render_html(content))
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return re.sub(r"\s+", " ", text), reader


def test_every_kind_has_a_template() -> None:
    assert set(CASES) == set(DecisionKind)


@pytest.mark.parametrize("kind", list(DecisionKind), ids=lambda k: k.value)
def test_pdf_contains_every_art_107_element(kind: DecisionKind) -> None:
    """art. 107 § 1 KPA: authority, date, party, legal basis, ruling, justification, appeal
    instruction (with art. 127a waiver), signature with name, position and authorisation."""
    text, reader = pdf_text(CASES[kind])
    # authority and letterhead
    assert "Prezydent Miasta Kielce" in text
    assert "Miejski Ośrodek Pomocy Rodzinie w Kielcach" in text
    # date and place, case reference, number
    assert "Kielce, dnia 26 listopada 2026 r." in text
    assert "Znak sprawy: RO1.8311.15.2026" in text
    assert "DECYZJA nr 000012/RO1/2026" in text
    # addressee (Polish characters survive)
    assert "Zofia Żółtańska" in text and "ul. Źródłowa 12/4" in text
    # legal basis: procedural + from the trace (for kinds that rest on a calculation)
    assert "Na podstawie" in text
    assert "art. 110 ust. 7 i 8 ustawy z dnia 12 marca 2004 r. o pomocy społecznej" in text
    assert "art. 268a ustawy z dnia 14 czerwca 1960 r. – Kodeks postępowania" in text
    assert "art. 8 ust. 1 pkt 1–2" in text
    assert "art. 37 ust. 2 pkt 1" in text
    # operative part and justification
    assert "orzeka:" in text
    assert "Uzasadnienie" in text and "Organ ustalił dochód 900,00 zł" in text
    # appeal instruction
    assert "Samorządowego Kolegium Odwoławczego w Kielcach" in text
    assert "w terminie 14 dni od dnia jej doręczenia" in text
    assert "art. 127a KPA" in text and "zrzec się prawa do wniesienia odwołania" in text
    # signature block
    assert "z upoważnienia Prezydenta Miasta Kielce" in text
    assert "Małgorzata Łęcka" in text and "Kierownik Rejonu Opiekuńczego nr 1" in text
    assert "upoważnienie nr DYR/7/2025" in text
    # distribution list
    assert "Otrzymują:" in text and "a/a" in text
    # page numbers
    assert f"Strona 1 z {len(reader.pages)}" in text
    # amount in figures and words
    if kind in AMOUNTS:
        amount = AMOUNTS[kind]
        from ostoja.law.money import pln

        assert pln(amount) in text
        assert amount_in_words(amount) in text


def test_grant_states_period_payment_and_duty_to_report() -> None:
    text, _ = pdf_text(CASES[DecisionKind.GRANT])
    assert "od 1 listopada 2026 r. na czas nieokreślony" in text
    assert "61 1090 1014 0000 0712 1981 2874" in text
    assert "do 10. dnia każdego miesiąca" in text
    assert "art. 109 u.p.s." in text
    assert "art. 106 ust. 1" in text and "art. 104 i art. 268a ustawy z dnia 14 czerwca" in text


def test_change_acts_for_the_future_and_names_the_old_decision() -> None:
    text, _ = pdf_text(CASES[DecisionKind.CHANGE])
    # „Zmienić decyzję nr …” (accusative), „… decyzja nr … pozostaje bez zmian” (nominative)
    assert "Zmienić decyzję nr 000003/RO1/2026 z dnia 10 lutego 2026 r. i przyznać" in text
    assert "zakresie decyzja nr 000003/RO1/2026 z dnia 10 lutego 2026 r. pozostaje" in text
    assert "Zmienić decyzji" not in text
    assert "art. 106 ust. 5" in text
    assert "od dnia 1 grudnia 2026 r." in text


def test_revocation_names_the_decision_in_the_accusative() -> None:
    """„Uchylić decyzję nr …” (art. 106 ust. 5 u.p.s.), never „Uchylić decyzji”."""
    points = d.operative_points(CASES[DecisionKind.REVOCATION])
    assert points[0].startswith("Uchylić decyzję nr ") and "z dniem 1 grudnia 2026 r." in points[0]


def test_recovery_cites_art_98_and_104() -> None:
    text, _ = pdf_text(CASES[DecisionKind.RECOVERY])
    assert "art. 98 ust. 1" in text and "art. 104 ust. 1" in text
    assert "w terminie do dnia 15 stycznia 2027 r." in text


def test_immediate_enforceability_adds_art_108_and_reason() -> None:
    content = replace(
        CASES[DecisionKind.GRANT], immediate=True, immediate_reason="ochronę zdrowia strony"
    )
    text, _ = pdf_text(content)
    assert "art. 108 § 1 KPA" in text
    assert "rygor natychmiastowej wykonalności" in text and "ochronę zdrowia strony" in text


def test_draft_is_marked_and_unsigned() -> None:
    content = replace(CASES[DecisionKind.GRANT], number="", signatory=None, draft=True)
    text, _ = pdf_text(content)
    assert "PROJEKT DECYZJI" in text and "DECYZJA (projekt)" in text


def test_legal_basis_is_deduplicated_and_never_typed() -> None:
    content = replace(CASES[DecisionKind.GRANT], trace_bases=("art. 8 ust. 3 u.p.s.",) * 4)
    assert d.legal_basis(content).count("art. 8 ust. 3 u.p.s.") == 1


def test_pdf_is_tagged_pdf_a_with_embedded_fonts() -> None:
    pdf = d.render_pdf(d.render_html(CASES[DecisionKind.GRANT]))
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    # PDF/A-2b: an output intent and the pdfaid part/conformance in the XMP metadata
    assert "/OutputIntents" in reader.trailer["/Root"]
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert (b"pdfaid" in xmp and b"<pdfaid:part>2</pdfaid:part>" in xmp.replace(b"'", b'"')) or (
        b'pdfaid:part="2"' in xmp
    )
    # conformance A: a tagged, structured document a screen reader can follow (PDF/UA's aim)
    assert b"<pdfaid:conformance>A</pdfaid:conformance>" in xmp.replace(b"'", b'"') or (
        b'pdfaid:conformance="A"' in xmp
    )
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).startswith("pl")
    fonts = set()
    for page in reader.pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("DejaVu" in f for f in fonts)


# ---------------------------------------------------------------- amounts in words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1229.00", "tysiąc dwieście dwadzieścia dziewięć złotych 00/100"),
        ("22.00", "dwadzieścia dwa złote 00/100"),
        ("12.00", "dwanaście złotych 00/100"),
        ("1.01", "jeden złoty 01/100"),
        ("0.00", "zero złotych 00/100"),
        ("20.50", "dwadzieścia złotych 50/100"),
        ("1002.00", "tysiąc dwa złote 00/100"),
        ("413.00", "czterysta trzynaście złotych 00/100"),
        (
            "999999.99",
            "dziewięćset dziewięćdziesiąt dziewięć tysięcy dziewięćset "
            "dziewięćdziesiąt dziewięć złotych 99/100",
        ),
    ],
)
def test_amount_in_words_golden(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2))
def test_amount_in_words_property(amount: Decimal) -> None:
    words = amount_in_words(amount)
    cents = int((amount * 100) % 100)
    assert words.endswith(f" {cents:02d}/100")
    assert re.search(r"\b(złoty|złote|złotych)\b", words)
    assert words == words.strip() and "  " not in words
    whole = int(amount)
    if whole % 10 in (2, 3, 4) and whole % 100 not in (12, 13, 14):
        assert " złote " in words
    elif whole == 1:
        assert words.startswith("jeden złoty ")
    else:
        assert " złotych " in words
