"""Decisions behind care: a care-services order (art. 50 u.p.s.), leaving-care help (art. 88)
and the integration benefit (art. 91–92) are granted by an administrative decision drafted here
through the decisions workflow (projekt → sprawdzenie → podpis → doręczenie). Nothing is paid
and no hours are settled before the decision is enforceable (art. 130 KPA): the monthly payment
run takes only enforceable decision lines, and an order waits for its decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.care import selectors
from ostoja.care.models import CareOrder, IntegrationProgramme, LeavingCareHelp
from ostoja.care.policy import SCOPE_LABELS, CareKind, ProgrammeStatus
from ostoja.care.services._common import _fail, _need, _timeline
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import shift_months
from ostoja.core.errors import ConflictError
from ostoja.core.polish import plural
from ostoja.decisions import services as decisions
from ostoja.decisions.choices import DecisionKind
from ostoja.law.benefits.powiat import EDUCATION, FURNISHING, INDEPENDENCE
from ostoja.law.money import money

# Decision benefit (decisions catalog) per form of care.
ORDER_BENEFIT = {
    CareKind.UO: "uslugi_opiekuncze",
    CareKind.SUO: "uslugi_opiekuncze",
    CareKind.NEIGHBOUR: "uslugi_opiekuncze",
    CareKind.SUO_MENTAL: "specjalistyczne_uslugi_opiekuncze_zaburzenia",
}
LEAVING_BENEFIT = {
    INDEPENDENCE: "pomoc_na_usamodzielnienie",
    EDUCATION: "pomoc_na_kontynuowanie_nauki",
    FURNISHING: "pomoc_na_zagospodarowanie",
}
INTEGRATION_BENEFIT = "swiadczenie_integracyjne"
NO_APPLICATION = (
    "W sprawie nie ma wniosku — decyzję wydaje się na wniosek strony (art. 106 ust. 1 u.p.s.); "
    "najpierw zarejestruj wniosek."
)


def _application(case: Any) -> Any:
    if case is None:
        raise _fail("case", "Program nie jest przypisany do sprawy — decyzję wydaje się w sprawie.")
    application = selectors.case_application(case=case)
    if application is None:
        raise _fail("application", NO_APPLICATION)
    return application


def _payment(payment_method: str, account_number: str) -> dict[str, str]:
    out = {"account_number": account_number}
    if payment_method:
        out["payment_method"] = payment_method
    return out


def _draft(
    *,
    case: Any,
    person: Any,
    actor: Any,
    lines: list[dict[str, Any]],
    trace: list[dict[str, str]],
    immediate: bool,
    immediate_reason: str,
) -> Any:
    application = _application(case)
    return decisions.decision_create(
        case=case,
        kind=DecisionKind.GRANT,
        addressee=person,
        actor=actor,
        lines=lines,
        application=application,
        case_reference=application.reference,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
    )


@transaction.atomic
def care_order_decision_draft(
    *,
    order: CareOrder,
    actor: Any,
    on: date,
    expected_version: int,
    immediate: bool = False,
    immediate_reason: str = "",
) -> Any:
    """Draft the decision granting the order's services (art. 50 ust. 1–4 u.p.s.: scope, hours,
    period, place) with the fee rate (art. 50 ust. 6); the order is linked to it and becomes
    active when the decision is enforceable (art. 130 KPA)."""
    _need(actor, "care.manage", order.case)
    order = CareOrder.objects.select_for_update().get(pk=order.pk)
    if order.decision_id is not None:
        raise ConflictError("To zlecenie ma już decyzję.")
    if order.decision_number:
        raise ConflictError(
            f"Zlecenie wynika z decyzji papierowej nr {order.decision_number} — drugiej decyzji "
            "o tych usługach się nie przygotowuje."
        )
    line = order_line(order, since=order.period_from)
    trace = [
        {"step": "Zakres i wymiar usług", "value": line["purpose"], "basis": "art. 50 u.p.s."},
        {"step": "Odpłatność", "value": f"{order.fee_rate}%", "basis": order.fee_basis},
    ]
    ex = order.fee_exemption
    if ex:  # art. 50 ust. 6: the exemption on request, as the law core stated it
        trace[-1]["value"] = f"{ex['rate_before']}% według tabeli"
        trace.append({"step": ex["step"], "value": ex["figures"], "basis": ex["basis"]})
    decision = _draft(
        case=order.case, person=order.person, actor=actor, lines=[line], trace=trace,
        immediate=immediate, immediate_reason=immediate_reason,
    )  # fmt: skip
    order.decision = decision
    save_versioned(order, expected_version=expected_version)
    _timeline(order.case, "Projekt decyzji o usługach", "", on, actor, f"order-dec-{order.pk}")
    return decision


def order_line(
    order: CareOrder, *, since: date, terms: selectors.CareTerms | None = None
) -> dict[str, Any]:
    """The decision line of an order's services from ``since`` to the order's end: the kind,
    scope and extent, place and fee — the order's, or ``terms`` (a changing decision's)."""
    terms = selectors.CareTerms.of_order(order) if terms is None else terms
    return {
        "benefit": ORDER_BENEFIT[CareKind(order.service_kind)],
        "amount": "0.00",
        "period_from": since.isoformat(),
        "period_to": (order.period_until + timedelta(days=1)).isoformat(),
        "payment_method": "rzeczowa",
        "purpose": care_extent(terms)[:200],
        "note": _care_place_and_fee(order.place, terms)[:300],
    }


@transaction.atomic
def leaving_care_help_decide(
    *,
    help: LeavingCareHelp,
    actor: Any,
    on: date,
    account_number: str = "",
    payment_method: str = "",
    education_until: date | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
) -> Any:
    """Draft the decision granting one form of leaving-care help (art. 88 ust. 1 u.p.s.) with
    the amount the law core computed: help for becoming independent once, help for continuing
    education monthly until the given end of schooling, help for setting up a home in kind.
    The payment run pays it once the decision is enforceable."""
    programme = help.programme
    _need(actor, "care.manage", programme.case)
    help = LeavingCareHelp.objects.select_for_update().get(pk=help.pk)
    if help.decision_id is not None:
        raise ConflictError("Decyzja o tej pomocy została już przygotowana.")
    line: dict[str, Any] = {
        "benefit": LEAVING_BENEFIT[help.kind],
        "amount": str(help.amount),
        "period_from": on.isoformat(),
        **_payment(payment_method, account_number),
    }
    if help.kind == EDUCATION:
        if education_until is None or education_until <= on:
            raise _fail(
                "education_until",
                "Podaj, do kiedy trwa nauka — pomoc na kontynuowanie nauki wypłaca się co "
                "miesiąc do jej zakończenia, najdłużej do 25. roku życia (art. 88 u.p.s.).",
            )
        line["period_to"] = (education_until + timedelta(days=1)).isoformat()
    decision = _draft(
        case=programme.case, person=programme.person, actor=actor, lines=[line],
        trace=list(help.trace), immediate=immediate, immediate_reason=immediate_reason,
    )  # fmt: skip
    help.decision = decision
    help.save(update_fields=["decision"])
    _timeline(programme.case, "Projekt decyzji o pomocy", "", on, actor, f"leaving-dec-{help.pk}")
    return decision


def integration_lines(programme: IntegrationProgramme) -> list[dict[str, Any]]:
    """The programme's months as decision lines: one line per run of months with the same
    amount (months 1–6 and 7–12, § 3 of the regulation), the per-person amount × the family."""
    runs: list[tuple[int, int, Decimal]] = []
    for row in sorted(programme.monthly_amounts, key=lambda r: int(r["month"])):
        m, amount = int(row["month"]), Decimal(row["amount"])
        if runs and runs[-1][2] == amount and runs[-1][1] == m - 1:
            runs[-1] = (runs[-1][0], m, amount)
        else:
            runs.append((m, m, amount))
    return [
        {
            "benefit": INTEGRATION_BENEFIT,
            "amount": str(money(amount * programme.family_size)),
            "period_from": shift_months(programme.starts_on, first - 1).isoformat(),
            "period_to": shift_months(programme.starts_on, last).isoformat(),
            "purpose": (
                f"Miesiące {first}–{last} programu: {amount} zł na osobę × "
                f"{programme.family_size} os."
            ),
        }
        for first, last, amount in runs
    ]


def number_pl(value: Decimal) -> str:
    """``Decimal("40.00")`` → ``"40"``, ``Decimal("1.50")`` → ``"1,5"`` (Polish decimal comma)."""
    text = format(value.normalize(), "f") if value == value.to_integral() else f"{value:.2f}"
    return text.rstrip("0").rstrip(",.").replace(".", ",") if "." in text else text


def _hours(value: Decimal) -> str:
    """„40 godzin”, „2 godziny”, „1 godzina”, „1,5 godziny” (a fraction takes the genitive)."""
    if value != value.to_integral():
        return f"{number_pl(value)} godziny"
    n = int(value)
    return f"{n} {plural(n, 'godzina', 'godziny', 'godzin')}"


def care_extent(terms: selectors.CareTerms) -> str:
    """The scope and extent the art. 50 decision sets (zakres, wymiar): „w wymiarze 40 godzin
    miesięcznie (2 godziny dziennie, 5 dni w tygodniu), w zakresie: zakupy, sprzątanie”."""
    days = terms.days_per_week
    scope = ", ".join(SCOPE_LABELS.get(s, s).lower() for s in terms.scope)
    return (
        f"w wymiarze {_hours(terms.hours_per_month)} miesięcznie ({_hours(terms.hours_per_day)} "
        f"dziennie, {days} {plural(days, 'dzień', 'dni', 'dni')} w tygodniu)"
        + (f", w zakresie: {scope}" if scope else "")
    )


def _care_place_and_fee(place: str, terms: selectors.CareTerms) -> str:
    """The place (miejsce, art. 50 u.p.s.) and the fee the city's resolution sets, with the
    exemption on request, if any."""
    rate, exemption = terms.fee_rate, terms.fee_exemption
    where = f"Miejsce świadczenia usług: {place.strip()}."
    if rate == 0:
        if exemption:
            return f"{where} Usługi są nieodpłatne (zwolnienie całkowite z opłaty na wniosek)."
        return f"{where} Usługi są nieodpłatne."
    after = " (po zwolnieniu częściowym na wniosek)" if exemption else ""
    return (
        f"{where} Odpłatność za usługi wynosi {number_pl(rate)}% ceny jednej godziny "
        f"usług za każdą godzinę wykonanych usług{after}."
    )


@transaction.atomic
def integration_benefit_decide(
    *,
    programme: IntegrationProgramme,
    actor: Any,
    on: date,
    expected_version: int,
    account_number: str = "",
    payment_method: str = "",
    immediate: bool = False,
    immediate_reason: str = "",
) -> Any:
    """Draft the decision granting the programme's monthly cash benefit (art. 91–92 u.p.s.,
    § 3 of the regulation on help for foreigners) for its 12 months (art. 93)."""
    _need(actor, "care.manage", programme.case)
    programme = IntegrationProgramme.objects.select_for_update().get(pk=programme.pk)
    if programme.decision_id is not None:
        raise ConflictError("Decyzja o świadczeniu w tym programie została już przygotowana.")
    if programme.status != ProgrammeStatus.ACTIVE:
        raise ConflictError("Program został zakończony — świadczenia nie przyznaje się.")
    lines = [
        {**ln, **_payment(payment_method, account_number)} for ln in integration_lines(programme)
    ]
    trace = [
        {
            "step": ln["purpose"],
            "value": f"{ln['amount']} zł miesięcznie",
            "basis": "art. 92 u.p.s.; § 3 rozporządzenia w sprawie udzielania pomocy cudzoziemcom",
        }
        for ln in lines
    ]
    decision = _draft(
        case=programme.case, person=programme.person, actor=actor, lines=lines, trace=trace,
        immediate=immediate, immediate_reason=immediate_reason,
    )  # fmt: skip
    programme.decision = decision
    save_versioned(programme, expected_version=expected_version)
    _timeline(programme.case, "Projekt decyzji o świadczeniu integracyjnym", "", on, actor,
              f"integr-dec-{programme.pk}")  # fmt: skip
    return decision
