"""The fingerprint of a decision's content: what a checker saw, bound to the check.

Four eyes (zasada dwóch par oczu) only holds when the check is of the exact content that is
signed: the lines (benefit, amount, period, account…), the addressee, the justification and
every other fact printed in the decision. The fingerprint is a SHA-256 of that content in a
canonical JSON form; any change after the check gives another fingerprint, and the signature
is refused (issue 20, finding 5).

The function takes plain values (``QuerySet.values()``), so that the data migration computes
the same fingerprint from its historical models as the services do from the live ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

DECISION_FIELDS: tuple[str, ...] = (
    "case_id",
    "application_id",
    "calculation_id",
    "kind",
    "matter",
    "case_reference",
    "addressee_id",
    "addressee_name",
    "addressee_address",
    "application_date",
    "trace_bases",
    "justification",
    "immediate",
    "immediate_reason",
    "refers_to_id",
    "effective_from",
    "recovery_amount",
    "recovery_due",
    "recovery_source_lines",
    "instalments",
    "reason_text",
    "extra_recipients",
)
# Fields added after decisions were first fingerprinted: counted only when set, so that the
# fingerprint of every decision checked before they existed stays what it was.
OPTIONAL_DECISION_FIELDS: tuple[str, ...] = ("refers_to_paper", "refers_to_paper_on")
LINE_FIELDS: tuple[str, ...] = (
    "position",
    "benefit",
    "granted",
    "amount",
    "one_off",
    "period_from",
    "period_to",
    "payment_method",
    "account_number",
    "payment_day",
    "purpose",
    "note",
    "health_insured_elsewhere",
    "budget_section",
    "budget_chapter",
    "budget_paragraph",
    "task_type",
    "funding",
)


def content_fingerprint(decision: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 (hex) of the decision's content; lines in position order."""
    body = {
        "decision": {
            **{f: decision.get(f) for f in DECISION_FIELDS},
            **{f: decision.get(f) for f in OPTIONAL_DECISION_FIELDS if decision.get(f)},
        },
        "lines": sorted(
            ({f: line.get(f) for f in LINE_FIELDS} for line in lines),
            key=lambda ln: (ln["position"] or 0, str(ln["benefit"])),
        ),
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
