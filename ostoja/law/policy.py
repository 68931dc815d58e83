"""Named policy settings: interpretation choices where the Act is silent.

Each default is the one ``law.md`` recommends; each is listed in ``ostoja/law/README.md``.
A centre may run with another ``Policy`` (e.g. from its settings); a decision should store the
policy it was calculated with.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP

__all__ = ["DEFAULT_POLICY", "Policy"]

_CHOICES = {
    "per_person_rounding": ("exact", "grosze"),
    "okresowy_default": ("minimum", "maximum"),
    "part_month_method": ("exact", "daily_rate_first"),
    "dps_split_within_group": ("proportional", "in_order"),
    "health_contribution_basis": ("first_month", "monthly"),
    "rounding": (ROUND_HALF_UP, ROUND_HALF_EVEN),
    "alimony_paid_floor": ("family", "member"),
    "farm_hectares_scope": ("family", "holder"),
    "criterion_date": ("decision", "application"),
}


@dataclass(frozen=True, slots=True)
class Policy:
    """Interpretation switches (see README, section "Policy settings").

    - ``per_person_rounding``: ``"exact"`` keeps full precision of family income ÷ members and
      rounds only the final amount; ``"grosze"`` rounds the per-person income to 0.01 zł first.
    - ``kup_on_employee_pay``: deduct tax-deductible costs (KUP) from employee gross pay a
      second time (art. 8 ust. 3 pkt 1 since 30.05.2021); default ``False`` (net pay).
    - ``okresowy_floor_over_gap``: the 20 zł minimum of zasiłek okresowy wins over a smaller
      gap between criterion and income (art. 38 ust. 4 vs ust. 2); default ``True``.
    - ``okresowy_default``: the amount proposed within the statutory range — ``"minimum"``
      (guaranteed 50 %) or ``"maximum"``.
    - ``part_month_method``: ``"exact"`` = monthly × days ÷ days-in-month, rounded once;
      ``"daily_rate_first"`` = daily rate rounded to grosze, then × days.
    - ``floor_before_proration``: apply the monthly floor (20 zł / 100 zł) to the monthly
      amount and then pro-rate (``True``), or guarantee the floor to the pro-rated amount.
    - ``negative_income_to_zero``: a business loss or alimony paid larger than the member's
      income does not reduce other members' income (each member's income floors at 0).
    - ``dps_split_within_group``: how relatives of the same order (e.g. two children) share
      the DPS fee above the resident's part: in proportion to their capacity, or in the order
      given.
    - ``health_contribution_basis``: 9 % of the first month's paid amount or of the full
      monthly amount.
    - ``rounding``: rounding mode of every money quantisation.
    - ``alimony_paid_floor`` (issue 22): ``"family"`` — alimony paid to others (art. 8 ust. 3
      pkt 3) is deducted from the family's income even where it exceeds the payer's own
      income (the member's own income floors at 0, the excess reduces the family total, which
      floors at 0); ``"member"`` — the excess vanishes with the member's floor (the behaviour
      before issue 22). Why the default: art. 8 ust. 3 deducts alimony from the *sum* of the
      receipts, and the alimony is in fact paid out of the family's money.
    - ``farm_hectares_scope`` (issue 22): ``"family"`` — conversion hectares held by all
      members are summed before the under-1-ha test (art. 8 ust. 4 / ust. 9); ``"holder"`` —
      each holder's hectares are tested separately. Why the default: the Act presumes income
      from the farm (gospodarstwo rolne) the family holds, and splitting one farm between
      spouses must not hide it below 1 ha.
    - ``criterion_date`` (issue 22): when the request carries a ``decision_date`` different
      from the application date, ``"decision"`` uses the criteria and amounts in force on the
      decision date (the organ applies the law in force when it decides), ``"application"``
      those of the application date. The income month always follows the application.
    """

    per_person_rounding: str = "exact"
    kup_on_employee_pay: bool = False
    okresowy_floor_over_gap: bool = True
    okresowy_default: str = "minimum"
    part_month_method: str = "exact"
    floor_before_proration: bool = True
    negative_income_to_zero: bool = True
    dps_split_within_group: str = "proportional"
    health_contribution_basis: str = "first_month"
    rounding: str = ROUND_HALF_UP
    alimony_paid_floor: str = "family"
    farm_hectares_scope: str = "family"
    criterion_date: str = "decision"

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"Policy.{name}: {value!r} nie jest jedną z {allowed}")


DEFAULT_POLICY = Policy()
