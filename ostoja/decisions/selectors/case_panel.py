"""The decisions panel of a case file: undecided forms, drafting options, current help."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from ostoja.cases.selectors import calculations_for
from ostoja.core.dates import local_time
from ostoja.decisions.catalog import BENEFITS, label_of
from ostoja.decisions.choices import (
    AMENDING_KINDS,
    DRAFT_PAYMENT_METHODS,
    PAYING_KINDS,
    SETTLING_KINDS,
    DecisionKind,
    DecisionStatus,
)
from ostoja.decisions.models import SIGNED_STATUSES, Decision, DecisionLine
from ostoja.law.money import pln

from ._common import decision_payability

# ----------------------------------------------------------------- case panel


def application_undecided_forms(*, application: Any) -> list[str]:
    """The requested forms of help (``application.forms``) that no signed decision settles yet
    (art. 104 KPA: every form asked for is decided — granted, refused, or the proceedings
    discontinued, art. 105 KPA). Forms granted without a decision (art. 106 ust. 1 u.p.s.:
    social work, counselling) and forms with no decision template are not waited for.

    A signed discontinuance without lines ends the whole application; with lines, the forms
    they name."""
    wanted = [f for f in (application.forms or []) if f in BENEFITS]
    signed = Decision.objects.filter(
        application=application, kind__in=SETTLING_KINDS, status__in=SIGNED_STATUSES
    )
    if signed.filter(kind=DecisionKind.DISCONTINUANCE, lines__isnull=True).exists():
        return []
    settled = set(
        DecisionLine.objects.filter(decision__in=signed).values_list("benefit", flat=True)
    )
    return [f for f in wanted if f not in settled]


@dataclass(frozen=True)
class CalculationOption:
    calculation: Any
    taken_by: str  # "" when the form is free to draft; else the decision covering it

    @property
    def label(self) -> str:
        c = self.calculation
        outcome = "spełnia warunki" if c.eligible else "nie spełnia warunków"
        amount = f", {pln(c.amount)}" if c.amount is not None else ""
        when = f"{local_time(c.created_at):%d.%m.%Y %H:%M}"  # Europe/Warsaw, as on the page
        return f"{label_of(c.benefit)} — obliczenie z {when}: {outcome}{amount}"


@dataclass(frozen=True)
class DraftingOptions:
    """What the drafter of an open application chooses from: its calculations (one per form of
    help, none preselected) and the requested forms still without a signed decision."""

    application: Any
    options: list[CalculationOption]
    undecided: list[str]  # benefit codes

    @property
    def undecided_labels(self) -> list[str]:
        return [label_of(code) for code in self.undecided]

    @property
    def undecided_choices(self) -> list[tuple[str, str]]:
        return [(code, label_of(code)) for code in self.undecided]

    @property
    def can_draft(self) -> bool:
        return any(not o.taken_by for o in self.options)

    @property
    def payment_method_choices(self) -> list[tuple[str, str]]:
        """The draft form's payment methods (empty: according to the benefit)."""
        return DRAFT_PAYMENT_METHODS


def drafting_options(*, application: Any) -> DraftingOptions:
    taken: dict[str, str] = {}
    for benefit, number in (
        DecisionLine.objects.filter(
            decision__application=application, decision__kind__in=SETTLING_KINDS
        )
        .exclude(decision__status=DecisionStatus.CLOSED)
        .values_list("benefit", "decision__number")
    ):
        taken[benefit] = f"decyzja nr {number}" if number else "projekt decyzji"
    options = [
        CalculationOption(c, taken.get(c.benefit, ""))
        for c in calculations_for(application=application)
    ]
    return DraftingOptions(
        application, options, application_undecided_forms(application=application)
    )


def case_decisions(*, case: Any) -> list[Decision]:
    return list(
        Decision.objects.filter(case=case)
        .prefetch_related(Prefetch("lines", queryset=DecisionLine.objects.order_by("position")))
        .order_by("-issued_on", "-pk")
    )


@dataclass(frozen=True)
class CurrentHelp:
    decision: Decision
    benefit: str
    amount: Decimal
    period_from: date
    until: date | None  # inclusive, for display
    one_off: bool

    @property
    def benefit_label(self) -> str:
        return label_of(self.benefit)


def current_help(*, decisions: list[Decision], on: date) -> list[CurrentHelp]:
    """Enforceable granted lines in force on ``on`` (after changes and revocations)."""
    ends: dict[int, date] = {}
    for d in decisions:
        if (
            d.kind in AMENDING_KINDS
            and d.refers_to_id
            and _is_enforceable(d, on)
            and d.effective_from
        ):
            prev = ends.get(d.refers_to_id)
            ends[d.refers_to_id] = min(prev, d.effective_from) if prev else d.effective_from
    out = []
    for d in decisions:
        if d.kind not in PAYING_KINDS or not _is_enforceable(d, on):
            continue
        end = (
            min(x for x in (ends.get(d.pk), d.ended_on) if x)
            if (ends.get(d.pk) or d.ended_on)
            else None
        )
        for ln in d.lines.all():
            if not ln.granted:
                continue
            stop = min(x for x in (ln.period_to, end) if x) if (ln.period_to or end) else None
            if ln.period_from <= on and (stop is None or stop > on):
                out.append(
                    CurrentHelp(
                        d,
                        ln.benefit,
                        ln.amount,
                        ln.period_from,
                        stop - timedelta(days=1) if stop else None,
                        ln.one_off,
                    )
                )
    return out


def _is_enforceable(d: Decision, on: date) -> bool:
    since = decision_payability(d).enforceable_from
    return since is not None and since <= on
