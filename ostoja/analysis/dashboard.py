"""The management dashboard: demand, flow of applications and decisions, spending against the
plan, deadline performance and caseload — aggregates only, read through each context's
selectors, drawn as SVG (``charts``) beside their data tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.analysis import charts
from ostoja.analysis.periods import last_completed_half_year
from ostoja.cases import selectors as cases
from ostoja.cases.models import ART7_REASONS
from ostoja.decisions import selectors as decisions
from ostoja.law.periods import YearMonth
from ostoja.payments import selectors as payments


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    image: str  # data: URI of the SVG
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the same figures as a table
    link: str = ""  # the list behind the chart


@dataclass
class Dashboard:
    start: date
    end: date  # exclusive
    applications: int
    decisions: int
    interviews_on_time_pct: Decimal | None
    decisions_on_time_pct: Decimal | None
    plan_execution_pct: Decimal | None
    charts: list[Chart] = field(default_factory=list)


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def window(*, on: date) -> tuple[date, date]:
    """The twelve whole months before ``on``'s month."""
    this = YearMonth.of(on)
    return this.shift(-12).first_day, this.first_day


def dashboard(*, on: date, links: dict[str, str] | None = None) -> Dashboard:
    links = links or {}
    start, end = window(on=on)
    demand = cases.demand_figures(start=start, end=end)
    by_month_dec, dec_on_time, dec_with_due = decisions.decision_figures(start=start, end=end)
    months = [str(YearMonth.of(start).shift(i)) for i in range(12)]
    plan = payments.plan_vs_execution(year=on.year, lines=None, from_month=YearMonth.of(on))
    planned = sum((r.plan for r in plan), Decimal("0"))
    executed = sum((r.executed for r in plan), Decimal("0"))
    board = Dashboard(
        start=start,
        end=end,
        applications=sum(demand.by_month.values()),
        decisions=sum(by_month_dec.values()),
        interviews_on_time_pct=_pct(demand.interviews_on_time, demand.interviews_done),
        decisions_on_time_pct=_pct(dec_on_time, dec_with_due),
        plan_execution_pct=_pct(executed, planned),
    )
    reasons = [(ART7_REASONS.get(code, code), n) for code, n in demand.by_reason.items()]
    reasons.sort(key=lambda r: -r[1])
    board.charts.append(
        _chart(
            "reasons",
            "Wnioski według powodu (art. 7 u.p.s.)",
            reasons,
            ("Powód", "Wnioski"),
            horizontal=True,
            link=links.get("reasons", ""),
        )
    )
    board.charts.append(
        _chart(
            "districts",
            "Wnioski według rejonu opiekuńczego",
            sorted(demand.by_unit.items()),
            ("Jednostka", "Wnioski"),
            horizontal=True,
            link=links.get("districts", ""),
        )
    )
    apps = [demand.by_month.get(m, 0) for m in months]
    decs = [by_month_dec.get(m, 0) for m in months]
    title = "Wnioski i decyzje w miesiącach"
    board.charts.append(
        Chart(
            "flow",
            title,
            charts.data_uri(charts.lines(months, {"wnioski": apps, "decyzje": decs}, title=title)),
            ("Miesiąc", "Wnioski", "Decyzje"),
            tuple((m, str(a), str(d)) for m, a, d in zip(months, apps, decs, strict=True)),
            links.get("flow", ""),
        )
    )
    lines = [r for r in plan if r.plan or r.executed]
    title = f"Wydatki a plan {on.year} według pozycji budżetu (zł)"
    short = {"budzet_miasta": "miasto", "dotacja_celowa": "dotacja"}
    labels = [f"{r.key[1]} §{r.key[2]} {short.get(r.key[4], r.key[4])}" for r in lines]
    board.charts.append(
        Chart(
            "budget",
            title,
            charts.data_uri(
                charts.bars(
                    labels,
                    [r.plan for r in lines],
                    title=title,
                    second=[r.executed for r in lines],
                    legend=("plan", "wykonanie"),
                )
            ),
            ("Rozdział / §", "Plan", "Wykonanie", "%"),
            tuple(
                (lab, f"{r.plan:.2f}", f"{r.executed:.2f}", str(r.percent or "—"))
                for lab, r in zip(labels, lines, strict=True)
            ),
            links.get("budget", ""),
        )
    )
    title = "Terminowość (%)"
    timeliness = [
        ("wywiady w terminie", board.interviews_on_time_pct or Decimal(0)),
        ("decyzje w terminie", board.decisions_on_time_pct or Decimal(0)),
    ]
    board.charts.append(
        _chart("deadlines", title, timeliness, ("Miara", "%"), link=links.get("deadlines", ""))
    )
    board.charts.append(
        _chart(
            "caseload",
            "Sprawy z otwartymi wnioskami na pracownika (20 najbardziej obciążonych)",
            demand.caseload[:20],
            ("Pracownik", "Sprawy"),
            horizontal=True,
            link=links.get("caseload", ""),
        )
    )
    return board


def _chart(
    key: str,
    title: str,
    pairs: list[tuple[str, Any]],
    header: tuple[str, str],
    *,
    horizontal: bool = False,
    link: str = "",
) -> Chart:
    labels = [p[0] for p in pairs]
    values = [p[1] for p in pairs]
    svg = charts.bars(labels, values, title=title, horizontal=horizontal)
    return Chart(key, title, charts.data_uri(svg), header,
                 tuple((str(a), str(b)) for a, b in pairs), link)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StartFigures:
    """What the management start page shows of the centre (cheap: counts on indexed columns)."""

    month: str
    applications: int
    decisions: int
    report_period: str
    report_label: str
    report_due: str  # ⚠ the printed form's deadline; the ministry's yearly table may differ


def start_figures(*, on: date) -> StartFigures:
    month = YearMonth.of(on)
    start, end = month.first_day, month.shift(1).first_day
    period = last_completed_half_year(on=on)
    # formats.md §6.1: by 20 July (half-year) and 20 January (year), printed on the form.
    due = f"20.07.{period.year}" if period.half else f"20.01.{period.year + 1}"
    return StartFigures(
        month=str(month),
        applications=cases.applications_received_count(start=start, end=end),
        decisions=decisions.decisions_issued_count(start=start, end=end),
        report_period=period.code,
        report_label=period.label,
        report_due=due,
    )
