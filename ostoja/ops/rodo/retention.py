"""Retention: which records' period has expired — the dry-run report comes first.

Two record classes of ``retention.csv`` are counted here:

- ``case_file`` — a case file (teczka sprawy) whose applications have all closed; its period
  counts from 1 January after the year of the last closure (``Application.closed_on``);
- ``person_record`` — a person who never had a case file (registered only, a household member of
  a household without a case, a service event without a decision, a shelter night, a programme):
  the period counts from 1 January after the year of the last record concerning them
  (``PERSON_RECORD_SOURCES``).

The report lists record ids and counts only (no names): it is what the DPO and the archive check
before anything is changed. ``rights.anonymisation_eligible`` answers from the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ostoja.ops.rodo.maps import retention_rules

# Every record that concerns a person outside a case file: (model, field naming the person,
# dates that show the record still lives). The latest of them starts the person's period.
PERSON_RECORD_SOURCES: list[tuple[str, str, tuple[str, ...]]] = [
    ("registry.Person", "pk", ("created_at", "merged_at")),
    ("registry.HouseholdMembership", "person", ("valid_from", "valid_to", "created_at")),
    ("registry.Income", "person", ("month", "period_to", "created_at")),
    ("cases.Application", "applicant", ("received_on", "closed_on", "created_at")),
    ("care.ServiceEvent", "person", ("occurred_on", "stay_until", "created_at")),
    ("care.CareOrder", "person", ("period_from", "period_until", "created_at")),
    ("care.LeavingCareProgramme", "person", ("left_on", "agreed_on")),
    ("care.IntegrationProgramme", "person", ("starts_on", "ended_on")),
    ("facilities.Referral", "person", ("referral_date", "placement_date", "created_at")),
    ("facilities.Stay", "person", ("started_on", "ended_on")),
    ("facilities.Night", "person", ("night",)),
    ("partners.Referral", "person", ("issued_on", "valid_to", "outcome_on")),
    ("partners.Participant", "person", ("enrolled_on", "left_on")),
    ("socialwork.SocialContract", "person", ("valid_from", "valid_to", "ended_on", "created_at")),
    ("payments.Payment", "person_id", ("due_date", "settled_on")),
]
# Records that live outside the case file even for a person who has one: a later one of these
# (a shelter night in 2025 after a case closed in 2014) keeps the person out of anonymisation.
ACTIVITY_SOURCES = {
    "care.ServiceEvent", "care.CareOrder", "care.LeavingCareProgramme",
    "care.IntegrationProgramme", "facilities.Referral", "facilities.Stay", "facilities.Night",
    "partners.Referral", "partners.Participant", "socialwork.SocialContract", "payments.Payment",
}  # fmt: skip


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


def _last_open_year(rule_name: str, on: date) -> int:
    """Closed in year Y expires on 1 Jan (Y + 1 + n): expired when Y <= on.year - 1 - n."""
    return on.year - 1 - retention_rules()[rule_name].period_years


def _year(value: date | datetime) -> int:
    from ostoja.core.dates import local_date

    return local_date(value).year if isinstance(value, datetime) else value.year


def last_record_years(
    *, person_ids: set[int] | None = None, only: set[str] | None = None
) -> dict[int, int]:
    """Person id → the (local) year of the last record concerning them, over
    ``PERSON_RECORD_SOURCES`` (or the labels in ``only``). One grouped query per date field."""
    from django.apps import apps
    from django.db.models import Max

    years: dict[int, int] = {}
    for label, person_field, date_fields in PERSON_RECORD_SOURCES:
        if only is not None and label not in only:
            continue
        model = apps.get_model(label)
        key = "pk" if person_field == "pk" else person_field
        qs = model._default_manager.all()
        if person_ids is not None:
            qs = qs.filter(**{f"{key}__in": person_ids})
        else:
            qs = qs.filter(**{f"{key}__isnull": False})
        for name in date_fields:
            rows = qs.filter(**{f"{name}__isnull": False}).values(key).annotate(last=Max(name))
            for row in rows.values_list(key, "last"):
                pid, last = row
                years[pid] = max(years.get(pid, 0), _year(last))
    return years


def persons_with_case_files(person_ids: set[int] | None = None) -> dict[int, set[int]]:
    """Person id → the case files concerning them: of every household they ever belonged to
    and of every application they made."""
    from ostoja.cases.models import Application
    from ostoja.registry.models import HouseholdMembership

    cases: dict[int, set[int]] = {}
    members = HouseholdMembership.objects.filter(household__case__isnull=False).values_list(
        "person_id", "household__case__pk"
    )
    applicants = Application.objects.values_list("applicant_id", "case_id")
    if person_ids is not None:
        members = members.filter(person_id__in=person_ids)
        applicants = applicants.filter(applicant_id__in=person_ids)
    for pid, case_id in [*members, *applicants]:
        if pid is not None and case_id is not None:
            cases.setdefault(pid, set()).add(case_id)
    return cases


def expired_case_files(*, on: date) -> list[int]:
    """Closed case files past their period: every application closed (the last closure starts
    the period) and no ongoing help (``Case.ongoing_help``) — an open case is never listed."""
    from django.db.models import Count, Max, Q

    from ostoja.cases.models import Case

    return list(
        Case.objects.annotate(
            last_closed=Max("applications__closed_on"),
            open_apps=Count("applications", filter=Q(applications__closed_on__isnull=True)),
            apps=Count("applications"),
        )
        .filter(apps__gt=0, open_apps=0, last_closed__year__lte=_last_open_year("case_file", on))
        .exclude(ongoing_help=True)  # benefits still running: the file is in use
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def expired_person_records(*, on: date, person_ids: set[int] | None = None) -> list[int]:
    """Persons without any case file whose last record's year has passed its period."""
    from ostoja.registry.models import Person

    qs = Person.objects.all()
    if person_ids is not None:
        qs = qs.filter(pk__in=person_ids)
    candidates = set(qs.values_list("pk", flat=True))
    # The whole register is read grouped (no id list in the SQL); one person, by id.
    candidates -= set(persons_with_case_files(person_ids))
    limit = _last_open_year("person_record", on)
    years = last_record_years(person_ids=person_ids)
    return sorted(pid for pid in candidates if years.get(pid, 0) <= limit)


def _report(rule_name: str, on: date, ids: list[int], model: Any) -> RetentionReport:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    rule = retention_rules()[rule_name]
    report = RetentionReport(on, rule.record_class, rule.jrwa_symbol, rule.archival_category)
    report.expired_ids = ids
    report.kept_audit_entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(i) for i in ids]
    ).count()
    return report


def retention_dry_run(*, on: date) -> list[RetentionReport]:
    """The case files (category B<n>, from 1 January after closure) and the person records
    without a case file (from 1 January after the last record) whose period ended by ``on``.
    Nothing is changed."""
    from ostoja.cases.models import Case
    from ostoja.registry.models import Person

    return [
        _report("case_file", on, expired_case_files(on=on), Case),
        _report("person_record", on, expired_person_records(on=on), Person),
    ]


def person_retention_expired(person_id: int, *, on: date) -> bool:
    """The person may be anonymised on ``on``: either every case file concerning them has passed
    its period and no record outside the case files (a service, a night, a programme, a payment)
    is later than the period allows — or they never had a case file and their person record has
    passed its own period. A member of an open case is never eligible (its file is not closed).
    Agrees with ``retention_dry_run`` (the same functions answer both)."""
    cases = persons_with_case_files({person_id}).get(person_id, set())
    if not cases:
        return person_id in expired_person_records(on=on, person_ids={person_id})
    if not cases <= set(expired_case_files(on=on)):
        return False
    later = last_record_years(person_ids={person_id}, only=ACTIVITY_SOURCES).get(person_id, 0)
    return later <= _last_open_year("case_file", on)
