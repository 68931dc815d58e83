"""Issue 20 — the remnants: the paths the first fixes did not reach.

- L role changes of staff need a second person (a second administrator or the director), the
  requester never confirms, and every change is shown on the DPO's audit page; no superuser
  bypasses the roles (the CLI's ``createsuperuser``).
- H4 the duplicate-PESEL check of the CSV person import names no one outside the user's scope,
  and the probe is audited (like the form and the API).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model

from ostoja.core.dates import noon
from ostoja.org.roles import Role

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)
NOW = noon(ON)


# ------------------------------------------------------------------ H4 (CSV import)


def test_finding_h4_person_import_duplicate_pesel_neutral_and_audited(
    demo_org: None, make_staff: Callable[..., Any]
) -> None:
    """The CSV import (dry run and real) answers a registered PESEL by name only to a user who
    may see that person; an importer of another district gets a neutral line, and the probe
    is audited as a refused access with ``pesel_probe``."""
    from ostoja.registry import services
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.importer import persons_import
    from ostoja.registry.models import Street

    User = get_user_model()
    worker = User.objects.get(username="socjalny")
    head_ro1 = User.objects.get(username="kierownik")
    head_ro2 = make_staff("rem_head_ro2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    street = Street.objects.filter(name_1="Sienkiewicza").first()
    assert street is not None
    birth = date(1980, 5, 17)
    pesel = make_pesel(birth, 123, "M")
    person = services.person_create(
        data={
            "first_name": "Józef",
            "last_name": "Żółkiewski",
            "pesel": pesel,
            "birth_date": birth,
            "sex": "M",
            "act_street": street,
            "act_house": "10",
            "act_postal_code": "25-007",
            "act_city": "Kielce",
        },
        user=worker,
        on=ON,
    )
    text = (
        "nr_rodziny;pokrewienstwo;nazwisko;imie;pesel;data_urodzenia;plec;ulica;nr_domu;"
        "kod_pocztowy;miejscowosc\n"
        f"R1;wnioskodawca;Nowak;Jan;{pesel};1980-05-17;M;Sienkiewicza;3;25-007;Kielce\n"
    )
    for dry_run in (True, False):
        result = persons_import(text=text, user=head_ro2, on=ON, dry_run=dry_run)
        reasons = " ".join(r for p in result.rejected for r in p.reasons)
        assert "jest już zarejestrowana" in reasons
        assert "Żółkiewski" not in reasons and "Józef" not in reasons
    probes = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=head_ro2, object_pk=str(person.pk)
    )
    assert probes.count() == 2
    assert all(e.additional_data["refused"] and e.additional_data["pesel_probe"] for e in probes)
    # In scope the clash names the person, so the head can find the record.
    result = persons_import(text=text, user=head_ro1, on=ON, dry_run=True)
    assert "Józef Żółkiewski" in " ".join(r for p in result.rejected for r in p.reasons)
