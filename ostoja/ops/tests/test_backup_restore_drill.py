"""The restore drill (próba odtworzenia, issue 21 §2): demo data backed up encrypted, damaged,
restored — counts, money totals' checksum and the audit chain equal before and after.

Runs on SQLite (online backup API) and, in CI's PostgreSQL pass, on PostgreSQL (pg_dump /
pg_restore).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ostoja.core.dates import now
from ostoja.ops.backup import BackupError, backup_create, backup_restore, load_key, new_key
from ostoja.ops.drill import fingerprint, fingerprint_diff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "backup.key"
    path.write_bytes(new_key())
    monkeypatch.setenv("OSTOJA_BACKUP_KEY_FILE", str(path))
    return path


@pytest.fixture
def seeded() -> None:
    if connection.vendor == "postgresql" and not __import__("shutil").which("pg_dump"):
        pytest.skip("pg_dump missing")
    from ostoja.web.demo import load_demo

    load_demo(now=now())


def test_restore_drill_counts_money_and_audit_chain_equal(
    seeded: None, key_file: Path, tmp_path: Path
) -> None:
    before = fingerprint()
    assert before["audit"]["ok"] and before["audit"]["checked"] > 0
    assert sum(before["counts"].values()) > 100
    target = tmp_path / "ostoja.obk"
    call_command("backup", output=str(target))

    # encrypted at rest: no surname, no PESEL in the file
    from ostoja.registry.models import Person

    person = Person.objects.exclude(pesel="").first()
    raw = target.read_bytes()
    assert person.last_name.encode() not in raw
    assert person.pesel.encode() not in raw

    from ostoja.payments.models import Payment

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Payment._meta.db_table}")
    assert fingerprint_diff(before, fingerprint())  # the damage is visible

    call_command("restore", str(target), yes=True)
    after = fingerprint()
    assert fingerprint_diff(before, after) == []
    assert after == before
    call_command("audit_verify")


def test_restore_needs_confirmation_and_the_right_key(
    seeded: None, key_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "ostoja.obk"
    call_command("backup", output=str(target))
    with pytest.raises(CommandError, match="ZASTĄPI"):
        call_command("restore", str(target))
    with pytest.raises(BackupError, match="Zły klucz"):
        backup_restore(path=target, fernet=load_key(key=new_key().decode()))


def test_a_tampered_file_is_refused(key_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "ostoja.obk"
    fernet = load_key()
    backup_create(output=target, fernet=fernet, manifest={"created": "x", "fingerprint": {}})
    data = bytearray(target.read_bytes())
    data[-10] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        backup_restore(path=target, fernet=fernet)


def test_backup_without_a_key_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OSTOJA_BACKUP_KEY", raising=False)
    monkeypatch.delenv("OSTOJA_BACKUP_KEY_FILE", raising=False)
    with pytest.raises(CommandError, match="Brak klucza"):
        call_command("backup", output=str(tmp_path / "x.obk"))
