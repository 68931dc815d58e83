"""MRPiPS-03 exports: JSON (the API's shape), CSV, XLSX, PDF and the CAS import file.

Every export refuses a report that fails its cross-checks (``ReportInvalid``): a report goes
out validated or not at all.

CAS file — ⚠ ASSUMED FORMAT. Neither formats.md §6 nor reporting.md §1 describes the file the
ministry's Centralna Aplikacja Statystyczna imports (they name the form, its działy, columns and
the submission channel only). Until MOPR exports a form definition from CAS (reporting.md §7
question 1), ``cas_xml`` writes a self-describing XML keyed by what every CAS form is
addressed by — form symbol, edition, period, reporting unit, dział, row number, column number:

    <Sprawozdanie xmlns="urn:ostoja:cas:mrpips03:1" symbol="MRPiPS-03" wydanie="2022"
                  okres="2026-H1" rodzaj="P" od="2026-01-01" do="2026-06-30" regon="…">
      <Dzial kod="1B"><Wiersz nr="1" kod="ZS"><Kolumna nr="1">12</Kolumna>…</Wiersz></Dzial>
    </Sprawozdanie>

Amounts with two decimals and a dot; counts as integers; rural cells written as 0. Mapping it to
the real CAS schema is a change of this one function.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django.template.loader import render_to_string

from ostoja.analysis.mrpips03 import Report
from ostoja.core.errors import DomainError

# the module, not the function: tests replace ``documents.render_pdf``
from ostoja.decisions import documents
from ostoja.decisions.xlsx import xlsx_bytes

FORMATS = ("json", "csv", "xlsx", "cas", "pdf")
CAS_NS = "urn:ostoja:cas:mrpips03:1"


class ReportInvalid(DomainError):
    def __init__(self, report: Report) -> None:
        super().__init__(
            "Sprawozdanie nie przeszło kontroli formularza — popraw dane przed eksportem: "
            + " ".join(i.message for i in report.issues),
            field="period",
        )
        self.report = report


def _num(value: int | Decimal) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def as_dict(
    report: Report, *, link: Callable[[str, str, str], str] | None = None
) -> dict[str, Any]:
    """Sections → rows → columns; each cell with its value and (given ``link``) drill-down URL."""
    return {
        "form": report.layout.code,
        "edition": report.layout.edition,
        "title": report.layout.title,
        "period": report.period.code,
        "period_label": report.period.label,
        "from": report.period.start.isoformat(),
        "to": report.period.last_day.isoformat(),
        "valid": report.valid,
        "issues": [{"message": i.message, "cells": list(i.cells)} for i in report.issues],
        "sections": [
            {
                "code": s.section.code,
                "title": s.section.title,
                "rows": [
                    {
                        "code": r.row.code,
                        "number": r.row.number,
                        "label": r.row.label,
                        "total": r.row.total,
                        "columns": [
                            {
                                "code": c.column,
                                "number": col.number,
                                "label": col.label,
                                "unit": col.unit,
                                "value": _num(c.value),
                                "drilldown": link(s.section.code, r.row.code, c.column)
                                if link
                                else None,
                            }
                            for c, col in zip(r.cells, s.section.columns, strict=True)
                        ],
                    }
                    for r in s.rows
                ],
            }
            for s in report.sections
        ],
    }


def _line(section: str, row: Any, col: Any, value: int | Decimal) -> list[str]:
    return [section, row.number, row.code, row.label, col.number, col.label, col.unit, _num(value)]


def _flat(report: Report) -> tuple[list[str], list[list[str]]]:
    header = ["dział", "wiersz", "kod wiersza", "wyszczególnienie", "kolumna", "nazwa kolumny",
              "jednostka", "wartość"]  # fmt: skip
    rows = [
        _line(s.section.code, r.row, col, c.value)
        for s in report.sections
        for r in s.rows
        for c, col in zip(r.cells, s.section.columns, strict=True)
    ]
    return header, rows


def to_json(report: Report) -> bytes:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2).encode()


def to_csv(report: Report) -> bytes:
    header, rows = _flat(report)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel opens Polish letters correctly


def to_xlsx(report: Report) -> bytes:
    header, rows = _flat(report)
    return xlsx_bytes(header, rows, sheet=f"MRPiPS-03 {report.period.code}")


def cas_xml(report: Report, *, regon: str = "") -> bytes:
    root = ET.Element(
        "Sprawozdanie",
        {
            "xmlns": CAS_NS,
            "symbol": report.layout.code,
            "wydanie": report.layout.edition,
            "okres": report.period.code,
            "rodzaj": "P" if report.period.half else "R",
            "od": report.period.start.isoformat(),
            "do": report.period.last_day.isoformat(),
            "regon": regon,
        },
    )
    for s in report.sections:
        dz = ET.SubElement(root, "Dzial", {"kod": s.section.code})
        for r in s.rows:
            w = ET.SubElement(dz, "Wiersz", {"nr": r.row.number, "kod": r.row.code})
            for c, col in zip(r.cells, s.section.columns, strict=True):
                k = ET.SubElement(w, "Kolumna", {"nr": col.number})
                k.text = _num(c.value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "cas": "application/xml",
    "pdf": "application/pdf",
}
EXTENSIONS = {"json": "json", "csv": "csv", "xlsx": "xlsx", "cas": "xml", "pdf": "pdf"}


def to_pdf(report: Report, *, centre: str = "") -> bytes:
    """The report as an A4 PDF (the same cells; WeasyPrint through the decisions' renderer)."""
    html = render_to_string(
        "analysis/mrpips03_pdf.html", {"data": as_dict(report), "centre": centre}
    )
    return documents.render_pdf(html)


def export(report: Report, fmt: str, *, regon: str = "", centre: str = "") -> bytes:
    """The report in ``fmt``; refused while any cross-check fails."""
    if fmt not in FORMATS:
        raise DomainError(
            f"Nieznany format „{fmt}” (dozwolone: {', '.join(FORMATS)}).", field="format"
        )
    if not report.valid:
        raise ReportInvalid(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "pdf":
        return to_pdf(report, centre=centre)
    return cas_xml(report, regon=regon)
