"""The Kielce demo data set, assembled from each context's loader (idempotent)."""

from __future__ import annotations

from datetime import datetime

from ostoja.analysis import demo as analysis_demo
from ostoja.care import demo as care_demo
from ostoja.cases import demo as cases_demo
from ostoja.core.dates import local_date
from ostoja.decisions import demo as decisions_demo
from ostoja.facilities import demo as facilities_demo
from ostoja.org.demo import DEMO_USERS, load_demo_organisation
from ostoja.partners import demo as partners_demo
from ostoja.payments import demo as payments_demo
from ostoja.registry import demo as registry_demo
from ostoja.socialwork import demo as socialwork_demo

DEMO_LOGINS = [
    (username, f"{role.label} — {first} {last}") for username, first, last, role, _, _ in DEMO_USERS
]


def reference_data_ensure() -> None:
    """Streets and the filing list come with migrations; a flushed database (a transactional
    test) has lost them, so reload them — both loaders are idempotent upserts."""
    from ostoja.cases.filing import load_filing_list
    from ostoja.cases.models import FilingClass
    from ostoja.registry.models import Street
    from ostoja.registry.streets import load_rows, packaged_rows

    if not Street.objects.exists():
        load_rows(Street, packaged_rows())
    if not FilingClass.objects.exists():
        load_filing_list(FilingClass)


def load_demo(*, now: datetime) -> None:
    """Each context in the order of a family's path through the centre, all dated around
    ``now`` (the demo epoch): benefit periods, authorisations, deadlines and payment months
    are consistent on whatever day the demo is loaded. A second load writes nothing."""
    reference_data_ensure()
    load_demo_organisation(on=local_date(now))
    registry_demo.load_demo(now=now)
    cases_demo.load_demo(now=now)
    decisions_demo.load_demo(now=now)
    payments_demo.load_demo(now=now)
    socialwork_demo.load_demo(now=now)
    facilities_demo.load_demo(now=now)
    care_demo.load_demo(now=now)
    partners_demo.load_demo(now=now)
    analysis_demo.load_demo(now=now)
