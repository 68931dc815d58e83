"""Pure format tests (no database): NRB, Elixir-O field by field, pain.001 against its XSD,
MT940 / CSV statements, the health contribution, the budget table."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest

from ostoja.decisions.lines import FundingSource, TaskType
from ostoja.law.benefits.common import part_month_amount
from ostoja.law.benefits.zasilek_staly import health_contribution
from ostoja.law.periods import YearMonth
from ostoja.payments import budget
from ostoja.payments.formats import accounts, elixir, pain001, statements
from ostoja.payments.formats.text import split_lines

ORDERING = "73102026290000990201234567"
BENEFICIARY = "48109010140000000123456789"


# --------------------------------------------------------------------------- NRB (formats §1)
@pytest.mark.parametrize(
    "nrb",
    ["61109010140000071219812874", ORDERING, BENEFICIARY, "PL48 1090 1014 0000 0001 2345 6789"],
)
def test_valid_nrb_formats_md_1_4(nrb: str) -> None:
    assert len(accounts.validate_nrb(nrb)) == 26


def test_transposed_digits_are_refused() -> None:
    with pytest.raises(accounts.AccountError, match="suma kontrolna"):
        accounts.validate_nrb("73102026290000990201234576")


def test_wrong_length_is_refused_with_polish_message() -> None:
    with pytest.raises(accounts.AccountError, match="26 cyfr"):
        accounts.validate_nrb("1234")


def test_sort_code_and_its_check_digit() -> None:
    assert accounts.sort_code(ORDERING) == "10202629"
    assert accounts.sort_code_check_ok("10205561")
    assert not accounts.sort_code_check_ok("10205562")
    assert accounts.format_nrb(BENEFICIARY) == "48 1090 1014 0000 0001 2345 6789"


def test_bank_name_from_schwifty() -> None:
    info = accounts.bank_info("61109010140000071219812874")
    assert info is not None and info.sort_code == "10901014" and info.name


# ------------------------------------------------------------------- Elixir-O (formats §2)
def _batch(**kw: object) -> elixir.ElixirFile:
    rec = elixir.ElixirRecord(
        reference="2026-11-1532",
        amount=Decimal("1229.00"),
        beneficiary_account=BENEFICIARY,
        beneficiary_name_lines=["Jan Kowalski", "ul. Testowa 5 m. 2", "25-001 Kielce"],
        title_lines=["ZASILEK STALY 11/2026", "DEC. ZPS.4011.1532.2026", "ID WYPL 2026-11-000123"],
    )
    data = {
        "execution_date": date(2026, 11, 27),
        "ordering_account": ORDERING,
        "ordering_name_lines": [
            "MIEJSKI OSRODEK POMOCY RODZINIE",
            "UL. PRZYKLADOWA 1",
            "25-000 KIELCE",
        ],
        "records": [rec],
    }
    data.update(kw)
    return elixir.ElixirFile(**data)  # type: ignore[arg-type]


def test_elixir_worked_example_formats_md_2_5_byte_for_byte() -> None:
    out = elixir.write_elixir(_batch(), elixir.PROFILES["pko_bp"])
    expected = (
        '110,20261127,122900,10202629,0,"73102026290000990201234567","48109010140000000123456789",'
        '"MIEJSKI OSRODEK POMOCY RODZINIE|UL. PRZYKLADOWA 1|25-000 KIELCE",'
        '"Jan Kowalski|ul. Testowa 5 m. 2|25-001 Kielce",0,10901014,'
        '"ZASILEK STALY 11/2026|DEC. ZPS.4011.1532.2026|ID WYPL 2026-11-000123","","","51",""\r\n'
    )
    assert out == expected.encode("cp852")


def test_elixir_field_by_field_against_the_format_rules() -> None:
    recs = [
        elixir.ElixirRecord(
            reference=f"R{i}",
            amount=Decimal(a),
            beneficiary_account=acct,
            beneficiary_name_lines=["Zofia Świętokrzyska-Żółćńska " * 2, "ul. Długa 1"],
            title_lines=['ZASIŁEK "OKRESOWY" | 11/2026', "ID WYPL 2026-11-7"],
        )
        for i, (a, acct) in enumerate(
            [
                ("0.01", BENEFICIARY),
                ("1229.005", "61109010140000071219812874"),
                ("413", BENEFICIARY),
            ]
        )
    ]
    data = elixir.write_elixir(_batch(records=recs), elixir.PROFILES["pko_bp"])
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 3 and data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("cp852")
    rows = list(csv.reader(io.StringIO(text.replace("\r\n", "\n")), quotechar='"', delimiter=","))
    assert all(len(r) == 16 for r in rows)
    amounts = [int(r[2]) for r in rows]
    assert amounts == [1, 122901, 41300]  # grosze, half-up
    assert sum(amounts) == elixir.amount_in_grosze(sum((r.amount for r in recs), Decimal(0)))
    for r in rows:
        assert r[0] == "110" and r[1] == "20261127" and r[4] == "0" and r[9] == "0"
        assert r[3] == r[5][2:10] and r[10] == r[6][2:10]  # sort codes from the NRBs
        assert accounts.validate_nrb(r[5]) and accounts.validate_nrb(r[6])
        assert r[14] == "51" and r[12] == r[13] == r[15] == ""
        for multi in (r[7], r[8], r[11]):
            parts = multi.split("|")
            assert 1 <= len(parts) <= 4 and all(0 < len(p) <= 35 for p in parts)
            assert '"' not in multi
    # Unquoted numeric fields, quoted text fields (formats.md §2.3)
    first = text.split("\r\n")[0]
    assert first.startswith('110,20261127,1,10202629,0,"')
    assert "Świętokrzyska".encode("cp852") in data  # Polish letters in CP852


def test_elixir_code_pages_formats_md_8() -> None:
    rec = elixir.ElixirRecord("R", Decimal(1), BENEFICIARY, ["ŁÓDŹ ŚWIĘTOKRZYSKA"], ["T"])
    cp852 = elixir.write_elixir(_batch(records=[rec]), elixir.PROFILES["pko_bp"])
    iso = elixir.write_elixir(_batch(records=[rec]), elixir.PROFILES["iso8859_2"])
    safe = elixir.write_elixir(_batch(records=[rec]), elixir.PROFILES["ascii"])
    assert bytes([0x9D, 0xE0, 0x44, 0x8D]) in cp852  # Ł Ó D Ź
    assert bytes([0xA3, 0xD3, 0x44, 0xAC]) in iso
    assert b"LODZ SWIETOKRZYSKA" in safe


def test_elixir_ing_profile_has_15_fields() -> None:
    text = elixir.write_elixir(_batch(), elixir.PROFILES["ing"]).decode("iso8859_2")
    assert len(next(csv.reader(io.StringIO(text.strip())))) == 15


def test_elixir_refuses_the_whole_batch_and_names_every_bad_record() -> None:
    bad = [
        elixir.ElixirRecord("A", Decimal(10), "73102026290000990201234576", ["X"], ["T"]),
        elixir.ElixirRecord("B", Decimal(0), BENEFICIARY, ["X"], ["T"]),
    ]
    with pytest.raises(elixir.ElixirError) as exc:
        elixir.write_elixir(_batch(records=bad))
    assert len(exc.value.problems) == 2 and exc.value.problems[0].startswith("A:")


def test_elixir_is_deterministic() -> None:
    assert elixir.write_elixir(_batch()) == elixir.write_elixir(_batch())


def test_split_lines_never_exceeds_4_by_35() -> None:
    lines = split_lines("słowo " * 60 + "x" * 80)
    assert len(lines) <= 4 and all(len(line) <= 35 for line in lines)


# ---------------------------------------------------------------- pain.001 (formats §3)
def _pain(n: int = 3) -> bytes:
    return pain001.write_pain001(
        pain001.Pain001Batch(
            message_id="OSTOJA-LW1-2",
            created_at=datetime(2026, 11, 20, 10, 15, 0),
            initiating_party="Miejski Ośrodek Pomocy Rodzinie w Kielcach",
            payment_info_id="LW/2026/11/85216/3110/przelew/1",
            execution_date=date(2026, 11, 27),
            debtor_name="Miejski Ośrodek Pomocy Rodzinie w Kielcach",
            debtor_account=ORDERING,
            transactions=[
                pain001.Pain001Tx(
                    reference=f"2026-11-{i}",
                    amount=Decimal("100.10") * i,
                    creditor_name="Zofia Żółć",
                    creditor_account=BENEFICIARY,
                    remittance="ZASIŁEK STAŁY 11/2026 DEC. ZPS.4011.1.2026 ID WYPL 2026-11-1",
                    creditor_address_lines=["ul. Długa 1", "25-001 Kielce"],
                )
                for i in range(1, n + 1)
            ],
        )
    )


def test_pain001_validates_against_the_official_xsd() -> None:
    xml = _pain()
    assert pain001.validate(xml) == []
    assert b"<CtrlSum>600.60</CtrlSum>" in xml and b"<NbOfTxs>3</NbOfTxs>" in xml
    assert b"<IBAN>PL48109010140000000123456789</IBAN>" in xml
    assert b"<EndToEndId>2026-11-2</EndToEndId>" in xml
    assert b"SEPA" not in xml  # PLN domestic: not the SEPA service level


def test_pain001_is_deterministic_and_utf8() -> None:
    assert _pain() == _pain()
    assert _pain().startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_xsd_catches_a_broken_document() -> None:
    broken = _pain().replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>XXX</PmtMtd>")
    assert pain001.validate(broken)


# -------------------------------------------------------------- statements (formats §4)
MT940 = """:20:ST261130/1
:25:/PL73102026290000990201234567
:28C:00234/001
:60F:C261127PLN1500000,00
:61:2611271127D1229,00NTRFNONREF//ELX0001
:86:020~00VE01~20ZASILEK STALY 11/2026~21DEC. ZPS.4011.1532.2026
~22ID WYPL 2026-11-000123~3010901014~32JAN KOWALSKI
~38PL48109010140000000123456789
:61:2611301130C1229,00NTRFNONREF//ELX0002
:86:020~00VE01~20ZWROT ZASILEK STALY 11/2026~21ID WYPL 2026-11-000123
~3010901014~32JAN KOWALSKI~38PL48109010140000000123456789
:62F:C261130PLN1500000,00
""".replace("\n", "\r\n")


def test_mt940_synthetic_example_formats_md_4_5() -> None:
    st = statements.parse_mt940(MT940)
    assert st.account == ORDERING and st.reference == "ST261130/1"
    assert st.opening_balance == Decimal("1500000.00")
    booked, returned = st.lines
    assert (booked.direction, booked.amount, booked.value_date) == (
        "D",
        Decimal("1229.00"),
        date(2026, 11, 27),
    )
    assert "ID WYPL 2026-11-000123" in booked.title
    assert booked.counterparty_account == BENEFICIARY and booked.counterparty_name == "JAN KOWALSKI"
    assert returned.direction == "C" and returned.title.startswith("ZWROT")
    assert returned.bank_reference == "ELX0002"


def test_mt940_mbank_free_text_dialect_and_iso8859_2_formats_md_8() -> None:
    raw = (
        "\x01:20:ST100604CYC/1\r\n:25:PL45114011370000310211001001\r\n:28C:107/1\r\n"
        ":60F:C100604PLN0,00\r\n:61:1006040604CN6979,18NTRFNONREF//EL004391-000970\r\n"
        "770-PRZELEW PRZYCHODZ\xa1CY - ELIXIR\r\n"
        ":86:770 PRZELEW KRAJOWY; Z RACH.: 48109010140000000123456789; OD: SP\xd3\xa3KA X; "
        "TYT.: ZWROT 2026-11-15; DATA STEMPLA: 04.06.2010\r\n:62F:C100604PLN6979,18\r\n-\x03"
    ).encode("latin-1")
    st = statements.parse_mt940(statements.decode_statement(raw, ("utf-8", "iso8859_2")))
    (line,) = st.lines
    assert line.direction == "C" and line.amount == Decimal("6979.18")
    assert "PRZYCHODZĄCY" in line.bank_reference
    assert line.counterparty_name == "SPÓŁKA X" and line.counterparty_account == BENEFICIARY
    assert line.title == "ZWROT 2026-11-15"


def test_mt940_reversal_line() -> None:
    text = (
        ":20:X\r\n:25:/PL"
        + ORDERING
        + "\r\n:60F:C261127PLN0,00\r\n:61:2611271127RD5,00NTRFNONREF\r\n:86:X\r\n"
    )
    (line,) = statements.parse_mt940(text).lines
    assert line.reversal and line.direction == "D"


def test_not_a_statement_is_refused() -> None:
    with pytest.raises(statements.StatementError):
        statements.parse_mt940("hello")


def test_csv_statement_layout() -> None:
    text = (
        "\ufeffdata_ksiegowania;strona;kwota;tytul;rachunek_kontrahenta;nazwa_kontrahenta;referencja_banku\n"
        "2026-11-27;D;1229,00;ID WYPL 2026-11-7;PL48 1090 1014 0000 0001 2345 6789;JAN;E1\n"
    )
    (line,) = statements.parse_csv_statement(text).lines
    assert line.amount == Decimal("1229.00") and line.counterparty_account == BENEFICIARY
    with pytest.raises(statements.StatementError, match="kolumn"):
        statements.parse_csv_statement("a;b\n1;2\n")


# ------------------------------------------- health contribution (law.md §4.2, formats §7.2)
@pytest.mark.parametrize(
    ("basis", "expected"),
    [("1229.00", "110.61"), ("1097.16", "98.74"), ("123.45", "11.11")],
)
def test_health_contribution_9_percent_art_79_rounded_to_grosze(basis: str, expected: str) -> None:
    assert health_contribution(Decimal(basis), date(2026, 11, 1)) == Decimal(expected)


def test_part_month_art_106_ust_3() -> None:
    # 1229 × 16 ÷ 30 = 655.47 (November, entitlement from the 15th)
    assert part_month_amount(Decimal("1229"), YearMonth(2026, 11), 16) == Decimal("655.47")
    assert part_month_amount(Decimal("1229"), YearMonth(2026, 11), 30) == Decimal("1229.00")


# -------------------------------------------------------------- budget table (law.md §6.5)
def test_budget_table_classifies_the_benefits() -> None:
    staly = budget.classification_for("zasilek_staly")
    assert staly is not None and (staly.section, staly.chapter, staly.paragraph) == (
        "852",
        "85216",
        "3110",
    )
    assert (
        staly.task_type == TaskType.GMINA_OWN_MANDATORY
        and staly.funding == FundingSource.STATE_GRANT
    )
    health = budget.classification_for("skladka_zdrowotna")
    assert health is not None and (health.chapter, health.paragraph) == ("85213", "4130")
    assert budget.classification_for("zasilek_celowy").chapter == "85214"  # type: ignore[union-attr]
    assert budget.classification_for("posilek").chapter == "85230"  # type: ignore[union-attr]
    assert budget.chapter_name("85228").startswith("Usługi opiekuńcze")


# A December/January statement: the :61: entry date (MMDD) has no year of its own.
MT940_NEW_YEAR = """:20:ST270104/1
:25:/PL73102026290000990201234567
:28C:00001/001
:60F:C261231PLN1500000,00
:61:2612310102D1229,00NTRFNONREF//ELX0101
:86:020~00VE01~20ZASILEK STALY 12/2026~21ID WYPL 2026-12-000123~32JAN KOWALSKI
~38PL48109010140000000123456789
:61:2701021231C1229,00NTRFNONREF//ELX0102
:86:020~00VE01~20ZWROT ZASILEK STALY 12/2026~21ID WYPL 2026-12-000123~32JAN KOWALSKI
~38PL48109010140000000123456789
:61:2802290229D10,00NTRFNONREF//ELX0103
:86:020~00VE01~20OPLATA~32JAN KOWALSKI
:62F:C270104PLN1500000,00
""".replace("\n", "\r\n")


def test_mt940_entry_date_takes_the_year_nearest_the_value_date_across_new_year() -> None:
    """formats.md §4: :61: is YYMMDD value date + MMDD entry date; value 31.12.2026 booked
    02.01 is 2 January 2027, value 2 January 2027 booked 31.12 is 31 December 2026."""
    st = statements.parse_mt940(MT940_NEW_YEAR)
    dec, jan, leap = st.lines
    assert (dec.value_date, dec.entry_date) == (date(2026, 12, 31), date(2027, 1, 2))
    assert (jan.value_date, jan.entry_date) == (date(2027, 1, 2), date(2026, 12, 31))
    assert (leap.value_date, leap.entry_date) == (date(2028, 2, 29), date(2028, 2, 29))
