#!/usr/bin/env python3
"""Set up the project on a fresh machine and run it or its tests.

    python3 dev.py demo   # .venv, pinned deps, SQLite, Kielce demo data, server on :8000
    python3 dev.py test   # the same set-up, then every test (unit, integration, browser)

Only the standard library is used here: this script runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
CHROMIUM = Path("/usr/bin/chromium")


def run(*cmd: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(result.returncode)


def typecheck() -> None:
    """mypy over ``ostoja/`` (strict for ``ostoja/law``; config in pyproject.toml). Errors listed
    in ``mypy-baseline.txt`` are known debts (issue 18) — any other error fails the run; regenerate
    the list after fixing some with ``mypy ostoja | mypy-baseline sync``."""
    print("+ mypy ostoja | mypy-baseline filter", flush=True)
    if not (BIN / "mypy-baseline").exists():
        sys.exit(
            "Brak mypy / mypy-baseline w .venv: requirements-dev.txt trzeba wygenerować ponownie "
            "z pyproject.toml (README, „Dependencies”)."
        )
    mypy = subprocess.run(  # noqa: S603
        [str(BIN / "mypy"), "ostoja"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    known = subprocess.run(  # noqa: S603
        [str(BIN / "mypy-baseline"), "filter", "--allow-unsynced", "--no-colors"],
        cwd=ROOT,
        input=mypy.stdout,
        text=True,
        check=False,
    )
    if known.returncode != 0 or (mypy.returncode not in (0, 1)):
        print(mypy.stderr, file=sys.stderr)
        sys.exit(known.returncode or mypy.returncode)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install the hashed requirements; skip when nothing changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 — this script runs before the venv exists
        sys.exit("Ostoja wymaga Pythona 3.11 lub nowszego (python3 --version).")
    if not (BIN / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    req = ROOT / requirements
    stamp = VENV / f".installed-{requirements}"
    digest = hashlib.sha256(req.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    pip = [BIN / "python", "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "install", "--require-hashes", "--no-deps", "-r", req)
    # The project itself: editable, without build isolation (setuptools comes with venv).
    run(*pip, "install", "--no-deps", "--no-build-isolation", "-e", ".")
    stamp.write_text(digest)


def ensure_chromium() -> None:
    """Browser tests drive Debian's chromium; Playwright cannot download its own here."""
    if CHROMIUM.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core", env=env)
        return
    sys.exit(
        "Testy przeglądarkowe potrzebują Chromium z Debiana. Zainstaluj je jako root:\n"
        "    apt-get install -y chromium fonts-dejavu-core\n"
        "i uruchom ponownie: python3 dev.py test"
    )


def ensure_nginx() -> None:
    """The deployment test (ostoja/ops/tests/test_deploy.py) runs Debian's nginx; it skips
    without it. Installed here as root, like chromium."""
    if shutil.which("nginx") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "install", "-y", "-qq", "nginx-light", env=env)


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "demo"
    rest = argv[2:]
    if command == "demo":
        ensure_venv("requirements.txt")
        os.execv(BIN / "ostoja", [str(BIN / "ostoja"), "demo", *rest])  # noqa: S606
    elif command == "test":
        ensure_venv("requirements-dev.txt")
        ensure_chromium()
        ensure_nginx()
        run(BIN / "ruff", "check", ".")
        run(BIN / "ruff", "format", "--check", ".")
        run(BIN / "lint-imports", "--no-cache")
        typecheck()
        run(BIN / "python", "-m", "pytest", *rest)
    else:
        sys.exit(f"Nieznane polecenie {command!r}. Użycie: python3 dev.py demo|test [argumenty]")


if __name__ == "__main__":
    main(sys.argv)
