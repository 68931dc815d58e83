"""The start page: one panel per piece of real work the user's roles carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractBaseUser

from ostoja.analysis import dashboard as analysis
from ostoja.care import selectors as care
from ostoja.cases import selectors as cases
from ostoja.decisions import selectors as decisions
from ostoja.decisions.choices import DecisionStatus
from ostoja.org import selectors as org
from ostoja.org.models import StaffMember
from ostoja.org.roles import Role
from ostoja.org.status import AuthorisationStatus
from ostoja.payments import selectors as payments
from ostoja.payments.models import ListStatus
from ostoja.socialwork import selectors as socialwork


@dataclass
class HomePage:
    full_name: str
    unit: str
    roles: list[str]
    panels: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def home_page(*, user: AbstractBaseUser, on: date) -> HomePage:
    roles = org.user_roles(user)
    staff = StaffMember.objects.select_related("unit").filter(user=user).first()
    page = HomePage(
        full_name=user.get_full_name() or user.get_username(),  # type: ignore[attr-defined]
        unit=staff.unit.name if staff else "",
        roles=org.role_labels(roles),
    )
    own = org.authorisation_list(on=on, holder=user)
    page.data["own_authorisations"] = [r for r in own if r.status is AuthorisationStatus.ACTIVE]
    page.panels.append("authorisations")
    if roles & {Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT, Role.DIRECTOR}:
        desk = cases.desk(user=user, on=on)
        page.data["desk"] = {
            "overdue": len(desk.overdue), "today": len(desk.today), "week": len(desk.week),
            "reminders": len(desk.reminders), "my_cases": len(desk.my_cases),
            "rows": (desk.overdue + desk.today)[:8],
        }  # fmt: skip
        page.panels.append("desk")
    if roles & {Role.SOCIAL_WORKER, Role.HEAD_OF_UNIT}:
        page.data["visits"] = socialwork.visits_for_desk(user=user, on=on)
        page.panels.append("visits")
    if Role.HEAD_OF_UNIT in roles:
        # Break-glass openings of the unit's protected cases, at the top of the head's start
        # page from the moment they happen (last 7 days).
        grants = socialwork.grants_for_head(user=user, since=on - timedelta(days=7))
        if grants:
            page.data["break_glass"] = grants[:20]
            page.panels.insert(0, "break_glass")
    if roles & {Role.HEAD_OF_UNIT, Role.DIRECTOR, Role.DEPUTY_DIRECTOR}:
        visible = decisions.decisions_visible(user=user)
        page.data["to_check"] = visible.filter(status=DecisionStatus.DRAFTED).count()
        page.data["to_sign"] = visible.filter(status=DecisionStatus.CHECKED).count()
        page.panels.append("decisions")
    if Role.FINANCE in roles:
        page.data["lists_to_approve"] = list(
            payments.lists_query(user=user, status=ListStatus.DRAFT).select_related()[:10]
        )
        if cast(Any, user).has_perm("care.check_invoices"):
            # care bills unpaid after their term and refunds owed to clients: finance's to act on
            page.data["care_overdue"] = care.overdue_bills(on=on).count()
            page.data["care_refunds"] = care.refunds_due().count()
        page.panels.append("finance")
    if roles & {Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.HEAD_OF_UNIT, Role.FINANCE, Role.ANALYST}:
        # Who may open the case lists sees the figures of their scope, each linked to the
        # filtered list of exactly those rows; the analyst and finance see the whole centre.
        can = cast(Any, user).has_perm
        lists = can("cases.view_case") and can("decisions.view_decision")
        page.data["centre"] = analysis.start_figures(on=on, user=user if lists else None)
        page.panels.append("analysis")
    if roles & {Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT, Role.ANALYST}:
        page.panels.append("calculator")
    if Role.ADMINISTRATOR in roles:
        everything = org.authorisation_list(on=on)
        soon = on + timedelta(days=30)
        page.data["expiring"] = [
            r for r in everything
            if r.is_active and r.obj.valid_until is not None and r.obj.valid_until <= soon
        ]  # fmt: skip
        page.data["staff_count"] = StaffMember.objects.filter(user__is_active=True).count()
        page.data["locked"] = list(
            AccessAttempt.objects.order_by("-attempt_time").values(
                "username", "ip_address", "failures_since_start", "attempt_time"
            )[:10]
        )
        page.panels.append("admin")
    if Role.DATA_PROTECTION_OFFICER in roles:
        page.data["recent_access"] = list(
            LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
            .select_related("actor")
            .order_by("-timestamp")[:10]
        )
        page.panels.append("dpo")
    if roles & {Role.HEAD_OF_UNIT, Role.DIRECTOR, Role.DEPUTY_DIRECTOR} and staff:
        page.data["team"] = org.staff_list(unit=staff.unit)
        page.panels.append("team")
    return page
