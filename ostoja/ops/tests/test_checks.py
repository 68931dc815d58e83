"""``ostoja check-deploy`` refuses an insecure configuration (issue 21 §1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[3]


def test_the_test_configuration_is_refused() -> None:
    with pytest.raises(CommandError, match="NIEBEZPIECZNA"):
        call_command("check-deploy")


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OSTOJA_", "DJANGO_"))}
    for k in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "SECURE_COOKIES", "ALLOWED_HOSTS"):
        base.pop(k, None)
    return subprocess.run(
        [sys.executable, "-m", "ostoja.cli", "check-deploy"],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


SECURE = {
    "SECRET_KEY": "k" * 20 + "Zq9-xV3_pL7mN2bR8tW4yH6jK1cF5gD0sA" + "e" * 20,
    "DATABASE_URL": "postgres://ostoja@127.0.0.1:5432/ostoja",
    "ALLOWED_HOSTS": "ostoja.mopr.kielce.pl",
    "CSRF_TRUSTED_ORIGINS": "https://ostoja.mopr.kielce.pl",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "OSTOJA_BACKUP_KEY_FILE": "/etc/ostoja/backup.key",
}


def test_a_secure_production_configuration_passes() -> None:
    result = _run(SECURE)
    assert result.returncode == 0, result.stderr
    assert "poprawna" in result.stdout


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"DEBUG": "1"}, "ostoja.E002"),
        ({"SECRET_KEY": "short"}, "ostoja.E003"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "ostoja.E005"),
        ({"SECURE_COOKIES": "0"}, "ostoja.E006"),
        ({"OSTOJA_BACKUP_KEY_FILE": ""}, "ostoja.E010"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"OSTOJA_TASKS_BACKEND": "immediate"}, "ostoja.E009"),
    ],
)
def test_each_insecure_setting_is_refused(change: dict[str, str], code: str) -> None:
    result = _run({**SECURE, **change})
    assert result.returncode != 0
    assert code in result.stderr + result.stdout


@override_settings(DEBUG=False)
def test_project_checks_list_polish_messages() -> None:
    from ostoja.ops.checks import _errors

    messages = {e.id: e.msg for e in _errors()}
    assert messages["ostoja.E001"].startswith("Włączony tryb deweloperski")
