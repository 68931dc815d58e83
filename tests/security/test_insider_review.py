"""Insider holes found in the review after issue 20.

1. Moving a staff member to another unit and reactivating a deactivated account widen access;
   one administrator did both alone. Now they are requests under the two-person rule
   (``RoleChange``): proposed by one administrator, confirmed by a second administrator or the
   director, never by the proposer nor by the person concerned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ostoja.core.dates import noon
from ostoja.core.errors import DomainError, NotPermitted
from ostoja.org.roles import Role

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)
NOW = noon(ON)


def _update(staff: Any, actor: Any, **changes: Any) -> Any:
    from ostoja.org import services

    staff.refresh_from_db()
    user = staff.user
    user.refresh_from_db()
    data: dict[str, Any] = {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "unit": staff.unit, "position": staff.position,
        "roles": services.roles_of(user), "is_active": user.is_active,
    }  # fmt: skip
    data.update(changes)
    return services.staff_update(
        staff=staff, expected_version=staff.version, actor=actor, now=NOW, **data
    )


def test_review_unit_move_needs_second_person(
    demo_org: None, make_staff: Callable[..., Any], client_for: Any
) -> None:
    """A move to another unit is only asked for: the worker keeps the old unit until a second
    administrator confirms; the proposer cannot confirm (page or service)."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, RoleChangeStatus, StaffMember

    User = get_user_model()
    admin = User.objects.get(username="admin")
    admin2 = make_staff("rv_admin2", role=Role.ADMINISTRATOR, unit_code="organizacja")
    worker = make_staff("rv_worker", role=Role.SOCIAL_WORKER, unit_code="ro1")
    other = make_staff("rv_other", role=Role.SOCIAL_WORKER, unit_code="ro2")
    staff = StaffMember.objects.get(user=worker)
    old_unit = staff.unit
    new_unit = StaffMember.objects.get(user=other).unit
    _update(staff, admin, unit=new_unit, position="Starszy pracownik socjalny")
    staff.refresh_from_db()
    assert staff.unit == old_unit  # not moved yet
    assert staff.position == "Starszy pracownik socjalny"  # narrow fields apply at once
    change = RoleChange.objects.get(user=worker, status=RoleChangeStatus.PENDING)
    assert change.unit_before == old_unit and change.unit_after == new_unit
    with pytest.raises(NotPermitted, match="druga osoba"):
        services.role_change_confirm(change_id=change.pk, actor=admin, now=NOW)
    confirm = reverse("org:role_change_confirm", args=[change.pk])
    client_for(admin).post(confirm)
    staff.refresh_from_db()
    assert staff.unit == old_unit
    page = client_for(admin2).get(reverse("org:role_change_list")).text
    assert f"przeniesienie: {old_unit.name} → {new_unit.name}" in page
    assert client_for(admin2).post(confirm).status_code == 302
    staff.refresh_from_db()
    change.refresh_from_db()
    assert staff.unit == new_unit
    assert change.status == RoleChangeStatus.CONFIRMED and change.decided_by == admin2


def test_review_reactivation_needs_second_person_deactivation_is_immediate(
    demo_org: None, make_staff: Callable[..., Any]
) -> None:
    """Deactivating narrows access and applies at once; reactivating waits for the director."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember

    User = get_user_model()
    admin = User.objects.get(username="admin")
    director = User.objects.get(username="dyrektor")
    worker = make_staff("rv_w2", role=Role.SOCIAL_WORKER)
    staff = StaffMember.objects.get(user=worker)
    _update(staff, admin, is_active=False)
    worker.refresh_from_db()
    assert not worker.is_active
    assert not RoleChange.objects.filter(user=worker).exists()
    _update(staff, admin, is_active=True)
    worker.refresh_from_db()
    assert not worker.is_active  # still off
    change = RoleChange.objects.get(user=worker)
    assert change.reactivate and change.roles_before == change.roles_after
    services.role_change_confirm(change_id=change.pk, actor=director, now=NOW)
    worker.refresh_from_db()
    assert worker.is_active


def test_review_adversary_admin_in_two_roles_cannot_move_itself(
    demo_org: None, make_staff: Callable[..., Any]
) -> None:
    """Adversary: one person holding both the administrator's and the director's role proposes
    its own move to a district (client files) and tries to confirm it with the other hat — the
    proposer and the person concerned never confirm, whatever roles they hold."""
    from django.contrib.auth.models import Group

    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember, Unit

    boss = make_staff("rv_boss", role=Role.ADMINISTRATOR, unit_code="organizacja")
    boss.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    district = Unit.objects.get(code="ro1") if Unit.objects.filter(code="ro1").exists() else None
    if district is None:
        district = StaffMember.objects.get(user=make_staff("rv_x", unit_code="ro1")).unit
    staff = StaffMember.objects.get(user=boss)
    _update(staff, boss, unit=district)
    change = RoleChange.objects.get(user=boss)
    with pytest.raises(NotPermitted):
        services.role_change_confirm(change_id=change.pk, actor=boss, now=NOW)
    # Another administrator proposes it: the person concerned still cannot confirm.
    change.delete()
    admin = get_user_model().objects.get(username="admin")
    staff.refresh_from_db()
    assert staff.unit.code == "organizacja"
    _update(staff, admin, unit=district)
    change = RoleChange.objects.get(user=boss)
    with pytest.raises(NotPermitted):
        services.role_change_confirm(change_id=change.pk, actor=boss, now=NOW)
    staff.refresh_from_db()
    assert staff.unit.code == "organizacja"


def test_review_adversary_head_of_another_unit_cannot_confirm(
    demo_org: None, make_staff: Callable[..., Any], client_for: Any
) -> None:
    """Adversary: the head of another unit (who would gain a worker) confirms the move — 403 on
    the page, refused by the service; the move does not happen."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember

    admin = get_user_model().objects.get(username="admin")
    head2 = make_staff("rv_head2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    worker = make_staff("rv_w3", role=Role.SOCIAL_WORKER, unit_code="ro1")
    staff = StaffMember.objects.get(user=worker)
    target = StaffMember.objects.get(user=head2).unit
    _update(staff, admin, unit=target)
    change = RoleChange.objects.get(user=worker)
    confirm = reverse("org:role_change_confirm", args=[change.pk])
    assert client_for(head2).post(confirm).status_code == 403
    with pytest.raises(NotPermitted):
        services.role_change_confirm(change_id=change.pk, actor=head2, now=NOW)
    staff.refresh_from_db()
    assert staff.unit.code == "ro1"


def test_review_stale_move_is_refused(demo_org: None, make_staff: Callable[..., Any]) -> None:
    """A move confirmed after the worker's unit changed another way is refused, not applied."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, StaffMember

    User = get_user_model()
    admin = User.objects.get(username="admin")
    director = User.objects.get(username="dyrektor")
    worker = make_staff("rv_w4", role=Role.SOCIAL_WORKER, unit_code="ro1")
    ro2 = StaffMember.objects.get(user=make_staff("rv_w5", unit_code="ro2")).unit
    ro3 = StaffMember.objects.get(user=make_staff("rv_w6", unit_code="ro3")).unit
    staff = StaffMember.objects.get(user=worker)
    _update(staff, admin, unit=ro2)
    StaffMember.objects.filter(pk=staff.pk).update(unit=ro3)  # e.g. restored from a backup
    change = RoleChange.objects.get(user=worker)
    with pytest.raises(DomainError, match="Jednostka pracownika zmieniła się"):
        services.role_change_confirm(change_id=change.pk, actor=director, now=NOW)
