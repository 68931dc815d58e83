"""Reads of the organisation context, with related rows fetched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from ostoja.org.choices import MatterKind
from ostoja.org.models import (
    Authorisation,
    InstanceSettings,
    RelationDeclaration,
    RoleChange,
    RoleChangeStatus,
    StaffMember,
    Unit,
)
from ostoja.org.roles import ROLE_LABELS, Role
from ostoja.org.rules import group_names, is_management
from ostoja.org.status import (
    AuthorisationStatus,
    AuthorisationTerms,
    authorisation_covers,
    authorisation_status,
)


def terms_of(a: Authorisation) -> AuthorisationTerms:
    return AuthorisationTerms(
        valid_from=a.valid_from,
        valid_until=a.valid_until,
        revoked_on=a.revoked_on,
        scope=tuple(a.scope),
    )


@dataclass(frozen=True)
class AuthorisationRow:
    obj: Authorisation
    holder_name: str
    status: AuthorisationStatus
    scope_labels: tuple[str, ...]

    @property
    def is_active(self) -> bool:
        return self.status is AuthorisationStatus.ACTIVE


def _row(a: Authorisation, on: date) -> AuthorisationRow:
    labels = dict(MatterKind.choices)
    return AuthorisationRow(
        obj=a,
        holder_name=a.holder.get_full_name() or a.holder.get_username(),
        status=authorisation_status(terms_of(a), on=on),
        scope_labels=tuple(labels.get(s, s) for s in a.scope),
    )


def authorisation_list(
    *, on: date, holder: AbstractBaseUser | None = None
) -> list[AuthorisationRow]:
    qs = Authorisation.objects.select_related("holder").order_by("-valid_from", "number")
    if holder is not None:
        qs = qs.filter(holder=holder)
    return [_row(a, on) for a in qs]


def authorisation_held(*, holder: AbstractBaseUser) -> bool:
    """Whether ``holder`` holds any authorisation that was not revoked (no date: a predicate)."""
    return Authorisation.objects.filter(holder=holder, revoked_on__isnull=True).exists()


def authorisation_get(*, pk: int, on: date) -> AuthorisationRow:
    return _row(Authorisation.objects.select_related("holder").get(pk=pk), on)


def authorisations_valid_for(
    *, user: AbstractBaseUser, matter: str, on: date
) -> list[Authorisation]:
    """The authorisations ``user`` may sign a ``matter`` decision with on ``on``.

    Only these may be offered for choice; an expired or revoked one never is.
    """
    candidates = Authorisation.objects.filter(holder=user, valid_from__lte=on)
    return [a for a in candidates if authorisation_covers(terms_of(a), matter=matter, on=on)]


def authorisation_status_of(a: Authorisation, *, on: date) -> AuthorisationStatus:
    return authorisation_status(terms_of(a), on=on)


def unit_list() -> QuerySet[Unit]:
    return Unit.objects.select_related("parent").order_by("kind", "name")


def units_active(*, on: date) -> QuerySet[Unit]:
    from django.db.models import Q

    return (
        unit_list().filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    )


@dataclass(frozen=True)
class StaffRow:
    obj: StaffMember
    full_name: str
    username: str
    unit_name: str
    roles: tuple[str, ...]
    is_active: bool


def staff_list(*, unit: Unit | None = None) -> list[StaffRow]:
    from django.contrib.auth.models import Group

    qs = StaffMember.objects.select_related("user", "unit").prefetch_related(
        Prefetch("user__groups", queryset=Group.objects.only("name"))
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    qs = qs.order_by("user__last_name", "user__first_name")
    return [_staff_row(s) for s in qs]


def _staff_row(s: StaffMember) -> StaffRow:
    labels = {r.value: r.label for r in Role}
    return StaffRow(
        obj=s,
        full_name=s.user.get_full_name() or s.user.username,
        username=s.user.username,
        unit_name=s.unit.name,
        roles=tuple(sorted(labels.get(g.name, g.name) for g in s.user.groups.all())),
        is_active=s.user.is_active,
    )


def staff_get(*, pk: int) -> StaffMember:
    return StaffMember.objects.select_related("user", "unit").get(pk=pk)


def user_roles(user: AbstractBaseUser) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    names = group_names(user)  # read once per request
    return frozenset(r for r in Role if r.value in names)


def role_labels(roles: frozenset[Role]) -> list[str]:
    return [ROLE_LABELS[r] for r in Role if r in roles]


def instance_settings() -> InstanceSettings:
    obj = InstanceSettings.objects.filter(pk=1).first()
    if obj is None:
        from ostoja.org.services import instance_settings_ensure

        obj = instance_settings_ensure()
    return obj


# ------------------------------------------------ relations with parties (art. 24 KPA)


@dataclass(frozen=True)
class PartyKey:
    """How a party of a case is matched against declarations: PESEL, else name and birth date."""

    pesel: str
    first_name: str
    last_name: str
    birth_date: date | None


def _name_key(first: str, last: str) -> tuple[str, str]:
    return (first.strip().casefold(), last.strip().casefold())


def relations_matching(
    *, user: AbstractBaseUser, parties: list[PartyKey], in_force_on: date | None = None
) -> list[RelationDeclaration]:
    """The user's active declarations naming one of ``parties`` (in force on ``in_force_on`` if
    given — a filter, not the clock).

    Without a day every active declaration counts: the grounds persist once they arose
    (art. 24 § 2 KPA), so the start date only matters when the day of the act is known.
    """
    qs = RelationDeclaration.objects.filter(staff_id=user.pk, withdrawn_on__isnull=True)
    if in_force_on is not None:
        qs = qs.filter(since__lte=in_force_on)
    pesels = {p.pesel for p in parties if p.pesel}
    named = {(_name_key(p.first_name, p.last_name), p.birth_date) for p in parties}
    found = []
    for d in qs.order_by("pk"):
        if d.pesel:
            if d.pesel in pesels:
                found.append(d)
        elif (_name_key(d.first_name, d.last_name), d.birth_date) in named:
            found.append(d)
    return found


def relations_own(*, user: AbstractBaseUser) -> QuerySet[RelationDeclaration]:
    """The declarations the user made (active first)."""
    return RelationDeclaration.objects.filter(staff_id=user.pk).order_by(
        "withdrawn_on", "last_name", "first_name", "pk"
    )


def _subtree(root_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [root_id]
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, []))
    return found


def relations_supervised(*, user: AbstractBaseUser) -> QuerySet[RelationDeclaration]:
    """Declarations a superior sees: the director's office all, a head those of their unit's
    subtree (the head decides on exclusion, art. 24 § 3 KPA)."""
    qs = RelationDeclaration.objects.select_related("staff", "staff__staff__unit").order_by(
        "staff__last_name", "staff__first_name", "last_name", "pk"
    )
    if is_management(user):
        return qs
    staff = StaffMember.objects.filter(user_id=user.pk).first()
    if staff is None:
        return qs.none()
    return qs.filter(staff__staff__unit_id__in=_subtree(staff.unit_id))


@dataclass(frozen=True)
class RoleChangeRow:
    obj: RoleChange
    staff_name: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    granted: tuple[str, ...]
    removed: tuple[str, ...]
    client_facing: bool
    requested_by: str
    decided_by: str
    # A move to another unit ("Dział A → Dział B") and the restoration of a deactivated account.
    unit_move: str = ""
    reactivate: bool = False


# Roles that open client files: a grant of one of them to an administrator is the case the
# two-person rule was made for (issue 20).
CLIENT_FACING = frozenset(
    {Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT, Role.DIRECTOR,
     Role.DEPUTY_DIRECTOR}
)  # fmt: skip


def role_changes(*, pending_only: bool = False, limit: int = 200) -> list[RoleChangeRow]:
    """Zmiany ról pracowników, the newest first (the DPO's, the director's and the
    administrators' page)."""
    labels = {r.value: r.label for r in Role}
    qs = RoleChange.objects.select_related(
        "user", "requested_by", "decided_by", "unit_before", "unit_after"
    )
    if pending_only:
        qs = qs.filter(status=RoleChangeStatus.PENDING)

    def name(user: Any) -> str:
        return (user.get_full_name() or user.get_username()) if user else ""

    rows = []
    for c in qs[:limit]:
        before, after = set(c.roles_before), set(c.roles_after)
        rows.append(
            RoleChangeRow(
                obj=c,
                staff_name=name(c.user),
                before=tuple(labels.get(r, r) for r in sorted(before)),
                after=tuple(labels.get(r, r) for r in sorted(after)),
                granted=tuple(labels.get(r, r) for r in sorted(after - before)),
                removed=tuple(labels.get(r, r) for r in sorted(before - after)),
                client_facing=any(r in CLIENT_FACING for r in after - before),
                requested_by=name(c.requested_by),
                decided_by=name(c.decided_by),
                unit_move=(
                    f"{c.unit_before.name if c.unit_before else '—'} → {c.unit_after.name}"
                    if c.moves_unit and c.unit_after is not None
                    else ""
                ),
                reactivate=c.reactivate,
            )
        )
    return rows


def role_change_pending(*, user: Any) -> RoleChange | None:
    return RoleChange.objects.filter(user=user, status=RoleChangeStatus.PENDING).first()
