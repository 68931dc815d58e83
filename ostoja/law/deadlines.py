"""KPA and Act deadlines, counted per art. 57 KPA, with Polish public holidays from the
maintained ``holidays`` library (``holidays.Poland``) — never a hand-typed list.

- Days (art. 57 § 1 KPA): the triggering day is not counted; the period ends at the end of the
  last day.
- Months (art. 57 § 3 KPA): the day of the last month corresponding to the starting day, or
  that month's last day when there is no such day.
- Art. 57 § 4 KPA: a deadline ending on a statutory day off (every Sunday is one) or on a
  Saturday moves to the next day that is neither.
- Community interview (rozporządzenie w sprawie rodzinnego wywiadu środowiskowego, § 3):
  14 working days from learning of the need, 2 working days when urgent; counted in working
  days (Monday–Friday except public holidays), per the digest (law.md §5.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .errors import ParameterNotFound
from .periods import add_months
from .store import ParameterStore, default_store
from .trace import Step, TraceBuilder

__all__ = [
    "Deadline",
    "PaymentDayLimit",
    "add_working_days",
    "appeal_deadline",
    "appeal_forward_deadline",
    "decision_deadline",
    "delayed_decision_date",
    "finality_date",
    "holiday_name",
    "interview_deadline",
    "interview_update_due",
    "is_non_working_day",
    "latest_payment_day",
    "next_working_day",
]

_ONE_DAY = timedelta(days=1)
_A57_4 = "art. 57 § 4 KPA"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed deadline (the last day on which the act may be done) with its trace."""

    date: date
    trace: tuple[Step, ...]


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("PL", years=year, language="pl")


def holiday_name(d: date) -> str | None:
    """Polish name of the statutory holiday on ``d`` (``None`` if it is not one)."""
    return _holidays(d.year).get(d)


def is_non_working_day(d: date) -> bool:
    """Saturday, Sunday or a statutory public holiday."""
    return d.weekday() >= 5 or d in _holidays(d.year)


def _why(d: date) -> str:
    name = holiday_name(d)
    if name:
        return f"{d.isoformat()} — {name}"
    return f"{d.isoformat()} — {'sobota' if d.weekday() == 5 else 'niedziela'}"


def next_working_day(d: date, tb: TraceBuilder | None = None) -> date:
    """``d`` itself if it is a working day, otherwise the next one (art. 57 § 4 KPA)."""
    if not is_non_working_day(d):
        return d
    skipped = []
    while is_non_working_day(d):
        skipped.append(_why(d))
        d += _ONE_DAY
    if tb is not None:
        tb.add(
            "Koniec terminu przypada na sobotę lub dzień ustawowo wolny od pracy — termin upływa "
            "następnego dnia, który nie jest dniem wolnym ani sobotą",
            "; ".join(skipped) + f" → {d.isoformat()}",
            _A57_4,
        )
    return d


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    d = start
    counted = 0
    while counted < days:
        d += _ONE_DAY
        if not is_non_working_day(d):
            counted += 1
    return d


@dataclass(frozen=True, slots=True)
class PaymentDayLimit:
    """The last day of the month by which a benefit must be paid, where a provision sets one."""

    day: int
    basis: str


def latest_payment_day(
    benefit: str, on: date, *, store: ParameterStore | None = None
) -> PaymentDayLimit | None:
    """The latest payment day a provision sets for ``benefit`` in force on ``on`` (e.g. the
    refugees' integration benefit: by the 15th, § 3 ust. 2 of the regulation on help for
    foreigners); ``None`` when no provision sets one (the decision's day 1–28 stands)."""
    s = _store(store)
    if "terminy_wyplaty" not in s:
        return None
    try:
        record = s.get("terminy_wyplaty", on)
    except ParameterNotFound:
        return None
    rule = (record.get("benefits") or {}).get(benefit)
    if rule is None:
        return None
    return PaymentDayLimit(int(rule["day"]), str(rule["basis"]))


def _days_deadline(start: date, days: int, what: str, basis: str) -> Deadline:
    tb = TraceBuilder()
    end = start + timedelta(days=days)
    tb.add(
        f"{what}: {days} dni od {start.isoformat()} (dnia zdarzenia nie wlicza się)",
        end.isoformat(),
        f"{basis}; art. 57 § 1 KPA",
    )
    end = next_working_day(end, tb)
    return Deadline(end, tb.build())


def _store(store: ParameterStore | None) -> ParameterStore:
    return store or default_store()


def appeal_deadline(delivered_on: date, *, store: ParameterStore | None = None) -> Deadline:
    """Last day to appeal: 14 days from delivery (art. 129 § 2 KPA), moved per art. 57 § 4."""
    days = _store(store).get("terminy_kpa", delivered_on)["appeal_days"]
    return _days_deadline(delivered_on, days, "Termin do wniesienia odwołania", "art. 129 § 2 KPA")


def appeal_forward_deadline(lodged_on: date, *, store: ParameterStore | None = None) -> Deadline:
    """Last day to forward an appeal with the case file to the appeal body (SKO): 7 days from
    the day it was lodged (art. 133 KPA), counted per art. 57 § 1 and moved per § 4."""
    days = _store(store).get("terminy_kpa", lodged_on)["appeal_forward_days"]
    return _days_deadline(
        lodged_on, days, "Termin przekazania odwołania wraz z aktami do SKO", "art. 133 KPA"
    )


def finality_date(delivered_on: date, *, store: ParameterStore | None = None) -> Deadline:
    """The day a decision becomes final (ostateczna) if no appeal is lodged: the day after the
    appeal deadline (art. 16 § 1, art. 129 § 2 KPA)."""
    appeal = appeal_deadline(delivered_on, store=store)
    tb = TraceBuilder()
    tb.extend(appeal.trace)
    final = appeal.date + _ONE_DAY
    tb.add(
        "Decyzja staje się ostateczna z upływem terminu do wniesienia odwołania — od dnia "
        "następnego, jeżeli odwołania nie wniesiono",
        final.isoformat(),
        "art. 16 § 1 KPA; art. 129 § 2 KPA",
    )
    return Deadline(final, tb.build())


def delayed_decision_date(notified_on: date, days: int) -> Deadline:
    """The new date for a matter not settled in time, ``days`` after the notice (art. 36 § 1
    KPA: the authority names a new date; counted per art. 57 § 1 and moved per § 4)."""
    if days < 1:
        raise ValueError("nowy termin musi przypadać po dniu zawiadomienia")
    return _days_deadline(notified_on, days, "Nowy termin załatwienia sprawy", "art. 36 § 1 KPA")


def decision_deadline(
    initiated_on: date, *, complex_case: bool = False, store: ParameterStore | None = None
) -> Deadline:
    """Decision deadline: 1 month, 2 months for a particularly complex case, from initiation
    of the proceedings (art. 35 § 3 KPA), months counted per art. 57 § 3, moved per § 4."""
    params = _store(store).get("terminy_kpa", initiated_on)
    months = params["decision_months_complex"] if complex_case else params["decision_months"]
    tb = TraceBuilder()
    end = add_months(initiated_on, months)
    tb.add(
        "Termin załatwienia sprawy wymagającej postępowania wyjaśniającego: "
        + ("sprawa szczególnie skomplikowana — " if complex_case else "")
        + f"{months} mies. od wszczęcia ({initiated_on.isoformat()})",
        end.isoformat(),
        "art. 35 § 3 KPA; art. 57 § 3 KPA",
    )
    end = next_working_day(end, tb)
    return Deadline(end, tb.build())


def interview_deadline(
    learned_on: date, *, urgent: bool = False, store: ParameterStore | None = None
) -> Deadline:
    """Community interview: within 14 working days of learning of the need; urgent — at the
    latest within 2 working days (rozporządzenie w sprawie RWŚ, § 3)."""
    record = _store(store).get("wywiad_terminy", learned_on)
    days = record["working_days_urgent"] if urgent else record["working_days"]
    end = add_working_days(learned_on, days)
    tb = TraceBuilder()
    tb.add(
        ("Pilny rodzinny wywiad środowiskowy" if urgent else "Rodzinny wywiad środowiskowy")
        + f": {days} dni roboczych od powzięcia informacji ({learned_on.isoformat()}); "
        "soboty, niedziele i święta nie są liczone",
        end.isoformat(),
        record.source,
    )
    return Deadline(end, tb.build())


def interview_update_due(
    last_interview_on: date, *, store: ParameterStore | None = None
) -> Deadline:
    """Ongoing benefits: the interview must be updated at least every 6 months. Returns the
    last working day on or before the date 6 months later (interviews are carried out on
    working days; this is a limit for the centre, not a KPA period, so it is not extended)."""
    record = _store(store).get("wywiad_terminy", last_interview_on)
    months = record["update_months"]
    limit = add_months(last_interview_on, months)
    d = limit
    while is_non_working_day(d):
        d -= _ONE_DAY
    tb = TraceBuilder()
    tb.add(
        f"Aktualizacja wywiadu przy świadczeniach ciągłych co najmniej co {months} mies. "
        f"od {last_interview_on.isoformat()}",
        limit.isoformat() + (f" → ostatni dzień roboczy {d.isoformat()}" if d != limit else ""),
        record.source,
    )
    return Deadline(d, tb.build())
