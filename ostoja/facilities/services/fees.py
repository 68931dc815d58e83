"""DPS fees (art. 61 u.p.s.) and charges: the shares of the resident and the relatives computed
by the law core, the fee under art. 97, the monthly charges per payer and their payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction

from ostoja.core.dates import local_date, next_month_start
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.core.exemption import exemption_of
from ostoja.decisions.catalog import benefit as benefit_of
from ostoja.facilities import policy as p
from ostoja.facilities import selectors as sel
from ostoja.facilities.models import (
    Charge,
    FeeArrangement,
    RelativeFeeBasis,
    Stay,
)
from ostoja.law.benefits import art97 as art97_law
from ostoja.law.benefits import dps as dps_law
from ostoja.law.codes import DPS_RELATIONS
from ostoja.law.errors import LawError, ParameterNotFound
from ostoja.law.household import (
    Case,
    DpsExemption,
    DpsInput,
    DpsRelative,
    Household,
    IncomeItem,
    Member,
)
from ostoja.law.store import default_store
from ostoja.payments.services.receivables import receivable_register_facility_charge

from ._common import CENT, _fail
from .dps_decisions import case_of, decision_enforceability
from .places import cost_on


@dataclass(frozen=True)
class RelativeIn:
    """A relative liable under art. 61 ust. 1 pkt 2: ``relation`` from the law core's codes."""

    name: str
    relation: str
    household_size: int
    household_income: Decimal
    agreed_amount: Decimal | None = None
    exemption_basis: str = ""  # art_64, art_64a, art_64b
    exemption_amount: Decimal | None = None
    minor: bool = False


def fee_compute(
    *, monthly_cost: Decimal, resident_income: Decimal, relatives: list[RelativeIn], on: date
) -> Any:
    """The shares by the law core (``ostoja.law.benefits.dps``) — the only place they are
    computed. Returns the law core's result with its trace."""
    if resident_income is None or resident_income < 0:
        raise _fail("resident_income", "Dochód mieszkańca nie może być ujemny.")
    for i, r in enumerate(relatives):
        if r.relation not in DPS_RELATIONS:
            raise _fail(f"relatives.{i}.relation", "Wybierz stopień pokrewieństwa z listy.")
        if r.household_size < 1:
            raise _fail(f"relatives.{i}.household_size", "Liczba osób w gospodarstwie ≥ 1.")
    case = Case(
        household=Household(
            (Member(id="M", incomes=(IncomeItem("emerytura", amount=Decimal(resident_income)),)),)
        ),
        application_date=on,
        dps=DpsInput(
            monthly_cost=Decimal(monthly_cost),
            resident="M",
            relatives=tuple(
                DpsRelative(
                    relation=r.relation,
                    household_size=r.household_size,
                    household_income=Decimal(r.household_income),
                    minor=r.minor,
                    agreed_amount=r.agreed_amount,
                    exemption=DpsExemption(r.exemption_basis, r.exemption_amount)
                    if r.exemption_basis
                    else None,
                )
                for r in relatives
            ),
        ),
    )
    return dps_law.calculate(case)


def _change_from_month_start(stay: Stay, valid_from: date) -> None:
    """A fee after the stay's first is a change, charged by months: it starts on the first day
    of a month (a month is charged under one arrangement — a change from the 15th would be
    charged at the old rate for the whole month and could not be set right afterwards)."""
    if valid_from.day != 1 and FeeArrangement.objects.filter(stay=stay).exists():
        raise _fail(
            "valid_from",
            "Zmiana opłaty obowiązuje od pierwszego dnia miesiąca — należności nalicza się za "
            f"miesiące (np. od {next_month_start(valid_from):%d.%m.%Y}).",
        )


def fee_set(
    *,
    stay: Stay,
    valid_from: date,
    resident_income: Decimal,
    relatives: list[RelativeIn],
    actor: Any,
    now: datetime,
    fee_decision: Any = None,
) -> FeeArrangement:
    """Fix the fee shares of a DPS stay from ``valid_from`` (a new arrangement for every change
    of income or of the average cost — a new decision, art. 61 and 103 u.p.s.)."""
    if stay.facility.kind != "dps":
        raise _fail("stay", "Odpłatność według art. 61 dotyczy pobytu w DPS.")
    if valid_from < stay.started_on or (stay.ended_on and valid_from >= stay.ended_on):
        raise _fail("valid_from", "Opłata może obowiązywać tylko w czasie pobytu.")
    cost = cost_on(facility=stay.facility, on=valid_from)
    if cost is None:
        raise _fail(
            "valid_from",
            "Brak średniego miesięcznego kosztu utrzymania tego domu na ten dzień "
            "(art. 60 ust. 2 u.p.s.).",
        )
    result = fee_compute(
        monthly_cost=cost.amount, resident_income=resident_income, relatives=relatives,
        on=valid_from,
    )  # fmt: skip
    if result.fees is None:
        raise _fail("resident_income", "; ".join(str(r) for r in result.reasons) or "Błąd.")
    fees = result.fees
    with transaction.atomic():
        if FeeArrangement.objects.filter(stay=stay, valid_from=valid_from).exists():
            raise _fail("valid_from", "Opłata od tego dnia jest już ustalona.")
        _change_from_month_start(stay, valid_from)
        return FeeArrangement.objects.create(
            stay=stay,
            valid_from=valid_from,
            monthly_cost=cost.amount,
            resident_amount=fees.resident,
            relatives=[
                {
                    "name": r.name,
                    "relation": r.relation,
                    "amount": str(share),
                    "agreed": r.agreed_amount is not None,
                }
                for r, (_rel, share) in zip(relatives, fees.relatives, strict=True)
            ],
            city_amount=fees.city,
            inputs={
                "resident_income": str(resident_income),
                "cost_act": cost.act_reference,
                "relatives": [
                    {
                        "name": r.name,
                        "relation": r.relation,
                        "household_size": r.household_size,
                        "household_income": str(r.household_income),
                        "agreed_amount": None if r.agreed_amount is None else str(r.agreed_amount),
                        "exemption": r.exemption_basis,
                    }
                    for r in relatives
                ],
            },
            trace=[{"step": s.step, "value": s.value, "basis": s.basis} for s in result.trace],
            fee_decision=fee_decision,
            created_by=actor,
            created_at=now,
        )


def fee_set_art97(
    *,
    stay: Stay,
    valid_from: date,
    household_income: Decimal,
    household_size: int,
    actor: Any,
    now: datetime,
    exemption: str = "",
    exemption_amount: Decimal | None = None,
    exemption_requested_on: date | None = None,
    exemption_reason: str = "",
) -> FeeArrangement:
    """The fee for a stay in a shelter or a training / supported flat from ``valid_from``
    (art. 97 ust. 1, 1a and 5 u.p.s.) by the law core: free up to the income criterion, above
    it the band of the council's resolution applied to the monthly cost of the place. A new
    arrangement for every change, never an edit; the city bears the rest of the cost.

    ``exemption`` — ``"czesciowe"`` (waiving ``exemption_amount`` a month) or ``"calkowite"``:
    an exemption on the person's request of ``exemption_requested_on`` for the circumstance
    ``exemption_reason``, on the terms of the council's resolution (art. 97 ust. 5); the fee
    decision drafted from this arrangement states it."""
    group = p.ART97_GROUPS.get(stay.facility.kind)
    if group is None:
        raise _fail(
            "stay",
            "Odpłatność według art. 97 dotyczy schroniska oraz mieszkania treningowego "
            "lub wspomaganego.",
        )
    if valid_from < stay.started_on or (stay.ended_on and valid_from >= stay.ended_on):
        raise _fail("valid_from", "Opłata może obowiązywać tylko w czasie pobytu.")
    if household_income is None or household_income < 0:
        raise _fail("household_income", "Dochód gospodarstwa nie może być ujemny.")
    if household_size is None or household_size < 1:
        raise _fail("household_size", "Liczba osób w gospodarstwie musi wynosić co najmniej 1.")
    cost = cost_on(facility=stay.facility, on=valid_from)
    if cost is None:
        raise _fail(
            "valid_from",
            "Brak miesięcznego kosztu miejsca w tej placówce na ten dzień — wprowadź go na "
            "stronie placówki.",
        )
    waiver = exemption_of(exemption, exemption_amount, exemption_requested_on, exemption_reason,
                          today=local_date(now), part_is="amount")  # fmt: skip
    try:
        result = art97_law.calculate_art97(
            group=group,
            household_income=Decimal(household_income),
            household_size=household_size,
            monthly_cost=cost.amount,
            on=valid_from,
            exemption=waiver,
        )
    except LawError as exc:  # the exemption cannot be granted: said at its field
        field = "exemption_amount" if waiver and not waiver.total else "exemption"
        raise _fail(field, str(exc)) from exc
    with transaction.atomic():
        if FeeArrangement.objects.filter(stay=stay, valid_from=valid_from).exists():
            raise _fail("valid_from", "Opłata od tego dnia jest już ustalona.")
        _change_from_month_start(stay, valid_from)
        return FeeArrangement.objects.create(
            stay=stay,
            valid_from=valid_from,
            monthly_cost=cost.amount,
            resident_amount=result.amount,
            relatives=[],
            city_amount=cost.amount - result.amount,
            inputs={
                "basis": "art. 97",
                "group": group,
                "household_income": str(household_income),
                "household_size": household_size,
                "cost_act": cost.act_reference,
                "confirmed": result.confirmed,
                "source": result.source,
                **(
                    {
                        "exemption": {
                            "kind": "calkowite" if waiver.total else "czesciowe",
                            "requested_on": waiver.requested_on.isoformat(),
                            "reason": waiver.reason,
                            "fee_before": str(result.fee_before_exemption),
                            "exempted": str(result.exempted),
                        }
                    }
                    if waiver is not None
                    else {}
                ),
            },
            trace=[{"step": s.step, "value": s.value, "basis": s.basis} for s in result.trace],
            created_by=actor,
            created_at=now,
        )


@dataclass(frozen=True)
class IncomeClassification:
    """What a payer owes is the city's income: dział, rozdział and paragraph of income with the
    act (and the parameter period) it comes from."""

    code: str  # "852 85202 §0830", as charges write classifications
    basis: str  # the paragraph's and chapter's names, the source, ⚠ when unconfirmed


def income_classification(*, facility_kind: str, on: date) -> IncomeClassification:
    """The income classification in force on ``on`` of a fee for a stay in ``facility_kind``
    (a dated law-core parameter, see ``policy.INCOME_CLASSIFICATION``)."""
    name = p.INCOME_CLASSIFICATION.get(facility_kind)
    if name is None:
        raise _fail("charge", "Pobyt w tej placówce nie jest odpłatny — brak klasyfikacji dochodu.")
    try:
        rec = default_store().get(name, on)
    except ParameterNotFound:
        raise _fail(
            "charge", f"Brak klasyfikacji budżetowej dochodu obowiązującej {on:%d.%m.%Y}."
        ) from None
    section, chapter, paragraph = str(rec["klasyfikacja"]).split("-")
    basis = (
        f"§ {paragraph} „{rec['paragraf_nazwa']}”, rozdział {chapter} „{rec['rozdzial_nazwa']}” "
        f"— {rec.source} (parametr {name} od {rec.valid_from:%d.%m.%Y})"
    )
    if not rec.confirmed:
        basis += f". ⚠ Niepotwierdzone: {rec.note}"
    return IncomeClassification(code=f"{section} {chapter} §{paragraph}", basis=basis)


@dataclass(frozen=True)
class ChargeRun:
    created: int
    skipped: int
    waiting: int = 0  # stays whose fee change waits for an enforceable decision


def charges_build(*, month: date, now: datetime) -> ChargeRun:
    """The monthly charges (należności) of every DPS stay in ``month`` per payer; the city's
    share is what the city pays to the home. Part months proportionally to the days of stay
    (⚠ local practice). Idempotent: one charge per stay, month and payer (unique constraint).
    A month whose fee is a change still waiting for an enforceable decision is not built (see
    ``selectors.fee_change_waits``); a later run builds it at the changed rate."""
    start = month.replace(day=1)
    end = next_month_start(start)
    days_in_month = (end - start).days
    top_up = benefit_of("oplata_dps").budget  # the city's top-up to a DPS: an expense, § 4330
    city_budget = f"{top_up.section} {top_up.chapter} §{top_up.paragraph}"
    incomes: dict[str, str] = {}  # what payers owe: income, by kind of facility (dated)
    created = skipped = waiting = 0
    today = local_date(now)
    with transaction.atomic():
        stays = list(sel.stays_charged_in(start=start))
        fees = sel.month_fees(stays, start)
        for stay in stays:
            first = max(start, stay.started_on)
            last = min(end, stay.ended_on or end)
            if stay.pk not in fees:
                continue
            fee, previous = fees[stay.pk]
            if sel.fee_change_waits(fee=fee, previous=previous, on=today):
                waiting += 1  # built by a later run, once the change may be executed
                continue
            ratio = (
                Decimal(1)
                if (last - first).days == days_in_month
                else (Decimal((last - first).days) / Decimal(days_in_month))
            )

            def part(x: Decimal, ratio: Decimal = ratio) -> Decimal:
                return (Decimal(x) * ratio).quantize(CENT, rounding=ROUND_HALF_UP)

            rows = [("mieszkaniec", "mieszkaniec", "Mieszkaniec", part(fee.resident_amount))]
            for i, r in enumerate(fee.relatives):
                if Decimal(r["amount"]) > 0:
                    rows.append(
                        ("krewny", f"krewny-{i + 1}",
                         f"{r['name']} ({DPS_RELATIONS.get(r['relation'], r['relation'])})",
                         part(Decimal(r["amount"]))),
                    )  # fmt: skip
            is_dps = stay.facility.kind == "dps"
            if is_dps:
                total = part(fee.monthly_cost)
                city = total - sum((row[3] for row in rows), Decimal(0))
                rows.append(
                    ("gmina", "gmina", "Gmina Kielce — dopłata do DPS", max(city, Decimal(0)))
                )
            else:
                # Art. 97: only the resident's fee is a charge; nothing when it is free.
                rows = [row for row in rows if row[3] > 0]
            kind_of = stay.facility.kind
            if kind_of not in incomes:
                incomes[kind_of] = income_classification(facility_kind=kind_of, on=start).code
            for kind, key, label, amount in rows:
                budget_text = city_budget if kind == "gmina" else incomes[kind_of]
                if Charge.objects.filter(stay=stay, month=start, payer_key=key).exists():
                    skipped += 1
                    continue
                Charge.objects.create(
                    stay=stay, fee=fee, month=start, payer_kind=kind, payer_key=key,
                    payer_label=label, amount=amount, budget=budget_text, created_at=now,
                )  # fmt: skip
                created += 1
    return ChargeRun(created=created, skipped=skipped, waiting=waiting)


def charge_pay(*, charge: Charge, amount: Decimal) -> Charge:
    """Record a payment on a charge; what stays unpaid after the month is a receivable."""
    if amount is None or amount <= 0:
        raise _fail("amount", "Kwota wpłaty musi być większa od zera.")
    with transaction.atomic():
        locked = Charge.objects.select_for_update().get(pk=charge.pk)
        if locked.receivable_id is not None:
            raise _fail(
                "amount",
                "Należność przekazano do rejestru należności — wpłatę zapisuje się tam.",
            )
        if locked.paid + amount > locked.amount:
            raise _fail("amount", "Wpłata przekracza należność.")
        locked.paid += amount
        locked.save(update_fields=["paid"])
        return locked


def relative_basis_record(
    *,
    fee: FeeArrangement,
    relative: int,
    kind: str,
    number: str,
    signed_on: date,
    actor: Any,
    now: datetime,
) -> RelativeFeeBasis:
    """Record what binds the ``relative``-th relative of ``fee`` (1-based) to pay the share the
    arrangement computed for them (art. 61 ust. 1 pkt 2 u.p.s.): the written agreement with the
    head of the centre (``kind="umowa"``, art. 103 ust. 2) or a final decision (``"decyzja"``).
    Once per relative and arrangement; the arrangement itself is not touched."""
    if not actor.has_perm("facilities.manage_stays", fee.stay.facility):
        raise NotPermitted("Umowę z krewnym zapisuje pracownik prowadzący pobyty tej placówki.")
    if kind not in p.RELATIVE_BASIS_KINDS:
        raise _fail("kind", "Wybierz podstawę: umowa (art. 103 ust. 2) albo decyzja ostateczna.")
    number = (number or "").strip()
    if not number:
        raise _fail("number", "Podaj numer umowy albo decyzji.")
    if len(number) > 40:
        raise _fail("number", "Numer może mieć najwyżej 40 znaków.")
    if signed_on is None:
        raise _fail("signed_on", "Podaj datę umowy albo dzień, w którym decyzja stała się "
                    "ostateczna.")  # fmt: skip
    if signed_on > local_date(now):
        raise _fail("signed_on", "Data nie może być późniejsza niż dzisiejsza.")
    rows = fee.relatives or []
    if not 1 <= relative <= len(rows):
        raise _fail("relative", "W tym ustaleniu opłaty nie ma takiego krewnego.")
    if Decimal(rows[relative - 1]["amount"]) <= 0:
        raise _fail(
            "relative",
            f"{rows[relative - 1]['name']} nie wnosi opłaty według tego ustalenia — umowy "
            "nie zawiera się.",
        )
    try:
        with transaction.atomic():
            return RelativeFeeBasis.objects.create(
                fee=fee, relative=relative, kind=kind, number=number, signed_on=signed_on,
                created_by=actor, created_at=now,
            )  # fmt: skip
    except IntegrityError:  # the unique constraint: a second click, or a colleague at once
        raise ConflictError(
            f"Podstawę opłaty krewnego ({rows[relative - 1]['name']}) już zapisano — "
            "nie zapisano drugiej."
        ) from None


def _relative_basis(charge: Charge, on: date) -> RelativeFeeBasis:
    """A relative's unpaid share is a receivable only under their agreement (art. 103 ust. 2
    u.p.s.) or a final decision recorded for that share, dated on or before ``on`` and binding
    by the charge's month (an agreement made in June does not bind for January)."""
    basis = RelativeFeeBasis.objects.filter(
        fee=charge.fee_id, relative=charge.relative_index
    ).first()
    why = sel.relative_unbound(
        signed_on=basis.signed_on if basis else None, month=charge.month, on=on
    )
    if basis is not None and why and basis.signed_on <= on:  # binds only from a later month
        raise _fail(
            "charge",
            f"{basis.text[0].upper()}{basis.text[1:]} wiąże krewnego ({charge.payer_label}) od "
            f"{basis.signed_on:%d.%m.%Y} — nie za {charge.month:%m.%Y}; za ten miesiąc "
            "nieopłacona kwota nie jest jego należnością z umowy.",
        )
    if basis is None or why:
        raise _fail(
            "charge",
            f"Opłaty krewnego ({charge.payer_label}) nie ustalono umową (art. 103 ust. 2 "
            "u.p.s.) ani decyzją — zapisz umowę na stronie pobytu; bez niej nieopłacona kwota "
            "nie jest należnością do dochodzenia.",
        )
    return basis


def _resident_fee_enforceable(decision: Any, fee: FeeArrangement, on: date) -> None:
    """A resident's unpaid fee is a receivable to pursue only under the decision setting it
    (art. 59 ust. 1, art. 61 ust. 1 pkt 1, art. 97 u.p.s.) once that decision may be executed
    (art. 130 KPA): final, or delivered with rygor natychmiastowej wykonalności."""
    if decision is None:
        raise _fail(
            "charge",
            f"Opłaty mieszkańca od {fee.valid_from:%d.%m.%Y} nie ustalono decyzją — przygotuj "
            "decyzję o odpłatności na stronie pobytu; bez niej nieopłacona kwota nie jest "
            "należnością do dochodzenia.",
        )
    since, why = decision_enforceability(decision)
    if since is None or since > on:
        which = f"nr {decision.number}" if decision.number else "(projekt)"
        raise _fail(
            "charge",
            f"Decyzja {which} ustalająca opłatę nie jest jeszcze wykonalna (art. 130 KPA) — "
            f"{why or f'wykonalna od {since:%d.%m.%Y}'}; należność przekażesz do rejestru, gdy "
            "stanie się wykonalna.",
        )


def charge_register_receivable(*, charge: Charge, actor: Any, on: date) -> Charge:
    """Register a month's charge that the payer (the resident or a relative) did not pay as a
    receivable (należność) in the payments register, with the charge's budget classification:
    the unpaid rest, once the month is over, once per charge — i.e. per stay, month and payer
    (asking again is refused; a unique constraint guards a concurrent second attempt). The
    city's own share (gmina) is what the city pays to the home, never a receivable. Finance
    only; afterwards payments and write-offs are recorded on the receivable."""
    if not actor.has_perm("facilities.register_receivable", charge.stay.facility):
        raise NotPermitted("Należność do rejestru przekazuje dział finansowo-księgowy.")
    with transaction.atomic():
        locked = (
            # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins
            Charge.objects.select_for_update(of=("self",))
            .select_related("stay__person", "stay__facility", "fee__fee_decision")
            .get(pk=charge.pk)
        )
        if locked.receivable_id is not None:
            raise ConflictError(
                f"Należność za {locked.month:%m.%Y} ({locked.payer_label}) jest już w rejestrze "
                "należności — nie utworzono drugiej."
            )
        if locked.payer_kind == "gmina":
            raise _fail("charge", "Udział gminy nie jest należnością od płatnika.")
        if on < next_month_start(locked.month):
            raise _fail(
                "charge",
                f"Miesiąc {locked.month:%m.%Y} jeszcze trwa — nieopłaconą należność można "
                "przekazać do rejestru po jego zakończeniu.",
            )
        unpaid = locked.amount - locked.paid
        if unpaid <= 0:
            raise _fail("charge", "Należność jest opłacona — nie ma czego przekazać.")
        stay, fee = locked.stay, locked.fee
        decision = fee.fee_decision
        agreed = None
        if locked.payer_kind == "mieszkaniec":
            _resident_fee_enforceable(decision, fee, on)
        if locked.payer_kind == "krewny":
            agreed = _relative_basis(locked, on)
            basis, decided_on = agreed.short, agreed.signed_on
        elif decision is not None and decision.number:
            basis, decided_on = decision.number, decision.issued_on or fee.valid_from
        else:
            basis, decided_on = f"ustalenie opłaty od {fee.valid_from:%d.%m.%Y}", fee.valid_from
        try:
            case_id: int | None = case_of(stay.person).pk
        except ValidationFailed:
            case_id = None
        person = stay.person
        debtor = (
            f"{person.first_name} {person.last_name}"
            if locked.payer_kind == "mieszkaniec"
            else locked.payer_label
        )
        article = "art. 97" if stay.facility.kind in p.ART97_GROUPS else "art. 60–61"
        # Income of the city, classified as in force in the charge's month (not the § 4330 of
        # the city's own top-up, which older charges may still carry).
        income = income_classification(facility_kind=stay.facility.kind, on=locked.month)
        rec = receivable_register_facility_charge(
            person_id=person.pk,
            case_id=case_id,
            debtor_name=debtor,
            basis=basis,
            decided_on=decided_on,
            due_date=next_month_start(locked.month) - timedelta(days=1),
            principal=unpaid,
            reason=f"Nieopłacona odpłatność za pobyt ({article} u.p.s.) — {stay.facility.name}, "
            f"{locked.month:%m.%Y}, płatnik: {locked.payer_label}"
            + (" (umowa, art. 103 ust. 2 u.p.s.)" if agreed and agreed.kind == "umowa" else ""),
            budget=income.code,
            budget_basis=income.basis,
            actor=actor,
        )
        locked.receivable_id = rec.pk
        locked.save(update_fields=["receivable_id"])
    return locked
