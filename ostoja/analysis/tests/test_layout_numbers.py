"""MRPiPS-03: the form's row and column numbers live in the layout configuration (data, not
code) and every export writes them — CSV/XLSX ("wiersz", "kolumna"), CAS (``nr``) and JSON;
the layout refuses a missing or repeated number; the export is refused while a cross-check
fails (formats.md §6.2–6.4)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from ostoja.analysis import exports, mrpips03
from ostoja.analysis.layout import LayoutError, layout_for, validate_layout
from ostoja.analysis.periods import ReportPeriod

LAYOUT = layout_for(date(2026, 1, 1))


def _report() -> mrpips03.Report:
    facts = mrpips03.Facts(entries=(), family_sizes={}, case_reasons={})
    return mrpips03.compute(period=ReportPeriod(2026, half=True), layout=LAYOUT, facts=facts)


def test_mrpips03_row_numbers_in_layout_and_every_export() -> None:
    report = _report()
    expected = {(s.code, r.code): r.number for s in LAYOUT.sections for r in s.rows}
    assert expected[("1B", "ZS")] == "1" and expected[("1B", "TOTAL")] == "17"
    text = exports.export(report, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {(r["dział"], r["kod wiersza"]): r["wiersz"] for r in rows} == expected
    assert {r["kolumna"] for r in rows if r["dział"] == "1B"} == {"1", "2", "3", "4", "5"}
    root = ET.fromstring(exports.export(report, "cas"))
    ns = {"c": exports.CAS_NS}
    cas = {
        (d.get("kod"), w.get("kod")): w.get("nr")
        for d in root.findall("c:Dzial", ns)
        for w in d.findall("c:Wiersz", ns)
    }
    assert cas == expected
    data = json.loads(exports.export(report, "json"))
    assert any("number" in r for s in data["sections"] for r in s["rows"])


def test_mrpips03_layout_refuses_missing_or_repeated_numbers() -> None:
    section = LAYOUT.sections[0]
    rows = list(section.rows)
    for bad in ("", rows[1].number):
        rows[0] = dataclasses.replace(rows[0], number=bad)
        broken = dataclasses.replace(
            LAYOUT, sections=(dataclasses.replace(section, rows=tuple(rows)), *LAYOUT.sections[1:])
        )
        with pytest.raises(LayoutError, match="row numbers"):
            validate_layout(broken)


def test_mrpips03_export_refused_while_a_cross_check_fails() -> None:
    report = dataclasses.replace(
        _report(), issues=(mrpips03.Issue(message="test", cells=("1B.TOTAL.persons",)),)
    )
    with pytest.raises(exports.ReportInvalid):
        exports.export(report, "cas")
