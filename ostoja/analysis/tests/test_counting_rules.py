"""MRPiPS-03 counting rules, case by case, on hand-made ledger entries (no database).

Rules per reporting.md §1.5 and formats.md §6.4 (⚠ standard practice to verify against the
current CAS explanatory notes); art. 7 u.p.s. for the reasons section.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from ostoja.analysis import mrpips03
from ostoja.analysis.layout import layout_for, layouts, validate_layout
from ostoja.analysis.periods import ReportPeriod, last_completed_half_year, parse_period
from ostoja.cases.models import ART7_REASONS
from ostoja.core.errors import ValidationFailed
from ostoja.decisions.catalog import BENEFITS
from ostoja.decisions.lines import TaskType

OWN = TaskType.GMINA_OWN_MANDATORY.value
OPTIONAL = TaskType.GMINA_OWN_OPTIONAL.value
COMMISSIONED = TaskType.GMINA_COMMISSIONED.value
H1 = ReportPeriod(2026, half=True)


@dataclass(frozen=True)
class E:
    payment_id: int
    case_id: int
    person_id: int
    benefit: str
    amount: Decimal
    task_type: str = OWN
    decision_id: int = 1
    payments: int = 1


def report(entries: list[E], sizes: dict[int, int] | None = None, reasons=None):
    facts = mrpips03.Facts(
        entries=tuple(entries),
        family_sizes=sizes or {e.case_id: 1 for e in entries},
        case_reasons={c: frozenset(r) for c, r in (reasons or {}).items()},
    )
    return mrpips03.compute(period=H1, layout=layout_for(H1.start), facts=facts)


def d(x: str) -> Decimal:
    return Decimal(x)


def test_one_person_two_payments_of_one_benefit_counts_once_in_the_row():
    """Col. 1: a person once per row however many payments (reporting.md §1.5 rule 1);
    col. 2 counts each payment (rule 2), col. 3 adds the money (rule 3)."""
    r = report(
        [E(1, 10, 100, "zasilek_okresowy", d("500")), E(2, 10, 100, "zasilek_okresowy", d("500"))]
    )
    assert r.value("1B.ZO.persons") == 1
    assert r.value("1B.ZO.benefits") == 2
    assert r.value("1B.ZO.amount") == d("1000.00")
    assert r.value("1B.ZO.families") == 1


def test_one_person_in_several_benefits_counts_in_each_row_and_once_in_the_total():
    """A person with zasiłek stały and zasiłek celowy: once in each row, once in the total
    (total ≤ Σ rows — reporting.md §1.5 rule 1)."""
    r = report(
        [E(1, 10, 100, "zasilek_staly", d("719")), E(2, 10, 100, "zasilek_celowy", d("300"))]
    )
    assert r.value("1B.ZS.persons") == 1
    assert r.value("1B.ZC.persons") == 1
    assert r.value("1B.TOTAL.persons") == 1
    assert r.value("1B.TOTAL.benefits") == 2
    assert r.value("1B.TOTAL.amount") == d("1019.00")
    assert r.value("1B.TOTAL.families") == 1
    assert r.valid, r.issues


def test_zasilek_celowy_row_counts_a_person_once_across_its_kinds_and_each_w_tym_row():
    """Row ZC groups zasiłek celowy, specjalny (art. 41) and zdarzenie losowe (art. 40): a person
    with two kinds is one person in ZC and one in each "w tym" row."""
    r = report([
        E(1, 10, 100, "zasilek_celowy", d("200")),
        E(2, 10, 100, "specjalny_zasilek_celowy", d("150"), task_type=OPTIONAL),
        E(3, 11, 101, "zasilek_celowy_zdarzenie_losowe", d("1000")),
    ])  # fmt: skip
    assert r.value("1B.ZC.persons") == 2
    assert r.value("1B.ZC.benefits") == 3
    assert r.value("1B.ZC_SPEC.persons") == 1
    assert r.value("1B.ZC_LOS.amount") == d("1000.00")
    assert r.value("1B.TOTAL.persons") == 2  # "w tym" rows are not added again
    assert r.value("1B.TOTAL.benefits") == 3


def test_two_beneficiaries_of_one_family_are_two_persons_one_family():
    """Cols 4–5: distinct families (households) and the persons living in them (rule 4)."""
    r = report(
        [E(1, 10, 100, "zasilek_okresowy", d("400")), E(2, 10, 101, "zasilek_celowy", d("100"))],
        sizes={10: 4},
    )
    assert r.value("1B.TOTAL.persons") == 2
    assert r.value("1B.TOTAL.families") == 1
    assert r.value("1B.TOTAL.family_persons") == 4
    assert r.value("1B.ZO.family_persons") == 4


def test_zasilek_staly_of_which_single_and_in_family():
    """Art. 37 ust. 2 pkt 1 and 2 u.p.s.: osoba samotnie gospodarująca vs pozostająca w rodzinie."""
    r = report(
        [E(1, 10, 100, "zasilek_staly", d("1000")), E(2, 11, 101, "zasilek_staly", d("600"))],
        sizes={10: 1, 11: 3},
    )
    assert r.value("1B.ZS_SAM.persons") == 1
    assert r.value("1B.ZS_SAM.amount") == d("1000.00")
    assert r.value("1B.ZS_ROD.persons") == 1
    assert r.value("1B.ZS_ROD.family_persons") == 3
    assert r.value("1B.ZS.persons") == 2


def test_commissioned_task_goes_to_section_1a_not_1b():
    """Art. 18 u.p.s. (zadania zlecone) → dział 1A; the task type decides, not who pays (rule 6)."""
    r = report(
        [
            E(
                1,
                10,
                100,
                "specjalistyczne_uslugi_opiekuncze_zaburzenia",
                d("800"),
                task_type=COMMISSIONED,
            )
        ]
    )
    assert r.value("1A.ZL_SUO_ZAB.persons") == 1
    assert r.value("1A.TOTAL.amount") == d("800.00")
    assert r.value("1B.TOTAL.persons") == 0


def test_reasons_count_a_family_under_every_reason_but_once_in_the_total():
    """Art. 7 u.p.s.: a family with ubóstwo (pkt 1) and bezrobocie (pkt 4) appears in both rows;
    reason rows do not add up to the total (reporting.md §1.4)."""
    r = report(
        [E(1, 10, 100, "zasilek_okresowy", d("500")), E(2, 11, 101, "zasilek_okresowy", d("500"))],
        sizes={10: 3, 11: 1},
        reasons={10: {"1", "4"}, 11: {"1"}},
    )
    assert r.value("2.R01.families") == 2
    assert r.value("2.R04.families") == 1
    assert r.value("2.R04.family_persons") == 3
    assert r.value("2.TOTAL.families") == 2
    assert r.value("2.TOTAL.family_persons") == 4
    assert r.value("2.R01.rural_families") == 0  # Kielce has no rural area (formats.md §6.4)


def test_summed_ledger_lines_count_their_payments():
    """Col. 2 from ledger lines summed in SQL: a line of six monthly payments is six benefits."""
    r = report([E(1, 10, 100, "zasilek_staly", d("4314.00"), payments=6)])
    assert r.value("1B.ZS.benefits") == 6
    assert r.value("1B.ZS.persons") == 1


def test_empty_period_is_all_zeros_and_valid():
    r = report([])
    assert r.value("1B.TOTAL.persons") == 0
    assert r.value("1B.TOTAL.amount") == d("0.00")
    assert r.valid


def test_a_benefit_on_no_row_fails_validation():
    """Cross-check: every executed payment must land on a row of the form."""
    r = report([E(1, 10, 100, "zasilek_okresowy", d("500"), task_type="powiat_wlasne")])
    assert not r.valid
    assert "nie trafia do żadnego wiersza" in r.issues[0].message


def test_layout_cross_check_from_configuration_fails_when_broken():
    """The layout's own check: składka zdrowotna only for zasiłek stały recipients."""
    r = report([E(1, 10, 100, "skladka_zdrowotna", d("70"))])
    assert any("Składki zdrowotne" in i.message for i in r.issues)


# ----------------------------------------------------------------- configuration and periods


def test_every_layout_is_consistent_and_maps_known_codes():
    """Rows name benefit codes of the decisions catalogue and art. 7 reason codes."""
    assert layouts()
    for lay in layouts():
        validate_layout(lay)
        for s in lay.sections:
            for r in s.rows:
                assert set(r.benefits) <= set(BENEFITS), (s.code, r.code)
                assert set(r.reasons) <= set(ART7_REASONS), (s.code, r.code)


def test_every_benefit_of_the_catalogue_has_a_row():
    lay = layout_for(H1.start)
    mapped = {
        (t, b) for s in lay.sections for r in s.rows for t in s.task_types for b in r.benefits
    }
    for b in BENEFITS.values():
        assert (str(b.budget.task_type), b.code) in mapped, b.code


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("2026-H1", "2026-01-01", "2026-07-01"), ("2025", "2025-01-01", "2026-01-01")],
)
def test_periods_half_year_and_cumulative_year(text, start, end):
    """The annual report covers 1 I – 31 XII, not the second half (reporting.md §1.5)."""
    p = parse_period(text)
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["2026-H2", "26-H1", "2026-h1", "", "abc", "2026-01", None])
def test_invalid_period_names_the_field(text):
    with pytest.raises(ValidationFailed) as exc:
        parse_period(text)
    assert exc.value.as_list()[0]["field"] == "period"


def test_last_completed_period():
    from datetime import date

    assert last_completed_half_year(on=date(2026, 12, 4)).code == "2026-H1"
    assert last_completed_half_year(on=date(2026, 7, 1)).code == "2026-H1"
    assert last_completed_half_year(on=date(2026, 6, 30)).code == "2025"
