"""Which registry records leave a change trail (who, when, before → after)."""

from auditlog.registry import auditlog

from ostoja.registry.models import Household, HouseholdMembership, Income, Person, StreetDistrict

auditlog.register(Person, exclude_fields=["search_key", "address_key"])
auditlog.register(Household)
auditlog.register(HouseholdMembership)
auditlog.register(Income)
auditlog.register(StreetDistrict)
