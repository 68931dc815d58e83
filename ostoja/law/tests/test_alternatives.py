"""Other benefits the same facts qualify for (art. 37, 38, 41 pkt 1 u.p.s.; the duty to inform
the party of its rights, art. 9 KPA) — pure, with the other calculation's figures as trace."""

from datetime import date

from ostoja.law.alternatives import alternatives
from ostoja.law.benefits import calculate
from ostoja.law.household import Household

from .helpers import case, item, person


def _hints(hh: Household, benefit: str, **kw):
    c = case(hh, date(2026, 11, 5), **kw)
    return alternatives(c, benefit, calculate(c, benefit))


def test_okresowy_applicant_of_retirement_age_qualifies_for_zasilek_staly_art_37_ust_1():
    hh = Household((person("A", item("alimenty", "600"), birth=date(1950, 3, 1), sex="K"),))
    [hint] = _hints(hh, "zasilek_okresowy")
    assert hint.benefit == "zasilek_staly" and hint.relation == "lepiej odpowiada sytuacji"
    assert "art. 37" in hint.basis
    assert "713,00 zł" in hint.trace[0].value or "713.00" in hint.trace[0].value


def test_celowy_applicant_with_moderate_disability_also_qualifies_for_stały_art_37():
    hh = Household((person("A", birth=date(1980, 1, 1), disability="umiarkowany"),))
    [hint] = _hints(hh, "zasilek_celowy", requested_amount=None)
    assert hint.benefit == "zasilek_staly" and hint.relation == "przysługuje także"


def test_staly_refused_for_ability_to_work_points_to_okresowy_art_38():
    hh = Household((person("A", item("alimenty", "300"), birth=date(1985, 1, 1)),))
    [hint] = _hints(hh, "zasilek_staly")
    assert hint.benefit == "zasilek_okresowy" and "art. 38" in hint.basis


def test_income_above_criterion_points_to_specjalny_zasilek_celowy_art_41_pkt_1():
    hh = Household((person("A", item("alimenty", "1005"), birth=date(1985, 1, 1)),))
    assert [h.benefit for h in _hints(hh, "zasilek_okresowy")] == []  # 1005 < 1010: no
    hh = Household((person("A", item("alimenty", "1100"), birth=date(1985, 1, 1)),))
    assert [h.benefit for h in _hints(hh, "zasilek_okresowy")] == ["specjalny_zasilek_celowy"]


def test_working_age_applicant_gets_no_hint():
    hh = Household((person("A", item("wynagrodzenie", "500"), birth=date(1990, 1, 1)),))
    assert _hints(hh, "zasilek_okresowy") == ()
