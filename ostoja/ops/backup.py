"""Encrypted backups and their restore (kopia zapasowa i odtworzenie).

* PostgreSQL: ``pg_dump --format=custom`` / ``pg_restore --clean --if-exists``.
* SQLite: the online backup API (``sqlite3.Connection.backup``), safe while the server writes.

The dump is encrypted at rest with ``cryptography``'s Fernet (AES-128-CBC + HMAC-SHA256) in
chunks, so a large database never sits in memory whole. The file starts with a JSON manifest
(format, database vendor, the drill fingerprint — counts, money checksum, audit chain head) that
is itself inside the encryption, so a restore can prove it brought back what was saved.

File layout: ``OSTOJA-BACKUP-1\\n`` then records ``<8-byte length><Fernet token>``; the first
record is the manifest, the rest are the dump's chunks.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken
from django.db import connection, connections

MAGIC = b"OSTOJA-BACKUP-1\n"
CHUNK = 8 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; ``message`` is in Polish for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_key() -> bytes:
    return Fernet.generate_key()


def load_key(*, key: str | None = None, key_file: str | None = None) -> Fernet:
    """The Fernet key from ``key`` or ``key_file`` (else OSTOJA_BACKUP_KEY / _KEY_FILE)."""
    raw = key or os.environ.get("OSTOJA_BACKUP_KEY", "")
    path = key_file or os.environ.get("OSTOJA_BACKUP_KEY_FILE", "")
    if not raw and path:
        raw = Path(path).read_text().strip()
    if not raw:
        raise BackupError(
            "Brak klucza szyfrowania: ustaw OSTOJA_BACKUP_KEY_FILE (plik z kluczem) "
            "albo podaj --key-file."
        )
    try:
        return Fernet(raw.encode())
    except ValueError as exc:
        raise BackupError("Klucz szyfrowania ma zły format (oczekiwano klucza Fernet).") from exc


def _write_record(out: IO[bytes], fernet: Fernet, data: bytes) -> None:
    token = fernet.encrypt(data)
    out.write(struct.pack(">Q", len(token)))
    out.write(token)


def _records(src: IO[bytes], fernet: Fernet) -> Iterator[bytes]:
    while header := src.read(8):
        if len(header) != 8:
            raise BackupError("Plik kopii jest ucięty.")
        (size,) = struct.unpack(">Q", header)
        token = src.read(size)
        if len(token) != size:
            raise BackupError("Plik kopii jest ucięty.")
        try:
            yield fernet.decrypt(token)
        except InvalidToken as exc:
            raise BackupError("Zły klucz albo plik kopii zmieniony (nie odszyfrowano).") from exc


def _pg_env(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(settings.get("HOST") or "localhost")]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _dump(target: Path, alias: str = "default") -> str:
    conn = connections[alias]
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        dst = sqlite3.connect(target)
        try:
            conn.connection.backup(dst)
        finally:
            dst.close()
        return "sqlite"
    if conn.vendor == "postgresql":
        args, env = _pg_env(conn.settings_dict)
        cmd = ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(target),
               conn.settings_dict["NAME"]]  # fmt: skip
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump nie powiódł się: {result.stderr.strip()[:500]}")
        return "postgresql"
    raise BackupError(f"Nieobsługiwana baza danych: {conn.vendor}.")


def backup_create(*, output: Path, fernet: Fernet, manifest: dict[str, Any]) -> dict[str, Any]:
    """Dump the database, encrypt it into ``output`` (written atomically); the manifest."""
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="ostoja-backup-") as tmp:
        dump = Path(tmp) / "dump"
        vendor = _dump(dump)
        manifest = {**manifest, "format": 1, "vendor": vendor, "size": dump.stat().st_size}
        partial = output.with_name(output.name + ".part")
        with partial.open("wb") as out, dump.open("rb") as src:
            out.write(MAGIC)
            _write_record(out, fernet, json.dumps(manifest, ensure_ascii=False).encode())
            while chunk := src.read(CHUNK):
                _write_record(out, fernet, chunk)
        os.chmod(partial, 0o600)
        partial.replace(output)
    return manifest


@contextmanager
def _opened(path: Path, fernet: Fernet) -> Iterator[tuple[dict[str, Any], Iterator[bytes]]]:
    with Path(path).open("rb") as src:
        if src.read(len(MAGIC)) != MAGIC:
            raise BackupError("To nie jest plik kopii zapasowej Ostoi.")
        records = _records(src, fernet)
        manifest = json.loads(next(records))
        yield manifest, records


def backup_manifest(*, path: Path, fernet: Fernet) -> dict[str, Any]:
    with _opened(path, fernet) as (manifest, _records_left):
        return manifest


def backup_restore(*, path: Path, fernet: Fernet, alias: str = "default") -> dict[str, Any]:
    """Replace the database's content with the backup's; returns the backup's manifest."""
    conn = connections[alias]
    with tempfile.TemporaryDirectory(prefix="ostoja-restore-") as tmp:
        dump = Path(tmp) / "dump"
        with _opened(path, fernet) as (manifest, records), dump.open("wb") as out:
            for chunk in records:
                out.write(chunk)
        if manifest["vendor"] != conn.vendor:
            raise BackupError(
                f"Kopia pochodzi z bazy {manifest['vendor']}, a bieżąca baza to {conn.vendor}."
            )
        if conn.vendor == "sqlite":
            conn.ensure_connection()
            src = sqlite3.connect(dump)
            try:
                src.backup(conn.connection)
            finally:
                src.close()
        else:
            conn.close()
            args, env = _pg_env(conn.settings_dict)
            cmd = ["pg_restore", *args, "--clean", "--if-exists", "--no-owner",
                   "--single-transaction", "--exit-on-error",
                   "--dbname", conn.settings_dict["NAME"], str(dump)]  # fmt: skip
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode != 0:
                raise BackupError(f"pg_restore nie powiódł się: {result.stderr.strip()[:500]}")
    connection.close()
    return manifest


def tools_available() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))
