"""The audit trail: changes with before → after, reads of personal data, append-only rows."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction

from ostoja.audit.guards import AuditImmutable
from ostoja.core.dates import noon, today
from ostoja.org.models import StaffMember


@pytest.mark.django_db
def test_opening_a_staff_record_leaves_a_read_entry(demo_org: None, client_for: object) -> None:
    admin_user = get_user_model().objects.get(username="admin")
    staff = StaffMember.objects.get(user__username="socjalny")
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    response = client_for(admin_user).get(f"/administracja/pracownicy/{staff.pk}/")  # type: ignore[operator]
    assert response.status_code == 200
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("timestamp")
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 1
    assert entry.actor == admin_user and entry.object_pk == str(staff.pk)


@pytest.mark.django_db
def test_change_is_logged_with_before_and_after(demo_org: None, client_for: object) -> None:
    admin_user = get_user_model().objects.get(username="admin")
    staff = StaffMember.objects.get(user__username="socjalny")
    client_for(admin_user).post(  # type: ignore[operator]
        f"/administracja/pracownicy/{staff.pk}/",
        {"version": staff.version, "first_name": "Anna", "last_name": "Wójcik", "email": "",
         "unit": staff.unit_id, "position": "Starszy specjalista", "phone": "",
         "roles": ["pracownik_socjalny"], "is_active": "on"},
    )  # fmt: skip
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, object_pk=str(staff.pk), content_type__model="staffmember"
    ).latest("timestamp")
    assert entry.actor == admin_user
    assert entry.changes_dict["position"] == ["Starszy pracownik socjalny", "Starszy specjalista"]


@pytest.mark.django_db
def test_audit_rows_cannot_be_edited_or_deleted(demo_org: None) -> None:
    entry = LogEntry.objects.first()
    assert entry is not None
    entry.object_repr = "zmienione"
    with pytest.raises(AuditImmutable), transaction.atomic():
        entry.save()
    with pytest.raises(AuditImmutable), transaction.atomic():
        entry.delete()
    with pytest.raises(AuditImmutable), transaction.atomic():
        LogEntry.objects.all().delete()
    assert LogEntry.objects.filter(pk=entry.pk, object_repr="zmienione").count() == 0


@pytest.mark.django_db
def test_audit_page_filters_for_the_dpo(demo_org: None, client_for: object) -> None:
    User = get_user_model()
    staff = StaffMember.objects.get(user__username="socjalny")
    client_for(User.objects.get(username="admin")).get(f"/administracja/pracownicy/{staff.pk}/")  # type: ignore[operator]
    dpo = client_for(User.objects.get(username="iod"))  # type: ignore[operator]
    admin_id = User.objects.get(username="admin").pk
    page = dpo.get("/audyt/", {"actor": admin_id, "action": LogEntry.Action.ACCESS})
    assert page.status_code == 200
    text = page.content.decode()
    assert "odczyt" in text and "Anna Wójcik" in text
    empty = dpo.get("/audyt/", {"date_from": "2001-01-01", "date_to": "2001-01-02"})
    assert "Brak zdarzeń" in empty.content.decode()
    bad = dpo.get("/audyt/", {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "Data końcowa" in bad.content.decode()
    social = client_for(User.objects.get(username="socjalny"))  # type: ignore[operator]
    assert social.get("/audyt/").status_code == 403


@pytest.mark.django_db
def test_audit_page_query_count_does_not_grow(demo_org: None, client_for: object,
                                             django_assert_max_num_queries: object) -> None:  # fmt: skip
    dpo = client_for(get_user_model().objects.get(username="iod"))  # type: ignore[operator]
    dpo.get("/audyt/")
    # 15 since the page counts the role changes awaiting a second person (issue 20).
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        assert dpo.get("/audyt/").status_code == 200


@pytest.mark.django_db
def test_history_speaks_polish_field_names_and_hides_noise(demo_org: None) -> None:
    from ostoja.audit.selectors import history_of
    from ostoja.org import services

    staff = StaffMember.objects.get(user__username="socjalny")
    services.staff_update(
        staff=staff, expected_version=staff.version, first_name="Anna", last_name="Wójcik",
        email="", unit=staff.unit, position="Specjalista", roles=["pracownik_socjalny"],
        is_active=True, now=noon(today()),
    )  # fmt: skip
    latest = history_of(staff)[0]
    assert ("stanowisko", "Starszy pracownik socjalny", "Specjalista") in latest.changes
    created = history_of(staff)[-1]
    assert all(new and "None" not in new for _, _, new in created.changes)
    assert not any(label in ("id", "version", "wersja") for label, _, _ in created.changes)


@pytest.mark.django_db
def test_audit_page_searches_users_on_the_server(demo_org: None, client_for: object) -> None:
    """The user filter is a text field searched on the server: the page carries no list of
    accounts (there were ~7,000 options), and a fragment of a name finds that user's events."""
    from auditlog.models import LogEntry
    from django.urls import reverse

    User = get_user_model()
    dpo = client_for(User.objects.get(username="iod"))  # type: ignore[operator]
    admin = User.objects.get(username="admin")
    LogEntry.objects.log_create(admin, action=LogEntry.Action.ACCESS, force_log=True)
    page = dpo.get(reverse("audit:log")).text
    assert "<option" not in page.split('name="actor"')[1].split("</")[0]
    assert '<select name="actor"' not in page
    found = dpo.get(reverse("audit:log") + f"?actor={admin.last_name[:4]}")
    assert found.status_code == 200
    assert f"({admin.username})" in found.text and "pasujące konta" in found.text
    assert all(r.actor_id == admin.pk for r in found.context["page"])
    none = dpo.get(reverse("audit:log") + "?actor=Nikttakinieistnieje")
    assert "Żadne konto nie pasuje" in none.text and not list(none.context["page"])


@pytest.mark.django_db
def test_audit_page_counts_at_most_the_cap(
    demo_org: None, client_for: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: the trail is never counted whole; past the cap the caption says "ponad" and
    the pages still go on (a look-ahead row), with the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ostoja.audit import views

    total = LogEntry.objects.count()
    assert total > 3
    dpo = client_for(get_user_model().objects.get(username="iod"))  # type: ignore[operator]
    dpo.get("/audyt/")
    with CaptureQueriesContext(connection) as exact:
        text = dpo.get("/audyt/").content.decode()
    assert "łącznie ponad" not in text
    assert re.search(r"strona 1 z \d+, łącznie \d+", text)
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    with CaptureQueriesContext(connection) as capped:
        text = dpo.get("/audyt/").content.decode()
    assert "łącznie ponad 3" in text
    assert len(capped.captured_queries) == len(exact.captured_queries)
    assert any("LIMIT 4" in q["sql"] for q in capped.captured_queries)
    last = (LogEntry.objects.count() - 1) // 50 + 1
    page = dpo.get("/audyt/", {"strona": last + 1})  # type: ignore[union-attr]
    assert "Brak zdarzeń" not in page.content.decode()  # an empty page falls back to the first


@pytest.mark.django_db
def test_user_filter_passes_ids_and_falls_back_to_a_subquery(
    demo_org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: the matching accounts go to the trail's query as ids (the planner then uses
    the actor index); past ``ACTOR_IDS_INLINE`` accounts the subquery is kept — the same
    entries either way, and never another user's."""
    from ostoja.audit import selectors
    from ostoja.audit.selectors import AuditFilters, audit_entries

    User = get_user_model()
    admin, social = User.objects.get(username="admin"), User.objects.get(username="socjalny")
    for user in (admin, social, admin):
        LogEntry.objects.log_create(user, action=LogEntry.Action.ACCESS, force_log=True, actor=user)
    filters = AuditFilters(actor_text=admin.username)
    inline = list(audit_entries(filters=filters).values_list("pk", flat=True))
    sql = str(audit_entries(filters=filters).query)
    assert f'"actor_id" IN ({admin.pk})' in sql and "IN (SELECT" not in sql
    monkeypatch.setattr(selectors, "ACTOR_IDS_INLINE", 0)
    fallback = list(audit_entries(filters=filters).values_list("pk", flat=True))
    assert '"actor_id" IN (SELECT' in str(audit_entries(filters=filters).query)
    assert inline == fallback and len(inline) >= 2
    assert set(LogEntry.objects.filter(pk__in=inline).values_list("actor_id", flat=True)) == {
        admin.pk
    }
