"""Which organisation records leave a change trail (who, when, before → after)."""

from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ostoja.org.models import (
    ApiToken,
    Authorisation,
    InstanceSettings,
    RelationDeclaration,
    RoleChange,
    StaffMember,
    Unit,
)

auditlog.register(Unit)
auditlog.register(StaffMember)
auditlog.register(Authorisation)
auditlog.register(InstanceSettings)
# Who declared what and when stays on record; the relative's identifiers stay out of the trail.
auditlog.register(RelationDeclaration, exclude_fields=["pesel", "birth_date"])
auditlog.register(ApiToken, exclude_fields=["key_hash"])
auditlog.register(
    get_user_model(),
    exclude_fields=["password", "last_login"],
    m2m_fields={"groups"},
)
auditlog.register(Group)
auditlog.register(RoleChange)
