"""``ostoja rodo export --person ID --format pdf|json --output FILE --by USERNAME`` ·
``ostoja rodo retention`` (the retention map) · ``ostoja rodo register`` (art. 30 RODO)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.core import dates


class Command(BaseCommand):
    help = "RODO: eksport danych osoby (art. 15), mapa retencji (JRWA), rejestr czynności."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        e = sub.add_parser("export", help="dane osoby (art. 15 RODO)")
        e.add_argument("--person", type=int, required=True)
        e.add_argument("--format", dest="fmt", choices=["pdf", "json"], default="pdf")
        e.add_argument("--output", required=True)
        e.add_argument("--by", required=True, help="login pracownika (IOD), do dziennika")
        r = sub.add_parser("retention", help="mapa retencji: klasa akt → JRWA, kategoria, okres")
        r.add_argument("--dry-run", action="store_true", help="raport akt po okresie (bez zmian)")
        sub.add_parser("register", help="rejestr czynności przetwarzania (art. 30 RODO)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from ostoja.ops.rodo.maps import processing_register, retention_rules

        if opts["action"] == "retention" and opts["dry_run"]:
            from ostoja.ops.rodo.retention import retention_dry_run

            for rep in retention_dry_run(on=dates.today()):
                self.stdout.write(
                    f"{rep.record_class} (JRWA {rep.jrwa_symbol}, kat. {rep.archival_category}): "
                    f"po okresie {len(rep.expired_ids)} — nr {rep.expired_ids[:50]}; "
                    f"wpisy dziennika zachowane: {rep.kept_audit_entries}. NICZEGO NIE ZMIENIONO."
                )
            return
        if opts["action"] == "retention":
            for r in retention_rules().values():
                self.stdout.write(
                    f"{r.record_class:<22} JRWA {r.jrwa_symbol:<12} kat. {r.archival_category:<4}"
                    f" {r.period_years:>3} lat — {r.description}"
                )
            return
        if opts["action"] == "register":
            for a in processing_register():
                self.stdout.write(
                    f"{a['activity']}: {a['legal_basis']} (retencja {a['retention']})"
                )
            return
        self._export(opts)

    def _export(self, opts: dict[str, Any]) -> None:
        """The same check as the web export (``ops.files``, kind ``rodo_eksport``): the
        account named by ``--by`` must be active and hold the permission and the scope the
        page asks for — not merely belong to a group of that name. Checked before the person
        is looked up: a refused account learns nothing of who exists."""
        from django.contrib.auth import get_user_model

        from ostoja.audit.services import access_record
        from ostoja.core.errors import DomainError
        from ostoja.ops import files
        from ostoja.registry.selectors import person_get

        kind = files.kind_of("rodo_eksport")
        try:
            params = kind.clean({"osoba": str(opts["person"]), "format": opts["fmt"]})
        except DomainError as exc:
            raise CommandError(f"--person/--format: {exc.message}") from None
        login = opts["by"]
        user = get_user_model().objects.filter(username=login).first()
        if user is None:
            raise CommandError(f"--by: nie ma konta o loginie „{login}”. Nic nie zapisano.")
        if not files.kind_permitted(user=user, kind=kind, params=params):
            raise CommandError(
                f"--by: {kind.refused} Konto „{login}” nie ma uprawnienia „{kind.perm}” "
                "(albo jest nieaktywne lub poza zakresem). Nic nie zapisano."
            )
        try:
            out = kind.build(user, params, dates.now())
        except DomainError as exc:
            raise CommandError(f"--person: {exc.message}") from None
        Path(opts["output"]).write_bytes(out.data)
        access_record(
            user=user,
            obj=person_get(pk=int(params["osoba"])),
            reason="eksport danych osoby (art. 15 RODO)",
        )
        self.stdout.write(f"Zapisano {opts['output']} ({len(out.data)} B); odczyt w dzienniku.")
