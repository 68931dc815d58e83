"""Property-based tests (hypothesis) of the calculators and the parameter lookup."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ostoja.law.benefits import zasilek_okresowy, zasilek_staly
from ostoja.law.household import Household
from ostoja.law.store import default_store

from .helpers import case, item, person

amounts = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(2018, 10, 1), max_value=date(2027, 12, 31))
sizes = st.integers(min_value=1, max_value=6)


def household(incomes: list[Decimal]) -> Household:
    members = []
    for i, inc in enumerate(incomes):
        its = (item("emerytura", str(inc)),) if inc else ()
        members.append(
            person(f"P{i}", *its, role="wnioskodawca" if i == 0 else "inny", birth=date(1940, 1, 1))
        )
    return Household(tuple(members))


@settings(max_examples=300, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=6), dates)
def test_okresowy_never_negative_within_range_and_floor_art_38(incomes, on):
    r = zasilek_okresowy.calculate(case(household(incomes), on))
    assert r.amount is not None and r.amount >= 0
    if r.eligible:
        assert r.amount_min is not None and r.amount_max is not None
        assert Decimal("20.00") <= r.amount_min <= r.amount_max
        assert r.amount_min <= r.monthly_amount <= r.amount_max
        crit = default_store().get("kryterium_dochodowe", on)
        if len(incomes) == 1:
            assert r.amount_max <= max(crit["per_person"], Decimal("20.00"))
    else:
        assert r.amount == 0


@settings(max_examples=300, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=6), dates)
def test_staly_never_negative_below_floor_or_above_cap_art_37(incomes, on):
    r = zasilek_staly.calculate(case(household(incomes), on))
    params = default_store().get("zasilek_staly", on)
    assert r.amount is not None and r.amount >= 0
    if r.eligible:
        assert r.monthly_amount >= params["floor"]
        if len(incomes) == 1:
            assert r.monthly_amount <= params["cap_single"]
        # Every income here is a pension: an applicant with one is insured as a pensioner.
        expected = (
            Decimal("0.00")
            if incomes[0]
            else (r.amount * Decimal("0.09")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
        assert r.health_contribution == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=5), st.integers(0, 4), amounts, dates)
def test_more_income_never_raises_a_benefit(incomes, who, extra, on):
    who = who % len(incomes)
    richer = list(incomes)
    richer[who] += extra
    for calc in (zasilek_okresowy.calculate, zasilek_staly.calculate):
        base = calc(case(household(incomes), on))
        more = calc(case(household(richer), on))
        assert more.monthly_amount <= base.monthly_amount
        assert more.amount <= base.amount
        if base.amount_max is not None and more.amount_max is not None:
            assert more.amount_max <= base.amount_max
            assert more.amount_min <= base.amount_min


@settings(max_examples=200, deadline=None)
@given(amounts, dates)
def test_household_of_one_uses_single_person_rules_art_6_and_art_38(income, on):
    """A one-person household is „osoba samotnie gospodarująca”: the single-person criterion
    and cap apply — never the per-person-in-family criterion with n = 1."""
    crit = default_store().get("kryterium_dochodowe", on)
    r = zasilek_okresowy.calculate(case(household([income]), on))
    assert r.income.criterion == crit["single"]
    if income < crit["single"]:
        gap = crit["single"] - income
        assert r.eligible
        # Issue 22: the cap is the fixed 418 zł before 2024, then the per-person criterion.
        rule = default_store().get("zasilek_okresowy_limit_samotnej", on)["cap"]
        cap = crit["per_person"] if rule == "kryterium_na_osobe" else Decimal(rule)
        assert r.amount_max == max(min(gap, cap), Decimal("20.00"))
    else:
        assert not r.eligible


@settings(max_examples=200, deadline=None)
@given(amounts, st.integers(2, 6), dates)
def test_family_income_split_among_members_does_not_matter_for_okresowy(total, n, on):
    """Art. 38: a family's zasiłek okresowy depends on the family's total income only."""
    a = household([total] + [Decimal(0)] * (n - 1))
    b = household([Decimal(0)] * (n - 1) + [total])
    ra = zasilek_okresowy.calculate(case(a, on))
    rb = zasilek_okresowy.calculate(case(b, on))
    assert (ra.eligible, ra.amount_min, ra.amount_max) == (
        rb.eligible,
        rb.amount_min,
        rb.amount_max,
    )


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2018, 10, 1), max_value=date(2030, 12, 31)))
def test_parameter_lookup_picks_the_value_in_force(on):
    for name in ("kryterium_dochodowe", "zasilek_staly", "dochod_z_hektara", "posilek_prog"):
        record = default_store().get(name, on)
        assert record.valid_from <= on
        assert record.valid_to is None or on < record.valid_to
        for other in default_store().series(name):
            if other is not record:
                assert not other.period.contains(on)
        # The day before valid_from belongs to another record (or none).
        before = record.valid_from - timedelta(days=1)
        assert not record.period.contains(before)
