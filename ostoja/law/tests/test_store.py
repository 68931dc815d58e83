"""Dated parameters: lookup of the value in force, loader checks, overrides."""

import itertools
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from ostoja.law.errors import ParameterFileError, ParameterNotFound
from ostoja.law.store import ParameterStore, default_store

SIMPLE = """
[[x]]
valid_from = 2020-01-01
valid_to = 2021-01-01
value = "1.00"
source = "akt A"

[[x]]
valid_from = 2021-01-01
value = "2.00"
source = "akt B"
"""


def test_criteria_art_8_ust_1_in_force_on_each_date():
    """Art. 8 ust. 1 u.p.s.: 701/528 from 2018-10-01, 776/600 from 2022, 1010/823 from 2025."""
    s = default_store()
    expected = [
        (date(2018, 10, 1), "701.00", "528.00"),
        (date(2021, 12, 31), "701.00", "528.00"),
        (date(2022, 1, 1), "776.00", "600.00"),
        (date(2024, 12, 31), "776.00", "600.00"),
        (date(2025, 1, 1), "1010.00", "823.00"),
        (date(2026, 6, 30), "1010.00", "823.00"),
    ]
    for on, single, per_person in expected:
        r = s.get("kryterium_dochodowe", on)
        assert r["single"] == Decimal(single)
        assert r["per_person"] == Decimal(per_person)
        assert r.source


def test_criterion_before_2018_10_01_raises_clear_error():
    with pytest.raises(ParameterNotFound) as exc:
        default_store().get("kryterium_dochodowe", date(2018, 9, 30))
    assert "kryterium_dochodowe" in str(exc.value)
    assert "2018-09-30" in str(exc.value)


def test_dated_amounts_art_37_and_art_8_ust_9():
    """Art. 37 ust. 2–3 (cap, floor, 130 % from 2024) and art. 8 ust. 9 (per-hectare)."""
    s = default_store()
    assert s.get("zasilek_staly", date(2023, 12, 31))["floor"] == Decimal("30.00")
    assert s.get("zasilek_staly", date(2023, 12, 31))["base_percent"] == Decimal("100")
    assert s.get("zasilek_staly", date(2024, 1, 1))["floor"] == Decimal("100.00")
    assert s.get("zasilek_staly", date(2024, 1, 1))["cap_single"] == Decimal("1000.00")
    assert s.get("zasilek_staly", date(2024, 1, 1))["base_percent"] == Decimal("130")
    assert s.get("zasilek_staly", date(2025, 1, 1))["cap_single"] == Decimal("1229.00")
    assert s.get("dochod_z_hektara", date(2024, 6, 1))["amount"] == Decimal("345.00")
    assert s.get("dochod_z_hektara", date(2025, 6, 1))["amount"] == Decimal("459.00")
    assert s.get("posilek_prog", date(2024, 1, 1))["percent"] == Decimal("200")
    assert s.get("oplata_dps", date(2025, 1, 1))["relative_threshold_percent"] == Decimal("300")
    assert s.get("skladka_zdrowotna", date(2025, 1, 1))["rate_percent"] == Decimal("9")


def test_regulation_consistency_art_9_ust_5():
    """law.md §1.3: criteria +234/+223 → art. 9 ust. 5 amounts +229, hectare +114 (2025)."""
    s = default_store()
    old, new = date(2024, 12, 31), date(2025, 1, 1)
    rise = (
        s.get("kryterium_dochodowe", new)["single"]
        - s.get("kryterium_dochodowe", old)["single"]
        + s.get("kryterium_dochodowe", new)["per_person"]
        - s.get("kryterium_dochodowe", old)["per_person"]
    )
    assert rise == Decimal("457.00")
    cap_rise = s.get("zasilek_staly", new)["cap_single"] - s.get("zasilek_staly", old)["cap_single"]
    assert cap_rise == (rise / 2).quantize(Decimal(1), ROUND_HALF_UP)  # 228.50 → 229
    ha_rise = s.get("dochod_z_hektara", new)["amount"] - s.get("dochod_z_hektara", old)["amount"]
    assert ha_rise == (rise / 4).quantize(Decimal(1), ROUND_HALF_UP)  # 114.25 → 114


def test_every_packaged_parameter_covers_every_day_since_its_start():
    """No gaps inside a series: each period ends where the next begins."""
    for name in default_store().names():
        series = default_store().series(name)
        for a, b in itertools.pairwise(series):
            assert a.valid_to == b.valid_from, name
        assert series[-1].valid_to is None, name


def test_core_parameters_available_from_2018_10_01():
    s = default_store()
    for name in [
        "kryterium_dochodowe",
        "dochod_z_hektara",
        "zasilek_staly",
        "zasilek_okresowy",
        "zasilek_okresowy_limit_samotnej",
        "posilek_prog",
        "oplata_dps",
        "wylaczenia_dochodu",
        "tytuly_pobytu",
        "terminy_kpa",
        "wywiad_terminy",
    ]:
        s.get(name, date(2018, 10, 1))


def test_lookup_boundaries_half_open():
    s = ParameterStore.from_texts({"t.toml": SIMPLE})
    assert s.get("x", date(2020, 12, 31))["value"] == Decimal("1.00")
    assert s.get("x", date(2021, 1, 1))["value"] == Decimal("2.00")
    with pytest.raises(ParameterNotFound):
        s.get("x", date(2019, 12, 31))
    with pytest.raises(ParameterNotFound):
        s.get("nope", date(2021, 1, 1))


def test_overlapping_periods_are_rejected_by_the_loader():
    text = SIMPLE.replace("valid_to = 2021-01-01", "valid_to = 2021-02-01")
    with pytest.raises(ParameterFileError, match="nakładają się"):
        ParameterStore.from_texts({"t.toml": text})


def test_two_open_ended_periods_overlap():
    text = SIMPLE.replace("valid_to = 2021-01-01\n", "")
    with pytest.raises(ParameterFileError, match="nakładają się"):
        ParameterStore.from_texts({"t.toml": text})


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[x]]\nvalid_from = 2020-01-01\nvalue = 1.5\nsource = "a"\n', "zmiennoprzecinkowa"),
        ('[[x]]\nvalid_from = 2020-01-01\nvalue = "1"\n', "źródła"),
        ('[[x]]\nvalue = "1"\nsource = "a"\n', "valid_from"),
        ('[[x]]\nvalid_from = 2020-01-01\nvalid_to = 2019-01-01\nsource = "a"\n', "późniejsze"),
        ('[[x]]\nvalid_from = 2020-01-01\nsource = "a"\nconfirmed = false\n', "note"),
        ("x = 1\n", "tablicą tabel"),
        ("[[x]\n", "TOML"),
    ],
)
def test_loader_rejects_malformed_files(text, message):
    with pytest.raises(ParameterFileError, match=message):
        ParameterStore.from_texts({"t.toml": text})


def test_same_parameter_in_two_packaged_files_is_an_error():
    with pytest.raises(ParameterFileError, match="dwukrotnie"):
        ParameterStore.from_texts({"a.toml": SIMPLE, "b.toml": SIMPLE})


def test_override_directory_replaces_a_whole_series(tmp_path: Path):
    """A Kielce fee table confirmed from the resolution replaces the placeholder by data."""
    (tmp_path / "kielce.toml").write_text(
        """
[[kielce_uslugi_opiekuncze_tabela]]
valid_from = 2022-02-01
criterion_basis = "respective"
free_upto_percent = "100"
source = "Uchwała nr LVI/1111/2022 Rady Miasta Kielce — załącznik (test)"
[[kielce_uslugi_opiekuncze_tabela.bands]]
above = "100"
single = "5"
family = "7"
""",
        encoding="utf-8",
    )
    store = ParameterStore.packaged(override_dir=tmp_path)
    record = store.get("kielce_uslugi_opiekuncze_tabela", date(2025, 1, 1))
    assert record.confirmed
    assert record["bands"][0]["single"] == Decimal("5")
    # other parameters untouched
    assert store.get("kryterium_dochodowe", date(2025, 1, 1))["single"] == Decimal("1010.00")
    with pytest.raises(ParameterFileError):
        default_store().with_overrides(tmp_path / "missing")


def test_unconfirmed_values_carry_a_note():
    for name in default_store().names():
        for record in default_store().series(name):
            if not record.confirmed:
                assert record.note, name


def test_lookup_by_binary_search_keeps_half_open_periods_and_gaps():
    """Issue 19: a cache miss finds the record by binary search over the start dates; the
    periods stay half-open (art. 9 ust. 5 u.p.s. amounts change on the first day of a new
    period, the old one's ``valid_to`` is not in it) and a day in a gap is still an error."""
    store = ParameterStore.from_texts(
        {
            "t.toml": """
[[p]]
valid_from = 2024-01-01
valid_to = 2024-02-29
source = "a"
v = "1"
[[p]]
valid_from = 2024-03-01
valid_to = 2025-01-01
source = "b"
v = "2"
[[p]]
valid_from = 2025-01-01
source = "c"
v = "3"
"""
        }
    )
    assert store.get("p", date(2024, 1, 1))["v"] == Decimal(1)
    assert store.get("p", date(2024, 2, 28))["v"] == Decimal(1)
    with pytest.raises(ParameterNotFound):
        store.get("p", date(2024, 2, 29))  # valid_to is exclusive; 29 February in the gap
    with pytest.raises(ParameterNotFound):
        store.get("p", date(2023, 12, 31))
    assert store.get("p", date(2024, 3, 1))["v"] == Decimal(2)
    assert store.get("p", date(2024, 12, 31))["v"] == Decimal(2)
    assert store.get("p", date(2025, 1, 1))["v"] == Decimal(3)
    assert store.get("p", date(2099, 12, 31))["v"] == Decimal(3)
