"""Security findings 2–4 and the register's pagination: API reads and refusals are audited,
the workflow services check the permission themselves, signed documents and signed decisions
cannot be changed through any ORM path (and, on PostgreSQL, not even with raw SQL)."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from ostoja.core import dates
from ostoja.core.dates import today
from ostoja.core.errors import NotPermitted
from ostoja.decisions import selectors, services
from ostoja.decisions.models import Decision, DecisionDocument, SignedDecisionImmutable
from ostoja.org.roles import Role

NRB = "61109010140000071219812874"
pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(ready_application, users):
    app = ready_application("zasilek_staly")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    return services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=today())


def _token(user) -> Client:
    from ostoja.org.services import api_token_create

    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user)}")


def _access(user, **filters):
    return LogEntry.objects.filter(actor=user, action=LogEntry.Action.ACCESS, **filters)


# ------------------------------------------------------------------ finding 2 (API audit)


@pytest.mark.parametrize("suffix", ["", "/pdf"])
def test_api_refusal_out_of_scope_is_404_and_audited(signed, make_staff, suffix):
    stranger = make_staff("ro2_sw", role=Role.SOCIAL_WORKER, unit_code="ro2")
    r = _token(stranger).get(f"/api/v1/decisions/{signed.pk}{suffix}")
    assert r.status_code == 404
    assert _access(stranger, object_pk=str(signed.pk), additional_data__refused=True).exists()


def test_api_action_refused_in_scope_is_403_and_audited(ready_application, users):
    d = services.decision_draft_from_application(
        application=ready_application("zasilek_staly"), actor=users["socjalny"], account_number=NRB
    )
    r = _token(users["socjalny"]).post(
        f"/api/v1/decisions/{d.pk}/check", "{}", content_type="application/json"
    )
    assert r.status_code == 403  # may see it, may not check it
    refusal = _access(users["socjalny"], object_pk=str(d.pk), additional_data__refused=True)
    assert refusal.get().additional_data["reason"] == "decisions.check"


def test_api_read_and_pdf_are_audited(signed, users):
    api = _token(users["socjalny"])
    assert api.get(f"/api/v1/decisions/{signed.pk}").status_code == 200
    assert api.get(f"/api/v1/decisions/{signed.pk}/pdf").status_code == 200
    reads = list(_access(users["socjalny"], object_pk=str(signed.pk)))
    assert len(reads) == 2
    assert sorted((e.additional_data or {}).get("reason", "") for e in reads) == ["", "pdf"]
    assert all(e.additional_data["person_id"] == signed.addressee_id for e in reads)


# ------------------------------------------------------------------ finding 3 (services)


def test_check_service_refuses_another_units_head(ready_application, users, make_staff):
    head_ro2 = make_staff("head_ro2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    d = services.decision_draft_from_application(
        application=ready_application("zasilek_staly"), actor=users["socjalny"], account_number=NRB
    )
    with pytest.raises(NotPermitted):
        services.decision_check(decision=d, actor=head_ro2, note="uwagi", now=dates.now())
    with pytest.raises(NotPermitted):
        services.decision_return(decision=d, actor=head_ro2, note="uwagi")
    d.refresh_from_db()
    assert d.status == "projekt" and d.checker_id is None


def test_record_and_sign_services_refuse_out_of_scope(signed, users, make_staff):
    stranger = make_staff("ro2_sw2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    with pytest.raises(NotPermitted):
        services.decision_deliver(
            decision=signed,
            actor=stranger,
            delivered_on=today(),
            channel="osobiscie",
            today=today(),
        )
    with pytest.raises(NotPermitted):
        services.decision_send(decision=signed, actor=stranger, on=today(), channel="zpo")
    signed.refresh_from_db()
    assert signed.status == "podpisana" and signed.delivered_on is None


# ------------------------------------------------------------------ finding 4 (immutability)


def test_signed_document_refuses_every_queryset_path(signed):
    qs = DecisionDocument.objects.filter(decision=signed)
    doc = qs.get()
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        qs.update(sha256="0" * 64)
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        qs.delete()
    doc.sha256 = "0" * 64
    with pytest.raises(SignedDecisionImmutable), transaction.atomic():
        DecisionDocument.objects.bulk_update([doc], ["sha256"])
    assert qs.get().sha256 != "0" * 64


def test_signed_decision_cannot_go_back_to_a_pre_sign_status(signed):
    for status in ("projekt", "sprawdzona"):
        with pytest.raises(SignedDecisionImmutable), transaction.atomic():
            Decision.objects.filter(pk=signed.pk).update(status=status)
        d = Decision.objects.get(pk=signed.pk)
        d.status = status
        with pytest.raises(SignedDecisionImmutable), transaction.atomic():
            d.save()
        with pytest.raises(SignedDecisionImmutable), transaction.atomic():
            Decision.objects.bulk_update([d], ["status"])
    assert Decision.objects.get(pk=signed.pk).status == "podpisana"
    # Procedural moves after signing stay open (podpisana → wysłana).
    assert Decision.objects.filter(pk=signed.pk).update(status="wyslana") == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL-only")
def test_postgresql_trigger_refuses_raw_sql(signed):
    from django.db import DatabaseError

    table = DecisionDocument._meta.db_table
    for sql in (f"UPDATE {table} SET sha256 = 'x'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="frozen"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


# ------------------------------------------------------------------ register pagination


def test_register_pages_keep_filters_and_exports_stay_complete(
    ready_application, users, client_for, monkeypatch, django_assert_max_num_queries
):
    made = [
        services.decision_draft_from_application(
            application=ready_application("zasilek_staly"),
            actor=users["socjalny"],
            account_number=NRB,
        )
        for _ in range(3)
    ]
    monkeypatch.setattr(selectors, "REGISTER_PAGE_SIZE", 2)
    c = client_for(users["socjalny"])
    with django_assert_max_num_queries(25):
        first = c.get(reverse("decisions:register"), {"benefit": "zasilek_staly"})
    html = first.content.decode()
    assert first.status_code == 200
    assert html.count('href="/decyzje/') - html.count('href="/decyzje/eksport') >= 2
    assert "benefit=zasilek_staly&amp;strona=2" in html
    second = c.get(reverse("decisions:register"), {"benefit": "zasilek_staly", "strona": 2})
    assert reverse("decisions:detail", args=[made[0].pk]) in second.content.decode()
    assert "strona=1" in second.content.decode()
    export = c.get(
        reverse("decisions:export", args=["csv"]), {"benefit": "zasilek_staly", "strona": 2}
    )
    assert len(export.content.decode("utf-8-sig").strip().splitlines()) == 1 + len(made)


def test_register_index_exists():
    names = {i.name for i in Decision._meta.indexes}
    assert "decision_issued_desc" in names


def test_api_patch_unchanged(signed, users):
    """A signed decision still answers 409 to PATCH (finding 2 changed only the refusals)."""
    r = _token(users["socjalny"]).patch(
        f"/api/v1/decisions/{signed.pk}",
        json.dumps({"version": signed.version, "justification": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 409


def test_four_eyes_migration_keeps_earlier_checks_for_their_content(ready_application, users):
    """Migration 0004: a decision checked before the content hash existed keeps its check for
    exactly its present content; its drafter becomes its only maker."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ostoja.decisions.migrations.0004_four_eyes_content")
    app = ready_application("zasilek_staly")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number="61109010140000071219812874"
    )
    services.decision_check(decision=d, actor=users["kierownik"], now=dates.now())
    Decision.objects.filter(pk=d.pk).update(checked_hash="", maker_ids=[])
    migration.backfill(apps, None)
    d.refresh_from_db()
    assert d.maker_ids == [users["socjalny"].pk]
    assert d.checked_hash == services.content_hash(d)
