"""Writes of the analysis context: saving a what-if scenario (aggregates only)."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction

from ostoja.analysis import pseudonymised
from ostoja.analysis.models import (
    AnnualReport,
    DataExport,
    ReportSubmission,
    ResourceAssessment,
    Scenario,
)
from ostoja.analysis.reporting_calendar import report_kinds
from ostoja.analysis.whatif import WhatIf
from ostoja.cases import selectors as cases
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.core.validation import model_input_errors
from ostoja.decisions import selectors as decisions
from ostoja.payments import selectors as payments
from ostoja.registry import selectors as registry


@transaction.atomic
def scenario_save(*, name: str, result: WhatIf, actor: Any) -> Scenario:
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": ["Podaj nazwę scenariusza."]})
    data = result.as_dict()
    return Scenario.objects.create(
        name=name[:120],
        changes=data["changes"],
        evaluated_on=result.on,
        totals={k: data[k] for k in ("totals", "by_district", "by_benefit", "skipped")},
        created_by=actor,
    )


@transaction.atomic
def submission_record(
    *, report: str, period: str, submitted_on: Any, reference: str, actor: Any, on: Any
) -> Any:
    """Record a report as submitted; a second record for the same period is its correction."""
    kinds = {k.code: k for k in report_kinds()}
    errors: dict[str, list[str]] = {}
    kind = kinds.get(report)
    if kind is None:
        errors["report"] = ["Nieznane sprawozdanie."]
    elif not any(kind.period_code(y) == period for y in range(on.year - 5, on.year + 1)):
        errors["period"] = [f"Nieprawidłowy okres „{period}” dla {kind.code}."]
    if submitted_on is None:
        errors["submitted_on"] = ["Podaj datę złożenia (RRRR-MM-DD)."]
    elif submitted_on > on:
        errors["submitted_on"] = ["Data złożenia nie może być z przyszłości."]
    if errors:
        raise ValidationFailed(errors)
    last = (
        ReportSubmission.objects.select_for_update()
        .filter(report=report, period=period)
        .order_by("-correction")
        .first()
    )
    return ReportSubmission.objects.create(
        report=report,
        period=period,
        submitted_on=submitted_on,
        reference=reference.strip()[:120],
        correction=0 if last is None else last.correction + 1,
        recorded_by=actor,
    )


def _pseudonym_key() -> bytes:
    """``OSTOJA_PSEUDONYM_KEY`` if configured, else a key derived from SECRET_KEY (stable as
    long as the installation's secret is)."""
    configured = getattr(settings, "OSTOJA_PSEUDONYM_KEY", "")
    if configured:
        return str(configured).encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"ostoja-pseudonym", hashlib.sha256).digest()


@transaction.atomic
def pseudonymised_export(*, period: Any, actor: Any) -> Any:
    """The analyst's export of ``period`` (ZIP: data + dictionary), recorded as a bulk read."""
    entries = payments.ledger_executed_grouped(start=period.start, end=period.end)
    case_ids = [e.case_id for e in entries]
    export = pseudonymised.build(
        period=period,
        key=_pseudonym_key(),
        entries=entries,
        family_sizes=cases.family_sizes(case_ids=case_ids, on=period.last_day),
        case_units=cases.case_units(case_ids=case_ids),
        traits=registry.statistical_traits(person_ids=[e.person_id for e in entries]),
        reasons=decisions.application_reasons(decision_ids=[e.decision_id for e in entries]),
    )
    DataExport.objects.create(period=period.code, rows=export.rows, exported_by=actor)
    return export


@transaction.atomic
def annual_report_save(
    *, year: int, narrative: str, needs: str, expected_version: int, actor: Any, now: Any
) -> Any:
    """Save the people-written parts of the art. 110 ust. 9 report (optimistic locking)."""
    if not 2000 <= year <= 2100:
        raise ValidationFailed({"year": ["Nieprawidłowy rok."]})
    report, created = AnnualReport.objects.get_or_create(year=year)
    if created and expected_version == 0:
        expected_version = report.version
    report.narrative = narrative.strip()
    report.needs = "\n".join(line.strip() for line in needs.splitlines() if line.strip())
    report.updated_at = now
    save_versioned(report, expected_version=expected_version)
    return report


@transaction.atomic
def resource_assessment_save(
    *,
    year: int,
    introduction: str,
    conclusions: str,
    recommendations: str,
    expected_version: int,
    actor: Any,
    now: Any,
) -> Any:
    """Save the people-written parts of the Ocena zasobów pomocy społecznej (art. 16a u.p.s.)
    for ``year`` (optimistic locking; the figures are never stored, always drafted)."""
    if not 2000 <= year <= 2100:
        raise ValidationFailed({"year": ["Nieprawidłowy rok."]})
    if not actor.has_perm("analysis.edit_resource_assessment"):
        raise NotPermitted("Ocenę zasobów przygotowuje dyrekcja albo analityk.")
    data = {
        "introduction": introduction.strip(),
        "conclusions": conclusions.strip(),
        "recommendations": "\n".join(
            line.strip() for line in recommendations.splitlines() if line.strip()
        ),
    }
    errors = model_input_errors(ResourceAssessment, data)
    if errors:
        raise ValidationFailed(errors)
    assessment, created = ResourceAssessment.objects.get_or_create(year=year)
    if created and expected_version == 0:
        expected_version = assessment.version
    for key, value in data.items():
        setattr(assessment, key, value)
    assessment.updated_at = now
    save_versioned(assessment, expected_version=expected_version)
    return assessment
