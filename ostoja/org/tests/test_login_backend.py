"""Permissions come from the roles' rules only (``ostoja.org.backends``): a database permission
row grants nothing, and a page asks no permission table (issue 19)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_a_permission_row_added_by_hand_grants_nothing(demo_org: None) -> None:
    """Adversary with database access short of the code: a social worker given Django's
    ``org.manage_staff`` (user and through a group) is still no administrator."""
    user = get_user_model().objects.get(username="socjalny")
    Permission.objects.get_or_create(
        codename="manage_staff",
        content_type_id=Permission.objects.first().content_type_id,  # type: ignore[union-attr]
        defaults={"name": "x"},
    )
    perms = list(Permission.objects.all()[:50])
    user.user_permissions.add(*perms)
    group = Group.objects.create(name="przemyt")
    group.permissions.add(*perms)
    user.groups.add(group)
    fresh = get_user_model().objects.get(pk=user.pk)
    granted = [p for p in perms if fresh.has_perm(f"{p.content_type.app_label}.{p.codename}")]
    assert granted == [] and fresh.get_all_permissions() == set()
    assert not fresh.has_perm("org.manage_staff")
    client = Client()
    client.force_login(fresh)
    assert client.get("/administracja/").status_code == 403


@pytest.mark.django_db
def test_staff_log_in_with_their_password_and_pages_read_no_permission_table(
    demo_org: None,
) -> None:
    client = Client()
    response = client.post("/konto/login/", {"login": "socjalny", "password": "demo"})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/sprawy/").status_code == 200
    assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]]
    assert client.session["_auth_user_backend"] == "ostoja.org.backends.StaffLoginBackend"
    wrong = Client().post("/konto/login/", {"login": "socjalny", "password": "zle"})
    assert wrong.status_code == 200 and "_auth_user_id" not in wrong.client.session
