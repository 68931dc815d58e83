"""The justification a lawyer would write and nothing internal on a client document (issue 12
§ 3; art. 107 § 1 and § 3 KPA).

Every decision kind's PDF is rendered with a justification drafted the way the system drafts it
and read back with pypdf: no law-core code, id, ISO date, „(a)” or internal note; the legal
basis has no duplicates, no definition article and no internal act.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from ostoja.core import dates
from ostoja.decisions import basis, documents
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.tests.test_documents import CASES
from ostoja.law.interface import calculate_document

OKRESOWY_REQUEST = {
    "benefit": "zasilek_okresowy",
    "application_date": "2026-11-05",
    "members": [
        {
            "id": "A",
            "birth_date": "1980-01-01",
            "sex": "K",
            "incomes": [{"kind": "wynagrodzenie", "amount": "300.00"}],
        },
        {"id": "B", "birth_date": "2015-01-01", "sex": "M", "incomes": []},
    ],
}
REFUSAL_REQUEST = {
    "benefit": "zasilek_okresowy",
    "application_date": "2026-11-05",
    "non_cooperation": True,
    "members": [
        {
            "id": "A",
            "birth_date": "1980-01-01",
            "sex": "M",
            "incomes": [{"kind": "wynagrodzenie", "amount": "1300.00"}],
        }
    ],
}
CELOWY_REQUEST = {
    "benefit": "zasilek_celowy",
    "application_date": "2026-12-02",
    "requested_amount": "400.00",
    "members": [
        {
            "id": "A",
            "birth_date": "1950-01-01",
            "sex": "K",
            "incomes": [{"kind": "emerytura", "amount": "800.00"}],
        }
    ],
}
ART7 = [("4", "bezrobocie"), ("6", "długotrwała lub ciężka choroba")]


def _bases(result: dict) -> tuple[str, ...]:
    return tuple(s["basis"] for s in result["trace"])


def _draft(kind: str, sex: str, request: dict | None = None, **kw: object) -> str:
    result = calculate_document(request) if request else {}
    defaults: dict[str, object] = {
        "kind": kind,
        "addressee_name": "Anna Nowak" if sex == "K" else "Jan Kowalski",
        "application_date": date(2026, 11, 5),
        "benefit_label": "",
        "trace": result.get("trace", []),
        "interview_date": date(2026, 11, 12),
        "interview_summary": "rodzina w trudnej sytuacji materialnej po utracie pracy",
        "reasons": result.get("reasons") or None,
        "sex": sex,
        "benefit": (request or {}).get("benefit", ""),
        "request": request,
        "result": result,
        "art7": ART7,
    }
    defaults.update(kw)
    return documents.justification_draft(**defaults)  # type: ignore[arg-type]


def okresowy_grant() -> documents.DecisionContent:
    result = calculate_document(OKRESOWY_REQUEST)
    line = documents.ContentLine(
        "zasilek_okresowy", True, Decimal("673.00"), date(2026, 11, 1), date(2027, 2, 1)
    )
    text = _draft(
        DecisionKind.GRANT,
        "K",
        OKRESOWY_REQUEST,
        line=line,
        amount_reason="Strona wychowuje dziecko i otrzymuje wynagrodzenie z umowy na część etatu",
        immediate_reason="ochronę zdrowia dziecka",
    )
    return replace(
        CASES[DecisionKind.GRANT],
        addressee=documents.Addressee("Anna Nowak", ("ul. Sienkiewicza 1", "25-001 Kielce"), "K"),
        lines=(line,),
        trace_bases=_bases(result),
        justification=text,
        immediate=True,
        immediate_reason="ochronę zdrowia dziecka",
    )


def refusal() -> documents.DecisionContent:
    result = calculate_document(REFUSAL_REQUEST)
    line = documents.ContentLine(
        "zasilek_okresowy", False, Decimal("0.00"), date(2026, 11, 1), date(2027, 2, 1)
    )
    return replace(
        CASES[DecisionKind.REFUSAL],
        addressee=documents.Addressee("Jan Kowalski", ("ul. Leśna 2", "25-002 Kielce"), "M"),
        lines=(line,),
        trace_bases=_bases(result),
        justification=_draft(DecisionKind.REFUSAL, "M", REFUSAL_REQUEST, line=line),
    )


def celowy_grant() -> documents.DecisionContent:
    result = calculate_document(CELOWY_REQUEST)
    line = documents.ContentLine(
        "zasilek_celowy",
        True,
        Decimal("400.00"),
        date(2026, 12, 1),
        date(2027, 1, 1),
        one_off=True,
        purpose="zakup opału na zimę",
    )
    return replace(
        CASES[DecisionKind.GRANT],
        lines=(line,),
        trace_bases=_bases(result),
        justification=_draft(
            DecisionKind.GRANT,
            "K",
            CELOWY_REQUEST,
            line=line,
            application_date=date(2026, 12, 2),
            period_reason="potrzeba zakupu opału jest bieżąca",
        ),
    )


def every_kind() -> dict[str, documents.DecisionContent]:
    """Each kind with the justification the system drafts for it."""
    out: dict[str, documents.DecisionContent] = {}
    for kind, content in CASES.items():
        text = _draft(
            kind,
            "K",
            reasons=["Strona podjęła zatrudnienie od 1 grudnia 2026 r."]
            if kind not in (DecisionKind.GRANT, DecisionKind.REFUSAL, DecisionKind.FEE)
            else None,
        )
        out[kind] = replace(content, justification=text)
    out[DecisionKind.GRANT] = okresowy_grant()
    out[DecisionKind.REFUSAL] = refusal()
    out["celowy"] = celowy_grant()
    return out


def pdf_text(content: documents.DecisionContent) -> str:
    pdf = documents.render_pdf(documents.render_html(content))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


KINDS = every_kind()
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODES = ("obywatel_pl", "zasilek_okresowy", "zasilek_celowy", "zasilek_staly", "wnioskodawca")


@pytest.mark.parametrize("kind", list(KINDS), ids=str)
def test_every_decision_pdf_has_nothing_internal(kind: str) -> None:
    """art. 107 § 3 KPA — the client reads the decision: no codes, ids, ISO dates, „(a)”,
    ⚠ notes or calculator remarks in the PDF as it is read back."""
    text = pdf_text(KINDS[kind])
    assert documents.internal_markers(text) == []
    assert not ISO_DATE.search(text)
    assert "(a)" not in text and "⚠" not in text and "Osoba A" not in text
    assert not any(code in text for code in CODES)
    assert "Zarządzenie" not in text and "kalkulator" not in text


@pytest.mark.parametrize("kind", list(KINDS), ids=str)
def test_every_decision_cites_each_provision_once_and_no_definition(kind: str) -> None:
    """art. 107 § 1 pkt 4 KPA: each article cited once; art. 6 u.p.s. (definitions) and
    internal orders are not a legal basis; the authorisation (art. 110 ust. 7 i 8 u.p.s.,
    art. 268a KPA) is."""
    content = KINDS[kind]
    cited = documents.legal_basis(content)
    assert len(cited) == len(set(cited))
    assert all(not c.startswith("art. 6 ") for c in cited)
    assert not any("zarządzeni" in c.lower() for c in cited)
    assert "art. 268a KPA" in cited
    assert any(c.startswith("art. 110 ust. 7 i 8") for c in cited)
    # one citation per article and act: no „art. 8 ust. 1” beside „art. 8 ust. 1 pkt 1–2”
    keys = [(c.split(" ")[0], c.split(" ")[1], c.rsplit(" ", 1)[-1]) for c in cited]
    assert len(keys) == len(set(keys))


def test_grant_justification_states_facts_and_reasons_for_amount_period_and_rygor() -> None:
    """art. 107 § 3 KPA; art. 38 ust. 2–5 u.p.s. (discretionary amount and period); art. 108
    § 1 KPA (rygor): facts found and the reasons for each discretionary choice."""
    text = pdf_text(KINDS[DecisionKind.GRANT])
    # facts: application, interview, household, income month and amounts
    assert "W dniu 5 listopada 2026 r. Pani Anna Nowak złożyła wniosek o przyznanie zasiłku" in (
        text
    )
    assert "W dniu 12 listopada 2026 r. pracownik socjalny przeprowadził z Panią Anną Nowak" in (
        text
    )
    assert "rodzina liczy 2 osoby" in text
    assert "w październiku 2026 r." in text and "300,00 zł" in text and "150,00 zł" in text
    # art. 7 reasons in words
    assert "bezrobocie (pkt 4)" in text and "długotrwała lub ciężka choroba (pkt 6)" in text
    # why eligible and why this amount within the range
    assert "jest niższy od kryterium (1 646,00 zł)" in text
    assert "(1 346,00 zł)" in text and "(673,00 zł)" in text
    assert "ponieważ Strona wychowuje dziecko" in text
    # why this period and why rygor
    assert "na okres od 1 listopada 2026 r. do 31 stycznia 2027 r. (art. 38 ust. 5 u.p.s.)" in (
        text
    )
    assert "rygor natychmiastowej wykonalności na podstawie art. 108 § 1 KPA" in text
    # the party is named in the dative in the ruling
    assert "Przyznać Pani Annie Nowak zasiłek okresowy" in text
    assert "złożył(a)" not in text and "wystąpił" not in text


def test_refusal_explains_each_ground() -> None:
    """art. 107 § 3 KPA: a refusal explains every ground (art. 11 ust. 2 and art. 38 ust. 1)."""
    text = pdf_text(KINDS[DecisionKind.REFUSAL])
    assert "Odmówić Panu Janowi Kowalskiemu przyznania zasiłku okresowego" in text
    assert "z następujących przyczyn" in text
    assert "1) brak współdziałania" in text and "art. 11 ust. 2 u.p.s." in text
    assert "2) dochód (1 300,00 zł) nie jest niższy" in text
    assert "Pan Jan Kowalski złożył wniosek" in text


def test_one_off_benefit_names_the_month_declined() -> None:
    text = pdf_text(KINDS["celowy"])
    assert "jednorazowo, w grudniu 2026 r." in text
    assert "Świadczenie ma charakter jednorazowy i zostało przyznane w grudniu 2026 r." in text
    assert "z przeznaczeniem na zakup opału na zimę" in text
    assert "w grudnia" not in text


def test_instalments_are_counted_in_correct_polish() -> None:
    text = pdf_text(KINDS[DecisionKind.INSTALMENTS])
    assert "na 3 raty" in text and "rat(y)" not in text


def test_internal_markers_are_found() -> None:
    assert documents.internal_markers("Strona wystąpił(a) z wnioskiem") != []
    assert documents.internal_markers("tytuł pobytu: obywatel_pl") != []
    assert documents.internal_markers("z dnia 2026-11-05") != []
    assert documents.internal_markers("⚠ wymaga potwierdzenia") != []
    assert documents.internal_markers("W dniu 5 listopada 2026 r. Pan Jan Kowalski") == []


# ---------------------------------------------------------------- the legal basis as a rule

POOL = [
    "art. 8 ust. 1 u.p.s.",
    "art. 8 ust. 1 pkt 1–2 u.p.s.; Rozporządzenie Rady Ministrów z dnia 12 lipca 2024 r. w "
    "sprawie zweryfikowanych kryteriów dochodowych (Dz.U. 2024 poz. 1044)",
    "art. 8 ust. 3 u.p.s.",
    "art. 6 u.p.s.; art. 8 ust. 1 u.p.s.",
    "art. 6 pkt 16 u.p.s.",
    "art. 38 ust. 1 pkt 2 u.p.s.",
    "art. 38 ust. 2–4 u.p.s.",
    "art. 38 ust. 3 u.p.s.",
    "art. 39 ust. 1–2 u.p.s.",
    "Zarządzenie nr 48/2021 Dyrektora MOPR w Kielcach",
    "art. 104 KPA",
    "art. 108 § 1 KPA",
    "art. 110 ust. 7 i 8 u.p.s.; art. 268a KPA",
]


@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=30))
def test_legal_basis_is_unique_ordered_and_stable_under_repetition(bases: list[str]) -> None:
    """Whatever the trace repeats, each provision is cited once, definitions (art. 6 u.p.s.)
    and a director's order never, the Act before the regulation before KPA."""
    cited = basis.citations(bases)
    shorts = [c.short for c in cited]
    assert len(shorts) == len(set(shorts))
    assert not any(c.startswith("art. 6 ") for c in shorts)
    assert not any("arządzeni" in c for c in shorts)
    assert [c.rank for c in cited] == sorted(c.rank for c in cited)
    assert [c.short for c in basis.citations(bases + bases)] == shorts
    assert basis.render(cited).count("ustawy z dnia 12 marca 2004 r.") <= 1


def test_contained_citations_are_merged_into_one_per_article() -> None:
    cited = [c.short for c in basis.citations(POOL)]
    assert "art. 8 ust. 1 pkt 1–2 i ust. 3 u.p.s." in cited
    assert "art. 38 ust. 1 pkt 2 i ust. 2–4 u.p.s." in cited
    assert "art. 110 ust. 7 i 8 u.p.s." in cited


# ---------------------------------------------------------------- drafted from the case file


@pytest.mark.django_db
@pytest.mark.parametrize(
    "benefit", ["zasilek_staly", "zasilek_okresowy", "zasilek_celowy", "refused"]
)
def test_draft_from_application_writes_a_clean_justification(
    benefit, ready_application, users
) -> None:
    """art. 107 § 3 KPA: the first draft from the application, interview and calculation has
    the facts (application date, interview, income month) and nothing internal."""
    from ostoja.decisions import services

    app = ready_application(benefit)
    d = services.decision_draft_from_application(
        application=app,
        actor=users["socjalny"],
        amount_reason="koszty leczenia udokumentowane w wywiadzie",
        period_reason="do czasu rozpatrzenia wniosku o świadczenie z ZUS",
    )
    text = d.justification
    assert documents.internal_markers(text) == []
    assert "W dniu 3 listopada 2026 r." in text
    verb = "złożyła" if app.applicant.sex == "K" else "złożył"
    assert f"{verb} wniosek" in text
    assert "w październiku 2026 r." in text
    assert "ubóstwo (pkt 1)" in text  # art. 7 reason from the application, in words
    if benefit in ("zasilek_okresowy", "zasilek_celowy"):
        assert "ponieważ koszty leczenia udokumentowane w wywiadzie" in text
    if benefit == "zasilek_okresowy":
        assert "do czasu rozpatrzenia wniosku o świadczenie z ZUS" in text
    if benefit == "refused":
        assert d.kind == DecisionKind.REFUSAL and "Organ odmówił przyznania" in text
    # the drafter may edit it before the check, and every version is kept
    edited = services.decision_justification_edit(
        decision=d,
        text=text + "\n\nDopisek pracownika.",
        expected_version=d.version,
        actor=users["socjalny"],
    )
    assert edited.justification.endswith("Dopisek pracownika.")


@pytest.mark.django_db
def test_check_refuses_a_justification_with_internal_content(ready_application, users) -> None:
    """art. 107 § 3 KPA: „wystąpił(a)”, codes or ISO dates are stopped at the check."""
    from ostoja.core.errors import ValidationFailed
    from ostoja.decisions import services

    d = services.decision_draft_from_application(
        application=ready_application("zasilek_staly"), actor=users["socjalny"]
    )
    d = services.decision_justification_edit(
        decision=d,
        text="Strona wystąpił(a) z wnioskiem dnia 2026-11-03; tytuł pobytu: obywatel_pl.",
        expected_version=d.version,
        actor=users["socjalny"],
    )
    with pytest.raises(ValidationFailed) as exc:
        services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    message = exc.value.errors["justification"][0]
    assert "wystąpił(a)" in message and "obywatel_pl" in message and "2026-11-03" in message


def test_fee_decision_speaks_of_a_fee_not_a_benefit() -> None:
    line = documents.ContentLine("oplata_dps", True, Decimal("1645.30"), date(2026, 12, 1), None)
    text = _draft(DecisionKind.FEE, "M", benefit="oplata_dps", line=line, art7=())
    assert "Odpłatność ustalono od 1 grudnia 2026 r. na czas nieokreślony" in text
    assert "Świadczenie przyznano" not in text
