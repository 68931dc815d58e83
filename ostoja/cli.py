"""``ostoja``: every Django management command, plus the project's own (demo, token, calc…)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command; ``ostoja`` alone lists them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
    # A checkout without SECRET_KEY is a developer's demo: serve it with development settings.
    if not os.environ.get("SECRET_KEY") and "OSTOJA_DEV" not in os.environ:
        print(
            "ostoja: brak SECRET_KEY — ustawienia deweloperskie (nie do produkcji).",
            file=sys.stderr,
        )
        os.environ["OSTOJA_DEV"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ostoja", *sys.argv[1:]])


if __name__ == "__main__":
    main()
