"""The calculation interface: request document (dict) → result document (dict).

The contract (field names, codes, formats) is issue 3 „The law as code”. Used by the CLI
(``ostoja calc``), the API (``POST /api/v1/calculations``) and the web pages; it only parses,
validates (collecting *all* errors with field paths and Polish messages), calls the pure
calculators and renders the result with amounts as two-decimal strings.

Size (issue 18): ~670 lines, all of one parser for one request document (the issue 3
contract); it collects every error with its field path, so the parts share one ``_Parser``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .alternatives import alternatives
from .benefits import CALCULATORS, BenefitResult
from .codes import (
    BENEFITS,
    DISABILITY_DEGREES,
    DPS_EXEMPTIONS,
    DPS_RELATION_ORDER,
    DPS_RELATIONS,
    INCOME_KINDS,
    INCOME_SHAPES,
    RESIDENCE_TITLES,
    ROLES,
    SEXES,
)
from .errors import ParameterNotFound
from .household import (
    CareInput,
    Case,
    DpsExemption,
    DpsInput,
    DpsRelative,
    FuneralInput,
    Household,
    IncomeItem,
    Member,
)
from .money import fmt, fmt_percent, parse_decimal
from .periods import YearMonth, parse_date, parse_year_month
from .policy import DEFAULT_POLICY, Policy
from .store import ParameterStore, default_store

__all__ = [
    "BENEFITS",
    "DISABILITY_DEGREES",
    "DPS_EXEMPTIONS",
    "DPS_RELATIONS",
    "INCOME_KINDS",
    "RESIDENCE_TITLES",
    "ROLES",
    "SEXES",
    "RequestError",
    "calculate_document",
    "parse_request",
    "result_to_document",
]

_MAX_AMOUNT = Decimal("1000000000")
_MAX_MEMBERS = 50
_MAX_ITEMS = 100
_Date = date  # the parser has a method named ``date``; annotations inside it use this name


class RequestError(Exception):
    """Invalid request; ``errors`` is a list of ``{"field": ..., "message": ...}`` (Polish)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


class _Parser:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []
        self.on: date | None = None  # the application date, once parsed

    def error(self, field: str, message: str) -> None:
        label = field or "dokument"
        self.errors.append({"field": field, "message": f"Pole „{label}”: {message}."})

    # -- primitives -----------------------------------------------------------------------
    def date(
        self, data: Mapping[str, Any], key: str, path: str, required: bool = False
    ) -> date | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.error(path, "jest wymagane (data w formacie RRRR-MM-DD)")
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def boolean(self, data: Mapping[str, Any], key: str, path: str, default: bool = False) -> bool:
        raw = data.get(key)
        if raw is None:
            return default
        if not isinstance(raw, bool):
            self.error(path, "oczekiwano wartości logicznej true albo false")
            return default
        return raw

    def code(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        allowed: Mapping[str, str],
        what: str,
        required: bool = False,
        default: str | None = None,
    ) -> str | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.error(path, f"jest wymagane ({what})")
            return default
        if not isinstance(raw, str) or raw not in allowed:
            self.error(path, f"nieznana wartość {raw!r} ({what}); dozwolone: {', '.join(allowed)}")
            return default
        return raw

    def amount(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        required: bool = False,
        places: int = 2,
    ) -> Decimal | None:
        raw = data.get(key)
        if raw is None:
            if required:
                self.error(path, 'jest wymagane (kwota jako tekst, np. "123.45")')
            return None
        try:
            value = parse_decimal(raw, max_places=places)
        except ValueError as exc:
            self.error(path, str(exc))
            return None
        if value < 0:
            self.error(path, "kwota nie może być ujemna")
            return None
        if value > _MAX_AMOUNT:
            self.error(path, "wartość jest nieprawdopodobnie duża")
            return None
        return value

    def month(self, data: Mapping[str, Any], key: str, path: str) -> YearMonth | None:
        raw = data.get(key)
        if raw is None:
            return None
        try:
            return parse_year_month(raw)
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def timing(self, data: Mapping[str, Any], path: str, on: _Date | None) -> dict[str, Any] | None:
        """Issue 22: ``one_off`` + ``received`` (art. 8 ust. 11) or ``period_from`` /
        ``period_to`` (art. 8 ust. 12) of an income item; ``{}`` when none is given."""
        if not any(k in data for k in ("one_off", "received", "period_from", "period_to")):
            return {}
        one_off = self.boolean(data, "one_off", f"{path}.one_off")
        received = self.month(data, "received", f"{path}.received")
        start = self.month(data, "period_from", f"{path}.period_from")
        end = self.month(data, "period_to", f"{path}.period_to")
        ok = True
        if data.get("received") is not None and not one_off:
            self.error(
                f"{path}.received",
                "miesiąc otrzymania podaje się dla dochodu jednorazowego (one_off: true)",
            )
            ok = False
        if one_off and (start is not None or end is not None):
            self.error(
                f"{path}.period_from",
                "dochód jednorazowy (art. 8 ust. 11) albo dochód "
                "za okres (art. 8 ust. 12) — nie oba",
            )
            ok = False
        if end is not None and start is None and data.get("period_from") is None:
            self.error(f"{path}.period_from", "jest wymagane, gdy podano period_to")
            ok = False
        if start is not None and end is not None and end < start:
            self.error(f"{path}.period_to", "koniec okresu jest wcześniejszy niż początek")
            ok = False
        if (
            start is not None
            and end is not None
            and ((end.year - start.year) * 12 + end.month - start.month >= 120)
        ):
            self.error(f"{path}.period_to", "okres dłuższy niż 120 miesięcy")
            ok = False
        if received is not None and on is not None and received > YearMonth.of(on):
            self.error(f"{path}.received", "miesiąc otrzymania jest późniejszy niż miesiąc wniosku")
            ok = False
        if not ok:
            return None
        return {
            "one_off": one_off,
            "received": received,
            "period_from": start,
            "period_to": end if start is not None else None,
        }

    def obj(self, raw: Any, path: str) -> Mapping[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.error(path, "oczekiwano obiektu JSON")
            return None
        return raw

    def array(self, raw: Any, path: str, limit: int) -> list[Any] | None:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.error(path, "oczekiwano listy")
            return None
        if len(raw) > limit:
            self.error(path, f"najwyżej {limit} pozycji")
            return None
        return raw

    # -- composite ------------------------------------------------------------------------
    def income_item(self, raw: Any, path: str) -> IncomeItem | None:
        item = self._income_item_base(raw, path)
        if item is None or not isinstance(raw, Mapping):
            return item
        timing = self.timing(raw, path, self.on)
        if not timing:
            return item
        if item.kind in ("gospodarstwo_rolne", "alimenty_placone"):
            self.error(f"{path}.one_off", "dochód jednorazowy / za okres nie dotyczy tego rodzaju")
            return None
        return dataclasses.replace(item, **timing)

    def _income_item_base(self, raw: Any, path: str) -> IncomeItem | None:
        data = self.obj(raw, path)
        if data is None:
            return None
        kind = self.code(
            data, "kind", f"{path}.kind", INCOME_KINDS, "rodzaj dochodu", required=True
        )
        if kind is None:
            return None
        shape = INCOME_SHAPES.get(kind)
        zero = Decimal(0)
        if shape == "wage":
            amount = self.amount(data, "amount", f"{path}.amount")
            gross = self.amount(data, "gross", f"{path}.gross")
            tax = self.amount(data, "tax", f"{path}.tax") or zero
            social = self.amount(data, "social", f"{path}.social") or zero
            health = self.amount(data, "health", f"{path}.health") or zero
            kup = self.amount(data, "kup", f"{path}.kup") or zero
            if data.get("amount") is None and data.get("gross") is None:
                self.error(
                    f"{path}.amount",
                    "podaj wynagrodzenie netto (amount) albo brutto (gross) "
                    "z podatkiem i składkami",
                )
                return None
            if data.get("amount") is not None and data.get("gross") is not None:
                self.error(
                    f"{path}.gross", "podaj albo amount (netto), albo gross (brutto), nie oba"
                )
                return None
            if gross is not None and tax + social + health > gross:
                self.error(f"{path}.gross", "podatek i składki przekraczają wynagrodzenie brutto")
                return None
            if amount is None and gross is None:
                return None
            return IncomeItem(
                kind, amount=amount, gross=gross, tax=tax, social=social, health=health, kup=kup
            )
        if shape == "business":
            revenue = self.amount(data, "revenue", f"{path}.revenue", required=True)
            costs = self.amount(data, "costs", f"{path}.costs") or zero
            tax = self.amount(data, "tax", f"{path}.tax") or zero
            social = self.amount(data, "social", f"{path}.social") or zero
            health = self.amount(data, "health", f"{path}.health") or zero
            if revenue is None:
                return None
            return IncomeItem(
                kind, revenue=revenue, costs=costs, tax=tax, social=social, health=health
            )
        if shape == "farm":
            hectares = self.amount(data, "hectares", f"{path}.hectares", required=True, places=4)
            if hectares is None:
                return None
            return IncomeItem(kind, hectares=hectares)
        amount = self.amount(data, "amount", f"{path}.amount", required=True)
        if amount is None:
            return None
        return IncomeItem(kind, amount=amount)

    def items(self, raw: Any, path: str) -> tuple[IncomeItem, ...]:
        items = self.array(raw, path, _MAX_ITEMS)
        if items is None:
            return ()
        parsed = [self.income_item(item, f"{path}[{i}]") for i, item in enumerate(items)]
        return tuple(p for p in parsed if p is not None)

    def members(self, raw: Any, benefit: str | None, on: _Date | None) -> tuple[Member, ...]:
        if raw is None:
            self.error("members", "jest wymagane — co najmniej jedna osoba w gospodarstwie domowym")
            return ()
        items = self.array(raw, "members", _MAX_MEMBERS)
        if items is None:
            return ()
        if not items:
            self.error("members", "lista osób nie może być pusta")
            return ()
        dicts = [self.obj(m, f"members[{i}]") for i, m in enumerate(items)]
        explicit_applicants = [
            i for i, d in enumerate(dicts) if d is not None and d.get("role") == "wnioskodawca"
        ]
        for extra in explicit_applicants[1:]:
            self.error(f"members[{extra}].role", "tylko jedna osoba może mieć rolę „wnioskodawca”")
        applicant_index = explicit_applicants[0] if explicit_applicants else 0
        members: list[Member] = []
        seen: set[str] = set()
        for i, data in enumerate(dicts):
            if data is None:
                continue
            path = f"members[{i}]"
            raw_id = data.get("id")
            if raw_id is None:
                member_id = str(i + 1)
            elif isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id):
                member_id = str(raw_id)
            else:
                self.error(f"{path}.id", "oczekiwano tekstowego identyfikatora osoby")
                member_id = str(i + 1)
            if member_id in seen:
                self.error(f"{path}.id", f"identyfikator {member_id!r} powtarza się")
            seen.add(member_id)
            default_role = "wnioskodawca" if i == applicant_index else "inny"
            role = self.code(
                data, "role", f"{path}.role", ROLES, "rola w gospodarstwie", default=default_role
            )
            birth_date = self.date(data, "birth_date", f"{path}.birth_date")
            sex = self.code(data, "sex", f"{path}.sex", SEXES, "płeć: K albo M")
            disability = self.code(
                data,
                "disability",
                f"{path}.disability",
                DISABILITY_DEGREES,
                "stopień niepełnosprawności albo null",
            )
            total_incapacity = self.boolean(data, "total_incapacity", f"{path}.total_incapacity")
            insured = self.boolean(data, "insured_elsewhere", f"{path}.insured_elsewhere")
            incomes = self.items(data.get("incomes"), f"{path}.incomes")
            if birth_date is not None and on is not None and birth_date > on:
                self.error(f"{path}.birth_date", "data urodzenia jest późniejsza niż data wniosku")
            if benefit == "zasilek_staly" and i == applicant_index:
                if data.get("birth_date") is None:
                    self.error(
                        f"{path}.birth_date",
                        "jest wymagane przy zasiłku stałym (wiek, pełnoletność)",
                    )
                if data.get("sex") is None:
                    self.error(
                        f"{path}.sex",
                        "jest wymagane przy zasiłku stałym (wiek emerytalny 60/65 lat)",
                    )
            members.append(
                Member(
                    id=member_id,
                    role=role or default_role,
                    birth_date=birth_date,
                    sex=sex,
                    disability=disability,
                    total_incapacity=total_incapacity,
                    insured_elsewhere=insured,
                    incomes=incomes,
                )
            )
        return tuple(members)

    def dps(self, raw: Any, member_ids: set[str]) -> DpsInput | None:
        data = self.obj(raw, "dps")
        if data is None:
            return None
        cost = self.amount(data, "monthly_cost", "dps.monthly_cost", required=True)
        resident = data.get("resident")
        if resident is not None:
            resident = str(resident)
            if member_ids and resident not in member_ids:
                self.error("dps.resident", f"brak osoby o identyfikatorze {resident!r} w members")
        relatives: list[DpsRelative] = []
        for i, rel in enumerate(
            self.array(data.get("relatives"), "dps.relatives", _MAX_ITEMS) or []
        ):
            path = f"dps.relatives[{i}]"
            rd = self.obj(rel, path)
            if rd is None:
                continue
            relation = self.code(
                rd,
                "relation",
                f"{path}.relation",
                DPS_RELATIONS,
                "stopień pokrewieństwa",
                required=True,
            )
            household = None
            if rd.get("household") is not None:
                household = self.relative_household(rd["household"], f"{path}.household")
                size_raw: int | None = household.size if household is not None else None
                income: Decimal | None = Decimal(0)
                for key in ("household_size", "household_income"):
                    if rd.get(key) is not None:
                        self.error(
                            f"{path}.{key}",
                            "podaj albo household (osoby i dochody), "
                            "albo household_size z household_income, nie oba",
                        )
            else:
                size_raw = rd.get("household_size", 1)
                if (
                    isinstance(size_raw, bool)
                    or not isinstance(size_raw, int)
                    or not 1 <= size_raw <= _MAX_MEMBERS
                ):
                    self.error(
                        f"{path}.household_size", "oczekiwano liczby osób (liczba całkowita ≥ 1)"
                    )
                    size_raw = None
                income = self.amount(
                    rd, "household_income", f"{path}.household_income", required=True
                )
            minor = self.boolean(rd, "minor", f"{path}.minor")
            if minor and relation is not None and DPS_RELATION_ORDER.get(relation) != 2:
                self.error(f"{path}.minor", "małoletni może być tylko zstępny (dziecko, wnuk)")
            exemption = None
            if rd.get("exemption") is not None:
                ed = self.obj(rd["exemption"], f"{path}.exemption")
                if ed is not None:
                    basis = self.code(
                        ed,
                        "basis",
                        f"{path}.exemption.basis",
                        DPS_EXEMPTIONS,
                        "podstawa zwolnienia",
                        required=True,
                    )
                    amount = self.amount(ed, "amount", f"{path}.exemption.amount")
                    if basis is not None:
                        exemption = DpsExemption(basis, amount)
            agreed = self.amount(rd, "agreed_amount", f"{path}.agreed_amount")
            if relation is not None and size_raw is not None and income is not None:
                relatives.append(
                    DpsRelative(
                        relation,
                        size_raw,
                        income,
                        household=household,
                        minor=minor,
                        exemption=exemption,
                        agreed_amount=agreed,
                    )
                )
        if cost is None:
            return None
        return DpsInput(monthly_cost=cost, resident=resident, relatives=tuple(relatives))

    def relative_household(self, raw: Any, path: str) -> Household | None:
        """A DPS relative's own household: ``{"members": [{"id", "incomes"}], ...}``."""
        data = self.obj(raw, path)
        if data is None:
            return None
        items = self.array(data.get("members"), f"{path}.members", _MAX_MEMBERS)
        if not items:
            if items is not None:
                self.error(
                    f"{path}.members",
                    "lista osób gospodarstwa krewnego nie może być pusta (co najmniej krewny)",
                )
            return None
        members = []
        for j, m in enumerate(items):
            md = self.obj(m, f"{path}.members[{j}]")
            if md is None:
                continue
            incomes = self.items(md.get("incomes"), f"{path}.members[{j}].incomes")
            members.append(Member(id=str(md.get("id", j + 1)), role="inny", incomes=incomes))
        extra = self.items(data.get("household_incomes"), f"{path}.household_incomes")
        if not members:
            return None
        return Household(members=tuple(members), household_incomes=extra)

    def funeral(self, raw: Any) -> FuneralInput | None:
        data = self.obj(raw, "funeral")
        if data is None:
            return None
        costs = self.amount(data, "costs", "funeral.costs", required=True)
        due = self.boolean(data, "zus_grant_due", "funeral.zus_grant_due")
        extra = self.amount(data, "extraordinary_costs", "funeral.extraordinary_costs")
        if due and extra is None and data.get("extraordinary_costs") is None:
            self.error(
                "funeral.extraordinary_costs",
                "jest wymagane, gdy przysługuje zasiłek pogrzebowy (koszty nadzwyczajne)",
            )
            return None
        if costs is not None and extra is not None and extra > costs:
            self.error(
                "funeral.extraordinary_costs", "koszty nadzwyczajne przekraczają koszty pogrzebu"
            )
            return None
        if costs is None:
            return None
        return FuneralInput(costs=costs, zus_grant_due=due, extraordinary_costs=extra)

    def care(self, raw: Any) -> CareInput | None:
        data = self.obj(raw, "care")
        if data is None:
            return None
        price = self.amount(data, "hourly_price", "care.hourly_price", required=True)
        hours = self.amount(data, "hours", "care.hours", required=True)
        if price is None or hours is None:
            return None
        return CareInput(hourly_price=price, hours=hours)


def parse_request(doc: Any) -> tuple[str, Case]:
    """Validate a request document; returns ``(benefit, case)`` or raises ``RequestError``."""
    p = _Parser()
    data = p.obj(doc, "")
    if data is None:
        raise RequestError(p.errors)
    benefit = p.code(data, "benefit", "benefit", BENEFITS, "rodzaj świadczenia", required=True)
    on = p.date(data, "application_date", "application_date", required=True)
    p.on = on
    income_month: YearMonth | None = None
    if data.get("income_month") is not None:
        try:
            income_month = parse_year_month(data["income_month"])
        except ValueError as exc:
            p.error("income_month", str(exc))
    income_lost = p.boolean(data, "income_lost", "income_lost")
    entitlement_from = p.date(data, "entitlement_from", "entitlement_from")
    residence = p.code(
        data,
        "residence_title",
        "residence_title",
        RESIDENCE_TITLES,
        "tytuł pobytu",
        default="obywatel_pl",
    )
    interview_refused = p.boolean(data, "interview_refused", "interview_refused")
    non_cooperation = p.boolean(data, "non_cooperation", "non_cooperation")
    asset_disproportion = p.boolean(data, "asset_disproportion", "asset_disproportion")
    repayable = p.boolean(data, "repayable", "repayable")
    members = p.members(data.get("members"), benefit, on)
    household_incomes = p.items(data.get("household_incomes"), "household_incomes")
    requested = p.amount(data, "requested_amount", "requested_amount")
    member_ids = {m.id for m in members}
    dps = p.dps(data["dps"], member_ids) if data.get("dps") is not None else None
    care = p.care(data["care"]) if data.get("care") is not None else None
    if benefit == "oplata_dps" and data.get("dps") is None:
        p.error("dps", "jest wymagane przy opłacie za DPS (co najmniej monthly_cost)")
    # Issue 22: decision date, work under a social contract, funeral costs.
    decision_date = p.date(data, "decision_date", "decision_date")
    if decision_date is not None and on is not None and decision_date < on:
        p.error("decision_date", "data decyzji jest wcześniejsza niż data wniosku")
    contract_start = p.date(data, "contract_work_start", "contract_work_start")
    contract_amount = p.amount(data, "contract_amount", "contract_amount")
    if data.get("contract_amount") is not None and data.get("contract_work_start") is None:
        p.error("contract_work_start", "jest wymagane, gdy podano contract_amount")
    if contract_start is not None and benefit not in (None, "zasilek_okresowy"):
        p.error("contract_work_start", "dotyczy tylko zasiłku okresowego")
    funeral = p.funeral(data["funeral"]) if data.get("funeral") is not None else None
    if benefit == "zasilek_celowy_pogrzeb" and data.get("funeral") is None:
        p.error("funeral", "jest wymagane przy zasiłku celowym na pogrzeb (co najmniej costs)")
    if p.errors or benefit is None or on is None:
        raise RequestError(p.errors)
    case = Case(
        household=Household(members=members, household_incomes=household_incomes),
        application_date=on,
        income_month=income_month,
        income_lost=income_lost,
        entitlement_from=entitlement_from,
        residence_title=residence or "obywatel_pl",
        interview_refused=interview_refused,
        non_cooperation=non_cooperation,
        asset_disproportion=asset_disproportion,
        requested_amount=requested,
        repayable=repayable,
        dps=dps,
        care=care,
        decision_date=decision_date,
        contract_work_start=contract_start,
        contract_amount=contract_amount,
        funeral=funeral,
    )
    return benefit, case


def result_to_document(result: BenefitResult) -> dict[str, Any]:
    """Render a ``BenefitResult`` as the result document (amounts as two-decimal strings)."""
    fees = None
    if result.fees is not None:
        fees = {
            "resident": fmt(result.fees.resident),
            "relatives": [
                {"relation": relation, "amount": fmt(amount)}
                for relation, amount in result.fees.relatives
            ],
            "relatives_total": fmt(result.fees.relatives_total),
            "city": fmt(result.fees.city),
        }
    income = result.income
    return {
        "benefit": result.benefit,
        "eligible": result.eligible,
        "amount": fmt(result.amount),
        "monthly_amount": fmt(result.monthly_amount),
        "amount_min": fmt(result.amount_min),
        "amount_max": fmt(result.amount_max),
        "health_contribution": fmt(result.health_contribution),
        "health_insured_elsewhere": result.health_insured_elsewhere,
        "free_of_charge": result.free_of_charge,
        "fee": fmt(result.fee),
        "fee_rate": fmt_percent(result.fee_rate),
        "fees": fees,
        "income": {
            "month": str(income.month),
            "total": fmt(income.total),
            "per_person": fmt(income.per_person),
            "criterion": fmt(income.criterion),
        },
        "reasons": [str(r) for r in result.reasons],
        "trace": [s.as_dict() for s in result.trace],
        "parameters": {
            "valid_from": result.parameters.valid_from.isoformat(),
            "source": result.parameters.source,
        },
    }


def calculate_document(
    doc: dict[str, Any],
    *,
    store: ParameterStore | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> dict[str, Any]:
    """Request document → result document; raises ``RequestError`` for invalid input
    (including a date for which no parameter is in force)."""
    benefit, case = parse_request(doc)
    try:
        result = CALCULATORS[benefit](case, store=store or default_store(), policy=policy)
    except ParameterNotFound as exc:
        raise RequestError(
            [{"field": "application_date", "message": f"Pole „application_date”: {exc}."}]
        ) from exc
    document = result_to_document(result)
    document["other_benefits"] = [
        a.as_dict() for a in alternatives(case, benefit, result, store=store, policy=policy)
    ]
    return document
