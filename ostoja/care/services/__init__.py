"""Writes of the care context, split by topic: providers, care-services orders (months, bills,
invoices), service events, the powiat's programmes, and the decisions behind them. Each user
action is one transaction, validated (Polish messages naming the field), audited
(django-auditlog on every model), and written to the family's timeline. Time is an input:
``on``/``now`` are required keywords. Import from this package
(``from ostoja.care import services``); the modules are an implementation detail."""

from ._common import BILL_PAYMENT_DAYS, first_of_month
from .decided import (
    care_extent,
    care_order_decision_draft,
    integration_benefit_decide,
    integration_lines,
    leaving_care_help_decide,
)
from .events import funeral_recovery_record, service_event_record
from .month_correction import (
    care_month_correction_confirm,
    care_month_correction_propose,
    care_month_correction_reject,
    month_current,
    month_paid,
    month_refund_outstanding,
)
from .order_change import care_order_change_draft
from .orders import (
    InvoiceCheck,
    care_month_bill,
    care_month_paid,
    care_month_report,
    care_month_to_receivable,
    care_order_create,
    care_order_paper_day_record,
    invoice_expectation,
    provider_invoice_check,
)
from .paper_day import (
    care_order_paper_day_confirm,
    care_order_paper_day_propose,
    care_order_paper_day_reject,
)
from .powiat import (
    integration_programme_create,
    integration_programme_end,
    integration_review_add,
    leaving_care_help_compute,
    leaving_care_programme_create,
)
from .providers import carer_add, contract_add, contract_in_force, provider_create
from .refunds import care_month_refund_record

__all__ = [
    "BILL_PAYMENT_DAYS",
    "InvoiceCheck",
    "care_extent",
    "care_month_bill",
    "care_month_correction_confirm",
    "care_month_correction_propose",
    "care_month_correction_reject",
    "care_month_paid",
    "care_month_refund_record",
    "care_month_report",
    "care_month_to_receivable",
    "care_order_change_draft",
    "care_order_create",
    "care_order_decision_draft",
    "care_order_paper_day_confirm",
    "care_order_paper_day_propose",
    "care_order_paper_day_record",
    "care_order_paper_day_reject",
    "carer_add",
    "contract_add",
    "contract_in_force",
    "first_of_month",
    "funeral_recovery_record",
    "integration_benefit_decide",
    "integration_lines",
    "integration_programme_create",
    "integration_programme_end",
    "integration_review_add",
    "invoice_expectation",
    "leaving_care_help_compute",
    "leaving_care_help_decide",
    "leaving_care_programme_create",
    "month_current",
    "month_paid",
    "month_refund_outstanding",
    "provider_create",
    "provider_invoice_check",
    "service_event_record",
]
