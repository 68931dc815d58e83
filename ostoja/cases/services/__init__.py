"""Writes of the cases context: case files, applications with their case references,
community interviews, calculation snapshots and the timeline.

Deadlines and calculations come from the law core (``ostoja.law``) — never recomputed here.

Split by topic (issue 18; the way ``decisions/services/`` is): timeline, case files and
references, applications, interviews, calculations. Import from this package
(``from ostoja.cases import services`` or ``from ostoja.cases.services import …``); the
modules are an implementation detail.
"""

from .applications import (
    application_close,
    application_forward,
    application_leave_unconsidered,
    application_mark_ready,
    application_merge_hook,
    application_register,
    applications_open_for,
)
from .calculations import (
    calculation_run,
)
from .casefiles import (
    DEFAULT_REFERENCE_PATTERN,
    HOMELESS_UNIT_CODE,
    PROTECTED_ASSIGN_REFUSED,
    case_assign,
    case_assign_district_worker,
    case_open,
    case_set_ongoing_help,
    case_set_protected,
    filing_class_for,
    is_head_of_case_unit,
    reference_allocate,
    reference_format,
    reference_pattern,
)
from .interviews import (
    SECTION_NAMES_ALL,
    interview_complete,
    interview_save_section,
    interview_start,
)
from .timeline import (
    timeline_record,
)

__all__ = [
    "DEFAULT_REFERENCE_PATTERN",
    "HOMELESS_UNIT_CODE",
    "PROTECTED_ASSIGN_REFUSED",
    "SECTION_NAMES_ALL",
    "application_close",
    "application_forward",
    "application_leave_unconsidered",
    "application_mark_ready",
    "application_merge_hook",
    "application_register",
    "applications_open_for",
    "calculation_run",
    "case_assign",
    "case_assign_district_worker",
    "case_open",
    "case_set_ongoing_help",
    "case_set_protected",
    "filing_class_for",
    "interview_complete",
    "interview_save_section",
    "interview_start",
    "is_head_of_case_unit",
    "reference_allocate",
    "reference_format",
    "reference_pattern",
    "timeline_record",
]
