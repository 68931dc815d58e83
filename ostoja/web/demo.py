"""The Kielce demo data set, assembled from each context's loader (idempotent)."""

from __future__ import annotations

from ostoja.cases import demo as cases_demo
from ostoja.decisions import demo as decisions_demo
from ostoja.org.demo import DEMO_USERS, load_demo_organisation
from ostoja.payments import demo as payments_demo
from ostoja.registry import demo as registry_demo
from ostoja.socialwork import demo as socialwork_demo

DEMO_LOGINS = [
    (username, f"{role.label} — {first} {last}") for username, first, last, role, _, _ in DEMO_USERS
]


def load_demo() -> None:
    """Each context in the order of a family's path through the centre."""
    load_demo_organisation()
    registry_demo.load_demo()
    cases_demo.load_demo()
    decisions_demo.load_demo()
    payments_demo.load_demo()
    socialwork_demo.load_demo()
