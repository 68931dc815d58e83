"""Issue 21: ``ostoja rodo export`` checks the permission (and scope) the web export checks —
``ops.files.kind_permitted`` for the kind ``rodo_eksport`` — not the name of a group. A member
of the DPO group without the permission is refused, a holder of the permission outside that
group is not; a refused account writes nothing, reads nothing and learns nothing of who exists."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import rules
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from ostoja.ops import files
from ostoja.org.roles import Role
from ostoja.org.rules import is_director, is_dpo

pytestmark = pytest.mark.django_db
PERM = "ops.manage_data_rights"


@pytest.fixture
def person(db: None) -> Any:
    from ostoja.registry.models import Person

    return Person.objects.create(
        first_name="Jan", last_name="Eksportowany", search_key="eksportowany jan",
        birth_date=date(1950, 1, 1), sex="M", act_street_text="ul. Próbna", act_house="1",
        act_postal_code="25-001",
    )  # fmt: skip


@pytest.fixture
def rule_swapped() -> Iterator[Any]:
    """Lets a test grant the permission by another predicate; the rule is restored after."""
    old = rules.permissions.permissions[PERM]

    def swap(predicate: Any) -> None:
        rules.set_perm(PERM, predicate)

    yield swap
    rules.set_perm(PERM, old)


def _export(person: Any, by: str, out: Path, fmt: str = "json") -> None:
    call_command("rodo", "export", person=person.pk, fmt=fmt, output=str(out), by=by)


def _reads(person: Any) -> int:
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person.pk)).count()


def test_the_dpo_with_the_permission_exports(person: Any, make_staff: Any, tmp_path: Path) -> None:
    make_staff("iod_x", role=Role.DATA_PROTECTION_OFFICER, unit_code="dyr")
    out = tmp_path / "o.json"
    _export(person, "iod_x", out)
    assert json.loads(out.read_text())["person"]["nazwisko"] == person.last_name
    assert _reads(person) == 1


def test_a_dpo_group_member_whose_account_is_inactive_is_refused(
    person: Any, make_staff: Any, tmp_path: Path
) -> None:
    user = make_staff("iod_off", role=Role.DATA_PROTECTION_OFFICER, unit_code="dyr")
    user.is_active = False
    user.save()
    assert user.groups.filter(name=str(Role.DATA_PROTECTION_OFFICER)).exists()
    out = tmp_path / "o.json"
    with pytest.raises(CommandError, match=f"--by: .*{PERM}"):
        _export(person, "iod_off", out)
    assert not out.exists() and _reads(person) == 0


def test_the_group_without_the_permission_is_refused(
    person: Any, make_staff: Any, tmp_path: Path, rule_swapped: Any
) -> None:
    """The right group, the permission granted elsewhere: the group name alone is not enough."""
    make_staff("iod_y", role=Role.DATA_PROTECTION_OFFICER, unit_code="dyr")
    rule_swapped(is_director)
    out = tmp_path / "o.json"
    with pytest.raises(CommandError, match="inspektor ochrony danych"):
        _export(person, "iod_y", out)
    assert not out.exists() and _reads(person) == 0


def test_the_permission_outside_the_group_is_enough(
    person: Any, make_staff: Any, tmp_path: Path, rule_swapped: Any
) -> None:
    """Vice versa: whoever the rule grants the permission to exports, in no DPO group."""
    director = make_staff("dyr_z", role=Role.DIRECTOR, unit_code="dyr")
    assert not director.groups.filter(name=str(Role.DATA_PROTECTION_OFFICER)).exists()
    rule_swapped(is_dpo | is_director)
    out = tmp_path / "o.json"
    _export(person, "dyr_z", out)
    assert out.exists() and _reads(person) == 1


def test_the_scope_of_the_kind_is_checked_too(
    person: Any, make_staff: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web export's scope hook (``may_request``) binds the command as well."""
    make_staff("iod_s", role=Role.DATA_PROTECTION_OFFICER, unit_code="dyr")
    kind = files.KINDS["rodo_eksport"]
    narrowed = type(kind)(**{**kind.__dict__, "may_request": lambda user, params: False})
    monkeypatch.setitem(files.KINDS, "rodo_eksport", narrowed)
    out = tmp_path / "o.json"
    with pytest.raises(CommandError, match="poza zakresem"):
        _export(person, "iod_s", out)
    assert not out.exists()


def test_a_refused_account_learns_nothing_of_who_exists(
    person: Any, make_staff: Any, tmp_path: Path
) -> None:
    make_staff("sw_q", role=Role.SOCIAL_WORKER, unit_code="ro1")
    missing = type("P", (), {"pk": person.pk + 10_000})()
    for who in (person, missing):
        with pytest.raises(CommandError) as exc:
            _export(who, "sw_q", tmp_path / "o.json")
        assert str(exc.value).startswith("--by:")
    with pytest.raises(CommandError, match="--by: nie ma konta"):
        _export(person, "nikt", tmp_path / "o.json")
    assert not (tmp_path / "o.json").exists()


def test_the_dpo_is_told_of_a_missing_person(make_staff: Any, tmp_path: Path) -> None:
    make_staff("iod_m", role=Role.DATA_PROTECTION_OFFICER, unit_code="dyr")
    missing = type("P", (), {"pk": 987_654})()
    with pytest.raises(CommandError, match="--person: Nie ma osoby o numerze 987654"):
        _export(missing, "iod_m", tmp_path / "o.json")
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize("number", [0, -3])
def test_a_person_number_that_is_not_one_is_refused_before_anything_else(
    number: int, make_staff: Any, tmp_path: Path
) -> None:
    """A bad ``--person`` is refused by the web export's own check (``_id_param``), naming the
    option, before the account or the person is looked up; nothing written, nothing read."""
    make_staff("iod_n", role=Role.DATA_PROTECTION_OFFICER, unit_code="dyr")
    bad = type("P", (), {"pk": number})()
    for by in ("iod_n", "nikt"):
        with pytest.raises(CommandError, match="--person/--format: Podaj numer osoby"):
            _export(bad, by, tmp_path / "o.json")
    assert not (tmp_path / "o.json").exists()
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
