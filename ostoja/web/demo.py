"""The Kielce demo data set, assembled from each context's loader (idempotent)."""

from __future__ import annotations

from ostoja.org.demo import DEMO_USERS, load_demo_organisation

DEMO_LOGINS = [
    (username, f"{role.label} — {first} {last}") for username, first, last, role, _, _ in DEMO_USERS
]


def load_demo() -> None:
    load_demo_organisation()
