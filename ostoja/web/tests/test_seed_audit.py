"""Issue 19: the seeded city has the audit trail a real history would — a creation entry per
audited record (payments aside: the run writes them set-based), sealed into the hash chain, so
``audit_verify`` passes on it and the chain goes on from rows written before and after."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from ostoja.audit.chain import verify
from ostoja.core.dates import noon
from ostoja.web.seed import seed_city

UNTIL = date(2026, 1, 1)
NOW = noon(date(2026, 1, 15))


def _created(model: type) -> int:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), action=LogEntry.Action.CREATE
    ).count()


@pytest.mark.django_db
def test_seeded_records_have_sealed_creation_entries(django_user_model: type) -> None:
    from ostoja.audit.services import access_record
    from ostoja.cases.models import Application, Case
    from ostoja.decisions.models import Decision
    from ostoja.payments.models import Payment
    from ostoja.registry.models import Person

    reader = django_user_model.objects.create_user("czytelnik")
    access_record(user=reader, obj=reader)  # an entry before the seed: the chain goes on
    before = LogEntry.objects.filter(action=LogEntry.Action.CREATE).count()
    report = seed_city(scale=0.002, seed=3, until=UNTIL, now=NOW)
    for model in (Person, Case, Application, Decision):
        assert model.objects.count() > 0
        assert _created(model) == model.objects.count(), model
    assert _created(Payment) == 0  # the payment run writes no entry per payment
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE).count()
    assert report.rows["audit"] == created - before
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), action=LogEntry.Action.CREATE
    ).first()
    assert entry is not None and "search_key" not in entry.changes  # excluded as registered
    assert entry.changes["pesel"][0] == "None" and entry.object_pk == str(entry.object_id)
    # Appended later (more families), then a real entry: one unbroken chain over all of it.
    seed_city(scale=0.002, seed=3, until=UNTIL, now=NOW, append=True)
    access_record(user=reader, obj=reader)
    chain = verify()
    assert chain.ok, chain.problem
    assert chain.unsealed == 0
    assert chain.checked == LogEntry.objects.count()


@pytest.mark.django_db
def test_a_changed_seeded_entry_breaks_the_chain() -> None:
    """Adversary: the seeded trail is sealed like any other — an entry altered in the database
    (the application cannot, so straight SQL) is found by ``verify``."""
    from django.db import connection

    seed_city(scale=0.001, seed=5, until=UNTIL, now=NOW)
    victim = LogEntry.objects.order_by("pk")[3]
    table = LogEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # past the trigger
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=%s",
                           [table])  # fmt: skip
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute(
            f'UPDATE "{table}" SET object_repr = %s WHERE id = %s', ["podmienione", victim.pk]
        )
    chain = verify()
    assert not chain.ok and chain.broken_at == victim.pk
