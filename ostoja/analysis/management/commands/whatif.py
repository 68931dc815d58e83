"""``ostoja whatif --set RECORD.FIELD=VALUE … [--json] [--save NAME]``.

Runs the law core over the live caseload with the changed parameters and prints the scenario's
totals: gainers, losers, monthly and yearly cost, by district and benefit. Nothing real
changes; ``--save`` keeps the scenario (and its totals) for comparison on the page.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.analysis import services, whatif
from ostoja.cases.selectors import latest_calculations
from ostoja.core.dates import today
from ostoja.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Symulacja zmiany parametrów prawa na bieżących sprawach (nic nie zmienia)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--set", dest="changes", action="append", required=True,
            help="REKORD.POLE=WARTOŚĆ, np. kryterium_dochodowe.single=1100 (można powtarzać)",
        )  # fmt: skip
        parser.add_argument("--json", action="store_true", help="wynik jako jeden obiekt JSON")
        parser.add_argument("--save", metavar="NAZWA", help="zapisz scenariusz pod nazwą")

    def handle(self, *args: Any, **opts: Any) -> None:
        on = today()
        try:
            changes = whatif.parse_changes(opts["changes"], on=on)
        except ValidationFailed as exc:
            raise CommandError(
                "; ".join(f"{e['field']}: {e['message']}" for e in exc.as_list()), returncode=2
            ) from None
        result = whatif.run(caseload=latest_calculations(), changes=changes, on=on)
        if opts["save"]:
            services.scenario_save(name=opts["save"], result=result, actor=None)
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        t = result.totals
        self.stdout.write(
            f"Scenariusz {', '.join(c.text for c in changes)} (stan na {on:%d.%m.%Y}): "
            f"sprawy {t.cases}, zyskuje {t.gainers}, traci {t.losers}; koszt miesięcznie "
            f"{t.monthly:+.2f} zł, rocznie {t.yearly:+.2f} zł."
        )
        for title, groups in (("Rejon", result.by_unit), ("Świadczenie", result.by_benefit)):
            for key, g in sorted(groups.items()):
                self.stdout.write(
                    f"  {title} {key}: zyskuje {g.gainers}, traci {g.losers}, "
                    f"miesięcznie {g.monthly:+.2f} zł, rocznie {g.yearly:+.2f} zł"
                )
