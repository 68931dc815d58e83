"""A lawyer's read of the decisions issued after issue 14/15 (art. 50, 59 ust. 1 and 2, 61, 97
u.p.s.; art. 107, 108 KPA): a service or a placement is not „granted in the amount of 0,00 zł,
payable by the 10th”; the rygor's reason reads as a sentence; a DPS fee decision addressed to the
resident does not set the relatives' or the gmina's share as hers; a fee decision without an
application does not say „z dnia —”; one article is cited once. No database needed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ostoja.decisions import basis
from ostoja.decisions import documents as d
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.tests.test_documents import base

FROM = date(2026, 11, 26)


def _line(benefit: str, **kw: object) -> d.ContentLine:
    values: dict[str, object] = {
        "benefit": benefit, "granted": True, "amount": Decimal("0"), "period_from": FROM,
        "period_to": None, "payment_method": "rzeczowa",
    }  # fmt: skip
    values.update(kw)
    return d.ContentLine(**values)  # type: ignore[arg-type]


def _points(content: d.DecisionContent) -> str:
    return "\n".join(d.operative_points(content))


def test_referral_art_59_ust_1_refers_to_the_type_of_home_without_an_amount() -> None:
    man = d.Addressee("Jan Kowalski", ("ul. Próbna 1", "25-001 Kielce"), "M")
    c = base(DecisionKind.GRANT, addressee=man,
             lines=(_line("skierowanie_dps", note="dla osób w podeszłym wieku"),))  # fmt: skip
    text = _points(c)
    assert (
        text
        == "Skierować Pana Jana Kowalskiego do domu pomocy społecznej dla osób w podeszłym wieku."
    )
    for wrong in ("0,00 zł", "słownie", "płatne", "Przyznać", "miesięcznie"):
        assert wrong not in text


def test_placement_art_59_ust_2_names_the_home_in_the_accusative_of_either_sex() -> None:
    home = "DPS im. Jana Pawła II, ul. Jagiellońska 76, 25-132 Kielce"
    c = base(DecisionKind.GRANT, lines=(_line("umieszczenie_dps", note=home),))
    assert _points(c) == f"Umieścić Panią Zofię Żółtańską w domu pomocy społecznej: {home}."
    # The sex unknown: the neutral „stronę (…)”, never a wrong honorific.
    anon = d.Addressee("Kim Lee", ("ul. Próbna 1",), "")
    c = base(DecisionKind.GRANT, addressee=anon, lines=(_line("umieszczenie_dps", note=home),))
    assert _points(c).startswith("Umieścić stronę (Kim Lee) w domu pomocy społecznej: ")


def test_care_services_art_50_state_extent_period_place_and_fee_not_a_zero_sum() -> None:
    line = _line(
        "uslugi_opiekuncze",
        period_to=date(2028, 1, 1),
        purpose="w wymiarze 40 godzin miesięcznie (2 godziny dziennie, 5 dni w tygodniu), "
        "w zakresie: zakupy, sprzątanie",
        note="Miejsce świadczenia usług: Kielce, ul. Próbna 1. Odpłatność za usługi wynosi 35% "
        "ceny jednej godziny usług za każdą godzinę wykonanych usług.",
    )
    text = _points(base(DecisionKind.GRANT, lines=(line,)))
    assert text.startswith(
        "Przyznać Pani Zofii Żółtańskiej usługi opiekuńcze w wymiarze 40 godzin miesięcznie "
        "(2 godziny dziennie, 5 dni w tygodniu), w zakresie: zakupy, sprzątanie, "
        "od 26 listopada 2026 r. do 31 grudnia 2027 r. Miejsce świadczenia usług: "
    )
    assert "35% ceny jednej godziny" in text
    for wrong in ("z przeznaczeniem", "0,00 zł", "płatne miesięcznie", "bezgotówkowo"):
        assert wrong not in text


def test_a_cash_benefit_keeps_its_amount_and_payment_even_when_its_line_is_in_kind_style() -> None:
    """The adversary's side: only a non-cash line without a sum loses the amount — a cash
    benefit (zasiłek celowy) still states the sum in figures and words and how it is paid."""
    line = _line("zasilek_celowy", amount=Decimal("300.00"), one_off=True, purpose="zakup opału",
                 payment_method="kasa")  # fmt: skip
    text = _points(base(DecisionKind.GRANT, lines=(line,)))
    assert "z przeznaczeniem na zakup opału w kwocie 300,00 zł (słownie:" in text
    assert "gotówką w kasie" in text
    # A service with a sum (a fee stated as the amount) keeps the amount too.
    priced = _line("uslugi_opiekuncze", amount=Decimal("120.00"), period_to=date(2027, 1, 1))
    assert "120,00 zł" in _points(base(DecisionKind.GRANT, lines=(priced,)))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Stan zdrowia wymaga natychmiastowej opieki.", "— przyczyna: stan zdrowia wymaga "
         "natychmiastowej opieki."),
        ("  osoba samotna wymaga pomocy od zaraz  ", "— przyczyna: osoba samotna wymaga pomocy "
         "od zaraz."),
        ("ZUS wstrzymał rentę...", "— przyczyna: ZUS wstrzymał rentę."),
    ],
)  # fmt: skip
def test_rygor_art_108_reason_stands_after_a_colon_once_punctuated(typed, expected) -> None:
    c = base(DecisionKind.GRANT, lines=(d.ContentLine("zasilek_staly", True, Decimal("100"),
             FROM, None),), immediate=True, immediate_reason=typed)  # fmt: skip
    last = d.operative_points(c)[-1]
    assert last == f"Decyzji nadać rygor natychmiastowej wykonalności (art. 108 § 1 KPA) {expected}"
    assert ".." not in last and "ze względu na" not in last


def test_rygor_justification_of_a_service_speaks_of_care_not_of_payment() -> None:
    common = {
        "kind": DecisionKind.GRANT, "addressee_name": "Zofia Żółtańska", "sex": "K",
        "application_date": FROM, "benefit_label": "usług opiekuńczych", "trace": [],
        "immediate_reason": "Stan zdrowia wymaga opieki.",
    }  # fmt: skip
    service = d.justification_draft(**common, in_kind=True)  # type: ignore[arg-type]
    assert "zwłoka w realizacji świadczenia" in service and "wypłacie" not in service
    assert "okoliczność: stan zdrowia wymaga opieki." in service
    assert "ze względu na stan zdrowia wymaga" not in service
    cash = d.justification_draft(**common)  # type: ignore[arg-type]
    assert "zwłoka w wypłacie świadczenia" in cash


def _dps_fee(*shares: tuple[str, str]) -> d.DecisionContent:
    lines = [
        _line(
            "oplata_dps",
            amount=Decimal("1400.00"),
            period_from=date(2026, 12, 1),
            note="nie więcej niż 70% dochodu mieszkańca — art. 61 ust. 1 pkt 1 u.p.s.",
        )
    ]
    for amount, note in shares:
        lines.append(_line("oplata_dps", amount=Decimal(amount), period_from=date(2026, 12, 1),
                           note=note))  # fmt: skip
    return base(DecisionKind.FEE, lines=tuple(lines), application_date=None)


def test_dps_fee_decision_sets_only_the_residents_fee_art_61_ust_1_pkt_1() -> None:
    c = _dps_fee(
        ("4600.00", "Adam Syn (syn) — art. 61 ust. 1 pkt 2 u.p.s."),
        ("0.00", "Gmina Kielce — art. 61 ust. 1 pkt 3 u.p.s."),
    )
    points = d.operative_points(c)
    assert len(points) == 1
    assert points[0].startswith("Ustalić Pani Zofii Żółtańskiej odpłatność za pobyt w domu "
                                "pomocy społecznej w kwocie 1 400,00 zł")  # fmt: skip
    assert "4 600,00" not in points[0]
    info = d.fee_others(c)
    assert "Adam Syn (syn) — 4 600,00 zł miesięcznie (art. 61 ust. 1 pkt 2 u.p.s.)" in info
    assert "art. 103 ust. 2 u.p.s." in info and "Gmina" not in info  # a zero share left out
    html = d.render_html(c)
    assert "Adam Syn (syn) — 4 600,00 zł" in html and "z dnia —" not in html
    # Only the gmina pays the rest: no sentence about an agreement with relatives.
    only_city = _dps_fee(("600.00", "Gmina Kielce — art. 61 ust. 1 pkt 3 u.p.s."))
    assert "Gmina Kielce — 600,00 zł" in d.fee_others(only_city)
    assert "umowie" not in d.fee_others(only_city)
    # Another kind of decision never carries the paragraph.
    assert d.fee_others(base(DecisionKind.GRANT, lines=c.lines)) == ""


def test_fee_decision_intro_without_an_application_has_no_dash_date() -> None:
    c = base(DecisionKind.FEE, application_date=None,
             lines=(_line("schronienie", amount=Decimal("240.00")),))  # fmt: skip
    html = d.render_html(c)
    assert "z dnia —" not in html and "po przeprowadzeniu rodzinnego wywiadu" in html
    with_app = d.render_html(base(DecisionKind.FEE, lines=c.lines))
    assert "po rozpatrzeniu wniosku z dnia 3 listopada 2026 r. oraz po przeprowadzeniu" in with_app


def test_one_article_cited_once_ust_1a_and_a_span_of_articles() -> None:
    cited = basis.render(basis.citations(
        ["art. 97 ust. 1 i 5 u.p.s.", "art. 97 ust. 1, 1a i 5 u.p.s.", "art. 60–61 u.p.s."]
    ))  # fmt: skip
    assert cited.startswith("art. 60–61 i art. 97 ust. 1, 1a i 5 ustawy z dnia 12 marca 2004 r.")
    assert cited.count("art. 97") == 1 and "–61 i" in cited and "60 –" not in cited


def test_fee_and_repayment_name_the_centres_account_once_configured() -> None:
    """Art. 107 § 1 KPA: the ruling says where to pay — the centre's NRB in groups of four;
    without a configured account the generic words stay (never an empty „nr ”)."""
    from dataclasses import replace

    from ostoja.decisions.tests.test_documents import AUTHORITY, NRB

    with_account = replace(AUTHORITY, bank_account=NRB)
    fee_line = _line("schronienie", amount=Decimal("240.00"))
    fee = base(DecisionKind.FEE, authority=with_account, lines=(fee_line,))
    assert "na rachunek bankowy ośrodka nr 61 1090 1014 0000 0712 1981 2874." in _points(fee)
    recovery = base(DecisionKind.RECOVERY, authority=with_account,
                    recovery_amount=Decimal("500.00"), recovery_due=date(2027, 1, 15))  # fmt: skip
    assert "na rachunek bankowy ośrodka nr 61 1090 1014 0000 0712 1981 2874." in _points(recovery)
    without = _points(base(DecisionKind.FEE, lines=(fee_line,)))
    assert "na rachunek ośrodka." in without and "nr ." not in without


def test_fee_justification_states_the_figures_and_the_law_not_only_the_closing() -> None:
    """Art. 107 § 3 KPA: a fee decision's reasons of fact and law. An art. 97 fee: the criterion,
    the income and the table's percentage, without the internal ⚠ step; a DPS fee: the average
    cost and the resident's own share — never a relative's income (art. 100 u.p.s.)."""
    art97 = [
        {"step": "Kryterium dochodowe osoby samotnie gospodarującej", "value": "1 010,00 zł",
         "basis": "art. 8 ust. 1 u.p.s."},
        {"step": "Dochód na osobę", "value": "1 500,00 zł (148,51% kryterium)",
         "basis": "art. 8 u.p.s."},
        {"step": "Opłata: procent miesięcznego kosztu miejsca według uchwały rady gminy",
         "value": "20% × 1 200,00 zł = 240,00 zł", "basis": "art. 97 ust. 1, 1a i 5 u.p.s."},
        {"step": "⚠ Stawki uchwały niepotwierdzone", "value": "tabela zastępcza", "basis": ""},
    ]  # fmt: skip
    common = {"kind": DecisionKind.FEE, "addressee_name": "Jan Kowalski", "sex": "M",
              "application_date": None, "benefit_label": "schronienia"}  # fmt: skip
    text = d.justification_draft(**common, trace=art97)  # type: ignore[arg-type]
    assert "Dochód na osobę: 1 500,00 zł (148,51% kryterium)" in text
    assert "20% × 1 200,00 zł = 240,00 zł" in text and "art. 97 u.p.s." in text
    assert "⚠" not in text and "tabela zastępcza" not in text
    assert text.rstrip().endswith("orzeczono jak w sentencji.")
    dps = [
        {"step": "Średni miesięczny koszt utrzymania w DPS", "value": "6 000,00 zł",
         "basis": "art. 60–61 u.p.s."},
        {"step": "Mieszkaniec: nie więcej niż 70% własnego dochodu", "value": "1 400,00 zł",
         "basis": "art. 61 ust. 1 pkt 1 u.p.s."},
        {"step": "Adam Syn: dochód gospodarstwa domowego krewnego ustalony według art. 8",
         "value": "8 000,00 zł", "basis": "art. 61 ust. 2 pkt 1 u.p.s."},
    ]  # fmt: skip
    text = d.justification_draft(**common, trace=dps)  # type: ignore[arg-type]
    assert "Średni miesięczny koszt utrzymania w DPS: 6 000,00 zł" in text
    assert "nie większej niż 70% swojego dochodu" in text
    assert "Adam Syn" not in text and "8 000,00" not in text
    # Another kind keeps the trace out of the text, as before.
    grant = d.justification_draft(**{**common, "kind": DecisionKind.GRANT}, trace=art97)  # type: ignore[arg-type]
    assert "Dochód na osobę: 1 500,00" not in grant


def test_dps_referral_and_placement_are_titled_by_their_matter() -> None:
    ref = base(
        DecisionKind.GRANT, lines=(_line("skierowanie_dps", note="dla osób w podeszłym wieku"),)
    )
    assert d.document_context(ref)["subtitle"] == "w sprawie skierowania do domu pomocy społecznej"
    pl = base(DecisionKind.GRANT, lines=(_line("umieszczenie_dps", note="DPS, ul. Próbna 1"),))
    assert d.document_context(pl)["subtitle"] == "w sprawie umieszczenia w domu pomocy społecznej"
    # Any other grant, or a mixed one, keeps the general title.
    mixed = base(DecisionKind.GRANT, lines=(*ref.lines, _line("uslugi_opiekuncze")))
    assert d.document_context(mixed)["subtitle"] == d.KIND_TITLES[DecisionKind.GRANT]
