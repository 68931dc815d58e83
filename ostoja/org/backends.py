"""Authentication of staff: who may log in — never what they may do.

Permissions in Ostoja come only from the roles' rules (``*/rules.py``, checked by
``rules.permissions.ObjectPermissionBackend``). Django's database permissions (the
``auth_permission`` tables) are granted by nothing in Ostoja; Django's ``ModelBackend`` still
asked for them on every page that checked a permission — two queries a request (issue 19) —
and would honour a row added to those tables by hand, past the roles, the scope and the
four-eyes rules. This backend logs in through allauth (login and password, the throttling of
django-axes in front) and grants nothing.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db.models import QuerySet


class StaffLoginBackend(AuthenticationBackend):
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False

    def with_perm(
        self, perm: Any, is_active: bool = True, include_superusers: bool = True, obj: Any = None
    ) -> QuerySet[Any]:
        return get_user_model()._default_manager.none()
