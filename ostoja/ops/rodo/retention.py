"""Retention: which records' period has expired — the dry-run report comes first.

The report lists record ids and counts only (no names). Anonymisation itself (replacing the
person's identifying fields, keeping the statistics and the audit references) is not built yet:
the report is what the DPO and the archive check before anything is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ostoja.ops.rodo.maps import retention_rules


@dataclass
class RetentionReport:
    on: date
    record_class: str
    jrwa_symbol: str
    archival_category: str
    expired_ids: list[int] = field(default_factory=list)
    kept_audit_entries: int = 0  # audit rows referring to them: kept (accountability)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(), "record_class": self.record_class,
            "jrwa_symbol": self.jrwa_symbol, "archival_category": self.archival_category,
            "expired": len(self.expired_ids), "expired_ids": self.expired_ids,
            "kept_audit_entries": self.kept_audit_entries,
        }  # fmt: skip


def retention_dry_run(*, on: date) -> list[RetentionReport]:
    """Case files whose period (category B<n>, from 1 January after closure) ended by ``on``.

    A case file is closed when every application in it is closed; its period counts from the
    year of the last closure (``Application.closed_on``).
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from ostoja.cases.models import Case

    rule = retention_rules()["case_file"]
    report = RetentionReport(on, rule.record_class, rule.jrwa_symbol, rule.archival_category)
    # closed in year Y expires on 1 Jan (Y + 1 + n): expired when Y <= on.year - 1 - n
    last_year = on.year - 1 - rule.period_years
    from django.db.models import Count, Max, Q

    ids = list(
        Case.objects.annotate(
            last_closed=Max("applications__closed_on"),
            open_apps=Count("applications", filter=Q(applications__closed_on__isnull=True)),
            apps=Count("applications"),
        )
        .filter(apps__gt=0, open_apps=0, last_closed__year__lte=last_year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    report.expired_ids = ids
    ct = ContentType.objects.get_for_model(Case)
    report.kept_audit_entries = LogEntry.objects.filter(
        content_type=ct, object_pk__in=[str(i) for i in ids]
    ).count()
    return [report]
