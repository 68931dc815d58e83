"""Reading decisions: the register, the detail page, the case panel and payable lines.

Split by topic (issue 18): the register and detail page, the case panel, the contract with
payments (``payable_lines``/``held_lines``), and what they share. Import from this package
(``from ostoja.decisions import selectors``); the modules are an implementation detail —
except for a test that replaces a module setting, which must patch the module that reads it.
"""

from ._common import (
    FINAL_STATUSES,
    IMMEDIATE_STATUSES,
    amendments_in_force,
    decision_payability,
)
from .case_panel import (
    CalculationOption,
    CurrentHelp,
    DraftingOptions,
    application_undecided_forms,
    case_decisions,
    current_help,
    drafting_options,
)
from .payments import (
    ARREARS_LOOKBACK_MONTHS,
    RECONCILE_LOOKBACK_DAYS,
    held_lines,
    payable_lines,
)
from .register import (
    ACTION_PERMS,
    EXPORT_HEADER,
    ISSUED,
    KIND_CHOICES,
    LATE,
    ON_TIME,
    REGISTER_PAGE_COLUMNS,
    REGISTER_PAGE_SIZE,
    STATUS_CHOICES,
    ActionButton,
    RegisterFilters,
    actions_for,
    application_reasons,
    decision_figures,
    decision_get,
    decision_pdf,
    decision_register,
    decision_register_page,
    decisions_issued_count,
    decisions_timeliness_counts,
    decisions_visible,
    document_sha,
    register_rows,
    register_workers,
    signed_on_day,
)

__all__ = [
    "ACTION_PERMS",
    "ARREARS_LOOKBACK_MONTHS",
    "EXPORT_HEADER",
    "FINAL_STATUSES",
    "IMMEDIATE_STATUSES",
    "ISSUED",
    "KIND_CHOICES",
    "LATE",
    "ON_TIME",
    "RECONCILE_LOOKBACK_DAYS",
    "REGISTER_PAGE_COLUMNS",
    "REGISTER_PAGE_SIZE",
    "STATUS_CHOICES",
    "ActionButton",
    "CalculationOption",
    "CurrentHelp",
    "DraftingOptions",
    "RegisterFilters",
    "actions_for",
    "amendments_in_force",
    "application_reasons",
    "application_undecided_forms",
    "case_decisions",
    "current_help",
    "decision_figures",
    "decision_get",
    "decision_payability",
    "decision_pdf",
    "decision_register",
    "decision_register_page",
    "decisions_issued_count",
    "decisions_timeliness_counts",
    "decisions_visible",
    "document_sha",
    "drafting_options",
    "held_lines",
    "payable_lines",
    "register_rows",
    "register_workers",
    "signed_on_day",
]
