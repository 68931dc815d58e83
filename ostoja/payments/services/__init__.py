"""Services of the payments context, split by topic (the way Zulip's ``zerver/actions/`` is
split): the run, approval, bank files, statements, reissue, receivables and budget. Every write
goes through here (one transaction each). Import from this package
(``from ostoja.payments import services``); the modules are an implementation detail.
"""

from ._common import (
    BATCH,
    _draft_list,
    _reference,
)
from .approval import (
    SHARED_ACCOUNT_REASON_MIN,
    list_makers,
    payment_list_approve,
)
from .bank_files import (
    FORMATS,
    bank_profile,
    cash_list_settle,
    payment_list_export,
    render_bank_file,
)
from .budget import (
    budget_plan_set,
)
from .receivables import (
    receivable_balance,
    receivable_correct,
    receivable_register,
    receivable_register_from_decision,
    receivable_repay,
    receivable_write_off,
)
from .reissue import (
    payment_reissue,
    payment_reissue_confirm,
)
from .run import (
    BuildResult,
    Recovery,
    payroll_build,
)
from .statements import (
    RETURN_WINDOW_DAYS,
    statement_import,
    statement_problems,
)

__all__ = [
    "BATCH",
    "FORMATS",
    "RETURN_WINDOW_DAYS",
    "SHARED_ACCOUNT_REASON_MIN",
    "BuildResult",
    "Recovery",
    "_draft_list",
    "_reference",
    "bank_profile",
    "budget_plan_set",
    "cash_list_settle",
    "list_makers",
    "payment_list_approve",
    "payment_list_export",
    "payment_reissue",
    "payment_reissue_confirm",
    "payroll_build",
    "receivable_balance",
    "receivable_correct",
    "receivable_register",
    "receivable_register_from_decision",
    "receivable_repay",
    "receivable_write_off",
    "render_bank_file",
    "statement_import",
    "statement_problems",
]
