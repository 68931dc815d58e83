"""The contract between decisions and payments: what an enforceable decision line says to pay.

Decisions produce these (``ostoja.decisions.selectors.payable_lines``); payments builds schedules
and payment runs from them and never reads decision tables directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class PaymentMethod(StrEnum):
    TRANSFER = "przelew"  # bank transfer to the recipient's account (NRB)
    CASH = "kasa"  # cash at the centre's pay desk
    POST = "poczta"  # postal order (przekaz pocztowy)
    IN_KIND = "rzeczowa"  # paid to a supplier / in kind — not on a recipient's list


class TaskType(StrEnum):
    """Rodzaj zadania (art. 17–20 u.p.s.) — drives the funding source."""

    GMINA_OWN_MANDATORY = "gmina_wlasne_obowiazkowe"
    GMINA_OWN_OPTIONAL = "gmina_wlasne_fakultatywne"
    GMINA_COMMISSIONED = "gmina_zlecone"
    POWIAT_OWN = "powiat_wlasne"
    POWIAT_COMMISSIONED = "powiat_zlecone"


class FundingSource(StrEnum):
    CITY = "budzet_miasta"
    STATE_GRANT = "dotacja_celowa"  # dotacja celowa z budżetu państwa


@dataclass(frozen=True, slots=True)
class BudgetClassification:
    """Klasyfikacja budżetowa: dział / rozdział / paragraf (rozporządzenie MF z 2 III 2010)."""

    section: str  # dział, e.g. "852"
    chapter: str  # rozdział, e.g. "85216"
    paragraph: str  # paragraf, e.g. "3110"
    task_type: TaskType
    funding: FundingSource


@dataclass(frozen=True, slots=True)
class PayableLine:
    """One operative line of an enforceable decision, as payments needs it.

    ``period_to`` is exclusive (half-open period). ``effective_to`` is set when a later decision
    (zmiana, uchylenie, wygaszenie) ends the line early — from that day nothing more is due, and
    anything already paid for days on or after it is an overpayment.
    """

    line_id: int
    decision_id: int
    decision_number: str
    case_id: int
    person_id: int
    recipient_name: str
    recipient_address: str
    benefit: str  # law core benefit code, e.g. "zasilek_okresowy"
    monthly_amount: Decimal
    period_from: date
    period_to: date | None
    effective_to: date | None
    payment_method: PaymentMethod
    account_number: str  # NRB (26 digits) for transfers, else ""
    payment_day: int  # day of month the payment is due (1–28)
    budget: BudgetClassification
    one_off: bool = False  # a single payment (zasiłek celowy) rather than monthly
    health_insured_elsewhere: bool = True  # False → składka zdrowotna is due (zasiłek stały)
    # The day the decision became enforceable (art. 130 KPA): final, or delivered with rygor.
    # Nothing is paid before it; months of the period before it are paid as arrears from it.
    enforceable_from: date | None = None


@dataclass(frozen=True, slots=True)
class HeldLine:
    """A granted line of a paying decision that cannot be paid yet, and why (art. 130 KPA)."""

    line_id: int
    decision_id: int
    decision_number: str
    case_id: int
    recipient_name: str
    benefit: str
    amount: Decimal
    one_off: bool
    period_from: date
    reason: str
    expected_on: date | None = None

    def as_dict(self) -> dict[str, str | int | bool | None]:
        return {
            "line": self.line_id,
            "decision": self.decision_id,
            "decision_number": self.decision_number,
            "case": self.case_id,
            "recipient": self.recipient_name,
            "benefit": self.benefit,
            "amount": str(self.amount),
            "one_off": self.one_off,
            "period_from": self.period_from.isoformat(),
            "reason": self.reason,
            "expected_on": self.expected_on.isoformat() if self.expected_on else None,
        }
